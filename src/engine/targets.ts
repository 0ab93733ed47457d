/**
 * What the rules need to know about a load balancer's targets, worked out once: where
 * each target is (instance -> its AZ and subnet; IP -> the AZ AWS reported, else the
 * subnet whose CIDR holds it), which ports the LB uses to reach it (traffic and health
 * check), and how healthy it is. Classic LBs' registered instances are targets too.
 * Also the resource references and labels the rules' findings share.
 */
import type { InventoryIndex } from '../inventory/indexes.js';
import type { Instance, LoadBalancer, Scope, Subnet, TargetGroup, TargetHealthState } from '../inventory/model.js';
import { getOrCreate, memoizePerIndex, perIndex } from './memo.js';
import { transportsOf, type Clients, type TransportProtocol } from './network.js';
import type { ResourceRef } from './types.js';

export function loadBalancerResource(lb: LoadBalancer, scope: Scope): ResourceRef {
  return { arn: lb.arn, type: lb.kind, name: lb.name, region: scope.region, account: scope.account };
}

export function targetGroupResource(group: TargetGroup, scope: Scope): ResourceRef {
  return { arn: group.arn, type: 'target-group', name: group.name, region: scope.region, account: scope.account };
}

/** "ALB", "NLB", "Classic LB": how messages and reports name a kind of load balancer. */
export const LOAD_BALANCER_KIND_LABEL: Record<LoadBalancer['kind'], string> = { application: 'ALB', network: 'NLB', gateway: 'GWLB', classic: 'Classic LB' };

/** "ALB web", "NLB edge", "Classic LB legacy": how messages name a load balancer. */
export function describeLoadBalancer(lb: LoadBalancer): string {
  return `${LOAD_BALANCER_KIND_LABEL[lb.kind]} ${lb.name}`;
}

export function subnetIdsOf(lb: LoadBalancer): string[] {
  const ids: string[] = [];
  for (const { subnetId } of lb.availabilityZones) if (subnetId && !ids.includes(subnetId)) ids.push(subnetId);
  return ids;
}

/**
 * The load balancer's subnets in the inventory, each once: where its nodes are. Kept per index, and
 * one list for every load balancer in the same subnets (thousands of load balancers, a few dozen sets
 * of subnets), so what depends on the subnets alone is worked out once per list (nodesOfSubnets).
 * Read the list, never change it.
 */
export const subnetsOf: (index: InventoryIndex, lb: LoadBalancer) => readonly Subnet[] = memoizePerIndex((index: InventoryIndex, lb: LoadBalancer) => {
  const ids = subnetIdsOf(lb);
  return getOrCreate(subnetListsOf(index), ids.join(','), () => findSubnets(index, ids));
});

/** The lists of subnets handed out so far, by their subnet IDs. */
const subnetListsOf = perIndex<InventoryIndex, Map<string, readonly Subnet[]>>(() => new Map());

function findSubnets(index: InventoryIndex, ids: readonly string[]): readonly Subnet[] {
  // By push, as placeTargets says why.
  const subnets: Subnet[] = [];
  for (const id of ids) {
    const subnet = index.subnet(id);
    if (subnet) subnets.push(subnet);
  }
  return subnets;
}

export interface TargetEndpoint {
  /** The target group, or undefined for a Classic LB's registered instance. */
  group?: TargetGroup;
  targetId: string;
  kind: 'instance' | 'ip' | 'lambda' | 'alb';
  instance?: Instance;
  ip?: string;
  subnetId?: string;
  /** The target's AZ; 'all' for an IP target outside the VPC (AWS routes to it from every AZ). */
  zone?: string;
  /** How the AZ was found, or why it could not be: worded by zoneSourceOf. */
  placedBy: PlacedBy;
  trafficPort?: number;
  healthCheckPort?: number;
  trafficProtocols: readonly TransportProtocol[];
  healthState: TargetHealthState;
}

/**
 * How a target's AZ was found (or why it could not be), as a fixed word: the sentence naming the
 * target is made by zoneSourceOf only for a finding (tens of thousands of targets, a few findings).
 */
export type PlacedBy = 'instance' | 'instance-without-az' | 'instance-not-in-inventory' | 'not-placed' | 'reported-by-aws' | 'subnet' | 'no-subnet';

