/**
 * Small test rules and inventories for the engine's own tests (the real rules are
 * tested in test/unit/rules/). Each test rule reports something it read from the
 * inventory, so a finding proves the engine passed the right scope.
 */
import { defineRule, type Rule, type RuleMeta } from '../../src/engine/types.js';
import { SNAPSHOT_SCHEMA_VERSION, type Inventory, type Scope } from '../../src/inventory/model.js';
import { alb, classic, scopeOf, targetGroup, forward, ACCOUNT, REGION } from './fixtures.js';

export function meta(overrides: Partial<RuleMeta> & { id: string }): RuleMeta {
  return {
    title: `Test rule ${overrides.id}`,
    defaultSeverity: 'warning',
    category: 'reachability',
    source: 'config',
    appliesTo: ['application', 'network', 'classic'],
    requires: [],
    description: 'Reports every load balancer for the engine tests.',
    rationale: 'Engine tests need a rule with known output.',
    remediation: { text: 'Nothing to fix.', cli: 'aws elbv2 describe-load-balancers' },
    references: [{ title: 'Elastic Load Balancing', url: 'https://docs.aws.amazon.com/elasticloadbalancing/' }],
    ...overrides,
  };
}

/** One finding per load balancer whose idle timeout is at least `threshold` seconds. */
export function idleTimeoutRule(id = 'idle-timeout-at-least', threshold = 60): Rule {
  return defineRule({
    meta: meta({ id, appliesTo: ['application', 'classic'] }),
    check: ({ scope }) =>
      scope.loadBalancers
        .filter((lb) => (lb.attributes.idleTimeoutSeconds ?? 0) >= threshold)
        .map((lb) => ({
          resource: { arn: lb.arn, type: lb.kind, name: lb.name, region: scope.region },
          message: `${lb.name} has an idle timeout of ${lb.attributes.idleTimeoutSeconds} s.`,
          fix: 'Lower it',
          related: { loadBalancerArn: lb.arn },
          evidence: { idleTimeoutSeconds: lb.attributes.idleTimeoutSeconds, loadBalancerArn: lb.arn },
          discriminator: undefined,
          severity: undefined,
        })),
  });
}

/** One error per target group, with a discriminator per port. */
export function targetGroupRule(id = 'target-group-port'): Rule {
  return defineRule({
    meta: meta({ id, defaultSeverity: 'error' }),
    check: ({ scope }) =>
      scope.targetGroups.map((tg) => ({
        resource: { arn: tg.arn, type: 'target-group', name: tg.name, region: scope.region },
        message: `Target group ${tg.name} listens on ${tg.port}.`,
        fix: 'Change the port',
        related: { loadBalancerArn: tg.loadBalancerArns[0] ?? '', targetGroupArns: [tg.arn] },
        evidence: { port: tg.port },
        discriminator: String(tg.port),
        severity: undefined,
      })),
  });
}

export function throwingRule(id = 'always-throws'): Rule {
  return defineRule({
    meta: meta({ id }),
    check: () => {
      throw new Error('cannot read property of undefined');
    },
  });
}

/** A probe rule that echoes how many config findings it was given for its scope. */
export function probeEchoRule(id = 'probe-echo'): Rule {
  return defineRule({
    meta: meta({ id, source: 'probe', defaultSeverity: 'info' }),
    check: ({ scope, configFindings, probe }) =>
      scope.loadBalancers.map((lb) => ({
        resource: { arn: lb.arn, type: lb.kind, name: lb.name, region: scope.region },
        message: `${lb.name} probed with ${configFindings.length} config findings in ${scope.region}.`,
        fix: 'Nothing to fix',
        related: { loadBalancerArn: lb.arn },
        evidence: { configRuleIds: configFindings.map((f) => f.ruleId), probedHosts: probe?.targets.map((t) => t.host) ?? [] },
        discriminator: undefined,
        severity: undefined,
      })),
  });
}

export function inventoryOf(scopes: Scope[], notChecked: Inventory['notChecked'] = []): Inventory {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    tool: { name: 'lbcheck', version: '0.1.0' },
    collectedAt: '2026-11-20T10:00:00.000Z',
    scopes,
    notChecked,
    stats: { apiCalls: { DescribeLoadBalancers: 2, DescribeTargetGroups: 1 }, durationMs: 420 },
  };
}

/** Two LBs (ALB "web" idle 60, Classic "legacy" idle 30) and one target group behind "web", in one region. */
export function smallScope(region = 'us-east-1'): Scope {
  const web = alb({ name: 'web' });
  const legacy = classic({ name: 'legacy', attributes: { crossZoneEnabled: true, idleTimeoutSeconds: 30, raw: {} } });
  const group = targetGroup({ name: 'web-tg', port: 8080 });
  forward(web, group);
  const scope = scopeOf({ loadBalancers: [web, legacy], targetGroups: [group] });
  // The builders write us-east-1 into ARNs and zones; real ARNs carry their own region.
  return { ...(JSON.parse(JSON.stringify(scope).replaceAll(REGION, region)) as Scope), region, account: ACCOUNT };
}
