/**
 * Application, Network and Gateway Load Balancers (elbv2): load balancers, their
 * attributes, listeners (with NLB listener attributes), listener rules, target groups
 * with attributes and target health, and tags. AWS's documented defaults are applied
 * here, once, so rules read plain numbers and booleans.
 */
import {
  DescribeListenerAttributesCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeSSLPoliciesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
  paginateDescribeRules,
  paginateDescribeTargetGroups,
  type Action,
  type Listener as AwsListener,
  type LoadBalancer as AwsLoadBalancer,
  type Rule as AwsRule,
  type SslPolicy,
  type TargetGroup as AwsTargetGroup,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { InventoryIndex } from '../inventory/indexes.js';
import type {
  HealthCheck,
  IpAddressType,
  Listener,
  ListenerProtocol,
  ListenerRule,
  LoadBalancer,
  LoadBalancerAttributes,
  LoadBalancerKind,
  OptionalData,
  Scheme,
  Scope,
  Target,
  TargetGroup,
  TargetGroupAttributes,
  TargetHealthState,
  TargetType,
  TlsPolicy,
} from '../inventory/model.js';
import { attributeMap, booleanAttribute, integerAttribute, oneOf } from './attributes.js';
import { chunks } from './limiter.js';
import { pageSizeFor, type ScopeRun } from './scope-run.js';

const PROTOCOLS: readonly ListenerProtocol[] = ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE', 'QUIC', 'TCP_QUIC'];
const KINDS: readonly LoadBalancerKind[] = ['application', 'network', 'gateway'];
const TARGET_TYPES: readonly TargetType[] = ['instance', 'ip', 'lambda', 'alb'];

/** elbv2 DescribeTags takes at most 20 resource ARNs per call. */
const TAGS_BATCH = 20;
/** elbv2 listings take PageSize 1-400; the SDK's paginators do not set it, so the input carries it. */
const MAX_PAGE_SIZE = 400;

export interface Elbv2Listing {
  loadBalancers: AwsLoadBalancer[];
  targetGroups: AwsTargetGroup[];
  /** Whether the load balancer listing succeeded (even if empty). */
  listed: boolean;
  /** Tags already read, by ARN (--tag read the load balancers' first): describeElbv2 does not ask for them again. */
  tags?: ReadonlyMap<string, Record<string, string>>;
}

/** Stage 1: the load balancers and target groups of the region. */
export async function listElbv2(run: ScopeRun): Promise<Elbv2Listing> {
  const client = run.clients.elbv2;
  const pageSize = pageSizeFor(run.pageSize, 1, MAX_PAGE_SIZE);
  const [loadBalancers, targetGroups] = await Promise.all([
    run.list(
      'elasticloadbalancing:DescribeLoadBalancers',
      'Application/Network/Gateway Load Balancers',
      () => paginateDescribeLoadBalancers({ client }, { PageSize: pageSize }),
      (page) => page.LoadBalancers,
    ),
    run.list(
      'elasticloadbalancing:DescribeTargetGroups',
      'target groups',
      () => paginateDescribeTargetGroups({ client }, { PageSize: pageSize }),
      (page) => page.TargetGroups,
    ),
  ]);
  return { loadBalancers: loadBalancers.items, targetGroups: targetGroups.items, listed: loadBalancers.complete };
}

/** The target group ARNs an action list forwards to (plain and weighted forward). */
export function forwardTargetGroupArns(actions: Action[] | undefined): string[] {
  const arns = new Set<string>();
  for (const action of actions ?? []) {
    if (action.Type !== 'forward') continue;
    if (action.TargetGroupArn) arns.add(action.TargetGroupArn);
    for (const group of action.ForwardConfig?.TargetGroups ?? []) if (group.TargetGroupArn) arns.add(group.TargetGroupArn);
  }
  return [...arns];
}

/**
 * The target groups a weighted forward gives weight 0 while another of its groups has
 * more: they receive no requests (the parked side of a blue/green pair). A group with
 * weight 0 in one action and more in another is not parked.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#forward-actions
 */
export function parkedTargetGroupArns(actions: Action[] | undefined): string[] {
  const parked = new Set<string>();
  const served = new Set<string>();
  for (const action of actions ?? []) {
    if (action.Type !== 'forward') continue;
    if (action.TargetGroupArn) served.add(action.TargetGroupArn);
    const groups = action.ForwardConfig?.TargetGroups ?? [];
    const weighted = groups.some((g) => (g.Weight ?? 1) > 0);
    for (const group of groups) {
      if (!group.TargetGroupArn) continue;
      (weighted && group.Weight === 0 ? parked : served).add(group.TargetGroupArn);
    }
  }
  return [...parked].filter((arn) => !served.has(arn));
}

/**
 * Normalised LB attributes.
 * - ALB idle timeout: "The default is 60 seconds."
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout
 * - Cross-zone: "With Application Load Balancers, cross-zone load balancing is always turned on at the load
 *   balancer level"; "With Network Load Balancers and Gateway Load Balancers, cross-zone load balancing is off by default."
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html#cross-zone-load-balancing
 * - deletion_protection.enabled: default false.
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection
 * - access_logs.s3.enabled "The default is false"; routing.http.drop_invalid_header_fields.enabled "The default is false";
 *   routing.http.desync_mitigation_mode "The default is defensive". (moto leaves the first two out until they are set.)
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html
 */
export function loadBalancerAttributes(kind: LoadBalancerKind, raw: Record<string, string>): LoadBalancerAttributes {
  if (kind === 'application') {
    return {
      idleTimeoutSeconds: integerAttribute(raw, 'idle_timeout.timeout_seconds') ?? 60,
      crossZoneEnabled: true,
      deletionProtection: booleanAttribute(raw, 'deletion_protection.enabled') ?? false,
      accessLogsEnabled: booleanAttribute(raw, 'access_logs.s3.enabled') ?? false,
      dropInvalidHeaderFields: booleanAttribute(raw, 'routing.http.drop_invalid_header_fields.enabled') ?? false,
      desyncMitigationMode: raw['routing.http.desync_mitigation_mode'] ?? 'defensive',
      raw,
    };
  }
  return {
    crossZoneEnabled: booleanAttribute(raw, 'load_balancing.cross_zone.enabled') ?? false,
    deletionProtection: booleanAttribute(raw, 'deletion_protection.enabled') ?? false,
    // Gateway Load Balancers have no access logs.
    ...(kind === 'network' && { accessLogsEnabled: booleanAttribute(raw, 'access_logs.s3.enabled') ?? false }),
    raw,
  };
}

/**
 * Normalised target group attributes.
 * - load_balancing.cross_zone.enabled: 'use_load_balancer_configuration' (the default) inherits the LB's setting.
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#cross_zone_load_balancing
 * - preserve_client_ip.enabled, when AWS omits it: "Instance type target groups: Enabled; IP type target
 *   groups (UDP, TCP_UDP, QUIC, TCP_QUIC): Enabled; IP type target groups (TCP, TLS): Disabled".
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation
 * - deregistration_delay.timeout_seconds: default 300.
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay
 */
export function targetGroupAttributes(
  raw: Record<string, string>,
  group: { targetType: TargetType; protocol?: ListenerProtocol },
): TargetGroupAttributes {
  const alwaysPreserved = ['UDP', 'TCP_UDP', 'QUIC', 'TCP_QUIC'].includes(group.protocol ?? '');
  const networkProtocol = alwaysPreserved || group.protocol === 'TCP' || group.protocol === 'TLS';
  let preserveClientIp = booleanAttribute(raw, 'preserve_client_ip.enabled');
  if (preserveClientIp === undefined && networkProtocol) {
    if (group.targetType === 'instance') preserveClientIp = true;
    else if (group.targetType === 'ip') preserveClientIp = alwaysPreserved;
  }
  return {
    crossZoneEnabled: booleanAttribute(raw, 'load_balancing.cross_zone.enabled'),
    preserveClientIp,
    deregistrationDelaySeconds: integerAttribute(raw, 'deregistration_delay.timeout_seconds') ?? (group.targetType === 'lambda' ? undefined : 300),
    raw,
  };
}

const TARGET_HEALTH_STATES: ReadonlySet<string> = new Set<TargetHealthState>([
  'initial',
  'healthy',
  'unhealthy',
  'unhealthy.draining',
  'unused',
  'draining',
  'unavailable',
]);

function targetOf(description: TargetHealthDescription): Target | undefined {
  const id = description.Target?.Id;
  if (!id) return undefined;
  const state = description.TargetHealth?.State;
  return {
    id,
    port: description.Target?.Port,
    availabilityZone: description.Target?.AvailabilityZone,
    health: {
      state: state && TARGET_HEALTH_STATES.has(state) ? (state as TargetHealthState) : 'unknown',
      reason: description.TargetHealth?.Reason,
      description: description.TargetHealth?.Description,
    },
  };
}

function healthCheckOf(group: AwsTargetGroup): HealthCheck {
  const port = group.HealthCheckPort;
  return {
    // HealthCheckEnabled: "If the target type is lambda, health checks are disabled by default"; otherwise enabled.
    // Health check port: "The default is traffic-port". https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
    enabled: group.HealthCheckEnabled ?? group.TargetType !== 'lambda',
    protocol: oneOf(group.HealthCheckProtocol, PROTOCOLS),
    port: port === undefined || port === 'traffic-port' ? 'traffic-port' : Number(port),
    path: group.HealthCheckPath,
    intervalSeconds: group.HealthCheckIntervalSeconds,
    timeoutSeconds: group.HealthCheckTimeoutSeconds,
    healthyThreshold: group.HealthyThresholdCount,
    unhealthyThreshold: group.UnhealthyThresholdCount,
    matcher: group.Matcher?.HttpCode ?? group.Matcher?.GrpcCode,
  };
}

/**
 * NLB TCP listener idle timeout: "The default idle timeout value for TCP flows is 350 seconds."
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/update-idle-timeout.html
 */
const NLB_TCP_IDLE_TIMEOUT_DEFAULT = 350;
const GENEVE_PORT = 6081;

async function listenersOf(run: ScopeRun, lb: AwsLoadBalancer, kind: LoadBalancerKind): Promise<Listener[]> {
  const client = run.clients.elbv2;
  const arn = lb.LoadBalancerArn ?? '';
  const pageSize = pageSizeFor(run.pageSize, 1, MAX_PAGE_SIZE);
  const { items } = await run.list(
    'elasticloadbalancing:DescribeListeners',
    `listeners of ${arn}`,
    () => paginateDescribeListeners({ client }, { LoadBalancerArn: arn, PageSize: pageSize }),
    (page) => page.Listeners,
    [arn],
  );
  const known = items.filter((listener) => {
    if (oneOf(listener.Protocol, PROTOCOLS) || (kind === 'gateway' && !listener.Protocol)) return true;
    run.note(`listener ${listener.ListenerArn ?? ''}`, `protocol ${listener.Protocol || '(none)'} is not one this lbcheck knows`);
    return false;
  });
  return known.map((listener) => listenerOf(listener, kind));
}

/** An HTTP listener whose default action sends clients to HTTPS. */
function redirectsToHttps(actions: Action[] | undefined): boolean {
  return (actions ?? []).some((action) => action.Type === 'redirect' && action.RedirectConfig?.Protocol === 'HTTPS');
}

/**
 * A listener as DescribeListeners gives it. Its rules (ALB) and attributes (NLB) are optional
 * data, filled in by describeOptionalElbv2 where a selected rule reads them.
 */
function listenerOf(listener: AwsListener, kind: LoadBalancerKind): Listener {
  const arn = listener.ListenerArn ?? '';
  // A GWLB listener has no protocol or port of its own: "The Gateway Load Balancer and its registered virtual
  // appliance instances exchange application traffic using the GENEVE protocol on port 6081."
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/gateway/introduction.html
  const gateway = kind === 'gateway' && !listener.Protocol;
  const protocol = gateway ? 'GENEVE' : (listener.Protocol as ListenerProtocol); // checked by listenersOf
  return {
    arn,
    port: listener.Port || (gateway ? GENEVE_PORT : 0),
    protocol,
    sslPolicy: listener.SslPolicy,
    ...(protocol === 'HTTP' && { redirectsToHttps: redirectsToHttps(listener.DefaultActions) }),
    certificateArns: (listener.Certificates ?? []).flatMap((c) => (c.CertificateArn ? [c.CertificateArn] : [])),
    defaultTargetGroupArns: forwardTargetGroupArns(listener.DefaultActions),
    ...withParked(parkedTargetGroupArns(listener.DefaultActions)),
    rules: [],
  };
}

/** An ALB listener's rules beyond its default action (DescribeRules). */
async function listenerRulesOf(run: ScopeRun, listenerArn: string, loadBalancerArn: string): Promise<ListenerRule[]> {
  const client = run.clients.elbv2;
  const pageSize = pageSizeFor(run.pageSize, 1, MAX_PAGE_SIZE);
  const { items } = await run.list(
    'elasticloadbalancing:DescribeRules',
    `rules of listener ${listenerArn}`,
    () => paginateDescribeRules({ client }, { ListenerArn: listenerArn, PageSize: pageSize }),
    (page) => page.Rules,
    [loadBalancerArn],
  );
  return items.filter((rule) => !rule.IsDefault).map(listenerRuleOf);
}

/** An NLB TCP listener's idle timeout (DescribeListenerAttributes); undefined when the call failed. */
async function tcpIdleTimeoutOf(run: ScopeRun, listenerArn: string, loadBalancerArn: string): Promise<number | undefined> {
  const out = await run.callIfSupported(
    'elasticloadbalancing:DescribeListenerAttributes',
    `attributes of listener ${listenerArn}`,
    () => run.clients.elbv2.send(new DescribeListenerAttributesCommand({ ListenerArn: listenerArn })),
    [loadBalancerArn],
  );
  if (out === 'unsupported') return NLB_TCP_IDLE_TIMEOUT_DEFAULT;
  return out ? (integerAttribute(attributeMap(out.Attributes), 'tcp.idle_timeout.seconds') ?? NLB_TCP_IDLE_TIMEOUT_DEFAULT) : undefined;
}

function listenerRuleOf(rule: AwsRule): ListenerRule {
  return {
    arn: rule.RuleArn ?? '',
    priority: rule.Priority ?? '',
    conditions: rule.Conditions ?? [],
    targetGroupArns: forwardTargetGroupArns(rule.Actions),
    ...withParked(parkedTargetGroupArns(rule.Actions)),
  };
}

/** The optional parkedTargetGroupArns field: present only when some group is parked, so snapshots stay as they were otherwise. */
function withParked(arns: string[]): { parkedTargetGroupArns?: string[] } {
  return arns.length ? { parkedTargetGroupArns: arns } : {};
}

/** The tags of elbv2 load balancers and target groups, by ARN (DescribeTags, 20 ARNs a call); a failed batch is missing. */
export async function elbv2TagsOf(run: ScopeRun, arns: string[]): Promise<Map<string, Record<string, string>>> {
  const tags = new Map<string, Record<string, string>>();
  await Promise.all(
    chunks(arns, TAGS_BATCH).map(async (batch) => {
      const out = await run.call(
        'elasticloadbalancing:DescribeTags',
        `tags of ${batch.length} elbv2 resources`,
        () => run.clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: batch })),
        batch,
      );
      for (const description of out?.TagDescriptions ?? []) {
        if (!description.ResourceArn) continue;
        tags.set(description.ResourceArn, attributeMap(description.Tags));
      }
    }),
  );
  return tags;
}

