/** Bounds how many AWS calls are in flight at once (--concurrency), shared by every scope of a run. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so a newcomer can never slip in between.
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

/** Time as a token bucket sees it; tests pass a fake one. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
}

export const systemClock: Clock = { now: () => performance.now(), setTimeout: (callback, ms) => setTimeout(callback, ms) };

/** A token bucket's size and refill rate. */
export interface BucketSize {
  capacity: number;
  refillPerSecond: number;
}

/**
 * AWS's documented request buckets, per account and region, for the read-only calls lbcheck makes.
 * - ELB: "the token bucket size for non-mutating API actions is 40 tokens ... refill rate of 10 tokens per
 *   second"; "Each ELB API version has its own buckets and tokens" (v2: ALB/NLB/GWLB, v1: Classic).
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html
 * - EC2: "each API is evaluated individually"; non-mutating actions such as DescribeHosts: 100 tokens, 20 per second.
 *   https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
 */
export const AWS_REQUEST_BUCKETS = {
  elbv2: { capacity: 40, refillPerSecond: 10 },
  elb: { capacity: 40, refillPerSecond: 10 },
  ec2: { capacity: 100, refillPerSecond: 20 },
} as const satisfies Record<string, BucketSize>;

export type ApiFamily = keyof typeof AWS_REQUEST_BUCKETS;

/** The bucket an AWS call draws from: one per ELB API version, one per EC2 action ("ec2:DescribeSubnets"). */
export function bucketKey(family: ApiFamily, operation: string): string {
  return family === 'ec2' ? `ec2:${operation}` : family;
}

/**
 * How far below AWS's bucket lbcheck paces itself: its requests reach AWS a few milliseconds after
 * they leave, not evenly, so a client that spent exactly AWS's tokens would see a request arrive
 * just before the token it needs. 95 % of the rate and 5 % of the burst (at least 2 tokens) absorb that jitter.
 */
export const PACING_HEADROOM = 0.95;

/** The burst lbcheck allows itself: the headroom's share of AWS's, and at least 2 tokens (~200 ms at ELB's rate) in reserve. */
function pacedCapacity(capacity: number, headroom: number): number {
  return Math.max(1, Math.min(Math.floor(capacity * headroom), capacity - 2));
}

/**
 * A client-side token bucket: `take` waits (in arrival order) until a token is there, so lbcheck
 * spends AWS's burst and then paces to the refill rate instead of bouncing off the limit. On a
 * throttling answer (someone else shares the account's bucket) it halves its rate and empties
 * itself; each call that goes through wins back a little of the rate (additive increase).
 */
export class TokenBucket {
  private tokens: number;
  private rate: number;
  private last: number;
  private readonly waiting: (() => void)[] = [];
  private timerPending = false;

  constructor(
    readonly size: BucketSize,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(size.capacity >= 1) || !(size.refillPerSecond > 0)) throw new RangeError(`a token bucket needs capacity >= 1 and a positive rate, got ${JSON.stringify(size)}`);
    this.tokens = size.capacity;
    this.rate = size.refillPerSecond;
    this.last = clock.now();
  }

  /** The rate it paces to now (calls per second). */
  get currentRate(): number {
    return this.rate;
  }

  /** Calls waiting for a token. */
  get queued(): number {
    return this.waiting.length;
  }

  take(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.release();
    });
  }

  /** A token now, or false (no waiting): how AWS's own bucket answers a request. */
  tryTake(): boolean {
    this.refill();
    if (this.waiting.length > 0 || this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** AWS answered with a throttling error: back off at once (multiplicative decrease). */
  throttled(): void {
    this.refill();
    this.rate = Math.max(this.size.refillPerSecond / 16, this.rate / 2);
    this.tokens = Math.min(this.tokens, 0);
  }

  /** A call went through: recover towards the full rate, 2 % of it per call. */
  succeeded(): void {
    this.rate = Math.min(this.size.refillPerSecond, this.rate + this.size.refillPerSecond * 0.02);
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.size.capacity, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }

  private release(): void {
    if (this.timerPending) return;
    this.refill();
    while (this.waiting.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.waiting.shift()?.();
    }
    if (this.waiting.length === 0) return;
    this.timerPending = true;
    const wait = ((1 - this.tokens) / this.rate) * 1000;
    this.clock.setTimeout(() => {
      this.timerPending = false;
      this.release();
    }, Math.ceil(wait));
  }
}

/** The buckets of one (account, region): one per ELB API version and per EC2 action, made on first use. */
export class RequestBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly sizes: Record<ApiFamily, BucketSize> = AWS_REQUEST_BUCKETS,
    private readonly clock: Clock = systemClock,
    private readonly headroom = PACING_HEADROOM,
  ) {}

  /** Calls per second the slowest bucket that calls wait on allows now; undefined when none is waited on (AWS's rate is not what bounds us). */
  waitedOnRate(): number | undefined {
    let rate: number | undefined;
    for (const bucket of this.buckets.values()) if (bucket.queued > 0) rate = Math.min(rate ?? Infinity, bucket.currentRate);
    return rate;
  }

  bucket(family: ApiFamily, operation: string): TokenBucket {
    const key = bucketKey(family, operation);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const size = this.sizes[family];
      bucket = new TokenBucket(
        { capacity: pacedCapacity(size.capacity, this.headroom), refillPerSecond: size.refillPerSecond * this.headroom },
        this.clock,
      );
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

/** Splits a list into chunks of at most `size` (AWS's per-call limits on ids and filter values). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
