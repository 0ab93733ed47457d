import rule from '../../../rules/load-balancer-without-listener.js';
import { alb, brokenWorld, classic, healthyWorld, scopeOf } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const bare = alb({ name: 'orphan' });
const bareClassic = classic({ name: 'old' });

ruleTester(rule).run({
  valid: [
    { name: 'every load balancer of the healthy world has a listener', scope: healthyWorld().scope },
    {
      // One finding per cause: an empty target group is target-group-without-healthy-targets' to report.
      name: 'a listener whose every target group is empty is not "no listener"',
      scope: brokenWorld((world) => (world.albGroup.targets = [])),
    },
  ],
  invalid: [
    {
      name: 'an ALB and a Classic LB without listeners',
      scope: scopeOf({ loadBalancers: [bare, bareClassic] }),
      expect: [
        { resourceArn: bare.arn, messageIncludes: ['ALB orphan has no listener', `every connection to ${bare.dnsName} is refused`], evidence: { listeners: [] } },
        { resourceArn: bareClassic.arn, messageIncludes: 'Classic LB old has no listener' },
      ],
    },
  ],
});
