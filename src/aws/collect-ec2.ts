/**
 * The network around the load balancers (EC2 API): VPCs, subnets, route tables, internet
 * and egress-only gateways, NAT gateways, security groups, network ACLs, the LBs' network
 * interfaces, the instances registered as targets, and the managed prefix lists that
 * security group rules and routes reference. Everything is fetched with a few filtered,
 * paginated calls per VPC batch, never one call per resource.
 */
import {
  paginateDescribeEgressOnlyInternetGateways,
  paginateDescribeInstances,
  paginateDescribeInternetGateways,
  paginateDescribeManagedPrefixLists,
  paginateDescribeNatGateways,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcs,
  paginateGetManagedPrefixListEntries,
  type Filter,
  type Instance as AwsInstance,
  type IpPermission,
  type NetworkAcl as AwsNetworkAcl,
  type NetworkInterface as AwsNetworkInterface,
  type Route as AwsRoute,
  type RouteTable as AwsRouteTable,
} from '@aws-sdk/client-ec2';
import type {
  Instance,
  NetworkAcl,
  NetworkInterface,
  PrefixList,
  Route,
  RouteTable,
  RouteTargetKind,
  Scope,
  SecurityGroupRule,
} from '../inventory/model.js';
import { chunks } from './limiter.js';
import { pageSizeFor, type ScopeRun } from './scope-run.js';

/** EC2 accepts at most 200 values per filter. */
const FILTER_VALUES = 200;

/** The network part of a scope (its network interfaces not yet matched to their load balancers). */
export type NetworkCollected = Pick<
  Scope,
  | 'vpcs'
  | 'subnets'
  | 'routeTables'
  | 'internetGateways'
  | 'egressOnlyInternetGateways'
  | 'natGateways'
  | 'securityGroups'
  | 'networkAcls'
  | 'networkInterfaces'
>;

