/**
 * Collects the inventory for every (account, region) scope: for each profile, or each role
 * assumed (--role-arn, --org-role: src/aws/accounts.ts), its account (STS) and regions; for each region, the elbv2 and Classic load balancers, then
 * their details and the network of their VPCs, then the target instances and the prefix
 * lists their rules reference. Each scope runs its calls in parallel under its own limiter
 * (--concurrency) and paces them to its own request buckets, as AWS meters them.
 * A failed call is a notChecked entry; only when nothing at all could be collected does
 * the run fail, with one line saying why.
 */
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { LbcheckError, MAX_TIME_REASON } from '../errors.js';
import { silentProgress, type Progress } from '../progress.js';
import {
  SNAPSHOT_SCHEMA_VERSION,
  type Inventory,
  type LoadBalancer,
  type NetworkInterface,
  type NotChecked,
  type Scope,
} from '../inventory/model.js';
import { TOOL_NAME, VERSION } from '../version.js';
import { describeEndpoint, endpointOf } from './endpoint.js';
import { classicLoadBalancers, describeClassic, listClassic } from './collect-classic.js';
import { collectInstances, collectNetwork, collectPrefixLists, type NetworkCollected } from './collect-ec2.js';
import { describeElbv2, describeOptionalElbv2, listElbv2 } from './collect-elbv2.js';
import { chooseLoadBalancers } from './collect-filter.js';
import type { LoadBalancerFilter } from '../engine/lb-filter.js';
import { roleArnParts, rolePrincipals, type Principal, type RolePrincipals } from './accounts.js';
import { ApiCallCounter, createClients, credentialsFor, destroyClients, type AwsClients, type CallTimeouts, type ClientOptions } from './clients.js';
import { Limiter, RequestBuckets, type ApiFamily, type BucketSize } from './limiter.js';
import { classifyError, ScopeRun, unreachableText, type CallFailure } from './scope-run.js';
import { CLIENT_NAMES, profileSettings, type ClientEndpoints, type ClientName, type ProfileSettings } from './shared-config.js';
import { plural } from '../words.js';
import type { CollectionNeeds } from '../engine/needs.js';

