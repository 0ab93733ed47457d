/**
 * `lbcheck snapshot`: collect the inventory (no rules) and write it as versioned JSON.
 * Progress (per region: what was found) goes to stderr; exit 0 when written, 2 when
 * nothing could be collected (a one-line LbcheckError from the collector).
 */
import { collectInventory } from '../../aws/collect.js';
import { snapshotJson } from '../../inventory/snapshot.js';
import type { GlobalOptions, ScopeOptions } from '../options.js';
import { checkOutput, emit } from '../output.js';
import { stderrProgress } from '../progress.js';
import { collectOptionsFrom } from '../../aws/scope-options.js';
import { plural } from '../../words.js';

export interface SnapshotOptions extends ScopeOptions, GlobalOptions {
  output: string;
}

export async function run(options: SnapshotOptions): Promise<number> {
  const progress = stderrProgress({ quiet: options.quiet, debug: options.debug });
  await checkOutput(options.output);
  const collect = collectOptionsFrom(options, progress);
  const inventory = await collectInventory(collect);
  // `--output -` writes the snapshot to stdout; any other path as src/fs.ts writeOutput says.
  await emit(snapshotJson(inventory), options.output);
  const loadBalancers = inventory.scopes.reduce((n, scope) => n + scope.loadBalancers.length, 0);
  const calls = Object.values(inventory.stats.apiCalls).reduce((n, c) => n + c, 0);
  const gaps = inventory.notChecked.length ? `; ${inventory.notChecked.length} not checked` : '';
  progress.step(
    `wrote ${options.output === '-' ? 'the snapshot to stdout' : options.output}: ${plural(loadBalancers, 'load balancer')} in ` +
      `${plural(inventory.scopes.length, 'scope')}, ${plural(calls, 'API call')} in ${(inventory.stats.durationMs / 1000).toFixed(1)} s${gaps}`,
  );
  for (const gap of inventory.notChecked) progress.warn(`not checked: ${gap.what}: ${gap.why}`);
  return 0;
}
