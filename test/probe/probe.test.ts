/**
 * The probe against real sockets on loopback: a real UDP DNS server, and behind the
 * addresses it returns, servers that accept, refuse, hang, serve TLS, or answer 503.
 */
import { X509Certificate } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseDnsServer, resolveHost } from '../../src/probe/dns.js';
import { classifyError, probeAttempt } from '../../src/probe/connect.js';
import { defaultProtocol, probeTargets } from '../../src/probe/probe.js';
import type { ProbeAddress, ProbeReport } from '../../src/inventory/probe-report.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import {
  closeAll,
  selfSignedCertificate,
  sharedFreePort,
  startHangingListeners,
  startHttpServer,
  startResettingServer,
  Barrier,
  type Closable,
  type TestHttpServer,
} from '../support/net-servers.js';

const OK = '127.0.0.2';
const REFUSED = '127.0.0.3';
const HANGING = '127.0.0.4';
const TLS = '127.0.0.5';
const FAILING = '127.0.0.6';
const RESETTING = '127.0.0.7';
const FLAKY = '127.0.0.8';
const MANY_OK = Array.from({ length: 10 }, (_, i) => `127.0.1.${i + 1}`);
const MANY_REFUSED = Array.from({ length: 10 }, (_, i) => `127.0.1.${i + 11}`);
const MANY_HANGING = Array.from({ length: 10 }, (_, i) => `127.0.1.${i + 21}`);
const TIMEOUT_MS = 1000;
const manyBarrier = new Barrier(MANY_OK.length * 3);

let dns: TestDnsServer;
let port: number;
let okServer: TestHttpServer;
let ipv6Server: TestHttpServer | undefined;
let tlsCertificate: { key: string; cert: string };
const servers: Closable[] = [];

beforeAll(async () => {
  port = await sharedFreePort([OK, REFUSED, HANGING, TLS, FAILING, RESETTING, FLAKY, ...MANY_OK, ...MANY_REFUSED, ...MANY_HANGING]);
  okServer = await startHttpServer(OK, port);
  servers.push(okServer);
  try {
    ipv6Server = await startHttpServer('::1', port);
    servers.push(ipv6Server);
  } catch {
    ipv6Server = undefined; // no IPv6 loopback on this machine: the AAAA record is left out
  }
  tlsCertificate = selfSignedCertificate('secure.test');
  servers.push(await startHttpServer(TLS, port, { certificate: tlsCertificate }));
  servers.push(await startHttpServer(FAILING, port, { status: 503 }));
  servers.push(await startResettingServer(RESETTING, port));
  servers.push(await startResettingServer(FLAKY, port, 2));
  // They answer only once every attempt on every one of them has arrived (10 addresses × 3 attempts).
  for (const ip of MANY_OK) servers.push(await startHttpServer(ip, port, { barrier: manyBarrier }));
  servers.push(await startHangingListeners([HANGING, ...MANY_HANGING], port));
  dns = await startDnsServer({
    a: {
      'web.test': [OK, REFUSED, HANGING],
      'secure.test': [TLS],
      'other-name.test': [TLS],
      'failing.test': [FAILING],
      'flaky.test': [FLAKY],
      'many.test': [...MANY_OK, ...MANY_REFUSED, ...MANY_HANGING],
    },
    aaaa: ipv6Server ? { 'web.test': ['::1'] } : {},
    cname: { 'www.example.test': 'edge.example.test', 'edge.example.test': 'web.test' },
    servfail: ['broken.test'],
    silent: ['silent.test'],
    ttl: 42,
  });
});

afterAll(async () => {
  await closeAll([...servers, dns]);
});

const server = () => parseDnsServer(dns.address);
const byIp = (addresses: readonly ProbeAddress[]) => new Map(addresses.map((address) => [address.ip, address]));

