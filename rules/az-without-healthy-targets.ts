import { crossZoneChecks, describeLoadBalancer, type CrossZoneCheck, loadBalancerResource, targetEndpointsOfGroup, type TargetEndpoint, zoneSourceOf } from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import type { LoadBalancer, TargetGroup } from '../src/inventory/model.js';
import { flat } from '../src/engine/text.js';

const zonesOf = (lb: LoadBalancer): string[] => [...new Set(lb.availabilityZones.map((z) => z.zoneName))];

/** Lambda and ALB targets are not placed in AZs. */
const placedInZones = (group: TargetGroup | undefined): boolean => group?.targetType !== 'lambda' && group?.targetType !== 'alb';

/**
 * The enabled AZs where targets that are healthy elsewhere have no healthy one: with cross-zone
 * off, those AZs fail their clients. None when no target is healthy at all (that is
 * target-group-without-healthy-targets') or a healthy one outside the VPC serves every AZ.
 */
function zonesWithoutHealthyTarget(zones: readonly string[], endpoints: readonly TargetEndpoint[]): string[] {
  const healthy = endpoints.filter((e) => e.healthState === 'healthy');
  if (healthy.length === 0 || healthy.some((e) => e.zone === 'all')) return [];
  return zones.filter((zone) => !healthy.some((e) => e.zone === zone));
}

const DNS_BEHAVIOUR =
  'AWS removes that AZ node\'s address from DNS, clients with a cached answer still hit it and fail, and if every AZ ends up unhealthy DNS fails open and returns all of them';

/** Register healthy targets in the zone, or turn cross-zone on where it is off (the target group, else the Classic LB). */
function crossZoneFix(lb: LoadBalancer, group: TargetGroup | undefined, zone: string): string {
  const command = group
    ? `aws elbv2 modify-target-group-attributes --target-group-arn ${group.arn} --attributes Key=load_balancing.cross_zone.enabled,Value=true`
    : `aws elb modify-load-balancer-attributes --load-balancer-name ${lb.name} --load-balancer-attributes "{\\"CrossZoneLoadBalancing\\":{\\"Enabled\\":true}}"`;
  return `Register healthy targets in ${zone}, or turn cross-zone load balancing on: ${command}.`;
}

