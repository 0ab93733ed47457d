/**
 * An HTTP proxy in front of moto_server that behaves like AWS under load: it meters every
 * read-only call in AWS's documented token buckets (per access key, region and API family:
 * one bucket per ELB API version, one per EC2 action), answers a call that finds its bucket
 * empty with AWS's own throttling error (ELB: 400 `Throttling` "Rate exceeded"; EC2: 503
 * `RequestLimitExceeded`), and adds a fixed latency to every answer. It counts calls and
 * throttled calls per family. moto itself has no limits (../shared/MOTO.md).
 *
 * `throttle` replaces the buckets with a rule of the test's own (throttle the 1st and 2nd
 * DescribeSubnets, say), for tests of what the collector does when throttled; `deny` answers
 * the calls it picks with AWS's own permission error (ELB and STS: 403 `AccessDenied`; EC2:
 * 403 `UnauthorizedOperation`), for tests of what an audit does without a permission, or of a
 * role that cannot be assumed (moto lets anyone assume any role).
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AWS_REQUEST_BUCKETS, bucketKey, TokenBucket, type ApiFamily, type BucketSize } from '../../src/aws/limiter.js';

/** Query-API versions that tell the two ELB APIs apart (both sign as `elasticloadbalancing`). */
const ELB_VERSIONS: Record<string, ApiFamily> = { '2015-12-01': 'elbv2', '2012-06-01': 'elb' };

export interface AwsCall {
  action: string;
  /** The action as IAM names it, from the SigV4 signing name: `ec2:DescribeSubnets`, `elasticloadbalancing:DescribeTags`, `sts:GetCallerIdentity`. */
  iamAction: string;
  /** undefined: not metered (STS, or an API lbcheck has no bucket for). */
  family?: ApiFamily;
  region: string;
  accessKeyId: string;
  /** The call's parameters (`RoleArn` of an AssumeRole, say). */
  params: URLSearchParams;
}

export interface AwsLimitsProxyOptions {
  upstream: string;
  /** Added to every answer, throttled or not (default 0). */
  latencyMs?: number;
  /** Bucket sizes (default: AWS's documented ones). */
  buckets?: Record<ApiFamily, BucketSize>;
  /** Throttle by a rule instead of buckets: `nth` counts this action's calls from 1. */
  throttle?: (action: string, nth: number) => boolean;
  /** Answer the calls it picks with AWS's permission error, before any bucket. */
  deny?: (call: AwsCall) => boolean;
  /**
   * Answer the calls it picks itself, before any bucket: `hold` accepts the request and never
   * answers (a hung endpoint), `{ status, body }` answers that (an empty or unparsable 200).
   */
  answer?: (call: AwsCall) => 'hold' | { status: number; body: string } | undefined;
  /** Called with each call as it arrives (a test aborting when a held call is in flight). */
  onCall?: (call: AwsCall) => void;
}

type FamilyCounts = Record<ApiFamily | 'other', number>;
const zeroCounts = (): FamilyCounts => ({ elbv2: 0, elb: 0, ec2: 0, other: 0 });

/** What a signed query-API request is: its action, API family, region and access key. */
export function awsCallOf(headers: IncomingMessage['headers'], body: string): AwsCall {
  const form = new URLSearchParams(body);
  const action = form.get('Action') ?? '';
  // Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/elasticloadbalancing/aws4_request, ...
  const [accessKeyId = '', , region = '', service = ''] = /Credential=([^,\s]+)/.exec(headers.authorization ?? '')?.[1]?.split('/') ?? [];
  const family: ApiFamily | undefined = service === 'ec2' ? 'ec2' : service === 'elasticloadbalancing' ? ELB_VERSIONS[form.get('Version') ?? ''] : undefined;
  return { action, iamAction: `${service}:${action}`, family, region, accessKeyId, params: form };
}

function isReadOnly(action: string): boolean {
  return /^(Describe|Get|List)/.test(action);
}

/** AWS's own throttling answer: ELB's query API says `Throttling` (HTTP 400), EC2's `RequestLimitExceeded` (HTTP 503). */
function sendThrottled(res: ServerResponse, family: ApiFamily | undefined): void {
  if (family === 'ec2') {
    res.writeHead(503, { 'content-type': 'text/xml' });
    res.end('<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>throttled</RequestID></Response>');
    return;
  }
  res.writeHead(400, { 'content-type': 'text/xml' });
  res.end('<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>throttled</RequestId></ErrorResponse>');
}

/** AWS's answer to a call the caller has no permission for (EC2 words it its own way; AssumeRole names the role). */
function sendDenied(res: ServerResponse, call: AwsCall): void {
  const roleArn = call.action === 'AssumeRole' ? call.params.get('RoleArn') : null;
  res.writeHead(403, { 'content-type': 'text/xml' });
  if (call.family === 'ec2') {
    res.end('<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>denied</RequestID></Response>');
    return;
  }
  res.end(
    `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: ${call.iamAction}${roleArn ? ` on resource: ${roleArn}` : ''}</Message></Error><RequestId>denied</RequestId></ErrorResponse>`,
  );
}

export class AwsLimitsProxy {
  /** Every action seen, in order (throttled ones too). */
  readonly seen: string[] = [];
  /** HTTP requests per API family, throttled ones included. */
  readonly calls = zeroCounts();
  readonly throttled = zeroCounts();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly seenPerAction = new Map<string, number>();
  private server: Server | undefined;

  constructor(private readonly options: AwsLimitsProxyOptions) {}

  /** Starts listening on a free loopback port; returns the endpoint URL to give the SDK. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.answer(req, res, Buffer.concat(chunks)));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Calls and throttled calls of every family, zeroed (between measurements). */
  resetCounts(): void {
    for (const counts of [this.calls, this.throttled]) Object.assign(counts, zeroCounts());
    this.seen.length = 0;
    this.seenPerAction.clear();
  }

  private admits(call: AwsCall): boolean {
    const nth = (this.seenPerAction.get(call.action) ?? 0) + 1;
    this.seenPerAction.set(call.action, nth);
    if (this.options.throttle) return !this.options.throttle(call.action, nth);
    if (!call.family || !isReadOnly(call.action)) return true;
    const key = `${call.accessKeyId}/${call.region}/${bucketKey(call.family, call.action)}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket((this.options.buckets ?? AWS_REQUEST_BUCKETS)[call.family]);
      this.buckets.set(key, bucket);
    }
    return bucket.tryTake();
  }

  private async answer(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const call = awsCallOf(req.headers, body.toString());
    const family = call.family ?? 'other';
    this.seen.push(call.action);
    this.calls[family] += 1;
    this.options.onCall?.(call);
    const own = this.options.answer?.(call);
    if (own === 'hold') return;
    if (own) {
      res.writeHead(own.status, { 'content-type': 'text/xml' }).end(own.body);
      return;
    }
    if (this.options.deny?.(call)) {
      sendDenied(res, call);
      return;
    }
    const admitted = this.admits(call);
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    if (!admitted) {
      this.throttled[family] += 1;
      sendThrottled(res, call.family);
      return;
    }
    const target = new URL(this.options.upstream);
    const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  }
}
