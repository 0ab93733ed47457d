import { describeLoadBalancer, loadBalancerResource } from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import type { LoadBalancer } from '../src/inventory/model.js';
import { flat } from '../src/engine/text.js';

/**
 * How many AZs a load balancer is enabled in: each named zone once, and a zone whose name could not be
 * read as one of its own. A scan without lists: asked of every load balancer.
 */
function zoneCount(lb: LoadBalancer): number {
  const zones = lb.availabilityZones;
  let count = 0;
  for (let i = 0; i < zones.length; i++) {
    const name = (zones[i] as LoadBalancer['availabilityZones'][number]).zoneName;
    let seen = false;
    for (let j = 0; j < i && name; j++) if ((zones[j] as LoadBalancer['availabilityZones'][number]).zoneName === name) seen = true;
    if (!seen) count++;
  }
  return count;
}

export default defineRule({
  meta: {
    id: 'single-az-load-balancer',
    title: 'Load balancer is enabled in only one Availability Zone',
    defaultSeverity: 'warning',
    category: 'resilience',
    source: 'config',
    appliesTo: ['application', 'network', 'gateway', 'classic'],
    // The zones come with the load balancer; a Classic zone whose subnet was not read still counts as one (below).
    requires: [],
    description:
      'Counts the distinct Availability Zones a load balancer is enabled in and reports the ones with exactly one. (Application Load Balancers need two at creation, but NLBs, GWLBs and Classic LBs can run in one, and an ALB can lose a zone to a deleted subnet.)',
    rationale:
      'With a single AZ, an outage or impairment of that zone takes the whole load balancer down: there is no other node for DNS to fail over to, and zonal shift has nowhere to send traffic.',
    remediation: {
      text: 'Enable the load balancer in at least one more AZ, with a subnet there (and targets registered in that AZ, or cross-zone load balancing on).',
      cli: 'aws elbv2 set-subnets --load-balancer-arn arn:aws:elasticloadbalancing:...:loadbalancer/app/web/0123 --subnets subnet-a subnet-b\naws elb attach-load-balancer-to-subnets --load-balancer-name legacy --subnets subnet-b',
      iac: 'resource "aws_lb" "web" {\n  subnets = [aws_subnet.public_a.id, aws_subnet.public_b.id]\n}',
    },
    references: [
      { title: 'Availability Zones for your Application Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-subnets.html' },
      { title: 'How Elastic Load Balancing works: Availability Zones and load balancer nodes', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html' },
      { title: 'Add an Availability Zone to your Classic Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/enable-disable-az.html' },
    ],
  },
  check({ scope }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      // A zone whose name could not be read (its subnet was not collected) still counts as one AZ of its own:
      // AWS enables a load balancer in at most one subnet per AZ.
      if (zoneCount(lb) !== 1) continue;
      const zones = [...new Set(lb.availabilityZones.flatMap((z) => (z.zoneName ? [z.zoneName] : [])))];
      const zone = zones[0] ?? 'one AZ (its name could not be read)';
      const subnetIds = lb.availabilityZones.flatMap((z) => (z.subnetId ? [z.subnetId] : []));
      findings.push({
        resource: loadBalancerResource(lb, scope),
        message: flat(`${describeLoadBalancer(lb)} is enabled only in ${zone}, so an outage of that AZ takes it down.`),
        fix: flat(
          lb.kind === 'classic'
            ? `Enable it in a second AZ: aws elb attach-load-balancer-to-subnets --load-balancer-name ${lb.name} --subnets <a subnet in another AZ>.`
            : `Enable it in a second AZ: aws elbv2 set-subnets --load-balancer-arn ${lb.arn} --subnets ${[...subnetIds, '<a subnet in another AZ>'].join(' ')}.`,
        ),
        related: { loadBalancerArn: lb.arn, subnetIds },
        evidence: { availabilityZones: zones, subnetIds },
        discriminator: undefined,
        severity: undefined,
      });
    }
    return findings;
  },
});
