/**
 * The probe inside `lbcheck audit --probe`: every load balancer's DNS name on each of
 * its listener ports, each address placed in its AZ and subnet through the LB's
 * network interfaces, so the probe rules can say "IP 3.4.5.6 in us-east-1c times out;
 * its subnet has no IGW route".
 *
 * Which protocol per listener: HTTP → http, HTTPS → https, TLS/SSL → tls, TCP and
 * TCP_UDP → tcp. UDP and GENEVE (Gateway LB) listeners are listed as skipped: there is
 * no TCP handshake to time.
 *
 * Internal load balancers are probed too (lbcheck may run inside the VPC). When no
 * address of an internal LB accepted a connection, the target is marked skipped
 * ("not reachable from outside its VPC") rather than reported: from here that is
 * expected, not a fault. When some addresses connected, lbcheck evidently runs where
 * the LB's clients are, and a failing sibling is a real finding.
 */
import type { KeepAliveDeclaration } from '../engine/types.js';
import { InventoryIndex } from '../inventory/indexes.js';
import type { Inventory, Listener, LoadBalancer, NotChecked } from '../inventory/model.js';
import type { Progress } from '../progress.js';
import type { ProbeProtocol } from './connect.js';
import { parseDnsServer, type DnsServer } from './dns.js';
import { measureInventoryKeepalive } from './keepalive.js';
import { probeTargets, type ProbeRequest } from './probe.js';
import { acceptedConnection } from '../engine/probe-support.js';
import type { ProbeReport, ProbeTarget } from '../inventory/probe-report.js';

export const INTERNAL_NOT_REACHABLE = 'internal load balancer: not reachable from outside its VPC';

export interface ProbeInventoryOptions {
  /** `IP[:PORT]` as given to --dns-server, or already parsed. */
  dnsServer?: string | DnsServer;
  timeoutMs: number;
  attempts: number;
  progress?: Progress;
  concurrency?: number;
  /** Stops the probe where it is (the audit's --max-time): what was measured is kept, the rest is in notChecked. */
  signal?: AbortSignal;
}

const LISTENER_PROTOCOLS: Partial<Record<Listener['protocol'], ProbeProtocol>> = {
  HTTP: 'http',
  HTTPS: 'https',
  TLS: 'tls',
  SSL: 'tls',
  TCP: 'tcp',
  TCP_UDP: 'tcp',
};

function locator(index: InventoryIndex, lb: LoadBalancer): ProbeRequest['locate'] {
  return (ip) => {
    const eni = index.networkInterfaceByIp(ip);
    if (eni) return { az: eni.availabilityZone, subnetId: eni.subnetId, networkInterfaceId: eni.id };
    // NLBs report their addresses per zone (Elastic IPs, private IPs): enough to place an address without its ENI.
    const zone = lb.availabilityZones.find((z) => z.addresses?.some((a) => a.ipAddress === ip || a.privateIPv4Address === ip || a.ipv6Address === ip));
    return zone ? { az: zone.zoneName, ...(zone.subnetId ? { subnetId: zone.subnetId } : {}) } : undefined;
  };
}

function skippedTarget(lb: LoadBalancer, listener: Listener, why: string): ProbeTarget {
  return { host: lb.dnsName, port: listener.port, loadBalancerArn: lb.arn, skipped: why, dns: { server: 'not resolved', ms: 0, addresses: [] }, addresses: [] };
}