function zonesOf(lb: AwsLoadBalancer): LoadBalancer['availabilityZones'] {
  return (lb.AvailabilityZones ?? []).map((zone) => ({
    zoneName: zone.ZoneName ?? '',
    subnetId: zone.SubnetId,
    addresses: zone.LoadBalancerAddresses?.length
      ? zone.LoadBalancerAddresses.map((a) => ({
          ipAddress: a.IpAddress,
          privateIPv4Address: a.PrivateIPv4Address,
          allocationId: a.AllocationId,
          ipv6Address: a.IPv6Address,
        }))
      : undefined,
  }));
}

type TagsByArn = Promise<Map<string, Record<string, string>>>;

async function loadBalancerOf(run: ScopeRun, lb: AwsLoadBalancer, kind: LoadBalancerKind, tags: TagsByArn): Promise<LoadBalancer> {
  const arn = lb.LoadBalancerArn ?? '';
  const [attributesOut, listeners] = await Promise.all([
    run.call(
      'elasticloadbalancing:DescribeLoadBalancerAttributes',
      `attributes of ${arn}`,
      () => run.clients.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn })),
      [arn],
    ),
    listenersOf(run, lb, kind),
  ]);
  return {
    arn,
    name: lb.LoadBalancerName ?? '',
    kind,
    // Gateway Load Balancers are not reachable from the internet themselves (traffic reaches them through endpoints).
    scheme: (lb.Scheme ?? (kind === 'gateway' ? 'internal' : 'internet-facing')) as Scheme,
    dnsName: lb.DNSName ?? '',
    ipAddressType: (lb.IpAddressType ?? 'ipv4') as IpAddressType,
    vpcId: lb.VpcId,
    state: lb.State?.Code,
    createdTime: lb.CreatedTime?.toISOString(),
    availabilityZones: zonesOf(lb),
    securityGroupIds: lb.SecurityGroups ?? [],
    attributes: attributesOut
      ? loadBalancerAttributes(kind, attributeMap(attributesOut.Attributes))
      : // The call failed (the scope's `unread` says so): the idle timeout is unknown, not the default.
        { ...loadBalancerAttributes(kind, {}), idleTimeoutSeconds: undefined },
    listeners,
    tags: (await tags).get(arn) ?? {},
  };
}

