/** `lbcheck rules`: every registered rule with its metadata. */
import { ruleDocsUrl } from '../../engine/docs.js';
import { allRules } from '../../../rules/index.js';
import { emit } from '../output.js';
import type { GlobalOptions } from '../options.js';

export interface RulesOptions extends GlobalOptions {
  format: 'text' | 'json';
}

export async function run(options: RulesOptions): Promise<number> {
  const rules = allRules();
  if (options.format === 'json') {
    await emit(JSON.stringify(rules.map((rule) => ({ ...rule.meta, ...(ruleDocsUrl(rule.meta.id) !== undefined && { docs: ruleDocsUrl(rule.meta.id) }) })), null, 2));
    return 0;
  }
  if (rules.length === 0) {
    await emit('No rules are registered.');
    return 0;
  }
  const width = Math.max(...rules.map((rule) => rule.meta.id.length));
  const lines = rules.map((rule) => {
    const { id, defaultSeverity, category, source, title } = rule.meta;
    return `${id.padEnd(width)}  ${defaultSeverity.padEnd(7)}  ${category.padEnd(12)}  ${source.padEnd(6)}  ${title}`;
  });
  lines.push('', `${rules.length} rules. lbcheck explain RULE_ID shows the rationale, the fix and the references.`);
  await emit(lines.join('\n'));
  return 0;
}
