/**
 * A small scenario builder over real SDK create calls against the run's moto_server.
 * Every method makes the calls AWS would need and returns ids/ARNs, so a test reads as
 * the network it builds:
 *
 *   const s = await scenario(region);
 *   const vpc = await s.vpc({ cidr: '10.0.0.0/16' });
 *   const igw = await s.internetGateway(vpc);
 *   const a = await s.subnet(vpc, { cidr: '10.0.1.0/24', az: `${region}a` });
 *   await s.routeTable(vpc, { routes: [{ cidr: '0.0.0.0/0', gatewayId: igw }], subnets: [a] });
 *   const sg = await s.securityGroup(vpc, { ingress: [{ port: 443, cidr: '0.0.0.0/0' }] });
 *   const alb = await s.alb({ subnets: [a, b], securityGroups: [sg] });
 *
 * moto does not create what AWS creates behind the scenes (LB network interfaces), so
 * `lbNetworkInterface` makes that ENI the way AWS would describe it.
 */
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateEgressOnlyInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateManagedPrefixListCommand,
  CreateNatGatewayCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  ReplaceNetworkAclAssociationCommand,
  ReplaceRouteTableAssociationCommand,
  RevokeSecurityGroupEgressCommand,
  RunInstancesCommand,
  type IpPermission,
  type RuleAction,
} from '@aws-sdk/client-ec2';
import {
  ConfigureHealthCheckCommand,
  CreateLoadBalancerPolicyCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
  CreateLoadBalancerCommand as CreateClassicLoadBalancerCommand,
  ModifyLoadBalancerAttributesCommand as ModifyClassicAttributesCommand,
  RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  ModifyListenerAttributesCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
  type Action,
  type ProtocolEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { motoAccountCredentials, motoClients, motoEndpoint, type MotoClients } from './moto.js';

/** moto's default account id. */
export const MOTO_ACCOUNT = '123456789012';
/** An AMI id moto ships with (any well-formed id works; this one avoids a warning). */
const MOTO_AMI = 'ami-12c6146b';

export interface RouteSpec {
  cidr?: string;
  ipv6Cidr?: string;
  prefixListId?: string;
  gatewayId?: string;
  natGatewayId?: string;
  egressOnlyGatewayId?: string;
  networkInterfaceId?: string;
  instanceId?: string;
  vpcPeeringConnectionId?: string;
  transitGatewayId?: string;
}

export interface SecurityGroupRuleSpec {
  /** One port; or fromPort/toPort for a range. Omit all three with protocol 'all'. */
  port?: number;
  fromPort?: number;
  toPort?: number;
  /** 'tcp' (default), 'udp', 'icmp' or 'all' (-1). */
  protocol?: 'tcp' | 'udp' | 'icmp' | 'all';
  cidr?: string;
  ipv6Cidr?: string;
  sourceGroup?: string;
  prefixListId?: string;
  description?: string;
}

export interface NetworkAclEntrySpec {
  rule: number;
  egress?: boolean;
  /** 'tcp' (default), 'udp', 'icmp' or 'all' (-1). */
  protocol?: 'tcp' | 'udp' | 'icmp' | 'all';
  action: 'allow' | 'deny';
  cidr?: string;
  ipv6Cidr?: string;
  /** A single port or a range; omit for 'all'. */
  port?: number;
  ports?: { from: number; to: number };
}

export interface LoadBalancerRef {
  arn: string;
  name: string;
  dnsName: string;
  kind: 'application' | 'network' | 'gateway' | 'classic';
}

export interface ElbV2Spec {
  name?: string;
  subnets: string[];
  securityGroups?: string[];
  scheme?: 'internet-facing' | 'internal';
  ipAddressType?: 'ipv4' | 'dualstack';
  /** elbv2 attributes as AWS names them, e.g. { 'idle_timeout.timeout_seconds': '120' }. */
  attributes?: Record<string, string>;
  tags?: Record<string, string>;
}

export interface TargetGroupSpec {
  name?: string;
  port?: number;
  protocol?: 'HTTP' | 'HTTPS' | 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP' | 'GENEVE';
  targetType?: 'instance' | 'ip' | 'lambda' | 'alb';
  healthCheck?: {
    protocol?: string;
    port?: string;
    path?: string;
    intervalSeconds?: number;
    timeoutSeconds?: number;
    healthyThreshold?: number;
    unhealthyThreshold?: number;
    /** HTTP success codes, e.g. '200-299'. */
    matcher?: string;
  };
  attributes?: Record<string, string>;
  tags?: Record<string, string>;
}

export interface ListenerSpec {
  /** Omit both for a Gateway Load Balancer's listener (GENEVE 6081, implied). */
  port?: number;
  protocol?: 'HTTP' | 'HTTPS' | 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP';
  /** Forward to this target group; or several with weights. Omit for a fixed 404 response. */
  targetGroup?: string;
  weightedTargetGroups?: { arn: string; weight: number }[];
  /** The default action redirects to HTTPS 443 (HTTP 301) instead of forwarding. */
  redirectToHttps?: boolean;
  certificateArn?: string;
  sslPolicy?: string;
  attributes?: Record<string, string>;
}

export interface ClassicSpec {
  name?: string;
  subnets: string[];
  securityGroups?: string[];
  scheme?: 'internet-facing' | 'internal';
  listeners: {
    port: number;
    protocol?: 'HTTP' | 'HTTPS' | 'TCP' | 'SSL';
    instancePort: number;
    instanceProtocol?: 'HTTP' | 'HTTPS' | 'TCP' | 'SSL';
    certificateArn?: string;
    /** An SSLNegotiationPolicyType policy for this listener, as its attribute flags (e.g. { 'Protocol-TLSv1.2': 'true', ... }). */
    sslNegotiation?: Record<string, string>;
  }[];
  instances?: string[];
  healthCheck?: { target: string; interval?: number; timeout?: number; healthyThreshold?: number; unhealthyThreshold?: number };
  idleTimeoutSeconds?: number;
  crossZone?: boolean;
  accessLogBucket?: string;
  connectionDraining?: boolean;
  /** AdditionalAttributes, e.g. { 'elb.http.desyncmitigationmode': 'monitor' }. */
  additionalAttributes?: Record<string, string>;
  tags?: Record<string, string>;
}

let counter = 0;
/** Unique-enough names (LB names are unique per region and at most 32 characters). */
function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

function tagList(tags: Record<string, string> | undefined) {
  return tags ? Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) : undefined;
}

