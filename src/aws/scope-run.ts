/**
 * The state of collecting one (account, region) scope: its clients, the shared limiter,
 * and the calls that failed. Every AWS call of a collector goes through `call` or `list`,
 * so a failure becomes a `notChecked` entry naming the operation, the region and AWS's
 * error code and message, and collection goes on with the rest.
 */
import { collectionOfCall } from '../inventory/completeness.js';
import type { NotChecked, Unread } from '../inventory/model.js';
import { FULL_COLLECTION, NOT_NEEDED_WHY, type CollectionNeeds } from '../engine/needs.js';
import { endpointOfError, type AwsClients } from './clients.js';
import type { Limiter } from './limiter.js';
import { redactUrlCredentials } from '../text-safety.js';

/** network: no HTTP answer; credentials: none found; rejected: AWS refused the credentials themselves; service: any other AWS error. */
export type FailureKind = 'network' | 'credentials' | 'rejected' | 'service';

/** Error codes with which AWS refuses the credentials of every call, not one permission. */
const REJECTED_CREDENTIAL_CODES = new Set([
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'AuthFailure',
  'InvalidAccessKeyId',
]);

export interface CallFailure {
  operation: string;
  kind: FailureKind;
  /** `Code: message`, e.g. `AccessDenied: User ... is not authorized to perform ...`. */
  reason: string;
  /** The --profile whose credentials could not be loaded (credentials failures). */
  profile?: string;
  /** Where the call went, when known: a service's own endpoint (AWS_ENDPOINT_URL_<SERVICE>) may differ from the others'. */
  endpoint?: string;
}

/** What kind of failure an SDK error is, and its one-line reason. */
/** "sts:GetCallerIdentity: no answer within 1 s": a timeout names the call that waited; other reasons speak for themselves. */
export function failureText(failure: CallFailure): string {
  return /^no answer within /.test(failure.reason) ? `${failure.operation}: ${failure.reason}` : failure.reason;
}

/** "cannot reach AWS at URL (SOURCE): REASON": the endpoint the failed call went to, else `endpoint` (the collection's). */
export function unreachableText(failure: CallFailure, endpoint: string): string {
  return `cannot reach AWS at ${failure.endpoint ?? endpoint}: ${failureText(failure)}`;
}

export function classifyError(error: unknown): { kind: FailureKind; reason: string; endpoint?: string } {
  const endpoint = endpointOfError(error);
  const { kind, reason } = kindAndReason(error);
  // The reason goes into reports and onto stderr: a URL in AWS's (or a proxy's) message keeps no credentials.
  return { kind, reason: redactUrlCredentials(reason), ...(endpoint !== undefined && { endpoint }) };
}

function kindAndReason(error: unknown): { kind: FailureKind; reason: string } {
  if (!(error instanceof Error)) return { kind: 'service', reason: String(error) };
  const message = (error.message.split('\n')[0] ?? '').trim();
  if (error.name === 'CredentialsProviderError') return { kind: 'credentials', reason: message };
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  // Service errors carry AWS's error code as their name; errors that never got an HTTP answer are the network's.
  if (status !== undefined) {
    return { kind: REJECTED_CREDENTIAL_CODES.has(error.name) ? 'rejected' : 'service', reason: message ? `${error.name}: ${message}` : error.name };
  }
  if (error.name === 'CallDeadlineError') return { kind: 'network', reason: message };
  // It answered, with nothing lbcheck can read: that call failed, the endpoint is there.
  if (error.name === 'UnreadableAnswerError') return { kind: 'service', reason: message };
  // The SDK's requestTimeout error is a log line ("@smithy/node-http-handler - [ERROR] a request has exceeded the configured 300 ms requestTimeout."): say it in lbcheck's words.
  const perAttempt = /exceeded the configured (\d+) ms requestTimeout/.exec(message);
  if (perAttempt) return { kind: 'network', reason: `no answer within ${Number(perAttempt[1]) / 1000} s` };
  const code = (error as { code?: string }).code ?? error.name;
  return { kind: 'network', reason: message.includes(code) ? message : `${code}: ${message}` };
}

/** Error codes AWS query APIs answer an operation they do not have with. */
const UNSUPPORTED_OPERATION_CODES = new Set(['InvalidAction', 'UnknownOperationException', 'UnsupportedOperation', 'NotImplemented']);

/** Clamps a requested page size into the range an API accepts; undefined asks for the largest page. */
export function pageSizeFor(requested: number | undefined, min: number, max: number): number {
  return requested === undefined ? max : Math.min(max, Math.max(min, requested));
}

export class ScopeRun {
  readonly notChecked: NotChecked[] = [];
  readonly failures: CallFailure[] = [];
  /** The collections not read completely, for the scope's `unread`. */
  readonly unread: Unread[] = [];
  /** Calls finished, and calls asked for so far (waiting for a slot or a token, in flight, or finished), for live progress. */
  callsDone = 0;
  callsPlanned = 0;
  /** Told whenever either count changes. */
  onCallsChanged?: () => void;
  /** The optional data to fetch (CollectOptions.needs): what the selected rules read. */
  needs: CollectionNeeds = FULL_COLLECTION;

