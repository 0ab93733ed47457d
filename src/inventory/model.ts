/**
 * The typed, normalised inventory every rule reads.
 *
 * Collectors fill it once (src/aws/), snapshots persist it (src/inventory/snapshot.ts),
 * rules only read it (through src/inventory/indexes.ts). Values are normalised here:
 * booleans and numbers, not AWS's attribute strings, and AWS's documented defaults are
 * applied by the collector (with the doc that states them), never by a rule.
 */

export const SNAPSHOT_SCHEMA_VERSION = 1 as const;

export type LoadBalancerKind = 'application' | 'network' | 'gateway' | 'classic';
export type Scheme = 'internet-facing' | 'internal';
export type IpAddressType = 'ipv4' | 'dualstack' | 'dualstack-without-public-ipv4';

/** Something that could not be collected or checked, and why. Never a silent gap. */
export interface NotChecked {
  what: string;
  why: string;
  region?: string;
  account?: string;
  /** The AWS call that failed, as IAM names it (`ec2:DescribeRouteTables`), when a call failed. */
  call?: string;
  /** The rules that could not check (some of) their resources because of it; the engine fills it in. */
  rules?: string[];
}

/**
 * The parts of a scope the collector reads, each with one AWS call (a listing, or one call
 * per resource). Rules declare the collections they `require`; when one was not read
 * completely, the engine reports "could not check" instead of running the rule on the gap.
 */
export const COLLECTIONS = [
  'loadBalancers',
  'targetGroups',
  'listeners',
  'listenerRules',
  'listenerAttributes',
  'loadBalancerAttributes',
  'targetGroupAttributes',
  'targetHealth',
  'tags',
  'vpcs',
  'subnets',
  'routeTables',
  'internetGateways',
  'egressOnlyInternetGateways',
  'natGateways',
  'securityGroups',
  'networkAcls',
  'networkInterfaces',
  'instances',
  'prefixLists',
  'prefixListEntries',
  /** Optional: the TLS policies of HTTPS/TLS/SSL listeners (see OPTIONAL_COLLECTIONS). */
  'tlsPolicies',
] as const;
export type Collection = (typeof COLLECTIONS)[number];

/**
 * Collections fetched only for the resources a selected rule needs (CollectOptions.needs; a rule
 * narrows what it needs with `needs`, src/engine/needs.ts): each costs AWS calls per resource, or
 * per region, that many audits do not use. What was left out is an `unread` entry marked `notNeeded`.
 */
export const OPTIONAL_COLLECTIONS = ['targetGroupAttributes', 'listenerRules', 'listenerAttributes', 'tlsPolicies'] as const satisfies readonly Collection[];
export type OptionalData = (typeof OPTIONAL_COLLECTIONS)[number];

/** A collection that was not read completely in a scope: the call that failed, why, and what it was for. */
export interface Unread {
  collection: Collection;
  /** `partly`: some of it was read before the call failed (a later page); `none`: nothing was. */
  read: 'partly' | 'none';
  /** The failed call, as IAM names it (`ec2:DescribeRouteTables`). */
  call: string;
  /** AWS's error, `Code: message`. */
  why: string;
  /**
   * What the call was for: load balancer or target group ARNs, VPC, instance or prefix list ids.
   * Absent when it was for the whole scope (a region-wide listing).
   */
  resources?: string[];
  /**
   * Nothing failed: the collector left this optional data out because no rule it collected for
   * needed it (an audit of some rules, a snapshot taken without --full). Not a read failure: a rule
   * that does need it reports "not collected" for the load balancers concerned (src/engine/needs.ts).
   */
  notNeeded?: true;
}

export interface Inventory {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  tool: { name: 'lbcheck'; version: string };
  collectedAt: string; // ISO 8601
  scopes: Scope[];
  notChecked: NotChecked[];
  stats: { apiCalls: Record<string, number>; durationMs: number };
}

