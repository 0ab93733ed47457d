/** Real reports validate against schema/report.schema.json; a report that breaks the contract does not. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBaseline } from '../../src/engine/baseline.js';
import { allRules } from '../../rules/index.js';
import { runEngine } from '../../src/engine/runner.js';
import { readSnapshot } from '../../src/inventory/snapshot.js';
import { buildReport, renderReport } from '../../src/report/index.js';
import { reportSchemaErrors } from '../support/report-schema.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'incidents.snapshot.json');

async function incidentsReport(): Promise<Record<string, unknown>> {
  const inventory = await readSnapshot(EXAMPLE);
  const rules = allRules();
  const [scope] = inventory.scopes;
  const gone = { ruleId: 'single-az-load-balancer', fingerprint: 'aaaaaaaaaaaaaaaa', severity: 'warning', resource: { arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/gone/1', type: 'application', name: 'gone', region: scope?.region ?? '', account: scope?.account } };
  const baseline = parseBaseline(JSON.stringify({ schemaVersion: 1, findings: [gone] }), 'previous.json');
  const notChecked = [{ what: 'route tables (ec2:DescribeRouteTables in us-east-1)', why: 'AccessDenied: not authorized', region: 'us-east-1', account: '123456789012' }];
  const result = runEngine({ inventory: { ...inventory, notChecked }, rules, baseline: baseline.fingerprints });
  const report = buildReport({
    inventory,
    result,
    durationMs: 12,
    baseline,
    probe: { targets: [{ host: 'shop.example', port: 443, dns: { server: 'system', ms: 1.5, addresses: ['192.0.2.1'] }, addresses: [{ ip: '192.0.2.1', family: 4, attempts: [{ outcome: 'timeout' }] }] }] },
  });
  return JSON.parse(renderReport('json', report, { rules: rules.map((rule) => rule.meta) })) as Record<string, unknown>;
}

describe('schema/report.schema.json', () => {
  it('accepts the report of the incidents snapshot, with a baseline, a probe and what was not checked', async () => {
    const report = await incidentsReport();
    expect((report.baseline as { fixed: unknown[] }).fixed).toHaveLength(1);
    expect(reportSchemaErrors(report)).toEqual([]);
  });

  it('refuses a report that breaks the contract', async () => {
    const report = await incidentsReport();
    const [finding] = report.findings as Record<string, unknown>[];
    if (!finding) throw new Error('no finding');
    finding.severity = 'critical';
    delete finding.fingerprint;
    expect(reportSchemaErrors({ ...report, schemaVersion: 2 })).toEqual([
      '/schemaVersion must be equal to constant',
      "/findings/0 must have required property 'fingerprint'",
      '/findings/0/severity must be equal to one of the allowed values',
    ]);
  });
});