async function targetGroupOf(run: ScopeRun, group: AwsTargetGroup, targetType: TargetType, tags: TagsByArn): Promise<TargetGroup> {
  const arn = group.TargetGroupArn ?? '';
  const protocol = oneOf(group.Protocol, PROTOCOLS);
  const healthOut = await run.call(
    'elasticloadbalancing:DescribeTargetHealth',
    `targets and target health of ${arn}`,
    () => run.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
    [arn],
  );
  return {
    arn,
    name: group.TargetGroupName ?? '',
    targetType,
    protocol,
    port: group.Port,
    vpcId: group.VpcId,
    ipAddressType: group.IpAddressType as TargetGroup['ipAddressType'],
    loadBalancerArns: [...new Set(group.LoadBalancerArns ?? [])],
    healthCheck: healthCheckOf(group),
    // AWS's defaults until describeOptionalElbv2 reads them (where a selected rule does; elsewhere `unread` says they were not).
    attributes: targetGroupAttributes({}, { targetType, protocol }),
    targets: (healthOut?.TargetHealthDescriptions ?? []).flatMap((d) => targetOf(d) ?? []),
    tags: (await tags).get(arn) ?? {},
  };
}

function tlsPolicyOf(policy: SslPolicy): TlsPolicy {
  return {
    name: policy.Name ?? '',
    protocols: policy.SslProtocols ?? [],
    ciphers: (policy.Ciphers ?? []).flatMap((cipher) => (cipher.Name ? [cipher.Name] : [])),
  };
}