describe('parseDnsServer', () => {
  it('accepts IPv4, IPv4:port, IPv6 and [IPv6]:port', () => {
    expect(parseDnsServer('10.0.0.2')).toEqual({ address: '10.0.0.2:53', display: '10.0.0.2' });
    expect(parseDnsServer('127.0.0.1:5353')).toEqual({ address: '127.0.0.1:5353', display: '127.0.0.1:5353' });
    expect(parseDnsServer('::1')).toEqual({ address: '[::1]:53', display: '::1' });
    expect(parseDnsServer('[::1]:5353')).toEqual({ address: '[::1]:5353', display: '[::1]:5353' });
  });

  it('rejects names, bad ports and garbage with a usage error', () => {
    for (const bad of ['dns.google', '1.2.3.4:0', '1.2.3.4:70000', '1.2.3', '[::1]:x', '']) {
      expect(() => parseDnsServer(bad), bad).toThrow(/--dns-server must be an IP address/);
    }
  });
});

describe('resolveHost', () => {
  it('returns every A and AAAA record with its TTL', async () => {
    const result = await resolveHost('web.test', { server: server(), timeoutMs: TIMEOUT_MS });
    const expected = ipv6Server ? [OK, REFUSED, HANGING, '::1'] : [OK, REFUSED, HANGING];
    expect(result.addresses).toEqual(expected);
    expect(result.ttl).toEqual(Object.fromEntries(expected.map((ip) => [ip, 42])));
    expect(result.server).toBe(dns.address);
    expect(result.error).toBeUndefined();
    expect(result.ms).toBeGreaterThanOrEqual(0);
  });

  it('follows a CNAME chain and reports it', async () => {
    const result = await resolveHost('www.example.test', { server: server(), timeoutMs: TIMEOUT_MS });
    expect(result.cnames).toEqual(['edge.example.test', 'web.test']);
    expect(result.addresses.slice(0, 3)).toEqual([OK, REFUSED, HANGING]);
  });

  it('turns NXDOMAIN, SERVFAIL and a silent server into dns.error', async () => {
    const [missing, broken, silent] = await Promise.all(
      ['missing.test', 'broken.test', 'silent.test'].map((name) => resolveHost(name, { server: server(), timeoutMs: 500 })),
    );
    expect(missing).toMatchObject({ addresses: [], error: 'NXDOMAIN: the name does not exist' });
    expect(broken).toMatchObject({ addresses: [], error: 'SERVFAIL: the server failed to answer' });
    expect(silent).toMatchObject({ addresses: [], error: 'timeout: no answer from the DNS server' });
  });

  it("ends a query to a silent server at the probe's own deadline, not after c-ares' stretched retries", async () => {
    // Only the probe's JS timers are faked: c-ares keeps its own (native) timers, here a minute
    // per try, so the answer can come only from the probe's deadline cancelling the query.
    const cancel = vi.spyOn(Resolver.prototype, 'cancel');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const timeoutMs = 180_000;
      const result = resolveHost('silent.test', { server: server(), timeoutMs });
      await vi.waitFor(() => expect(dns.queries.has('silent.test')).toBe(true));
      expect(cancel).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(timeoutMs);
      expect(cancel).toHaveBeenCalledTimes(1);
      expect(await result).toMatchObject({ addresses: [], error: 'timeout: no answer from the DNS server' });
    } finally {
      vi.useRealTimers();
      cancel.mockRestore();
    }
  });

  it('skips DNS for an IP literal', async () => {
    const result = await resolveHost('127.0.0.9', { server: server(), timeoutMs: TIMEOUT_MS });
    expect(result).toEqual({ server: 'none (IP literal)', ms: 0, addresses: ['127.0.0.9'] });
    expect(dns.queries.has('127.0.0.9')).toBe(false);
  });
});

