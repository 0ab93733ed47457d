/**
 * Classic Load Balancers (elastic-load-balancing API): load balancers, attributes,
 * listeners, health check, registered instances and their health, tags.
 */
import {
  DescribeInstanceHealthCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancerPoliciesCommand,
  DescribeTagsCommand,
  paginateDescribeLoadBalancers,
  type LoadBalancerAttributes as AwsClassicAttributes,
  type LoadBalancerDescription,
  type PolicyDescription,
} from '@aws-sdk/client-elastic-load-balancing';
import type {
  ClassicDetails,
  Listener,
  ListenerProtocol,
  LoadBalancer,
  LoadBalancerAttributes,
  LoadBalancerZone,
  Scheme,
  Subnet,
  TargetHealthState,
  TlsPolicy,
} from '../inventory/model.js';
import { attributeMap } from './attributes.js';
import { chunks } from './limiter.js';
import { pageSizeFor, type ScopeRun } from './scope-run.js';

/** Classic DescribeTags takes at most 20 load balancer names per call. */
const TAGS_BATCH = 20;
const MAX_PAGE_SIZE = 400;

export interface ClassicListing {
  loadBalancers: LoadBalancerDescription[];
  listed: boolean;
  /** Tags already read, by LB name (--tag read them first): describeClassic does not ask for them again. */
  tags?: ReadonlyMap<string, Record<string, string>>;
}

export async function listClassic(run: ScopeRun): Promise<ClassicListing> {
  const client = run.clients.elb;
  const pageSize = pageSizeFor(run.pageSize, 1, MAX_PAGE_SIZE);
  const { items, complete } = await run.list(
    'elasticloadbalancing:DescribeLoadBalancers',
    'Classic Load Balancers',
    () => paginateDescribeLoadBalancers({ client }, { PageSize: pageSize }),
    (page) => page.LoadBalancerDescriptions,
  );
  return { loadBalancers: items, listed: complete };
}

/** The ARN AWS gives a Classic LB (its API returns none), in the region's partition. */
export function classicLoadBalancerArn(region: string, account: string, name: string): string {
  return `arn:${partitionOf(region)}:elasticloadbalancing:${region}:${account}:loadbalancer/${name}`;
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  return 'aws';
}

/**
 * Normalised Classic attributes.
 * - ConnectionSettings.IdleTimeout: "By default, Elastic Load Balancing sets the idle timeout for your load balancer to 60 seconds."
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/config-idle-timeout.html
 * - CrossZoneLoadBalancing: "If you create the load balancer using the API or CLI, cross-zone load balancing is disabled by default."
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/enable-disable-crosszone-lb.html
 * - AccessLog: "Access logging is an optional feature of Elastic Load Balancing that is disabled by default."
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/access-log-collection.html
 * - elb.http.desyncmitigationmode (AdditionalAttributes): "The default is defensive."
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/config-desync-mitigation-mode.html
 */
export function classicAttributes(attributes: AwsClassicAttributes | undefined): LoadBalancerAttributes {
  const raw: Record<string, string> = {};
  const idle = attributes?.ConnectionSettings?.IdleTimeout;
  const crossZone = attributes?.CrossZoneLoadBalancing?.Enabled;
  const draining = attributes?.ConnectionDraining;
  if (idle !== undefined) raw['ConnectionSettings.IdleTimeout'] = String(idle);
  if (crossZone !== undefined) raw['CrossZoneLoadBalancing.Enabled'] = String(crossZone);
  if (draining?.Enabled !== undefined) raw['ConnectionDraining.Enabled'] = String(draining.Enabled);
  if (draining?.Timeout !== undefined) raw['ConnectionDraining.Timeout'] = String(draining.Timeout);
  if (attributes?.AccessLog?.Enabled !== undefined) raw['AccessLog.Enabled'] = String(attributes.AccessLog.Enabled);
  for (const extra of attributes?.AdditionalAttributes ?? []) if (extra.Key && extra.Value !== undefined) raw[extra.Key] = extra.Value;
  return {
    idleTimeoutSeconds: idle ?? 60,
    crossZoneEnabled: crossZone ?? false,
    accessLogsEnabled: attributes?.AccessLog?.Enabled ?? false,
    desyncMitigationMode: raw['elb.http.desyncmitigationmode'] ?? 'defensive',
    connectionDraining: draining?.Enabled !== undefined ? { enabled: draining.Enabled, timeoutSeconds: draining.Timeout } : undefined,
    raw,
  };
}

