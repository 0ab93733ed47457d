/**
 * The audit pipeline, the one every front end calls (the CLI, the GitHub Action, a
 * library user): inventory (collected live, read from a snapshot, or given) -> probe
 * (optional) -> rules -> the report model. It takes options already resolved and
 * checked by the front end, reports progress only through `Progress`, and leaves
 * rendering, output files and exit codes to the front end.
 */
import { performance } from 'node:perf_hooks';
import type { CollectOptions } from './aws/collect.js';
import { endpointOf } from './aws/endpoint.js';
import type { Duration } from './duration.js';
import { CallDeadlineError, MAX_TIME_REASON } from './errors.js';
import type { Baseline } from './engine/baseline.js';
import { EMPTY_CONFIG, type LbcheckConfig } from './engine/config.js';
import { filterInventory, filterText, loadBalancerCount, type LoadBalancerFilter } from './engine/lb-filter.js';
import { runEngine, type EngineResult } from './engine/runner.js';
import { collectionNeeds, type CollectionNeeds } from './engine/needs.js';
import { enabledRules, type RuleSelection } from './engine/selection.js';
import type { Rule } from './engine/types.js';
import type { Inventory, NotChecked } from './inventory/model.js';
import type { AuditProbeOptions, AuditProbeResult } from './probe/audit.js';
import { silentProgress, type Progress } from './progress.js';
import { buildReport, type AuditReport } from './report/index.js';
import { plural } from './words.js';
import { allRules } from '../rules/index.js';

/** Where the inventory comes from. */
export type AuditSource =
  /** Collect it from AWS now (scopes, regions, profiles, endpoint, concurrency). Progress comes from runAudit's argument. */
  | { kind: 'aws'; collect: Omit<CollectOptions, 'progress'> }
  /** Read a snapshot file written by `lbcheck snapshot`. */
  | { kind: 'snapshot'; file: string }
  /** An inventory already in memory (a library user, a test, shards merged by a front end). */
  | { kind: 'inventory'; inventory: Inventory };

/** --probe: how to probe every resolved address of every LB name. */
export type AuditProbeSettings = Omit<AuditProbeOptions, 'progress'>;

export interface AuditOptions {
  source: AuditSource;
  /** The loaded config (engine/config.ts loadConfig); default: no config file. */
  config?: LbcheckConfig;
  /** The rules to run; default: every registered rule. */
  rules?: readonly Rule[];
  /** Only these rules or categories (--rule ID|CATEGORY; engine/selection.ts says how it meets the config). */
  selection?: RuleSelection;
  /** Probe the load balancers' addresses too; absent: no probe. */
  probe?: AuditProbeSettings;
  /**
   * --lb / --tag: only these load balancers (and the target groups that serve them). Collecting, nothing
   * is read for the others; from a snapshot or an inventory, the others are dropped before the rules run.
   */
  loadBalancerFilter?: LoadBalancerFilter;
  /** A previous report or baseline file (engine/baseline.ts readBaseline): which findings are new, which are fixed. */
  baseline?: Baseline;
  /**
   * Bounds the audit (--max-time: abort it with a CallDeadlineError whose message is MAX_TIME_REASON).
   * Aborted before the audit starts: runAudit rejects with its reason. Aborted while collecting: every
   * AWS call in flight ends, and the audit goes on with what was collected (what was not is in
   * notChecked, so the rules that needed it say "could not check"); the probe is skipped.
   */
  signal?: AbortSignal;
}

export interface AuditResult {
  /** The report model every reporter renders (report/index.ts renderReport). */
  report: AuditReport;
  /** The inventory the rules ran over (a front end may also write it as a snapshot). */
  inventory: Inventory;
  /**
   * Nothing could be checked: no scope collected, or every rule failed everywhere.
   * Front ends exit 2 then (contract); `report.notChecked` says why.
   */
  nothingChecked: boolean;
  /**
   * The load-balancer listings that failed (a scope's DescribeLoadBalancers, elbv2 or
   * Classic, or a region that yielded nothing): the audit cannot vouch for what it never
   * saw, so front ends exit 2 (contract) after reporting what was collected.
   */
  failedListings: NotChecked[];
  /** The signal stopped the audit (--max-time): where, and what it left out. Front ends exit 2 (contract). */
  stopped?: AuditStopped;
}

