/**
 * `lbcheck audit`: inventory (live, or --snapshot) → config → rules (→ probe) → report.
 * Machine output to stdout or --output; progress on stderr. Exit code by --fail-on:
 * 0 nothing at or above it, 1 findings at or above it, 2 bad input or nothing checked.
 */
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import type { Inventory } from '../../inventory/model.js';
import { readBaseline } from '../../engine/baseline.js';
import { loadConfig } from '../../engine/config.js';
import { SERVER_KEEPALIVE_SECONDS } from '../../engine/keepalive.js';
import { allRules } from '../../../rules/index.js';
import { runEngine, type EngineResult } from '../../engine/runner.js';
import { parseRuleSelection } from '../../engine/selection.js';
import { atOrAbove } from '../../engine/severity.js';
import type { Severity } from '../../engine/types.js';
import { buildReport, renderReport, type AuditReport } from '../../report/index.js';
import type { ReportFormat } from '../../report/index.js';
import { countsPhrase } from '../../report/evidence.js';
import { LbcheckError } from '../../errors.js';
import type { GlobalOptions, ProbeFlags, ScopeOptions } from '../options.js';
import { emit } from '../output.js';
import type { Progress } from '../../progress.js';
import { colorEnabled, stderrProgress, writeErrorLine } from '../progress.js';

export interface AuditOptions extends GlobalOptions, ScopeOptions, ProbeFlags {
  snapshot?: string;
  probe?: boolean;
  measureKeepalive?: boolean;
  format?: ReportFormat;
  output?: string;
  failOn: Severity | 'none';
  config?: string;
  baseline?: string;
  /** --rule ID|CATEGORY, repeatable. */
  rule?: string[];
}

const SCOPE_FLAGS = ['region', 'allRegions', 'profile', 'endpointUrl'] as const;

async function loadInventory(options: AuditOptions, progress: Progress): Promise<Inventory> {
  if (options.snapshot !== undefined) {
    const ignored = SCOPE_FLAGS.filter((flag) => options[flag] !== undefined);
    if (ignored.length > 0) progress.warn(`--snapshot given: ignoring the scope flags (${ignored.join(', ')})`);
    const { readSnapshot } = await import('../../inventory/snapshot.js');
    progress.step(`reading snapshot ${options.snapshot}`);
    return readSnapshot(options.snapshot);
  }
  const [{ collectInventory }, { collectOptionsFrom }] = await Promise.all([import('../../aws/collect.js'), import('../scope.js')]);
  return collectInventory(collectOptionsFrom(options, progress));
}

/**
 * --probe: the probe module is a dynamic import, so a plain audit never loads socket,
 * TLS and DNS code (and the bundle keeps it in its own chunk).
 */
async function probe(inventory: Inventory, options: AuditOptions, progress: Progress) {
  const { probeForAudit } = await import('../../probe/audit.js');
  return probeForAudit(inventory, {
    ...(options.dnsServer !== undefined && { dnsServer: options.dnsServer }),
    timeoutMs: options.timeout,
    attempts: options.attempts,
    measureKeepalive: options.measureKeepalive ?? false,
    progress,
  });
}

/** Exit code 2 when nothing could be checked: no scope collected, or every rule failed everywhere. */
function nothingChecked(inventory: Inventory, result: EngineResult): boolean {
  if (inventory.scopes.length === 0) return true;
  return result.rulesRun.length > 0 && result.checksCompleted === 0;
}

function exitCode(report: AuditReport, failOn: Severity | 'none'): 0 | 1 {
  return report.findings.some((finding) => atOrAbove(finding.severity, failOn)) ? 1 : 0;
}

export async function run(options: AuditOptions, _command?: Command): Promise<number> {
  const started = performance.now();
  const progress = stderrProgress({ quiet: options.quiet, debug: options.debug });
  if (options.measureKeepalive && !options.probe) throw new LbcheckError('--measure-keepalive needs --probe');
  const toTerminal = options.output === undefined || options.output === '-';
  // Text for a person at a terminal; JSON for a pipe or a file.
  const format: ReportFormat = options.format ?? (toTerminal && process.stdout.isTTY ? 'text' : 'json');
  const rules = allRules();

  // Bad config or baseline fails before any AWS call.
  const config = await loadConfig({ configPath: options.config, ruleIds: rules.map((rule) => rule.meta.id), serverKeepalive: SERVER_KEEPALIVE_SECONDS });
  if (config.file !== undefined) progress.debug(`config: ${config.file}`);
  const selection = parseRuleSelection(options.rule ?? [], rules);
  const baseline = options.baseline !== undefined ? await readBaseline(options.baseline) : undefined;

  const inventory = await loadInventory(options, progress);
  const probed = options.probe ? await probe(inventory, options, progress) : undefined;
  const result = runEngine({
    inventory: probed ? { ...inventory, notChecked: [...inventory.notChecked, ...probed.notChecked] } : inventory,
    rules,
    config,
    ...(selection && { selection }),
    ...(probed && { probe: probed.probe, measuredKeepalive: probed.measuredKeepalive }),
    ...(baseline && { baseline }),
  });
  const report = buildReport({
    inventory,
    result,
    ...(probed && { probe: probed.probe }),
    durationMs: performance.now() - started,
    ...(options.baseline !== undefined && { baselineFile: options.baseline }),
  });

  for (const expired of report.ignores.expired) {
    progress.warn(`${expired.ignore}: ignore of ${expired.rule} on ${expired.resource} expired on ${expired.expires}; it no longer suppresses anything`);
  }
  await emit(renderReport(format, report, { rules: rules.map((rule) => rule.meta), color: format === 'text' && toTerminal && colorEnabled(process.stdout) }), options.output);

  if (nothingChecked(inventory, result)) {
    const first = result.notChecked[0];
    writeErrorLine(`nothing could be checked${first ? `: ${first.what}: ${first.why}` : ''}`);
    return 2;
  }
  progress.step(`${countsPhrase(report.summary)} in ${Math.round(performance.now() - started)} ms`);
  return exitCode(report, options.failOn);
}
