/**
 * The zod schema of a snapshot: model.ts as data, so a snapshot read from disk is checked
 * field by field before any rule sees it. `satisfies` keeps the two in step: a field added
 * to the model and not here (or typed differently) fails the type check.
 */
import { z } from 'zod';
import { ipFamily, parseCidr } from './cidr.js';
import { COLLECTIONS, type Inventory, type Unread } from './model.js';

const str = z.string();
const int = z.number().int();
const strings = z.array(str);
const tags = z.record(str, str);

// Values are checked as well as types: a port of -70000 or a CIDR of "banana" would otherwise
// reach the rules and come out as a confident finding.

/** An integer in [min, max]; the message names what it is. */
function bounded(min: number, max: number, what: string) {
  const error = `expected ${what} (${min} to ${max})`;
  return int.min(min, { error }).max(max, { error });
}

const port = bounded(0, 65535, 'a port');
/** Security group rules: ICMP types and codes use -1 for "all". */
const rulePort = bounded(-1, 65535, 'a port, or -1');
/** ALB and Classic idle timeouts are 1-4000 s; NLB TCP listeners 60-6000 s. */
const idleTimeout = bounded(1, 6000, 'an idle timeout in seconds');
const seconds = bounded(0, 86_400, 'seconds');
const count = bounded(0, 10_000, 'a count');
const cidr4 = str.refine((value) => parseCidr(value)?.family === 4, { error: 'expected an IPv4 CIDR such as 10.0.0.0/16' });
const cidr6 = str.refine((value) => parseCidr(value)?.family === 6, { error: 'expected an IPv6 CIDR such as 2600:1f18::/56' });
const address = str.refine((value) => ipFamily(value) !== undefined, { error: 'expected an IP address' });
const addresses = z.array(address);

const listenerProtocol = z.enum(['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE', 'SSL', 'QUIC', 'TCP_QUIC']);
const targetHealthState = z.enum(['initial', 'healthy', 'unhealthy', 'unhealthy.draining', 'unused', 'draining', 'unavailable', 'unknown']);

const notChecked = z.object({ what: str, why: str, region: str.optional(), account: str.optional(), call: str.optional(), rules: strings.optional() });

const unread = z.object({
  collection: z.enum(COLLECTIONS),
  read: z.enum(['partly', 'none']),
  call: str,
  why: str,
  resources: strings.optional(),
  notNeeded: z.literal(true).optional(),
});

const LEGACY_WHY = 'could not be read (recorded by an older lbcheck, which did not keep the reason)';

/**
 * Snapshots written before scopes had `unread` marked what could not be read on the
 * resources themselves (`attributes.unread`, `targetsUnknown`): turn those marks into
 * `unread` entries, so an old snapshot's gaps are not read as AWS's defaults.
 */
function withLegacyUnread(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || 'unread' in value) return value;
  const items = (key: string): Record<string, unknown>[] => {
    const list = (value as Record<string, unknown>)[key];
    return Array.isArray(list) ? list.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null) : [];
  };
  const gaps: Unread[] = [];
  for (const lb of items('loadBalancers')) {
    const attributes = lb.attributes as { unread?: unknown } | undefined;
    if (attributes?.unread === true && typeof lb.arn === 'string') {
      gaps.push({ collection: 'loadBalancerAttributes', read: 'none', call: 'elasticloadbalancing:DescribeLoadBalancerAttributes', why: LEGACY_WHY, resources: [lb.arn] });
    }
  }
  for (const group of items('targetGroups')) {
    if (group.targetsUnknown === true && typeof group.arn === 'string') {
      gaps.push({ collection: 'targetHealth', read: 'none', call: 'elasticloadbalancing:DescribeTargetHealth', why: LEGACY_WHY, resources: [group.arn] });
    }
  }
  return { ...value, unread: gaps };
}

const listenerRule = z.object({ arn: str, priority: str, conditions: z.array(z.unknown()), targetGroupArns: strings, parkedTargetGroupArns: strings.optional() });

const tlsPolicy = z.object({ name: str, referencePolicy: str.optional(), protocols: strings, ciphers: strings });

