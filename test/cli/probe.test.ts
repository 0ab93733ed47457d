/**
 * `lbcheck probe` end to end through the built bundle, against a real DNS server and
 * real sockets on loopback: one address accepts, one refuses, one hangs. Addresses are
 * placed in their AZ and subnet through moto's ELB network interfaces.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeReport } from '../../src/inventory/probe-report.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { MOTO_REGIONS, motoEndpoint, motoEnv } from '../support/moto.js';
import { scenario } from '../support/scenario.js';
import { closeAll, selfSignedCertificate, sharedFreePort, startHangingListeners, startHttpServer, type Closable } from '../support/net-servers.js';
import { runCli } from './cli-support.js';

const OK = '127.0.4.1';
const REFUSED = '127.0.4.2';
const HANGING = '127.0.4.3';
const SECURE = '127.0.4.4';
// Generous: on a loaded CI machine a spawned CLI and this worker's servers may each wait
// hundreds of ms for a core; the hanging address costs one timeout, attempts run at once.
const TIMEOUT_MS = 2000;
/** Loopback addresses nothing listens on: each refuses at once. */
const MANY_REFUSED = ['127.0.5.1', '127.0.5.2', '127.0.5.3', '127.0.5.4', '127.0.5.5', '127.0.5.6'];

let dns: TestDnsServer;
let port: number;
const servers: Closable[] = [];

beforeAll(async () => {
  port = await sharedFreePort([OK, REFUSED, HANGING, SECURE]);
  servers.push(await startHttpServer(OK, port));
  servers.push(await startHttpServer(SECURE, port, { certificate: selfSignedCertificate('secure.test') }));
  servers.push(await startHangingListeners([HANGING], port));
  dns = await startDnsServer({ a: { 'lb.test': [OK, REFUSED, HANGING], 'secure.test': [SECURE], 'many.test': MANY_REFUSED }, cname: { 'www.lb.test': 'lb.test' } });
});

afterAll(async () => {
  await closeAll([...servers, dns]);
});

const outcomesOf = (report: ProbeReport) =>
  Object.fromEntries((report.targets[0]?.addresses ?? []).map((address) => [address.ip, address.attempts.map((attempt) => attempt.outcome)]));

