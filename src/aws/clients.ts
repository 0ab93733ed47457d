/**
 * The AWS SDK clients lbcheck uses, configured once: adaptive retries, a short connect
 * timeout (an unreachable endpoint fails in seconds, not minutes), each client's endpoint as
 * the caller resolved it (--endpoint-url, or the profile's: src/aws/shared-config.ts), credentials from the default provider chain (env,
 * shared config/credentials files, SSO, container/instance metadata) or a named profile,
 * and a middleware that counts every call.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, DeserializeHandler, DeserializeHandlerArguments, FinalizeHandler, FinalizeHandlerArguments, HandlerExecutionContext, MiddlewareStack } from '@smithy/types';
import { CallDeadlineError } from '../errors.js';
import { describeEndpoint, type ConfiguredEndpoint } from './endpoint.js';
import type { ApiFamily, RequestBuckets } from './limiter.js';
import type { ClientEndpoints, ClientName } from './shared-config.js';

// lbcheck supports Node >= 20.18 (package.json engines); the SDK's multi-line notice about its own future
// Node support would break lbcheck's one-line stderr on every run under Node 20. A user's explicit setting wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** IAM service prefix of each client, as policy actions name them (`ec2:DescribeSubnets`). */
export type AwsService = 'ec2' | 'elasticloadbalancing' | 'sts' | 'organizations';

/**
 * Counts API calls per operation. One count per logical call (one `client.send`),
 * whatever the number of HTTP attempts the retry strategy makes for it: that is the
 * number a user can relate to their CloudTrail events by operation and to the IAM
 * actions lbcheck needs. Pages of a paginated listing are separate calls and each count.
 */
export class ApiCallCounter {
  /** Operation name -> calls, as the report's stats.apiCalls shows it (Classic and elbv2 share names). */
  readonly byOperation: Record<string, number> = {};
  /** IAM action (`service:Operation`) -> calls; what iam-policy.json must allow. */
  readonly byAction: Record<string, number> = {};

  record(service: AwsService, operation: string): void {
    this.byOperation[operation] = (this.byOperation[operation] ?? 0) + 1;
    const action = `${service}:${operation}`;
    this.byAction[action] = (this.byAction[action] ?? 0) + 1;
  }

  get total(): number {
    return Object.values(this.byOperation).reduce((sum, n) => sum + n, 0);
  }
}

export interface AwsClients {
  ec2: EC2Client;
  elbv2: ElasticLoadBalancingV2Client;
  elb: ElasticLoadBalancingClient;
  sts: STSClient;
}

export interface ClientOptions {
  region: string;
  profile?: string;
  /** Every client's endpoint (--endpoint-url): overrides `endpoints`. */
  endpointUrl?: string;
  /**
   * Each client's endpoint, as src/aws/shared-config.ts resolved it for the profile; a client absent from it uses
   * AWS's regional endpoint. Absent (and no endpointUrl): the SDK reads AWS_ENDPOINT_URL* and the default profile itself.
   */
  endpoints?: ClientEndpoints;
  counter: ApiCallCounter;
  /** Attempts per call including the first (adaptive retry mode). */
  maxAttempts?: number;
  /** Explicit credentials (tests); default: the provider chain for `profile`. */
  credentials?: AwsCredentialIdentityProvider;
  /** Deadlines of each call (default DEFAULT_CALL_TIMEOUTS). */
  timeouts?: CallTimeouts;
  /** Aborts every call in flight (the audit's --max-time). */
  signal?: AbortSignal;
  /** The request buckets of this client's account and region, once known (undefined: not paced). */
  buckets?: () => RequestBuckets | undefined;
}

/** Enough to ride out throttling bursts with adaptive backoff, few enough that a dead endpoint fails in seconds. */
export const DEFAULT_MAX_ATTEMPTS = 4;

/**
 * How long an AWS call may take. `connectMs` and `responseMs` bound each HTTP attempt (the
 * SDK's connectionTimeout and requestTimeout, the latter made an error: by default the SDK
 * only logs a warning and keeps waiting); `callMs` bounds the whole call, retries and their
 * backoff included, so no endpoint that accepts connections and never answers can hold an
 * audit for ever.
 */
export interface CallTimeouts {
  connectMs: number;
  responseMs: number;
  callMs: number;
}

export const DEFAULT_CALL_TIMEOUTS: CallTimeouts = { connectMs: 3_000, responseMs: 20_000, callMs: 60_000 };

/** The SDK's handler logs to the console by default; its lines never reach lbcheck's stderr (the errors they describe do, as lbcheck lines). */
const quietLogger = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** The endpoint each failed call went to, as error lines name it (set by `withDeadline`). */
const ENDPOINT_OF_ERROR = new WeakMap<object, string>();