  constructor(
    readonly clients: AwsClients,
    readonly region: string,
    public account: string,
    private readonly limiter: Limiter,
    /** Page size for listings that take one (tests use a small one to exercise pagination). */
    readonly pageSize?: number,
  ) {}

  /**
   * Records a failed call: a notChecked entry, and (for a call that reads a collection) an
   * `unread` entry for the resources it was for (`resources` absent: the whole scope).
   */
  private fail(operation: string, what: string, error: unknown, resources: readonly string[] | undefined, itemsRead = 0): void {
    const { kind, reason, endpoint } = classifyError(error);
    const failure: CallFailure = { operation, kind, reason, ...(endpoint !== undefined && { endpoint }) };
    this.failures.push(failure);
    const suffix = itemsRead > 0 ? `; incomplete after ${itemsRead}` : '';
    this.notChecked.push({
      what: `${what} (${operation} in ${this.region}${suffix})`,
      // A call that got no answer says where it went: one service may have an endpoint of its own.
      why: kind === 'network' && endpoint !== undefined ? unreachableText(failure, endpoint) : reason,
      region: this.region,
      account: this.account,
      call: operation,
    });
    const collection = collectionOfCall(operation);
    if (collection) {
      this.unread.push({ collection, read: itemsRead > 0 ? 'partly' : 'none', call: operation, why: reason, ...(resources && { resources: [...resources] }) });
    }
  }

  /** Counts a call from when it is asked for until it is answered. */
  private async counted<T>(work: () => Promise<T>): Promise<T> {
    this.callsPlanned += 1;
    this.onCallsChanged?.();
    try {
      return await work();
    } finally {
      this.callsDone += 1;
      this.onCallsChanged?.();
    }
  }

  /** One call for `resources` (absent: for the whole scope). On failure: a notChecked entry for `what`, and undefined. */
  async call<T>(operation: string, what: string, send: () => Promise<T>, resources?: readonly string[]): Promise<T | undefined> {
    try {
      return await this.counted(() => this.limiter.run(send));
    } catch (error) {
      this.fail(operation, what, error, resources);
      return undefined;
    }
  }

  /**
   * A call to an API that some endpoints do not have (a newer API, an emulator): when the
   * endpoint does not know the operation, 'unsupported' (no notChecked entry: the setting
   * it reads cannot have been changed there either); any other failure is recorded as usual.
   */
  async callIfSupported<T>(operation: string, what: string, send: () => Promise<T>, resources?: readonly string[]): Promise<T | 'unsupported' | undefined> {
    try {
      return await this.counted(() => this.limiter.run(send));
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (UNSUPPORTED_OPERATION_CODES.has(name)) return 'unsupported';
      this.fail(operation, what, error, resources);
      return undefined;
    }
  }

  /**
   * Every item of a paginated listing (its pages are fetched one after another in one
   * limiter slot). On failure after some pages, the items so far are kept and the
   * notChecked entry says the listing is incomplete; `complete` tells the caller.
   */
  async list<Page, Item>(
    operation: string,
    what: string,
    pages: () => AsyncIterable<Page>,
    itemsOf: (page: Page) => Item[] | undefined,
    resources?: readonly string[],
  ): Promise<{ items: Item[]; complete: boolean }> {
    const items: Item[] = [];
    try {
      await this.counted(() =>
        this.limiter.run(async () => {
          let pagesRead = 0;
          for await (const page of pages()) {
            items.push(...(itemsOf(page) ?? []));
            // Each page after the first is one more call, counted once it is in.
            if (++pagesRead > 1) {
              this.callsPlanned += 1;
              this.callsDone += 1;
              this.onCallsChanged?.();
            }
          }
        }),
      );
      return { items, complete: true };
    } catch (error) {
      this.fail(operation, what, error, resources, items.length);
      return { items, complete: false };
    }
  }

  /**
   * Records optional data left out because no selected rule reads it: an `unread` entry marked
   * `notNeeded` (no notChecked entry: nothing failed), so an audit of the snapshot with a rule
   * that does read it says "not collected" instead of passing on a default.
   */
  leaveOut(operation: string, resources: readonly string[]): void {
    const collection = collectionOfCall(operation);
    if (!collection || resources.length === 0) return;
    this.unread.push({ collection, read: 'none', call: operation, why: NOT_NEEDED_WHY, resources: [...resources], notNeeded: true });
  }

  /** A notChecked entry that is not a failed call (e.g. a resource lbcheck cannot evaluate). */
  note(what: string, why: string): void {
    this.notChecked.push({ what, why, region: this.region, account: this.account });
  }
}