describe('lbcheck probe', () => {
  it('classifies the accepting, refusing and hanging addresses and exits 1', async () => {
    const result = await runCli(['probe', 'www.lb.test', '--dns-server', dns.address, '--port', String(port), '--timeout', String(TIMEOUT_MS), '--format', 'json']);
    const report = JSON.parse(result.stdout) as ProbeReport;
    expect(result.code).toBe(1);
    expect(report.targets[0]).toMatchObject({ host: 'www.lb.test', port, protocol: 'tcp', dns: { server: dns.address, addresses: [OK, REFUSED, HANGING], cnames: ['lb.test'] } });
    expect(outcomesOf(report)).toEqual({ [OK]: ['ok', 'ok', 'ok'], [REFUSED]: ['refused', 'refused', 'refused'], [HANGING]: ['timeout', 'timeout', 'timeout'] });
    // How long that takes (about one timeout) is measured by `npm run bench`, not asserted here.
    expect(result.stderr).toContain(`lbcheck: probe: 2 addresses failed: ${REFUSED}:${port}, ${HANGING}:${port}\n`);
  });

  it('names the first few failed addresses on stderr and counts the rest (the report lists them all)', async () => {
    const result = await runCli(['probe', 'many.test', '--dns-server', dns.address, '--port', String(port), '--attempts', '1', '--format', 'json']);
    expect(result.code).toBe(1);
    const failed = MANY_REFUSED.map((ip) => `${ip}:${port}`);
    expect(result.stderr).toContain(`lbcheck: probe: 6 addresses failed: ${failed.slice(0, 3).join(', ')} and 3 more\n`);
    expect((JSON.parse(result.stdout) as ProbeReport).targets[0]?.addresses.map((address) => address.attempts[0]?.outcome)).toEqual(MANY_REFUSED.map(() => 'refused'));
  });

  it('prints a per-address table with --format text', async () => {
    const noAws = { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_PROFILE: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' };
    const result = await runCli(['probe', 'lb.test', '--dns-server', dns.address, '--port', String(port), '--protocol', 'http', '--timeout', String(TIMEOUT_MS), '--attempts', '2', '--format', 'text'], { env: noAws });
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^lb\\.test:${port} \\(http\\)  DNS ${dns.address} [\\d.]+ ms: 3 addresses, TTL 60 s$`));
    // Columns are aligned to the widest cell, so read cells, not exact spacing.
    const cells = (line: string | undefined) => (line ?? '').trim().split(/\s{2,}/);
    expect(cells(lines[1])).toEqual(['ADDRESS', 'AZ', 'SUBNET', 'RESULT', 'CONNECT', 'TLS', 'TTFB', 'HTTP']);
    // No AWS credentials or region here: the addresses cannot be placed, and say so.
    const [okIp, okAz, okSubnet, okResult, okConnect, okTls, okFirstByte, okStatus] = cells(lines[2]);
    expect([okIp, okAz, okSubnet, okResult, okTls, okStatus]).toEqual([OK, 'unknown', 'unknown', '2 ok', '-', '200']);
    expect(Number(okConnect)).toBeGreaterThan(0);
    expect(Number(okFirstByte)).toBeGreaterThanOrEqual(Number(okConnect));
    expect(cells(lines[3])).toEqual([REFUSED, 'unknown', 'unknown', '2 refused', '-', '-', '-', '-']);
    expect(cells(lines[4])).toEqual([HANGING, 'unknown', 'unknown', '2 timeout', '-', '-', '-', '-']);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(result.stderr).not.toContain('warning');
    expect(lines).toContain(`  ${HANGING}: no TCP connection within ${TIMEOUT_MS} ms`);
  });

  it('places an address in its AZ and subnet with the region and endpoint the audit would use (AWS_DEFAULT_REGION, the profile endpoint_url)', async () => {
    const region = MOTO_REGIONS.cliProbe;
    const s = await scenario(region);
    const vpc = await s.vpc({ cidr: '10.42.0.0/16' });
    const subnet = await s.subnet(vpc, { cidr: '10.42.1.0/24', az: `${region}b` });
    const lb = await s.alb({ subnets: [subnet, await s.subnet(vpc, { cidr: '10.42.2.0/24', az: `${region}c` })], scheme: 'internal' });
    const node = '10.42.1.50';
    const { networkInterfaceId } = await s.lbNetworkInterface(lb, subnet, { privateIp: node, publicIp: false });
    // An address in no name's region: aws-cli's region (the SDK alone does not read AWS_DEFAULT_REGION) and the default profile's endpoint.
    const config = join(await mkdtemp(join(tmpdir(), 'lbcheck-cli-probe-')), 'config');
    await writeFile(config, `[default]\nendpoint_url = ${motoEndpoint()}\n`);
    const env = { ...motoEnv(), AWS_REGION: undefined, AWS_DEFAULT_REGION: region, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };
    // Nothing answers at that address: the probe times out, and the address is placed all the same.
    const result = await runCli(['probe', node, '--port', String(port), '--timeout', '200', '--attempts', '1', '--format', 'json', '--debug'], { env });
    const address = (JSON.parse(result.stdout) as ProbeReport).targets[0]?.addresses[0];
    expect(address, result.stderr).toMatchObject({ ip: node, az: `${region}b`, subnetId: subnet, networkInterfaceId });
  });

  it('exits 0 when every address answers, and writes JSON when stdout is not a terminal', async () => {
    const result = await runCli(['probe', OK, '--port', String(port), '--protocol', 'http', '--attempts', '2', '--quiet']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as ProbeReport;
    expect(report.targets[0]?.dns).toEqual({ server: 'none (IP literal)', ms: 0, addresses: [OK] });
    expect(report.targets[0]?.addresses[0]?.attempts.map((attempt) => [attempt.outcome, attempt.status])).toEqual([['ok', 200], ['ok', 200]]);
  });

  it('reports a self-signed certificate without failing the address', async () => {
    const result = await runCli(['probe', 'secure.test', '--dns-server', dns.address, '--port', String(port), '--protocol', 'https', '--attempts', '1', '--format', 'json']);
    expect(result.code).toBe(0);
    const attempt = (JSON.parse(result.stdout) as ProbeReport).targets[0]?.addresses[0]?.attempts[0];
    expect(attempt).toMatchObject({ outcome: 'ok', status: 200, certificateError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(attempt?.connectMs).toBeLessThanOrEqual(attempt?.tlsMs as number);
    expect(attempt?.tlsMs).toBeLessThanOrEqual(attempt?.firstByteMs as number);
  });

  it('exits 2 with one line when no name resolves', async () => {
    const result = await runCli(['probe', 'missing.test', '--dns-server', dns.address, '--port', String(port), '--format', 'json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('lbcheck: error: no address to probe: missing.test: NXDOMAIN: the name does not exist\n');
    expect((JSON.parse(result.stdout) as ProbeReport).targets[0]?.dns.error).toBe('NXDOMAIN: the name does not exist');
  });

  it('exits 2 with one line on a bad --dns-server', async () => {
    const result = await runCli(['probe', 'lb.test', '--dns-server', 'ns1.example.com']);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: "lbcheck: error: --dns-server must be an IP address with an optional port (1.2.3.4, 1.2.3.4:5353, [::1]:5353), not 'ns1.example.com'.\n",
    });
  });
});
