import rule from '../../../rules/uneven-az-capacity.js';
import { brokenWorld, healthyWorld, instance, target } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const world = healthyWorld();
/** Three more instances in AZ b, registered with the NLB's target group (cross-zone off). */
const crowdB = (w: ReturnType<typeof healthyWorld>, healthy = true) => {
  for (const n of [3, 4, 5]) {
    w.scope.instances.push(instance({ id: `i-web${n}`, subnetId: 'subnet-app-b', availabilityZone: 'us-east-1b', privateIpAddress: `10.0.12.${n}` }));
    w.nlbGroup.targets.push(target(`i-web${n}`, { port: 8080, health: { state: healthy ? 'healthy' : 'unhealthy' } }));
  }
};

ruleTester(rule).run({
  valid: [
    { name: 'one healthy target per AZ', scope: healthyWorld().scope },
    { name: '1 vs 4 with cross-zone on', scope: brokenWorld((w) => { crowdB(w); w.nlb.attributes.crossZoneEnabled = true; }) },
    { name: 'the extra targets in b are unhealthy, so the healthy spread is even', scope: brokenWorld((w) => crowdB(w, false)) },
    {
      name: 'an AZ with no healthy target is az-without-healthy-targets\' finding',
      scope: brokenWorld((w) => (w.nlbGroup.targets = w.nlbGroup.targets.filter((t) => t.id !== 'i-web1'))),
    },
  ],
  invalid: [
    {
      name: '1 healthy target in a and 4 in b behind an NLB with cross-zone off',
      scope: brokenWorld((w) => crowdB(w)),
      expect: [
        {
          resourceArn: world.nlbGroup.arn,
          resourceType: 'target-group',
          messageIncludes: ['us-east-1a holds 1 of the 5 healthy targets of target group edge of NLB edge but gets 1/2 of the clients', '2.5× the load'],
          evidence: { availabilityZone: 'us-east-1a', loadFactor: 2.5, healthyTargetsByZone: { 'us-east-1a': ['i-web1'], 'us-east-1b': ['i-web2', 'i-web3', 'i-web4', 'i-web5'] } },
        },
      ],
    },
  ],
});