export default defineRule({
  meta: {
    id: 'az-without-healthy-targets',
    title: 'Availability Zone has no healthy target while cross-zone load balancing is off',
    defaultSeverity: 'error',
    category: 'reachability',
    source: 'config',
    appliesTo: ['application', 'network', 'gateway', 'classic'],
    requires: ['listeners', 'targetGroups', 'loadBalancerAttributes', 'targetGroupAttributes', 'targetHealth', 'instances', 'subnets'],
    description:
      "For each load balancer, target group and enabled AZ where cross-zone load balancing is off for that target group (ALB: only when the target group turns it off; NLB/GWLB: the target group's setting, else the LB's, default off; Classic: its CrossZoneLoadBalancing attribute), checks that at least one healthy target sits in that AZ. An instance target is in its instance's AZ; an IP target in the AZ AWS reports, else the AZ of the subnet whose CIDR holds it; an IP target outside the VPC ('all') serves every AZ. Target groups with no healthy target anywhere are left to target-group-without-healthy-targets.",
    rationale:
      'With cross-zone off, each AZ node only sends to targets in its own AZ. When an AZ has none healthy, that node cannot serve: AWS removes its address from DNS, but clients and resolvers that cached the old answer keep sending to it and fail, and if every AZ becomes unhealthy DNS fails open and returns all addresses again. The result is a share of failing requests proportional to the AZ.',
    remediation: {
      text: 'Register healthy targets in every enabled AZ (e.g. spread the Auto Scaling group over the same AZs), or turn cross-zone load balancing on for the target group or load balancer, or disable the AZ on the load balancer.',
      cli: 'aws elbv2 modify-target-group-attributes --target-group-arn arn:aws:elasticloadbalancing:...:targetgroup/edge/0123 --attributes Key=load_balancing.cross_zone.enabled,Value=true\naws elb modify-load-balancer-attributes --load-balancer-name legacy --load-balancer-attributes "{\\"CrossZoneLoadBalancing\\":{\\"Enabled\\":true}}"',
      iac: 'resource "aws_lb_target_group" "edge" {\n  load_balancing_cross_zone_enabled = "true"\n}',
    },
    references: [
      { title: 'Cross-zone load balancing for Application Load Balancer target groups (always on at the ALB level)', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/disable-cross-zone.html' },
      { title: 'Cross-zone load balancing for Network Load Balancer target groups', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-cross-zone.html' },
      { title: 'How Elastic Load Balancing works: cross-zone load balancing', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html#cross-zone-load-balancing' },
      { title: 'Configure cross-zone load balancing for your Classic Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/enable-disable-crosszone-lb.html' },
    ],
  },
  // The cross-zone setting of a target group matters only where its health leaves an enabled AZ without a healthy target.
  needs: {
    targetGroupAttributes: ({ scope, index }) =>
      scope.loadBalancers
        .filter((lb) => lb.kind !== 'classic')
        .flatMap((lb) =>
          index
            .targetGroupsOf(lb)
            .filter((group) => placedInZones(group) && zonesWithoutHealthyTarget(zonesOf(lb), targetEndpointsOfGroup(index, group)).length > 0)
            .map((group) => group.arn),
        ),
  },
  check({ scope, index }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      const checks = crossZoneChecks(index, lb);
      // Index loop: it runs for every load balancer, mostly before it is optimised, where for-of allocates per element.
      for (let c = 0; c < checks.length; c++) {
        const check = checks[c] as CrossZoneCheck;
        if (check.crossZone || !placedInZones(check.group)) continue;
        const zones = zonesOf(lb);
        const healthy = check.endpoints.filter((e) => e.healthState === 'healthy');
        const unplaced = healthy.filter((e) => e.zone === undefined);
        for (const zone of zonesWithoutHealthyTarget(zones, check.endpoints)) {
          const inZone = check.endpoints.filter((e) => e.zone === zone);
          const owner = check.group ? `target group ${check.group.name} has` : 'it has';
          const subject = `${describeLoadBalancer(lb)} routes ${zone} traffic only to ${zone} targets (cross-zone off) but ${owner} no healthy target there`;
          const evidence = {
            availabilityZone: zone,
            targetGroupArn: check.group?.arn,
            crossZoneEnabled: false,
            crossZoneSource: check.crossZoneSource,
            targetsInZone: inZone.map((e) => ({ id: e.targetId, state: e.healthState, zoneSource: zoneSourceOf(e) })),
            healthyTargetsByZone: Object.fromEntries(zones.map((z) => [z, healthy.filter((e) => e.zone === z).map((e) => e.targetId)])),
            healthyTargetsWithUnknownZone: unplaced.map((e) => ({ id: e.targetId, why: zoneSourceOf(e) })),
          };
          const discriminator = `${zone}:${check.group?.arn ?? 'instances'}`;
          const fix = crossZoneFix(lb, check.group, zone);
          const subnetIds = lb.availabilityZones.flatMap((z) => (z.zoneName === zone && z.subnetId ? [z.subnetId] : []));
          const related = {
            loadBalancerArn: lb.arn,
            subnetIds,
            ...(check.group && { targetGroupArns: [check.group.arn] }),
            instanceIds: inZone.flatMap((e) => (e.kind === 'instance' ? [e.targetId] : [])),
          };
          if (unplaced.length > 0) {
            findings.push({
              resource: loadBalancerResource(lb, scope),
              message: flat(`${subject} that lbcheck can place, and the AZ of ${unplaced.length} healthy target(s) is unknown (${unplaced[0] && zoneSourceOf(unplaced[0])}); if none of them is in ${zone}, ${DNS_BEHAVIOUR}.`),
              fix,
              related,
              evidence,
              discriminator,
              severity: 'warning',
            });
            continue;
          }
          findings.push({
            resource: loadBalancerResource(lb, scope),
            message: flat(`${subject} (${inZone.length === 0 ? 'none registered' : `${inZone.length} registered, none healthy`}): ${DNS_BEHAVIOUR}.`),
            fix,
            related,
            evidence,
            discriminator,
            severity: undefined,
          });
        }
      }
    }
    return findings;
  },
});
