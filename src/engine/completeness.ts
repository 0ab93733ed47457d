/**
 * The runner's side of completeness: which load balancers a rule cannot check in a scope
 * because a collection it requires was not read for them (the scope's `unread`), and the
 * one "could not check" finding it reports for each instead of running the rule on a gap.
 */
import type { InventoryIndex } from '../inventory/indexes.js';
import type { LoadBalancer, Scope, Unread } from '../inventory/model.js';
import { notCollectedFor } from './needs.js';
import { describeLoadBalancer, loadBalancerResource } from './targets.js';
import type { Rule, RuleFinding } from './types.js';
import { flat } from './text.js';

/**
 * Every id a load balancer's checks read through: its ARN and VPC, its target groups (ARN,
 * VPC, targets), its registered instances, and the prefix lists its and its targets' security
 * groups reference. An `unread` entry whose resources meet this set leaves a gap in its checks.
 */
function footprintOf(index: InventoryIndex, lb: LoadBalancer): Set<string> {
  const ids = new Set<string>([lb.arn]);
  if (lb.vpcId) ids.add(lb.vpcId);
  const securityGroupIds = new Set(lb.securityGroupIds);
  const addInstance = (id: string) => {
    ids.add(id);
    for (const groupId of index.instance(id)?.securityGroupIds ?? []) securityGroupIds.add(groupId);
  };
  for (const listener of lb.listeners) {
    for (const arn of [...listener.defaultTargetGroupArns, ...listener.rules.flatMap((rule) => rule.targetGroupArns)]) ids.add(arn);
  }
  for (const group of index.targetGroupsOf(lb)) {
    ids.add(group.arn);
    if (group.vpcId) ids.add(group.vpcId);
    for (const target of group.targets) if (group.targetType === 'instance') addInstance(target.id);
  }
  for (const registered of lb.classic?.instances ?? []) addInstance(registered.instanceId);
  for (const groupId of securityGroupIds) {
    const group = index.securityGroup(groupId);
    for (const rule of [...(group?.ingress ?? []), ...(group?.egress ?? [])]) {
      for (const source of rule.sources) if (source.kind === 'prefix-list') ids.add(source.prefixListId);
    }
  }
  return ids;
}

/** Per scope: the footprint of each load balancer, worked out only when something was not read. */
export class Completeness {
  private readonly footprints = new Map<LoadBalancer, Set<string>>();

  constructor(
    private readonly scope: Scope,
    private readonly index: InventoryIndex,
  ) {}

  /**
   * The load balancers `rule` applies to whose required inputs were not read (a failed call), or
   * were left out as not needed while this rule does need them, with what was missing for each.
   */
  gapsFor(rule: Rule): Map<LoadBalancer, Unread[]> {
    const gaps = new Map<LoadBalancer, Unread[]>();
    const failed = this.scope.unread.filter((gap) => !gap.notNeeded && rule.meta.requires.includes(gap.collection));
    const relevant = [...failed, ...notCollectedFor(rule, this.scope, this.index)];
    if (relevant.length === 0) return gaps;
    for (const lb of this.scope.loadBalancers) {
      if (!rule.meta.appliesTo.includes(lb.kind)) continue;
      const missing = relevant.filter((gap) => gap.resources === undefined || gap.resources.some((id) => this.footprint(lb).has(id)));
      if (missing.length > 0) gaps.set(lb, missing);
    }
    return gaps;
  }

  private footprint(lb: LoadBalancer): Set<string> {
    let ids = this.footprints.get(lb);
    if (!ids) {
      ids = footprintOf(this.index, lb);
      this.footprints.set(lb, ids);
    }
    return ids;
  }
}

/** "a and b": each call once. */
function callsOf(gaps: readonly Unread[]): string {
  return [...new Set(gaps.map((gap) => gap.call))].join(' and ');
}

/**
 * The one "could not check" warning for a rule × load balancer, naming the failed calls, and the
 * calls whose answers were not collected because the collection was for other rules.
 */
export function couldNotCheck(lb: LoadBalancer, scope: Scope, gaps: readonly Unread[], ruleId: string): RuleFinding {
  const failedGaps = gaps.filter((gap) => !gap.notNeeded);
  const leftOut = gaps.filter((gap) => gap.notNeeded);
  const failed = [...new Set(failedGaps.map((gap) => `${gap.call} (${gap.why})`))].join(' and ');
  const notCollected = leftOut.length
    ? `${callsOf(leftOut)} ${leftOut.length === 1 ? 'was' : 'were'} not collected in this snapshot (it was taken for rules that did not need ${leftOut.length === 1 ? 'it' : 'them'})`
    : '';
  const because = [failedGaps.length ? `${failed} failed` : '', notCollected].filter(Boolean).join(', and ');
  const fixes = [
    ...(failedGaps.length ? [`Make sure lbcheck may call ${callsOf(failedGaps)} (iam-policy.json lists every call it makes) and audit again.`] : []),
    ...(leftOut.length ? [`Re-run lbcheck snapshot with --full or with --rule ${ruleId}, and audit that snapshot.`] : []),
  ];
  return {
    resource: loadBalancerResource(lb, scope),
    message: flat(`lbcheck could not check ${describeLoadBalancer(lb)} against this rule because ${because}, so whether it passes is unknown.`),
    fix: fixes.join(' '),
    related: { loadBalancerArn: lb.arn },
    evidence: {
      couldNotCheck: gaps.map((gap) => ({ call: gap.call, collection: gap.collection, read: gap.read, why: gap.why, ...(gap.notNeeded && { notCollected: true }) })),
      loadBalancerArn: lb.arn,
    },
    discriminator: 'could-not-check',
    severity: 'warning',
  };
}
