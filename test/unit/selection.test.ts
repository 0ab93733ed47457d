import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG, type LbcheckConfig } from '../../src/engine/config.js';
import { enabledRules, parseRuleSelection } from '../../src/engine/selection.js';
import { defineRule, type RuleCategory } from '../../src/engine/types.js';
import { meta } from '../support/engine-fixtures.js';

const rule = (id: string, category: RuleCategory) => defineRule({ meta: meta({ id, category }), check: () => [] });
const registry = [rule('subnet-route', 'reachability'), rule('one-az', 'resilience'), rule('old-tls', 'security'), rule('no-logs', 'operations')];
const ids = (config: LbcheckConfig, values: string[] = []) => enabledRules(registry, config, parseRuleSelection(values, registry)).map((r) => r.meta.id);
const config = (parts: Partial<LbcheckConfig>): LbcheckConfig => ({ ...EMPTY_CONFIG, ...parts });

describe('enabledRules', () => {
  it('runs every rule by default', () => {
    expect(ids(EMPTY_CONFIG)).toEqual(['subnet-route', 'one-az', 'old-tls', 'no-logs']);
  });

  it('runs only the rules named by id or category with --rule', () => {
    expect(ids(EMPTY_CONFIG, ['security', 'one-az'])).toEqual(['one-az', 'old-tls']);
    expect(ids(EMPTY_CONFIG, ['reachability'])).toEqual(['subnet-route']);
  });

  it('turns a category off from the config, unless the config gives one of its rules a severity', () => {
    expect(ids(config({ categories: { security: false, operations: false } }))).toEqual(['subnet-route', 'one-az']);
    expect(ids(config({ categories: { security: false }, rules: { 'old-tls': { severity: 'error' } } }))).toEqual(['subnet-route', 'one-az', 'old-tls', 'no-logs']);
  });

  it('keeps a rule the config turns off off under a --rule category, but runs it when --rule names it', () => {
    const off = config({ rules: { 'old-tls': { severity: 'off' } }, categories: { operations: false } });
    expect(ids(off, ['security', 'operations'])).toEqual([]);
    expect(ids(off, ['old-tls', 'no-logs'])).toEqual(['old-tls', 'no-logs']);
  });
});

describe('parseRuleSelection', () => {
  it('is undefined without --rule', () => {
    expect(parseRuleSelection([], registry)).toBeUndefined();
  });

  it('refuses an unknown id or category with one line and a suggestion', () => {
    expect(() => parseRuleSelection(['securty'], registry)).toThrow(
      '--rule "securty" is neither a rule id nor a category (reachability, resilience, security, operations); did you mean "security"? (see lbcheck rules)',
    );
    expect(() => parseRuleSelection(['hardening'], registry)).toThrow(/^--rule "hardening" is neither a rule id nor a category \(reachability, resilience, security, operations\) \(see lbcheck rules\)$/);
  });
});
