/**
 * What the probe rules (rules/dns-address-*.ts) share: the probed targets of the rule's
 * scope joined with their load balancers, and the config findings that explain an
 * address, so a probe finding can say "and this is why".
 */
import type { Finding, RelatedResources, RuleContext } from './types.js';
import type { LoadBalancer } from '../inventory/model.js';
import type { AttemptOutcome, ProbeAddress, ProbeCertificate, ProbeTarget } from '../inventory/probe-report.js';

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

/**
 * Config findings that explain why this address does not accept connections on `port`:
 * findings about the same load balancer that say clients cannot connect on that listener
 * port (`related.listenerPorts`), and that name the address's subnet or network interface
 * or no subnet at all (a problem of the whole load balancer, such as its security groups).
 */
export function relatedConfigFindings(ctx: RuleContext, lb: LoadBalancer, address: ProbeAddress, port: number): Finding[] {
  return ctx.configFindings.filter(({ related }) => {
    if (related.loadBalancerArn !== lb.arn || !related.listenerPorts?.includes(port)) return false;
    const placed = related.subnetIds !== undefined || related.networkInterfaceIds !== undefined;
    if (!placed) return true;
    return (
      (address.subnetId !== undefined && related.subnetIds?.includes(address.subnetId) === true) ||
      (address.networkInterfaceId !== undefined && related.networkInterfaceIds?.includes(address.networkInterfaceId) === true)
    );
  });
}

/** What a probe finding about one address of an LB involves: the LB, the port, and where the address is. */
export function addressRelated(lb: LoadBalancer, address: ProbeAddress, port: number): RelatedResources {
  return {
    loadBalancerArn: lb.arn,
    listenerPorts: [port],
    ...(address.subnetId && { subnetIds: [address.subnetId] }),
    ...(address.networkInterfaceId && { networkInterfaceIds: [address.networkInterfaceId] }),
  };
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

/** The distinct certificates a probed name served (by SHA-256 fingerprint), each with the addresses that served it. */
export function servedCertificates(target: ProbeTarget): { certificate: ProbeCertificate; addresses: ProbeAddress[] }[] {
  const byFingerprint = new Map<string, { certificate: ProbeCertificate; addresses: ProbeAddress[] }>();
  for (const address of target.addresses) {
    for (const { certificate } of address.attempts) {
      if (!certificate) continue;
      const entry = byFingerprint.get(certificate.fingerprint) ?? { certificate, addresses: [] };
      if (!entry.addresses.includes(address)) entry.addresses.push(address);
      byFingerprint.set(certificate.fingerprint, entry);
    }
  }
  return [...byFingerprint.values()];
}
