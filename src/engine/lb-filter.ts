/**
 * --lb NAME|ARN-glob and --tag KEY=VALUE: which load balancers an audit or a snapshot
 * covers. Within a flag the values are alternatives (any --lb glob, any --tag); between
 * the two flags every one given must hold, as aws-cli's `--filters` combine
 * (https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-filter.html). Target groups
 * follow their load balancers: one is kept when it serves a chosen load balancer.
 */
import { LbcheckError } from '../errors.js';
import type { Inventory, LoadBalancer, NotChecked, Scope, TargetGroup } from '../inventory/model.js';
import { matchesGlob } from './glob.js';

export interface TagFilter {
  /** The tag key, exactly (AWS tag keys are case-sensitive). */
  key: string;
  /** A glob on the tag's value (src/engine/glob.ts): `*` for any value. */
  value: string;
}

export interface LoadBalancerFilter {
  /** Globs on each load balancer's name and ARN; empty: any. */
  names: string[];
  /** Tags of which a load balancer must carry one; empty: any. */
  tags: TagFilter[];
}

/** `env=prod` -> { key: 'env', value: 'prod' }; the value may be a glob, and may be empty (a tag set to ""). */
export function parseTagFilter(text: string): TagFilter {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new LbcheckError(`--tag ${JSON.stringify(text)}: expected KEY=VALUE (e.g. env=prod, or env=* for any value)`);
  return { key: text.slice(0, equals), value: text.slice(equals + 1) };
}

/** The filter the flags ask for; undefined when neither --lb nor --tag is given (every load balancer). */
export function loadBalancerFilterOf(flags: { lb?: readonly string[]; tag?: readonly string[] }): LoadBalancerFilter | undefined {
  const names = [...new Set(flags.lb ?? [])];
  if (names.some((name) => name.trim() === '')) throw new LbcheckError('--lb needs a load balancer name, ARN or glob (e.g. web-*)');
  const tags = (flags.tag ?? []).map(parseTagFilter);
  return names.length || tags.length ? { names, tags } : undefined;
}

/** The flags as the user wrote them, for messages: `--lb 'web-*' --tag env=prod`. */
export function filterText(filter: LoadBalancerFilter): string {
  const quoted = (text: string) => (/^[\w.:/=@+-]+$/.test(text) ? text : `'${text}'`);
  return [...filter.names.map((name) => `--lb ${quoted(name)}`), ...filter.tags.map((tag) => `--tag ${quoted(`${tag.key}=${tag.value}`)}`)].join(' ');
}

/** Whether --lb lets this load balancer through (no --lb: every one). */
export function matchesNames(filter: LoadBalancerFilter, lb: { arn: string; name: string }): boolean {
  return filter.names.length === 0 || filter.names.some((glob) => matchesGlob(glob, lb.name, lb.arn));
}

/** Whether --tag lets a load balancer with these tags through (no --tag: every one). */
export function matchesTags(filter: LoadBalancerFilter, tags: Readonly<Record<string, string>>): boolean {
  return filter.tags.length === 0 || filter.tags.some(({ key, value }) => key in tags && matchesGlob(value, tags[key] ?? ''));
}

/** A target group stays when it serves a chosen load balancer (AWS lists those in its LoadBalancerArns). */
export function servesChosen(group: Pick<TargetGroup, 'loadBalancerArns'>, chosenArns: ReadonlySet<string>): boolean {
  return group.loadBalancerArns.some((arn) => chosenArns.has(arn));
}

/** Whether a scope's `unread` says this load balancer's tags were not read (so --tag cannot tell). */
function tagsUnread(scope: Scope, lb: LoadBalancer): boolean {
  return scope.unread.some((gap) => gap.collection === 'tags' && (gap.resources === undefined || gap.resources.includes(lb.arn)));
}

/** The notChecked entry for load balancers --tag could not decide on, their tags unread. */
export function tagsUnknownEntry(names: readonly string[], scope: Pick<Scope, 'account' | 'region'>): NotChecked {
  return {
    what: `${names.length === 1 ? 'load balancer' : `${names.length} load balancers`} ${names.join(', ')} in ${scope.region}`,
    why: 'their tags could not be read, so --tag could not tell whether to audit them',
    region: scope.region,
    account: scope.account,
  };
}

function filterScope(scope: Scope, filter: LoadBalancerFilter, notChecked: NotChecked[]): Scope {
  const unknown: string[] = [];
  const loadBalancers = scope.loadBalancers.filter((lb) => {
    if (!matchesNames(filter, lb)) return false;
    if (filter.tags.length && tagsUnread(scope, lb)) {
      unknown.push(lb.name);
      return false;
    }
    return matchesTags(filter, lb.tags);
  });
  if (unknown.length) notChecked.push(tagsUnknownEntry(unknown, scope));
  const chosen = new Set(loadBalancers.map((lb) => lb.arn));
  return {
    ...scope,
    loadBalancers,
    targetGroups: scope.targetGroups.filter((group) => servesChosen(group, chosen)),
    networkInterfaces: scope.networkInterfaces.filter((eni) => eni.loadBalancerArn === undefined || chosen.has(eni.loadBalancerArn)),
  };
}

/** The inventory with only the load balancers the filter chooses (a snapshot audited with --lb/--tag). */
export function filterInventory(inventory: Inventory, filter: LoadBalancerFilter): Inventory {
  const notChecked = [...inventory.notChecked];
  const scopes = inventory.scopes.map((scope) => filterScope(scope, filter, notChecked));
  return { ...inventory, scopes, notChecked };
}

export function loadBalancerCount(inventory: Pick<Inventory, 'scopes'>): number {
  return inventory.scopes.reduce((sum, scope) => sum + scope.loadBalancers.length, 0);
}