/** One (account, region) pair and everything collected in it. */
export interface Scope {
  account: string; // 12 digits, or 'unknown' when STS could not say
  region: string;
  profile?: string;
  loadBalancers: LoadBalancer[];
  targetGroups: TargetGroup[];
  vpcs: Vpc[];
  subnets: Subnet[];
  routeTables: RouteTable[];
  internetGateways: InternetGateway[];
  egressOnlyInternetGateways: EgressOnlyInternetGateway[];
  natGateways: NatGateway[];
  securityGroups: SecurityGroup[];
  networkAcls: NetworkAcl[];
  /** The network interfaces that belong to load balancers (one per AZ node). */
  networkInterfaces: NetworkInterface[];
  /** Instances registered as targets (of elbv2 target groups or Classic LBs). */
  instances: Instance[];
  /** Managed prefix lists referenced by security groups or routes, resolved to CIDRs. */
  prefixLists: PrefixList[];
  /** The region's predefined elbv2 security policies (DescribeSSLPolicies); absent when not collected. */
  sslPolicies?: TlsPolicy[];
  /** The collections that were not read completely (empty: everything was read). */
  unread: Unread[];
}

/** A TLS security policy: what it lets a client negotiate. */
export interface TlsPolicy {
  name: string;
  /** Classic listener policies: the predefined policy they reference (Reference-Security-Policy), if any. */
  referencePolicy?: string;
  /** 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3', 'SSLv3' */
  protocols: string[];
  /** OpenSSL cipher names ('ECDHE-RSA-AES128-GCM-SHA256') and TLS 1.3 suites ('TLS_AES_128_GCM_SHA256'). */
  ciphers: string[];
}

// ---------------------------------------------------------------- load balancers

export interface LoadBalancer {
  /** elbv2 ARN; for Classic LBs the ARN AWS uses for them: arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/NAME */
  arn: string;
  name: string;
  kind: LoadBalancerKind;
  scheme: Scheme;
  dnsName: string;
  ipAddressType: IpAddressType;
  vpcId?: string;
  state?: string; // elbv2 State.Code: active | provisioning | active_impaired | failed
  createdTime?: string;
  /** One entry per enabled AZ. Classic LBs: one per subnet (AZ looked up from the subnet). */
  availabilityZones: LoadBalancerZone[];
  securityGroupIds: string[];
  attributes: LoadBalancerAttributes;
  listeners: Listener[];
  tags: Record<string, string>;
  /** Classic only: its health check and the health of its registered instances. */
  classic?: ClassicDetails;
}

export interface LoadBalancerZone {
  zoneName: string;
  subnetId?: string;
  /** Addresses AWS reports for the zone (NLB Elastic IPs / private IPs). */
  addresses?: { ipAddress?: string; privateIPv4Address?: string; allocationId?: string; ipv6Address?: string }[];
}

export interface LoadBalancerAttributes {
  /** ALB idle_timeout.timeout_seconds (AWS default 60) / Classic ConnectionSettings.IdleTimeout (default 60). Absent for NLB and GWLB. */
  idleTimeoutSeconds?: number;
  /**
   * Whether cross-zone load balancing is on at the LB level.
   * ALB: always true (AWS: "always turned on" for ALBs; target groups may turn it off).
   * NLB/GWLB: load_balancing.cross_zone.enabled, default false. Classic: CrossZoneLoadBalancing.Enabled.
   */
  crossZoneEnabled: boolean;
  deletionProtection?: boolean;
  /** ALB/NLB access_logs.s3.enabled, Classic AccessLog.Enabled (AWS default false for all). Absent for GWLB. */
  accessLogsEnabled?: boolean;
  /** ALB routing.http.drop_invalid_header_fields.enabled (AWS default false). */
  dropInvalidHeaderFields?: boolean;
  /** ALB routing.http.desync_mitigation_mode, Classic elb.http.desyncmitigationmode (AWS default 'defensive'). */
  desyncMitigationMode?: string;
  /** Classic only: ConnectionDraining. */
  connectionDraining?: { enabled: boolean; timeoutSeconds?: number };
  /** Every attribute as AWS returned it (key -> value), for evidence and for rules we have not thought of yet. */
  raw: Record<string, string>;
}

