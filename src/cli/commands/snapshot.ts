/**
 * `lbcheck snapshot`: collect the inventory (no rules) and write it as versioned JSON.
 * Progress (per region: what was found) goes to stderr; exit 0 when written, 2 when
 * nothing could be collected (a one-line LbcheckError from the collector).
 *
 * What it fetches: everything every rule reads (or, with --rule, what those rules read), so an
 * audit of the snapshot is exact; the optional data no rule reads for a resource is recorded as
 * not needed (src/engine/needs.ts). --full fetches all of it.
 */
import { collectInventory } from '../../aws/collect.js';
import { EMPTY_CONFIG } from '../../engine/config.js';
import { collectionNeeds, FULL_COLLECTION, type CollectionNeeds } from '../../engine/needs.js';
import { enabledRules, parseRuleSelection } from '../../engine/selection.js';
import { allRules } from '../../../rules/index.js';
import { snapshotJson } from '../../inventory/snapshot.js';
import type { GlobalOptions, ScopeOptions } from '../options.js';
import { checkOutput, emit } from '../output.js';
import { stderrProgress, writeErrorLine } from '../progress.js';
import { filterText, loadBalancerCount, loadBalancerFilterOf } from '../../engine/lb-filter.js';
import { collectOptionsFrom } from '../../aws/scope-options.js';
import { plural } from '../../words.js';

export interface SnapshotOptions extends ScopeOptions, GlobalOptions {
  output: string;
  /** --lb NAME|ARN-glob and --tag KEY=VALUE, repeatable. */
  lb?: string[];
  tag?: string[];
  /** Fetch all optional data, whatever the rules read. */
  full?: boolean;
  /** --rule ID|CATEGORY: fetch what these rules read (default: what every rule reads). */
  rule?: string[];
}

/** The snapshot's needs: every rule's (a config file may turn rules off, never on, so this serves any audit of it), --rule's, or all. */
function snapshotNeeds(options: SnapshotOptions): CollectionNeeds {
  if (options.full) return FULL_COLLECTION;
  const rules = allRules();
  return collectionNeeds(enabledRules(rules, EMPTY_CONFIG, parseRuleSelection(options.rule ?? [], rules)));
}

export async function run(options: SnapshotOptions): Promise<number> {
  const progress = stderrProgress({ quiet: options.quiet, debug: options.debug });
  const needs = snapshotNeeds(options);
  await checkOutput(options.output);
  const filter = loadBalancerFilterOf(options);
  const collect = collectOptionsFrom(options, progress);
  const inventory = await collectInventory({ ...collect, needs, ...(filter && { loadBalancerFilter: filter }) });
  // `--output -` writes the snapshot to stdout; any other path as src/fs.ts writeOutput says.
  await emit(snapshotJson(inventory), options.output);
  const loadBalancers = loadBalancerCount(inventory);
  const calls = Object.values(inventory.stats.apiCalls).reduce((n, c) => n + c, 0);
  const gaps = inventory.notChecked.length ? `; ${inventory.notChecked.length} not checked` : '';
  progress.step(
    `wrote ${options.output === '-' ? 'the snapshot to stdout' : options.output}: ${plural(loadBalancers, 'load balancer')} in ` +
      `${plural(inventory.scopes.length, 'scope')}, ${plural(calls, 'API call')} in ${(inventory.stats.durationMs / 1000).toFixed(1)} s${gaps}`,
  );
  for (const gap of inventory.notChecked) progress.warn(`not checked: ${gap.what}: ${gap.why}`);
  // As an audit: a filter that chose nothing leaves nothing to check (exit 2), the snapshot says so too.
  if (filter && inventory.scopes.length > 0 && loadBalancers === 0) {
    writeErrorLine(`no load balancer matches ${filterText(filter)}`);
    return 2;
  }
  return 0;
}