describe('probeAttempt', () => {
  it('verifies the hang is real: a connect to the full accept queue gets no answer', async () => {
    const attempt = await probeAttempt({ ip: HANGING, port, host: 'web.test', protocol: 'tcp', timeoutMs: 300 });
    expect(attempt).toEqual({ outcome: 'timeout', error: 'no TCP connection within 300 ms' });
  });

  it('times TLS with SNI and reports a self-signed certificate without failing the attempt', async () => {
    const attempt = await probeAttempt({ ip: TLS, port, host: 'secure.test', protocol: 'https', timeoutMs: TIMEOUT_MS });
    expect(attempt).toMatchObject({ outcome: 'ok', status: 200, certificateError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(attempt.connectMs).toBeLessThanOrEqual(attempt.tlsMs as number);
    expect(attempt.tlsMs).toBeLessThanOrEqual(attempt.firstByteMs as number);
  });

  it('records the certificate the address served: its notAfter, SHA-256 fingerprint and subject, with the time of the handshake', async () => {
    const attempt = await probeAttempt({ ip: TLS, port, host: 'secure.test', protocol: 'tls', timeoutMs: TIMEOUT_MS });
    const served = new X509Certificate(tlsCertificate.cert);
    expect(attempt.certificate).toEqual({
      notAfter: new Date(served.validTo).toISOString(),
      fingerprint: served.fingerprint256,
      subject: 'secure.test',
      checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
    });
    // The test certificate is made for 2 days: the handshake sees it expire in about 2 days.
    const daysLeft = (Date.parse(attempt.certificate?.notAfter ?? '') - Date.parse(attempt.certificate?.checkedAt ?? '')) / 86_400_000;
    expect(daysLeft).toBeGreaterThan(1.9);
    expect(daysLeft).toBeLessThan(2.1);
  });

  it('reports a certificate issued for another name as a mismatch as well', async () => {
    const attempt = await probeAttempt({ ip: TLS, port, host: 'other-name.test', protocol: 'tls', timeoutMs: TIMEOUT_MS });
    expect(attempt.outcome).toBe('ok');
    expect(attempt.certificateError).toBe(
      "DEPTH_ZERO_SELF_SIGNED_CERT; Hostname/IP does not match certificate's altnames: Host: other-name.test. is not in the cert's altnames: DNS:secure.test",
    );
  });

  it('is a tls-error when the server does not speak TLS', async () => {
    const attempt = await probeAttempt({ ip: OK, port, host: 'web.test', protocol: 'tls', timeoutMs: TIMEOUT_MS });
    expect(attempt.outcome).toBe('tls-error');
    expect(attempt.connectMs).toBeGreaterThanOrEqual(0);
    expect(attempt.tlsMs).toBeUndefined();
    expect(attempt.error).toMatch(/wrong version number|packet length too long|ssl/i);
  });

  it('is a reset when the connection opens and the server then resets it', async () => {
    const attempt = await probeAttempt({ ip: RESETTING, port, host: 'web.test', protocol: 'http', timeoutMs: TIMEOUT_MS });
    expect(attempt.outcome).toBe('reset');
    expect(attempt.connectMs).toBeGreaterThanOrEqual(0);
    expect(attempt.firstByteMs).toBeUndefined();
    expect(attempt.error).toMatch(/ECONNRESET|other side closed/);
  });

  it('maps the system errors loopback cannot produce to their outcomes', () => {
    const system = (code: string) => Object.assign(new Error(`connect ${code} 3.4.5.6:443`), { code });
    expect(classifyError(system('EHOSTUNREACH'), 'connect')).toBe('unreachable');
    expect(classifyError(system('ENETUNREACH'), 'connect')).toBe('unreachable');
    expect(classifyError(system('EADDRNOTAVAIL'), 'connect')).toBe('unreachable');
    expect(classifyError(system('ETIMEDOUT'), 'connect')).toBe('timeout');
    expect(classifyError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET', cause: system('ETIMEDOUT') }), 'http')).toBe('timeout');
    expect(classifyError(system('EPIPE'), 'http')).toBe('reset');
    expect(classifyError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET', cause: system('ECONNRESET') }), 'http')).toBe('reset');
    expect(classifyError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), 'http')).toBe('http-error');
    expect(classifyError(Object.assign(new Error('alert'), { code: 'ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR' }), 'tls')).toBe('tls-error');
  });

  it('is an http-error with the status on a 5xx', async () => {
    const attempt = await probeAttempt({ ip: FAILING, port, host: 'failing.test', protocol: 'http', timeoutMs: TIMEOUT_MS });
    expect(attempt).toMatchObject({ outcome: 'http-error', status: 503, error: 'HTTP 503' });
    expect(attempt.connectMs).toBeLessThanOrEqual(attempt.firstByteMs as number);
  });
});

describe('probeTargets', () => {
  let report: ProbeReport;

  beforeAll(async () => {
    report = await probeTargets([{ host: 'web.test', port, protocol: 'http' }], { dnsServer: server(), timeoutMs: TIMEOUT_MS, attempts: 3 });
  });

  it('classifies each resolved address on its own', () => {
    const [target] = report.targets;
    expect(target).toMatchObject({ host: 'web.test', port, protocol: 'http', dns: { server: dns.address } });
    const addresses = byIp(target?.addresses ?? []);
    expect(addresses.get(OK)?.attempts.map((a) => [a.outcome, a.status])).toEqual([['ok', 200], ['ok', 200], ['ok', 200]]);
    expect(addresses.get(REFUSED)?.attempts.map((a) => [a.outcome, a.error])).toEqual(Array(3).fill(['refused', `connect ECONNREFUSED ${REFUSED}:${port}`]));
    expect(addresses.get(HANGING)?.attempts).toEqual(Array(3).fill({ outcome: 'timeout', error: `no TCP connection within ${TIMEOUT_MS} ms` }));
    if (ipv6Server) expect(addresses.get('::1')).toMatchObject({ family: 6, attempts: [{ outcome: 'ok' }, { outcome: 'ok' }, { outcome: 'ok' }] });
  });

  it('times connect and first byte in order, and sends Host = the name to that exact address', () => {
    const ok = byIp(report.targets[0]?.addresses ?? []).get(OK);
    for (const attempt of ok?.attempts ?? []) {
      expect(attempt.connectMs).toBeGreaterThanOrEqual(0);
      expect(attempt.connectMs).toBeLessThanOrEqual(attempt.firstByteMs as number);
    }
    expect(okServer.requests).toContainEqual({ host: `web.test:${port}`, path: '/' });
  });

  it('runs every attempt on every address at once: 30 addresses, ten of them hanging', async () => {
    // The ten answering servers hold every answer until all 30 of their attempts have arrived: had the probe
    // waited for one attempt (or one address, or a hanging one) before starting the next, they would time out.
    const many = await probeTargets([{ host: 'many.test', port, protocol: 'http' }], { dnsServer: server(), timeoutMs: TIMEOUT_MS, attempts: 3 });
    expect(manyBarrier.seen).toBe(30);
    const outcomes = new Map((many.targets[0]?.addresses ?? []).map((address) => [address.ip, [...new Set(address.attempts.map((a) => a.outcome))]]));
    for (const ip of MANY_OK) expect(outcomes.get(ip), ip).toEqual(['ok']);
    for (const ip of MANY_REFUSED) expect(outcomes.get(ip), ip).toEqual(['refused']);
    for (const ip of MANY_HANGING) expect(outcomes.get(ip), ip).toEqual(['timeout']);
  });

  it('shows an intermittent address: each attempt is its own connection', async () => {
    const result = await probeTargets([{ host: 'flaky.test', port, protocol: 'http' }], { dnsServer: server(), timeoutMs: TIMEOUT_MS, attempts: 4 });
    const outcomes = result.targets[0]?.addresses[0]?.attempts.map((attempt) => attempt.outcome);
    expect(outcomes?.sort()).toEqual(['ok', 'ok', 'reset', 'reset']);
  });

  it('keeps a DNS failure in the target instead of throwing', async () => {
    const result = await probeTargets([{ host: 'missing.test', port, protocol: 'tcp' }], { dnsServer: server(), timeoutMs: TIMEOUT_MS, attempts: 1 });
    expect(result.targets).toEqual([
      { host: 'missing.test', port, protocol: 'tcp', dns: { server: dns.address, ms: expect.any(Number), addresses: [], error: 'NXDOMAIN: the name does not exist' }, addresses: [] },
    ]);
  });
});

describe('defaultProtocol', () => {
  it('speaks HTTPS on 443, HTTP on 80, and only connects elsewhere', () => {
    expect([443, 80, 8080, 5432].map(defaultProtocol)).toEqual(['https', 'http', 'tcp', 'tcp']);
  });
});
