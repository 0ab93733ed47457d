/**
 * `lbcheck audit`: a thin front end over src/audit.ts. Flags -> resolved options (config,
 * baseline and scope checked before any AWS call) -> runAudit -> render to stdout or
 * --output -> exit code by --fail-on: 0 nothing at or above it, 1 findings at or above
 * it, 2 bad input, nothing checked, a failed listing or --max-time reached.
 */
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { maxTimeReachedLine, maxTimeSignal, runAudit, type AuditOptions, type AuditSource } from '../../audit.js';
import { nextBaseline, readBaseline } from '../../engine/baseline.js';
import { loadConfig } from '../../engine/config.js';
import { loadBalancerFilterOf } from '../../engine/lb-filter.js';
import { parseRuleSelection } from '../../engine/selection.js';
import { SERVER_KEEPALIVE_SECONDS } from '../../engine/keepalive.js';
import { failingFindings } from '../../engine/severity.js';
import type { Rule, Severity } from '../../engine/types.js';
import { LbcheckError } from '../../errors.js';
import type { Progress } from '../../progress.js';
import type { AuditReport, ReportFormat } from '../../report/index.js';
import { countsPhrase } from '../../report/evidence.js';
import { allRules } from '../../../rules/index.js';
import { checkOutputWritable, writeOutput } from '../../fs.js';
import type { Duration, GlobalOptions, ProbeFlags, ScopeOptions } from '../options.js';
import { reportOutputs, writeReports } from '../output.js';
import { stderrProgress, writeErrorLine } from '../progress.js';

export interface AuditFlags extends GlobalOptions, ScopeOptions, ProbeFlags {
  snapshot?: string;
  probe?: boolean;
  measureKeepalive?: boolean;
  keepaliveMaxWait?: Duration;
  format?: ReportFormat;
  /** --output FILE, repeatable: each file's format from its extension, else --format. */
  output?: string[];
  failOn: Severity | 'none';
  config?: string;
  baseline?: string;
  /** --rule ID|CATEGORY, repeatable. */
  rule?: string[];
  writeBaseline?: string;
  sarifCategory?: string;
  /** Text: each finding's evidence, whole. */
  verbose?: boolean;
  /** Markdown: stop at this many bytes. */
  maxBytes?: number;
  maxTime?: Duration;
  /** --lb NAME|ARN-glob and --tag KEY=VALUE, repeatable. */
  lb?: string[];
  tag?: string[];
}

const SCOPE_FLAGS = ['region', 'allRegions', 'profile', 'roleArn', 'orgRole', 'externalId', 'endpointUrl'] as const;

async function sourceFrom(flags: AuditFlags, progress: Progress): Promise<AuditSource> {
  if (flags.snapshot !== undefined) {
    const ignored = SCOPE_FLAGS.filter((flag) => flags[flag] !== undefined);
    if (ignored.length > 0) progress.warn(`--snapshot given: ignoring the scope flags (${ignored.join(', ')})`);
    return { kind: 'snapshot', file: flags.snapshot };
  }
  const { collectOptionsFrom } = await import('../../aws/scope-options.js');
  return { kind: 'aws', collect: collectOptionsFrom(flags, progress) };
}

