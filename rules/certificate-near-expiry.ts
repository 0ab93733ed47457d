import { describeLoadBalancer, loadBalancerResource } from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { locationEvidence, placeOf, probedLoadBalancers, servedCertificates } from '../src/engine/probe-support.js';
import type { ProbeCertificate } from '../src/inventory/probe-report.js';
import { flat } from '../src/engine/text.js';

/** ACM renews its certificates 60 days before expiry; one still served within 30 days was not renewed. */
export const WARN_DAYS = 30;
/** Within a week (or past expiry), clients are about to fail: an error. */
export const ERROR_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Days from the handshake to the certificate's notAfter (negative: already expired). */
export function daysLeft(certificate: ProbeCertificate): number {
  return Math.floor((Date.parse(certificate.notAfter) - Date.parse(certificate.checkedAt)) / DAY_MS);
}

export default defineRule({
  meta: {
    id: 'certificate-near-expiry',
    title: 'A load balancer address serves a certificate that expires soon',
    defaultSeverity: 'warning',
    category: 'reachability',
    source: 'probe',
    requires: [],
    appliesTo: ['application', 'network', 'classic'],
    description: `With --probe, reads the certificate each address of an LB serves in the TLS handshake (HTTPS, TLS and SSL listeners) and compares its notAfter with the time of the handshake: a warning under ${WARN_DAYS} days, an error under ${ERROR_DAYS} days or once expired. Each distinct certificate is reported once per LB and port, with the addresses that serve it. Needs no AWS call: it reads what the probe saw, so it also catches certificates imported into ACM or IAM, which nobody renews automatically.`,
    rationale: `When the certificate expires, every client fails the TLS handshake: browsers show a full-page error, API clients and SDKs refuse to connect. ACM renews its own certificates 60 days before expiry when their DNS validation still works, so a certificate served with less than ${WARN_DAYS} days left is one that will not renew by itself: an imported certificate, or an ACM one whose validation record was removed.`,
    remediation: {
      text: 'Renew or replace the certificate and attach the new one to the listener; for ACM certificates, check why the managed renewal did not happen (the DNS validation CNAME must still exist).',
      cli: 'aws acm describe-certificate --certificate-arn arn:aws:acm:...:certificate/0123 --query Certificate.RenewalSummary\naws elbv2 modify-listener --listener-arn arn:aws:elasticloadbalancing:...:listener/app/web/0123/4567 --certificates CertificateArn=arn:aws:acm:...:certificate/new',
    },
    references: [
      { title: 'Managed renewal for ACM certificates', url: 'https://docs.aws.amazon.com/acm/latest/userguide/managed-renewal.html' },
      { title: 'SSL certificates for your Application Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html' },
    ],
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const { lb, target } of probedLoadBalancers(ctx)) {
      for (const { certificate, addresses } of servedCertificates(target)) {
        const days = daysLeft(certificate);
        if (days >= WARN_DAYS) continue;
        const first = addresses[0];
        const where = addresses.length === 1 && first ? `IP ${first.ip} ${placeOf(first)}` : `${addresses.length} addresses (${addresses.map((a) => a.ip).join(', ')})`;
        const when = days < 0 ? `expired on ${certificate.notAfter.slice(0, 10)}` : `expires on ${certificate.notAfter.slice(0, 10)}, in ${days} day${days === 1 ? '' : 's'}`;
        findings.push({
          resource: loadBalancerResource(lb, ctx.scope),
          message: flat(`The certificate ${certificate.subject ? `for ${certificate.subject} ` : ''}that ${describeLoadBalancer(lb)} serves on port ${target.port} from ${where} ${when}, after which every client fails the TLS handshake.`),
          fix: 'Renew it and attach the new certificate to the listener.',
          related: { loadBalancerArn: lb.arn },
          evidence: {
            host: target.host,
            port: target.port,
            notAfter: certificate.notAfter,
            daysLeft: days,
            fingerprint: certificate.fingerprint,
            ...(certificate.subject && { subject: certificate.subject }),
            addresses: addresses.map(locationEvidence),
          },
          discriminator: `${target.port} ${certificate.fingerprint}`,
          severity: days < ERROR_DAYS ? 'error' : 'warning',
        });
      }
    }
    return findings;
  },
});
