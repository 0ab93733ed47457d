import { healthChecksOf } from '../src/engine/health-checks.js';
import { getOrCreate } from '../src/engine/memo.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { flat } from '../src/engine/text.js';

/** The parts of an elbv2 success-code matcher ("200", "200,302", "200-499") that accept a 4xx or 5xx answer, as written. */
export function acceptedErrorCodes(matcher: string): string[] {
  return matcher
    .split(',')
    .map((part) => part.trim())
    .filter((part) => {
      const [from, to] = part.split('-').map(Number);
      return Number.isFinite(from) && Math.max(from ?? 0, to ?? from ?? 0) >= 400;
    });
}

// Thousands of target groups share a few matchers ("200", "200-299"): each one is read once (read the list, never change it).
const acceptedByMatcher = new Map<string, string[]>();

export default defineRule({
  meta: {
    id: 'health-check-matcher-accepts-errors',
    title: 'Health check counts an HTTP error answer as healthy',
    defaultSeverity: 'warning',
    category: 'resilience',
    source: 'config',
    requires: ['targetGroups'],
    appliesTo: ['application', 'network'],
    description:
      'For each HTTP or HTTPS health check of a target group some load balancer forwards to, reports a success-code matcher that accepts a 4xx or 5xx status (for example 200-499, or 404). gRPC matchers and Classic LBs (which accept 200 only) are not checked.',
    rationale:
      'A health check that accepts error statuses cannot fail a broken application: a target whose routes are gone (404), whose authentication is broken (401/403) or that fails every request (5xx) stays healthy and keeps its share of traffic, and the load balancer never moves clients to the targets that work.',
    remediation: {
      text: 'Point the health check at a path that answers 200 when the application works (and an error when it does not), and accept only 2xx (or 2xx and 3xx).',
      cli: 'aws elbv2 modify-target-group --target-group-arn arn:aws:elasticloadbalancing:...:targetgroup/web/0123 --health-check-path /health --matcher HttpCode=200-299',
      iac: 'resource "aws_lb_target_group" "web" {\n  health_check {\n    path    = "/health"\n    matcher = "200-299"\n  }\n}',
    },
    references: [
      { title: 'Health checks for Application Load Balancer target groups: success codes', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html#health-check-settings' },
      { title: 'Matcher (Elastic Load Balancing API Reference)', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Matcher.html' },
    ],
  },
  check({ scope }) {
    const findings: RuleFinding[] = [];
    for (const check of healthChecksOf(scope)) {
      if (!check.matcher || (check.protocol !== 'HTTP' && check.protocol !== 'HTTPS')) continue;
      const accepted = getOrCreate(acceptedByMatcher, check.matcher, acceptedErrorCodes);
      if (accepted.length === 0) continue;
      findings.push({
        resource: check.resource,
        message: flat(`The health check of ${check.subject} counts ${accepted.join(', ')} as healthy (matcher ${check.matcher}), so a broken application stays in service.`),
        fix: flat(`Accept only success codes: ${check.modifyCommand} --matcher HttpCode=200-299.`),
        related: check.related,
        evidence: { matcher: check.matcher, acceptedErrorCodes: accepted, ...(check.loadBalancerArn && { loadBalancerArn: check.loadBalancerArn }) },
        discriminator: undefined,
        severity: undefined,
      });
    }
    return findings;
  },
});