export interface CollectOptions {
  /** Regions to scan; empty means the profile's (or environment's) region, unless allRegions. */
  regions: string[];
  /** Every region enabled for the account (EC2 DescribeRegions). */
  allRegions?: boolean;
  /** Shared-config profiles, one scan each; empty means the default credential chain. With roles: the caller (at most one). */
  profiles: string[];
  /** --role-arn: assume each (from the caller's credentials) and collect its account instead of the caller's. */
  roleArns?: string[];
  /** --org-role NAME: assume role NAME in every ACTIVE account of the caller's AWS Organization. */
  orgRole?: string;
  /** --external-id: the ExternalId every AssumeRole passes (the roles' trust policies may require one). */
  externalId?: string;
  /** Where every call goes (--endpoint-url), overriding AWS_ENDPOINT_URL and its per-service variants. */
  endpointUrl?: string;
  /** The endpoint to name in errors when endpointUrl is not set (AWS_ENDPOINT_URL, which the SDK reads itself). */
  endpointLabel?: string;
  /** AWS calls in flight at once, per account and region. */
  concurrency: number;
  /** The request buckets to pace to (default: AWS's documented sizes); false: do not pace (an emulator without limits). */
  requestBuckets?: Record<ApiFamily, BucketSize> | false;
  /** Page size for paginated listings (default: the largest each API allows). */
  pageSize?: number;
  /** Deadlines of each AWS call (default DEFAULT_CALL_TIMEOUTS; tests use small ones). */
  timeouts?: CallTimeouts;
  /**
   * Aborts the collection (--max-time): every call in flight ends, failing with the signal's reason (a
   * CallDeadlineError names it in notChecked), and what was collected so far is returned, even nothing.
   */
  signal?: AbortSignal;
  /** Attempts per call, including the first. */
  maxAttempts?: number;
  progress?: Progress;
  /** Tests: explicit credentials instead of the provider chain. */
  credentials?: AwsCredentialIdentityProvider;
  /** Tests: observe (or wrap) the clients of each scope before collection starts. */
  onClients?: (clients: AwsClients, region: string) => void;
  /**
   * The optional data to fetch (default: all of it, FULL_COLLECTION). `lbcheck audit` passes
   * collectionNeeds(enabled rules), `lbcheck snapshot` those of every rule (or --rule's), so a rule's
   * extra calls happen only when it runs, for the resources it reads (src/engine/needs.ts).
   */
  needs?: CollectionNeeds;
  /** Tests: the counter to record calls in (default: a fresh one). */
  counter?: ApiCallCounter;
  /** --lb / --tag: collect only these load balancers (and the target groups that serve them). */
  loadBalancerFilter?: LoadBalancerFilter;
  /** Where AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL* and AWS_CONFIG_FILE are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

interface ScopeOutcome {
  scope?: Scope;
  notChecked: NotChecked[];
  failures: CallFailure[];
}

const NO_REGION_MESSAGE =
  'no AWS region configured: pass --region REGION (or --all-regions), or set AWS_REGION (or AWS_DEFAULT_REGION) or a region in your AWS profile';

const SHORT_CLIENT_NAMES: Record<ClientName, string> = { ec2: 'EC2', elbv2: 'ELBv2', elb: 'Classic ELB', sts: 'STS', organizations: 'Organizations' };

/** "AWS at http://127.0.0.1:5000 (endpoint_url of profile audit)", or each service's where they differ. */
export function whereCallsGo(endpoints: ClientEndpoints, clients: readonly ClientName[] = ['ec2', 'elbv2', 'elb', 'sts']): string {
  const byPlace = new Map<string, ClientName[]>();
  for (const client of clients) {
    const endpoint = endpoints[client];
    const place = endpoint ? describeEndpoint(endpoint) : 'its regional endpoints';
    byPlace.set(place, [...(byPlace.get(place) ?? []), client]);
  }
  if (byPlace.size === 1) return `AWS at ${[...byPlace.keys()][0] ?? ''}`;
  return [...byPlace].map(([place, names]) => `${names.map((client) => SHORT_CLIENT_NAMES[client]).join(', ')} at ${place}`).join('; ');
}

/** The endpoints of every client: --endpoint-url for all, else the profile's as aws-cli finds them. */
function endpointsOf(options: CollectOptions, settings: ProfileSettings): ClientEndpoints {
  if (options.endpointUrl === undefined) return settings.endpoints;
  const override = { url: options.endpointUrl, source: '--endpoint-url' };
  return Object.fromEntries(CLIENT_NAMES.map((client) => [client, override]));
}

/** What every client of a collection shares, for the profile whose settings apply. */
function callOptions(options: CollectOptions, counter: ApiCallCounter, settings: ProfileSettings): Omit<ClientOptions, 'region' | 'profile' | 'credentials' | 'buckets'> {
  return { endpoints: endpointsOf(options, settings), counter, maxAttempts: options.maxAttempts, timeouts: options.timeouts, signal: options.signal };
}

/** "ELB app/NAME/ID" (ALB), "ELB net/NAME/ID" (NLB), "ELB gwy/NAME/ID" (GWLB) or "ELB NAME" (Classic) → the LB's ARN. */
export function loadBalancerArnOfInterface(description: string, loadBalancers: readonly LoadBalancer[]): string | undefined {
  const match = /^ELB (.+)$/.exec(description.trim());
  if (!match?.[1]) return undefined;
  const rest = match[1];
  if (/^(app|net|gwy)\/[^/]+\/[^/]+$/.test(rest)) {
    return loadBalancers.find((lb) => lb.kind !== 'classic' && lb.arn.endsWith(`:loadbalancer/${rest}`))?.arn;
  }
  return loadBalancers.find((lb) => lb.kind === 'classic' && lb.name === rest)?.arn;
}

function emptyNetwork(): NetworkCollected {
  return {
    vpcs: [],
    subnets: [],
    routeTables: [],
    internetGateways: [],
    egressOnlyInternetGateways: [],
    natGateways: [],
    securityGroups: [],
    networkAcls: [],
    networkInterfaces: [],
  };
}

/** A scope's region, and its account once known (an assumed role's from its ARN, else from STS). */
function whereOf(run: ScopeRun): { region: string; account?: string } {
  return { region: run.region, ...(run.account !== 'unknown' && { account: run.account }) };
}

interface ScopeSettings {
  profile: string | undefined;
  endpoint: string;
  signal: AbortSignal | undefined;
  filter: LoadBalancerFilter | undefined;
  progress: Progress;
}

async function collectScope(run: ScopeRun, { profile, endpoint, signal, filter, progress }: ScopeSettings): Promise<ScopeOutcome> {
  const identity = await run.call('sts:GetCallerIdentity', 'the account id', () => run.clients.sts.send(new GetCallerIdentityCommand({})));
  if (identity?.Account) run.account = identity.Account;
  // --max-time ended the first call: nothing of this region was collected, and that is not the endpoint's fault.
  if (signal?.aborted) return { notChecked: [{ what: `region ${run.region}`, why: MAX_TIME_REASON, ...whereOf(run) }], failures: run.failures };
  // Unreachable, or credentials refused: every other call would fail the same way (after its retries). Say so once, quickly.
  const fatal = run.failures.find((f) => f.kind === 'network' || f.kind === 'rejected');
  if (fatal) {
    const why = fatal.kind === 'network' ? unreachableText(fatal, endpoint) : `AWS rejected the credentials: ${fatal.reason}`;
    return { notChecked: [{ what: `region ${run.region}`, why, ...whereOf(run) }], failures: run.failures };
  }

  const listings = await Promise.all([listElbv2(run), listClassic(run)]);
  if (!listings[0].listed && !listings[1].listed) return { notChecked: run.notChecked, failures: run.failures };
  // --lb / --tag: nothing more is read for the load balancers they leave out.
  const { elbv2: elbv2Listing, classic: classicListing } = filter
    ? await chooseLoadBalancers(run, { elbv2: listings[0], classic: listings[1] }, filter, progress)
    : { elbv2: listings[0], classic: listings[1] };

  const vpcIds = new Set<string>();
  for (const lb of elbv2Listing.loadBalancers) if (lb.VpcId) vpcIds.add(lb.VpcId);
  for (const group of elbv2Listing.targetGroups) if (group.VpcId) vpcIds.add(group.VpcId);
  for (const lb of classicListing.loadBalancers) if (lb.VPCId) vpcIds.add(lb.VPCId);

  // Each next step starts as soon as what it needs is in: target instances after target health,
  // prefix lists after security groups and routes.
  const elbv2Details = describeElbv2(run, elbv2Listing);
  const networkDetails = vpcIds.size ? collectNetwork(run, [...vpcIds]) : Promise.resolve(emptyNetwork());
  const instanceDetails = elbv2Details.then((elbv2) => {
    const instanceIds = new Set<string>();
    for (const group of elbv2.targetGroups) if (group.targetType === 'instance') for (const target of group.targets) instanceIds.add(target.id);
    for (const lb of classicListing.loadBalancers) for (const instance of lb.Instances ?? []) if (instance.InstanceId) instanceIds.add(instance.InstanceId);
    return instanceIds.size ? collectInstances(run, [...instanceIds]) : [];
  });
  const prefixListDetails = networkDetails.then((network) => {
    const prefixListIds = new Set<string>();
    for (const group of network.securityGroups) {
      for (const rule of [...group.ingress, ...group.egress]) {
        for (const source of rule.sources) if (source.kind === 'prefix-list') prefixListIds.add(source.prefixListId);
      }
    }
    for (const table of network.routeTables) for (const route of table.routes) if (route.destinationPrefixListId) prefixListIds.add(route.destinationPrefixListId);
    return collectPrefixLists(run, [...prefixListIds]);
  });
  const [elbv2, classicDetails, network, instances, prefixLists] = await Promise.all([
    elbv2Details,
    describeClassic(run, classicListing),
    networkDetails,
    instanceDetails,
    prefixListDetails,
  ]);

  const subnetsById = new Map(network.subnets.map((s) => [s.id, s]));
  const loadBalancers = [...elbv2.loadBalancers, ...classicLoadBalancers(run, classicListing, classicDetails, subnetsById)].sort((a, b) =>
    a.arn.localeCompare(b.arn),
  );
  const networkInterfaces: NetworkInterface[] = network.networkInterfaces.map((eni) => ({
    ...eni,
    loadBalancerArn: loadBalancerArnOfInterface(eni.description, loadBalancers),
  }));
  const scope: Scope = {
    account: run.account,
    region: run.region,
    ...(profile ? { profile } : {}),
    loadBalancers,
    targetGroups: elbv2.targetGroups.sort((a, b) => a.arn.localeCompare(b.arn)),
    ...network,
    networkInterfaces,
    instances,
    prefixLists,
    ...(elbv2.sslPolicies && { sslPolicies: elbv2.sslPolicies }),
    unread: run.unread,
  };
  await describeOptionalElbv2(run, scope);
  return { scope, notChecked: run.notChecked, failures: run.failures };
}

function summary(scope: Scope): string {
  const count = (kind: LoadBalancer['kind']) => scope.loadBalancers.filter((lb) => lb.kind === kind).length;
  const kinds = [
    [count('application'), 'ALB'],
    [count('network'), 'NLB'],
    [count('gateway'), 'GWLB'],
    [count('classic'), 'Classic'],
  ]
    .filter(([n]) => Number(n) > 0)
    .map(([n, label]) => `${n} ${label}`)
    .join(', ');
  return (
    `${scope.region} (${scope.account}${scope.profile ? `, profile ${scope.profile}` : ''}): ` +
    `${plural(scope.loadBalancers.length, 'load balancer')}${kinds ? ` (${kinds})` : ''}, ` +
    `${plural(scope.targetGroups.length, 'target group')}, ${plural(scope.subnets.length, 'subnet')}, ` +
    `${plural(scope.securityGroups.length, 'security group')}`
  );
}

/** The one line to fail with when no scope yielded anything. */
function nothingCollectedError(failures: CallFailure[], notChecked: NotChecked[], endpoint: string): LbcheckError {
  const network = failures.find((f) => f.kind === 'network');
  if (network) return new LbcheckError(unreachableText(network, endpoint));
  const rejected = failures.find((f) => f.kind === 'rejected');
  if (rejected) return new LbcheckError(`AWS rejected the credentials: ${rejected.reason}`);
  const credentials = failures.find((f) => f.kind === 'credentials');
  if (credentials?.profile) {
    // The user named the profile: AWS_PROFILE and access-key variables are not what to fix.
    const { profile } = credentials;
    return new LbcheckError(
      `no AWS credentials for profile ${profile}: check it in ~/.aws/config and ~/.aws/credentials, or log in with aws sso login --profile ${profile} (${credentials.reason})`,
    );
  }
  if (credentials) {
    return new LbcheckError(
      `no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or log in with aws sso login (${credentials.reason})`,
    );
  }
  const first = notChecked[0];
  return new LbcheckError(first ? `nothing could be collected: ${first.what}: ${first.why}` : 'nothing could be collected');
}

/** Accounts collected at the same time (each with its own clients, limiter and request buckets). */
const ACCOUNTS_AT_ONCE = 16;

async function profilePrincipal(profile: string | undefined, options: CollectOptions, counter: ApiCallCounter): Promise<Principal> {
  const settings = await profileSettings(profile, options.env);
  // A role_arn profile's AssumeRole goes where the profile's other STS calls go, in its region.
  const sts = { region: settings.region?.name ?? options.regions[0] ?? 'us-east-1', ...callOptions(options, counter, settings) };
  return {
    label: profile ? `profile ${profile}` : 'the default credentials',
    ...(profile !== undefined && { profile, regionProfile: profile }),
    credentials: options.credentials ?? credentialsFor(profile, sts),
  };
}

/** With --role-arn or --org-role: one principal per role to assume (an organization's accounts listed first). */
async function rolesOf(options: CollectOptions, counter: ApiCallCounter): Promise<RolePrincipals | undefined> {
  if (!options.roleArns?.length && options.orgRole === undefined) return undefined;
  const profile = options.profiles[0];
  const settings = await profileSettings(profile, options.env);
  // STS and Organizations in the first region asked for, else the caller's own (partition and data residency follow it).
  const region = options.regions[0] ?? settings.region?.name ?? 'us-east-1';
  return rolePrincipals({
    roleArns: options.roleArns ?? [],
    ...(options.orgRole !== undefined && { orgRole: options.orgRole }),
    ...(options.externalId !== undefined && { externalId: options.externalId }),
    ...(profile !== undefined && { profile }),
    ...(options.credentials && { credentials: options.credentials }),
    region,
    ...(options.pageSize !== undefined && { pageSize: options.pageSize }),
    client: callOptions(options, counter, settings),
  });
}

/** Credentials that cannot be had (none for a profile, or a role that cannot be assumed): why, as a failure and a notChecked entry. */
async function credentialsFailure(principal: Principal): Promise<{ failure: CallFailure; notChecked: NotChecked } | undefined> {
  try {
    await principal.credentials();
    return undefined;
  } catch (error) {
    const { kind, reason, endpoint } = classifyError(error);
    const failedAt = endpoint !== undefined ? { endpoint } : {};
    if (principal.roleArn) {
      // AccessDenied and the like: this account is not checked, the others are.
      const failure: CallFailure = { operation: 'sts:AssumeRole', kind, reason, ...failedAt };
      const why = kind === 'network' && endpoint !== undefined ? unreachableText(failure, endpoint) : reason;
      return {
        failure,
        notChecked: { what: `everything in ${principal.label}: cannot assume ${principal.roleArn}`, why, call: 'sts:AssumeRole', ...(principal.account !== undefined && { account: principal.account }) },
      };
    }
    if (kind === 'network' && endpoint !== undefined) {
      // A role_arn profile whose STS did not answer: the endpoint is the problem, not the profile.
      const failure: CallFailure = { operation: 'sts:AssumeRole', kind, reason, ...failedAt };
      return { failure, notChecked: { what: `everything for ${principal.label}`, why: unreachableText(failure, endpoint), call: 'sts:AssumeRole' } };
    }
    return {
      failure: { operation: 'credentials', kind: 'credentials', reason, ...(principal.profile !== undefined && { profile: principal.profile }) },
      notChecked: { what: `everything for ${principal.label}`, why: `no AWS credentials: ${reason}` },
    };
  }
}

export async function collectInventory(options: CollectOptions): Promise<Inventory> {
  const started = performance.now();
  const progress = options.progress ?? silentProgress;
  const counter = options.counter ?? new ApiCallCounter();
  // AWS keeps its request buckets per account and region: so does lbcheck, and scopes run in parallel.
  const bucketsByScope = new Map<string, RequestBuckets>();
  const bucketsOf = (account: string, region: string): RequestBuckets | undefined => {
    if (options.requestBuckets === false) return undefined;
    const key = `${account}/${region}`;
    let buckets = bucketsByScope.get(key);
    if (!buckets) {
      buckets = new RequestBuckets(options.requestBuckets);
      bucketsByScope.set(key, buckets);
    }
    return buckets;
  };
  const endpoint = endpointOf(options);

  const scopes: Scope[] = [];
  const notChecked: NotChecked[] = [];
  const failures: CallFailure[] = [];
  const emptyRegions: string[] = [];
  /** Whose credentials collected each scope: scopes record only a profile, and two roles can reach one account. */
  const collectedBy = new Map<Scope, Principal>();
  const roles = await rolesOf(options, counter);
  notChecked.push(...(roles?.notChecked ?? []));
  failures.push(...(roles?.failures ?? []));
  const principals: Principal[] =
    roles?.principals ?? (await Promise.all((options.profiles.length ? options.profiles : [undefined]).map((profile) => profilePrincipal(profile, options, counter))));
  // Each account runs its regions at once; this many accounts are collected at a time, so an organization of
  // hundreds does not open hundreds of times --concurrency sockets (AWS meters each account on its own either way).
  const accounts = new Limiter(ACCOUNTS_AT_ONCE);

  try {
    await Promise.all(
      principals.map((principal) =>
        accounts.run(async () => {
          const { label, credentials } = principal;
          const unusable = await credentialsFailure(principal);
          if (unusable) {
            failures.push(unusable.failure);
            notChecked.push(unusable.notChecked);
            if (principal.roleArn) progress.warn(`${unusable.notChecked.what}: ${unusable.notChecked.why}`);
            return;
          }
          // The region and endpoints of the profile whose settings apply (an assumed role's: the caller's), as aws-cli reads them.
          const settings = await profileSettings(principal.regionProfile, options.env);
          const calls = callOptions(options, counter, settings);
          const regionSource = options.regions.length ? '--region' : options.allRegions ? '--all-regions' : settings.region?.source;
          const clientsFor = (region: string, buckets?: () => RequestBuckets | undefined) => {
            const clients = createClients({
              region,
              ...(principal.profile !== undefined && { profile: principal.profile }),
              ...calls,
              credentials,
              buckets,
            });
            options.onClients?.(clients, region);
            return clients;
          };

          let regions = options.regions;
          if (regions.length === 0) {
            const home = settings.region?.name;
            if (!options.allRegions) {
              if (!home) throw new LbcheckError(principal.regionProfile ? `${NO_REGION_MESSAGE} (profile ${principal.regionProfile} has none)` : NO_REGION_MESSAGE);
              regions = [home];
            } else {
              regions = await enabledRegions(clientsFor(home ?? 'us-east-1'), home ?? 'us-east-1', failures, notChecked, label, principal.account);
              progress.step(`${label}: ${regions.length} enabled regions`);
            }
          }

          await Promise.all(
            regions.map(async (region) => {
              // Paced to the buckets of the account (from the role's ARN, or as STS names it; when it could not: per principal). Called only once `run` exists.
              const scopeBuckets = () => bucketsOf(run.account === 'unknown' ? label : run.account, region);
              const clients = clientsFor(region, scopeBuckets);
              const run = new ScopeRun(clients, region, principal.account ?? 'unknown', new Limiter(options.concurrency), options.pageSize);
              if (options.needs) run.needs = options.needs;
              const scopeStarted = performance.now();
              const reportCalls = (finished: boolean) =>
                progress.collection?.({
                  scope: `${region} (${run.account === 'unknown' ? (principal.profile ?? 'default credentials') : run.account})`,
                  done: run.callsDone,
                  planned: run.callsPlanned,
                  secondsLeft: secondsLeft(run, scopeBuckets(), performance.now() - scopeStarted),
                  finished,
                });
              run.onCallsChanged = () => reportCalls(false);
              try {
                const outcome = await collectScope(run, { profile: principal.profile, endpoint, signal: options.signal, filter: options.loadBalancerFilter, progress });
                reportCalls(true);
                notChecked.push(...outcome.notChecked);
                failures.push(...outcome.failures);
                progress.debug(`${region} (${label}): collected in ${Math.round(performance.now() - scopeStarted)} ms`);
                for (const gap of outcome.notChecked) progress.debug(`${region}: not checked: ${gap.what}: ${gap.why}`);
                if (outcome.scope) {
                  scopes.push(outcome.scope);
                  collectedBy.set(outcome.scope, principal);
                  const skipped = outcome.notChecked.length ? `; ${outcome.notChecked.length} not checked` : '';
                  // Which region and endpoints were used, and why: aws-cli's settings are many, and their precedence subtle.
                  progress.step(`${summary(outcome.scope)}${skipped}; region from ${regionSource ?? 'AWS'}, ${whereCallsGo(calls.endpoints ?? {})}`);
                } else {
                  emptyRegions.push(`${region} (${label}): nothing collected (${outcome.notChecked[0]?.why ?? 'unknown reason'})`);
                }
              } finally {
                destroyClients(clients);
              }
            }),
          );
        }),
      ),
    );
  } finally {
    roles?.close();
  }

  // When nothing at all was collected, the one error line says it all (unless --max-time cut the collection short:
  // the audit reports that); otherwise each empty region is worth a warning.
  if (scopes.length === 0 && !options.signal?.aborted) throw nothingCollectedError(failures, notChecked, endpoint);
  for (const line of emptyRegions) progress.warn(line);
  const collectedWith = (scope: Scope) => principalName(collectedBy.get(scope));
  scopes.sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || collectedWith(a).localeCompare(collectedWith(b)));
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: VERSION },
    collectedAt: new Date().toISOString(),
    scopes: withoutDuplicateScopes(scopes, collectedWith, progress),
    notChecked,
    stats: { apiCalls: { ...counter.byOperation }, durationMs: Math.round(performance.now() - started) },
  };
}

