/**
 * Fixture builders for rule unit tests: model objects with sensible defaults, and
 * `healthyWorld()`, a correct, well-built setup (public VPC, two AZs, ALB, NLB and
 * Classic LB with healthy instance targets) that no core rule fires on. A test takes the
 * world, breaks one thing, and asserts the finding.
 */
import { InventoryIndex } from '../../src/inventory/indexes.js';
import type {
  Instance,
  InternetGateway,
  LoadBalancer,
  Listener,
  NetworkAcl,
  NetworkAclEntry,
  Route,
  RouteTable,
  Scope,
  SecurityGroup,
  SecurityGroupRule,
  SecurityGroupSource,
  Subnet,
  Target,
  TargetGroup,
  Vpc,
} from '../../src/inventory/model.js';
import type { RuleContext, RuleSettings } from '../../src/engine/types.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

export function vpc(overrides: Partial<Vpc> = {}): Vpc {
  return { id: 'vpc-1', cidrBlocks: ['10.0.0.0/16'], ipv6CidrBlocks: [], isDefault: false, ...overrides };
}

export function subnet(overrides: Partial<Subnet> & { id: string }): Subnet {
  return {
    vpcId: 'vpc-1',
    availabilityZone: `${REGION}a`,
    cidrBlock: '10.0.1.0/24',
    ipv6CidrBlocks: [],
    mapPublicIpOnLaunch: true,
    ...overrides,
  };
}

export function internetGateway(id: string, vpcId = 'vpc-1', state = 'available'): InternetGateway {
  return { id, attachments: vpcId ? [{ vpcId, state }] : [] };
}

export function route(destination: string, kind: Route['target']['kind'], id: string, state: Route['state'] = 'active'): Route {
  const isV6 = destination.includes(':');
  return {
    ...(isV6 ? { destinationIpv6CidrBlock: destination } : { destinationCidrBlock: destination }),
    target: { kind, id },
    state,
    origin: kind === 'local' ? 'CreateRouteTable' : 'CreateRoute',
  };
}

export function routeTable(overrides: Partial<RouteTable> & { id: string }): RouteTable {
  return { vpcId: 'vpc-1', isMain: false, subnetIds: [], routes: [route('10.0.0.0/16', 'local', 'local')], ...overrides };
}

export function cidrSource(cidr: string): SecurityGroupSource {
  return cidr.includes(':') ? { kind: 'cidr-ipv6', cidr } : { kind: 'cidr-ipv4', cidr };
}

export function groupSource(groupId: string): SecurityGroupSource {
  return { kind: 'security-group', groupId };
}

/** A TCP rule on one port or a range ("8000-8100"); sources are CIDRs, "sg-..." ids or "pl-..." ids. */
export function tcp(ports: number | string, ...sources: string[]): SecurityGroupRule {
  return sgRule('tcp', ports, ...sources);
}

export function sgRule(protocol: string, ports: number | string, ...sources: string[]): SecurityGroupRule {
  const [from, to] = String(ports).split('-').map(Number);
  return {
    protocol,
    fromPort: protocol === 'all' ? 0 : (from ?? 0),
    toPort: protocol === 'all' ? 65535 : (to ?? from ?? 0),
    sources: sources.map((s) =>
      s.startsWith('sg-') ? groupSource(s) : s.startsWith('pl-') ? { kind: 'prefix-list', prefixListId: s } : cidrSource(s),
    ),
  };
}

export const ALLOW_ALL_EGRESS: SecurityGroupRule = sgRule('all', 0, '0.0.0.0/0');

export function securityGroup(overrides: Partial<SecurityGroup> & { id: string }): SecurityGroup {
  return { name: overrides.id, vpcId: 'vpc-1', ingress: [], egress: [ALLOW_ALL_EGRESS], ...overrides };
}