/**
 * A Classic LB always has a health check; when the API omits it, AWS's defaults apply:
 * "Ping Protocol HTTP, Ping Port 80, Ping Path /index.html, Response Timeout 5 seconds,
 * HealthCheck Interval 30 seconds, Unhealthy Threshold 2, Healthy Threshold 10".
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-healthchecks.html#health-check-configuration
 */
export const CLASSIC_DEFAULT_HEALTH_CHECK: NonNullable<ClassicDetails['healthCheck']> = {
  target: 'HTTP:80/index.html',
  intervalSeconds: 30,
  timeoutSeconds: 5,
  healthyThreshold: 10,
  unhealthyThreshold: 2,
};

const CLASSIC_STATES: Record<string, TargetHealthState> = { InService: 'healthy', OutOfService: 'unhealthy', Unknown: 'unknown' };

function protocolOf(value: string | undefined): ListenerProtocol {
  return (value ?? 'TCP').toUpperCase() as ListenerProtocol;
}

function listenersOf(description: LoadBalancerDescription, policies: ReadonlyMap<string, TlsPolicy> | undefined): Listener[] {
  return (description.ListenerDescriptions ?? []).flatMap(({ Listener: listener, PolicyNames: policyNames = [] }) =>
    listener
      ? [
          {
            port: listener.LoadBalancerPort ?? 0,
            protocol: protocolOf(listener.Protocol),
            instancePort: listener.InstancePort,
            instanceProtocol: protocolOf(listener.InstanceProtocol ?? listener.Protocol),
            ...(policyNames.length > 0 && { policyNames }),
            ...tlsPolicyOfListener(policyNames, policies),
            certificateArns: listener.SSLCertificateId ? [listener.SSLCertificateId] : [],
            defaultTargetGroupArns: [],
            rules: [],
          },
        ]
      : [],
  );
}

/** The listener's SSL negotiation policy among the LB's resolved ones: `sslPolicy` names the predefined policy it follows. */
function tlsPolicyOfListener(policyNames: readonly string[], policies: ReadonlyMap<string, TlsPolicy> | undefined): Pick<Listener, 'tlsPolicy' | 'sslPolicy'> {
  const policy = policyNames.map((name) => policies?.get(name)).find((found) => found !== undefined);
  return policy ? { tlsPolicy: policy, sslPolicy: policy.referencePolicy ?? policy.name } : {};
}

/**
 * An SSLNegotiationPolicyType policy as protocols and ciphers: its attributes are flags
 * ("Protocol-TLSv1": "true", "ECDHE-RSA-AES128-GCM-SHA256": "true") plus the predefined policy it references.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-ssl-security-policy.html
 */
export function classicTlsPolicy(description: PolicyDescription): TlsPolicy | undefined {
  if (description.PolicyTypeName !== 'SSLNegotiationPolicyType' || !description.PolicyName) return undefined;
  const on = (description.PolicyAttributeDescriptions ?? []).filter((a) => a.AttributeValue?.toLowerCase() === 'true').map((a) => a.AttributeName ?? '');
  const reference = description.PolicyAttributeDescriptions?.find((a) => a.AttributeName === 'Reference-Security-Policy')?.AttributeValue;
  return {
    name: description.PolicyName,
    ...(reference && { referencePolicy: reference }),
    protocols: on.filter((name) => name.startsWith('Protocol-')).map((name) => name.slice('Protocol-'.length)),
    ciphers: on.filter((name) => name !== '' && !name.startsWith('Protocol-') && name !== 'Server-Defined-Cipher-Order'),
  };
}

/** One zone per subnet (its AZ from the subnet), or per AZ for LBs without subnets. */
function zonesOf(description: LoadBalancerDescription, subnets: ReadonlyMap<string, Subnet>): LoadBalancerZone[] {
  const subnetIds = description.Subnets ?? [];
  if (subnetIds.length === 0) return (description.AvailabilityZones ?? []).map((zoneName) => ({ zoneName }));
  return subnetIds.map((subnetId) => ({ zoneName: subnets.get(subnetId)?.availabilityZone ?? '', subnetId }));
}