export interface AuditStopped {
  /** The regions whose collection it cut short (none: it came after the collection, and the probe was skipped or cut short). */
  regions: string[];
  /** It came while probing: the probe's notChecked entries it left (lookups, attempts and keep-alive measurements not made). */
  probeEntriesNotMade?: number;
  /** Where those calls went (collecting from AWS). */
  endpoint?: string;
  /** Load balancers of those regions that were listed; their checks ran on incomplete data. */
  loadBalancers: number;
}

/**
 * The signal for AuditOptions.signal that a front end's --max-time aborts, with the reason every AWS call
 * in flight then fails with (notChecked says MAX_TIME_REASON, so stoppedWhileCollecting finds the regions). Clear it when done.
 */
export function maxTimeSignal(maxTime: Duration): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new CallDeadlineError(MAX_TIME_REASON)), maxTime.ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** The one line for an audit that `limit` (`--max-time 15m`, the Action's `max-time 15m`) stopped; its report of what was collected is out already. */
export function maxTimeReachedLine(limit: string, stopped: AuditStopped): string {
  const reached = `${limit} reached`;
  if (stopped.probeEntriesNotMade !== undefined) return `${reached} while probing: what was probed is reported, ${plural(stopped.probeEntriesNotMade, 'probe')} not finished (in notChecked)`;
  if (stopped.regions.length === 0) return `${reached} before the probe: no address was probed`;
  const lost = stopped.loadBalancers > 0 ? `${plural(stopped.loadBalancers, 'load balancer')} not fully checked` : 'nothing collected there';
  return `${reached} while collecting ${stopped.regions.join(', ')} (${stopped.endpoint ?? 'AWS'}): ${lost}`;
}

const LISTING_CALL = 'elasticloadbalancing:DescribeLoadBalancers';
/** An account whose role could not be assumed (--role-arn, --org-role): none of its load balancers were listed. */
const ASSUME_ROLE_CALL = 'sts:AssumeRole';

function failedListings(inventory: Inventory): NotChecked[] {
  const collected = (gap: NotChecked) =>
    inventory.scopes.some((scope) => scope.region === gap.region && (gap.account === undefined || gap.account === 'unknown' || gap.account === scope.account));
  return inventory.notChecked.filter((gap) => gap.call === LISTING_CALL || gap.call === ASSUME_ROLE_CALL || (gap.region !== undefined && !collected(gap)));
}

interface LoadSettings {
  signal: AbortSignal | undefined;
  needs: CollectionNeeds;
  filter: LoadBalancerFilter | undefined;
}

async function loadInventory(source: AuditSource, progress: Progress, { signal, needs, filter }: LoadSettings): Promise<Inventory> {
  switch (source.kind) {
    case 'inventory':
      return filter ? filterInventory(source.inventory, filter) : source.inventory;
    case 'snapshot': {
      // Dynamic imports: a snapshot audit never loads the AWS SDK (the bundle keeps it in its own chunk).
      const { readSnapshot } = await import('./inventory/snapshot.js');
      progress.step(`reading snapshot ${source.file}`);
      const inventory = await readSnapshot(source.file);
      return filter ? filterInventory(inventory, filter) : inventory;
    }
    case 'aws': {
      const { collectInventory } = await import('./aws/collect.js');
      // Only the optional data the enabled rules need: a rule's extra AWS calls are made only when it runs, for what it reads.
      return collectInventory({ ...source.collect, needs, progress, ...(signal && { signal }), ...(filter && { loadBalancerFilter: filter }) });
    }
  }
}

/** --lb / --tag chose no load balancer: nothing was checked, and the one line says which flags. */
function nothingChosen(filter: LoadBalancerFilter): NotChecked {
  return { what: filterText(filter), why: 'no load balancer in the scope matches' };
}

/** The probe module is a dynamic import too, so an audit without --probe never loads socket, TLS and DNS code. */
async function probe(inventory: Inventory, settings: AuditProbeSettings, progress: Progress, signal: AbortSignal | undefined): Promise<AuditProbeResult> {
  const { probeForAudit } = await import('./probe/audit.js');
  // --max-time reaches into the probe: lookups, attempts and keep-alive waits in flight end there.
  return probeForAudit(inventory, { ...settings, progress, ...(signal && { signal }) });
}

function stoppedWhileCollecting(inventory: Inventory, source: AuditSource): AuditStopped {
  const regions = [...new Set(inventory.notChecked.filter((gap) => gap.why === MAX_TIME_REASON).flatMap((gap) => (gap.region ? [gap.region] : [])))].sort();
  const loadBalancers = inventory.scopes.filter((scope) => regions.includes(scope.region)).reduce((sum, scope) => sum + scope.loadBalancers.length, 0);
  return { regions, loadBalancers, ...(source.kind === 'aws' && { endpoint: endpointOf(source.collect) }) };
}

function nothingChecked(inventory: Inventory, result: EngineResult): boolean {
  if (inventory.scopes.length === 0) return true;
  return result.rulesRun.length > 0 && result.checksCompleted === 0;
}

/** Runs one audit. Throws LbcheckError (src/errors.ts) for bad input the front end could not check before: an unreadable snapshot, no credentials. */
export async function runAudit(options: AuditOptions, progress: Progress = silentProgress): Promise<AuditResult> {
  const started = performance.now();
  const { signal } = options;
  signal?.throwIfAborted();
  const rules = options.rules ?? allRules();
  const config = options.config ?? EMPTY_CONFIG;
  const filter = options.loadBalancerFilter;
  const loaded = await loadInventory(options.source, progress, { signal, needs: collectionNeeds(enabledRules(rules, config, options.selection)), filter });
  const chosenNone = filter !== undefined && loaded.scopes.length > 0 && loadBalancerCount(loaded) === 0;
  const collected = chosenNone ? { ...loaded, notChecked: [nothingChosen(filter), ...loaded.notChecked] } : loaded;
  let stopped = signal?.aborted ? stoppedWhileCollecting(collected, options.source) : undefined;
  // Aborted once everything was collected, with no probe to skip: nothing was lost.
  if (stopped && stopped.regions.length === 0 && !options.probe) stopped = undefined;
  const inventory = stopped && options.probe ? { ...collected, notChecked: [...collected.notChecked, { what: 'the probe of every load balancer address', why: MAX_TIME_REASON }] } : collected;
  const probed = options.probe && !stopped ? await probe(inventory, options.probe, progress, signal) : undefined;
  const probesNotMade = probed?.notChecked.filter((gap) => gap.why === MAX_TIME_REASON).length ?? 0;
  if (probesNotMade > 0) stopped = { regions: [], loadBalancers: 0, probeEntriesNotMade: probesNotMade };
  const result = runEngine({
    inventory: probed ? { ...inventory, notChecked: [...inventory.notChecked, ...probed.notChecked] } : inventory,
    rules,
    config,
    ...(options.selection && { selection: options.selection }),
    ...(probed && { probe: probed.probe, measuredKeepalive: probed.measuredKeepalive }),
    ...(options.baseline && { baseline: options.baseline.fingerprints }),
  });
  const report = buildReport({
    inventory,
    result,
    ...(probed && { probe: probed.probe }),
    durationMs: performance.now() - started,
    ...(options.baseline && { baseline: options.baseline }),
  });
  for (const expired of report.ignores.expired) {
    progress.warn(`${expired.ignore}: ignore of ${expired.rule} on ${expired.resource} expired on ${expired.expires}; it no longer suppresses anything`);
  }
  return {
    report,
    inventory,
    nothingChecked: chosenNone || nothingChecked(inventory, result),
    failedListings: failedListings(inventory),
    ...(stopped && { stopped }),
  };
}
