import { crossZoneChecks, describeLoadBalancer, loadBalancerResource, targetGroupResource } from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { flat } from '../src/engine/text.js';

const NLB_COST_NOTE = 'for NLBs and GWLBs, traffic that then crosses AZs is billed as inter-AZ data transfer';

export default defineRule({
  meta: {
    id: 'cross-zone-load-balancing-disabled',
    title: 'Cross-zone load balancing is off',
    defaultSeverity: 'info',
    category: 'resilience',
    source: 'config',
    requires: ['listeners', 'targetGroups', 'loadBalancerAttributes', 'targetGroupAttributes'],
    appliesTo: ['application', 'network', 'gateway', 'classic'],
    description:
      "Reports where cross-zone load balancing is off: a Network or Gateway Load Balancer whose attribute load_balancing.cross_zone.enabled is false (AWS default) for at least one of its target groups (a target group can turn it on for itself), a Classic LB whose CrossZoneLoadBalancing is off (default off when created with the API or CLI), and an ALB target group that turns it off (an ALB has it always on at the LB level). When the attributes could not be read, nothing is reported. az-without-healthy-targets and uneven-az-capacity report the outages this causes; this rule reports the setting.",
    rationale:
      "With cross-zone off, each load balancer node sends its share of clients (DNS spreads them evenly over the AZs) only to targets in its own AZ. An AZ with fewer targets gets the same traffic as the others, so its targets run hotter, and an AZ that loses its targets fails its clients until DNS moves them. Turning it on spreads every request over all healthy targets; for NLBs and GWLBs it costs inter-AZ data transfer, which is why it is off by default there and why this is only information.",
    remediation: {
      text: `Turn cross-zone load balancing on (${NLB_COST_NOTE}), or keep targets evenly spread over every enabled AZ.`,
      cli: 'aws elbv2 modify-load-balancer-attributes --load-balancer-arn arn:aws:elasticloadbalancing:...:loadbalancer/net/edge/0123 --attributes Key=load_balancing.cross_zone.enabled,Value=true\naws elb modify-load-balancer-attributes --load-balancer-name legacy --load-balancer-attributes "{\\"CrossZoneLoadBalancing\\":{\\"Enabled\\":true}}"',
      iac: 'resource "aws_lb" "edge" {\n  enable_cross_zone_load_balancing = true\n}',
    },
    references: [
      { title: 'How Elastic Load Balancing works: cross-zone load balancing', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html#cross-zone-load-balancing' },
      { title: 'Network Load Balancers: cross-zone load balancing (and its data transfer charges)', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-load-balancer-attributes.html#cross-zone-load-balancing' },
      { title: 'Configure cross-zone load balancing for your Classic Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/enable-disable-crosszone-lb.html' },
    ],
  },
  // It reports the setting itself: every target group of an ALB, NLB or GWLB may override it.
  needs: {
    targetGroupAttributes: ({ scope, index }) =>
      scope.loadBalancers.filter((lb) => lb.kind !== 'classic').flatMap((lb) => index.targetGroupsOf(lb).map((group) => group.arn)),
  },
  check({ scope, index }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      const off = crossZoneChecks(index, lb).filter((check) => !check.crossZone);
      if (off.length === 0) continue;
      if (lb.kind === 'application') {
        // An ALB has cross-zone on; only target groups that turn it off for themselves.
        for (const { group, crossZoneSource } of off) {
          if (!group) continue;
          findings.push({
            resource: targetGroupResource(group, scope),
            message: flat(`Target group ${group.name} of ${describeLoadBalancer(lb)} turns cross-zone load balancing off, so each AZ's clients reach only that AZ's targets.`),
            fix: flat(`Turn it back on: aws elbv2 modify-target-group-attributes --target-group-arn ${group.arn} --attributes Key=load_balancing.cross_zone.enabled,Value=use_load_balancer_configuration.`),
            related: { loadBalancerArn: lb.arn, targetGroupArns: [group.arn] },
            evidence: { crossZoneEnabled: false, crossZoneSource, loadBalancerArn: lb.arn },
            discriminator: undefined,
            severity: undefined,
          });
        }
        continue;
      }
      const fix =
        lb.kind === 'classic'
          ? `aws elb modify-load-balancer-attributes --load-balancer-name ${lb.name} --load-balancer-attributes CrossZoneLoadBalancing={Enabled=true}`
          : `aws elbv2 modify-load-balancer-attributes --load-balancer-arn ${lb.arn} --attributes Key=load_balancing.cross_zone.enabled,Value=true (${NLB_COST_NOTE})`;
      findings.push({
        resource: loadBalancerResource(lb, scope),
        message: flat(`${describeLoadBalancer(lb)} has cross-zone load balancing off, so each AZ's clients reach only that AZ's targets.`),
        fix: flat(`Turn it on: ${fix}.`),
        related: { loadBalancerArn: lb.arn, targetGroupArns: off.flatMap((check) => (check.group ? [check.group.arn] : [])) },
        evidence: {
          crossZoneEnabled: false,
          crossZoneSource: off[0]?.crossZoneSource,
          targetGroupArns: off.flatMap((check) => (check.group ? [check.group.arn] : [])),
        },
        discriminator: undefined,
        severity: undefined,
      });
    }
    return findings;
  },
});
