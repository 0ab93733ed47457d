/**
 * `lbcheck merge`: the JSON reports of a matrix of shards (accounts x regions, one job each)
 * as one report. Findings are de-duplicated by fingerprint (two shards that saw the same
 * resource report it once), notChecked entries and API call counts add up, the summary is
 * counted again from the merged findings, so merging the shards of an audit gives the
 * report of that audit.
 */
import { compareFindings, type ReportFinding } from '../engine/runner.js';
import type { NotChecked } from '../inventory/model.js';
import { TOOL_NAME, VERSION } from '../version.js';
import { REPORT_SCHEMA_VERSION, type AuditReport } from './report.js';

const unique = (values: Iterable<string>) => [...new Set(values)].sort();

function byKey<T>(items: Iterable<T>, key: (item: T) => string): T[] {
  const kept = new Map<string, T>();
  for (const item of items) if (!kept.has(key(item))) kept.set(key(item), item);
  return [...kept.values()];
}

function sumCounts(counts: readonly Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const count of counts) for (const [name, n] of Object.entries(count)) total[name] = (total[name] ?? 0) + n;
  return Object.fromEntries(Object.entries(total).sort(([a], [b]) => a.localeCompare(b, 'en')));
}

const notCheckedKey = (entry: NotChecked) => JSON.stringify([entry.account, entry.region, entry.what, entry.why]);

export function mergeReports(reports: readonly AuditReport[]): AuditReport {
  const findings: ReportFinding[] = byKey(
    reports.flatMap((report) => report.findings),
    (finding) => finding.fingerprint,
  ).sort(compareFindings);
  const count = (severity: string) => findings.filter((finding) => finding.severity === severity).length;
  const regions = unique(reports.flatMap((report) => report.scope.regions));
  const accounts = unique(reports.flatMap((report) => report.scope.accounts));
  const baselines = reports.flatMap((report) => (report.baseline ? [report.baseline] : []));
  const newFindings = findings.filter((finding) => finding.new !== false).length;
  const probeTargets = reports.flatMap((report) => report.probe?.targets ?? []);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: VERSION },
    scope: { regions, accounts },
    findings,
    // One entry per shard that could not read something: the same gap seen twice is one gap.
    notChecked: byKey(
      reports.flatMap((report) => report.notChecked),
      notCheckedKey,
    ),
    ...(probeTargets.length > 0 && { probe: { targets: probeTargets } }),
    stats: {
      apiCalls: sumCounts(reports.map((report) => report.stats.apiCalls)),
      durationMs: reports.reduce((sum, report) => sum + report.stats.durationMs, 0),
    },
    summary: {
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      newFindings,
      loadBalancers: reports.reduce((sum, report) => sum + (report.summary?.loadBalancers ?? 0), 0),
      regions: regions.length,
      accounts: accounts.length,
    },
    ignores: {
      suppressed: byKey(
        reports.flatMap((report) => report.ignores?.suppressed ?? []),
        (entry) => entry.fingerprint,
      ),
      expired: byKey(
        reports.flatMap((report) => report.ignores?.expired ?? []),
        (entry) => `${entry.ignore}|${entry.rule}|${entry.resource}`,
      ),
    },
    rules: unique(reports.flatMap((report) => report.rules ?? [])),
    ...(baselines.length > 0 && {
      baseline: {
        file: unique(baselines.map((baseline) => baseline.file)).join(', '),
        new: newFindings,
        fixed: byKey(
          baselines.flatMap((baseline) => baseline.fixed),
          (entry) => entry.fingerprint,
        ).filter((entry) => !findings.some((finding) => finding.fingerprint === entry.fingerprint)),
      },
    }),
  };
}
