import rule, { MIN_FREE_ADDRESSES, WARN_FREE_ADDRESSES } from '../../../rules/subnet-too-small-to-scale.js';
import { brokenWorld, healthyWorld } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const world = healthyWorld();

ruleTester(rule).run({
  valid: [
    { name: 'free addresses not reported (a snapshot without them)', scope: healthyWorld().scope },
    { name: `${WARN_FREE_ADDRESSES} free addresses`, scope: brokenWorld((w) => (w.subnetA.availableIpAddressCount = WARN_FREE_ADDRESSES)) },
    {
      name: 'an NLB keeps one fixed address per AZ and is not checked',
      scope: brokenWorld((w) => {
        w.subnetA.availableIpAddressCount = 0;
        w.scope.loadBalancers = [w.nlb];
      }),
    },
  ],
  invalid: [
    {
      name: `subnet a with ${MIN_FREE_ADDRESSES - 1} free (error) and subnet b with 12 (warning), for the ALB and the Classic LB`,
      scope: brokenWorld((w) => {
        w.subnetA.availableIpAddressCount = MIN_FREE_ADDRESSES - 1;
        w.subnetB.availableIpAddressCount = 12;
      }),
      expect: [
        { resourceArn: world.alb.arn, messageIncludes: ['Subnet subnet-a (us-east-1a, 10.0.1.0/24) of ALB web has 7 free IP addresses, below the 8 AWS requires', 'cannot scale'], fixIncludes: 'elbv2 set-subnets', evidence: { subnetId: 'subnet-a', availableIpAddressCount: 7 }, discriminator: 'subnet-a', severity: 'error' },
        { resourceArn: world.alb.arn, messageIncludes: ["has 12 free IP addresses, under lbcheck's margin of 16", 'may not scale'], discriminator: 'subnet-b', severity: 'warning' },
        { resourceArn: world.classic.arn, messageIncludes: 'of Classic LB legacy has 7 free', fixIncludes: 'elb attach-load-balancer-to-subnets', severity: 'error' },
        { resourceArn: world.classic.arn, messageIncludes: 'of Classic LB legacy has 12 free', severity: 'warning' },
      ],
    },
  ],
});