/** "http://127.0.0.1:5000 (AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2)", or the regional URL: where the call that threw `error` went. */
export function endpointOfError(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? ENDPOINT_OF_ERROR.get(error) : undefined;
}

/**
 * One call's deadline. It bounds the AWS round trip (every attempt, retries and their backoff), not
 * lbcheck's own pacing: it stands still while the call waits for a request token (paceCalls), as
 * the wait for a --concurrency slot comes before the call starts. --max-time bounds the whole run.
 */
class CallDeadline {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private runningSince = 0;

  constructor(
    private remainingMs: number,
    private readonly expire: () => void,
  ) {
    this.resume();
  }

  pause(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.remainingMs -= performance.now() - this.runningSince;
  }

  resume(): void {
    if (this.timer !== undefined) return;
    this.runningSince = performance.now();
    this.timer = setTimeout(this.expire, Math.max(0, this.remainingMs));
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** The deadline of the call a middleware runs for (the SDK's middleware context does not carry the send's options). */
const currentDeadline = new AsyncLocalStorage<CallDeadline>();

/**
 * Every send of `client` gets a deadline (and the audit's own signal, for --max-time): the
 * SDK hands the signal to each HTTP attempt and stops retrying once it is aborted. A call that
 * fails says where it went (`endpointOfError`): `where` names the client's endpoint.
 */
function withDeadline(client: { send: (...args: never[]) => unknown }, callMs: number, signal: AbortSignal | undefined, where: () => string | undefined): void {
  const send = (client.send as (command: unknown, options?: { abortSignal?: AbortSignal }) => Promise<unknown>).bind(client);
  const deadlined = (command: unknown, options?: { abortSignal?: AbortSignal }) => {
    const deadline = new AbortController();
    const timer = new CallDeadline(callMs, () => deadline.abort(new CallDeadlineError(`no answer within ${callMs / 1000} s`)));
    const signals = [deadline.signal, ...(signal ? [signal] : []), ...(options?.abortSignal ? [options.abortSignal] : [])];
    const combined = AbortSignal.any(signals);
    return currentDeadline
      .run(timer, () => send(command, { ...options, abortSignal: combined }))
      .catch((error: unknown) => {
        // The SDK rejects with a bare "Request aborted": say which deadline ended the call.
        const thrown: unknown = combined.aborted && combined.reason instanceof Error ? combined.reason : error;
        // Not the audit's own reason: it is one object shared by every call it ends.
        const endpoint = where();
        if (endpoint !== undefined && typeof thrown === 'object' && thrown !== null && thrown !== signal?.reason) ENDPOINT_OF_ERROR.set(thrown, endpoint);
        throw thrown;
      })
      .finally(() => timer.clear());
  };
  Object.assign(client, { send: deadlined });
}

/** Remembers the URL the SDK resolved for the client's calls (its regional endpoint, when none was configured). */
function recordResolvedEndpoint<Input extends object, Output extends object>(client: { middlewareStack: MiddlewareStack<Input, Output> }, record: (url: string) => void): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const url = (context as { endpointV2?: { url?: URL } }).endpointV2?.url;
      if (url) record(url.origin + url.pathname.replace(/\/+$/, ''));
      return next(args);
    },
    // After the serialize step, where the SDK resolves the endpoint of each call.
    { step: 'build', name: 'lbcheckResolvedEndpoint' },
  );
}

/** A call AWS answered with HTTP 200 and a body that is not the operation's answer (empty, HTML from a proxy, garbage). */
export class UnreadableAnswerError extends Error {
  override name = 'UnreadableAnswerError';
}

/** `<DescribeSubnetsResponse ...>...</DescribeSubnetsResponse>`: the root element of every query-protocol answer (EC2, ELB, STS). */
function isAnswerTo(operation: string, text: string): boolean {
  const root = `${operation}Response`;
  return new RegExp(`^\\s*(<\\?xml[^>]*\\?>\\s*)?<${root}[\\s>][\\s\\S]*</${root}>\\s*$`).test(text);
}

/**
 * An HTTP 200 whose body is not the operation's answer is an error, not an empty result: the SDK
 * parses an empty body (or any XML) as an answer with nothing in it, which would read as an
 * account without load balancers. Sits below the deserializer, so it sees the raw body.
 */
