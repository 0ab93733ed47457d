import rule, { daysLeft } from '../../../rules/certificate-near-expiry.js';
import type { ProbeAttempt, ProbeCertificate } from '../../../src/inventory/probe-report.js';
import { describe, expect, it } from 'vitest';
import { healthyWorld, REGION } from '../../support/fixtures.js';
import { address, ok, probeOf } from '../../support/probe-fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const CHECKED_AT = '2026-12-01T20:00:00.000Z';
const certificate = (notAfter: string, fingerprint = 'AA:BB'): ProbeCertificate => ({ notAfter, fingerprint, subject: 'shop.example.com', checkedAt: CHECKED_AT });
const served = (cert: ProbeCertificate): ProbeAttempt => ({ ...ok(20), certificate: cert });
const A = { az: `${REGION}a`, subnetId: 'subnet-a' };
const B = { az: `${REGION}b`, subnetId: 'subnet-b' };
const world = healthyWorld();

describe('daysLeft', () => {
  it('counts whole days from the handshake to notAfter, negative once expired', () => {
    expect(daysLeft(certificate('2027-01-15T00:00:00.000Z'))).toBe(44);
    expect(daysLeft(certificate('2026-11-30T00:00:00.000Z'))).toBe(-2);
  });
});

ruleTester(rule).run({
  valid: [
    { name: 'a certificate with 89 days left on both addresses', scope: world.scope, probe: probeOf(world.alb, [address('3.1.1.1', [served(certificate('2027-03-01T00:00:00.000Z'))], A), address('3.2.2.2', [served(certificate('2027-03-01T00:00:00.000Z'))], B)]) },
    { name: 'no TLS handshake, no certificate', scope: world.scope, probe: probeOf(world.alb, [address('3.1.1.1', [ok(20)], A)]) },
  ],
  invalid: [
    {
      name: 'a certificate with 20 days left (warning) and one served by another address that expired (error)',
      scope: world.scope,
      probe: probeOf(world.alb, [
        address('3.1.1.1', [served(certificate('2026-12-21T23:00:00.000Z', 'AA:01')), served(certificate('2026-12-21T23:00:00.000Z', 'AA:01'))], A),
        address('3.2.2.2', [served(certificate('2026-11-30T00:00:00.000Z', 'BB:02'))], B),
      ]),
      expect: [
        {
          resourceArn: world.alb.arn,
          messageIncludes: [`The certificate for shop.example.com that ALB web serves on port 443 from IP 3.1.1.1 in ${REGION}a (subnet subnet-a) expires on 2026-12-21, in 20 days`, 'every client fails the TLS handshake'],
          evidence: { notAfter: '2026-12-21T23:00:00.000Z', daysLeft: 20, fingerprint: 'AA:01', addresses: [{ ip: '3.1.1.1' }] },
          discriminator: '443 AA:01',
          severity: 'warning',
        },
        { resourceArn: world.alb.arn, messageIncludes: 'from IP 3.2.2.2 in us-east-1b (subnet subnet-b) expired on 2026-11-30', evidence: { daysLeft: -2 }, severity: 'error' },
      ],
    },
  ],
});
