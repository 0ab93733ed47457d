import { describeLoadBalancer, loadBalancerResource } from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { probedLoadBalancers, servedCertificates } from '../src/engine/probe-support.js';
import { flat } from '../src/engine/text.js';

export default defineRule({
  meta: {
    id: 'certificate-differs-between-addresses',
    title: 'Addresses of the same load balancer serve different certificates',
    defaultSeverity: 'warning',
    category: 'reachability',
    source: 'probe',
    requires: [],
    appliesTo: ['application', 'network', 'classic'],
    description:
      'With --probe, compares the certificates (by SHA-256 fingerprint) that the addresses of one LB name serve on one port, with the same SNI name, and reports when they differ. Needs no AWS call.',
    rationale:
      "Every node of a load balancer should present the same certificate for the same name. When one does not, that node is out of step: a certificate rotation that reached only some nodes, or DNS that points some clients at an old load balancer or a different endpoint. Clients that resolve that address get a different (older, soon to expire, or wrong-name) certificate, and the failures look random because they follow DNS.",
    remediation: {
      text: 'Find which addresses serve which certificate (the evidence lists them): check that every DNS record for the name points at this load balancer only, and re-apply the listener certificate if a rotation did not reach every node.',
      cli: 'lbcheck probe NAME --port 443 --format json\naws elbv2 describe-listener-certificates --listener-arn arn:aws:elasticloadbalancing:...:listener/app/web/0123/4567',
    },
    references: [
      { title: 'SSL certificates for your Application Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html' },
      { title: 'How Elastic Load Balancing works: load balancer nodes and DNS', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html' },
    ],
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const { lb, target } of probedLoadBalancers(ctx)) {
      const served = servedCertificates(target).map(({ certificate, addresses }) => ({ certificate, ips: addresses.map((address) => address.ip) }));
      if (served.length < 2) continue;
      const certificates = served.sort((a, b) => b.ips.length - a.ips.length || a.certificate.fingerprint.localeCompare(b.certificate.fingerprint));
      const summary = certificates.map(({ certificate, ips }) => `${ips.join(', ')} serve${ips.length === 1 ? 's' : ''} ${certificate.subject ?? 'a certificate'} until ${certificate.notAfter.slice(0, 10)}`).join('; ');
      findings.push({
        resource: loadBalancerResource(lb, ctx.scope),
        message: flat(`The addresses of ${describeLoadBalancer(lb)} (${target.host}) serve ${served.length} different certificates on port ${target.port} (${summary}), so clients get one or the other depending on DNS.`),
        fix: 'Check that every DNS record points at this load balancer and re-apply the listener certificate.',
        related: { loadBalancerArn: lb.arn },
        evidence: {
          host: target.host,
          port: target.port,
          certificates: certificates.map(({ certificate, ips }) => ({ fingerprint: certificate.fingerprint, subject: certificate.subject, notAfter: certificate.notAfter, addresses: ips })),
        },
        discriminator: String(target.port),
        severity: undefined,
      });
    }
    return findings;
  },
});
