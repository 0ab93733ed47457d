import rule from '../../../rules/cross-zone-load-balancing-disabled.js';
import { brokenWorld, healthyWorld } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const world = healthyWorld();

ruleTester(rule).run({
  valid: [
    {
      name: 'NLB with cross-zone on, ALB (always on), Classic with cross-zone on',
      scope: brokenWorld((w) => (w.nlb.attributes.crossZoneEnabled = true)),
    },
    {
      name: "an NLB whose every target group turns cross-zone on for itself",
      scope: brokenWorld((w) => (w.nlbGroup.attributes.crossZoneEnabled = true)),
    },
  ],
  invalid: [
    {
      name: 'the NLB (off by default) and a Classic LB with cross-zone off',
      scope: brokenWorld((w) => (w.classic.attributes.crossZoneEnabled = false)),
      expect: [
        { resourceArn: world.nlb.arn, messageIncludes: 'NLB edge has cross-zone load balancing off', fixIncludes: 'inter-AZ data transfer', evidence: { crossZoneEnabled: false, targetGroupArns: [world.nlbGroup.arn] } },
        { resourceArn: world.classic.arn, messageIncludes: 'Classic LB legacy has cross-zone load balancing off', fixIncludes: 'CrossZoneLoadBalancing={Enabled=true}' },
      ],
    },
    {
      name: 'an ALB target group that turns cross-zone off',
      scope: brokenWorld((w) => {
        w.nlb.attributes.crossZoneEnabled = true;
        w.albGroup.attributes.crossZoneEnabled = false;
      }),
      expect: [{ resourceArn: world.albGroup.arn, resourceType: 'target-group', messageIncludes: 'Target group web of ALB web turns cross-zone load balancing off', evidence: { loadBalancerArn: world.alb.arn } }],
    },
  ],
});