/**
 * The region's predefined security policies, for the TLS rules: one DescribeSSLPolicies call
 * (AWS lists them all in one page of 400), made only when a rule that reads them is enabled
 * and some listener negotiates TLS. Undefined when not fetched or when the call failed.
 */
async function sslPoliciesFor(run: ScopeRun, loadBalancers: readonly LoadBalancer[]): Promise<TlsPolicy[] | undefined> {
  const tlsLoadBalancers = loadBalancers.filter((lb) => lb.listeners.some((l) => l.protocol === 'HTTPS' || l.protocol === 'TLS')).map((lb) => lb.arn);
  if (tlsLoadBalancers.length === 0) return undefined;
  if (!run.needs.collections.has('tlsPolicies')) {
    run.leaveOut('elasticloadbalancing:DescribeSSLPolicies', tlsLoadBalancers);
    return undefined;
  }
  const client = run.clients.elbv2;
  async function* pages() {
    let marker: string | undefined;
    do {
      const page = await client.send(new DescribeSSLPoliciesCommand({ PageSize: MAX_PAGE_SIZE, Marker: marker }));
      yield page;
      marker = page.NextMarker;
    } while (marker);
  }
  const { items, complete } = await run.list(
    'elasticloadbalancing:DescribeSSLPolicies',
    'the security policies of TLS listeners',
    pages,
    (page) => page.SslPolicies,
    tlsLoadBalancers,
  );
  return complete ? items.map(tlsPolicyOf) : undefined;
}

