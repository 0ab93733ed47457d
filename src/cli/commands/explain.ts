/** `lbcheck explain RULE_ID`: what a rule checks, why, how to fix it, and the AWS docs behind it. */
import { requiredData, ruleDocsUrl } from '../../engine/docs.js';
import { findRule } from '../../engine/registry.js';
import { allRules } from '../../../rules/index.js';
import { emit } from '../output.js';
import type { GlobalOptions } from '../options.js';

export async function run(ruleId: string, _options: GlobalOptions): Promise<number> {
  const { meta } = findRule(ruleId.trim(), allRules());
  const lines = [
    `${meta.id}: ${meta.title}`,
    `default severity: ${meta.defaultSeverity}; source: ${meta.source}; applies to: ${meta.appliesTo.join(', ')}`,
    `reads: ${requiredData(meta).join('; ')} (when one could not be read for a load balancer, the rule reports "could not check" for it)`,
    '',
    'What it checks:',
    `  ${meta.description.trim()}`,
    '',
    'Why it matters:',
    `  ${meta.rationale.trim()}`,
    '',
    'How to fix it:',
    `  ${meta.remediation.text.trim()}`,
  ];
  const indent = (text: string) => text.trimEnd().split('\n').map((line) => `    ${line}`);
  if (meta.remediation.cli) lines.push('', '  Commands:', ...indent(meta.remediation.cli));
  if (meta.remediation.iac) lines.push('', '  Infrastructure as code:', ...indent(meta.remediation.iac));
  lines.push('', 'References:', ...meta.references.map((ref) => `  - ${ref.title}: ${ref.url}`));
  const docs = ruleDocsUrl(meta.id);
  if (docs) lines.push(`  - lbcheck docs: ${docs}`);
  await emit(lines.join('\n'));
  return 0;
}