export interface ClassicDetailsCollected {
  attributes: Map<string, AwsClassicAttributes>;
  instanceHealth: Map<string, Map<string, { state: TargetHealthState; reasonCode?: string; description?: string }>>;
  tags: Map<string, Record<string, string>>;
  /** The SSL negotiation policies of LBs with HTTPS/SSL listeners, by LB name and policy name (fetched only when needed). */
  tlsPolicies: Map<string, Map<string, TlsPolicy>>;
}

/** The policy names on a Classic LB's HTTPS and SSL listeners. */
function tlsListenerPolicyNames(description: LoadBalancerDescription): string[] {
  const names = (description.ListenerDescriptions ?? []).flatMap(({ Listener: listener, PolicyNames }) =>
    listener && ['HTTPS', 'SSL'].includes(protocolOf(listener.Protocol)) ? (PolicyNames ?? []) : [],
  );
  return [...new Set(names)];
}

/** Stage 2: attributes, instance health and tags of the listed Classic LBs. */
export async function describeClassic(run: ScopeRun, listing: ClassicListing): Promise<ClassicDetailsCollected> {
  const client = run.clients.elb;
  const details: ClassicDetailsCollected = { attributes: new Map(), instanceHealth: new Map(), tags: new Map(), tlsPolicies: new Map() };
  const names = listing.loadBalancers.flatMap((lb) => (lb.LoadBalancerName ? [lb.LoadBalancerName] : []));
  // The account is known by now (STS runs first): failures name the LBs by the ARNs the inventory gives them.
  const arnOf = (name: string) => classicLoadBalancerArn(run.region, run.account, name);
  // One DescribeLoadBalancerPolicies per Classic LB with an HTTPS/SSL listener, only when a TLS rule runs.
  const tlsLoadBalancers = listing.loadBalancers.flatMap((lb) => {
    const policyNames = tlsListenerPolicyNames(lb);
    return lb.LoadBalancerName && policyNames.length ? [{ name: lb.LoadBalancerName, policyNames }] : [];
  });
  const tlsPoliciesNeeded = run.needs.collections.has('tlsPolicies');
  if (!tlsPoliciesNeeded) run.leaveOut('elasticloadbalancing:DescribeLoadBalancerPolicies', tlsLoadBalancers.map(({ name }) => arnOf(name)));
  const withTlsPolicies = tlsPoliciesNeeded ? tlsLoadBalancers : [];
  await Promise.all([
    ...names.map(async (name) => {
      const out = await run.call(
        'elasticloadbalancing:DescribeLoadBalancerAttributes',
        `attributes of Classic LB ${name}`,
        () => client.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: name })),
        [arnOf(name)],
      );
      if (out?.LoadBalancerAttributes) details.attributes.set(name, out.LoadBalancerAttributes);
    }),
    ...names.map(async (name) => {
      const out = await run.call(
        'elasticloadbalancing:DescribeInstanceHealth',
        `instance health of Classic LB ${name}`,
        () => client.send(new DescribeInstanceHealthCommand({ LoadBalancerName: name })),
        [arnOf(name)],
      );
      if (!out) return;
      const states = new Map<string, { state: TargetHealthState; reasonCode?: string; description?: string }>();
      for (const state of out.InstanceStates ?? []) {
        if (!state.InstanceId) continue;
        states.set(state.InstanceId, {
          state: CLASSIC_STATES[state.State ?? ''] ?? 'unknown',
          reasonCode: state.ReasonCode === 'N/A' ? undefined : state.ReasonCode,
          description: state.Description === 'N/A' ? undefined : state.Description,
        });
      }
      details.instanceHealth.set(name, states);
    }),
    ...withTlsPolicies.map(async ({ name, policyNames }) => {
      const out = await run.call(
        'elasticloadbalancing:DescribeLoadBalancerPolicies',
        `listener policies of Classic LB ${name}`,
        () => client.send(new DescribeLoadBalancerPoliciesCommand({ LoadBalancerName: name, PolicyNames: policyNames })),
        [arnOf(name)],
      );
      if (!out) return;
      const policies = new Map<string, TlsPolicy>();
      for (const description of out.PolicyDescriptions ?? []) {
        const policy = classicTlsPolicy(description);
        if (policy) policies.set(policy.name, policy);
      }
      details.tlsPolicies.set(name, policies);
    }),
    classicTagsOf(run, names.filter((name) => !listing.tags?.has(name))).then((fetched) => {
      for (const [name, tags] of [...(listing.tags ?? []), ...fetched]) details.tags.set(name, tags);
    }),
  ]);
  return details;
}

