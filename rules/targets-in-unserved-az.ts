import { describeLoadBalancer, loadBalancerResource, targetEndpointsOf, targetEndpointsOfGroup, targetGroupResource, type TargetEndpoint, zoneSourceOf } from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { appendTo } from '../src/inventory/indexes.js';
import type { LoadBalancer } from '../src/inventory/model.js';
import { flat } from '../src/engine/text.js';

/** Whether the load balancer is enabled in a zone (a handful of zones: a scan, not a Set per load balancer). */
function serves(lb: LoadBalancer, zone: string): boolean {
  for (let i = 0; i < lb.availabilityZones.length; i++) if ((lb.availabilityZones[i] as LoadBalancer['availabilityZones'][number]).zoneName === zone) return true;
  return false;
}

/** Targets by the AZ they sit in, for the AZs the load balancer is not enabled in; undefined when there are none (most load balancers). */
function unservedByZone(endpoints: readonly TargetEndpoint[], lb: LoadBalancer): Map<string, TargetEndpoint[]> | undefined {
  let byZone: Map<string, TargetEndpoint[]> | undefined;
  for (let i = 0; i < endpoints.length; i++) {
    const endpoint = endpoints[i] as TargetEndpoint;
    // 'all': an IP target outside the VPC, reached from every AZ.
    if (!endpoint.zone || endpoint.zone === 'all' || serves(lb, endpoint.zone)) continue;
    appendTo((byZone ??= new Map()), endpoint.zone, endpoint);
  }
  return byZone;
}

export default defineRule({
  meta: {
    id: 'targets-in-unserved-az',
    title: 'Targets are registered in an Availability Zone the load balancer is not enabled in',
    defaultSeverity: 'warning',
    category: 'resilience',
    source: 'config',
    requires: ['listeners', 'targetGroups', 'targetHealth', 'instances', 'subnets'],
    appliesTo: ['application', 'network', 'classic'],
    description:
      "For each load balancer, places every target of the target groups it forwards to (instances by their instance's AZ, IP targets by the AZ AWS reports or the subnet that holds the address) and every instance registered with a Classic LB, and reports the targets in an AZ where the load balancer has no subnet. IP targets outside the VPC (AZ 'all') are reached from every AZ and are not reported; targets whose AZ is unknown, and load balancers whose AZs could not be read, are left alone. On AWS such targets read 'unused' with reason Target.NotInUse; moto shows them healthy, so the rule reads the placement, not the state.",
    rationale:
      'A load balancer sends traffic only to targets in the AZs it is enabled in, whatever cross-zone load balancing says: a target registered elsewhere receives nothing. The capacity you pay for is idle, the rest of the targets carry all the load, and when they are the only ones left healthy the group has fewer targets than it seems to.',
    remediation: {
      text: 'Enable the load balancer in that AZ (add a subnet there), or move the targets into an AZ it is enabled in.',
      cli: 'aws elbv2 set-subnets --load-balancer-arn arn:aws:elasticloadbalancing:...:loadbalancer/app/web/0123 --subnets subnet-a subnet-b subnet-c\naws elb attach-load-balancer-to-subnets --load-balancer-name legacy --subnets subnet-c',
    },
    references: [
      { title: 'Application Load Balancers: subnets ("registered targets do not receive traffic")', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer' },
      { title: 'Network Load Balancers: Availability Zones', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html#availability-zones' },
      { title: 'Target health states: unused, Target.NotInUse', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html#target-health-states' },
    ],
  },
  check({ scope, index }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      if (lb.availabilityZones.length === 0 || lb.availabilityZones.some((zone) => !zone.zoneName)) continue;
      const groups = lb.kind === 'classic' ? [undefined] : index.targetGroupsOf(lb);
      for (const group of groups) {
        const endpoints = group ? targetEndpointsOfGroup(index, group) : targetEndpointsOf(index, lb);
        const unserved = unservedByZone(endpoints, lb);
        if (!unserved) continue;
        const served = [...new Set(lb.availabilityZones.map((zone) => zone.zoneName))].sort();
        for (const [zone, targets] of unserved) {
          // A Classic LB's instance is one endpoint per listener port: one entry per target here.
          const unique = [...new Map(targets.map((target) => [target.targetId, target])).values()];
          const ids = unique.map((target) => target.targetId);
          const where = group ? `target group ${group.name} of ${describeLoadBalancer(lb)}` : describeLoadBalancer(lb);
          findings.push({
            resource: group ? targetGroupResource(group, scope) : loadBalancerResource(lb, scope),
            message: flat(`${ids.length === 1 ? 'Target' : 'Targets'} ${ids.join(', ')} of ${where} ${ids.length === 1 ? 'is' : 'are'} in ${zone}, where the load balancer has no subnet, so ${ids.length === 1 ? 'it receives' : 'they receive'} no traffic.`),
            fix: flat(`Enable the load balancer in ${zone} or move the targets into ${served.join(', ')}.`),
            related: {
              loadBalancerArn: lb.arn,
              ...(group && { targetGroupArns: [group.arn] }),
              instanceIds: unique.flatMap((target) => (target.kind === 'instance' ? [target.targetId] : [])),
            },
            evidence: {
              availabilityZone: zone,
              enabledZones: served,
              targets: unique.map((target) => ({ id: target.targetId, zoneSource: zoneSourceOf(target), state: target.healthState })),
              loadBalancerArn: lb.arn,
            },
            discriminator: `${lb.arn} ${zone}`,
            severity: undefined,
          });
        }
      }
    }
    return findings;
  },
});
