/**
 * The zod schema of a snapshot: model.ts as data, so a snapshot read from disk is checked
 * field by field before any rule sees it. `satisfies` keeps the two in step: a field added
 * to the model and not here (or typed differently) fails the type check.
 */
import { z } from 'zod';
import { COLLECTIONS, type Inventory, type Unread } from './model.js';

const str = z.string();
const int = z.number().int();
const strings = z.array(str);
const tags = z.record(str, str);

const listenerProtocol = z.enum(['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE', 'SSL', 'QUIC', 'TCP_QUIC']);
const targetHealthState = z.enum(['initial', 'healthy', 'unhealthy', 'unhealthy.draining', 'unused', 'draining', 'unavailable', 'unknown']);

const notChecked = z.object({ what: str, why: str, region: str.optional(), account: str.optional(), call: str.optional(), rules: strings.optional() });

const unread = z.object({
  collection: z.enum(COLLECTIONS),
  read: z.enum(['partly', 'none']),
  call: str,
  why: str,
  resources: strings.optional(),
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

const listener = z.object({
  arn: str.optional(),
  port: int,
  protocol: listenerProtocol,
  instancePort: int.optional(),
  instanceProtocol: listenerProtocol.optional(),
  sslPolicy: str.optional(),
  certificateArns: strings,
  defaultTargetGroupArns: strings,
  parkedTargetGroupArns: strings.optional(),
  rules: z.array(listenerRule),
  idleTimeoutSeconds: int.optional(),
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
        .array(z.object({ ipAddress: str.optional(), privateIPv4Address: str.optional(), allocationId: str.optional(), ipv6Address: str.optional() }))
        .optional(),
    }),
  ),
  securityGroupIds: strings,
  attributes: z.object({
    idleTimeoutSeconds: int.optional(),
    crossZoneEnabled: z.boolean(),
    deletionProtection: z.boolean().optional(),
    connectionDraining: z.object({ enabled: z.boolean(), timeoutSeconds: int.optional() }).optional(),
    raw: tags,
  }),
  listeners: z.array(listener),
  tags,
  classic: z
    .object({
      healthCheck: z
        .object({ target: str, intervalSeconds: int, timeoutSeconds: int, healthyThreshold: int, unhealthyThreshold: int })
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
  port: int.optional(),
  vpcId: str.optional(),
  ipAddressType: z.enum(['ipv4', 'ipv6']).optional(),
  loadBalancerArns: strings,
  healthCheck: z.object({
    enabled: z.boolean(),
    protocol: listenerProtocol.optional(),
    port: z.union([z.literal('traffic-port'), int]),
    path: str.optional(),
    intervalSeconds: int.optional(),
    timeoutSeconds: int.optional(),
    healthyThreshold: int.optional(),
    unhealthyThreshold: int.optional(),
    matcher: str.optional(),
  }),
  attributes: z.object({
    crossZoneEnabled: z.boolean().optional(),
    preserveClientIp: z.boolean().optional(),
    deregistrationDelaySeconds: int.optional(),
    raw: tags,
  }),
  targets: z.array(
    z.object({
      id: str,
      port: int.optional(),
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
  fromPort: int,
  toPort: int,
  sources: z.array(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('cidr-ipv4'), cidr: str, description: str.optional() }),
      z.object({ kind: z.literal('cidr-ipv6'), cidr: str, description: str.optional() }),
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
  vpcs: z.array(z.object({ id: str, cidrBlocks: strings, ipv6CidrBlocks: strings, isDefault: z.boolean() })),
  subnets: z.array(
    z.object({
      id: str,
      vpcId: str,
      availabilityZone: str,
      availabilityZoneId: str.optional(),
      cidrBlock: str.optional(),
      ipv6CidrBlocks: strings,
      mapPublicIpOnLaunch: z.boolean(),
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
          destinationCidrBlock: str.optional(),
          destinationIpv6CidrBlock: str.optional(),
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
          ruleNumber: int,
          egress: z.boolean(),
          protocol: str,
          action: z.enum(['allow', 'deny']),
          cidrBlock: str.optional(),
          ipv6CidrBlock: str.optional(),
          portRange: z.object({ from: int, to: int }).optional(),
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
      privateIpAddresses: strings,
      publicIps: strings,
      ipv6Addresses: strings,
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
      privateIpAddress: str.optional(),
      publicIpAddress: str.optional(),
      securityGroupIds: strings,
    }),
  ),
  prefixLists: z.array(z.object({ id: str, name: str.optional(), addressFamily: str.optional(), cidrs: strings })),
  unread: z.array(unread),
}));

export const inventorySchema = z.object({
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.literal('lbcheck'), version: str }),
  collectedAt: str,
  scopes: z.array(scope),
  notChecked: z.array(notChecked),
  stats: z.object({ apiCalls: z.record(str, int), durationMs: z.number() }),
}) satisfies z.ZodType<Inventory>;