function refuseUnreadableAnswers<Input extends object, Output extends object>(client: { middlewareStack: MiddlewareStack<Input, Output> }): void {
  client.middlewareStack.add(
    (next: DeserializeHandler<Input, Output>, context: HandlerExecutionContext) => async (args: DeserializeHandlerArguments<Input>) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; body?: unknown };
      if (response.statusCode !== 200 || !isAsyncIterable(response.body)) return result;
      const chunks: Uint8Array[] = [];
      for await (const chunk of response.body) chunks.push(chunk as Uint8Array);
      const body = Buffer.concat(chunks);
      const operation = ((context as { commandName?: string }).commandName ?? '').replace(/Command$/, '');
      const text = body.toString('utf8');
      if (!isAnswerTo(operation, text)) {
        throw new UnreadableAnswerError(`could not read the answer to ${operation}: HTTP 200 with ${text.trim() ? `a body that is not a ${operation}Response` : 'an empty body'}`);
      }
      // The stream is spent: the deserializer reads the bytes instead (collectBody takes a Uint8Array as it is).
      response.body = new Uint8Array(body);
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'lbcheckRefuseUnreadableAnswers' },
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Assumes the role a `role_arn` profile names, with the source profile's credentials (the SDK's roleAssumer). */
export type RoleAssumer = (source: AwsCredentialIdentity, params: AssumeRoleCommandInput) => Promise<AwsCredentialIdentity>;

/**
 * The credentials provider for a profile (or the default chain). Create one per profile and share it between that
 * profile's clients: it caches what it resolves. `sts`: where a `role_arn` profile's AssumeRole goes (roleAssumer).
 */
export function credentialsFor(profile: string | undefined, sts?: Omit<ClientOptions, 'credentials' | 'buckets'>): AwsCredentialIdentityProvider {
  return fromNodeProviderChain({ ...(profile && { profile }), ...(sts && { roleAssumer: roleAssumer(sts) }) });
}

function countCalls<Input extends object, Output extends object>(
  client: { middlewareStack: MiddlewareStack<Input, Output> },
  service: AwsService,
  counter: ApiCallCounter,
): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context as { commandName?: string }).commandName ?? 'UnknownCommand';
      counter.record(service, command.replace(/Command$/, ''));
      return next(args);
    },
    // initialize runs once per send, before the retry loop: one count per logical call.
    { step: 'initialize', name: 'lbcheckApiCallCounter' },
  );
}

/** Error codes with which AWS says a request went over its rate (ELB: Throttling, EC2: RequestLimitExceeded). */
const THROTTLING_CODES = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException', 'TooManyRequestsException']);

export function isThrottlingError(error: unknown): boolean {
  return error instanceof Error && THROTTLING_CODES.has(error.name);
}

/**
 * Paces every HTTP attempt (retries too: each one spends a token at AWS) to the account's bucket
 * for its API family, and tells the bucket when AWS throttled it anyway.
 */
function paceCalls<Input extends object, Output extends object>(
  client: { middlewareStack: MiddlewareStack<Input, Output> },
  family: ApiFamily,
  buckets: () => RequestBuckets | undefined,
): void {
  client.middlewareStack.addRelativeTo(
    (next: FinalizeHandler<Input, Output>, context: HandlerExecutionContext) => async (args: FinalizeHandlerArguments<Input>) => {
      const operation = ((context as { commandName?: string }).commandName ?? '').replace(/Command$/, '');
      const bucket = buckets()?.bucket(family, operation);
      if (!bucket) return next(args);
      // Waiting for a token is lbcheck's pacing, not AWS being slow: the call's deadline stands still meanwhile.
      const deadline = currentDeadline.getStore();
      deadline?.pause();
      try {
        await bucket.take();
      } finally {
        deadline?.resume();
      }
      try {
        const output = await next(args);
        bucket.succeeded();
        return output;
      } catch (error) {
        if (isThrottlingError(error)) bucket.throttled();
        throw error;
      }
    },
    // Inside the retry loop (once per attempt, after the retry strategy's own wait), before signing:
    // a request signed before a long wait would carry a stale timestamp.
    { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'lbcheckRequestPacing' },
  );
}

/** Where `client`'s calls go: --endpoint-url, else the endpoint resolved for it, else (undefined) AWS's regional one. */
function endpointFor(client: ClientName, options: Pick<ClientOptions, 'endpointUrl' | 'endpoints'>): ConfiguredEndpoint | undefined {
  return options.endpointUrl !== undefined ? { url: options.endpointUrl, source: '--endpoint-url' } : options.endpoints?.[client];
}

/** What every client of a scope shares: region, credentials, retries, per-attempt timeouts; `endpoint` is the client's own. */
function clientConfig(options: ClientOptions, endpoint: ConfiguredEndpoint | undefined) {
  const timeouts = options.timeouts ?? DEFAULT_CALL_TIMEOUTS;
  return {
    region: options.region,
    profile: options.profile,
    credentials: options.credentials ?? credentialsFor(options.profile),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: timeouts.connectMs, requestTimeout: timeouts.responseMs, throwOnRequestTimeout: true, logger: quietLogger },
    ...(endpoint
      ? { endpoint: endpoint.url }
      : // Resolved by the caller, and none configured: the SDK must not take AWS_ENDPOINT_URL or the default profile's endpoint_url instead.
        options.endpoints && { ignoreConfiguredEndpointUrls: true }),
  };
}

