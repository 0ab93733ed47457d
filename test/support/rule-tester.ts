/**
 * A rule tester in ESLint's spirit: every rule has at least one `valid` case, which must
 * report nothing, and one `invalid` case, which lists every finding it expects in the
 * order the rule reports them (a case that expects nothing is refused). The inventory,
 * the probe result and the config findings are deep-frozen while the rule runs, so a rule
 * that writes to what it reads fails. Each case also checks what every finding must
 * satisfy: a one-sentence message without a command, a fix, the related load balancer,
 * evidence, a discriminator without timings, every key of a finding in one order, and a pure
 * check (the same findings twice).
 * Probe rules get their probe result (and the config findings of the scope) in the case.
 */
import { describe, expect, it } from 'vitest';
import { RULE_FINDING_KEYS, type Finding, type Rule, type RuleContext, type RuleFinding, type RuleSettings, type Severity } from '../../src/engine/types.js';
import type { Scope } from '../../src/inventory/model.js';
import type { ProbeReport } from '../../src/inventory/probe-report.js';
import { contextOf } from './fixtures.js';

export interface ValidCase {
  name: string;
  scope: Scope;
  settings?: Partial<RuleSettings>;
  /** Probe rules: what the probe saw. */
  probe?: ProbeReport;
  /** Probe rules: the config findings of the scope. */
  configFindings?: readonly Finding[];
}

/** Freezes a value and everything it holds. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The context a case runs in: frozen copies, so the case's own objects stay usable by other cases. */
function contextFor(test: ValidCase): RuleContext {
  const scope = deepFreeze(structuredClone(test.scope));
  return {
    ...contextOf(scope, test.settings),
    ...(test.probe && { probe: deepFreeze(structuredClone(test.probe)) }),
    configFindings: deepFreeze(structuredClone([...(test.configFindings ?? [])])),
  };
}

export interface ExpectedFinding {
  resourceArn: string;
  resourceType?: string;
  /** Substrings the message must contain. */
  messageIncludes?: string | readonly string[];
  /** Substrings the fix must contain. */
  fixIncludes?: string | readonly string[];
  /** A subset of the related resources (toMatchObject). */
  related?: Record<string, unknown>;
  /** A subset of the evidence (toMatchObject). */
  evidence?: Record<string, unknown>;
  discriminator?: string;
  severity?: Severity;
}

export interface InvalidCase extends ValidCase {
  expect: readonly ExpectedFinding[];
}

export interface RuleTests {
  valid: readonly ValidCase[];
  invalid: readonly InvalidCase[];
}

function checkShape(rule: Rule, finding: RuleFinding): void {
  // One shape for every finding of every rule (src/engine/types.ts says why).
  expect(Object.keys(finding), 'every key of a finding, in one order').toEqual(RULE_FINDING_KEYS);
  expect(finding.message, 'message').toMatch(/^\S.*[.)]$/s);
  expect(finding.message.includes('\n'), 'message is one line').toBe(false);
  // The message says what is wrong; the command that fixes it belongs in `fix`.
  expect(finding.message, 'message carries no command').not.toMatch(/\baws (ec2|elbv2|elb) [a-z-]+ --/);
  expect(finding.fix, 'fix').toMatch(/^[A-Z]\S*/);
  expect(finding.fix.includes('\n'), 'fix is one line').toBe(false);
  expect(finding.fix, 'fix ends with a full stop').toMatch(/\.$/);
  expect(finding.related.loadBalancerArn, 'related load balancer').toMatch(/^arn:/);
  expect(Object.keys(finding.evidence).length, 'evidence is not empty').toBeGreaterThan(0);
  expect(finding.resource.region, 'resource region').not.toBe('');
  if (finding.discriminator !== undefined) expect(finding.discriminator, 'discriminator has no timings').not.toMatch(/\d+(\.\d+)?\s*ms\b/);
  if (finding.severity !== undefined) expect(['error', 'warning', 'info']).toContain(finding.severity);
  expect(rule.meta.appliesTo.length).toBeGreaterThan(0);
}

/** Runs one valid case: throws (an assertion error) unless the rule reports nothing. */
export function checkValidCase(rule: Rule, test: ValidCase): void {
  const findings = rule.check(contextFor(test));
  expect(findings.map((f) => f.message), `valid case "${test.name}" reports nothing`).toEqual([]);
}

/** Runs one invalid case: throws unless the rule reports exactly the expected findings, in order. */
export function checkInvalidCase(rule: Rule, test: InvalidCase): void {
  if (test.expect.length === 0) throw new Error(`invalid case "${test.name}" expects no finding: make it a valid case`);
  const findings = rule.check(contextFor(test));
  const again = rule.check(contextFor(test));
  expect(again, 'check is pure and deterministic').toEqual(findings);
  expect(findings.map((f) => f.message), `invalid case "${test.name}": number of findings`).toHaveLength(test.expect.length);
  test.expect.forEach((expected, i) => {
    const finding = findings[i];
    if (!finding) throw new Error(`finding ${i} missing`);
    checkShape(rule, finding);
    expect(finding.resource.arn).toBe(expected.resourceArn);
    if (expected.resourceType) expect(finding.resource.type).toBe(expected.resourceType);
    const parts = expected.messageIncludes === undefined ? [] : typeof expected.messageIncludes === 'string' ? [expected.messageIncludes] : expected.messageIncludes;
    for (const part of parts) expect(finding.message).toContain(part);
    const fixParts = expected.fixIncludes === undefined ? [] : typeof expected.fixIncludes === 'string' ? [expected.fixIncludes] : expected.fixIncludes;
    for (const part of fixParts) expect(finding.fix).toContain(part);
    if (expected.related) expect(finding.related).toMatchObject(expected.related);
    if (expected.evidence) expect(finding.evidence).toMatchObject(expected.evidence);
    if (expected.discriminator !== undefined) expect(finding.discriminator).toBe(expected.discriminator);
    expect(finding.severity ?? rule.meta.defaultSeverity).toBe(expected.severity ?? rule.meta.defaultSeverity);
  });
}

export function ruleTester(rule: Rule) {
  return {
    run(tests: RuleTests): void {
      // ESLint's discipline: a rule is tested both ways.
      if (tests.valid.length === 0) throw new Error(`${rule.meta.id}: the rule tester needs at least one valid case`);
      if (tests.invalid.length === 0) throw new Error(`${rule.meta.id}: the rule tester needs at least one invalid case`);
      describe(rule.meta.id, () => {
        describe('valid', () => {
          for (const test of tests.valid) it(test.name, () => checkValidCase(rule, test));
        });
        describe('invalid', () => {
          for (const test of tests.invalid) it(test.name, () => checkInvalidCase(rule, test));
        });
      });
    },
  };
}
