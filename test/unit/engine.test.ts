import { describe, expect, it } from 'vitest';
import { runEngine } from '../../src/engine/runner.js';
import { fingerprint } from '../../src/engine/fingerprint.js';
import { EMPTY_CONFIG, type LbcheckConfig } from '../../src/engine/config.js';
import { atOrAbove } from '../../src/engine/severity.js';
import { globToRegExp, matchesGlob } from '../../src/engine/glob.js';
import { memoizePerIndex, TupleMap } from '../../src/engine/memo.js';
import { ACCOUNT } from '../support/fixtures.js';
import { idleTimeoutRule, inventoryOf, probeEchoRule, smallScope, targetGroupRule, throwingRule } from '../support/engine-fixtures.js';

const WEB_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/web/50dc6c495c0c9188`;
const TG_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/web-tg/0123456789abcdef`;

function config(overrides: Partial<LbcheckConfig>): LbcheckConfig {
  return { ...EMPTY_CONFIG, ...overrides };
}

describe('runEngine', () => {
  it('runs every config rule per scope and fills ruleId, severity, account and fingerprint', () => {
    const result = runEngine({ inventory: inventoryOf([smallScope()]), rules: [idleTimeoutRule(), targetGroupRule()] });
    expect(result.findings).toEqual([
      {
        ruleId: 'target-group-port',
        category: 'reachability',
        severity: 'error',
        resource: { arn: TG_ARN, type: 'target-group', name: 'web-tg', region: 'us-east-1', account: ACCOUNT },
        message: 'Target group web-tg listens on 8080.',
        fix: 'Change the port',
        related: { loadBalancerArn: WEB_ARN, targetGroupArns: [TG_ARN] },
        evidence: { port: 8080 },
        fingerprint: fingerprint('target-group-port', TG_ARN, '8080'),
        loadBalancer: { arn: WEB_ARN, name: 'web', kind: 'application' },
      },
      {
        ruleId: 'idle-timeout-at-least',
        category: 'reachability',
        severity: 'warning',
        resource: { arn: WEB_ARN, type: 'application', name: 'web', region: 'us-east-1', account: ACCOUNT },
        message: 'web has an idle timeout of 60 s.',
        fix: 'Lower it',
        related: { loadBalancerArn: WEB_ARN },
        evidence: { idleTimeoutSeconds: 60, loadBalancerArn: WEB_ARN },
        fingerprint: fingerprint('idle-timeout-at-least', WEB_ARN),
        loadBalancer: { arn: WEB_ARN, name: 'web', kind: 'application' },
      },
    ]);
    expect(result.rulesRun).toEqual(['idle-timeout-at-least', 'target-group-port']);
    expect(result.checksCompleted).toBe(2);
  });

  it('turns a rule that throws into a notChecked entry and still runs the others', () => {
    const result = runEngine({ inventory: inventoryOf([smallScope()]), rules: [throwingRule(), idleTimeoutRule()] });
    expect(result.notChecked).toEqual([
      {
        what: `rule always-throws in ${ACCOUNT}/us-east-1`,
        why: 'rule always-throws failed: cannot read property of undefined',
        region: 'us-east-1',
        account: ACCOUNT,
        rules: ['always-throws'],
      },
    ]);
    expect(result.findings.map((f) => f.resource.name)).toEqual(['web']);
    expect(result.checksCompleted).toBe(1);
  });

  it('keeps the inventory notChecked entries', () => {
    const gap = { what: 'target health of web-tg', why: 'AccessDenied: not authorized', region: 'us-east-1' };
    const result = runEngine({ inventory: inventoryOf([smallScope()], [gap]), rules: [] });
    expect(result.notChecked).toEqual([gap]);
  });

  it('applies severity overrides and turns rules off', () => {
    const result = runEngine({
      inventory: inventoryOf([smallScope()]),
      rules: [idleTimeoutRule(), targetGroupRule()],
      config: config({ rules: { 'idle-timeout-at-least': { severity: 'error' }, 'target-group-port': { severity: 'off' } } }),
    });
    expect(result.findings.map((f) => [f.ruleId, f.severity, f.resource.name])).toEqual([['idle-timeout-at-least', 'error', 'web']]);
    expect(result.rulesRun).toEqual(['idle-timeout-at-least']);
  });

  it('gives stable fingerprints that differ by rule, resource and discriminator, and ignore messages', () => {
    const first = runEngine({ inventory: inventoryOf([smallScope()]), rules: [idleTimeoutRule('a-rule', 30)] });
    const second = runEngine({ inventory: inventoryOf([smallScope()]), rules: [idleTimeoutRule('a-rule', 30)] });
    expect(second.findings.map((f) => f.fingerprint)).toEqual(first.findings.map((f) => f.fingerprint));
    expect(first.findings.map((f) => f.fingerprint)).toEqual([
      fingerprint('a-rule', `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/legacy`),
      fingerprint('a-rule', WEB_ARN),
    ]);
    expect(fingerprint('a-rule', WEB_ARN)).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint('a-rule', WEB_ARN, '443')).not.toBe(fingerprint('a-rule', WEB_ARN, '80'));
    expect(fingerprint('a-rule', WEB_ARN)).not.toBe(fingerprint('b-rule', WEB_ARN));
  });

  it('sorts by severity, then rule, then resource, across scopes', () => {
    const result = runEngine({
      inventory: inventoryOf([smallScope('us-west-2'), smallScope('eu-west-1')]),
      rules: [idleTimeoutRule('z-idle', 30), targetGroupRule('a-tg')],
    });
    expect(result.findings.map((f) => `${f.severity} ${f.ruleId} ${f.resource.region} ${f.resource.name}`)).toEqual([
      'error a-tg eu-west-1 web-tg',
      'error a-tg us-west-2 web-tg',
      'warning z-idle eu-west-1 legacy',
      'warning z-idle eu-west-1 web',
      'warning z-idle us-west-2 legacy',
      'warning z-idle us-west-2 web',
    ]);
  });

  it('runs probe rules only with a probe result, after the config rules, with the config findings of their scope', () => {
    const rules = [probeEchoRule(), idleTimeoutRule()];
    const inventory = inventoryOf([smallScope('us-east-1'), smallScope('eu-west-1')]);
    expect(runEngine({ inventory, rules }).rulesRun).toEqual(['idle-timeout-at-least']);
    const probe = { targets: [{ host: 'web-1.elb.amazonaws.com', port: 443, dns: { server: 'system', ms: 2, addresses: [] }, addresses: [] }] };
    const result = runEngine({ inventory, rules, probe });
    expect(result.rulesRun).toEqual(['idle-timeout-at-least', 'probe-echo']);
    const echoes = result.findings.filter((f) => f.ruleId === 'probe-echo');
    expect(echoes.map((f) => f.message)).toEqual([
      'legacy probed with 1 config findings in eu-west-1.',
      'web probed with 1 config findings in eu-west-1.',
      'legacy probed with 1 config findings in us-east-1.',
      'web probed with 1 config findings in us-east-1.',
    ]);
    expect(echoes[0]?.evidence).toEqual({ configRuleIds: ['idle-timeout-at-least'], probedHosts: ['web-1.elb.amazonaws.com'] });
  });

  it('suppresses findings matched by an active ignore and lists them', () => {
    const result = runEngine({
      inventory: inventoryOf([smallScope()]),
      rules: [idleTimeoutRule('idle', 30)],
      config: config({
        ignore: [{ rule: 'idle', resource: 'leg*', reason: 'retired next quarter', expires: '2026-12-31', source: '.lbcheck.yml:4:5' }],
      }),
      now: new Date('2026-11-20T12:00:00Z'),
    });
    expect(result.findings.map((f) => f.resource.name)).toEqual(['web']);
    expect(result.ignores).toEqual({
      suppressed: [
        {
          fingerprint: fingerprint('idle', `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/legacy`),
          ruleId: 'idle',
          resourceArn: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/legacy`,
          reason: 'retired next quarter',
          expires: '2026-12-31',
          ignore: '.lbcheck.yml:4:5',
        },
      ],
      expired: [],
    });
  });

  it('matches ignore globs across ARN separators, and only for the named rule', () => {
    const entry = { rule: 'idle', resource: 'arn:aws:elasticloadbalancing:*:loadbalancer/app/web/*', reason: 'known', source: 'x:1:1' };
    const result = runEngine({
      inventory: inventoryOf([smallScope()]),
      rules: [idleTimeoutRule('idle', 30), targetGroupRule()],
      config: config({ ignore: [entry] }),
    });
    expect(result.findings.map((f) => `${f.ruleId} ${f.resource.name}`)).toEqual(['target-group-port web-tg', 'idle legacy']);
    expect(globToRegExp('web-?').test('web-1')).toBe(true);
    expect(globToRegExp('web.tg').test('webxtg')).toBe(false);
    expect(matchesGlob('arn:aws:*:targetgroup/api-*', 'api', 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/api-node/2d4f')).toBe(true);
  });

  it('stops honouring an ignore the day after it expires and reports it', () => {
    const ignore = [{ rule: 'idle', resource: 'legacy', reason: 'migration', expires: '2026-11-19', source: '.lbcheck.yml:9:5' }];
    const run = (now: string) =>
      runEngine({ inventory: inventoryOf([smallScope()]), rules: [idleTimeoutRule('idle', 30)], config: config({ ignore }), now: new Date(now) });
    expect(run('2026-11-19T23:59:59Z').findings.map((f) => f.resource.name)).toEqual(['web']);
    const after = run('2026-11-20T00:00:00Z');
    expect(after.findings.map((f) => f.resource.name)).toEqual(['legacy', 'web']);
    expect(after.ignores.expired).toEqual([
      {
        rule: 'idle',
        resource: 'legacy',
        reason: 'migration',
        expires: '2026-11-19',
        ignore: '.lbcheck.yml:9:5',
        unsuppressed: [fingerprint('idle', `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/legacy`)],
      },
    ]);
  });

  it('marks findings new or known against a baseline', () => {
    const legacyFingerprint = fingerprint('idle', `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/legacy`);
    const result = runEngine({
      inventory: inventoryOf([smallScope()]),
      rules: [idleTimeoutRule('idle', 30)],
      baseline: new Set([legacyFingerprint, 'ffffffffffffffff']),
    });
    expect(result.findings.map((f) => [f.resource.name, f.new])).toEqual([
      ['legacy', false],
      ['web', true],
    ]);
  });

  it('reports a duplicate finding of one rule once', () => {
    const twice = idleTimeoutRule('idle', 30);
    const doubled = { meta: twice.meta, check: (ctx: Parameters<typeof twice.check>[0]) => [...twice.check(ctx), ...twice.check(ctx)] };
    expect(runEngine({ inventory: inventoryOf([smallScope()]), rules: [doubled] }).findings.map((f) => f.resource.name)).toEqual(['legacy', 'web']);
  });
});

describe('atOrAbove', () => {
  it('orders error > warning > info and never reaches none', () => {
    expect(atOrAbove('error', 'warning')).toBe(true);
    expect(atOrAbove('warning', 'warning')).toBe(true);
    expect(atOrAbove('info', 'warning')).toBe(false);
    expect(atOrAbove('error', 'none')).toBe(false);
  });
});

describe('memoizePerIndex and TupleMap', () => {
  it('computes each (index, key) once, and again for another index', () => {
    let calls = 0;
    const square = memoizePerIndex((_index: object, key: { n: number }) => {
      calls++;
      return { value: key.n * key.n };
    });
    const [one, two, three] = [{}, { n: 3 }, { n: 4 }];
    const first = square(one, two);
    expect(square(one, two)).toBe(first);
    expect(square(one, three)).toEqual({ value: 16 });
    expect(calls).toBe(2);
    expect(square({}, two)).not.toBe(first);
    expect(calls).toBe(3);
  });

  it('keys by every part of the tuple: objects by identity, strings and numbers by value', () => {
    const acl = { id: 'acl-1' };
    const map = new TupleMap<readonly [object, string, number], string>();
    map.set([acl, 'tcp', 443], 'a');
    map.set([acl, 'tcp', 80], 'b');
    expect(map.get([acl, 'tcp', 443])).toBe('a');
    expect(map.get([acl, 'tcp', 80])).toBe('b');
    expect(map.get([acl, 'udp', 443])).toBeUndefined();
    expect(map.get([{ id: 'acl-1' }, 'tcp', 443])).toBeUndefined();
  });
});
