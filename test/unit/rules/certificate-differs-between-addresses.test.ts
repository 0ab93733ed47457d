import rule from '../../../rules/certificate-differs-between-addresses.js';
import type { ProbeAttempt, ProbeCertificate } from '../../../src/inventory/probe-report.js';
import { healthyWorld } from '../../support/fixtures.js';
import { address, ok, probeOf } from '../../support/probe-fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const certificate = (fingerprint: string, notAfter: string): ProbeCertificate => ({ fingerprint, notAfter, subject: 'shop.example.com', checkedAt: '2026-12-01T20:00:00.000Z' });
const NEW = certificate('AA:01', '2027-06-01T00:00:00.000Z');
const OLD = certificate('BB:02', '2026-12-20T00:00:00.000Z');
const served = (cert: ProbeCertificate): ProbeAttempt => ({ ...ok(20), certificate: cert });
const world = healthyWorld();

ruleTester(rule).run({
  valid: [
    { name: 'every address serves the same certificate', scope: world.scope, probe: probeOf(world.alb, [address('3.1.1.1', [served(NEW)]), address('3.2.2.2', [served(NEW), served(NEW)])]) },
    { name: 'one address only', scope: world.scope, probe: probeOf(world.alb, [address('3.1.1.1', [served(NEW)])]) },
  ],
  invalid: [
    {
      name: 'two addresses serve the new certificate, one the old',
      scope: world.scope,
      probe: probeOf(world.alb, [address('3.1.1.1', [served(NEW)]), address('3.2.2.2', [served(NEW)]), address('3.3.3.3', [served(OLD)])]),
      expect: [
        {
          resourceArn: world.alb.arn,
          messageIncludes: [
            `The addresses of ALB web (${world.alb.dnsName}) serve 2 different certificates on port 443`,
            '3.1.1.1, 3.2.2.2 serve shop.example.com until 2027-06-01; 3.3.3.3 serves shop.example.com until 2026-12-20',
          ],
          evidence: { port: 443, certificates: [{ fingerprint: 'AA:01', addresses: ['3.1.1.1', '3.2.2.2'] }, { fingerprint: 'BB:02', addresses: ['3.3.3.3'] }] },
          discriminator: '443',
        },
      ],
    },
  ],
});
