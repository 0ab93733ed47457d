/**
 * Deny one action at a time. For every action iam-policy.json grants (exactly what the
 * collector calls: test/unit/iam-policy.test.ts keeps the two in step), a proxy in front of
 * moto answers that action with AWS's own AccessDenied (ELB, STS) or UnauthorizedOperation
 * (EC2) error, and one clean scenario is collected and audited through it. What could not be
 * read must never become a fault: no error finding the clean run lacks, the action named in
 * notChecked, and a "could not check" warning from every rule that needed what it reads.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import { collectInventory } from '../../src/aws/collect.js';
import { LbcheckError } from '../../src/errors.js';
import { fingerprint } from '../../src/engine/fingerprint.js';
import { runEngine, type EngineResult, type ReportFinding } from '../../src/engine/runner.js';
import { collectionOfCall } from '../../src/inventory/completeness.js';
import { AwsLimitsProxy } from '../support/aws-limits-proxy.js';
import { MOTO_REGIONS, motoCollectOptions, motoEndpoint } from '../support/moto.js';
import { scenario } from '../support/scenario.js';

const region = MOTO_REGIONS.denyOneAction;
const policy = JSON.parse(await readFile(new URL('../../iam-policy.json', import.meta.url), 'utf8')) as { Statement: { Action: string[] }[] };
const ACTIONS = policy.Statement.flatMap((statement) => statement.Action);

/** What makes the whole collection fail with one line instead: nothing to audit without the listing or the regions. */
const FATAL: Record<string, { allRegions?: boolean }> = {
  'elasticloadbalancing:DescribeLoadBalancers': {},
  // Only --all-regions calls it.
  'ec2:DescribeRegions': { allRegions: true },
};

let denied: string | undefined;
let proxy: AwsLimitsProxy;
let endpointUrl: string;
let clean: EngineResult;

async function audit(options: { allRegions?: boolean } = {}): Promise<EngineResult> {
  const inventory = await collectInventory({ ...motoCollectOptions(options.allRegions ? [] : [region]), ...options, endpointUrl });
  return runEngine({ inventory, rules });
}

