/**
 * `lbcheck audit --probe` end to end: a moto scenario with an internet-facing ALB in two
 * AZs, its node ENIs made the way AWS describes them with public IPs on loopback, its
 * DNS name served by the test DNS server, one node answering and one hanging. The audit
 * reports the hanging address with its AZ and subnet, tied to the subnet's missing
 * route to the internet gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeReport } from '../../src/inventory/probe-report.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { MOTO_REGIONS, motoEndpoint, motoEnv } from '../support/moto.js';
import { closeAll, sharedFreePort, startHangingListeners, startHttpServer, startKeepAliveServer, type Closable } from '../support/net-servers.js';
import { scenario, type LoadBalancerRef } from '../support/scenario.js';
import { runCli } from './cli-support.js';

const REGION = MOTO_REGIONS.cliAuditProbe;
const NODE_A = '127.0.5.1';
const NODE_B = '127.0.5.2';
const TARGET = '127.0.5.3'; // an IP target whose keep-alive (1 s) is shorter than the ALB's idle timeout (2 s)

interface JsonReport {
  findings: { ruleId: string; severity: string; resource: { arn: string; name: string }; message: string; evidence: Record<string, unknown> }[];
  notChecked: { what: string; why: string }[];
  probe?: ProbeReport;
}

let dns: TestDnsServer;
let port: number;
let lb: LoadBalancerRef;
let subnetA: string;
let subnetB: string;
let eniB: string;
let targetGroup: string;
const servers: Closable[] = [];

beforeAll(async () => {
  port = await sharedFreePort([NODE_A, NODE_B, TARGET]);
  const s = await scenario(REGION);
  const vpc = await s.vpc({ cidr: '10.20.0.0/16' });
  const igw = await s.internetGateway(vpc);
  subnetA = await s.subnet(vpc, { cidr: '10.20.1.0/24', az: `${REGION}a` });
  subnetB = await s.subnet(vpc, { cidr: '10.20.2.0/24', az: `${REGION}b` });
  // Only subnet A is public: subnet B falls back to the main table, which has no IGW route.
  await s.routeTable(vpc, { routes: [{ cidr: '0.0.0.0/0', gatewayId: igw }], subnets: [subnetA] });
  const sg = await s.securityGroup(vpc, { ingress: [{ port, cidr: '0.0.0.0/0' }] });
  lb = await s.alb({ subnets: [subnetA, subnetB], securityGroups: [sg], attributes: { 'idle_timeout.timeout_seconds': '2' } });
  targetGroup = await s.targetGroup(vpc, { targetType: 'ip', protocol: 'HTTP', port });
  await s.register(targetGroup, [TARGET]);
  await s.listener(lb, { port, protocol: 'HTTP', targetGroup });
  await s.lbNetworkInterface(lb, subnetA, { publicIp: NODE_A, securityGroups: [sg] });
  eniB = (await s.lbNetworkInterface(lb, subnetB, { publicIp: NODE_B, securityGroups: [sg] })).networkInterfaceId;

  servers.push(await startHttpServer(NODE_A, port));
  servers.push(await startHangingListeners([NODE_B], port));
  servers.push(await startKeepAliveServer(TARGET, port, 1000));
  dns = await startDnsServer({ a: { [lb.dnsName]: [NODE_A, NODE_B] } });
});

afterAll(async () => {
  await closeAll([...servers, dns]);
});

describe('lbcheck audit --probe', () => {
  it('reports the hanging address with its AZ and subnet, linked to the subnet without an IGW route', async () => {
    const result = await runCli(
      ['audit', '--region', REGION, '--endpoint-url', motoEndpoint(), '--probe', '--dns-server', dns.address, '--timeout', '1000', '--attempts', '2', '--format', 'json'],
      { env: motoEnv() },
    );
    expect(result.stderr).not.toContain('lbcheck: error');
    const report = JSON.parse(result.stdout) as JsonReport;
    const unreachable = report.findings.filter((finding) => finding.ruleId === 'dns-address-unreachable');
    expect(unreachable).toHaveLength(1);
    expect(unreachable[0]).toMatchObject({
      severity: 'error',
      resource: { arn: lb.arn, name: lb.name },
      evidence: { ip: NODE_B, availabilityZone: `${REGION}b`, subnetId: subnetB, networkInterfaceId: eniB, port, failedAttempts: 2, totalAttempts: 2 },
    });
    expect(unreachable[0]?.message).toBe(
      `IP ${NODE_B} of ALB ${lb.name} in ${REGION}b (subnet ${subnetB}) times out on port ${port} in all 2 attempts; its subnet ${subnetB} has no route to an internet gateway (internet-facing-subnet-without-igw-route).`,
    );

    const target = report.probe?.targets.find((t) => t.host === lb.dnsName && t.port === port);
    expect(target?.addresses.map((a) => [a.ip, a.az, a.subnetId, a.attempts.map((t) => t.outcome)])).toEqual([
      [NODE_A, `${REGION}a`, subnetA, ['ok', 'ok']],
      [NODE_B, `${REGION}b`, subnetB, ['timeout', 'timeout']],
    ]);
    expect(result.code).toBe(1);
  });

  it('with --measure-keepalive, measures the target keep-alive and compares it with the idle timeout', async () => {
    const result = await runCli(
      ['audit', '--region', REGION, '--endpoint-url', motoEndpoint(), '--probe', '--measure-keepalive', '--dns-server', dns.address, '--timeout', '1000', '--attempts', '1', '--format', 'json'],
      { env: motoEnv() },
    );
    expect(result.stderr).not.toContain('lbcheck: error');
    const report = JSON.parse(result.stdout) as JsonReport;
    const finding = report.findings.find((f) => f.ruleId === 'idle-timeout-exceeds-target-keepalive');
    expect(finding?.resource.arn).toBe(lb.arn);
    expect(finding?.evidence).toMatchObject({ idleTimeoutSeconds: 2, keepAliveSource: 'measured' });
    // The server closes after 1 s; the measurement is "about 1 s" (0.7-2.0 s): a loaded machine reads the close late or early.
    expect(finding?.message).toMatch(new RegExp(`from measured: ${TARGET.replaceAll('.', '\\.')}:${port} closed an idle keep-alive connection after (0\\.[7-9]|1(\\.\\d)?|2(\\.0)?) s`));
    expect(finding?.message).toContain('(it announced Keep-Alive: timeout=1)');
  });
});