/**
 * Two profiles (or roles) that reach the same account see the same region twice: keep the
 * first (scopes are sorted), so no load balancer is checked and counted twice, and say so.
 */
function withoutDuplicateScopes(scopes: readonly Scope[], collectedWith: (scope: Scope) => string, progress: Progress): Scope[] {
  const kept = new Map<string, Scope>();
  for (const scope of scopes) {
    const key = `${scope.account} ${scope.region}`;
    const first = kept.get(key);
    if (first && scope.account !== 'unknown') {
      progress.warn(`${collectedWith(scope)} reaches account ${scope.account} in ${scope.region}, already collected with ${collectedWith(first)}: checked once`);
      continue;
    }
    kept.set(scope.account === 'unknown' ? `${key} ${kept.size}` : key, scope);
  }
  return [...kept.values()];
}

/** How the duplicate-scope warning names whose credentials collected a scope: `role NAME` (its account is in the line), `profile NAME`, or the default credentials. */
function principalName(principal: Principal | undefined): string {
  if (principal?.roleArn) return `role ${roleArnParts(principal.roleArn)?.name ?? principal.roleArn}`;
  return principal?.label ?? 'the default credentials';
}

/**
 * The time a scope's collection has left: the calls asked for and not yet answered, at the rate of the
 * slowest request bucket calls wait on; when none is waited on, at the rate calls have been answered so far.
 */
