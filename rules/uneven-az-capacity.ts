import {
  crossZoneChecks,
  describeLoadBalancer,
  loadBalancerResource,
  receivesTraffic,
  targetEndpointsOfGroup,
  targetGroupResource,
  type TargetEndpoint,
} from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import type { LoadBalancer } from '../src/inventory/model.js';
import { flat } from '../src/engine/text.js';

/**
 * How much more load per target an AZ may carry than an even spread would give it before
 * lbcheck reports it: 2×. With cross-zone off, DNS gives each AZ node about 1/n of the
 * clients, so an AZ holding share s of the healthy targets loads each of them (1/n)/s times
 * the even load; at 2× one AZ's targets saturate while the others idle at half of it.
 */
export const MAX_LOAD_FACTOR = 2;

const zonesOf = (lb: LoadBalancer): string[] => [...new Set(lb.availabilityZones.map((zone) => zone.zoneName))].sort();

interface AzLoad {
  /** The targets receiving traffic in each enabled AZ. */
  healthy: Map<string, Set<string>>;
  total: number;
  /** The AZs whose targets would each carry at least MAX_LOAD_FACTOR times an even share with cross-zone off. */
  overloaded: { zone: string; ids: Set<string>; loadFactor: number }[];
}

/** How a target group's traffic would spread over the LB's AZs with cross-zone off; undefined where the count is unreliable. */
function azLoad(zones: readonly string[], endpoints: readonly TargetEndpoint[]): AzLoad | undefined {
  if (zones.length < 2 || zones.includes('') || endpoints.some((endpoint) => !endpoint.zone || endpoint.zone === 'all')) return undefined;
  const healthy = new Map(zones.map((zone) => [zone, new Set<string>()]));
  for (const endpoint of endpoints) {
    if (receivesTraffic(endpoint.group, endpoint.healthState)) healthy.get(endpoint.zone ?? '')?.add(endpoint.targetId);
  }
  const total = [...healthy.values()].reduce((sum, ids) => sum + ids.size, 0);
  const overloaded = [...healthy].flatMap(([zone, ids]) => {
    if (ids.size === 0) return [];
    const loadFactor = total / (zones.length * ids.size);
    return loadFactor < MAX_LOAD_FACTOR ? [] : [{ zone, ids, loadFactor }];
  });
  return { healthy, total, overloaded };
}

export default defineRule({
  meta: {
    id: 'uneven-az-capacity',
    title: 'With cross-zone load balancing off, one AZ holds too small a share of the healthy targets',
    defaultSeverity: 'warning',
    category: 'resilience',
    source: 'config',
    requires: ['listeners', 'targetGroups', 'loadBalancerAttributes', 'targetGroupAttributes', 'targetHealth', 'instances', 'subnets'],
    appliesTo: ['application', 'network', 'gateway', 'classic'],
    description: `For each target group (and Classic LB) with cross-zone load balancing off, counts the healthy targets in each AZ the load balancer is enabled in and reports an AZ whose targets would each carry at least ${MAX_LOAD_FACTOR}× the load of an even spread: DNS sends every enabled AZ about the same share of clients (1/n of them for n AZs), so an AZ holding share s of the healthy targets loads each of them (1/n)/s times as much. AZs with no healthy target are left to az-without-healthy-targets; targets outside the VPC (AZ 'all') or whose AZ is unknown make the count unreliable, and the group is left alone.`,
    rationale:
      "Cross-zone off keeps each AZ's clients on that AZ's targets. When one AZ has 1 target and the other has 5, the single target gets as many requests as the five together: it saturates, its clients see latency and errors, and the other AZ idles. The same happens after a partial scale-in or when targets in one AZ turn unhealthy.",
    remediation: {
      text: 'Spread the targets evenly over the enabled AZs (an Auto Scaling group balances AZs), or turn cross-zone load balancing on.',
      cli: 'aws autoscaling update-auto-scaling-group --auto-scaling-group-name web --vpc-zone-identifier "subnet-a,subnet-b"\naws elbv2 modify-load-balancer-attributes --load-balancer-arn arn:aws:elasticloadbalancing:...:loadbalancer/net/edge/0123 --attributes Key=load_balancing.cross_zone.enabled,Value=true',
    },
    references: [
      { title: 'How Elastic Load Balancing works: cross-zone load balancing', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html#cross-zone-load-balancing' },
      { title: 'Network Load Balancers: cross-zone load balancing', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-load-balancer-attributes.html#cross-zone-load-balancing' },
    ],
  },
  // The cross-zone setting of a target group matters only where its targets are spread unevenly enough to report.
  needs: {
    targetGroupAttributes: ({ scope, index }) =>
      scope.loadBalancers
        .filter((lb) => lb.kind !== 'classic')
        .flatMap((lb) => index.targetGroupsOf(lb).filter((group) => (azLoad(zonesOf(lb), targetEndpointsOfGroup(index, group))?.overloaded.length ?? 0) > 0).map((group) => group.arn)),
  },
  check({ scope, index }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      const checks = crossZoneChecks(index, lb);
      // With cross-zone on (every ALB target group that does not turn it off), clients spread over all targets.
      if (checks.every((check) => check.crossZone)) continue;
      const zones = zonesOf(lb);
      if (zones.length < 2 || zones.includes('')) continue;
      for (const { group, crossZone, crossZoneSource, endpoints } of checks) {
        const load = crossZone ? undefined : azLoad(zones, endpoints);
        if (!load) continue;
        const { healthy, total } = load;
        for (const { zone, ids, loadFactor } of load.overloaded) {
          const where = group ? `target group ${group.name} of ${describeLoadBalancer(lb)}` : describeLoadBalancer(lb);
          findings.push({
            resource: group ? targetGroupResource(group, scope) : loadBalancerResource(lb, scope),
            message: flat(`${zone} holds ${ids.size} of the ${total} healthy targets of ${where} but gets 1/${zones.length} of the clients (cross-zone off), so each of its targets carries ${loadFactor.toFixed(1)}× the load of an even spread.`),
            fix: flat(`Add targets in ${zone} or turn cross-zone load balancing on.`),
            related: { loadBalancerArn: lb.arn, ...(group && { targetGroupArns: [group.arn] }) },
            evidence: {
              availabilityZone: zone,
              healthyTargetsByZone: Object.fromEntries([...healthy].map(([name, set]) => [name, [...set].sort()])),
              loadFactor: Number(loadFactor.toFixed(2)),
              crossZoneSource,
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
