/**
 * The hardening, resilience and outage rules against moto. A fully hardened ALB + NLB +
 * Classic LB (HTTPS on a current policy, HTTP redirected, access logs, deletion protection,
 * cross-zone, connection draining, sane health checks) yields no finding at all, from any
 * rule; a setup that breaks each of those fires each rule once, on the right resource.
 * The certificate rules read the probe, not AWS: test/probe/probe.test.ts shows the probe
 * records the certificate a real TLS server serves, and their unit tests judge it (moto
 * cannot serve a load balancer's certificate).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { collectInventory } from '../../src/aws/collect.js';
import { runEngine, type ReportFinding } from '../../src/engine/runner.js';
import { collectionNeeds } from '../../src/engine/needs.js';
import type { Inventory } from '../../src/inventory/model.js';
import { rules } from '../../rules/index.js';
import { MOTO_REGIONS, motoCollectOptions } from '../support/moto.js';
import { scenario, type LoadBalancerRef, type Scenario } from '../support/scenario.js';

const CURRENT_POLICY = 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09';
/** A Classic listener policy with TLS 1.2 and forward-secret ciphers only. */
const CLASSIC_TLS12 = {
  'Protocol-TLSv1.2': 'true',
  'Server-Defined-Cipher-Order': 'true',
  'ECDHE-ECDSA-AES128-GCM-SHA256': 'true',
  'ECDHE-RSA-AES128-GCM-SHA256': 'true',
};
const CLASSIC_OLD = { 'Protocol-TLSv1': 'true', 'Protocol-TLSv1.2': 'true', 'ECDHE-RSA-AES128-GCM-SHA256': 'true', 'DES-CBC3-SHA': 'true' };

interface Network {
  vpc: string;
  a: string;
  b: string;
  appA: string;
  appB: string;
  lbSg: string;
  appSg: string;
  instanceA: string;
  instanceB: string;
}

/** Public subnets a and b routed to an IGW, app subnets on the main table, SGs that admit 80/443 and 8080, one instance per AZ. */
async function network(s: Scenario, region: string): Promise<Network> {
  const vpc = await s.vpc({ cidr: '10.40.0.0/16' });
  const igw = await s.internetGateway(vpc);
  const a = await s.subnet(vpc, { cidr: '10.40.1.0/24', az: `${region}a` });
  const b = await s.subnet(vpc, { cidr: '10.40.2.0/24', az: `${region}b` });
  const appA = await s.subnet(vpc, { cidr: '10.40.11.0/24', az: `${region}a` });
  const appB = await s.subnet(vpc, { cidr: '10.40.12.0/24', az: `${region}b` });
  await s.routeTable(vpc, { routes: [{ cidr: '0.0.0.0/0', gatewayId: igw }], subnets: [a, b] });
  const lbSg = await s.securityGroup(vpc, { name: `lb-${region}`, ingress: [{ port: 80, cidr: '0.0.0.0/0' }, { port: 443, cidr: '0.0.0.0/0' }] });
  const appSg = await s.securityGroup(vpc, { name: `app-${region}`, ingress: [{ port: 8080, sourceGroup: lbSg }, { port: 8080, cidr: '0.0.0.0/0' }] });
  const instanceA = await s.instance(appA, { securityGroups: [appSg] });
  const instanceB = await s.instance(appB, { securityGroups: [appSg] });
  return { vpc, a, b, appA, appB, lbSg, appSg, instanceA, instanceB };
}

const KEEPALIVE_TAGS = { 'lbcheck:keepalive': '65s' };

