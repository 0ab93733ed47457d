import { describeLoadBalancer, loadBalancerResource } from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { flat } from '../src/engine/text.js';

/** A tag on the load balancer that declares its plain-HTTP listeners intentional; its value says why. */
export const ALLOW_HTTP_TAG = 'lbcheck:allow-http';

export default defineRule({
  meta: {
    id: 'http-listener-without-https-redirect',
    title: 'HTTP listener serves plain HTTP instead of redirecting to HTTPS',
    defaultSeverity: 'warning',
    category: 'security',
    source: 'config',
    requires: ['listeners', 'tags'],
    appliesTo: ['application', 'classic'],
    description: `Reports each HTTP listener of an ALB whose default action is not a redirect to HTTPS, and each HTTP listener of a Classic LB (which cannot redirect). A load balancer tagged ${ALLOW_HTTP_TAG} (the value says why, e.g. "ACME HTTP-01 challenges" or "internal health endpoint") declares its HTTP listeners intentional and is not reported; a single finding can also be accepted with an ignore entry in .lbcheck.yml.`,
    rationale:
      'Plain HTTP sends requests, cookies and credentials readable and changeable by anyone on the path (a café Wi-Fi, a compromised router). Clients that type the bare domain, or follow an old http:// link, land on it unless the listener redirects them to HTTPS (HTTP 301), after which HSTS keeps them there.',
    remediation: {
      text: `Make the HTTP listener's default action a redirect to HTTPS on 443 (ALB), or move the Classic LB's clients to an HTTPS listener; or tag the load balancer ${ALLOW_HTTP_TAG}=REASON when plain HTTP is intended.`,
      cli: `aws elbv2 modify-listener --listener-arn arn:aws:elasticloadbalancing:...:listener/app/web/0123/4567 --default-actions 'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}'\naws elbv2 add-tags --resource-arns arn:aws:elasticloadbalancing:...:loadbalancer/app/web/0123 --tags Key=${ALLOW_HTTP_TAG},Value="ACME HTTP-01 challenges"`,
      iac: 'resource "aws_lb_listener" "http" {\n  port     = 80\n  protocol = "HTTP"\n  default_action {\n    type = "redirect"\n    redirect {\n      port        = "443"\n      protocol    = "HTTPS"\n      status_code = "HTTP_301"\n    }\n  }\n}',
    },
    references: [
      { title: 'Listener rules for your Application Load Balancer: redirect actions', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-action-types.html#redirect-actions' },
      { title: 'Listeners for your Classic Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-listener-config.html' },
    ],
  },
  check({ scope }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      if (lb.kind !== 'application' && lb.kind !== 'classic') continue;
      if (lb.tags[ALLOW_HTTP_TAG]?.trim()) continue;
      for (const listener of lb.listeners) {
        if (listener.protocol !== 'HTTP' || listener.redirectsToHttps) continue;
        const fix =
          lb.kind === 'classic'
            ? 'A Classic LB cannot redirect: serve clients on an HTTPS listener (or an ALB that redirects)'
            : `Make its default action a redirect: aws elbv2 modify-listener --listener-arn ${listener.arn ?? 'LISTENER_ARN'} --default-actions Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}`;
        findings.push({
          resource: loadBalancerResource(lb, scope),
          message: flat(`${describeLoadBalancer(lb)} serves plain HTTP on port ${listener.port} without redirecting to HTTPS, so requests and cookies travel unencrypted.`),
          fix: flat(`${fix}, or tag it ${ALLOW_HTTP_TAG}=REASON if that is intended.`),
          related: { loadBalancerArn: lb.arn },
          evidence: { listenerPort: listener.port, protocol: 'HTTP', ...(listener.arn && { listenerArn: listener.arn }), redirectsToHttps: false },
          discriminator: String(listener.port),
          severity: undefined,
        });
      }
    }
    return findings;
  },
});
