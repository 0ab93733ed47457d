/** The rule tester itself: it must refuse what ESLint's RuleTester refuses. */
import { describe, expect, it } from 'vitest';
import { defineRule } from '../../../src/engine/types.js';
import { healthyWorld } from '../../support/fixtures.js';
import { checkInvalidCase, checkValidCase, ruleTester } from '../../support/rule-tester.js';

const meta = {
  id: 'every-load-balancer',
  title: 'Reports every load balancer',
  defaultSeverity: 'warning' as const,
  category: 'reachability' as const,
  source: 'config' as const,
  appliesTo: ['application', 'network', 'classic'] as const,
  requires: [],
  description: 'test rule',
  rationale: 'test rule',
  remediation: { text: 'none' },
  references: [{ title: 'none', url: 'https://example.com' }],
};
const reportsEveryLb = defineRule({
  meta,
  check: ({ scope }) => scope.loadBalancers.map((lb) => ({ resource: { arn: lb.arn, type: lb.kind, name: lb.name, region: scope.region }, message: `${lb.name} exists.`, fix: 'Nothing.', related: { loadBalancerArn: lb.arn }, evidence: { name: lb.name }, discriminator: undefined, severity: undefined })),
});
const reportsNothing = defineRule({ meta, check: () => [] });
const world = healthyWorld();

const mutatesScope = defineRule({
  meta,
  check: ({ scope }) => {
    (scope.loadBalancers[0] as { name: string }).name = 'changed';
    return [];
  },
});

describe('rule tester', () => {
  it('refuses a rule without a valid or without an invalid case', () => {
    const invalid = [{ name: 'one', scope: world.scope, expect: [{ resourceArn: world.alb.arn, messageIncludes: 'web' }] }];
    expect(() => ruleTester(reportsEveryLb).run({ valid: [], invalid })).toThrow('every-load-balancer: the rule tester needs at least one valid case');
    expect(() => ruleTester(reportsEveryLb).run({ valid: [{ name: 'v', scope: world.scope }], invalid: [] })).toThrow(
      'every-load-balancer: the rule tester needs at least one invalid case',
    );
  });

  it('freezes the inventory while the rule runs, and leaves the case\'s own scope alone', () => {
    expect(() => checkValidCase(mutatesScope, { name: 'writes', scope: world.scope })).toThrow(TypeError);
    expect(world.alb.name).toBe('web');
    expect(Object.isFrozen(world.scope)).toBe(false);
  });

  it('refuses an invalid case that expects nothing', () => {
    expect(() => checkInvalidCase(reportsEveryLb, { name: 'empty', scope: world.scope, expect: [] })).toThrow('invalid case "empty" expects no finding: make it a valid case');
  });

  it('fails an invalid case the rule reports nothing for', () => {
    expect(() => checkInvalidCase(reportsNothing, { name: 'silent', scope: world.scope, expect: [{ resourceArn: world.alb.arn, messageIncludes: 'web' }] })).toThrow(
      'invalid case "silent": number of findings',
    );
  });

  it('fails a valid case the rule reports on, and a wrong ARN or message', () => {
    expect(() => checkValidCase(reportsEveryLb, { name: 'noisy', scope: world.scope })).toThrow('valid case "noisy" reports nothing');
    const three = [world.alb, world.nlb, world.classic].map((lb) => ({ resourceArn: lb.arn, messageIncludes: `${lb.name} exists.` }));
    expect(() => checkInvalidCase(reportsEveryLb, { name: 'ok', scope: world.scope, expect: three })).not.toThrow();
    expect(() => checkInvalidCase(reportsEveryLb, { name: 'arn', scope: world.scope, expect: [three[1]!, three[0]!, three[2]!] })).toThrow();
    expect(() => checkInvalidCase(reportsEveryLb, { name: 'msg', scope: world.scope, expect: [{ ...three[0]!, messageIncludes: 'missing' }, three[1]!, three[2]!] })).toThrow();
  });
});
