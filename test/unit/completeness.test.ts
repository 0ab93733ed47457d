/**
 * What could not be read never becomes a fault: the runner turns a rule × load balancer whose
 * required collection is unread into one "could not check" warning naming the failed call,
 * keeps that load balancer out of the rule's sight, and names the rules in `notChecked`.
 * The inventories are the healthy world with one collection emptied as a denied call leaves it.
 */
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { fingerprint } from '../../src/engine/fingerprint.js';
import { runEngine, type EngineResult } from '../../src/engine/runner.js';
import { readState } from '../../src/inventory/completeness.js';
import type { Collection, NotChecked, Scope, Unread } from '../../src/inventory/model.js';
import { inventoryOf } from '../support/engine-fixtures.js';
import { ACCOUNT, healthyWorld, REGION, securityGroup, tcp, type HealthyWorld } from '../support/fixtures.js';

const DENIED = 'AccessDenied: User: arn:aws:iam::123456789012:user/auditor is not authorized';

function unread(collection: Collection, call: string, resources?: string[]): Unread {
  return { collection, read: 'none', call, why: DENIED, ...(resources && { resources }) };
}

function notCheckedOf(gap: Unread): NotChecked {
  return { what: `${gap.collection} (${gap.call} in ${REGION})`, why: gap.why, region: REGION, account: ACCOUNT, call: gap.call };
}

/** The healthy world after a denied call: `strip` removes what the call would have read, `gap` records it. */
function audit(strip: (world: HealthyWorld) => void, gap: Unread, config = EMPTY_CONFIG): { world: HealthyWorld; result: EngineResult } {
  const world = healthyWorld();
  strip(world);
  const scope: Scope = { ...world.scope, unread: [gap] };
  return { world, result: runEngine({ inventory: inventoryOf([scope], [notCheckedOf(gap)]), rules, config }) };
}

const couldNotCheck = (result: EngineResult, ruleId: string) =>
  result.findings.filter((f) => f.ruleId === ruleId && f.fingerprint === fingerprint(ruleId, f.resource.arn, 'could-not-check'));