/** Stage 2: everything about the listed load balancers and target groups. */
export async function describeElbv2(
  run: ScopeRun,
  listing: Elbv2Listing,
): Promise<{ loadBalancers: LoadBalancer[]; targetGroups: TargetGroup[]; sslPolicies?: TlsPolicy[] }> {
  const arns = [...listing.loadBalancers.map((lb) => lb.LoadBalancerArn), ...listing.targetGroups.map((g) => g.TargetGroupArn)].filter(
    (arn): arn is string => Boolean(arn),
  );
  // Fetched alongside the details, not before them (it never rejects: failures become notChecked entries).
  const known = listing.tags;
  const tags = known
    ? elbv2TagsOf(run, arns.filter((arn) => !known.has(arn))).then((fetched) => new Map([...known, ...fetched]))
    : elbv2TagsOf(run, arns);
  const [loadBalancers, targetGroups] = await Promise.all([
    Promise.all(
      listing.loadBalancers.flatMap((lb) => {
        const kind = oneOf(lb.Type, KINDS);
        if (kind) return [loadBalancerOf(run, lb, kind, tags)];
        run.note(`load balancer ${lb.LoadBalancerArn ?? ''}`, `type ${lb.Type ?? '(none)'} is not one this lbcheck knows`);
        return [];
      }),
    ),
    Promise.all(
      listing.targetGroups.flatMap((group) => {
        const targetType = oneOf(group.TargetType, TARGET_TYPES);
        if (targetType) return [targetGroupOf(run, group, targetType, tags)];
        run.note(`target group ${group.TargetGroupArn ?? ''}`, `target type ${group.TargetType ?? '(none)'} is not one this lbcheck knows`);
        return [];
      }),
    ),
  ]);
  const sslPolicies = await sslPoliciesFor(run, loadBalancers);
  return { loadBalancers, targetGroups, ...(sslPolicies && { sslPolicies }) };
}

