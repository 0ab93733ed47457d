/**
 * What the probe rules (rules/dns-address-*.ts) share: the probed targets of the rule's
 * scope joined with their load balancers, and the config findings that explain an
 * address, so a probe finding can say "and this is why".
 */
import type { Finding, RuleContext } from './types.js';
import type { LoadBalancer } from '../inventory/model.js';
import type { AttemptOutcome, ProbeAddress, ProbeTarget } from '../inventory/probe-report.js';

export interface ProbedLoadBalancer {
  lb: LoadBalancer;
  target: ProbeTarget;
}

/** Probe targets that belong to a load balancer of this scope and were not skipped. */
export function probedLoadBalancers(ctx: RuleContext): ProbedLoadBalancer[] {
  if (!ctx.probe) return [];
  const byArn = new Map(ctx.scope.loadBalancers.map((lb) => [lb.arn, lb]));
  return ctx.probe.targets.flatMap((target) => {
    const lb = target.loadBalancerArn ? byArn.get(target.loadBalancerArn) : undefined;
    return lb && !target.skipped ? [{ lb, target }] : [];
  });
}

/** Outcomes that mean the address did not accept a connection (TLS and HTTP errors come after one). */
export const CONNECT_FAILURES: ReadonlySet<AttemptOutcome> = new Set(['timeout', 'refused', 'reset', 'unreachable']);

/** Whether any attempt on the address got a connection (a TLS or HTTP error still means it accepted one). */
export function acceptedConnection(address: ProbeAddress): boolean {
  return address.attempts.some((attempt) => !CONNECT_FAILURES.has(attempt.outcome));
}

/** The values of a finding's evidence that name resources: a field equal to the id, or a list holding it. */
function evidenceNames(finding: Finding, id: string): boolean {
  return Object.values(finding.evidence).some((value) => value === id || (Array.isArray(value) && value.includes(id)));
}

/**
 * Config findings about the same load balancer that name this address's subnet or
 * network interface in their evidence (e.g. the subnet without an IGW route), or that
 * are about the subnet itself.
 */
export function relatedConfigFindings(ctx: RuleContext, lb: LoadBalancer, address: ProbeAddress): Finding[] {
  const ids = [address.subnetId, address.networkInterfaceId].filter((id): id is string => Boolean(id));
  if (ids.length === 0) return [];
  return ctx.configFindings.filter(
    (finding) =>
      (finding.resource.arn === lb.arn && ids.some((id) => evidenceNames(finding, id))) ||
      ids.some((id) => finding.resource.name === id || finding.resource.arn.endsWith(`/${id}`)),
  );
}

/** Where an address is, for messages: "in us-east-1c (subnet subnet-123)". */
export function placeOf(address: ProbeAddress): string {
  if (address.az && address.subnetId) return `in ${address.az} (subnet ${address.subnetId})`;
  if (address.az) return `in ${address.az}`;
  if (address.subnetId) return `in subnet ${address.subnetId}`;
  return 'in an unknown AZ (no network interface of the LB holds it)';
}

/** Where an address is, for evidence. */
export function locationEvidence(address: ProbeAddress): Record<string, unknown> {
  return {
    ip: address.ip,
    family: address.family,
    availabilityZone: address.az,
    subnetId: address.subnetId,
    networkInterfaceId: address.networkInterfaceId,
  };
}
