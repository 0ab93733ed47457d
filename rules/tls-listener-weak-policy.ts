import { getOrCreate, TupleMap } from '../src/engine/memo.js';
import { describeLoadBalancer, loadBalancerResource } from '../src/engine/targets.js';
import { isTlsListener, tlsPolicyOf, weaknessesOf } from '../src/engine/tls.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { flat } from '../src/engine/text.js';

/**
 * Why a listener's policy could not be checked, as evidence: the same few for thousands of listeners
 * (no policy named, policies not collected), made once per port, policy and reason and shared by their findings.
 */
function couldNotCheckEvidence(port: number, sslPolicy: string | undefined, reason: string): Record<string, unknown> {
  return getOrCreate(evidenceOfReasons, [port, sslPolicy, reason], reasonEvidence);
}

function reasonEvidence([port, sslPolicy, reason]: ReasonKey): Record<string, unknown> {
  return { listenerPort: port, ...(sslPolicy && { sslPolicy }), couldNotCheck: reason };
}

type ReasonKey = readonly [port: number, sslPolicy: string | undefined, reason: string];
const evidenceOfReasons = new TupleMap<ReasonKey, Record<string, unknown>>();

export default defineRule({
  meta: {
    id: 'tls-listener-weak-policy',
    title: 'TLS listener accepts TLS 1.0/1.1 or weak ciphers',
    defaultSeverity: 'warning',
    category: 'security',
    source: 'config',
    requires: ['listeners', 'tlsPolicies'],
    appliesTo: ['application', 'network', 'classic'],
    description:
      "For each HTTPS or TLS listener (ALB, NLB) and HTTPS or SSL listener (Classic LB), resolves its security policy to the protocols and ciphers it enables (elbv2: DescribeSSLPolicies, one call per region; Classic: the listener's policy from DescribeLoadBalancerPolicies, one call per Classic LB with such a listener, made only when this rule or tls-listener-policy-not-recommended is enabled) and reports a policy that enables SSL 3, TLS 1.0 or TLS 1.1, or a cipher that is broken (RC4, DES/3DES, NULL, EXPORT, MD5) or has no forward secrecy (static RSA key exchange). A policy that could not be resolved is a warning that says so, not a pass.",
    rationale:
      'TLS 1.0 and 1.1 are deprecated (RFC 8996) and fail PCI DSS; broken ciphers can be decrypted, and without forward secrecy anyone who later obtains the private key decrypts every recorded session. A client or attacker that offers only those gets them: the policy, not the client, decides what is allowed. AWS\'s API default for new listeners, ELBSecurityPolicy-2016-08, still allows TLS 1.0.',
    remediation: {
      text: 'Switch the listener to a TLS 1.2+ policy with forward-secret ciphers only, such as ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 (ALB, NLB) or ELBSecurityPolicy-TLS-1-2-2017-01 (Classic: the newest it has).',
      cli: 'aws elbv2 modify-listener --listener-arn arn:aws:elasticloadbalancing:...:listener/app/web/0123/4567 --ssl-policy ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09\naws elb create-load-balancer-policy --load-balancer-name legacy --policy-name tls-1-2 --policy-type-name SSLNegotiationPolicyType --policy-attributes AttributeName=Reference-Security-Policy,AttributeValue=ELBSecurityPolicy-TLS-1-2-2017-01\naws elb set-load-balancer-policies-of-listener --load-balancer-name legacy --load-balancer-port 443 --policy-names tls-1-2',
      iac: 'resource "aws_lb_listener" "https" {\n  ssl_policy = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"\n}',
    },
    references: [
      { title: 'Security policies for your Application Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html' },
      { title: 'Security policies for your Network Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html' },
      { title: 'Predefined SSL security policies for Classic Load Balancers', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-security-policy-table.html' },
      { title: 'RFC 8996: Deprecating TLS 1.0 and TLS 1.1', url: 'https://www.rfc-editor.org/rfc/rfc8996' },
    ],
  },
  check({ scope }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      for (const listener of lb.listeners) {
        if (!isTlsListener(listener)) continue;
        const resolved = tlsPolicyOf(scope, lb, listener);
        const where = `${describeLoadBalancer(lb)}'s ${listener.protocol} listener on port ${listener.port}`;
        if ('unknown' in resolved) {
          findings.push({
            resource: loadBalancerResource(lb, scope),
            message: flat(`lbcheck could not check the TLS versions and ciphers of ${where}: ${resolved.unknown}.`),
            fix: 'If the call named above was denied, grant it and run lbcheck again; otherwise check the listener\'s security policy yourself.',
            related: { loadBalancerArn: lb.arn },
            evidence: couldNotCheckEvidence(listener.port, listener.sslPolicy, resolved.unknown),
            discriminator: String(listener.port),
            severity: 'warning',
          });
          continue;
        }
        const { policy } = resolved;
        const { oldProtocols, weakCiphers } = weaknessesOf(policy);
        if (oldProtocols.length === 0 && weakCiphers.length === 0) continue;
        const problems = [
          ...(oldProtocols.length ? [`accepts ${oldProtocols.join(', ')}`] : []),
          ...(weakCiphers.length ? [`enables ${weakCiphers.length} weak or non-forward-secret cipher${weakCiphers.length === 1 ? '' : 's'} (${weakCiphers.slice(0, 3).join(', ')}${weakCiphers.length > 3 ? ', ...' : ''})`] : []),
        ];
        const fix =
          lb.kind === 'classic'
            ? 'Reference ELBSecurityPolicy-TLS-1-2-2017-01 in a new listener policy (aws elb create-load-balancer-policy, then set-load-balancer-policies-of-listener).'
            : `Switch to ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09: aws elbv2 modify-listener --listener-arn ${listener.arn ?? 'LISTENER_ARN'} --ssl-policy ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09.`;
        findings.push({
          resource: loadBalancerResource(lb, scope),
          message: flat(`${where} uses policy ${policy.referencePolicy ?? policy.name}, which ${problems.join(' and ')}, so clients can be held to encryption that can be broken.`),
          fix,
          related: { loadBalancerArn: lb.arn },
          evidence: { listenerPort: listener.port, sslPolicy: policy.name, ...(policy.referencePolicy && { referencePolicy: policy.referencePolicy }), oldProtocols, weakCiphers },
          discriminator: String(listener.port),
          severity: undefined,
        });
      }
    }
    return findings;
  },
});