export function aclEntry(
  ruleNumber: number,
  direction: 'inbound' | 'outbound',
  action: 'allow' | 'deny',
  cidr: string,
  protocol = 'all',
  ports?: string | number,
): NetworkAclEntry {
  const [from, to] = ports === undefined ? [] : String(ports).split('-').map(Number);
  return {
    ruleNumber,
    egress: direction === 'outbound',
    protocol,
    action,
    ...(cidr.includes(':') ? { ipv6CidrBlock: cidr } : { cidrBlock: cidr }),
    ...(from !== undefined ? { portRange: { from, to: to ?? from } } : {}),
  };
}

/** The entries of a default network ACL: allow everything, then the '*' deny. */
export function allowAllEntries(): NetworkAclEntry[] {
  return [
    aclEntry(100, 'inbound', 'allow', '0.0.0.0/0'),
    aclEntry(32767, 'inbound', 'deny', '0.0.0.0/0'),
    aclEntry(100, 'outbound', 'allow', '0.0.0.0/0'),
    aclEntry(32767, 'outbound', 'deny', '0.0.0.0/0'),
  ];
}

export function networkAcl(overrides: Partial<NetworkAcl> & { id: string }): NetworkAcl {
  return { vpcId: 'vpc-1', isDefault: false, subnetIds: [], entries: allowAllEntries(), ...overrides };
}

export function instance(overrides: Partial<Instance> & { id: string }): Instance {
  return {
    state: 'running',
    vpcId: 'vpc-1',
    subnetId: 'subnet-a',
    availabilityZone: `${REGION}a`,
    privateIpAddress: '10.0.1.10',
    securityGroupIds: ['sg-app'],
    ...overrides,
  };
}

export function target(id: string, overrides: Partial<Target> = {}): Target {
  return { id, health: { state: 'healthy' }, ...overrides };
}