function ipPermission(rule: SecurityGroupRuleSpec): IpPermission {
  const protocol = rule.protocol ?? 'tcp';
  const all = protocol === 'all';
  return {
    IpProtocol: all ? '-1' : protocol,
    FromPort: all ? undefined : (rule.fromPort ?? rule.port),
    ToPort: all ? undefined : (rule.toPort ?? rule.port),
    IpRanges: rule.cidr ? [{ CidrIp: rule.cidr, Description: rule.description }] : undefined,
    Ipv6Ranges: rule.ipv6Cidr ? [{ CidrIpv6: rule.ipv6Cidr, Description: rule.description }] : undefined,
    UserIdGroupPairs: rule.sourceGroup ? [{ GroupId: rule.sourceGroup, Description: rule.description }] : undefined,
    PrefixListIds: rule.prefixListId ? [{ PrefixListId: rule.prefixListId, Description: rule.description }] : undefined,
  };
}

function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`scenario: moto returned no ${what}`);
  return value;
}

/** Last two parts of an elbv2 ARN ("app/NAME/ID"), which AWS puts in its ENIs' descriptions. */
function elbv2ArnSuffix(arn: string): string {
  return arn.split(':loadbalancer/')[1] ?? arn;
}

export class Scenario {
  private nextLoopbackOctet = 2;

  constructor(
    readonly clients: MotoClients,
    readonly account = MOTO_ACCOUNT,
  ) {}

  get region(): string {
    return this.clients.region;
  }

  // ------------------------------------------------------------ VPC and routing

  async vpc(options: { cidr?: string; ipv6?: boolean } = {}): Promise<string> {
    const out = await this.clients.ec2.send(
      new CreateVpcCommand({ CidrBlock: options.cidr ?? '10.0.0.0/16', AmazonProvidedIpv6CidrBlock: options.ipv6 }),
    );
    return required(out.Vpc?.VpcId, 'VpcId');
  }