describe('a collection that could not be read', () => {
  it('route tables denied: one could-not-check warning per internet-facing LB, no route errors', () => {
    const { world, result } = audit((w) => (w.scope.routeTables = []), unread('routeTables', 'ec2:DescribeRouteTables', ['vpc-1']));
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const warnings = couldNotCheck(result, 'internet-facing-subnet-without-igw-route');
    expect(warnings.map((f) => f.resource.arn).sort()).toEqual([world.alb.arn, world.classic.arn, world.nlb.arn].sort());
    expect(warnings[0]).toMatchObject({
      severity: 'warning',
      message: expect.stringContaining(`because ec2:DescribeRouteTables (${DENIED}) failed, so whether it passes is unknown`),
      evidence: { couldNotCheck: [{ call: 'ec2:DescribeRouteTables', collection: 'routeTables', read: 'none', why: DENIED }] },
    });
    expect(result.notChecked).toEqual([expect.objectContaining({ call: 'ec2:DescribeRouteTables', rules: ['internet-facing-subnet-without-igw-route'] })]);
  });

  it('internet gateways denied: no errors either', () => {
    const { result } = audit((w) => (w.scope.internetGateways = []), unread('internetGateways', 'ec2:DescribeInternetGateways', ['vpc-1']));
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(couldNotCheck(result, 'internet-facing-subnet-without-igw-route')).toHaveLength(3);
  });

  it('subnets denied: no target-security-group errors, and every rule that reads subnets says it could not check', () => {
    const { result } = audit((w) => (w.scope.subnets = []), unread('subnets', 'ec2:DescribeSubnets', ['vpc-1']));
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const affected = rules.filter((rule) => rule.meta.requires.includes('subnets') && rule.meta.source === 'config').map((rule) => rule.meta.id);
    expect(affected).toContain('target-security-group-blocks-lb');
    for (const ruleId of affected) expect(couldNotCheck(result, ruleId).length, ruleId).toBeGreaterThan(0);
    expect(result.notChecked[0]?.rules).toEqual(affected);
  });

  it('prefix list entries that could not be read are not an empty list', () => {
    const { world, result } = audit(
      (w) => {
        // sg-lb admits 443 only from prefix list pl-office, whose entries were not read.
        w.scope.securityGroups = [securityGroup({ id: 'sg-lb', ingress: [tcp(443, 'pl-office'), tcp(80, '0.0.0.0/0')] }), w.appGroup];
        w.scope.prefixLists = [{ id: 'pl-office', name: 'office', addressFamily: 'IPv4', cidrs: [] }];
        w.alb.scheme = 'internal';
      },
      unread('prefixListEntries', 'ec2:GetManagedPrefixListEntries', ['pl-office']),
    );
    expect(result.findings.filter((f) => f.ruleId === 'lb-security-group-blocks-listener' && f.severity === 'error')).toEqual([]);
    expect(couldNotCheck(result, 'lb-security-group-blocks-listener').map((f) => f.resource.arn).sort()).toEqual([world.alb.arn, world.classic.arn].sort());
  });

  it('target group attributes that could not be read do not take defaults: that NLB is not checked', () => {
    const { world, result } = audit(
      (w) => (w.nlbGroup.attributes = { raw: {} }),
      unread('targetGroupAttributes', 'elasticloadbalancing:DescribeTargetGroupAttributes', [healthyWorld().nlbGroup.arn]),
    );
    const warnings = result.findings.filter((f) => f.fingerprint === fingerprint(f.ruleId, f.resource.arn, 'could-not-check'));
    expect(new Set(warnings.map((f) => f.resource.arn))).toEqual(new Set([world.nlb.arn]));
    expect(warnings.map((f) => f.ruleId).sort()).toEqual([
      'az-without-healthy-targets',
      'cross-zone-load-balancing-disabled',
      'network-acl-blocks-traffic',
      'target-security-group-blocks-lb',
      'uneven-az-capacity',
    ]);
  });

  it('leaves load balancers in other VPCs alone', () => {
    const { result } = audit(() => {}, unread('routeTables', 'ec2:DescribeRouteTables', ['vpc-other']));
    // (The healthy world still has findings of the hardening rules: plain HTTP, no access logs.)
    expect(result.findings.filter((f) => f.fingerprint === fingerprint(f.ruleId, f.resource.arn, 'could-not-check'))).toEqual([]);
  });

  it('a scope-wide gap (no resources) reaches every load balancer', () => {
    const { result } = audit((w) => (w.scope.targetGroups = []), unread('targetGroups', 'elasticloadbalancing:DescribeTargetGroups'));
    expect(couldNotCheck(result, 'target-group-without-healthy-targets')).toHaveLength(3);
  });

  it('stays a warning whatever severity the config gives the rule, so --fail-on error passes', () => {
    const config = { ...EMPTY_CONFIG, rules: { 'internet-facing-subnet-without-igw-route': { severity: 'error' as const } } };
    const { result } = audit((w) => (w.scope.routeTables = []), unread('routeTables', 'ec2:DescribeRouteTables', ['vpc-1']), config);
    const subnetRule = result.findings.filter((f) => f.ruleId === 'internet-facing-subnet-without-igw-route');
    expect(subnetRule.map((f) => f.severity)).toEqual(['warning', 'warning', 'warning']);
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('readState', () => {
  it('says fully, partly or none per collection', () => {
    const scope = {
      unread: [
        unread('subnets', 'ec2:DescribeSubnets'),
        { ...unread('routeTables', 'ec2:DescribeRouteTables'), read: 'partly' as const },
        unread('instances', 'ec2:DescribeInstances', ['i-1']),
      ],
    };
    expect(readState(scope, 'subnets')).toBe('none');
    expect(readState(scope, 'routeTables')).toBe('partly');
    expect(readState(scope, 'instances')).toBe('partly');
    expect(readState(scope, 'vpcs')).toBe('fully');
  });
});
