/**
 * Lookups the rules need, built once per scope so no rule scans the inventory itself.
 */
import type {
  Instance,
  InternetGateway,
  LoadBalancer,
  NetworkAcl,
  NetworkInterface,
  PrefixList,
  RouteTable,
  Scope,
  SecurityGroup,
  Subnet,
  TargetGroup,
  Vpc,
} from './model.js';
import { cidrRange, rangeContains, type AddressRange } from './cidr.js';

export interface EffectiveRouteTable {
  routeTable: RouteTable;
  /** 'explicit' when the subnet is associated with it, 'main' when it falls back to the VPC's main table. */
  via: 'explicit' | 'main';
}

function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  // A loop, not new Map(items.map(...)): no pair array per item (60,000 instances at 10,000 LBs).
  const map = new Map<string, T>();
  for (const item of items) map.set(key(item), item);
  return map;
}

/** Appends to the list under `key`, in place (copying it on each append would be quadratic). */
export function appendTo<K, T>(map: Map<K, T[]>, key: K, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

export class InventoryIndex {
  readonly scope: Scope;
  private readonly subnets: Map<string, Subnet>;
  private readonly vpcs: Map<string, Vpc>;
  private readonly securityGroups: Map<string, SecurityGroup>;
  private readonly targetGroups: Map<string, TargetGroup>;
  private readonly loadBalancers: Map<string, LoadBalancer>;
  private readonly forwardedTargetGroups = new Map<LoadBalancer, TargetGroup[]>();
  private readonly instances: Map<string, Instance>;
  private readonly internetGateways: Map<string, InternetGateway>;
  private readonly prefixLists: Map<string, PrefixList>;
  private readonly explicitRouteTable = new Map<string, RouteTable>();
  private readonly mainRouteTable = new Map<string, RouteTable>();
  private readonly explicitNetworkAcl = new Map<string, NetworkAcl>();
  private readonly defaultNetworkAcl = new Map<string, NetworkAcl>();
  private readonly enisByIp = new Map<string, NetworkInterface>();
  private readonly targetGroupsByLoadBalancer = new Map<string, TargetGroup[]>();
  private readonly subnetRangesByVpc = new Map<string, { range: AddressRange; subnet: Subnet }[]>();

  constructor(scope: Scope) {
    this.scope = scope;
    this.subnets = byKey(scope.subnets, (s) => s.id);
    this.vpcs = byKey(scope.vpcs, (v) => v.id);
    this.securityGroups = byKey(scope.securityGroups, (g) => g.id);
    this.targetGroups = byKey(scope.targetGroups, (t) => t.arn);
    this.loadBalancers = byKey(scope.loadBalancers, (lb) => lb.arn);
    this.instances = byKey(scope.instances, (i) => i.id);
    this.internetGateways = byKey(scope.internetGateways, (g) => g.id);
    this.prefixLists = byKey(scope.prefixLists, (p) => p.id);
    for (const table of scope.routeTables) {
      if (table.isMain) this.mainRouteTable.set(table.vpcId, table);
      for (const subnetId of table.subnetIds) this.explicitRouteTable.set(subnetId, table);
    }
    for (const acl of scope.networkAcls) {
      if (acl.isDefault) this.defaultNetworkAcl.set(acl.vpcId, acl);
      for (const subnetId of acl.subnetIds) this.explicitNetworkAcl.set(subnetId, acl);
    }
    for (const subnet of scope.subnets) {
      for (const cidr of [subnet.cidrBlock, ...subnet.ipv6CidrBlocks]) {
        const range = cidr === undefined ? undefined : cidrRange(cidr);
        if (range) appendTo(this.subnetRangesByVpc, subnet.vpcId, { range, subnet });
      }
    }
    for (const group of scope.targetGroups) {
      for (const arn of group.loadBalancerArns) appendTo(this.targetGroupsByLoadBalancer, arn, group);
    }
    for (const eni of scope.networkInterfaces) {
      for (const ip of [...eni.privateIpAddresses, ...eni.publicIps, ...eni.ipv6Addresses]) this.enisByIp.set(ip, eni);
    }
  }

  subnet(id: string): Subnet | undefined {
    return this.subnets.get(id);
  }

  vpc(id: string): Vpc | undefined {
    return this.vpcs.get(id);
  }

  securityGroup(id: string): SecurityGroup | undefined {
    return this.securityGroups.get(id);
  }

  loadBalancer(arn: string): LoadBalancer | undefined {
    return this.loadBalancers.get(arn);
  }

  targetGroup(arn: string): TargetGroup | undefined {
    return this.targetGroups.get(arn);
  }

  instance(id: string): Instance | undefined {
    return this.instances.get(id);
  }

  internetGateway(id: string): InternetGateway | undefined {
    return this.internetGateways.get(id);
  }

  prefixList(id: string): PrefixList | undefined {
    return this.prefixLists.get(id);
  }

  /** The route table that governs a subnet: its explicit association, else its VPC's main table. */
  effectiveRouteTable(subnetId: string): EffectiveRouteTable | undefined {
    const explicit = this.explicitRouteTable.get(subnetId);
    if (explicit) return { routeTable: explicit, via: 'explicit' };
    const subnet = this.subnets.get(subnetId);
    const main = subnet && this.mainRouteTable.get(subnet.vpcId);
    return main ? { routeTable: main, via: 'main' } : undefined;
  }

  /** The network ACL of a subnet: its association, else its VPC's default ACL. */
  networkAclOf(subnetId: string): NetworkAcl | undefined {
    const explicit = this.explicitNetworkAcl.get(subnetId);
    if (explicit) return explicit;
    const subnet = this.subnets.get(subnetId);
    return subnet && this.defaultNetworkAcl.get(subnet.vpcId);
  }

  /** The load-balancer network interface that holds an address (private, public or IPv6). */
  networkInterfaceByIp(ip: string): NetworkInterface | undefined {
    return this.enisByIp.get(ip);
  }

  /** The target groups a load balancer forwards to, through default actions and listener rules. */
  targetGroupsOf(loadBalancer: LoadBalancer): TargetGroup[] {
    // Several rules ask for every LB: work it out once.
    let groups = this.forwardedTargetGroups.get(loadBalancer);
    if (!groups) {
      groups = this.findTargetGroupsOf(loadBalancer);
      this.forwardedTargetGroups.set(loadBalancer, groups);
    }
    return groups;
  }

  private findTargetGroupsOf(loadBalancer: LoadBalancer): TargetGroup[] {
    // Plain loops into one list (no ARN list copied and mapped): this runs for every load balancer, mostly before it is optimised.
    const groups: TargetGroup[] = [];
    for (const listener of loadBalancer.listeners) {
      for (const arn of listener.defaultTargetGroupArns) this.addTargetGroup(arn, groups);
      for (const rule of listener.rules) for (const arn of rule.targetGroupArns) this.addTargetGroup(arn, groups);
    }
    for (const group of this.targetGroupsByLoadBalancer.get(loadBalancer.arn) ?? []) this.addTargetGroup(group.arn, groups);
    return groups;
  }

  /**
   * Each group once, in the order its ARN first comes up; an ARN not in the inventory is left out. A load
   * balancer forwards to a handful of groups: the list is scanned, with no set of ARNs made for each one.
   */
  private addTargetGroup(arn: string, groups: TargetGroup[]): void {
    const group = this.targetGroups.get(arn);
    if (group && !groups.includes(group)) groups.push(group);
  }

  /** The subnet of a VPC whose IPv4 or IPv6 CIDR holds an address (how AWS places IP targets in AZs). */
  subnetContainingIp(vpcId: string, ip: string): Subnet | undefined {
    const address = cidrRange(ip);
    if (!address) return undefined;
    return this.subnetRangesByVpc.get(vpcId)?.find(({ range }) => rangeContains(range, address))?.subnet;
  }
}
