/**
 * The client-side token buckets that pace lbcheck to AWS's request limits, on a fake clock:
 * burst, refill, arrival order, backing off on a throttling answer and recovering, and one
 * bucket per ELB API version and per EC2 action with AWS's documented sizes.
 */
import { describe, expect, it } from 'vitest';
import { AWS_REQUEST_BUCKETS, PACING_HEADROOM, RequestBuckets, TokenBucket } from '../../src/aws/limiter.js';
import { FakeClock, settle } from '../support/fake-clock.js';


/** Starts `count` takes and records the order in which they get their token. */
function takeMany(bucket: TokenBucket, count: number): number[] {
  const served: number[] = [];
  for (let i = 0; i < count; i++) void bucket.take().then(() => served.push(i));
  return served;
}

describe('TokenBucket', () => {
  it('spends the burst at once, then hands out one token per 1/rate seconds', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 4, refillPerSecond: 2 }, clock);
    const served = takeMany(bucket, 7);
    await settle();
    expect(served).toHaveLength(4);
    await clock.advance(499);
    expect(served).toHaveLength(4);
    await clock.advance(1);
    expect(served).toHaveLength(5);
    await clock.advance(1000);
    expect(served).toHaveLength(7);
  });

  it('serves waiting calls in the order they arrived', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 10 }, clock);
    const served = takeMany(bucket, 5);
    await clock.advance(1000);
    expect(served).toEqual([0, 1, 2, 3, 4]);
  });

  it('refills no further than its capacity while idle', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 10 }, clock);
    await clock.advance(60_000);
    const served = takeMany(bucket, 5);
    await settle();
    expect(served).toHaveLength(3);
  });

  it('halves its rate and drops its burst on a throttling answer, then wins the rate back call by call', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 10 }, clock);
    bucket.throttled();
    expect(bucket.currentRate).toBe(5);
    const served = takeMany(bucket, 2);
    await clock.advance(199);
    expect(served).toHaveLength(0); // at 5 per second the first token takes 200 ms
    await clock.advance(1);
    expect(served).toHaveLength(1);
    for (let i = 0; i < 100; i++) bucket.succeeded();
    expect(bucket.currentRate).toBe(10); // never above the size it was given
  });

  it('keeps a floor under its rate however often it is throttled', () => {
    const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 16 }, new FakeClock());
    for (let i = 0; i < 50; i++) bucket.throttled();
    expect(bucket.currentRate).toBe(1);
  });

  it('answers tryTake as AWS does: a token while there is one, else no (no waiting)', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 10 }, clock);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, false]);
    await clock.advance(100);
    expect(bucket.tryTake()).toBe(true);
  });
});

describe('RequestBuckets', () => {
  it('keeps one bucket per ELB API version and one per EC2 action, as AWS meters them', () => {
    const buckets = new RequestBuckets(AWS_REQUEST_BUCKETS, new FakeClock());
    expect(buckets.bucket('elbv2', 'DescribeTargetHealth')).toBe(buckets.bucket('elbv2', 'DescribeListeners'));
    expect(buckets.bucket('elb', 'DescribeLoadBalancers')).not.toBe(buckets.bucket('elbv2', 'DescribeLoadBalancers'));
    expect(buckets.bucket('ec2', 'DescribeSubnets')).toBe(buckets.bucket('ec2', 'DescribeSubnets'));
    expect(buckets.bucket('ec2', 'DescribeSubnets')).not.toBe(buckets.bucket('ec2', 'DescribeRouteTables'));
  });

  it("paces a little under AWS's documented sizes (ELB 40 + 10/s, EC2 100 + 20/s), so jitter never makes a call arrive early", () => {
    const buckets = new RequestBuckets(AWS_REQUEST_BUCKETS, new FakeClock());
    expect(buckets.bucket('elbv2', 'DescribeListeners').size).toEqual({ capacity: 38, refillPerSecond: 10 * PACING_HEADROOM });
    expect(buckets.bucket('ec2', 'DescribeVpcs').size).toEqual({ capacity: 95, refillPerSecond: 20 * PACING_HEADROOM });
  });
});
