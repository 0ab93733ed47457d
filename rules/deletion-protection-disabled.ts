import { describeLoadBalancer, loadBalancerResource } from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { flat } from '../src/engine/text.js';

export default defineRule({
  meta: {
    id: 'deletion-protection-disabled',
    title: 'Load balancer can be deleted without turning deletion protection off first',
    defaultSeverity: 'info',
    category: 'operations',
    source: 'config',
    requires: ['loadBalancerAttributes'],
    appliesTo: ['application', 'network', 'gateway'],
    description:
      'Reports each Application, Network and Gateway Load Balancer whose deletion_protection.enabled attribute is false (AWS default: false). Classic LBs have no such attribute and are not checked. When the attributes could not be read, nothing is reported (a notChecked entry says why).',
    rationale:
      'A load balancer is the DNS name every client and CNAME points at. Deleted by a stray `terraform destroy`, a cleanup script or a click, it cannot be restored: a new one gets a new DNS name and new addresses, so every record pointing at it breaks until someone updates them. Deletion protection makes the delete fail until the attribute is turned off on purpose.',
    remediation: {
      text: 'Turn deletion protection on.',
      cli: 'aws elbv2 modify-load-balancer-attributes --load-balancer-arn arn:aws:elasticloadbalancing:...:loadbalancer/app/web/0123 --attributes Key=deletion_protection.enabled,Value=true',
      iac: 'resource "aws_lb" "web" {\n  enable_deletion_protection = true\n}',
    },
    references: [
      { title: 'Application Load Balancers: deletion protection', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#deletion-protection' },
      { title: 'Network Load Balancers: deletion protection', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-load-balancer-attributes.html#deletion-protection' },
    ],
  },
  check({ scope }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      if (lb.kind === 'classic' || lb.attributes.deletionProtection !== false) continue;
      findings.push({
        resource: loadBalancerResource(lb, scope),
        message: flat(`${describeLoadBalancer(lb)} has deletion protection off, so one mistaken delete removes its DNS name for good.`),
        fix: flat(`Turn it on: aws elbv2 modify-load-balancer-attributes --load-balancer-arn ${lb.arn} --attributes Key=deletion_protection.enabled,Value=true.`),
        related: { loadBalancerArn: lb.arn },
        evidence: { deletionProtection: false, attribute: 'deletion_protection.enabled' },
        discriminator: undefined,
        severity: undefined,
      });
    }
    return findings;
  },
});
