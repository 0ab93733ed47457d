/** The SARIF report passes Microsoft's SARIF Multitool with GitHub's rules (what code scanning accepts), for real reports. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { runEngine } from '../../src/engine/runner.js';
import { readSnapshot } from '../../src/inventory/snapshot.js';
import { buildReport, renderReport } from '../../src/report/index.js';
import { validateSarif } from '../support/sarif-multitool.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'incidents.snapshot.json');

async function incidentsSarif(notChecked: { what: string; why: string; region?: string; account?: string }[] = []): Promise<string> {
  const inventory = await readSnapshot(EXAMPLE);
  const rules = allRules();
  const baseline = { file: 'previous.json', entries: [], fingerprints: new Set<string>() };
  const result = runEngine({ inventory: { ...inventory, notChecked: [...inventory.notChecked, ...notChecked] }, rules, baseline: baseline.fingerprints });
  const report = buildReport({ inventory, result, durationMs: 10, baseline });
  return renderReport('sarif', report, { rules: rules.map((rule) => rule.meta) });
}

describe('SARIF Multitool (validate --rule-kind "Gh;Sarif")', () => {
  it('finds no error in the report of the incidents snapshot', async () => {
    const sarif = await incidentsSarif();
    expect((JSON.parse(sarif) as { runs: { results: unknown[] }[] }).runs[0]?.results.length).toBe(2);
    expect((await validateSarif(sarif)).filter((issue) => issue.level === 'error')).toEqual([]);
  });

  it('finds no error when things could not be checked and a listing failed', async () => {
    const sarif = await incidentsSarif([
      { what: 'the load balancers (elasticloadbalancing:DescribeLoadBalancers in eu-west-1)', why: 'AccessDenied: not authorized', region: 'eu-west-1', account: '123456789012' },
      { what: 'everything for profile audit', why: 'no AWS credentials: Could not load credentials' },
    ]);
    const run = (JSON.parse(sarif) as { runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: unknown[] }[] }[] }).runs[0];
    expect(run?.invocations[0]).toMatchObject({ executionSuccessful: false });
    expect(run?.invocations[0]?.toolExecutionNotifications).toHaveLength(2);
    expect((await validateSarif(sarif)).filter((issue) => issue.level === 'error')).toEqual([]);
  });

  it('would see a result without a location (the check is real)', async () => {
    const sarif = JSON.parse(await incidentsSarif()) as { runs: { results: { locations?: unknown }[] }[] };
    for (const result of sarif.runs[0]?.results ?? []) delete result.locations;
    const errors = (await validateSarif(JSON.stringify(sarif))).filter((issue) => issue.level === 'error');
    expect(errors.map((issue) => issue.ruleId)).toContain('GH1015');
  });
});
