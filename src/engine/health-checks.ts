/**
 * The health checks the load balancers actually run, in one shape for elbv2 target groups
 * and Classic LBs, for the rules that judge their settings. Only target groups some load
 * balancer uses: AWS runs no health check for a target group no load balancer forwards to.
 */
import type { Scope } from '../inventory/model.js';
import { describeLoadBalancer, loadBalancerResource, targetGroupResource } from './targets.js';
import type { RelatedResources, ResourceRef } from './types.js';

export interface HealthCheckSettings {
  resource: ResourceRef;
  /** "target group web" / "Classic LB legacy": how messages name whose health check it is. */
  subject: string;
  protocol?: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  unhealthyThreshold?: number;
  healthyThreshold?: number;
  /** elbv2 success codes ("200", "200-299", "200,302"); Classic health checks accept 200 only. */
  matcher?: string;
  /** The CLI to change these settings, without the settings themselves. */
  modifyCommand: string;
  /** The load balancer, for grouping (a target group's first). */
  loadBalancerArn: string;
  /** The resources a finding about this health check names. */
  related: RelatedResources;
}

// Three rules read them for every scope: work them out once per scope (the runner hands each rule the same object).
const checksByScope = new WeakMap<Scope, HealthCheckSettings[]>();

export function healthChecksOf(scope: Scope): HealthCheckSettings[] {
  let checks = checksByScope.get(scope);
  if (!checks) {
    checks = findHealthChecks(scope);
    checksByScope.set(scope, checks);
  }
  return checks;
}

function findHealthChecks(scope: Scope): HealthCheckSettings[] {
  const checks: HealthCheckSettings[] = [];
  // A set, not a scan of the load balancers per target group: that was quadratic (10,000 LBs: 10^8 comparisons per rule).
  const loadBalancerArns = new Set(scope.loadBalancers.map((lb) => lb.arn));
  for (const group of scope.targetGroups) {
    if (!group.healthCheck.enabled) continue;
    const loadBalancerArn = group.loadBalancerArns.find((arn) => loadBalancerArns.has(arn));
    if (loadBalancerArn === undefined) continue;
    const hc = group.healthCheck;
    checks.push({
      resource: targetGroupResource(group, scope),
      subject: `target group ${group.name}`,
      protocol: hc.protocol,
      intervalSeconds: hc.intervalSeconds,
      timeoutSeconds: hc.timeoutSeconds,
      unhealthyThreshold: hc.unhealthyThreshold,
      healthyThreshold: hc.healthyThreshold,
      matcher: hc.matcher,
      modifyCommand: `aws elbv2 modify-target-group --target-group-arn ${group.arn}`,
      loadBalancerArn,
      related: { loadBalancerArn, targetGroupArns: [group.arn] },
    });
  }
  for (const lb of scope.loadBalancers) {
    const hc = lb.classic?.healthCheck;
    if (lb.kind !== 'classic' || !hc) continue;
    checks.push({
      resource: loadBalancerResource(lb, scope),
      subject: describeLoadBalancer(lb),
      protocol: hc.target.split(':')[0]?.toUpperCase(),
      intervalSeconds: hc.intervalSeconds,
      timeoutSeconds: hc.timeoutSeconds,
      unhealthyThreshold: hc.unhealthyThreshold,
      healthyThreshold: hc.healthyThreshold,
      modifyCommand: `aws elb configure-health-check --load-balancer-name ${lb.name} --health-check Target=${hc.target}`,
      loadBalancerArn: lb.arn,
      related: { loadBalancerArn: lb.arn },
    });
  }
  return checks;
}