/** The tags of Classic LBs, by name (DescribeTags, 20 names a call); a failed batch is missing. */
export async function classicTagsOf(run: ScopeRun, names: readonly string[]): Promise<Map<string, Record<string, string>>> {
  const tags = new Map<string, Record<string, string>>();
  await Promise.all(
    chunks(names, TAGS_BATCH).map(async (batch) => {
      const out = await run.call(
        'elasticloadbalancing:DescribeTags',
        `tags of ${batch.length} Classic LBs`,
        () => run.clients.elb.send(new DescribeTagsCommand({ LoadBalancerNames: batch })),
        batch.map((name) => classicLoadBalancerArn(run.region, run.account, name)),
      );
      for (const description of out?.TagDescriptions ?? []) {
        if (description.LoadBalancerName) tags.set(description.LoadBalancerName, attributeMap(description.Tags));
      }
    }),
  );
  return tags;
}

/** Stage 3: the inventory's Classic LBs, once the account is known and the subnets are collected. */
export function classicLoadBalancers(
  run: ScopeRun,
  listing: ClassicListing,
  details: ClassicDetailsCollected,
  subnets: ReadonlyMap<string, Subnet>,
): LoadBalancer[] {
  return listing.loadBalancers.map((description) => {
    const name = description.LoadBalancerName ?? '';
    const health = details.instanceHealth.get(name);
    const hc = description.HealthCheck;
    return {
      arn: classicLoadBalancerArn(run.region, run.account, name),
      name,
      kind: 'classic',
      scheme: (description.Scheme ?? 'internet-facing') as Scheme,
      dnsName: description.DNSName ?? '',
      // Classic LBs are IPv4 only unless reached through their dualstack.* name.
      ipAddressType: 'ipv4',
      vpcId: description.VPCId,
      createdTime: description.CreatedTime?.toISOString(),
      availabilityZones: zonesOf(description, subnets),
      securityGroupIds: description.SecurityGroups ?? [],
      attributes: details.attributes.has(name)
        ? classicAttributes(details.attributes.get(name))
        : // The call failed (the scope's `unread` says so): the idle timeout is unknown, not the default.
          { ...classicAttributes(undefined), idleTimeoutSeconds: undefined },
      listeners: listenersOf(description, details.tlsPolicies.get(name)),
      tags: details.tags.get(name) ?? {},
      classic: {
        healthCheck: hc?.Target
          ? {
              target: hc.Target,
              intervalSeconds: hc.Interval ?? CLASSIC_DEFAULT_HEALTH_CHECK.intervalSeconds,
              timeoutSeconds: hc.Timeout ?? CLASSIC_DEFAULT_HEALTH_CHECK.timeoutSeconds,
              healthyThreshold: hc.HealthyThreshold ?? CLASSIC_DEFAULT_HEALTH_CHECK.healthyThreshold,
              unhealthyThreshold: hc.UnhealthyThreshold ?? CLASSIC_DEFAULT_HEALTH_CHECK.unhealthyThreshold,
            }
          : { ...CLASSIC_DEFAULT_HEALTH_CHECK },
        instances: (description.Instances ?? []).flatMap(({ InstanceId }) =>
          InstanceId ? [{ instanceId: InstanceId, ...(health?.get(InstanceId) ?? { state: 'unknown' as const }) }] : [],
        ),
        sourceSecurityGroup: description.SourceSecurityGroup
          ? { ownerAlias: description.SourceSecurityGroup.OwnerAlias, groupName: description.SourceSecurityGroup.GroupName }
          : undefined,
      },
    };
  });
}