/** Whether a selected rule reads `collection` for a resource: the needs, worked out once over the scope. */
function neededIn(run: ScopeRun, scope: Scope, index: InventoryIndex, collection: OptionalData): (id: string) => boolean {
  if (!run.needs.collections.has(collection)) return () => false;
  const ids = run.needs.resources(collection, scope, index);
  return (id) => ids === undefined || ids.has(id);
}

/**
 * Stage 3, once the rest of the scope is in (the needs are worked out from target health, placement
 * and tags): target group attributes, ALB listener rules and NLB TCP listener attributes, for the
 * resources a selected rule reads. What none reads is recorded as not needed (ScopeRun.leaveOut).
 */
export async function describeOptionalElbv2(run: ScopeRun, scope: Scope): Promise<void> {
  const index = new InventoryIndex(scope);
  const groupNeeded = neededIn(run, scope, index, 'targetGroupAttributes');
  const rulesNeeded = neededIn(run, scope, index, 'listenerRules');
  const listenerAttributesNeeded = neededIn(run, scope, index, 'listenerAttributes');
  const albs = scope.loadBalancers.filter((lb) => lb.kind === 'application' && lb.listeners.length > 0);
  const tcpListeners = (lb: LoadBalancer) => lb.listeners.filter((listener) => listener.protocol === 'TCP');
  const nlbs = scope.loadBalancers.filter((lb) => lb.kind === 'network' && tcpListeners(lb).length > 0);
  const [groups, groupsLeftOut] = split(scope.targetGroups, (group) => groupNeeded(group.arn));
  const [albsRead, albsLeftOut] = split(albs, (lb) => rulesNeeded(lb.arn));
  const [nlbsRead, nlbsLeftOut] = split(nlbs, (lb) => listenerAttributesNeeded(lb.arn));
  run.leaveOut('elasticloadbalancing:DescribeTargetGroupAttributes', groupsLeftOut.map((group) => group.arn));
  run.leaveOut('elasticloadbalancing:DescribeRules', albsLeftOut.map((lb) => lb.arn));
  run.leaveOut('elasticloadbalancing:DescribeListenerAttributes', nlbsLeftOut.map((lb) => lb.arn));
  await Promise.all([
    ...groups.map(async (group) => {
      const out = await run.call(
        'elasticloadbalancing:DescribeTargetGroupAttributes',
        `attributes of ${group.arn}`,
        () => run.clients.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: group.arn })),
        [group.arn],
      );
      if (out) group.attributes = targetGroupAttributes(attributeMap(out.Attributes), group);
    }),
    ...albsRead.flatMap((lb) =>
      lb.listeners.map(async (listener) => {
        listener.rules = await listenerRulesOf(run, listener.arn ?? '', lb.arn);
      }),
    ),
    ...nlbsRead.flatMap((lb) =>
      tcpListeners(lb).map(async (listener) => {
        listener.idleTimeoutSeconds = await tcpIdleTimeoutOf(run, listener.arn ?? '', lb.arn);
      }),
    ),
  ]);
}

/** The items that pass, and those that do not. */
function split<T>(items: readonly T[], passes: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (passes(item) ? yes : no).push(item);
  return [yes, no];
}