// QUIC and TCP_QUIC: NLB listener/target group protocols (elbv2 ProtocolEnum) since 2025.
export type ListenerProtocol = 'HTTP' | 'HTTPS' | 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP' | 'GENEVE' | 'SSL' | 'QUIC' | 'TCP_QUIC';

export interface Listener {
  arn?: string; // absent for Classic
  port: number;
  protocol: ListenerProtocol;
  /** Classic only: the port and protocol it forwards to on the instances. */
  instancePort?: number;
  instanceProtocol?: ListenerProtocol;
  sslPolicy?: string;
  /** Classic HTTPS/SSL listeners: their negotiation policy, resolved (collected only when a rule needs it). */
  tlsPolicy?: TlsPolicy;
  /** Classic: the names of the policies on the listener. */
  policyNames?: string[];
  /** elbv2 HTTP listeners: the default action redirects to HTTPS. */
  redirectsToHttps?: boolean;
  certificateArns: string[];
  /** Target groups its default action forwards to (forward and weighted forward). */
  defaultTargetGroupArns: string[];
  /** Those of them a weighted forward gives weight 0 (parked, e.g. the idle side of a blue/green pair): they receive no requests. */
  parkedTargetGroupArns?: string[];
  /** Non-default listener rules (ALB). */
  rules: ListenerRule[];
  /** NLB TCP listener tcp.idle_timeout.seconds (AWS default 350). */
  idleTimeoutSeconds?: number;
}

export interface ListenerRule {
  arn: string;
  priority: string; // a number as AWS returns it, or 'default'
  conditions: unknown[]; // as AWS returned them; rules do not interpret them yet
  targetGroupArns: string[];
  /** Those of them the rule's weighted forward gives weight 0: they receive no requests. */
  parkedTargetGroupArns?: string[];
}

export interface ClassicDetails {
  healthCheck?: { target: string; intervalSeconds: number; timeoutSeconds: number; healthyThreshold: number; unhealthyThreshold: number };
  instances: { instanceId: string; state: TargetHealthState; reasonCode?: string; description?: string }[];
  sourceSecurityGroup?: { ownerAlias?: string; groupName?: string };
}

// ---------------------------------------------------------------- target groups

export type TargetType = 'instance' | 'ip' | 'lambda' | 'alb';
export type TargetHealthState =
  | 'initial'
  | 'healthy'
  | 'unhealthy'
  | 'unhealthy.draining'
  | 'unused'
  | 'draining'
  | 'unavailable'
  | 'unknown'; // Classic's "Unknown"

export interface TargetGroup {
  arn: string;
  name: string;
  targetType: TargetType;
  protocol?: ListenerProtocol;
  port?: number;
  vpcId?: string;
  ipAddressType?: 'ipv4' | 'ipv6';
  loadBalancerArns: string[];
  healthCheck: HealthCheck;
  attributes: TargetGroupAttributes;
  targets: Target[];
  tags: Record<string, string>;
}

export interface HealthCheck {
  enabled: boolean;
  protocol?: ListenerProtocol;
  /** 'traffic-port' or a port number. */
  port: 'traffic-port' | number;
  path?: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  healthyThreshold?: number;
  unhealthyThreshold?: number;
  matcher?: string;
}

export interface TargetGroupAttributes {
  /** load_balancing.cross_zone.enabled: true/false, or undefined for use_load_balancer_configuration (inherit). */
  crossZoneEnabled?: boolean;
  /** preserve_client_ip.enabled (NLB): AWS default true for instance and ip targets with TCP/TLS... (see collector). */
  preserveClientIp?: boolean;
  deregistrationDelaySeconds?: number;
  raw: Record<string, string>;
}

export interface Target {
  id: string; // instance id, IP address, Lambda ARN or ALB ARN
  port?: number;
  /** AZ AWS reports for the target ('all' for IP targets outside the VPC). */
  availabilityZone?: string;
  health: { state: TargetHealthState; reason?: string; description?: string };
}

// ---------------------------------------------------------------- network

