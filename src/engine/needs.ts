/**
 * Needs-driven collection. Some data costs an AWS call per resource that most audits never use
 * (OPTIONAL_COLLECTIONS: target group attributes, listener rules, NLB listener attributes, TLS
 * policies). A rule that reads one says so in `requires`, and may narrow it to the resources it
 * actually reads (`Rule.needs`). The collector fetches the union for the selected rules and records
 * the rest in the scope's `unread` as `notNeeded`; the runner works the same needs out again over the
 * inventory it audits, so a rule whose data was left out (a snapshot taken for other rules) says
 * "not collected" instead of passing on a default.
 */
import type { InventoryIndex } from '../inventory/indexes.js';
import { OPTIONAL_COLLECTIONS, type Collection, type OptionalData, type Scope, type Unread } from '../inventory/model.js';
import type { Rule } from './types.js';

/** What a collection for a set of rules fetches of the optional data. */
export interface CollectionNeeds {
  /** The optional collections some selected rule requires: the others are not fetched at all. */
  readonly collections: ReadonlySet<OptionalData>;
  /**
   * The resources of `collection` the rules read in a scope (target group ARNs for
   * targetGroupAttributes, load balancer ARNs otherwise), worked out from the scope without its
   * optional data; undefined: all of them.
   */
  resources(collection: OptionalData, scope: Scope, index: InventoryIndex): ReadonlySet<string> | undefined;
}

/** Why a `notNeeded` entry's data is absent (the scope's `unread`). */
export const NOT_NEEDED_WHY = 'not needed by the rules this inventory was collected for';

export function isOptionalCollection(collection: Collection): collection is OptionalData {
  return (OPTIONAL_COLLECTIONS as readonly Collection[]).includes(collection);
}

/** The resources one rule reads of an optional collection it requires; undefined: all of them. */
export function ruleNeeds(rule: Rule, collection: OptionalData, scope: Scope, index: InventoryIndex): ReadonlySet<string> | undefined {
  const needsOf = rule.needs?.[collection];
  return needsOf ? new Set(needsOf({ scope, index })) : undefined;
}

/** What the collector fetches for these rules (`lbcheck audit`: the enabled ones; `lbcheck snapshot`: all, or --rule's). */
export function collectionNeeds(rules: readonly Rule[]): CollectionNeeds {
  return {
    collections: new Set(rules.flatMap((rule) => rule.meta.requires.filter(isOptionalCollection))),
    resources(collection, scope, index) {
      const union = new Set<string>();
      for (const rule of rules) {
        if (!rule.meta.requires.includes(collection)) continue;
        const ids = ruleNeeds(rule, collection, scope, index);
        if (!ids) return undefined;
        for (const id of ids) union.add(id);
      }
      return union;
    },
  };
}

/** Everything (`lbcheck snapshot --full`, and the collector's default for a library user). */
export const FULL_COLLECTION: CollectionNeeds = { collections: new Set(OPTIONAL_COLLECTIONS), resources: () => undefined };

/**
 * The scope's `notNeeded` entries a rule would have read, narrowed to the resources it needs
 * (empty: everything the rule reads was collected).
 */
export function notCollectedFor(rule: Rule, scope: Scope, index: InventoryIndex): Unread[] {
  const missing: Unread[] = [];
  const neededBy = new Map<OptionalData, ReadonlySet<string> | undefined>();
  for (const gap of scope.unread) {
    if (!gap.notNeeded || !isOptionalCollection(gap.collection) || !rule.meta.requires.includes(gap.collection)) continue;
    if (!neededBy.has(gap.collection)) neededBy.set(gap.collection, ruleNeeds(rule, gap.collection, scope, index));
    const needed = neededBy.get(gap.collection);
    if (needed === undefined || gap.resources === undefined) {
      missing.push(gap);
      continue;
    }
    const resources = gap.resources.filter((id) => needed.has(id));
    if (resources.length > 0) missing.push({ ...gap, resources });
  }
  return missing;
}
