import { describeLoadBalancer, loadBalancerResource } from '../src/engine/targets.js';
import { isTlsListener } from '../src/engine/tls.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { flat } from '../src/engine/text.js';

/**
 * AWS's current recommendation for ALB and NLB listeners: "AWS recommends implementing the new
 * post-quantum TLS (PQ-TLS) based security policy ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 or
 * ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09 ... You can progressively migrate to more restrictive
 * security policies" (describe-ssl-policies.html), so the stricter PQ policies of the same release
 * (TLS 1.3 only, and the restricted FIPS variant) count as well.
 */
export const RECOMMENDED_POLICIES: readonly string[] = [
  'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09',
];

export default defineRule({
  meta: {
    id: 'tls-listener-policy-not-recommended',
    title: "TLS listener does not use one of AWS's currently recommended security policies",
    defaultSeverity: 'info',
    category: 'security',
    source: 'config',
    requires: ['listeners'],
    appliesTo: ['application', 'network'],
    description: `Reports each HTTPS (ALB) or TLS (NLB) listener whose security policy is not one AWS currently recommends: ${RECOMMENDED_POLICIES.join(', ')} (AWS recommends the first two; the others are the stricter policies of the same release it says to migrate to as clients allow). Needs no AWS call beyond the listener. Classic LBs have no post-quantum policies and are not checked; tls-listener-weak-policy checks them for old protocols and weak ciphers.`,
    rationale:
      'A policy that is not weak today still misses what AWS has added since: hybrid post-quantum key exchange (ML-KEM) against "record now, decrypt later", TLS 1.3, and the removal of ciphers as they age. Staying on the recommended policy is how a listener keeps up without anyone tracking cipher lists.',
    remediation: {
      text: 'Switch the listener to ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 (or ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09 where FIPS is required); check first that your oldest clients speak TLS 1.2.',
      cli: 'aws elbv2 modify-listener --listener-arn arn:aws:elasticloadbalancing:...:listener/app/web/0123/4567 --ssl-policy ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
      iac: 'resource "aws_lb_listener" "https" {\n  ssl_policy = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"\n}',
    },
    references: [
      { title: 'Security policies for your Application Load Balancer ("AWS recommends ...")', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html' },
      { title: 'Security policies for your Network Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html' },
    ],
  },
  check({ scope }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      if (lb.kind !== 'application' && lb.kind !== 'network') continue;
      for (const listener of lb.listeners) {
        if (!isTlsListener(listener) || !listener.sslPolicy || RECOMMENDED_POLICIES.includes(listener.sslPolicy)) continue;
        findings.push({
          resource: loadBalancerResource(lb, scope),
          message: flat(`${describeLoadBalancer(lb)}'s ${listener.protocol} listener on port ${listener.port} uses ${listener.sslPolicy}, not a policy AWS currently recommends.`),
          fix: flat(`Switch to ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09: aws elbv2 modify-listener --listener-arn ${listener.arn ?? 'LISTENER_ARN'} --ssl-policy ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09.`),
          related: { loadBalancerArn: lb.arn },
          evidence: { listenerPort: listener.port, sslPolicy: listener.sslPolicy, recommended: RECOMMENDED_POLICIES.slice(0, 2) },
          discriminator: String(listener.port),
          severity: undefined,
        });
      }
    }
    return findings;
  },
});
