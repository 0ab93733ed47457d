/**
 * The health checks the load balancers actually run, in one shape for elbv2 target groups
 * and Classic LBs, for the rules that judge their settings. Only target groups some load
 * balancer uses: AWS runs no health check for a target group no load balancer forwards to.
 */
import type { Scope, TargetGroup } from '../inventory/model.js';
import { describeLoadBalancer, loadBalancerResource, targetGroupResource } from './targets.js';
import type { RelatedResources, ResourceRef } from './types.js';

export interface HealthCheckSettings {
  readonly resource: ResourceRef;
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

/**
 * An elbv2 target group's health check. Its settings are read for every target group; what a finding
 * names (resource, wording, CLI, related resources) is worked out only when one is asked for, once:
 * most health checks have no finding, and these stay alive with the scope.
 */
class TargetGroupHealthCheck implements HealthCheckSettings {
  private resourceRef: ResourceRef | undefined = undefined;
  private relatedResources: RelatedResources | undefined = undefined;

  constructor(
    private readonly group: TargetGroup,
    private readonly scope: Scope,
    readonly loadBalancerArn: string,
  ) {}

  get protocol() { return this.group.healthCheck.protocol; }
  get intervalSeconds() { return this.group.healthCheck.intervalSeconds; }
  get timeoutSeconds() { return this.group.healthCheck.timeoutSeconds; }
  get unhealthyThreshold() { return this.group.healthCheck.unhealthyThreshold; }
  get healthyThreshold() { return this.group.healthCheck.healthyThreshold; }
  get matcher() { return this.group.healthCheck.matcher; }
  get subject() { return `target group ${this.group.name}`; }
  get modifyCommand() { return `aws elbv2 modify-target-group --target-group-arn ${this.group.arn}`; }
  get resource() { return (this.resourceRef ??= targetGroupResource(this.group, this.scope)); }
  get related() { return (this.relatedResources ??= { loadBalancerArn: this.loadBalancerArn, targetGroupArns: [this.group.arn] }); }
}

function findHealthChecks(scope: Scope): HealthCheckSettings[] {
  const checks: HealthCheckSettings[] = [];
  // A set, not a scan of the load balancers per target group: that was quadratic (10,000 LBs: 10^8 comparisons per rule).
  const loadBalancerArns = new Set(scope.loadBalancers.map((lb) => lb.arn));
  for (const group of scope.targetGroups) {
    if (!group.healthCheck.enabled) continue;
    const loadBalancerArn = group.loadBalancerArns.find((arn) => loadBalancerArns.has(arn));
    if (loadBalancerArn === undefined) continue;
    checks.push(new TargetGroupHealthCheck(group, scope, loadBalancerArn));
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