/** How the AZ of a target was found, or why it could not be: "instance i-0123", "subnet subnet-1a holds 10.0.0.5". */
export function zoneSourceOf(endpoint: TargetEndpoint): string {
  const id = endpoint.targetId;
  switch (endpoint.placedBy) {
    case 'instance':
      return `instance ${id}`;
    case 'instance-without-az':
      return `instance ${id} has no AZ in the inventory`;
    case 'instance-not-in-inventory':
      return `instance ${id} is not in the inventory`;
    case 'not-placed':
      return `${endpoint.kind} targets are not placed in an AZ`;
    case 'reported-by-aws':
      return 'the AZ AWS reports for the target';
    case 'subnet':
      return `subnet ${endpoint.subnetId ?? ''} holds ${id}`;
    case 'no-subnet':
      return `no subnet of ${endpoint.group?.vpcId ?? 'the VPC'} holds ${id}`;
  }
}

/** The port in a Classic health check target such as "HTTP:8080/health" or "TCP:22". */
export function classicHealthCheckPort(target: string | undefined): number | undefined {
  const match = target ? /^[A-Za-z]+:(\d+)/.exec(target) : null;
  return match?.[1] ? Number(match[1]) : undefined;
}

/**
 * An endpoint as one object literal of a fixed shape, its placement (instance, address, subnet, AZ)
 * still to be filled in by `placeInstance` or `placeTarget`: tens of thousands of them live through
 * the whole run, and building a placement and the target's fields apart made two throwaway objects each.
 */
function unplaced(
  group: TargetGroup | undefined,
  targetId: string,
  kind: TargetEndpoint['kind'],
  trafficPort: number | undefined,
  healthCheckPort: number | undefined,
  trafficProtocols: readonly TransportProtocol[],
  healthState: TargetHealthState,
): TargetEndpoint {
  return { group, targetId, kind, trafficPort, healthCheckPort, trafficProtocols, healthState, instance: undefined, ip: undefined, subnetId: undefined, zone: undefined, placedBy: 'not-placed' };
}

/** Where a target is: its address, subnet and AZ (and instance), and how the AZ was found (or why it could not be). */
function place(endpoint: TargetEndpoint, placedBy: PlacedBy, ip?: string, subnetId?: string, zone?: string, instance?: Instance): TargetEndpoint {
  endpoint.instance = instance;
  endpoint.ip = ip;
  endpoint.subnetId = subnetId;
  endpoint.zone = zone;
  endpoint.placedBy = placedBy;
  return endpoint;
}

function placeInstance(index: InventoryIndex, id: string, endpoint: TargetEndpoint): TargetEndpoint {
  const instance = index.instance(id);
  if (!instance) return place(endpoint, 'instance-not-in-inventory');
  return place(endpoint, instance.availabilityZone ? 'instance' : 'instance-without-az', instance.privateIpAddress, instance.subnetId, instance.availabilityZone, instance);
}

function placeTarget(index: InventoryIndex, group: TargetGroup, target: TargetGroup['targets'][number], endpoint: TargetEndpoint): TargetEndpoint {
  if (group.targetType === 'instance') return placeInstance(index, target.id, endpoint);
  if (group.targetType !== 'ip') return place(endpoint, 'not-placed');
  const subnet = group.vpcId ? index.subnetContainingIp(group.vpcId, target.id) : undefined;
  if (target.availabilityZone) return place(endpoint, 'reported-by-aws', target.id, subnet?.id, target.availabilityZone);
  return subnet
    ? place(endpoint, 'subnet', target.id, subnet.id, subnet.availabilityZone)
    : place(endpoint, 'no-subnet', target.id);
}

/** Every target of every target group the LB forwards to (elbv2), or its registered instances (Classic). */
export function targetEndpointsOf(index: InventoryIndex, lb: LoadBalancer): readonly TargetEndpoint[] {
  if (lb.kind === 'classic') {
    const listenerPorts = [...new Set(lb.listeners.flatMap((l) => (l.instancePort !== undefined ? [l.instancePort] : [])))];
    const healthCheckPort = classicHealthCheckPort(lb.classic?.healthCheck?.target);
    return (lb.classic?.instances ?? []).flatMap((registered) =>
      (listenerPorts.length > 0 ? listenerPorts : [undefined]).map((port) =>
        placeInstance(
          index,
          registered.instanceId,
          unplaced(undefined, registered.instanceId, 'instance', port, healthCheckPort ?? port, transportsOf('TCP'), registered.state),
        ),
      ),
    );
  }
  const groups = index.targetGroupsOf(lb);
  // One target group (most load balancers): its placed targets as they are, not a copy per call.
  if (groups.length === 1) return targetEndpointsOfGroup(index, groups[0] as TargetGroup);
  return groups.flatMap((group) => targetEndpointsOfGroup(index, group));
}

