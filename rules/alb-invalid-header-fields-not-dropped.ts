import { describeLoadBalancer, loadBalancerResource } from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { flat } from '../src/engine/text.js';

export default defineRule({
  meta: {
    id: 'alb-invalid-header-fields-not-dropped',
    title: 'ALB forwards HTTP headers with invalid names to its targets',
    defaultSeverity: 'info',
    category: 'security',
    source: 'config',
    requires: ['loadBalancerAttributes'],
    appliesTo: ['application'],
    description:
      'Reports each Application Load Balancer whose routing.http.drop_invalid_header_fields.enabled is false (AWS default: false). When the attributes could not be read, nothing is reported.',
    rationale:
      'Header names with characters outside letters, digits and hyphens (for example `X_Forwarded_For` or a name with a space) are read differently by different servers: some normalise `_` to `-`, some drop the header, some keep it. An attacker uses that to slip a header past the load balancer that the application then trusts (a spoofed client address or identity header), or to set up request smuggling. Dropping them at the ALB removes the ambiguity.',
    remediation: {
      text: 'Turn on dropping of invalid header fields (check first that no client sends headers with underscores your application needs).',
      cli: 'aws elbv2 modify-load-balancer-attributes --load-balancer-arn arn:aws:elasticloadbalancing:...:loadbalancer/app/web/0123 --attributes Key=routing.http.drop_invalid_header_fields.enabled,Value=true',
      iac: 'resource "aws_lb" "web" {\n  drop_invalid_header_fields = true\n}',
    },
    references: [
      { title: 'Application Load Balancer attributes: drop invalid header fields', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#load-balancer-attributes' },
    ],
  },
  check({ scope }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      if (lb.kind !== 'application' || lb.attributes.dropInvalidHeaderFields !== false) continue;
      findings.push({
        resource: loadBalancerResource(lb, scope),
        message: flat(`${describeLoadBalancer(lb)} forwards headers with invalid names (such as X_Forwarded_For), which targets may read as trusted headers.`),
        fix: flat(`Drop them: aws elbv2 modify-load-balancer-attributes --load-balancer-arn ${lb.arn} --attributes Key=routing.http.drop_invalid_header_fields.enabled,Value=true.`),
        related: { loadBalancerArn: lb.arn },
        evidence: { dropInvalidHeaderFields: false, attribute: 'routing.http.drop_invalid_header_fields.enabled' },
        discriminator: undefined,
        severity: undefined,
      });
    }
    return findings;
  },
});
