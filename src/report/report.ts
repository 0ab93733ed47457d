/**
 * The audit report every format renders: the contract's JSON shape (schemaVersion,
 * tool, scope, findings, notChecked, probe, stats) plus a summary, the ignores that
 * applied or expired, and the rules that ran.
 */
import type { Inventory, NotChecked } from '../inventory/model.js';
import type { ProbeReport } from '../inventory/probe-report.js';
import { failedAttempts } from './probe-text.js';
import type { EngineResult, LoadBalancerRef, ReportFinding } from '../engine/runner.js';
import type { ExpiredIgnore, SuppressedFinding } from '../engine/ignores.js';
import { fixedSince, type Baseline, type BaselineEntry } from '../engine/baseline.js';
import { loadBalancerCount } from '../engine/lb-filter.js';
import { severityCounts } from '../engine/severity.js';
import type { RuleMeta } from '../engine/types.js';
import { TOOL_NAME, VERSION } from '../version.js';

export const REPORT_SCHEMA_VERSION = 1 as const;

export interface ReportSummary {
  errors: number;
  warnings: number;
  infos: number;
  /** Findings not in the --baseline; without a baseline, every finding. */
  newFindings: number;
  loadBalancers: number;
  regions: number;
  accounts: number;
}

export interface AuditReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: typeof TOOL_NAME; version: string };
  scope: { regions: string[]; accounts: string[] };
  findings: ReportFinding[];
  notChecked: NotChecked[];
  probe?: ProbeReport;
  stats: { apiCalls: Record<string, number>; durationMs: number };
  summary: ReportSummary;
  ignores: { suppressed: SuppressedFinding[]; expired: ExpiredIgnore[] };
  /** Ids of the rules that ran; the reporters look their metadata up in `ruleMeta`. */
  rules: string[];
  /** With --baseline: how many findings are new, and what the baseline had that this audit no longer finds. */
  baseline?: { file: string; new: number; fixed: BaselineEntry[] };
}

/** What reporters need besides the report: rule metadata (SARIF's rule list, Markdown links). */
export interface RenderContext {
  rules: readonly RuleMeta[];
  color?: boolean;
  /** SARIF `automationDetails.id` (--sarif-category); default: one per account and region. */
  sarifCategory?: string;
  /** The inventory the report came from (the LB's network path for HTML, its scheme for text); absent for a merged report. */
  inventory?: Inventory;
  /** Text: the terminal width to wrap to (default 80). */
  width?: number;
  /** Text: print each finding's evidence, whole. */
  verbose?: boolean;
  /** Markdown: stop at this many bytes (--max-bytes; default GitHub's 1 MiB step summary limit). */
  maxBytes?: number;
}

const unique = (values: readonly string[]) => [...new Set(values)].sort();

export function buildReport(options: {
  inventory: Inventory;
  result: EngineResult;
  probe?: ProbeReport;
  durationMs: number;
  baseline?: Baseline;
}): AuditReport {
  const { inventory, result } = options;
  const counts = severityCounts(result.findings);
  const regions = unique(inventory.scopes.map((scope) => scope.region));
  const accounts = unique(inventory.scopes.map((scope) => scope.account));
  const newFindings = result.findings.filter((finding) => finding.new !== false).length;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: VERSION },
    scope: { regions, accounts },
    findings: result.findings,
    notChecked: result.notChecked,
    ...(options.probe && { probe: options.probe }),
    stats: { apiCalls: inventory.stats.apiCalls, durationMs: Math.round(options.durationMs) },
    summary: {
      errors: counts.error,
      warnings: counts.warning,
      infos: counts.info,
      newFindings,
      loadBalancers: loadBalancerCount(inventory),
      regions: regions.length,
      accounts: accounts.length,
    },
    ignores: result.ignores,
    rules: result.rulesRun,
    ...(options.baseline && { baseline: { file: options.baseline.file, new: newFindings, fixed: fixedFindings(options.baseline, inventory, result) } }),
  };
}

function fixedFindings(baseline: Baseline, inventory: Inventory, result: EngineResult): BaselineEntry[] {
  return fixedSince(baseline, result.findings, {
    scopes: inventory.scopes,
    rulesRun: result.rulesRun,
    notChecked: result.notChecked,
    suppressedFingerprints: new Set(result.ignores.suppressed.map((finding) => finding.fingerprint)),
  });
}

/** Findings grouped by the load balancer they are about, in report order; findings on no LB last, under `undefined`. */
export function groupByLoadBalancer(findings: readonly ReportFinding[]): { loadBalancer?: LoadBalancerRef; findings: ReportFinding[] }[] {
  const groups = new Map<string, { loadBalancer?: LoadBalancerRef; findings: ReportFinding[] }>();
  for (const finding of findings) {
    const key = finding.loadBalancer?.arn ?? '';
    const group = groups.get(key) ?? { ...(finding.loadBalancer && { loadBalancer: finding.loadBalancer }), findings: [] };
    group.findings.push(finding);
    groups.set(key, group);
  }
  // Named LBs first (most severe first, as the findings are sorted), unattached findings last.
  return [...groups.entries()].sort(([a], [b]) => Number(a === '') - Number(b === '')).map(([, group]) => group);
}

export interface ProbeSummary {
  names: number;
  addresses: number;
  /** `ip:port` of every address that failed at least one attempt. */
  failing: string[];
  /** Listeners not probed (UDP, internal LBs not reachable from here, ...). */
  skipped: number;
}

export function probeSummary(probe: ProbeReport): ProbeSummary {
  const probed = probe.targets.filter((target) => !target.skipped);
  const addresses = probed.flatMap((target) => target.addresses.map((address) => ({ target, address })));
  return {
    names: new Set(probed.map((target) => target.host)).size,
    addresses: addresses.length,
    failing: addresses.filter(({ address }) => failedAttempts(address) > 0).map(({ target, address }) => `${address.ip}:${target.port}`),
    skipped: probe.targets.length - probed.length,
  };
}
