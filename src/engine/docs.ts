/**
 * A rule's documentation page, rendered from its metadata alone. scripts/gen-docs.ts
 * writes docs/rules/<id>.md with it; test/unit/docs.test.ts fails when a page differs.
 */
import { COLLECTION_OF_CALL } from '../inventory/completeness.js';
import type { Collection, OptionalData } from '../inventory/model.js';
import type { RuleMeta } from './types.js';
import { PROJECT_URL } from '../version.js';

/**
 * A rule's page on the project's site, from its id alone (reporters link it without loading the
 * rule registry); undefined while package.json names no repository: no link to a page that does not exist.
 */
export function ruleDocsUrl(ruleId: string): string | undefined {
  return PROJECT_URL === undefined ? undefined : `${PROJECT_URL}/blob/main/docs/rules/${ruleId}.md`;
}

/** What each piece of optional data costs in AWS calls, for the pages of the rules that need it. */
export const OPTIONAL_DATA_COST: Record<OptionalData, string> = {
  targetGroupAttributes: 'elasticloadbalancing:DescribeTargetGroupAttributes once per target group whose attributes it reads',
  listenerRules: 'elasticloadbalancing:DescribeRules once per listener of the ALBs whose listener rules it reads',
  listenerAttributes: 'elasticloadbalancing:DescribeListenerAttributes once per TCP listener of the NLBs whose listener attributes it reads',
  tlsPolicies:
    'elasticloadbalancing:DescribeSSLPolicies once per region with an HTTPS or TLS listener, and elasticloadbalancing:DescribeLoadBalancerPolicies once per Classic LB with an HTTPS or SSL listener',
};

export const GENERATED_NOTE = '<!-- Generated from the rule metadata by `npm run docs` (scripts/gen-docs.ts). Do not edit by hand. -->';

function fenced(language: string, text: string): string {
  return ['```' + language, text.trimEnd(), '```'].join('\n');
}

/** The calls that read each collection (both ELB APIs share their names). */
function callsReading(collection: Collection): string[] {
  return Object.entries(COLLECTION_OF_CALL).flatMap(([call, read]) => (read === collection ? [call] : []));
}

/**
 * What a rule reads (its `requires`), each with the calls that collect it: when one of them
 * could not be read for a load balancer, the rule says "could not check" for it instead of running.
 */
export function requiredData(meta: RuleMeta): string[] {
  // Every rule reads the load balancers themselves: a failed listing leaves every rule without them.
  const collections = [...new Set<Collection>(['loadBalancers', ...meta.requires])];
  return collections.map((collection) => `${collection} (${callsReading(collection).join(', ')})`);
}

/** The AWS calls a rule costs beyond what the audit collects anyway (its optional collections). */
function ownCalls(meta: RuleMeta): string {
  const optional = meta.requires.flatMap((collection) => (collection in OPTIONAL_DATA_COST ? [OPTIONAL_DATA_COST[collection as OptionalData]] : []));
  return optional.length ? `${optional.join('; ')}: made only when this rule (or another that needs the same data) is enabled, and only for the resources it needs` : 'none: it reads what the audit collects anyway';
}

export function renderRuleDoc(meta: RuleMeta): string {
  const lines = [
    GENERATED_NOTE,
    '',
    `# ${meta.id}`,
    '',
    `**${meta.title}**`,
    '',
    '| | |',
    '| --- | --- |',
    `| Default severity | ${meta.defaultSeverity} |`,
    `| Category | ${meta.category} (\`--rule ${meta.category}\` runs this category) |`,
    `| Source | ${meta.source === 'probe' ? 'probe (runs with `lbcheck audit --probe`)' : 'configuration'} |`,
    `| Applies to | ${meta.appliesTo.join(', ')} |`,
    `| Reads (when one could not be read for a load balancer, the rule reports "could not check" for it) | ${requiredData(meta).join('; ')} |`,
    `| AWS calls of its own | ${ownCalls(meta)} |`,
    '',
    '## What it checks',
    '',
    meta.description.trim(),
    '',
    '## Why it matters',
    '',
    meta.rationale.trim(),
    '',
    '## How to fix it',
    '',
    meta.remediation.text.trim(),
  ];
  if (meta.remediation.cli) lines.push('', fenced('sh', meta.remediation.cli));
  if (meta.remediation.iac) lines.push('', fenced('', meta.remediation.iac));
  lines.push('', '## Configuration', '', 'Turn the rule off or change its severity in `.lbcheck.yml` ([format](../config.md)):', '');
  lines.push(fenced('yaml', `rules:\n  ${meta.id}: warning   # error | warning | info | off`));
  if (meta.references.length > 0) {
    lines.push('', '## References', '');
    for (const reference of meta.references) lines.push(`- [${reference.title}](${reference.url})`);
  }
  return `${lines.join('\n')}\n`;
}
