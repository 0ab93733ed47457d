import { describeLoadBalancer, loadBalancerResource } from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { flat } from '../src/engine/text.js';

export default defineRule({
  meta: {
    id: 'desync-mitigation-monitor',
    title: 'Desync mitigation only monitors: requests that can smuggle another request are forwarded',
    defaultSeverity: 'warning',
    category: 'security',
    source: 'config',
    requires: ['loadBalancerAttributes'],
    appliesTo: ['application', 'classic'],
    description:
      "Reports each ALB whose routing.http.desync_mitigation_mode is monitor, and each Classic LB whose elb.http.desyncmitigationmode is monitor (AWS default for both: defensive). When the attributes could not be read or AWS did not return the attribute, AWS's default (defensive) stands and nothing is reported.",
    rationale:
      'HTTP desync (request smuggling) uses a request that the load balancer and the target parse differently, so a second, hidden request reaches the target as if it came from the next client: it can bypass authentication rules, poison caches and steal other users\' responses. In monitor mode the load balancer forwards every such ambiguous request and only counts it; defensive mode (the default) and strictest mode block the dangerous ones.',
    remediation: {
      text: 'Set the mode to defensive (or strictest, when your clients send only RFC 7230-compliant requests).',
      cli: 'aws elbv2 modify-load-balancer-attributes --load-balancer-arn arn:aws:elasticloadbalancing:...:loadbalancer/app/web/0123 --attributes Key=routing.http.desync_mitigation_mode,Value=defensive\naws elb modify-load-balancer-attributes --load-balancer-name legacy --load-balancer-attributes "{\\"AdditionalAttributes\\":[{\\"Key\\":\\"elb.http.desyncmitigationmode\\",\\"Value\\":\\"defensive\\"}]}"',
      iac: 'resource "aws_lb" "web" {\n  desync_mitigation_mode = "defensive"\n}',
    },
    references: [
      { title: 'Application Load Balancers: desync mitigation mode', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#desync-mitigation-mode' },
      { title: 'Configure desync mitigation mode for your Classic Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/config-desync-mitigation-mode.html' },
    ],
  },
  check({ scope }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      if (lb.attributes.desyncMitigationMode !== 'monitor') continue;
      const fix =
        lb.kind === 'classic'
          ? `aws elb modify-load-balancer-attributes --load-balancer-name ${lb.name} --load-balancer-attributes AdditionalAttributes=[{Key=elb.http.desyncmitigationmode,Value=defensive}]`
          : `aws elbv2 modify-load-balancer-attributes --load-balancer-arn ${lb.arn} --attributes Key=routing.http.desync_mitigation_mode,Value=defensive`;
      findings.push({
        resource: loadBalancerResource(lb, scope),
        message: flat(`${describeLoadBalancer(lb)} only monitors HTTP desync, so requests that smuggle a second request reach its targets.`),
        fix: flat(`Set the mode to defensive: ${fix}.`),
        related: { loadBalancerArn: lb.arn },
        evidence: { desyncMitigationMode: 'monitor', attribute: lb.kind === 'classic' ? 'elb.http.desyncmitigationmode' : 'routing.http.desync_mitigation_mode' },
        discriminator: undefined,
        severity: undefined,
      });
    }
    return findings;
  },
});
