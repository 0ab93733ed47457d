/**
 * Keeps rules/index.ts, the rule files, their tests and their docs in step (as ESLint's
 * build checks every rule has a doc and a test). Holds with zero rules, and with every
 * rule that lands.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import { KEBAB_CASE, suggestRuleId, unknownRuleMessage, validateRegistry } from '../../src/engine/registry.js';
import { RULE_CATEGORIES, type Severity } from '../../src/engine/types.js';
import { meta } from '../support/engine-fixtures.js';

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

const root = join(import.meta.dirname, '..', '..');

async function ruleFileIds(): Promise<string[]> {
  return (await readdir(join(root, 'rules')))
    .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

describe('rule registry', () => {
  it('lists every rules/*.ts file once, sorted, with ids equal to the file names', async () => {
    const ids = rules.map((rule) => rule.meta.id);
    expect(ids).toEqual(await ruleFileIds());
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('imports each rule from its own file', async () => {
    const index = await readFile(join(root, 'rules', 'index.ts'), 'utf8');
    const missing = (await ruleFileIds()).filter((id) => !index.includes(`'./${id}.js'`));
    expect(missing, 'rules/index.ts must import each rule file').toEqual([]);
  });

  it('gives every rule a kebab-case id, complete metadata, a test file and a doc page', () => {
    const problems: string[] = [];
    for (const { meta: m } of rules) {
      if (!KEBAB_CASE.test(m.id)) problems.push(`${m.id}: id is not kebab-case`);
      if (!SEVERITIES.includes(m.defaultSeverity)) problems.push(`${m.id}: defaultSeverity ${m.defaultSeverity}`);
      for (const field of ['title', 'description', 'rationale'] as const) if (m[field].trim() === '') problems.push(`${m.id}: empty ${field}`);
      if (!RULE_CATEGORIES.includes(m.category)) problems.push(`${m.id}: category ${m.category}`);
      // A CI gate on error keeps meaning "traffic is failing or will fail".
      if (m.category !== 'reachability' && m.defaultSeverity === 'error') problems.push(`${m.id}: a ${m.category} rule defaults to error`);
      if (m.remediation.text.trim() === '') problems.push(`${m.id}: empty remediation`);
      if (m.appliesTo.length === 0) problems.push(`${m.id}: appliesTo is empty`);
      if (m.references.length === 0) problems.push(`${m.id}: no references`);
      for (const ref of m.references) if (!/^https:\/\//.test(ref.url)) problems.push(`${m.id}: reference ${ref.url} is not https`);
      const testFile = join(root, 'test', 'unit', 'rules', `${m.id}.test.ts`);
      if (!existsSync(testFile)) problems.push(`${m.id}: no test/unit/rules/${m.id}.test.ts`);
      // The tester refuses a run without a valid and an invalid case: every rule goes through it.
      else if (!readFileSync(testFile, 'utf8').includes(`ruleTester(`)) problems.push(`${m.id}: its test does not use the rule tester (valid and invalid cases)`);
      if (!existsSync(join(root, 'docs', 'rules', `${m.id}.md`))) problems.push(`${m.id}: no docs/rules/${m.id}.md (run npm run docs)`);
    }
    expect(problems).toEqual([]);
  });
});

describe('validateRegistry', () => {
  const rule = (id: string) => ({ meta: meta({ id }), check: () => [] });

  it('refuses duplicate and non-kebab-case ids', () => {
    expect(() => validateRegistry([rule('a-rule'), rule('a-rule')])).toThrow('rule id "a-rule" is registered twice');
    expect(() => validateRegistry([rule('SingleAz')])).toThrow('rule id "SingleAz" is not kebab-case');
    expect(validateRegistry([rule('a-rule'), rule('b-rule')]).map((r) => r.meta.id)).toEqual(['a-rule', 'b-rule']);
  });
});

describe('suggestRuleId', () => {
  const ids = ['single-az-load-balancer', 'target-group-without-healthy-targets', 'az-without-healthy-targets', 'dns-address-slow'];

  it('suggests the nearest id for a typo and the only id containing an abbreviation', () => {
    expect(suggestRuleId('single-az-loadbalancer', ids)).toBe('single-az-load-balancer');
    expect(suggestRuleId('dns-adress-slow', ids)).toBe('dns-address-slow');
    expect(suggestRuleId('single-az', ids)).toBe('single-az-load-balancer');
    expect(suggestRuleId('kubernetes', ids)).toBeUndefined();
  });

  it('builds the one-line message', () => {
    expect(unknownRuleMessage('single-az', ids)).toBe('unknown rule id "single-az" (did you mean "single-az-load-balancer"?) (see lbcheck rules)');
    expect(unknownRuleMessage('kubernetes', ids)).toBe('unknown rule id "kubernetes" (see lbcheck rules)');
  });
});