/** IANA protocol numbers AWS may return instead of names. */
const PROTOCOL_NAMES: Record<string, string> = { '-1': 'all', '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'icmpv6' };

export function protocolName(protocol: string | undefined): string {
  const value = (protocol ?? '-1').toLowerCase();
  return PROTOCOL_NAMES[value] ?? value;
}

/**
 * One IpPermission as the inventory's rule: protocol -1 is every protocol and every port
 * ("Use -1 to specify all protocols... all ports"); TCP/UDP without ports is the full range.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html
 */
export function securityGroupRule(permission: IpPermission): SecurityGroupRule {
  const protocol = protocolName(permission.IpProtocol);
  const hasPorts = protocol !== 'all' && permission.FromPort !== undefined && permission.ToPort !== undefined;
  return {
    protocol,
    fromPort: hasPorts ? (permission.FromPort as number) : 0,
    toPort: hasPorts ? (permission.ToPort as number) : 65535,
    sources: [
      ...(permission.IpRanges ?? []).flatMap((r) => (r.CidrIp ? [{ kind: 'cidr-ipv4' as const, cidr: r.CidrIp, description: r.Description }] : [])),
      ...(permission.Ipv6Ranges ?? []).flatMap((r) =>
        r.CidrIpv6 ? [{ kind: 'cidr-ipv6' as const, cidr: r.CidrIpv6, description: r.Description }] : [],
      ),
      ...(permission.PrefixListIds ?? []).flatMap((p) =>
        p.PrefixListId ? [{ kind: 'prefix-list' as const, prefixListId: p.PrefixListId, description: p.Description }] : [],
      ),
      ...(permission.UserIdGroupPairs ?? []).flatMap((g) =>
        g.GroupId ? [{ kind: 'security-group' as const, groupId: g.GroupId, userId: g.UserId, description: g.Description }] : [],
      ),
    ],
  };
}

/** What a route sends traffic to, by the id field AWS filled in. */
export function routeTarget(route: AwsRoute): Route['target'] {
  const gateway = route.GatewayId;
  const pick = (kind: RouteTargetKind, id: string | undefined): Route['target'] | undefined => (id ? { kind, id } : undefined);
  return (
    (gateway === 'local' ? { kind: 'local', id: 'local' } : undefined) ??
    (gateway?.startsWith('igw-') ? pick('internet-gateway', gateway) : undefined) ??
    (gateway?.startsWith('vgw-') ? pick('virtual-private-gateway', gateway) : undefined) ??
    (gateway?.startsWith('vpce-') ? pick('vpc-endpoint', gateway) : undefined) ??
    pick('egress-only-internet-gateway', route.EgressOnlyInternetGatewayId) ??
    pick('nat-gateway', route.NatGatewayId) ??
    pick('transit-gateway', route.TransitGatewayId) ??
    pick('vpc-peering', route.VpcPeeringConnectionId) ??
    // AWS reports both the instance and its interface for routes to an instance.
    pick('instance', route.InstanceId) ??
    pick('network-interface', route.NetworkInterfaceId) ??
    pick('carrier-gateway', route.CarrierGatewayId) ??
    pick('local-gateway', route.LocalGatewayId) ??
    pick('core-network', route.CoreNetworkArn) ??
    pick('unknown', gateway) ?? { kind: 'unknown', id: '' }
  );
}

export function routeTableOf(table: AwsRouteTable): RouteTable {
  const associations = table.Associations ?? [];
  // An association being created or removed does not (yet, or any more) govern the subnet.
  const current = associations.filter((a) => !a.AssociationState?.State || a.AssociationState.State === 'associated');
  return {
    id: table.RouteTableId ?? '',
    vpcId: table.VpcId ?? '',
    isMain: current.some((a) => a.Main === true),
    subnetIds: current.flatMap((a) => (a.SubnetId ? [a.SubnetId] : [])),
    routes: (table.Routes ?? []).map((route) => ({
      destinationCidrBlock: route.DestinationCidrBlock,
      destinationIpv6CidrBlock: route.DestinationIpv6CidrBlock,
      destinationPrefixListId: route.DestinationPrefixListId,
      target: routeTarget(route),
      state: route.State === 'blackhole' ? 'blackhole' : 'active',
      origin: route.Origin,
    })),
  };
}

export function networkAclOf(acl: AwsNetworkAcl): NetworkAcl {
  return {
    id: acl.NetworkAclId ?? '',
    vpcId: acl.VpcId ?? '',
    isDefault: acl.IsDefault ?? false,
    subnetIds: (acl.Associations ?? []).flatMap((a) => (a.SubnetId ? [a.SubnetId] : [])),
    entries: (acl.Entries ?? []).map((entry) => ({
      ruleNumber: entry.RuleNumber ?? 0,
      egress: entry.Egress ?? false,
      protocol: protocolName(entry.Protocol),
      action: entry.RuleAction === 'allow' ? 'allow' : 'deny',
      cidrBlock: entry.CidrBlock,
      ipv6CidrBlock: entry.Ipv6CidrBlock,
      portRange: entry.PortRange?.From !== undefined && entry.PortRange.To !== undefined ? { from: entry.PortRange.From, to: entry.PortRange.To } : undefined,
    })),
  };
}

export function networkInterfaceOf(eni: AwsNetworkInterface): NetworkInterface {
  const publicIps = new Set<string>();
  if (eni.Association?.PublicIp) publicIps.add(eni.Association.PublicIp);
  for (const address of eni.PrivateIpAddresses ?? []) if (address.Association?.PublicIp) publicIps.add(address.Association.PublicIp);
  const privateIps = new Set<string>();
  if (eni.PrivateIpAddress) privateIps.add(eni.PrivateIpAddress);
  for (const address of eni.PrivateIpAddresses ?? []) if (address.PrivateIpAddress) privateIps.add(address.PrivateIpAddress);
  return {
    id: eni.NetworkInterfaceId ?? '',
    subnetId: eni.SubnetId ?? '',
    vpcId: eni.VpcId ?? '',
    availabilityZone: eni.AvailabilityZone ?? '',
    description: eni.Description ?? '',
    interfaceType: eni.InterfaceType,
    privateIpAddresses: [...privateIps],
    publicIps: [...publicIps],
    ipv6Addresses: (eni.Ipv6Addresses ?? []).flatMap((a) => (a.Ipv6Address ? [a.Ipv6Address] : [])),
    securityGroupIds: (eni.Groups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : [])),
  };
}