// Several rules walk the same targets: place them once per inventory index.
export const targetEndpointsOfGroup: (index: InventoryIndex, group: TargetGroup) => readonly TargetEndpoint[] = memoizePerIndex(placeTargets);

/**
 * Lists the rules walk for every load balancer are built by push from a literal, never by map or
 * flatMap: those make arrays of another internal kind (holey or packed, by path), and optimised code
 * that met one kind is thrown away and compiled again when it meets the other.
 */
function placeTargets(index: InventoryIndex, group: TargetGroup): TargetEndpoint[] {
  const trafficProtocols = transportsOf(group.protocol);
  const endpoints: TargetEndpoint[] = [];
  for (let i = 0; i < group.targets.length; i++) {
    const target = group.targets[i] as TargetGroup['targets'][number];
    const trafficPort = target.port ?? group.port;
    const healthCheckPort = group.healthCheck.port === 'traffic-port' ? trafficPort : group.healthCheck.port;
    endpoints.push(placeTarget(index, group, target, unplaced(group, target.id, group.targetType, trafficPort, healthCheckPort, trafficProtocols, target.health.state)));
  }
  return endpoints;
}

/**
 * The target groups behind a scope's NLBs: where client IP preservation (a target group attribute)
 * decides who reaches the targets. What the rules that check that path need of `targetGroupAttributes`.
 */
export function networkLoadBalancerGroups({ scope, index }: { scope: Scope; index: InventoryIndex }): string[] {
  return scope.loadBalancers.filter((lb) => lb.kind === 'network').flatMap((lb) => index.targetGroupsOf(lb).map((group) => group.arn));
}

/** NLB client IP preservation: the TG attribute, else AWS's default (on for instance targets and UDP/QUIC groups, off for IP targets over TCP/TLS). */
export function preservesClientIp(lb: LoadBalancer, group: TargetGroup | undefined): boolean {
  if (lb.kind !== 'network' || !group) return false;
  if (group.attributes.preserveClientIp !== undefined) return group.attributes.preserveClientIp;
  return group.targetType === 'instance' || transportsOf(group.protocol).includes('udp');
}

export type IpFamily = 4 | 6;

/** The CIDRs (or addresses) of one IP family. */
export function ofFamily(cidrs: readonly string[], family: IpFamily): string[] {
  return cidrs.filter((cidr) => cidr.includes(':') === (family === 6));
}

/** A subnet's CIDRs of one family (IPv6: its associated blocks; an IPv6-only subnet has no IPv4 one). */
export function subnetCidrsOf(subnet: Subnet, family: IpFamily): string[] {
  return family === 4 ? (subnet.cidrBlock ? [subnet.cidrBlock] : []) : [...subnet.ipv6CidrBlocks];
}

/** A node of the load balancer: its subnet, and the subnet's CIDRs of the family it talks to targets in. */
export interface LoadBalancerNode {
  subnet: Subnet;
  cidrs: string[];
}

/** Who sends packets to the targets of one target group, and from which addresses. */
export interface TargetPeers {
  /**
   * The IP family the load balancer reaches the targets over: the target group's (IPv6 only
   * for an IPv6 target group), whatever the load balancer's own address type.
   */
  family: IpFamily;
  /** The load balancer's nodes, by subnet: where health checks (and, without client IP preservation, all traffic) come from. */
  nodes: readonly LoadBalancerNode[];
  /** The load balancer's security groups (a target may admit them instead of CIDRs). */
  securityGroupIds: string[];
  preservesClientIp: boolean;
  /**
   * The client ranges whose packets reach the targets with the client's own address: with
   * client IP preservation, the clients of `family`. Empty without it.
   */
  preservedClients: readonly string[];
  /** Where traffic-port packets come from: the preserved clients, plus the nodes when they forward (some) clients themselves. */
  trafficSources: readonly string[];
  /** The nodes' CIDRs: where health checks come from. */
  nodeCidrs: readonly string[];
}

/** Without client IP preservation no client reaches the targets with its own address (one list for all). */
const NO_CLIENTS: readonly string[] = [];