export function targetGroup(overrides: Partial<TargetGroup> & { name: string }): TargetGroup {
  const { name } = overrides;
  return {
    arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/0123456789abcdef`,
    targetType: 'instance',
    protocol: 'HTTP',
    port: 8080,
    vpcId: 'vpc-1',
    loadBalancerArns: [],
    healthCheck: { enabled: true, protocol: 'HTTP', port: 'traffic-port', path: '/health' },
    attributes: { raw: {} },
    targets: [],
    tags: {},
    ...overrides,
  };
}

export function listener(overrides: Partial<Listener> = {}): Listener {
  return { port: 443, protocol: 'HTTPS', certificateArns: [], defaultTargetGroupArns: [], rules: [], ...overrides };
}

type LoadBalancerOverrides = Partial<Omit<LoadBalancer, 'availabilityZones'>> & {
  name: string;
  /** Subnet ids; each becomes a zone whose AZ is the subnet's (looked up in `subnets` when given, else "a", "b", ... by position). */
  subnets?: readonly string[];
  zones?: LoadBalancer['availabilityZones'];
};

function zonesFor(subnetIds: readonly string[]): LoadBalancer['availabilityZones'] {
  return subnetIds.map((subnetId, i) => ({ zoneName: `${REGION}${'abcdef'[i] ?? 'a'}`, subnetId }));
}

function loadBalancer(kind: LoadBalancer['kind'], typePath: string, overrides: LoadBalancerOverrides): LoadBalancer {
  const { name, subnets = ['subnet-a', 'subnet-b'], zones, ...rest } = overrides;
  const arn =
    kind === 'classic'
      ? `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/${name}`
      : `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/${typePath}/${name}/50dc6c495c0c9188`;
  return {
    arn,
    name,
    kind,
    scheme: 'internet-facing',
    dnsName: `${name}-1234567890.${REGION}.elb.amazonaws.com`,
    ipAddressType: 'ipv4',
    vpcId: 'vpc-1',
    state: kind === 'classic' ? undefined : 'active',
    availabilityZones: zones ?? zonesFor(subnets),
    securityGroupIds: kind === 'network' ? [] : ['sg-lb'],
    attributes: { crossZoneEnabled: kind === 'application', idleTimeoutSeconds: kind === 'network' ? undefined : 60, raw: {} },
    listeners: [],
    tags: {},
    ...rest,
  };
}

export function alb(overrides: LoadBalancerOverrides): LoadBalancer {
  return loadBalancer('application', 'app', overrides);
}

export function nlb(overrides: LoadBalancerOverrides): LoadBalancer {
  return loadBalancer('network', 'net', overrides);
}

export function classic(overrides: LoadBalancerOverrides): LoadBalancer {
  return loadBalancer('classic', '', { classic: { instances: [] }, ...overrides });
}

export function scopeOf(parts: Partial<Scope> = {}): Scope {
  return {
    account: ACCOUNT,
    region: REGION,
    loadBalancers: [],
    targetGroups: [],
    vpcs: [],
    subnets: [],
    routeTables: [],
    internetGateways: [],
    egressOnlyInternetGateways: [],
    natGateways: [],
    securityGroups: [],
    networkAcls: [],
    networkInterfaces: [],
    instances: [],
    prefixLists: [],
    unread: [],
    ...parts,
  };
}

export function settingsOf(overrides: Partial<RuleSettings> = {}): RuleSettings {
  return { keepalive: [], clientCidrs: [], measuredKeepalive: {}, ...overrides };
}

export function contextOf(scope: Scope, settings: Partial<RuleSettings> = {}): RuleContext {
  return { scope, index: new InventoryIndex(scope), settings: settingsOf(settings), configFindings: [] };
}

/** Connects a target group to a load balancer: a listener forwarding to it, and the TG's back-reference. */
export function forward(lb: LoadBalancer, tg: TargetGroup, listenerOverrides: Partial<Listener> = {}): void {
  lb.listeners.push(listener({ defaultTargetGroupArns: [tg.arn], ...listenerOverrides }));
  if (!tg.loadBalancerArns.includes(lb.arn)) tg.loadBalancerArns.push(lb.arn);
}

export interface HealthyWorld {
  scope: Scope;
  vpc: Vpc;
  subnetA: Subnet;
  subnetB: Subnet;
  appSubnetA: Subnet;
  appSubnetB: Subnet;
  publicRoutes: RouteTable;
  mainRoutes: RouteTable;
  igw: InternetGateway;
  lbGroup: SecurityGroup;
  appGroup: SecurityGroup;
  acl: NetworkAcl;
  web1: Instance;
  web2: Instance;
  alb: LoadBalancer;
  albGroup: TargetGroup;
  nlb: LoadBalancer;
  nlbGroup: TargetGroup;
  classic: LoadBalancer;
}

/**
 * A correct public setup in one VPC (10.0.0.0/16), two AZs:
 * - public subnets subnet-a (10.0.1.0/24, a) and subnet-b (10.0.2.0/24, b), explicitly
 *   associated with rtb-public (0.0.0.0/0 -> igw-1, attached);
 * - app subnets subnet-app-a (10.0.11.0/24) and subnet-app-b (10.0.12.0/24) on the main table;
 * - sg-lb admits 443 and 80 from anywhere, egress all; sg-app admits 8080 from sg-lb;
 * - the default network ACL allows everything;
 * - instances i-web1 (a) and i-web2 (b), healthy in both target groups;
 * - ALB "web" (HTTPS 443 -> tg "web", HTTP 8080), NLB "edge" (TCP 443 -> tg "edge", TCP 8080,
 *   with no security groups and client IP preservation, so sg-app admits 8080 from anywhere),
 *   and Classic "legacy" (HTTP 80 -> instance 8080) with sg-lb.
 */
export function healthyWorld(): HealthyWorld {
  const theVpc = vpc();
  const subnetA = subnet({ id: 'subnet-a', availabilityZone: `${REGION}a`, cidrBlock: '10.0.1.0/24' });
  const subnetB = subnet({ id: 'subnet-b', availabilityZone: `${REGION}b`, cidrBlock: '10.0.2.0/24' });
  const appSubnetA = subnet({ id: 'subnet-app-a', availabilityZone: `${REGION}a`, cidrBlock: '10.0.11.0/24', mapPublicIpOnLaunch: false });
  const appSubnetB = subnet({ id: 'subnet-app-b', availabilityZone: `${REGION}b`, cidrBlock: '10.0.12.0/24', mapPublicIpOnLaunch: false });
  const igw = internetGateway('igw-1');
  const publicRoutes = routeTable({ id: 'rtb-public', subnetIds: ['subnet-a', 'subnet-b'] });
  publicRoutes.routes.push(route('0.0.0.0/0', 'internet-gateway', 'igw-1'));
  const mainRoutes = routeTable({ id: 'rtb-main', isMain: true });
  const lbGroup = securityGroup({ id: 'sg-lb', name: 'lb', ingress: [tcp(443, '0.0.0.0/0'), tcp(80, '0.0.0.0/0')] });
  const appGroup = securityGroup({ id: 'sg-app', name: 'app', ingress: [tcp(8080, 'sg-lb'), tcp(8080, '0.0.0.0/0')] });
  const acl = networkAcl({ id: 'acl-default', isDefault: true });
  const web1 = instance({ id: 'i-web1', subnetId: 'subnet-app-a', availabilityZone: `${REGION}a`, privateIpAddress: '10.0.11.10' });
  const web2 = instance({ id: 'i-web2', subnetId: 'subnet-app-b', availabilityZone: `${REGION}b`, privateIpAddress: '10.0.12.10' });

  const theAlb = alb({ name: 'web' });
  const albGroup = targetGroup({ name: 'web', targets: [target('i-web1', { port: 8080 }), target('i-web2', { port: 8080 })] });
  forward(theAlb, albGroup);

  const theNlb = nlb({ name: 'edge' });
  const nlbGroup = targetGroup({
    name: 'edge',
    protocol: 'TCP',
    healthCheck: { enabled: true, protocol: 'TCP', port: 'traffic-port' },
    attributes: { preserveClientIp: true, raw: {} },
    targets: [target('i-web1', { port: 8080 }), target('i-web2', { port: 8080 })],
  });
  forward(theNlb, nlbGroup, { protocol: 'TCP' });

  const theClassic = classic({
    name: 'legacy',
    listeners: [listener({ port: 80, protocol: 'HTTP', instancePort: 8080, instanceProtocol: 'HTTP' })],
    attributes: { crossZoneEnabled: true, idleTimeoutSeconds: 60, raw: {} },
    classic: {
      healthCheck: { target: 'HTTP:8080/health', intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 },
      instances: [
        { instanceId: 'i-web1', state: 'healthy' },
        { instanceId: 'i-web2', state: 'healthy' },
      ],
    },
  });

  const scope = scopeOf({
    loadBalancers: [theAlb, theNlb, theClassic],
    targetGroups: [albGroup, nlbGroup],
    vpcs: [theVpc],
    subnets: [subnetA, subnetB, appSubnetA, appSubnetB],
    routeTables: [publicRoutes, mainRoutes],
    internetGateways: [igw],
    securityGroups: [lbGroup, appGroup],
    networkAcls: [acl],
    instances: [web1, web2],
  });
  return {
    scope,
    vpc: theVpc,
    subnetA,
    subnetB,
    appSubnetA,
    appSubnetB,
    publicRoutes,
    mainRoutes,
    igw,
    lbGroup,
    appGroup,
    acl,
    web1,
    web2,
    alb: theAlb,
    albGroup,
    nlb: theNlb,
    nlbGroup,
    classic: theClassic,
  };
}

/** The healthy world's scope after `change` breaks something in it. */
export function brokenWorld(change: (world: HealthyWorld) => void): Scope {
  const world = healthyWorld();
  change(world);
  return world.scope;
}
