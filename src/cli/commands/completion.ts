/**
 * `lbcheck completion bash|zsh|fish`: the shell completion script on stdout (src/cli/completion.ts
 * generates it from the program), with the rule ids and categories for `explain` and `--rule`.
 */
import type { Command } from 'commander';
import { RULE_CATEGORIES } from '../../engine/types.js';
import { allRules } from '../../../rules/index.js';
import { completionScript, completionSpec, type Shell } from '../completion.js';

export function run(shell: Shell, program: Command): number {
  const ruleIds = allRules().map((rule) => rule.meta.id);
  const spec = completionSpec(program, { 'rule-id': ruleIds, 'id|category': [...ruleIds, ...RULE_CATEGORIES] });
  process.stdout.write(completionScript(spec, shell));
  return 0;
}