const errorsOf = (result: EngineResult) => result.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.resource.name}: ${f.message}`);
const isCouldNotCheck = (f: ReportFinding) => f.fingerprint === fingerprint(f.ruleId, f.resource.arn, 'could-not-check');

beforeAll(async () => {
  // Only what the test denies fails: no buckets (the calls are not paced either).
  proxy = new AwsLimitsProxy({ upstream: motoEndpoint(), throttle: () => false, deny: (call) => call.iamAction === denied });
  endpointUrl = await proxy.start();
  // A correct public setup that reaches every call: ALB with a listener rule, NLB with a TCP
  // listener, Classic LB, instance targets in two AZs, a security group rule with a prefix list,
  // and HTTPS listeners on the ALB and the Classic LB (their TLS policies: DescribeSSLPolicies, DescribeLoadBalancerPolicies).
  const s = await scenario(region);
  const vpc = await s.vpc({ cidr: '10.40.0.0/16' });
  const igw = await s.internetGateway(vpc);
  const a = await s.subnet(vpc, { cidr: '10.40.1.0/24', az: `${region}a` });
  const b = await s.subnet(vpc, { cidr: '10.40.2.0/24', az: `${region}b` });
  const appA = await s.subnet(vpc, { cidr: '10.40.11.0/24', az: `${region}a` });
  const appB = await s.subnet(vpc, { cidr: '10.40.12.0/24', az: `${region}b` });
  await s.routeTable(vpc, { routes: [{ cidr: '0.0.0.0/0', gatewayId: igw }], subnets: [a, b] });
  const office = await s.prefixList({ cidrs: ['203.0.113.0/24'] });
  const lbSg = await s.securityGroup(vpc, { name: 'lb', ingress: [{ port: 80, cidr: '0.0.0.0/0' }, { port: 443, cidr: '0.0.0.0/0' }, { port: 22, prefixListId: office }] });
  const appSg = await s.securityGroup(vpc, { name: 'app', ingress: [{ port: 8080, sourceGroup: lbSg }, { port: 8080, cidr: '0.0.0.0/0' }] });
  const instances = [await s.instance(appA, { securityGroups: [appSg] }), await s.instance(appB, { securityGroups: [appSg] })];
  const alb = await s.alb({ name: 'web', subnets: [a, b], securityGroups: [lbSg] });
  const web = await s.targetGroup(vpc, { name: 'web', port: 8080, protocol: 'HTTP', healthCheck: { path: '/health' }, tags: { 'lbcheck:keepalive': '65s' } });
  await s.register(web, instances);
  const listener = await s.listener(alb, { port: 80, protocol: 'HTTP', targetGroup: web });
  await s.listenerRule(listener, { priority: 5, pathPattern: '/api/*', targetGroup: web });
  const certificateArn = await s.acmCertificate('web.example.com');
  await s.listener(alb, { port: 443, protocol: 'HTTPS', certificateArn, sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09', targetGroup: web });
  const nlb = await s.nlb({ name: 'edge', subnets: [a, b] });
  const edge = await s.targetGroup(vpc, { name: 'edge', port: 8080, protocol: 'TCP' });
  await s.register(edge, instances);
  await s.listener(nlb, { port: 443, protocol: 'TCP', targetGroup: edge });
  await s.classic({
    name: 'legacy',
    subnets: [a, b],
    securityGroups: [lbSg],
    listeners: [
      { port: 80, protocol: 'HTTP', instancePort: 8080 },
      { port: 443, protocol: 'HTTPS', instancePort: 8080, instanceProtocol: 'HTTP', certificateArn, sslNegotiation: { 'Protocol-TLSv1.2': 'true', 'ECDHE-RSA-AES128-GCM-SHA256': 'true' } },
    ],
    instances,
    healthCheck: { target: 'HTTP:8080/health' },
    crossZone: true,
    tags: { 'lbcheck:keepalive': 'nginx' },
  });
  denied = undefined;
  clean = await audit();
});

afterAll(async () => {
  await proxy.stop();
});

describe('deny one action', () => {
  it('audits the scenario cleanly with nothing denied, calling every action but --all-regions\' DescribeRegions', () => {
    const called = new Set(proxy.seen);
    expect(ACTIONS.filter((action) => action !== 'ec2:DescribeRegions' && !called.has(action.split(':')[1] ?? ''))).toEqual([]);
    expect(clean.notChecked).toEqual([]);
    expect(errorsOf(clean)).toEqual([]);
    expect(clean.findings.filter(isCouldNotCheck)).toEqual([]);
  });

  it.each(ACTIONS.filter((action) => !(action in FATAL)))('%s denied: could not check, never a fault', async (action) => {
    denied = action;
    const result = await audit();
    const cleanErrors = new Set(errorsOf(clean));
    expect(errorsOf(result).filter((error) => !cleanErrors.has(error))).toEqual([]);
    const entries = result.notChecked.filter((entry) => entry.call === action);
    expect(entries.length, `notChecked names ${action}`).toBeGreaterThan(0);

    const collection = collectionOfCall(action);
    const affected = rules.filter((rule) => collection !== undefined && rule.meta.requires.includes(collection) && rule.meta.source === 'config').map((rule) => rule.meta.id);
    for (const entry of entries) expect(entry.rules).toEqual(affected);
    const warned = new Set(result.findings.filter((f) => isCouldNotCheck(f) && JSON.stringify(f.evidence.couldNotCheck).includes(action)).map((f) => f.ruleId));
    expect([...warned].sort()).toEqual(affected);
    for (const finding of result.findings.filter(isCouldNotCheck)) expect(finding.severity).toBe('warning');
  });

  it.each(Object.keys(FATAL))('%s denied: nothing to audit, one line naming it', async (action) => {
    denied = action;
    const run = audit(FATAL[action]);
    await expect(run).rejects.toThrow(LbcheckError);
    await expect(run).rejects.toThrow(action);
  });
});