export interface Vpc {
  id: string;
  cidrBlocks: string[];
  ipv6CidrBlocks: string[];
  isDefault: boolean;
}

export interface Subnet {
  id: string;
  vpcId: string;
  availabilityZone: string;
  availabilityZoneId?: string;
  cidrBlock?: string;
  ipv6CidrBlocks: string[];
  mapPublicIpOnLaunch: boolean;
  /** Free IPv4 addresses (DescribeSubnets AvailableIpAddressCount). */
  availableIpAddressCount?: number;
}

export interface RouteTable {
  id: string;
  vpcId: string;
  /** True when this is the VPC's main route table (the fallback for subnets without an explicit association). */
  isMain: boolean;
  /** Explicitly associated subnets. */
  subnetIds: string[];
  routes: Route[];
}

export type RouteTargetKind =
  | 'local'
  | 'internet-gateway'
  | 'egress-only-internet-gateway'
  | 'nat-gateway'
  | 'transit-gateway'
  | 'vpc-peering'
  | 'vpc-endpoint'
  | 'virtual-private-gateway'
  | 'network-interface'
  | 'instance'
  | 'carrier-gateway'
  | 'local-gateway'
  | 'core-network'
  | 'unknown';

export interface Route {
  destinationCidrBlock?: string;
  destinationIpv6CidrBlock?: string;
  destinationPrefixListId?: string;
  target: { kind: RouteTargetKind; id: string };
  state: 'active' | 'blackhole';
  origin?: string;
}

export interface InternetGateway {
  id: string;
  attachments: { vpcId: string; state: string }[]; // state: available | attaching | attached | detaching | detached
}

export interface EgressOnlyInternetGateway {
  id: string;
  attachments: { vpcId: string; state: string }[];
}

export interface NatGateway {
  id: string;
  vpcId: string;
  subnetId: string;
  state: string;
  connectivityType: 'public' | 'private';
}

export interface SecurityGroup {
  id: string;
  name: string;
  vpcId?: string;
  ingress: SecurityGroupRule[];
  egress: SecurityGroupRule[];
}

/** One IpPermission, normalised: protocol 'all' for -1, full port range when AWS gives none. */
export interface SecurityGroupRule {
  protocol: 'all' | 'tcp' | 'udp' | 'icmp' | 'icmpv6' | string; // other protocol numbers as strings
  fromPort: number;
  toPort: number;
  sources: SecurityGroupSource[];
}

export type SecurityGroupSource =
  | { kind: 'cidr-ipv4'; cidr: string; description?: string }
  | { kind: 'cidr-ipv6'; cidr: string; description?: string }
  | { kind: 'prefix-list'; prefixListId: string; description?: string }
  | { kind: 'security-group'; groupId: string; userId?: string; description?: string };

export interface NetworkAcl {
  id: string;
  vpcId: string;
  isDefault: boolean;
  subnetIds: string[];
  entries: NetworkAclEntry[];
}

export interface NetworkAclEntry {
  ruleNumber: number; // 32767 is the default '*' deny
  egress: boolean;
  protocol: 'all' | 'tcp' | 'udp' | 'icmp' | 'icmpv6' | string;
  action: 'allow' | 'deny';
  cidrBlock?: string;
  ipv6CidrBlock?: string;
  portRange?: { from: number; to: number };
}

export interface NetworkInterface {
  id: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  description: string;
  interfaceType?: string;
  privateIpAddresses: string[];
  publicIps: string[];
  ipv6Addresses: string[];
  securityGroupIds: string[];
  /** ARN of the load balancer this ENI belongs to, matched from its description ("ELB app/NAME/ID", "ELB net/...", "ELB NAME"). */
  loadBalancerArn?: string;
}

export interface Instance {
  id: string;
  state: string;
  vpcId?: string;
  subnetId?: string;
  availabilityZone?: string;
  privateIpAddress?: string;
  publicIpAddress?: string;
  securityGroupIds: string[];
}

export interface PrefixList {
  id: string;
  name?: string;
  addressFamily?: string;
  cidrs: string[];
}
