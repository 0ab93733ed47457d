/** Builders for probe results in rule tests: addresses with attempts, and a target for one LB. */
import type { LoadBalancer } from '../../src/inventory/model.js';
import type { ProbeAddress, ProbeAttempt, ProbeReport, ProbeTarget } from '../../src/inventory/probe-report.js';

export const ok = (connectMs: number): ProbeAttempt => ({ outcome: 'ok', connectMs, tlsMs: connectMs + 8, firstByteMs: connectMs + 20, status: 200 });
export const timeout = (): ProbeAttempt => ({ outcome: 'timeout', error: 'no TCP connection within 3000 ms' });
export const refused = (ip: string, port = 443): ProbeAttempt => ({ outcome: 'refused', error: `connect ECONNREFUSED ${ip}:${port}` });

export function address(ip: string, attempts: ProbeAttempt[], where: Partial<ProbeAddress> = {}): ProbeAddress {
  return { ip, family: ip.includes(':') ? 6 : 4, attempts, ...where };
}

export function probeOf(lb: LoadBalancer, addresses: ProbeAddress[], overrides: Partial<ProbeTarget> = {}): ProbeReport {
  return {
    targets: [
      {
        host: lb.dnsName,
        port: 443,
        protocol: 'https',
        loadBalancerArn: lb.arn,
        dns: { server: 'system', ms: 2.5, addresses: addresses.map((a) => a.ip) },
        addresses,
        ...overrides,
      },
    ],
  };
}
