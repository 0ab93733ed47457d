import rule from '../../../rules/single-az-load-balancer.js';
import { classic, healthyWorld, nlb, scopeOf } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const oneZone = nlb({ name: 'solo', subnets: ['subnet-a'] });
// Two subnets that AWS reports in the same AZ (Classic LBs list one zone per subnet).
const sameZoneTwice = classic({ name: 'twice', zones: [{ zoneName: 'us-east-1a', subnetId: 'subnet-a' }, { zoneName: 'us-east-1a', subnetId: 'subnet-a2' }] });

ruleTester(rule).run({
  valid: [
    { name: 'ALB, NLB and Classic LB in two AZs', scope: healthyWorld().scope },
    { name: 'an LB with no zones at all (nothing to count) is left alone', scope: scopeOf({ loadBalancers: [nlb({ name: 'none', subnets: [] })] }) },
    {
      name: 'a Classic LB in two subnets whose AZs could not be read is not taken for a one-AZ LB',
      scope: scopeOf({ loadBalancers: [classic({ name: 'unread', zones: [{ zoneName: '', subnetId: 'subnet-a' }, { zoneName: '', subnetId: 'subnet-b' }] })] }),
    },
  ],
  invalid: [
    {
      name: 'an NLB in one AZ',
      scope: scopeOf({ loadBalancers: [oneZone] }),
      expect: [{ resourceArn: oneZone.arn, resourceType: 'network', messageIncludes: 'NLB solo is enabled only in us-east-1a', fixIncludes: 'aws elbv2 set-subnets', evidence: { availabilityZones: ['us-east-1a'], subnetIds: ['subnet-a'] } }],
    },
    {
      name: 'two subnets in the same AZ are still one AZ',
      scope: scopeOf({ loadBalancers: [sameZoneTwice] }),
      expect: [{ resourceArn: sameZoneTwice.arn, messageIncludes: 'Classic LB twice', fixIncludes: 'attach-load-balancer-to-subnets', evidence: { availabilityZones: ['us-east-1a'], subnetIds: ['subnet-a', 'subnet-a2'] } }],
    },
  ],
});
