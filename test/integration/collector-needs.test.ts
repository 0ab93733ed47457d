/**
 * Needs-driven collection, counted by the AWS-limits proxy in front of moto: target group
 * attributes, listener rules and NLB listener attributes are fetched only for the resources a
 * selected rule reads (everything with `snapshot --full`), and a snapshot records what it left
 * out, so an audit of it with a rule that needed that data says "not collected", never passes
 * on AWS's defaults.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit, type AuditOptions } from '../../src/audit.js';
import { parseRuleSelection } from '../../src/engine/selection.js';
import type { ReportFinding } from '../../src/engine/runner.js';
import { allRules } from '../../rules/index.js';
import { runCli } from '../cli/cli-support.js';
import { AwsLimitsProxy } from '../support/aws-limits-proxy.js';
import { MOTO_REGIONS, motoCollectOptions, motoEndpoint, motoEnv } from '../support/moto.js';
import { scenario, type LoadBalancerRef } from '../support/scenario.js';

const region = MOTO_REGIONS.collectorNeeds;
const OPTIONAL_CALLS = ['DescribeTargetGroupAttributes', 'DescribeRules', 'DescribeListenerAttributes'] as const;

let proxy: AwsLimitsProxy;
let url: string;
let dir: string;
let world: { alb: LoadBalancerRef; quietAlb: LoadBalancerRef; nlb: LoadBalancerRef; emptyGroup: string };

beforeAll(async () => {
  const s = await scenario(region);
  const vpc = await s.vpc({ cidr: '10.70.0.0/16' });
  const a = await s.subnet(vpc, { cidr: '10.70.1.0/24', az: `${region}a` });
  const b = await s.subnet(vpc, { cidr: '10.70.2.0/24', az: `${region}b` });
  await s.route(await s.mainRouteTable(vpc), { cidr: '0.0.0.0/0', gatewayId: await s.internetGateway(vpc) });
  const instances = [...(await s.instances(a, 1)), ...(await s.instances(b, 1))];
  const group = async (protocol: 'HTTP' | 'TCP', targets: string[]) => {
    const arn = await s.targetGroup(vpc, { protocol, port: 8080 });
    if (targets.length) await s.register(arn, targets);
    return arn;
  };
  // An ALB whose listener rule forwards to a target group with no target: its listener rules matter.
  const alb = await s.alb({ subnets: [a, b] });
  const emptyGroup = await group('HTTP', []);
  const listener = await s.listener(alb, { port: 80, protocol: 'HTTP', targetGroup: await group('HTTP', instances) });
  await s.listenerRule(listener, { priority: 10, pathPattern: '/api/*', targetGroup: emptyGroup });
  // An ALB whose only group is healthy in both AZs: no rule reads its listener rules.
  const quietAlb = await s.alb({ subnets: [a, b] });
  await s.listener(quietAlb, { port: 80, protocol: 'HTTP', targetGroup: await group('HTTP', instances) });
  const nlb = await s.nlb({ subnets: [a, b] });
  await s.listener(nlb, { port: 80, protocol: 'TCP', targetGroup: await group('TCP', instances) });
  await group('HTTP', instances); // in no load balancer: no rule reads its attributes
  world = { alb, quietAlb, nlb, emptyGroup };
  proxy = new AwsLimitsProxy({ upstream: motoEndpoint(), throttle: () => false });
  url = await proxy.start();
  dir = await mkdtemp(join(tmpdir(), 'lbcheck-needs-'));
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** How many calls of each optional API `run` made, as the proxy saw them. */
async function optionalCalls(run: () => Promise<unknown>): Promise<Record<string, number>> {
  proxy.resetCounts();
  await run();
  return Object.fromEntries(OPTIONAL_CALLS.map((action) => [action, proxy.seen.filter((seen) => seen === action).length]));
}

function liveAudit(rules: string[] = []): AuditOptions {
  const all = allRules();
  const selection = parseRuleSelection(rules, all);
  return { source: { kind: 'aws', collect: { ...motoCollectOptions([region]), endpointUrl: url } }, ...(selection && { selection }) };
}

async function snapshot(name: string, flags: string[]): Promise<string> {
  const file = join(dir, name);
  const result = await runCli(['snapshot', '--endpoint-url', url, '--region', region, '--no-pace', '--quiet', '--output', file, ...flags], { env: motoEnv() });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return file;
}

async function auditSnapshot(file: string, rules: string[] = []) {
  const selection = parseRuleSelection(rules, allRules());
  return (await runAudit({ source: { kind: 'snapshot', file }, ...(selection && { selection }) })).report;
}