const listener = z.object({
  arn: str.optional(),
  port,
  protocol: listenerProtocol,
  instancePort: port.optional(),
  instanceProtocol: listenerProtocol.optional(),
  sslPolicy: str.optional(),
  tlsPolicy: tlsPolicy.optional(),
  policyNames: strings.optional(),
  redirectsToHttps: z.boolean().optional(),
  certificateArns: strings,
  defaultTargetGroupArns: strings,
  parkedTargetGroupArns: strings.optional(),
  rules: z.array(listenerRule),
  idleTimeoutSeconds: idleTimeout.optional(),
});

const loadBalancer = z.object({
  arn: str,
  name: str,
  kind: z.enum(['application', 'network', 'gateway', 'classic']),
  scheme: z.enum(['internet-facing', 'internal']),
  dnsName: str,
  ipAddressType: z.enum(['ipv4', 'dualstack', 'dualstack-without-public-ipv4']),
  vpcId: str.optional(),
  state: str.optional(),
  createdTime: str.optional(),
  availabilityZones: z.array(
    z.object({
      zoneName: str,
      subnetId: str.optional(),
      addresses: z
        .array(z.object({ ipAddress: address.optional(), privateIPv4Address: address.optional(), allocationId: str.optional(), ipv6Address: address.optional() }))
        .optional(),
    }),
  ),
  securityGroupIds: strings,
  attributes: z.object({
    idleTimeoutSeconds: idleTimeout.optional(),
    crossZoneEnabled: z.boolean(),
    deletionProtection: z.boolean().optional(),
    accessLogsEnabled: z.boolean().optional(),
    dropInvalidHeaderFields: z.boolean().optional(),
    desyncMitigationMode: str.optional(),
    connectionDraining: z.object({ enabled: z.boolean(), timeoutSeconds: seconds.optional() }).optional(),
    raw: tags,
  }),
  listeners: z.array(listener),
  tags,
  classic: z
    .object({
      healthCheck: z
        .object({ target: str, intervalSeconds: seconds, timeoutSeconds: seconds, healthyThreshold: count, unhealthyThreshold: count })
        .optional(),
      instances: z.array(z.object({ instanceId: str, state: targetHealthState, reasonCode: str.optional(), description: str.optional() })),
      sourceSecurityGroup: z.object({ ownerAlias: str.optional(), groupName: str.optional() }).optional(),
    })
    .optional(),
});

const targetGroup = z.object({
  arn: str,
  name: str,
  targetType: z.enum(['instance', 'ip', 'lambda', 'alb']),
  protocol: listenerProtocol.optional(),
  port: port.optional(),
  vpcId: str.optional(),
  ipAddressType: z.enum(['ipv4', 'ipv6']).optional(),
  loadBalancerArns: strings,
  healthCheck: z.object({
    enabled: z.boolean(),
    protocol: listenerProtocol.optional(),
    port: z.union([z.literal('traffic-port'), port]),
    path: str.optional(),
    intervalSeconds: seconds.optional(),
    timeoutSeconds: seconds.optional(),
    healthyThreshold: count.optional(),
    unhealthyThreshold: count.optional(),
    matcher: str.optional(),
  }),
  attributes: z.object({
    crossZoneEnabled: z.boolean().optional(),
    preserveClientIp: z.boolean().optional(),
    deregistrationDelaySeconds: seconds.optional(),
    raw: tags,
  }),
  targets: z.array(
    z.object({
      id: str,
      port: port.optional(),
      availabilityZone: str.optional(),
      health: z.object({ state: targetHealthState, reason: str.optional(), description: str.optional() }),
    }),
  ),
  tags,
});

const routeTargetKind = z.enum([
  'local',
  'internet-gateway',
  'egress-only-internet-gateway',
  'nat-gateway',
  'transit-gateway',
  'vpc-peering',
  'vpc-endpoint',
  'virtual-private-gateway',
  'network-interface',
  'instance',
  'carrier-gateway',
  'local-gateway',
  'core-network',
  'unknown',
]);

const gatewayAttachments = z.array(z.object({ vpcId: str, state: str }));