  /** The Amazon-provided IPv6 block of a VPC made with `ipv6: true` (a /56); subnets take /64s of it. */
  async ipv6CidrOf(vpcId: string): Promise<string> {
    const out = await this.clients.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    return required(out.Vpcs?.[0]?.Ipv6CidrBlockAssociationSet?.[0]?.Ipv6CidrBlock, `IPv6 block of ${vpcId}`);
  }

  async subnet(vpcId: string, options: { cidr: string; az?: string; ipv6Cidr?: string }): Promise<string> {
    const out = await this.clients.ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: options.cidr,
        AvailabilityZone: options.az ?? `${this.region}a`,
        Ipv6CidrBlock: options.ipv6Cidr,
      }),
    );
    return required(out.Subnet?.SubnetId, 'SubnetId');
  }

  /** An internet gateway, attached to the VPC unless `attach: false`. */
  async internetGateway(vpcId: string, options: { attach?: boolean } = {}): Promise<string> {
    const out = await this.clients.ec2.send(new CreateInternetGatewayCommand({}));
    const id = required(out.InternetGateway?.InternetGatewayId, 'InternetGatewayId');
    if (options.attach !== false) await this.clients.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
    return id;
  }

  async egressOnlyInternetGateway(vpcId: string): Promise<string> {
    const out = await this.clients.ec2.send(new CreateEgressOnlyInternetGatewayCommand({ VpcId: vpcId }));
    return required(out.EgressOnlyInternetGateway?.EgressOnlyInternetGatewayId, 'EgressOnlyInternetGatewayId');
  }

  async natGateway(subnetId: string, options: { connectivity?: 'public' | 'private' } = {}): Promise<string> {
    let allocationId: string | undefined;
    if (options.connectivity !== 'private') {
      const eip = await this.clients.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
      allocationId = eip.AllocationId;
    }
    const out = await this.clients.ec2.send(
      new CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId: allocationId, ConnectivityType: options.connectivity ?? 'public' }),
    );
    return required(out.NatGateway?.NatGatewayId, 'NatGatewayId');
  }

  /** The VPC's main route table (created with the VPC). */
  async mainRouteTable(vpcId: string): Promise<string> {
    const out = await this.clients.ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'association.main', Values: ['true'] },
        ],
      }),
    );
    return required(out.RouteTables?.[0]?.RouteTableId, `main route table of ${vpcId}`);
  }

  async route(routeTableId: string, route: RouteSpec): Promise<void> {
    await this.clients.ec2.send(
      new CreateRouteCommand({
        RouteTableId: routeTableId,
        DestinationCidrBlock: route.cidr,
        DestinationIpv6CidrBlock: route.ipv6Cidr,
        DestinationPrefixListId: route.prefixListId,
        GatewayId: route.gatewayId,
        NatGatewayId: route.natGatewayId,
        EgressOnlyInternetGatewayId: route.egressOnlyGatewayId,
        NetworkInterfaceId: route.networkInterfaceId,
        InstanceId: route.instanceId,
        VpcPeeringConnectionId: route.vpcPeeringConnectionId,
        TransitGatewayId: route.transitGatewayId,
      }),
    );
  }

  /**
   * A route table with routes, explicitly associated with `subnets`. `main: true` makes it
   * the VPC's main table (the fallback for subnets without an explicit association).
   */
  async routeTable(vpcId: string, options: { routes?: RouteSpec[]; subnets?: string[]; main?: boolean } = {}): Promise<string> {
    const out = await this.clients.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
    const id = required(out.RouteTable?.RouteTableId, 'RouteTableId');
    for (const route of options.routes ?? []) await this.route(id, route);
    for (const subnetId of options.subnets ?? []) {
      await this.clients.ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: subnetId }));
    }
    if (options.main) {
      const current = await this.clients.ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpcId] },
            { Name: 'association.main', Values: ['true'] },
          ],
        }),
      );
      const association = current.RouteTables?.[0]?.Associations?.find((a) => a.Main);
      await this.clients.ec2.send(
        new ReplaceRouteTableAssociationCommand({
          AssociationId: required(association?.RouteTableAssociationId, 'main route table association'),
          RouteTableId: id,
        }),
      );
    }
    return id;
  }

  /**
   * A security group. `ingress` rules are added; `egress`, when given, replaces AWS's
   * default allow-all egress rule.
   */
  async securityGroup(
    vpcId: string,
    options: { name?: string; ingress?: SecurityGroupRuleSpec[]; egress?: SecurityGroupRuleSpec[] } = {},
  ): Promise<string> {
    const name = options.name ?? uniqueName('sg');
    const out = await this.clients.ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: `lbcheck test ${name}`, VpcId: vpcId }));
    const id = required(out.GroupId, 'GroupId');
    if (options.ingress?.length) {
      await this.clients.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: options.ingress.map(ipPermission) }));
    }
    if (options.egress) {
      // AWS's default egress: all to 0.0.0.0/0, and to ::/0 in a VPC with IPv6. Revoke exactly what is there.
      const current = await this.clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }));
      const defaults = current.SecurityGroups?.[0]?.IpPermissionsEgress ?? [];
      if (defaults.length) await this.clients.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: id, IpPermissions: defaults }));
      if (options.egress.length) {
        await this.clients.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: id, IpPermissions: options.egress.map(ipPermission) }));
      }
    }
    return id;
  }

  /** A network ACL with entries, associated with `subnets` (taking them from their current ACL). */
  async networkAcl(vpcId: string, options: { subnets?: string[]; entries?: NetworkAclEntrySpec[] } = {}): Promise<string> {
    const out = await this.clients.ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }));
    const id = required(out.NetworkAcl?.NetworkAclId, 'NetworkAclId');
    for (const entry of options.entries ?? []) {
      const protocol = entry.protocol ?? 'tcp';
      const numbers = { all: '-1', tcp: '6', udp: '17', icmp: '1' } as const;
      const range = entry.ports ?? (entry.port !== undefined ? { from: entry.port, to: entry.port } : undefined);
      await this.clients.ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: id,
          RuleNumber: entry.rule,
          Egress: entry.egress ?? false,
          Protocol: numbers[protocol],
          RuleAction: entry.action as RuleAction,
          CidrBlock: entry.cidr,
          Ipv6CidrBlock: entry.ipv6Cidr,
          PortRange: range ? { From: range.from, To: range.to } : undefined,
          IcmpTypeCode: protocol === 'icmp' ? { Type: -1, Code: -1 } : undefined,
        }),
      );
    }
    for (const subnetId of options.subnets ?? []) {
      const current = await this.clients.ec2.send(
        new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }),
      );
      const association = current.NetworkAcls?.flatMap((acl) => acl.Associations ?? []).find((a) => a.SubnetId === subnetId);
      await this.clients.ec2.send(
        new ReplaceNetworkAclAssociationCommand({
          AssociationId: required(association?.NetworkAclAssociationId, `network ACL association of ${subnetId}`),
          NetworkAclId: id,
        }),
      );
    }
    return id;
  }

  async prefixList(options: { name?: string; cidrs: string[]; addressFamily?: 'IPv4' | 'IPv6' }): Promise<string> {
    const out = await this.clients.ec2.send(
      new CreateManagedPrefixListCommand({
        PrefixListName: options.name ?? uniqueName('pl'),
        AddressFamily: options.addressFamily ?? 'IPv4',
        MaxEntries: Math.max(options.cidrs.length, 1),
        Entries: options.cidrs.map((Cidr) => ({ Cidr })),
      }),
    );
    return required(out.PrefixList?.PrefixListId, 'PrefixListId');
  }

  // ------------------------------------------------------------ compute

  async instance(subnetId: string, options: { securityGroups?: string[]; privateIp?: string; instanceType?: string } = {}): Promise<string> {
    const [id] = await this.instances(subnetId, 1, options);
    return required(id, 'InstanceId');
  }

  /** `count` instances from one RunInstances call. */
  async instances(subnetId: string, count: number, options: { securityGroups?: string[]; privateIp?: string; instanceType?: string } = {}): Promise<string[]> {
    const out = await this.clients.ec2.send(
      new RunInstancesCommand({
        ImageId: MOTO_AMI,
        MinCount: count,
        MaxCount: count,
        InstanceType: (options.instanceType ?? 't3.micro') as never,
        SubnetId: subnetId,
        SecurityGroupIds: options.securityGroups,
        PrivateIpAddress: options.privateIp,
      }),
    );
    const ids = (out.Instances ?? []).flatMap((instance) => (instance.InstanceId ? [instance.InstanceId] : []));
    if (ids.length !== count) throw new Error(`RunInstances started ${ids.length} instances, not ${count}`);
    return ids;
  }

  // ------------------------------------------------------------ load balancers

  alb(spec: ElbV2Spec): Promise<LoadBalancerRef> {
    return this.elbv2LoadBalancer('application', spec);
  }

  nlb(spec: ElbV2Spec): Promise<LoadBalancerRef> {
    return this.elbv2LoadBalancer('network', spec);
  }

  /** A Gateway Load Balancer (no security groups, no scheme: AWS makes them internal). */
  gwlb(spec: Omit<ElbV2Spec, 'securityGroups' | 'scheme'>): Promise<LoadBalancerRef> {
    return this.elbv2LoadBalancer('gateway', spec);
  }

  private async elbv2LoadBalancer(kind: 'application' | 'network' | 'gateway', spec: ElbV2Spec): Promise<LoadBalancerRef> {
    const name = spec.name ?? uniqueName({ application: 'alb', network: 'nlb', gateway: 'gwlb' }[kind]);
    const out = await this.clients.elbv2.send(
      new CreateLoadBalancerCommand({
        Name: name,
        Type: kind,
        Subnets: spec.subnets,
        SecurityGroups: spec.securityGroups,
        Scheme: kind === 'gateway' ? undefined : (spec.scheme ?? 'internet-facing'),
        IpAddressType: spec.ipAddressType,
        Tags: tagList(spec.tags),
      }),
    );
    const lb = required(out.LoadBalancers?.[0], 'LoadBalancer');
    const arn = required(lb.LoadBalancerArn, 'LoadBalancerArn');
    if (spec.attributes && Object.keys(spec.attributes).length) {
      await this.clients.elbv2.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: arn,
          Attributes: Object.entries(spec.attributes).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
    }
    return { arn, name, dnsName: required(lb.DNSName, 'DNSName'), kind };
  }

  async targetGroup(vpcId: string | undefined, spec: TargetGroupSpec = {}): Promise<string> {
    const targetType = spec.targetType ?? 'instance';
    const hc = spec.healthCheck ?? {};
    const out = await this.clients.elbv2.send(
      new CreateTargetGroupCommand({
        Name: spec.name ?? uniqueName('tg'),
        TargetType: targetType,
        Protocol: targetType === 'lambda' ? undefined : ((spec.protocol ?? 'HTTP') as ProtocolEnum),
        Port: targetType === 'lambda' ? undefined : (spec.port ?? 80),
        VpcId: targetType === 'lambda' ? undefined : vpcId,
        HealthCheckProtocol: hc.protocol as ProtocolEnum | undefined,
        HealthCheckPort: hc.port,
        HealthCheckPath: hc.path,
        HealthCheckIntervalSeconds: hc.intervalSeconds,
        HealthCheckTimeoutSeconds: hc.timeoutSeconds,
        HealthyThresholdCount: hc.healthyThreshold,
        UnhealthyThresholdCount: hc.unhealthyThreshold,
        Matcher: hc.matcher ? { HttpCode: hc.matcher } : undefined,
        Tags: tagList(spec.tags),
      }),
    );
    const arn = required(out.TargetGroups?.[0]?.TargetGroupArn, 'TargetGroupArn');
    if (spec.attributes && Object.keys(spec.attributes).length) {
      await this.clients.elbv2.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: arn,
          Attributes: Object.entries(spec.attributes).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
    }
    return arn;
  }

  /** Register instance ids or IP addresses (optionally with a port and AZ) in a target group. */
  async register(targetGroupArn: string, targets: (string | { id: string; port?: number; az?: string })[]): Promise<void> {
    await this.clients.elbv2.send(
      new RegisterTargetsCommand({
        TargetGroupArn: targetGroupArn,
        Targets: targets.map((t) => (typeof t === 'string' ? { Id: t } : { Id: t.id, Port: t.port, AvailabilityZone: t.az })),
      }),
    );
  }

  async listener(lb: LoadBalancerRef, spec: ListenerSpec): Promise<string> {
    const action: Action = spec.redirectToHttps
      ? { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }
      : spec.weightedTargetGroups
      ? { Type: 'forward', ForwardConfig: { TargetGroups: spec.weightedTargetGroups.map((t) => ({ TargetGroupArn: t.arn, Weight: t.weight })) } }
      : spec.targetGroup
        ? { Type: 'forward', TargetGroupArn: spec.targetGroup }
        : { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain' } };
    const out = await this.clients.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.arn,
        Port: spec.port,
        Protocol: spec.protocol,
        Certificates: spec.certificateArn ? [{ CertificateArn: spec.certificateArn }] : undefined,
        SslPolicy: spec.sslPolicy,
        DefaultActions: [action],
      }),
    );
    const arn = required(out.Listeners?.[0]?.ListenerArn, 'ListenerArn');
    if (spec.attributes && Object.keys(spec.attributes).length) {
      await this.clients.elbv2.send(
        new ModifyListenerAttributesCommand({
          ListenerArn: arn,
          Attributes: Object.entries(spec.attributes).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
    }
    return arn;
  }

  /** A listener rule forwarding a path pattern to a target group. */
  async listenerRule(listenerArn: string, options: { priority: number; pathPattern: string; targetGroup: string }): Promise<string> {
    const out = await this.clients.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: options.priority,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [options.pathPattern] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: options.targetGroup }],
      }),
    );
    return required(out.Rules?.[0]?.RuleArn, 'RuleArn');
  }

  async classic(spec: ClassicSpec): Promise<LoadBalancerRef> {
    const name = spec.name ?? uniqueName('clb');
    const out = await this.clients.elb.send(
      new CreateClassicLoadBalancerCommand({
        LoadBalancerName: name,
        Subnets: spec.subnets,
        SecurityGroups: spec.securityGroups,
        Scheme: spec.scheme ?? 'internet-facing',
        Listeners: spec.listeners.map((l) => ({
          LoadBalancerPort: l.port,
          Protocol: l.protocol ?? 'HTTP',
          InstancePort: l.instancePort,
          InstanceProtocol: l.instanceProtocol ?? l.protocol ?? 'HTTP',
          SSLCertificateId: l.certificateArn,
        })),
        Tags: tagList(spec.tags),
      }),
    );
    if (spec.healthCheck) {
      const hc = spec.healthCheck;
      await this.clients.elb.send(
        new ConfigureHealthCheckCommand({
          LoadBalancerName: name,
          HealthCheck: {
            Target: hc.target,
            Interval: hc.interval ?? 30,
            Timeout: hc.timeout ?? 5,
            HealthyThreshold: hc.healthyThreshold ?? 10,
            UnhealthyThreshold: hc.unhealthyThreshold ?? 2,
          },
        }),
      );
    }
    const attributes = {
      ConnectionSettings: spec.idleTimeoutSeconds !== undefined ? { IdleTimeout: spec.idleTimeoutSeconds } : undefined,
      CrossZoneLoadBalancing: spec.crossZone !== undefined ? { Enabled: spec.crossZone } : undefined,
      AccessLog: spec.accessLogBucket ? { Enabled: true, S3BucketName: spec.accessLogBucket, EmitInterval: 60 } : undefined,
      ConnectionDraining: spec.connectionDraining !== undefined ? { Enabled: spec.connectionDraining, Timeout: 300 } : undefined,
      AdditionalAttributes: spec.additionalAttributes ? Object.entries(spec.additionalAttributes).map(([Key, Value]) => ({ Key, Value })) : undefined,
    };
    if (Object.values(attributes).some((value) => value !== undefined)) {
      await this.clients.elb.send(new ModifyClassicAttributesCommand({ LoadBalancerName: name, LoadBalancerAttributes: attributes }));
    }
    for (const listener of spec.listeners) {
      if (!listener.sslNegotiation) continue;
      const policyName = `tls-${listener.port}`;
      await this.clients.elb.send(
        new CreateLoadBalancerPolicyCommand({
          LoadBalancerName: name,
          PolicyName: policyName,
          PolicyTypeName: 'SSLNegotiationPolicyType',
          PolicyAttributes: Object.entries(listener.sslNegotiation).map(([AttributeName, AttributeValue]) => ({ AttributeName, AttributeValue })),
        }),
      );
      await this.clients.elb.send(new SetLoadBalancerPoliciesOfListenerCommand({ LoadBalancerName: name, LoadBalancerPort: listener.port, PolicyNames: [policyName] }));
    }
    if (spec.instances?.length) {
      await this.clients.elb.send(
        new RegisterInstancesWithLoadBalancerCommand({ LoadBalancerName: name, Instances: spec.instances.map((InstanceId) => ({ InstanceId })) }),
      );
    }
    return {
      arn: `arn:aws:elasticloadbalancing:${this.region}:${this.account}:loadbalancer/${name}`,
      name,
      dnsName: required(out.DNSName, 'DNSName'),
      kind: 'classic',
    };
  }

  /**
   * An issued ACM certificate for `domain` (HTTPS/TLS listeners need one that exists: moto checks).
   * lbcheck has no ACM client, so this speaks ACM's JSON protocol to moto directly; moto reads the
   * region from the credential scope and does not check the signature.
   */
  async acmCertificate(domain: string): Promise<string> {
    const response = await fetch(motoEndpoint(), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'CertificateManager.RequestCertificate',
        Authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/${this.region}/acm/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify({ DomainName: domain, ValidationMethod: 'DNS' }),
    });
    const body = (await response.json()) as { CertificateArn?: string };
    return required(body.CertificateArn, 'CertificateArn');
  }

  /**
   * The network interface AWS creates for a load balancer node in a subnet (moto does
   * not): Description `ELB app/NAME/ID` (ALB), `ELB net/NAME/ID` (NLB) or `ELB NAME`
   * (Classic). With `publicIp` (a loopback address such as 127.0.0.5, so test servers can
   * listen on it), an Elastic IP with that address is associated with the ENI. When no
   * address is given, one from 127.0.0.2 upwards is chosen (unique per Scenario).
   */
  async lbNetworkInterface(
    lb: LoadBalancerRef,
    subnetId: string,
    options: { publicIp?: string | false; privateIp?: string; securityGroups?: string[] } = {},
  ): Promise<{ networkInterfaceId: string; publicIp?: string; privateIp?: string }> {
    const description = lb.kind === 'classic' ? `ELB ${lb.name}` : `ELB ${elbv2ArnSuffix(lb.arn)}`;
    const out = await this.clients.ec2.send(
      new CreateNetworkInterfaceCommand({
        SubnetId: subnetId,
        Description: description,
        PrivateIpAddress: options.privateIp,
        Groups: options.securityGroups,
      }),
    );
    const eni = required(out.NetworkInterface, 'NetworkInterface');
    const networkInterfaceId = required(eni.NetworkInterfaceId, 'NetworkInterfaceId');
    let publicIp: string | undefined;
    if (options.publicIp !== false) {
      publicIp = options.publicIp ?? `127.0.0.${this.nextLoopbackOctet++}`;
      const eip = await this.clients.ec2.send(new AllocateAddressCommand({ Domain: 'vpc', Address: publicIp }));
      await this.clients.ec2.send(
        new AssociateAddressCommand({ AllocationId: required(eip.AllocationId, 'AllocationId'), NetworkInterfaceId: networkInterfaceId }),
      );
    }
    return { networkInterfaceId, publicIp, privateIp: eni.PrivateIpAddress };
  }
}

/** A scenario builder in `region`, with SDK clients pointed at the run's moto_server; in moto's default account unless `account` is given. */
export async function scenario(region: string, account?: string): Promise<Scenario> {
  if (account === undefined || account === MOTO_ACCOUNT) return new Scenario(motoClients(region));
  return new Scenario(motoClients(region, await motoAccountCredentials(account)), account);
}