async function buildHardened(region: string): Promise<{ alb: LoadBalancerRef; nlb: LoadBalancerRef; classic: LoadBalancerRef }> {
  const s = await scenario(region);
  const n = await network(s, region);
  const certificateArn = await s.acmCertificate('shop.example.com');
  const logs = { 'access_logs.s3.enabled': 'true', 'access_logs.s3.bucket': 'lb-logs', 'deletion_protection.enabled': 'true' };

  const alb = await s.alb({ name: `web-${region}`, subnets: [n.a, n.b], securityGroups: [n.lbSg], attributes: { ...logs, 'routing.http.drop_invalid_header_fields.enabled': 'true' } });
  const web = await s.targetGroup(n.vpc, { name: `web-${region}`, port: 8080, protocol: 'HTTP', healthCheck: { path: '/health', matcher: '200-299' }, tags: KEEPALIVE_TAGS });
  await s.register(web, [n.instanceA, n.instanceB]);
  await s.listener(alb, { port: 80, protocol: 'HTTP', redirectToHttps: true });
  await s.listener(alb, { port: 443, protocol: 'HTTPS', certificateArn, sslPolicy: CURRENT_POLICY, targetGroup: web });

  const nlb = await s.nlb({ name: `edge-${region}`, subnets: [n.a, n.b], attributes: { ...logs, 'load_balancing.cross_zone.enabled': 'true' } });
  const edge = await s.targetGroup(n.vpc, { name: `edge-${region}`, port: 8080, protocol: 'TCP' });
  await s.register(edge, [n.instanceA, n.instanceB]);
  await s.listener(nlb, { port: 443, protocol: 'TLS', certificateArn, sslPolicy: CURRENT_POLICY, targetGroup: edge });

  const classic = await s.classic({
    name: `legacy-${region}`,
    subnets: [n.a, n.b],
    securityGroups: [n.lbSg],
    listeners: [{ port: 443, protocol: 'HTTPS', instancePort: 8080, instanceProtocol: 'HTTP', certificateArn, sslNegotiation: CLASSIC_TLS12 }],
    instances: [n.instanceA, n.instanceB],
    healthCheck: { target: 'HTTP:8080/health', healthyThreshold: 2 },
    crossZone: true,
    accessLogBucket: 'lb-logs',
    connectionDraining: true,
    tags: KEEPALIVE_TAGS,
  });
  return { alb, nlb, classic };
}

interface Broken {
  alb: LoadBalancerRef;
  nlb: LoadBalancerRef;
  classic: LoadBalancerRef;
  orphan: LoadBalancerRef;
  web: string;
  edge: string;
  small: string;
  strayInstance: string;
}