export function instanceOf(instance: AwsInstance): Instance {
  return {
    id: instance.InstanceId ?? '',
    state: instance.State?.Name ?? 'unknown',
    vpcId: instance.VpcId,
    subnetId: instance.SubnetId,
    availabilityZone: instance.Placement?.AvailabilityZone,
    privateIpAddress: instance.PrivateIpAddress,
    publicIpAddress: instance.PublicIpAddress,
    securityGroupIds: (instance.SecurityGroups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : [])),
  };
}

/** A CIDR association still in force: anything but one being removed or failed (AWS: associating | associated | ...). */
function isCurrent(state: string | undefined): boolean {
  return !['disassociating', 'disassociated', 'failing', 'failed'].includes(state ?? '');
}

/** The resources of the given VPCs, batched by VPC id filter. */
export async function collectNetwork(run: ScopeRun, vpcIds: readonly string[]): Promise<NetworkCollected> {
  const client = run.clients.ec2;
  const batches = chunks([...new Set(vpcIds)].sort(), FILTER_VALUES);
  const size = (max: number) => pageSizeFor(run.pageSize, 5, max);

  /** One paginated listing per VPC batch, concatenated. */
  async function perBatch<Page, Item>(
    operation: string,
    what: string,
    pages: (vpcFilter: Filter) => AsyncIterable<Page>,
    itemsOf: (page: Page) => Item[] | undefined,
    filterName = 'vpc-id',
  ): Promise<Item[]> {
    const results = await Promise.all(
      batches.map((batch) => run.list(operation, `${what} of ${batch.join(', ')}`, () => pages({ Name: filterName, Values: batch }), itemsOf, batch)),
    );
    return results.flatMap((r) => r.items);
  }

  const [vpcs, subnets, routeTables, internetGateways, egressOnly, natGateways, securityGroups, networkAcls, interfaces] = await Promise.all([
    perBatch('ec2:DescribeVpcs', 'VPCs', (f) => paginateDescribeVpcs({ client, pageSize: size(1000) }, { Filters: [f] }), (p) => p.Vpcs),
    perBatch('ec2:DescribeSubnets', 'subnets', (f) => paginateDescribeSubnets({ client, pageSize: size(1000) }, { Filters: [f] }), (p) => p.Subnets),
    perBatch(
      'ec2:DescribeRouteTables',
      'route tables',
      (f) => paginateDescribeRouteTables({ client, pageSize: size(100) }, { Filters: [f] }),
      (p) => p.RouteTables,
    ),
    perBatch(
      'ec2:DescribeInternetGateways',
      'internet gateways',
      (f) => paginateDescribeInternetGateways({ client, pageSize: size(1000) }, { Filters: [f] }),
      (p) => p.InternetGateways,
      'attachment.vpc-id',
    ),
    // DescribeEgressOnlyInternetGateways has no VPC filter: list them all and keep this VPCs' ones below.
    run.list(
      'ec2:DescribeEgressOnlyInternetGateways',
      'egress-only internet gateways',
      () => paginateDescribeEgressOnlyInternetGateways({ client, pageSize: size(255) }, {}),
      (p) => p.EgressOnlyInternetGateways,
    ),
    perBatch(
      'ec2:DescribeNatGateways',
      'NAT gateways',
      (f) => paginateDescribeNatGateways({ client, pageSize: size(1000) }, { Filter: [f] }),
      (p) => p.NatGateways,
    ),
    perBatch(
      'ec2:DescribeSecurityGroups',
      'security groups',
      (f) => paginateDescribeSecurityGroups({ client, pageSize: size(1000) }, { Filters: [f] }),
      (p) => p.SecurityGroups,
    ),
    perBatch(
      'ec2:DescribeNetworkAcls',
      'network ACLs',
      (f) => paginateDescribeNetworkAcls({ client, pageSize: size(100) }, { Filters: [f] }),
      (p) => p.NetworkAcls,
    ),
    // AWS names every load balancer interface "ELB app/NAME/ID", "ELB net/NAME/ID", "ELB gwy/NAME/ID" or "ELB NAME".
    perBatch(
      'ec2:DescribeNetworkInterfaces',
      'load balancer network interfaces',
      (f) =>
        paginateDescribeNetworkInterfaces(
          { client, pageSize: size(1000) },
          { Filters: [f, { Name: 'description', Values: ['ELB *'] }] },
        ),
      (p) => p.NetworkInterfaces,
    ),
  ]);

  // A route may point at a gateway attached to another VPC (or to none): fetch those by id, so the
  // rule can say where the gateway is instead of "not in the inventory".
  const listed = new Set(internetGateways.map((igw) => igw.InternetGatewayId));
  const elsewhere = [...new Set(routeTables.flatMap((t) => (t.Routes ?? []).flatMap((r) => (r.GatewayId?.startsWith('igw-') && !listed.has(r.GatewayId) ? [r.GatewayId] : []))))].sort();
  if (elsewhere.length) {
    // Were this call to fail, the VPCs whose routes point at these gateways are the ones left unchecked.
    const routingVpcs = [...new Set(routeTables.filter((t) => (t.Routes ?? []).some((r) => r.GatewayId && elsewhere.includes(r.GatewayId))).flatMap((t) => (t.VpcId ? [t.VpcId] : [])))];
    const fetched = await Promise.all(
      chunks(elsewhere, FILTER_VALUES).map((batch) =>
        run.list(
          'ec2:DescribeInternetGateways',
          `internet gateways routes point at (${batch.join(', ')})`,
          () => paginateDescribeInternetGateways({ client, pageSize: size(1000) }, { Filters: [{ Name: 'internet-gateway-id', Values: batch }] }),
          (p) => p.InternetGateways,
          routingVpcs,
        ),
      ),
    );
    internetGateways.push(...fetched.flatMap((r) => r.items));
  }

  const wanted = new Set(vpcIds);
  return {
    vpcs: vpcs.map((vpc) => ({
      id: vpc.VpcId ?? '',
      cidrBlocks: (vpc.CidrBlockAssociationSet ?? [])
        .filter((a) => isCurrent(a.CidrBlockState?.State))
        .flatMap((a) => (a.CidrBlock ? [a.CidrBlock] : []))
        .concat(vpc.CidrBlockAssociationSet?.length ? [] : vpc.CidrBlock ? [vpc.CidrBlock] : []),
      ipv6CidrBlocks: (vpc.Ipv6CidrBlockAssociationSet ?? [])
        .filter((a) => isCurrent(a.Ipv6CidrBlockState?.State))
        .flatMap((a) => (a.Ipv6CidrBlock ? [a.Ipv6CidrBlock] : [])),
      isDefault: vpc.IsDefault ?? false,
    })),
    subnets: subnets.map((subnet) => ({
      id: subnet.SubnetId ?? '',
      vpcId: subnet.VpcId ?? '',
      availabilityZone: subnet.AvailabilityZone ?? '',
      availabilityZoneId: subnet.AvailabilityZoneId,
      cidrBlock: subnet.CidrBlock,
      ipv6CidrBlocks: (subnet.Ipv6CidrBlockAssociationSet ?? [])
        .filter((a) => isCurrent(a.Ipv6CidrBlockState?.State))
        .flatMap((a) => (a.Ipv6CidrBlock ? [a.Ipv6CidrBlock] : [])),
      mapPublicIpOnLaunch: subnet.MapPublicIpOnLaunch ?? false,
      availableIpAddressCount: subnet.AvailableIpAddressCount,
    })),
    routeTables: routeTables.map(routeTableOf),
    internetGateways: internetGateways.map((igw) => ({
      id: igw.InternetGatewayId ?? '',
      attachments: (igw.Attachments ?? []).map((a) => ({ vpcId: a.VpcId ?? '', state: a.State ?? 'unknown' })),
    })),
    egressOnlyInternetGateways: egressOnly.items
      .filter((gw) => (gw.Attachments ?? []).some((a) => a.VpcId && wanted.has(a.VpcId)))
      .map((gw) => ({
        id: gw.EgressOnlyInternetGatewayId ?? '',
        attachments: (gw.Attachments ?? []).map((a) => ({ vpcId: a.VpcId ?? '', state: a.State ?? 'unknown' })),
      })),
    natGateways: natGateways.map((nat) => ({
      id: nat.NatGatewayId ?? '',
      vpcId: nat.VpcId ?? '',
      subnetId: nat.SubnetId ?? '',
      state: nat.State ?? 'unknown',
      // ConnectivityType: "The default is public". https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html
      connectivityType: nat.ConnectivityType === 'private' ? 'private' : 'public',
    })),
    securityGroups: securityGroups.map((group) => ({
      id: group.GroupId ?? '',
      name: group.GroupName ?? '',
      vpcId: group.VpcId,
      ingress: (group.IpPermissions ?? []).map(securityGroupRule),
      egress: (group.IpPermissionsEgress ?? []).map(securityGroupRule),
    })),
    networkAcls: networkAcls.map(networkAclOf),
    networkInterfaces: interfaces.map(networkInterfaceOf),
  };
}