const comparable = (findings: readonly ReportFinding[]) => findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, fingerprint: f.fingerprint, message: f.message }));

describe('calls per API', () => {
  it('a default audit reads every target group attribute of its load balancers (cross-zone-load-balancing-disabled reports the setting), listener rules only where a group has no healthy target, no NLB listener attribute', async () => {
    // 4 groups behind load balancers (not the 5th, in none); the one ALB listener whose rule forwards to the empty group.
    expect(await optionalCalls(() => runAudit(liveAudit()))).toEqual({ DescribeTargetGroupAttributes: 4, DescribeRules: 1, DescribeListenerAttributes: 0 });
  });

  it('a --rule subset reads only what its rules need', async () => {
    expect(await optionalCalls(() => runAudit(liveAudit(['internet-facing-subnet-without-igw-route'])))).toEqual({
      DescribeTargetGroupAttributes: 0,
      DescribeRules: 0,
      DescribeListenerAttributes: 0,
    });
    // reachability: the NLB's group (client IP preservation), no group leaves an AZ without a healthy target; the one ALB's rules.
    expect(await optionalCalls(() => runAudit(liveAudit(['reachability'])))).toEqual({ DescribeTargetGroupAttributes: 1, DescribeRules: 1, DescribeListenerAttributes: 0 });
  });

  it('snapshot --full reads everything: every group, every ALB listener, every NLB TCP listener', async () => {
    expect(await optionalCalls(() => snapshot('full.json', ['--full']))).toEqual({ DescribeTargetGroupAttributes: 5, DescribeRules: 2, DescribeListenerAttributes: 1 });
  });
});

describe('an audit of a snapshot that left data out', () => {
  it('reports a rule that needs the data as not checked, naming the call, instead of passing on a default', async () => {
    const file = await snapshot('routing-only.json', ['--rule', 'internet-facing-subnet-without-igw-route']);
    const report = await auditSnapshot(file, ['cross-zone-load-balancing-disabled']);
    // With AWS's defaults the NLB would read as cross-zone off: that finding must not appear.
    expect(report.findings.filter((f) => f.severity === 'info')).toEqual([]);
    const warnings = report.findings.filter((f) => f.ruleId === 'cross-zone-load-balancing-disabled');
    expect(warnings.map((f) => f.resource.arn).sort()).toEqual([world.alb.arn, world.quietAlb.arn, world.nlb.arn].sort());
    for (const warning of warnings) {
      expect(warning.severity).toBe('warning');
      expect(warning.message).toMatch(/elasticloadbalancing:DescribeTargetGroupAttributes was not collected in this snapshot/);
      expect(warning.fix).toBe('Re-run lbcheck snapshot with --full or with --rule cross-zone-load-balancing-disabled, and audit that snapshot.');
    }
    expect(report.notChecked).toContainEqual(
      expect.objectContaining({ call: 'elasticloadbalancing:DescribeTargetGroupAttributes', region, rules: ['cross-zone-load-balancing-disabled'] }),
    );
  });

  it('only for the load balancers whose data the rule reads: listener rules of the ALB with an empty group', async () => {
    const file = await snapshot('routing-only-again.json', ['--rule', 'internet-facing-subnet-without-igw-route']);
    const report = await auditSnapshot(file, ['target-group-without-healthy-targets']);
    const warnings = report.findings.filter((f) => /not collected/.test(f.message));
    expect(warnings.map((f) => f.resource.arn)).toEqual([world.alb.arn]);
    expect(warnings[0]?.message).toMatch(/elasticloadbalancing:DescribeRules was not collected in this snapshot/);
  });

  it('a default snapshot audits exactly as a --full one: the same findings, nothing reported as not collected', async () => {
    const [lean, full] = await Promise.all([snapshot('default.json', []), snapshot('full-again.json', ['--full'])]);
    const [leanReport, fullReport] = await Promise.all([auditSnapshot(lean), auditSnapshot(full)]);
    expect(leanReport.findings.filter((f) => /not collected/.test(f.message))).toEqual([]);
    expect(leanReport.notChecked).toEqual([]);
    expect(comparable(leanReport.findings)).toEqual(comparable(fullReport.findings));
    // The empty group behind the ALB's listener rule is found in both.
    expect(leanReport.findings.some((f) => f.ruleId === 'target-group-without-healthy-targets' && f.resource.arn === world.emptyGroup)).toBe(true);
  });
});