/** The same shape with every hardening undone, plus the outage causes moto can build. */
async function buildBroken(region: string): Promise<Broken> {
  const s = await scenario(region);
  const n = await network(s, region);
  const certificateArn = await s.acmCertificate('shop.example.com');
  // A /28 in AZ b holds 11 addresses; four instances leave 7, under the 8 an ALB needs to scale.
  const small = await s.subnet(n.vpc, { cidr: '10.40.3.0/28', az: `${region}b` });
  await s.instances(small, 4, { securityGroups: [n.appSg] });
  // An instance in AZ c, where no load balancer is enabled.
  const appC = await s.subnet(n.vpc, { cidr: '10.40.13.0/24', az: `${region}c` });
  const strayInstance = await s.instance(appC, { securityGroups: [n.appSg] });
  const [extraB1, extraB2, extraB3] = await s.instances(n.appB, 3, { securityGroups: [n.appSg] });

  const alb = await s.alb({ name: `web-${region}`, subnets: [n.a, small], securityGroups: [n.lbSg], attributes: { 'routing.http.desync_mitigation_mode': 'monitor' } });
  const web = await s.targetGroup(n.vpc, {
    name: `web-${region}`,
    port: 8080,
    protocol: 'HTTP',
    healthCheck: { path: '/health', matcher: '200-499', intervalSeconds: 60, unhealthyThreshold: 5 },
    tags: KEEPALIVE_TAGS,
  });
  await s.register(web, [n.instanceA, n.instanceB, strayInstance]);
  await s.listener(alb, { port: 80, protocol: 'HTTP', targetGroup: web });
  await s.listener(alb, { port: 443, protocol: 'HTTPS', certificateArn, sslPolicy: 'ELBSecurityPolicy-2016-08', targetGroup: web });

  const nlb = await s.nlb({ name: `edge-${region}`, subnets: [n.a, n.b] });
  const edge = await s.targetGroup(n.vpc, { name: `edge-${region}`, port: 8080, protocol: 'TCP' });
  await s.register(edge, [n.instanceA, n.instanceB, extraB1 as string, extraB2 as string, extraB3 as string]);
  await s.listener(nlb, { port: 443, protocol: 'TLS', certificateArn, sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', targetGroup: edge });

  const classic = await s.classic({
    name: `legacy-${region}`,
    subnets: [n.a, n.b],
    securityGroups: [n.lbSg],
    listeners: [
      { port: 80, instancePort: 8080 },
      { port: 443, protocol: 'HTTPS', instancePort: 8080, instanceProtocol: 'HTTP', certificateArn, sslNegotiation: CLASSIC_OLD },
    ],
    instances: [n.instanceA, n.instanceB],
    healthCheck: { target: 'HTTP:8080/health', interval: 10, timeout: 10, healthyThreshold: 2 },
    crossZone: true,
    connectionDraining: false,
    additionalAttributes: { 'elb.http.desyncmitigationmode': 'monitor' },
    tags: KEEPALIVE_TAGS,
  });
  const orphan = await s.alb({ name: `orphan-${region}`, subnets: [n.a, n.b], securityGroups: [n.lbSg], attributes: { 'deletion_protection.enabled': 'true', 'routing.http.drop_invalid_header_fields.enabled': 'true' } });
  return { alb, nlb, classic, orphan, web, edge, small, strayInstance };
}

async function audit(region: string): Promise<{ inventory: Inventory; findings: ReportFinding[] }> {
  const inventory = await collectInventory({ ...motoCollectOptions([region]), concurrency: 8 });
  return { inventory, findings: runEngine({ inventory, rules }).findings };
}

const describeFindings = (findings: readonly ReportFinding[]) => findings.map((f) => `${f.ruleId} ${f.severity} ${f.resource.name}: ${f.message}`);
const REGIONS = MOTO_REGIONS.rulesHardening;
let hardened: Awaited<ReturnType<typeof buildHardened>>;
let broken: Broken;
let hardenedAudit: { inventory: Inventory; findings: ReportFinding[] };
let brokenAudit: { inventory: Inventory; findings: ReportFinding[] };

beforeAll(async () => {
  [hardened, broken] = await Promise.all([buildHardened(REGIONS.hardened), buildBroken(REGIONS.broken)]);
  [hardenedAudit, brokenAudit] = await Promise.all([audit(REGIONS.hardened), audit(REGIONS.broken)]);
}, 120_000);

describe('a fully hardened ALB + NLB + Classic LB', () => {
  it('collects the three load balancers with their TLS policies', () => {
    const scope = hardenedAudit.inventory.scopes[0];
    expect(scope?.loadBalancers.map((lb) => lb.arn).sort()).toEqual([hardened.alb.arn, hardened.nlb.arn, hardened.classic.arn].sort());
    expect(scope?.sslPolicies?.some((policy) => policy.name === CURRENT_POLICY)).toBe(true);
    const classic = scope?.loadBalancers.find((lb) => lb.arn === hardened.classic.arn);
    expect(classic?.listeners[0]?.tlsPolicy).toMatchObject({ protocols: ['TLSv1.2'] });
  });

  it('fetches the TLS policies only when a rule that reads them runs (one DescribeSSLPolicies per region, one DescribeLoadBalancerPolicies per Classic TLS LB)', async () => {
    expect(hardenedAudit.inventory.stats.apiCalls).toMatchObject({ DescribeSSLPolicies: 1, DescribeLoadBalancerPolicies: 1 });
    const reachabilityOnly = rules.filter((rule) => rule.meta.category === 'reachability');
    const lean = await collectInventory({ ...motoCollectOptions([REGIONS.hardened]), needs: collectionNeeds(reachabilityOnly) });
    expect(lean.stats.apiCalls['DescribeSSLPolicies']).toBeUndefined();
    expect(lean.stats.apiCalls['DescribeLoadBalancerPolicies']).toBeUndefined();
    expect(lean.scopes[0]?.sslPolicies).toBeUndefined();
  });

  it('yields no finding from any rule', () => {
    expect(describeFindings(hardenedAudit.findings)).toEqual([]);
    expect(hardenedAudit.inventory.notChecked).toEqual([]);
  });
});

describe('the same setup with its hardening undone', () => {
  const fired = (ruleId: string) => brokenAudit.findings.filter((f) => f.ruleId === ruleId);
  const on = (ruleId: string) => fired(ruleId).map((f) => f.resource.arn).sort();

  it('fires each hardening rule on the load balancers that lack it, never as an error', () => {
    expect(on('http-listener-without-https-redirect')).toEqual([broken.alb.arn, broken.classic.arn].sort());
    expect(on('access-logs-disabled')).toEqual([broken.alb.arn, broken.classic.arn, broken.nlb.arn, broken.orphan.arn].sort());
    expect(on('deletion-protection-disabled')).toEqual([broken.alb.arn, broken.nlb.arn].sort());
    expect(on('alb-invalid-header-fields-not-dropped')).toEqual([broken.alb.arn]);
    expect(on('desync-mitigation-monitor')).toEqual([broken.alb.arn, broken.classic.arn].sort());
    expect(on('classic-connection-draining-disabled')).toEqual([broken.classic.arn]);
    expect(on('cross-zone-load-balancing-disabled')).toEqual([broken.nlb.arn]);
    expect(on('load-balancer-without-listener')).toEqual([broken.orphan.arn]);
    const hardening = brokenAudit.findings.filter((f) => f.category !== 'reachability' && f.ruleId !== 'subnet-too-small-to-scale');
    expect(hardening.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('resolves the TLS policies: TLS 1.0 and weak ciphers on the ALB and the Classic LB, a policy AWS no longer recommends on the NLB', () => {
    const weak = fired('tls-listener-weak-policy');
    // Findings come in report order (by resource name): the Classic LB "legacy-..." before the ALB "web-...".
    expect(weak.map((f) => [f.resource.arn, f.evidence['oldProtocols']])).toEqual([
      [broken.classic.arn, ['TLSv1']],
      [broken.alb.arn, ['TLSv1', 'TLSv1.1']],
    ]);
    expect(weak.find((f) => f.resource.arn === broken.classic.arn)?.evidence['weakCiphers']).toEqual(['DES-CBC3-SHA']);
    expect(fired('tls-listener-policy-not-recommended').map((f) => [f.resource.arn, f.evidence['sslPolicy']]).sort()).toEqual(
      [
        [broken.alb.arn, 'ELBSecurityPolicy-2016-08'],
        [broken.nlb.arn, 'ELBSecurityPolicy-TLS13-1-2-2021-06'],
      ].sort(),
    );
  });

  it('fires the health-check rules: an error-accepting matcher, five-minute detection, a timeout as long as the interval', () => {
    expect(fired('health-check-matcher-accepts-errors').map((f) => [f.resource.arn, f.evidence['matcher']])).toEqual([[broken.web, '200-499']]);
    expect(fired('health-check-slow-failure-detection').map((f) => [f.resource.arn, f.evidence['detectionSeconds']])).toEqual([[broken.web, 300]]);
    expect(fired('health-check-timeout-not-below-interval').map((f) => f.resource.arn)).toEqual([broken.classic.arn]);
  });

  it('fires the outage causes: a subnet with 7 free addresses, a target in an AZ the ALB does not serve, one AZ with 1 of 5 NLB targets', () => {
    const [small, ...moreSmall] = fired('subnet-too-small-to-scale');
    expect(moreSmall).toEqual([]);
    expect(small).toMatchObject({ severity: 'error', resource: { arn: broken.alb.arn }, evidence: { subnetId: broken.small, availableIpAddressCount: 7 } });
    const [stray, ...moreStray] = fired('targets-in-unserved-az');
    expect(moreStray).toEqual([]);
    expect(stray).toMatchObject({ resource: { arn: broken.web }, evidence: { availabilityZone: `${REGIONS.broken}c`, targets: [{ id: broken.strayInstance }] } });
    const [uneven, ...moreUneven] = fired('uneven-az-capacity');
    expect(moreUneven).toEqual([]);
    expect(uneven).toMatchObject({ resource: { arn: broken.edge }, evidence: { availabilityZone: `${REGIONS.broken}a`, loadFactor: 2.5 } });
  });
});