/** The instances with these ids (an instance-id filter, so an id that no longer exists is no error). */
export async function collectInstances(run: ScopeRun, instanceIds: readonly string[]): Promise<Instance[]> {
  const client = run.clients.ec2;
  const ids = [...new Set(instanceIds)].sort();
  const results = await Promise.all(
    chunks(ids, FILTER_VALUES).map((batch) =>
      run.list(
        'ec2:DescribeInstances',
        `${batch.length} target instances`,
        () =>
          paginateDescribeInstances(
            { client, pageSize: pageSizeFor(run.pageSize, 5, 1000) },
            { Filters: [{ Name: 'instance-id', Values: batch }] },
          ),
        (page) => (page.Reservations ?? []).flatMap((r) => r.Instances ?? []),
        batch,
      ),
    ),
  );
  return results.flatMap((r) => r.items.map(instanceOf));
}

/** Managed prefix lists by id, with their CIDRs. */
export async function collectPrefixLists(run: ScopeRun, prefixListIds: readonly string[]): Promise<PrefixList[]> {
  const client = run.clients.ec2;
  const ids = [...new Set(prefixListIds)].sort();
  if (ids.length === 0) return [];
  const listed = await Promise.all(
    chunks(ids, FILTER_VALUES).map((batch) =>
      run.list(
        'ec2:DescribeManagedPrefixLists',
        `prefix lists ${batch.join(', ')}`,
        () =>
          paginateDescribeManagedPrefixLists(
            { client, pageSize: pageSizeFor(run.pageSize, 1, 100) },
            { Filters: [{ Name: 'prefix-list-id', Values: batch }] },
          ),
        (page) => page.PrefixLists,
        batch,
      ),
    ),
  );
  return Promise.all(
    listed
      .flatMap((r) => r.items)
      .map(async (list): Promise<PrefixList> => {
        const id = list.PrefixListId ?? '';
        const entries = await run.list(
          'ec2:GetManagedPrefixListEntries',
          `entries of prefix list ${id}`,
          () => paginateGetManagedPrefixListEntries({ client, pageSize: pageSizeFor(run.pageSize, 1, 100) }, { PrefixListId: id }),
          (page) => page.Entries,
          [id],
        );
        return {
          id,
          name: list.PrefixListName,
          addressFamily: list.AddressFamily,
          cidrs: entries.items.flatMap((e) => (e.Cidr ? [e.Cidr] : [])),
        };
      }),
  );
}
