/** src/audit.ts, the pipeline every front end calls, without a front end around it. */
import { describe, expect, it } from 'vitest';
import { parseBaseline } from '../../src/engine/baseline.js';
import { runAudit } from '../../src/audit.js';
import { readSnapshot } from '../../src/inventory/snapshot.js';
import type { Progress } from '../../src/progress.js';
import { allRules } from '../../rules/index.js';

const EXAMPLE = 'examples/incidents.snapshot.json';

function recordingProgress(): Progress & { lines: string[] } {
  const lines: string[] = [];
  return { lines, step: (m) => lines.push(`step: ${m}`), warn: (m) => lines.push(`warn: ${m}`), debug: (m) => lines.push(`debug: ${m}`) };
}

describe('runAudit', () => {
  it('audits a snapshot file with every rule and reports progress through the Progress it is given', async () => {
    const progress = recordingProgress();
    const { report, inventory, nothingChecked } = await runAudit({ source: { kind: 'snapshot', file: EXAMPLE } }, progress);
    expect(nothingChecked).toBe(false);
    expect(progress.lines).toEqual([`step: reading snapshot ${EXAMPLE}`]);
    expect(report.summary.loadBalancers).toBe(inventory.scopes.flatMap((scope) => scope.loadBalancers).length);
    expect(report.findings.map((finding) => finding.ruleId)).toContain('internet-facing-subnet-without-igw-route');
  });

  it('gives the same findings for an inventory in memory as for the file it came from', async () => {
    const fromFile = await runAudit({ source: { kind: 'snapshot', file: EXAMPLE } });
    const fromMemory = await runAudit({ source: { kind: 'inventory', inventory: await readSnapshot(EXAMPLE) } });
    expect(fromMemory.report.findings).toEqual(fromFile.report.findings);
  });

  it('says nothing was checked when the inventory has no scope', async () => {
    const inventory = { ...(await readSnapshot(EXAMPLE)), scopes: [] };
    const { nothingChecked, report } = await runAudit({ source: { kind: 'inventory', inventory } });
    expect(nothingChecked).toBe(true);
    expect(report.findings).toEqual([]);
  });

  it('names the load-balancer listings that failed: a failed DescribeLoadBalancers, or a region that yielded nothing', async () => {
    const example = await readSnapshot(EXAMPLE);
    expect((await runAudit({ source: { kind: 'inventory', inventory: example } })).failedListings).toEqual([]);
    const denied = { what: 'Classic load balancers (elasticloadbalancing:DescribeLoadBalancers in us-east-1)', why: 'AccessDenied: not authorized', region: 'us-east-1', account: '123456789012', call: 'elasticloadbalancing:DescribeLoadBalancers' };
    const unreachable = { what: 'region eu-west-1', why: 'cannot reach AWS at https://elasticloadbalancing.eu-west-1.amazonaws.com: sts:GetCallerIdentity: no answer within 60 s', region: 'eu-west-1' };
    const partial = { ...example, notChecked: [denied, unreachable] };
    const { failedListings, nothingChecked, report } = await runAudit({ source: { kind: 'inventory', inventory: partial } });
    expect(nothingChecked).toBe(false);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(failedListings).toEqual([denied, unreachable]);
  });

  it('runs only the rules it is given', async () => {
    const single = allRules().filter((rule) => rule.meta.id === 'single-az-load-balancer');
    const { report } = await runAudit({ source: { kind: 'snapshot', file: EXAMPLE }, rules: single });
    expect(report.rules).toEqual(['single-az-load-balancer']);
    expect(report.findings.every((finding) => finding.ruleId === 'single-az-load-balancer')).toBe(true);
  });

  it('marks findings already in the baseline as not new', async () => {
    const all = await runAudit({ source: { kind: 'snapshot', file: EXAMPLE } });
    const first = all.report.findings[0];
    expect(first).toBeDefined();
    if (!first) throw new Error('no finding');
    const again = await runAudit({
      source: { kind: 'snapshot', file: EXAMPLE },
      baseline: parseBaseline(JSON.stringify({ schemaVersion: 1, findings: [first] }), 'previous.json'),
    });
    expect(again.report.baseline).toEqual({ file: 'previous.json', new: all.report.findings.length - 1, fixed: [] });
    expect(again.report.findings.find((finding) => finding.fingerprint === first?.fingerprint)?.new).toBe(false);
    expect(again.report.summary.newFindings).toBe(all.report.findings.length - 1);
  });

  it('stops before reading anything when its signal is already aborted', async () => {
    const progress = recordingProgress();
    const controller = new AbortController();
    controller.abort(new Error('--max-time reached'));
    await expect(runAudit({ source: { kind: 'snapshot', file: EXAMPLE }, signal: controller.signal }, progress)).rejects.toThrow('--max-time reached');
    expect(progress.lines).toEqual([]);
  });
});
