import rule from '../../../rules/targets-in-unserved-az.js';
import { brokenWorld, healthyWorld, instance, target } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const world = healthyWorld();
const inZoneC = (w: ReturnType<typeof healthyWorld>) => {
  w.scope.instances.push(instance({ id: 'i-web3', subnetId: 'subnet-app-c', availabilityZone: 'us-east-1c', privateIpAddress: '10.0.13.10' }));
};

ruleTester(rule).run({
  valid: [
    { name: 'every target in an enabled AZ', scope: healthyWorld().scope },
    {
      name: "an IP target outside the VPC (AZ 'all') is reached from every AZ",
      scope: brokenWorld((w) => {
        w.albGroup.targetType = 'ip';
        w.albGroup.targets = [target('192.168.1.5', { port: 8080, availabilityZone: 'all' })];
      }),
    },
    {
      name: 'a load balancer whose AZs could not be read is left alone',
      scope: brokenWorld((w) => {
        inZoneC(w);
        w.albGroup.targets.push(target('i-web3', { port: 8080 }));
        w.alb.availabilityZones = w.alb.availabilityZones.map((zone) => ({ ...zone, zoneName: '' }));
      }),
    },
  ],
  invalid: [
    {
      name: 'an instance in us-east-1c registered with the ALB target group and the Classic LB, enabled in a and b only',
      scope: brokenWorld((w) => {
        inZoneC(w);
        w.albGroup.targets.push(target('i-web3', { port: 8080, health: { state: 'unused', reason: 'Target.NotInUse' } }));
        w.classic.classic?.instances.push({ instanceId: 'i-web3', state: 'healthy' });
      }),
      expect: [
        {
          resourceArn: world.albGroup.arn,
          resourceType: 'target-group',
          messageIncludes: 'Target i-web3 of target group web of ALB web is in us-east-1c, where the load balancer has no subnet, so it receives no traffic', fixIncludes: 'us-east-1a, us-east-1b',
          evidence: { availabilityZone: 'us-east-1c', enabledZones: ['us-east-1a', 'us-east-1b'], targets: [{ id: 'i-web3', state: 'unused' }], loadBalancerArn: world.alb.arn },
        },
        { resourceArn: world.classic.arn, resourceType: 'classic', messageIncludes: 'Target i-web3 of Classic LB legacy is in us-east-1c', evidence: { targets: [{ id: 'i-web3', state: 'healthy' }] } },
      ],
    },
  ],
});