/**
 * Who talks to a target group's targets (and so what their security groups and network
 * ACLs must admit): the load balancer's nodes in its subnets, over the target group's IP
 * family; with NLB client IP preservation, the clients of that family keep their address,
 * while clients of the other family (a dualstack NLB with IPv4 targets) are translated to
 * the nodes' addresses. One helper for every rule that checks that path.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation
 */
export function targetPeers(index: InventoryIndex, lb: LoadBalancer, group: TargetGroup | undefined, clients: Clients): TargetPeers {
  const family: IpFamily = group?.ipAddressType === 'ipv6' ? 6 : 4;
  const { nodes, nodeCidrs } = nodesOfSubnets(index, subnetsOf(index, lb))[family];
  const preserve = preservesClientIp(lb, group);
  const preservedClients = preserve ? ofFamily(clients.cidrs, family) : NO_CLIENTS;
  const translatesSome = !preserve || preservedClients.length < clients.cidrs.length;
  return {
    family,
    nodes,
    securityGroupIds: lb.securityGroupIds,
    preservesClientIp: preserve,
    preservedClients,
    // Without client IP preservation (most load balancers) the nodes' CIDRs themselves, not a copy.
    trafficSources: !translatesSome ? preservedClients : preservedClients.length === 0 ? nodeCidrs : [...preservedClients, ...nodeCidrs],
    nodeCidrs,
  };
}

/** A set of subnets' nodes over one family, and their CIDRs. */
interface NodesOfFamily {
  nodes: readonly LoadBalancerNode[];
  nodeCidrs: readonly string[];
}

/**
 * The nodes of a load balancer's subnets over each family: they depend on the subnets alone, and
 * load balancers in the same subnets share one list of them (subnetsOf), so each is made once per
 * list, not for every load balancer and target group. Read them, never change them.
 */
const nodesOfSubnets = memoizePerIndex(
  (_index: InventoryIndex, subnets: readonly Subnet[]): Record<IpFamily, NodesOfFamily> => ({ 4: nodesOfFamily(subnets, 4), 6: nodesOfFamily(subnets, 6) }),
);

function nodesOfFamily(subnets: readonly Subnet[], family: IpFamily): NodesOfFamily {
  const nodes: LoadBalancerNode[] = [];
  const nodeCidrs: string[] = [];
  for (const subnet of subnets) {
    const cidrs = subnetCidrsOf(subnet, family);
    nodes.push({ subnet, cidrs });
    nodeCidrs.push(...cidrs);
  }
  return { nodes, nodeCidrs };
}

export interface CrossZoneCheck {
  group?: TargetGroup;
  crossZone: boolean;
  crossZoneSource: string;
  endpoints: readonly TargetEndpoint[];
}

/**
 * Cross-zone load balancing per target group of a load balancer (one entry for a Classic LB):
 * the TG's own setting when it has one, else the LB's (ALB: always on), with where it came from.
 */
export const crossZoneChecks: (index: InventoryIndex, lb: LoadBalancer) => readonly CrossZoneCheck[] = memoizePerIndex(findCrossZoneChecks);

// Three rules ask for every load balancer: worked out once per index (above).
function findCrossZoneChecks(index: InventoryIndex, lb: LoadBalancer): CrossZoneCheck[] {
  if (lb.kind === 'classic') {
    return [{ crossZone: lb.attributes.crossZoneEnabled, crossZoneSource: 'Classic LB attribute CrossZoneLoadBalancing', endpoints: targetEndpointsOf(index, lb) }];
  }
  return index.targetGroupsOf(lb).map((group) => {
    const own = group.attributes.crossZoneEnabled;
    return {
      group,
      crossZone: own ?? lb.attributes.crossZoneEnabled,
      crossZoneSource:
        own !== undefined
          ? `target group attribute load_balancing.cross_zone.enabled=${own}`
          : lb.kind === 'application'
            ? 'ALB (cross-zone is always on unless a target group turns it off)'
            : `load balancer attribute load_balancing.cross_zone.enabled=${lb.attributes.crossZoneEnabled}`,
      endpoints: targetEndpointsOfGroup(index, group),
    };
  });
}

/** Whether a target in this state gets traffic: healthy, or a Lambda target (health checks off) that reads "unavailable". */
export function receivesTraffic(group: TargetGroup | undefined, state: TargetHealthState): boolean {
  return state === 'healthy' || (group !== undefined && !group.healthCheck.enabled && state === 'unavailable');
}
