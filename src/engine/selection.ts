/**
 * Which rules run: the registry, narrowed by `--rule ID|CATEGORY` (repeatable) and by the
 * config file (`rules: { ID: off }`, `categories: { CATEGORY: off }`). One function decides,
 * so the runner, the collector's needs (engine/needs.ts) and the report agree on the set.
 *
 * Precedence: a rule named by id on the command line always runs; otherwise a rule the
 * config turns off stays off, a rule the config gives a severity runs even when its
 * category is off, and a category the config turns off takes its other rules with it.
 */
import { LbcheckError } from '../errors.js';
import type { LbcheckConfig } from './config.js';
import { suggestRuleId } from './registry.js';
import { RULE_CATEGORIES, type Rule, type RuleCategory } from './types.js';

/** What `--rule` selected: ids and categories (empty selection = every rule). */
export interface RuleSelection {
  ids: ReadonlySet<string>;
  categories: ReadonlySet<RuleCategory>;
}

function isCategory(value: string): value is RuleCategory {
  return (RULE_CATEGORIES as readonly string[]).includes(value);
}

/** `--rule` values → a selection; an unknown id or category is one line (exit 2). */
export function parseRuleSelection(values: readonly string[], rules: readonly Rule[]): RuleSelection | undefined {
  if (values.length === 0) return undefined;
  const knownIds = rules.map((rule) => rule.meta.id);
  const ids = new Set<string>();
  const categories = new Set<RuleCategory>();
  for (const raw of values) {
    const value = raw.trim();
    if (isCategory(value)) categories.add(value);
    else if (knownIds.includes(value)) ids.add(value);
    else {
      const suggestion = suggestRuleId(value, [...knownIds, ...RULE_CATEGORIES]);
      throw new LbcheckError(
        `--rule ${JSON.stringify(raw)} is neither a rule id nor a category (${RULE_CATEGORIES.join(', ')})${suggestion ? `; did you mean "${suggestion}"?` : ''} (see lbcheck rules)`,
      );
    }
  }
  return { ids, categories };
}

function selected(rule: Rule, selection: RuleSelection | undefined): boolean {
  return !selection || selection.ids.has(rule.meta.id) || selection.categories.has(rule.meta.category);
}

function enabledByConfig(rule: Rule, config: LbcheckConfig): boolean {
  const setting = config.rules[rule.meta.id]?.severity;
  if (setting === 'off') return false;
  if (setting !== undefined) return true;
  return config.categories[rule.meta.category] !== false;
}

/** The rules that run, in registry order. */
export function enabledRules(rules: readonly Rule[], config: LbcheckConfig, selection?: RuleSelection): Rule[] {
  return rules.filter((rule) => selected(rule, selection) && (selection?.ids.has(rule.meta.id) || enabledByConfig(rule, config)));
}