/** Flags to the pipeline's options: bad config, baseline or scope fails here, before any AWS call. */
async function auditOptionsFrom(flags: AuditFlags, progress: Progress): Promise<AuditOptions & { rules: readonly Rule[] }> {
  if (flags.measureKeepalive && !flags.probe) throw new LbcheckError('--measure-keepalive needs --probe');
  if (flags.keepaliveMaxWait && !flags.measureKeepalive) throw new LbcheckError('--keepalive-max-wait needs --measure-keepalive');
  const rules = allRules();
  const config = await loadConfig({ configPath: flags.config, ruleIds: rules.map((rule) => rule.meta.id), serverKeepalive: SERVER_KEEPALIVE_SECONDS });
  if (config.file !== undefined) progress.step(`config: ${config.file}`);
  const selection = parseRuleSelection(flags.rule ?? [], rules);
  const baseline = flags.baseline !== undefined ? await readBaseline(flags.baseline) : undefined;
  const loadBalancerFilter = loadBalancerFilterOf(flags);
  return {
    source: await sourceFrom(flags, progress),
    config,
    rules,
    ...(selection && { selection }),
    ...(flags.probe && {
      probe: {
        ...(flags.dnsServer !== undefined && { dnsServer: flags.dnsServer }),
        timeoutMs: flags.timeout,
        attempts: flags.attempts,
        measureKeepalive: flags.measureKeepalive ?? false,
        ...(flags.keepaliveMaxWait && { keepaliveMaxWaitMs: flags.keepaliveMaxWait.ms }),
      },
    }),
    ...(baseline && { baseline }),
    ...(loadBalancerFilter && { loadBalancerFilter }),
  };
}

/** 1 when a finding is at or above --fail-on; with a baseline, only a new one counts. */
export function exitCodeOf(report: AuditReport, failOn: Severity | 'none'): 0 | 1 {
  return failingFindings(report.findings, failOn).length > 0 ? 1 : 0;
}

export async function run(flags: AuditFlags, _command?: Command): Promise<number> {
  const deadline = flags.maxTime && maxTimeSignal(flags.maxTime);
  try {
    return await audit(flags, deadline?.signal);
  } finally {
    deadline?.clear();
  }
}

async function audit(flags: AuditFlags, signal: AbortSignal | undefined): Promise<number> {
  const started = performance.now();
  const progress = stderrProgress({ quiet: flags.quiet, debug: flags.debug });
  // Text for a person at a terminal; JSON for a pipe or a file. Every output is checked writable before anything is read.
  const outputs = await reportOutputs(flags.output ?? [], flags.format, process.stdout.isTTY ? 'text' : 'json');
  if (flags.writeBaseline !== undefined) await checkOutputWritable(flags.writeBaseline);
  const options = { ...(await auditOptionsFrom(flags, progress)), ...(signal && { signal }) };

  const { report, inventory, nothingChecked, failedListings, stopped } = await runAudit(options, progress);
  await writeReports(outputs, report, {
    rules: options.rules.map((rule) => rule.meta),
    inventory,
    verbose: flags.verbose ?? false,
    ...(flags.maxBytes !== undefined && { maxBytes: flags.maxBytes }),
    ...(flags.sarifCategory !== undefined && { sarifCategory: flags.sarifCategory }),
  });

  if (stopped && flags.maxTime) {
    writeErrorLine(maxTimeReachedLine(`--max-time ${flags.maxTime.text}`, stopped));
    return 2;
  }
  if (nothingChecked) {
    const first = report.notChecked[0];
    writeErrorLine(`nothing could be checked${first ? `: ${first.what}: ${first.why}` : ''}`);
    return 2;
  }
  // Not when nothing could be checked: an empty baseline would make every finding new tomorrow.
  if (flags.writeBaseline !== undefined) {
    const { baseline } = options;
    await writeOutput(flags.writeBaseline, nextBaseline(report.findings, baseline && { baseline, fixed: report.baseline?.fixed ?? [] }));
  }
  progress.step(`${countsPhrase(report.summary)} in ${Math.round(performance.now() - started)} ms`);
  const failed = failedListings[0];
  if (failed) {
    // The report above holds what was collected; exit 2 says the audit cannot vouch for the rest.
    const regions = [...new Set(failedListings.map((gap) => gap.region ?? (gap.account !== undefined ? `account ${gap.account}` : 'unknown region')))].join(', ');
    writeErrorLine(`load balancers could not be listed in ${regions}, so the audit is incomplete: ${failed.what}: ${failed.why}`);
    return 2;
  }
  return exitCodeOf(report, flags.failOn);
}
