/**
 * The probe over an inventory (audit --probe): real DNS and sockets on loopback stand
 * in for the LB nodes; the inventory's ENIs place each address in its AZ and subnet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import unreachableRule from '../../rules/dns-address-unreachable.js';
import { runEngine } from '../../src/engine/runner.js';
import type { Inventory, NetworkInterface } from '../../src/inventory/model.js';
import { INTERNAL_NOT_REACHABLE, probeForAudit, probeInventory } from '../../src/probe/audit.js';
import type { ProbeReport } from '../../src/inventory/probe-report.js';
import { CallDeadlineError, MAX_TIME_REASON } from '../../src/errors.js';
import { maxTimeReachedLine, runAudit } from '../../src/audit.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { inventoryOf } from '../support/engine-fixtures.js';
import { alb, listener, nlb, REGION, scopeOf, subnet, vpc } from '../support/fixtures.js';
import { closeAll, sharedFreePort, startHangingListeners, startHttpServer, type Closable } from '../support/net-servers.js';

const NODE_A = '127.0.2.1';
const NODE_B = '127.0.2.2'; // hangs, like a node whose subnet has no route back
const INTERNAL_A = '127.0.2.3';
const INTERNAL_B = '127.0.2.4';
const WEB_NAME = `web-1234567890.${REGION}.elb.amazonaws.com`;
const INTERNAL_NAME = `internal-api-1234567890.${REGION}.elb.amazonaws.com`;
const GONE_NAME = `gone-1234567890.${REGION}.elb.amazonaws.com`;
const TIMEOUT_MS = 800;

let dns: TestDnsServer;
let port: number;
const servers: Closable[] = [];

function eni(id: string, subnetId: string, az: string, publicIp: string, lbArn: string): NetworkInterface {
  return { id, subnetId, vpcId: 'vpc-1', availabilityZone: az, description: 'ELB app/web/50dc6c495c0c9188', privateIpAddresses: [], publicIps: [publicIp], ipv6Addresses: [], securityGroupIds: [], loadBalancerArn: lbArn };
}

function inventory(): Inventory {
  const web = alb({ name: 'web', dnsName: WEB_NAME, listeners: [listener({ port: 0, protocol: 'HTTP' })] });
  web.listeners[0]!.port = port;
  const api = nlb({ name: 'api', scheme: 'internal', dnsName: INTERNAL_NAME, listeners: [listener({ port, protocol: 'TCP' }), listener({ port: 53, protocol: 'UDP' })] });
  const gone = alb({ name: 'gone', dnsName: GONE_NAME, listeners: [listener({ port, protocol: 'HTTP' })] });
  return inventoryOf([
    scopeOf({
      loadBalancers: [web, api, gone],
      vpcs: [vpc()],
      subnets: [subnet({ id: 'subnet-a', availabilityZone: `${REGION}a` }), subnet({ id: 'subnet-b', availabilityZone: `${REGION}b`, cidrBlock: '10.0.2.0/24' })],
      networkInterfaces: [eni('eni-a', 'subnet-a', `${REGION}a`, NODE_A, web.arn), eni('eni-b', 'subnet-b', `${REGION}b`, NODE_B, web.arn)],
    }),
  ]);
}

beforeAll(async () => {
  port = await sharedFreePort([NODE_A, NODE_B, INTERNAL_A, INTERNAL_B]);
  servers.push(await startHttpServer(NODE_A, port));
  servers.push(await startHangingListeners([NODE_B, INTERNAL_A, INTERNAL_B], port));
  dns = await startDnsServer({ a: { [WEB_NAME]: [NODE_A, NODE_B], [INTERNAL_NAME]: [INTERNAL_A, INTERNAL_B] } });
});

afterAll(async () => {
  await closeAll([...servers, dns]);
});

describe('probeInventory', () => {
  let report: ProbeReport;
  beforeAll(async () => {
    report = await probeInventory(inventory(), { dnsServer: dns.address, timeoutMs: TIMEOUT_MS, attempts: 2 });
  });

  it('probes each LB on its listener ports with the listener protocol and places each address through its ENI', () => {
    const web = report.targets.find((target) => target.host === WEB_NAME);
    expect(web).toMatchObject({ port, protocol: 'http', loadBalancerArn: expect.stringContaining(':loadbalancer/app/web/') });
    expect(web?.skipped).toBeUndefined();
    expect(web?.addresses.map((a) => [a.ip, a.az, a.subnetId, a.networkInterfaceId, a.attempts.map((t) => t.outcome)])).toEqual([
      [NODE_A, `${REGION}a`, 'subnet-a', 'eni-a', ['ok', 'ok']],
      [NODE_B, `${REGION}b`, 'subnet-b', 'eni-b', ['timeout', 'timeout']],
    ]);
  });

  it('marks an internal LB nothing here could reach as skipped, and a UDP listener as not probed', () => {
    const api = report.targets.filter((target) => target.host === INTERNAL_NAME);
    expect(api.map((target) => [target.port, target.protocol, target.skipped])).toEqual([
      [port, 'tcp', INTERNAL_NOT_REACHABLE],
      [53, undefined, 'UDP listener: lbcheck times TCP connections only'],
    ]);
    expect(api[0]?.addresses.map((a) => a.attempts.map((t) => t.outcome))).toEqual([['timeout', 'timeout'], ['timeout', 'timeout']]);
  });

  it('feeds dns-address-unreachable: the hanging node is reported with its AZ and subnet, the internal LB is not', () => {
    const result = runEngine({ inventory: inventory(), rules: [unreachableRule], probe: report });
    expect(result.findings.map((f) => [f.ruleId, f.resource.name, f.evidence.ip, f.evidence.availabilityZone, f.evidence.subnetId])).toEqual([
      ['dns-address-unreachable', 'web', NODE_B, `${REGION}b`, 'subnet-b'],
    ]);
    expect(result.findings[0]?.message).toBe(
      `IP ${NODE_B} of ALB web in ${REGION}b (subnet subnet-b) times out on port ${port} in all 2 attempts; no configuration finding explains it.`,
    );
  });
});

describe('probeForAudit', () => {
  it('stops at the signal (--max-time): what was probed is kept, what was not is not checked, never an outcome of the address', async () => {
    const controller = new AbortController();
    const stop = setTimeout(() => controller.abort(new CallDeadlineError(MAX_TIME_REASON)), 500);
    try {
      // A timeout far beyond the signal: only the signal can end the hanging attempts.
      const result = await probeForAudit(inventory(), { dnsServer: dns.address, timeoutMs: 25_000, attempts: 1, signal: controller.signal });
      const web = result.probe.targets.find((target) => target.host === WEB_NAME);
      expect(web?.addresses.map((address) => [address.ip, address.attempts.map((attempt) => attempt.outcome)])).toEqual([
        [NODE_A, ['ok']],
        [NODE_B, []],
      ]);
      // Its hanging addresses were cut short, not found unreachable: the internal LB is not judged either way.
      const internal = result.probe.targets.find((target) => target.host === INTERNAL_NAME);
      expect(internal?.skipped).toBeUndefined();
      expect(result.notChecked).toEqual(
        expect.arrayContaining([
          { what: `probe of ${WEB_NAME}:${port}: 1 attempt on 1 address not made`, why: MAX_TIME_REASON, region: REGION, account: '123456789012' },
          { what: `probe of ${INTERNAL_NAME}:${port}: 2 attempts on 2 addresses not made`, why: MAX_TIME_REASON, region: REGION, account: '123456789012' },
        ]),
      );
    } finally {
      clearTimeout(stop);
    }
  });

  it('an audit stopped while probing keeps its report, and its one line says so', async () => {
    const controller = new AbortController();
    const stop = setTimeout(() => controller.abort(new CallDeadlineError(MAX_TIME_REASON)), 500);
    try {
      const result = await runAudit({ source: { kind: 'inventory', inventory: inventory() }, probe: { dnsServer: dns.address, timeoutMs: 25_000, attempts: 1 }, signal: controller.signal });
      expect(result.stopped).toEqual({ regions: [], loadBalancers: 0, probeEntriesNotMade: 2 });
      expect(maxTimeReachedLine('--max-time 1s', result.stopped as NonNullable<typeof result.stopped>)).toBe(
        '--max-time 1s reached while probing: what was probed is reported, 2 probes not finished (in notChecked)',
      );
      expect(result.report.probe?.targets.find((target) => target.host === WEB_NAME)?.addresses.map((address) => address.attempts.length)).toEqual([1, 0]);
    } finally {
      clearTimeout(stop);
    }
  });

  it('lists a name that does not resolve as not checked, once per name', async () => {
    const result = await probeForAudit(inventory(), { dnsServer: dns.address, timeoutMs: 300, attempts: 1 });
    expect(result.notChecked).toEqual([{ what: `probe of ${GONE_NAME}`, why: 'DNS: NXDOMAIN: the name does not exist', region: REGION, account: '123456789012' }]);
    expect(result.measuredKeepalive).toEqual({});
  });

  it('refuses a bad --dns-server before probing anything', async () => {
    await expect(probeInventory(inventory(), { dnsServer: 'dns.example', timeoutMs: 300, attempts: 1 })).rejects.toThrow(/--dns-server must be an IP address/);
  });
});
