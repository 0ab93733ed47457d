/**
 * What the engine checks of a rule list (rules/index.ts checks its own once with it):
 * the invariants everything else relies on (unique kebab-case ids), plus lookups by id.
 */
import type { Rule } from './types.js';
import { LbcheckError } from '../errors.js';

export const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Checks a rule list for what the engine assumes: ids kebab-case and unique. Throws on the first problem. */
export function validateRegistry(rules: readonly Rule[]): readonly Rule[] {
  const seen = new Set<string>();
  for (const rule of rules) {
    const id = rule.meta.id;
    if (!KEBAB_CASE.test(id)) throw new LbcheckError(`rule id "${id}" is not kebab-case`);
    if (seen.has(id)) throw new LbcheckError(`rule id "${id}" is registered twice`);
    seen.add(id);
  }
  return rules;
}

/** Edit distance, for did-you-mean suggestions. */
function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The known id closest to a mistyped one, or undefined when nothing is close.
 * A prefix or substring match wins (users abbreviate); otherwise the nearest id
 * within a third of its length.
 */
export function suggestRuleId(unknown: string, knownIds: readonly string[]): string | undefined {
  const needle = unknown.toLowerCase();
  if (needle.length >= 3) {
    const containing = knownIds.filter((id) => id.includes(needle));
    if (containing.length === 1) return containing[0];
  }
  let best: { id: string; distance: number } | undefined;
  for (const id of knownIds) {
    const distance = levenshtein(needle, id);
    if (distance <= Math.max(2, Math.floor(id.length / 3)) && (!best || distance < best.distance)) best = { id, distance };
  }
  return best?.id;
}

/** The message for an id nobody registered: one line, with a suggestion when one is close. */
export function unknownRuleMessage(ruleId: string, knownIds: readonly string[]): string {
  const suggestion = suggestRuleId(ruleId, knownIds);
  return `unknown rule id "${ruleId}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''} (see lbcheck rules)`;
}

export function findRule(ruleId: string, rules: readonly Rule[]): Rule {
  const rule = rules.find((candidate) => candidate.meta.id === ruleId);
  if (!rule) throw new LbcheckError(unknownRuleMessage(ruleId, rules.map((r) => r.meta.id)));
  return rule;
}