/** Counted calls, each with a deadline (and the audit's signal); a call that fails names its endpoint (`endpointOfError`). */
function instrument<Input extends object, Output extends object>(
  client: { middlewareStack: MiddlewareStack<Input, Output>; send: (...args: never[]) => unknown },
  service: AwsService,
  endpoint: ConfiguredEndpoint | undefined,
  options: ClientOptions,
): void {
  let resolved: string | undefined;
  countCalls(client, service, options.counter);
  recordResolvedEndpoint(client, (url) => (resolved = url));
  withDeadline(client, (options.timeouts ?? DEFAULT_CALL_TIMEOUTS).callMs, options.signal, () => (endpoint ? describeEndpoint(endpoint) : resolved));
}

/**
 * An STS client for a scope, configured as its other clients are (endpoint override, deadlines, call
 * counting, unreadable answers refused): for GetCallerIdentity and for assuming roles (--role-arn, --org-role).
 */
export function createStsClient(options: ClientOptions): STSClient {
  const endpoint = endpointFor('sts', options);
  const client = new STSClient(clientConfig(options, endpoint));
  instrument(client, 'sts', endpoint, options);
  refuseUnreadableAnswers(client);
  return client;
}

/**
 * A RoleAssumer that sends the AssumeRole of a `role_arn` profile through createStsClient: to the same endpoint
 * override as every other call of the profile (the SDK's own role assumer reads only AWS_ENDPOINT_URL* and the
 * default profile's endpoint_url), with a deadline, counted.
 */
export function roleAssumer(options: Omit<ClientOptions, 'credentials' | 'buckets'>): RoleAssumer {
  return async (source, params) => {
    const sts = createStsClient({ ...options, credentials: async () => source });
    try {
      const { Credentials: assumed } = await sts.send(new AssumeRoleCommand(params));
      if (!assumed?.AccessKeyId || !assumed.SecretAccessKey) throw new Error(`sts:AssumeRole of ${params.RoleArn} returned no credentials`);
      return {
        accessKeyId: assumed.AccessKeyId,
        secretAccessKey: assumed.SecretAccessKey,
        ...(assumed.SessionToken !== undefined && { sessionToken: assumed.SessionToken }),
        ...(assumed.Expiration !== undefined && { expiration: assumed.Expiration }),
      };
    } finally {
      sts.destroy();
    }
  };
}

/**
 * An Organizations client (--org-role lists the organization's accounts), configured as the other clients.
 * Organizations answers in JSON, not the query protocol's XML, so isAnswerTo does not apply to it.
 */
export function createOrganizationsClient(options: ClientOptions): OrganizationsClient {
  const endpoint = endpointFor('organizations', options);
  const client = new OrganizationsClient(clientConfig(options, endpoint));
  instrument(client, 'organizations', endpoint, options);
  return client;
}

export function createClients(options: ClientOptions): AwsClients {
  const endpoints = { ec2: endpointFor('ec2', options), elbv2: endpointFor('elbv2', options), elb: endpointFor('elb', options) };
  // One credentials provider for the four clients: it caches what it resolves.
  const shared = { ...options, credentials: options.credentials ?? credentialsFor(options.profile) };
  const clients: AwsClients = {
    ec2: new EC2Client(clientConfig(shared, endpoints.ec2)),
    elbv2: new ElasticLoadBalancingV2Client(clientConfig(shared, endpoints.elbv2)),
    elb: new ElasticLoadBalancingClient(clientConfig(shared, endpoints.elb)),
    sts: createStsClient(shared),
  };
  instrument(clients.ec2, 'ec2', endpoints.ec2, options);
  instrument(clients.elbv2, 'elasticloadbalancing', endpoints.elbv2, options);
  instrument(clients.elb, 'elasticloadbalancing', endpoints.elb, options);
  refuseUnreadableAnswers(clients.ec2);
  refuseUnreadableAnswers(clients.elbv2);
  refuseUnreadableAnswers(clients.elb);
  if (options.buckets) {
    paceCalls(clients.ec2, 'ec2', options.buckets);
    paceCalls(clients.elbv2, 'elbv2', options.buckets);
    paceCalls(clients.elb, 'elb', options.buckets);
  }
  return clients;
}

export function destroyClients(clients: AwsClients): void {
  clients.ec2.destroy();
  clients.elbv2.destroy();
  clients.elb.destroy();
  clients.sts.destroy();
}