const securityGroupRule = z.object({
  protocol: str,
  fromPort: rulePort,
  toPort: rulePort,
  sources: z.array(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('cidr-ipv4'), cidr: cidr4, description: str.optional() }),
      z.object({ kind: z.literal('cidr-ipv6'), cidr: cidr6, description: str.optional() }),
      z.object({ kind: z.literal('prefix-list'), prefixListId: str, description: str.optional() }),
      z.object({ kind: z.literal('security-group'), groupId: str, userId: str.optional(), description: str.optional() }),
    ]),
  ),
});

const scope = z.preprocess(withLegacyUnread, z.object({
  account: str,
  region: str,
  profile: str.optional(),
  loadBalancers: z.array(loadBalancer),
  targetGroups: z.array(targetGroup),
  vpcs: z.array(z.object({ id: str, cidrBlocks: z.array(cidr4), ipv6CidrBlocks: z.array(cidr6), isDefault: z.boolean() })),
  subnets: z.array(
    z.object({
      id: str,
      vpcId: str,
      availabilityZone: str,
      availabilityZoneId: str.optional(),
      cidrBlock: cidr4.optional(),
      ipv6CidrBlocks: z.array(cidr6),
      mapPublicIpOnLaunch: z.boolean(),
      availableIpAddressCount: int.optional(),
    }),
  ),
  routeTables: z.array(
    z.object({
      id: str,
      vpcId: str,
      isMain: z.boolean(),
      subnetIds: strings,
      routes: z.array(
        z.object({
          destinationCidrBlock: cidr4.optional(),
          destinationIpv6CidrBlock: cidr6.optional(),
          destinationPrefixListId: str.optional(),
          target: z.object({ kind: routeTargetKind, id: str }),
          state: z.enum(['active', 'blackhole']),
          origin: str.optional(),
        }),
      ),
    }),
  ),
  internetGateways: z.array(z.object({ id: str, attachments: gatewayAttachments })),
  egressOnlyInternetGateways: z.array(z.object({ id: str, attachments: gatewayAttachments })),
  natGateways: z.array(z.object({ id: str, vpcId: str, subnetId: str, state: str, connectivityType: z.enum(['public', 'private']) })),
  securityGroups: z.array(
    z.object({ id: str, name: str, vpcId: str.optional(), ingress: z.array(securityGroupRule), egress: z.array(securityGroupRule) }),
  ),
  networkAcls: z.array(
    z.object({
      id: str,
      vpcId: str,
      isDefault: z.boolean(),
      subnetIds: strings,
      entries: z.array(
        z.object({
          ruleNumber: bounded(1, 32767, 'a rule number'),
          egress: z.boolean(),
          protocol: str,
          action: z.enum(['allow', 'deny']),
          cidrBlock: cidr4.optional(),
          ipv6CidrBlock: cidr6.optional(),
          portRange: z.object({ from: port, to: port }).optional(),
        }),
      ),
    }),
  ),
  networkInterfaces: z.array(
    z.object({
      id: str,
      subnetId: str,
      vpcId: str,
      availabilityZone: str,
      description: str,
      interfaceType: str.optional(),
      privateIpAddresses: addresses,
      publicIps: addresses,
      ipv6Addresses: addresses,
      securityGroupIds: strings,
      loadBalancerArn: str.optional(),
    }),
  ),
  instances: z.array(
    z.object({
      id: str,
      state: str,
      vpcId: str.optional(),
      subnetId: str.optional(),
      availabilityZone: str.optional(),
      privateIpAddress: address.optional(),
      publicIpAddress: address.optional(),
      securityGroupIds: strings,
    }),
  ),
  prefixLists: z.array(z.object({ id: str, name: str.optional(), addressFamily: str.optional(), cidrs: z.array(z.union([cidr4, cidr6])) })),
  sslPolicies: z.array(tlsPolicy).optional(),
  unread: z.array(unread),
}));

export const inventorySchema = z.object({
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.literal('lbcheck'), version: str }),
  collectedAt: str,
  scopes: z.array(scope),
  notChecked: z.array(notChecked),
  stats: z.object({ apiCalls: z.record(str, bounded(0, Number.MAX_SAFE_INTEGER, 'a count')), durationMs: z.number().min(0) }),
}) satisfies z.ZodType<Inventory>;
