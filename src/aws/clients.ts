/**
 * The AWS SDK clients lbcheck uses, configured once: adaptive retries, a short connect
 * timeout (an unreachable endpoint fails in seconds, not minutes), the endpoint from
 * --endpoint-url or AWS_ENDPOINT_URL, credentials from the default provider chain (env,
 * shared config/credentials files, SSO, container/instance metadata) or a named profile,
 * and a middleware that counts every call.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider, DeserializeHandler, DeserializeHandlerArguments, FinalizeHandler, FinalizeHandlerArguments, HandlerExecutionContext, MiddlewareStack } from '@smithy/types';
import { CallDeadlineError } from '../errors.js';
import type { ApiFamily, RequestBuckets } from './limiter.js';

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
  /** Overrides AWS_ENDPOINT_URL; when both are absent the SDK's regional endpoints are used. */
  endpointUrl?: string;
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

/**
 * Every send of `client` gets a deadline (and the audit's own signal, for --max-time): the
 * SDK hands the signal to each HTTP attempt and stops retrying once it is aborted.
 */
function withDeadline(client: { send: (...args: never[]) => unknown }, callMs: number, signal: AbortSignal | undefined): void {
  const send = (client.send as (command: unknown, options?: { abortSignal?: AbortSignal }) => Promise<unknown>).bind(client);
  const deadlined = (command: unknown, options?: { abortSignal?: AbortSignal }) => {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new CallDeadlineError(`no answer within ${callMs / 1000} s`)), callMs);
    const signals = [deadline.signal, ...(signal ? [signal] : []), ...(options?.abortSignal ? [options.abortSignal] : [])];
    const combined = AbortSignal.any(signals);
    return send(command, { ...options, abortSignal: combined })
      .catch((error: unknown) => {
        // The SDK rejects with a bare "Request aborted": say which deadline ended the call.
        throw combined.aborted && combined.reason instanceof Error ? combined.reason : error;
      })
      .finally(() => clearTimeout(timer));
  };
  Object.assign(client, { send: deadlined });
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

/** The credentials provider for a profile (or the default chain). Create one per profile and share it between that profile's clients: it caches what it resolves. */
export function credentialsFor(profile: string | undefined): AwsCredentialIdentityProvider {
  return fromNodeProviderChain(profile ? { profile } : {});
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
      await bucket.take();
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

/** What every client of a scope shares: region, credentials, retries, per-attempt timeouts, and the endpoint override. */
function clientConfig(options: ClientOptions) {
  const timeouts = options.timeouts ?? DEFAULT_CALL_TIMEOUTS;
  return {
    region: options.region,
    profile: options.profile,
    credentials: options.credentials ?? credentialsFor(options.profile),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: timeouts.connectMs, requestTimeout: timeouts.responseMs, throwOnRequestTimeout: true, logger: quietLogger },
    // Without endpointUrl the SDK still honours AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>) itself.
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
  };
}

/** Counted calls, each with a deadline (and the audit's signal). */
function instrument<Input extends object, Output extends object>(
  client: { middlewareStack: MiddlewareStack<Input, Output>; send: (...args: never[]) => unknown },
  service: AwsService,
  options: ClientOptions,
): void {
  countCalls(client, service, options.counter);
  withDeadline(client, (options.timeouts ?? DEFAULT_CALL_TIMEOUTS).callMs, options.signal);
}

/**
 * An STS client for a scope, configured as its other clients are (endpoint override, deadlines, call
 * counting, unreadable answers refused): for GetCallerIdentity and for assuming roles (--role-arn, --org-role).
 */
export function createStsClient(options: ClientOptions): STSClient {
  const client = new STSClient(clientConfig(options));
  instrument(client, 'sts', options);
  refuseUnreadableAnswers(client);
  return client;
}

/**
 * An Organizations client (--org-role lists the organization's accounts), configured as the other clients.
 * Organizations answers in JSON, not the query protocol's XML, so isAnswerTo does not apply to it.
 */
export function createOrganizationsClient(options: ClientOptions): OrganizationsClient {
  const client = new OrganizationsClient(clientConfig(options));
  instrument(client, 'organizations', options);
  return client;
}

export function createClients(options: ClientOptions): AwsClients {
  const config = clientConfig(options);
  const clients: AwsClients = {
    ec2: new EC2Client(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    elb: new ElasticLoadBalancingClient(config),
    sts: createStsClient({ ...options, credentials: config.credentials }),
  };
  instrument(clients.ec2, 'ec2', options);
  instrument(clients.elbv2, 'elasticloadbalancing', options);
  instrument(clients.elb, 'elasticloadbalancing', options);
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