/** Probe every load balancer of the inventory on its listener ports. */
export async function probeInventory(inventory: Inventory, options: ProbeInventoryOptions): Promise<ProbeReport> {
  const dnsServer = typeof options.dnsServer === 'string' ? parseDnsServer(options.dnsServer) : options.dnsServer;
  const requests: ProbeRequest[] = [];
  const skipped: ProbeTarget[] = [];
  const internal = new Set<string>();
  for (const scope of inventory.scopes) {
    const index = new InventoryIndex(scope);
    for (const lb of scope.loadBalancers) {
      if (lb.scheme === 'internal') internal.add(lb.arn);
      const locate = locator(index, lb);
      for (const listener of lb.listeners) {
        const protocol = LISTENER_PROTOCOLS[listener.protocol];
        if (!protocol) {
          skipped.push(skippedTarget(lb, listener, `${listener.protocol} listener: lbcheck times TCP connections only`));
          continue;
        }
        if (!lb.dnsName) {
          skipped.push(skippedTarget(lb, listener, 'the load balancer has no DNS name in the inventory'));
          continue;
        }
        requests.push({ host: lb.dnsName, port: listener.port, protocol, loadBalancerArn: lb.arn, scope: { account: scope.account, region: scope.region }, locate });
      }
    }
  }
  const report = await probeTargets(requests, {
    dnsServer,
    timeoutMs: options.timeoutMs,
    attempts: options.attempts,
    progress: options.progress,
    concurrency: options.concurrency,
    ...(options.signal && { signal: options.signal }),
  });
  for (const target of report.targets) {
    const isInternal = target.loadBalancerArn !== undefined && internal.has(target.loadBalancerArn);
    // Every address tried (not cut short by the signal) and none connected: from here, that is expected.
    const triedEvery = target.addresses.length > 0 && target.addresses.every((address) => address.attempts.length > 0);
    if (isInternal && triedEvery && !target.addresses.some(acceptedConnection)) target.skipped = INTERNAL_NOT_REACHABLE;
  }
  return { ...report, targets: [...report.targets, ...skipped] };
}

export interface AuditProbeOptions extends ProbeInventoryOptions {
  /** --measure-keepalive: also time how long reachable targets keep idle connections. */
  measureKeepalive?: boolean;
  /** --keepalive-max-wait: the longest wait for one target to close an idle connection. */
  keepaliveMaxWaitMs?: number;
}

export interface AuditProbeResult {
  probe: ProbeReport;
  /** For RuleSettings.measuredKeepalive: by target group ARN (Classic: LB ARN) and by "ip:port". */
  measuredKeepalive: Record<string, KeepAliveDeclaration>;
  notChecked: NotChecked[];
}

/**
 * What `audit --probe` needs in one call: the probe report, the measured keep-alives
 * (with --measure-keepalive; both run at once), and what could not be checked (names
 * that did not resolve, targets not reachable for a keep-alive measurement).
 */
export async function probeForAudit(inventory: Inventory, options: AuditProbeOptions): Promise<AuditProbeResult> {
  const [probe, keepalive] = await Promise.all([
    probeInventory(inventory, options),
    options.measureKeepalive
      ? measureInventoryKeepalive(inventory, {
          timeoutMs: options.timeoutMs,
          progress: options.progress,
          ...(options.keepaliveMaxWaitMs !== undefined && { maxWaitMs: options.keepaliveMaxWaitMs }),
          ...(options.signal && { signal: options.signal }),
        })
      : undefined,
  ]);
  const regionOf = new Map(inventory.scopes.flatMap((scope) => scope.loadBalancers.map((lb) => [lb.arn, scope] as const)));
  // One entry per name: its listener ports share the one failed lookup.
  const failedLookups = new Map(probe.targets.filter((target) => target.dns.error).map((target) => [target.host, target]));
  const unresolved: NotChecked[] = [...failedLookups.values()].map((target) => {
    const scope = target.loadBalancerArn ? regionOf.get(target.loadBalancerArn) : undefined;
    return { what: `probe of ${target.host}`, why: `DNS: ${target.dns.error}`, ...(scope && { region: scope.region, account: scope.account }) };
  });
  return { probe, measuredKeepalive: keepalive?.measuredKeepalive ?? {}, notChecked: [...unresolved, ...(probe.notChecked ?? []), ...(keepalive?.notChecked ?? [])] };
}
