import { describeLoadBalancer, loadBalancerResource, receivesTraffic, targetGroupResource } from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import type { LoadBalancer, TargetGroup, TargetHealthState } from '../src/inventory/model.js';
import { flat } from '../src/engine/text.js';

/** "2 unhealthy, 1 draining" */
function stateSummary(states: readonly TargetHealthState[]): string {
  const counts = new Map<string, number>();
  for (const state of states) counts.set(state, (counts.get(state) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
}

/** Whether some target of the group gets traffic (a loop: asked for every target group of every load balancer). */
function hasServingTarget(group: TargetGroup): boolean {
  for (let i = 0; i < group.targets.length; i++) if (receivesTraffic(group, (group.targets[i] as TargetGroup['targets'][number]).health.state)) return true;
  return false;
}

/**
 * Every (target group ARN -> listener ports) a load balancer forwards to, from default actions
 * and listener rules, and whether the group is only parked there: weight 0 in every weighted
 * forward that names it, so it receives no requests.
 */
function forwardedGroups(lb: LoadBalancer): Map<string, { ports: number[]; parked: boolean }> {
  const groups = new Map<string, { ports: number[]; parked: boolean }>();
  for (const listener of lb.listeners) {
    const actions = [
      { arns: listener.defaultTargetGroupArns, parked: listener.parkedTargetGroupArns ?? [] },
      ...listener.rules.map((r) => ({ arns: r.targetGroupArns, parked: r.parkedTargetGroupArns ?? [] })),
    ];
    const served = new Set(actions.flatMap((a) => a.arns.filter((arn) => !a.parked.includes(arn))));
    for (const arn of new Set(actions.flatMap((a) => a.arns))) {
      // Appended in place: copying the port list per listener is quadratic in listeners.
      const known = groups.get(arn);
      if (known) {
        known.ports.push(listener.port);
        known.parked &&= !served.has(arn);
      } else groups.set(arn, { ports: [listener.port], parked: !served.has(arn) });
    }
  }
  return groups;
}

export default defineRule({
  meta: {
    id: 'target-group-without-healthy-targets',
    title: 'Listener forwards to a target group with no healthy target',
    defaultSeverity: 'error',
    category: 'reachability',
    source: 'config',
    appliesTo: ['application', 'network', 'gateway', 'classic'],
    requires: ['listeners', 'listenerRules', 'targetGroups', 'targetHealth'],
    description:
      "For every listener's default action and listener rule that forwards to a target group, checks that the target group has at least one healthy target, and says what it has instead: no targets registered, or targets that are all unhealthy, initial, draining, unused or unavailable. For a Classic load balancer, checks its registered instances; when AWS reports the health of every one as Unknown, it says so in a warning instead. Lambda target groups with health checks off count their targets as serving.",
    rationale:
      'With no healthy target, an ALB answers 503 (or, when every target is unhealthy, fails open and sends traffic to unhealthy targets), an NLB resets or times out connections, and a Classic LB answers 503: every request on that listener or rule fails or lands on a target known to be broken.',
    remediation: {
      text: 'Register targets, or find why they fail their health check (the reason code and description are in the evidence): security groups, the health check path and port, or the application itself.',
      cli: 'aws elbv2 describe-target-health --target-group-arn arn:aws:elasticloadbalancing:...:targetgroup/web/0123\naws elbv2 register-targets --target-group-arn arn:aws:elasticloadbalancing:...:targetgroup/web/0123 --targets Id=i-0123',
    },
    references: [
      { title: 'Health checks for Application Load Balancer target groups', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html' },
      { title: 'Target health status and reason codes', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html#target-health-states' },
      { title: 'Health checks for Network Load Balancer target groups', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html' },
      { title: 'Health checks for your Classic Load Balancer instances', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-healthchecks.html' },
    ],
  },
  // Every group an ALB forwards to is known without its listener rules (the group's LoadBalancerArns):
  // the rules add the ports and weights of a finding, so they are read only where a group has no healthy target.
  needs: {
    listenerRules: ({ scope, index }) =>
      scope.loadBalancers
        .filter((lb) => lb.kind === 'application' && index.targetGroupsOf(lb).some((group) => !hasServingTarget(group)))
        .map((lb) => lb.arn),
  },
  check({ scope, index }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      if (lb.kind === 'classic') {
        if (lb.listeners.length === 0) continue;
        const instances = lb.classic?.instances ?? [];
        if (instances.some((i) => i.state === 'healthy')) continue;
        // Every state 'unknown': AWS itself could not say (its "Unknown" state). Not a known outage.
        const healthUnknown = instances.length > 0 && instances.every((i) => i.state === 'unknown');
        if (healthUnknown) {
          findings.push({
            resource: loadBalancerResource(lb, scope),
            message: flat(`AWS reports the health of ${describeLoadBalancer(lb)}'s ${instances.length} registered instance(s) as Unknown, so lbcheck cannot tell whether any of them serves.`),
            fix: flat(`Check aws elb describe-instance-health --load-balancer-name ${lb.name}.`),
            related: { loadBalancerArn: lb.arn, instanceIds: instances.map((i) => i.instanceId) },
            evidence: { listenerPorts: lb.listeners.map((l) => l.port), instances: instances.map((i) => ({ id: i.instanceId, state: i.state })) },
            discriminator: 'health-unknown',
            severity: 'warning',
          });
          continue;
        }
        const what = instances.length === 0 ? 'has no registered instances' : `has no healthy instance (${stateSummary(instances.map((i) => i.state))})`;
        findings.push({
          resource: loadBalancerResource(lb, scope),
          message: flat(`${describeLoadBalancer(lb)} ${what}, so every request to it fails.`),
          fix: flat(
            instances.length === 0
              ? `Register instances: aws elb register-instances-with-load-balancer --load-balancer-name ${lb.name} --instances <instance id>.`
              : `Fix the instances or the health check (the reasons are in the evidence): aws elb describe-instance-health --load-balancer-name ${lb.name}.`,
          ),
          related: { loadBalancerArn: lb.arn, instanceIds: instances.map((i) => i.instanceId) },
          evidence: {
            listenerPorts: lb.listeners.map((l) => l.port),
            healthCheck: lb.classic?.healthCheck,
            instances: instances.map((i) => ({ id: i.instanceId, state: i.state, reasonCode: i.reasonCode, description: i.description })),
          },
          discriminator: undefined,
          severity: undefined,
        });
        continue;
      }
      // Most load balancers forward only to groups with a serving target: ask that of every group it forwards to (and any
      // that names it) before working out ports and weights.
      if (index.targetGroupsOf(lb).every(hasServingTarget)) continue;
      for (const [arn, { ports: listenerPorts, parked }] of forwardedGroups(lb)) {
        // The target groups were listed (the runner saw to it): one that is not there was deleted after the listener was read.
        const group = index.targetGroup(arn);
        if (!group || hasServingTarget(group)) continue;
        const empty = group.targets.length === 0;
        const what = empty ? 'has no registered targets' : `has no healthy target (${stateSummary(group.targets.map((t) => t.health.state))})`;
        if (parked) {
          // A parked group (weight 0) receives no requests: nothing fails now, but shifting weight to it would.
          findings.push({
            resource: targetGroupResource(group, scope),
            message: flat(`Target group ${group.name} has weight 0 in ${describeLoadBalancer(lb)}'s weighted forward on port ${listenerPorts.join(', ')}, so it receives no requests now, and it ${what}.`),
            fix: flat(`Give it healthy targets before shifting weight to it: aws elbv2 describe-target-health --target-group-arn ${group.arn}.`),
            related: { loadBalancerArn: lb.arn, targetGroupArns: [group.arn] },
            evidence: { loadBalancerArn: lb.arn, listenerPorts, weight: 0, targets: group.targets.map((t) => ({ id: t.id, port: t.port, state: t.health.state })) },
            discriminator: `${lb.arn}/parked`,
            severity: 'info',
          });
          continue;
        }
        findings.push({
          resource: targetGroupResource(group, scope),
          message: flat(`Target group ${group.name}, which ${describeLoadBalancer(lb)} forwards port ${listenerPorts.join(', ')} to, ${what}, so those requests fail.`),
          fix: flat(
            empty
              ? `Register targets: aws elbv2 register-targets --target-group-arn ${group.arn} --targets Id=<target>.`
              : `Fix the targets or the health check (the reasons are in the evidence): aws elbv2 describe-target-health --target-group-arn ${group.arn}.`,
          ),
          related: { loadBalancerArn: lb.arn, targetGroupArns: [group.arn] },
          evidence: {
            loadBalancerArn: lb.arn,
            listenerPorts,
            targetType: group.targetType,
            healthCheck: group.healthCheck,
            targets: group.targets.map((t) => ({ id: t.id, port: t.port, state: t.health.state, reason: t.health.reason, description: t.health.description })),
          },
          discriminator: lb.arn,
          severity: undefined,
        });
      }
    }
    return findings;
  },
});