function secondsLeft(run: ScopeRun, buckets: RequestBuckets | undefined, elapsedMs: number): number | undefined {
  const remaining = run.callsPlanned - run.callsDone;
  const rate = buckets?.waitedOnRate() ?? (run.callsDone > 0 ? run.callsDone / (elapsedMs / 1000) : undefined);
  return rate ? remaining / rate : undefined;
}

/** The regions enabled for the account: EC2 DescribeRegions without AllRegions lists only those. */
async function enabledRegions(
  clients: AwsClients,
  homeRegion: string,
  failures: CallFailure[],
  notChecked: NotChecked[],
  label: string,
  account: string | undefined,
): Promise<string[]> {
  try {
    const out = await clients.ec2.send(
      new DescribeRegionsCommand({
        AllRegions: false,
        Filters: [{ Name: 'opt-in-status', Values: ['opt-in-not-required', 'opted-in'] }],
      }),
    );
    return (out.Regions ?? []).flatMap((r) => (r.RegionName ? [r.RegionName] : [])).sort();
  } catch (error) {
    const { kind, reason } = classifyError(error);
    failures.push({ operation: 'ec2:DescribeRegions', kind, reason });
    notChecked.push({ what: `the enabled regions for ${label} (ec2:DescribeRegions in ${homeRegion})`, why: reason, region: homeRegion, ...(account !== undefined && { account }) });
    return [];
  } finally {
    destroyClients(clients);
  }
}
