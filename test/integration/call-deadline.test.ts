/**
 * A call's deadline bounds the AWS round trip, not lbcheck's own waiting: time spent waiting for a
 * request token (pacing) or for a --concurrency slot does not count against it (--max-time bounds
 * the whole run). The waits are made long on a fake clock (vitest's fake timers for the deadline,
 * a fake clock for the bucket); the call itself goes to moto. No wall time is measured.
 */
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiCallCounter, createClients, destroyClients, type AwsClients } from '../../src/aws/clients.js';
import { Limiter, RequestBuckets } from '../../src/aws/limiter.js';
import { ScopeRun } from '../../src/aws/scope-run.js';
import { FakeClock } from '../support/fake-clock.js';
import { FAKE_CREDENTIALS, MOTO_REGIONS, motoEndpoint } from '../support/moto.js';

const region = MOTO_REGIONS.collectorNeeds;
// Long in real time (a first call to a fresh moto backend can take a second on a busy machine); fake time passes it at will.
const CALL_MS = 30_000;
const ONE_TOKEN = { capacity: 1, refillPerSecond: 1 };

let clients: AwsClients | undefined;
afterEach(() => {
  vi.useRealTimers();
  if (clients) destroyClients(clients);
  clients = undefined;
});

function clientsPacedBy(buckets?: RequestBuckets): AwsClients {
  clients = createClients({
    region,
    endpointUrl: motoEndpoint(),
    counter: new ApiCallCounter(),
    credentials: async () => FAKE_CREDENTIALS,
    maxAttempts: 1,
    timeouts: { connectMs: CALL_MS, responseMs: CALL_MS, callMs: CALL_MS },
    ...(buckets && { buckets: () => buckets }),
  });
  return clients;
}

const describeLoadBalancers = (c: AwsClients) => c.elbv2.send(new DescribeLoadBalancersCommand({}));

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('the per-call deadline', () => {
  it('does not count the wait for a request token', async () => {
    const clock = new FakeClock();
    const buckets = new RequestBuckets({ elbv2: ONE_TOKEN, elb: ONE_TOKEN, ec2: ONE_TOKEN }, clock, 1);
    const c = clientsPacedBy(buckets);
    await describeLoadBalancers(c); // spends the one token
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const second = describeLoadBalancers(c);
    await until(() => buckets.bucket('elbv2', 'DescribeLoadBalancers').queued === 1);
    // Five deadlines pass while it waits for its token...
    vi.advanceTimersByTime(5 * CALL_MS);
    vi.useRealTimers();
    // ...then the token comes, and the call gets its whole deadline for the round trip.
    await clock.advance(1_000);
    await expect(second).resolves.toMatchObject({ LoadBalancers: expect.any(Array) });
  });

  it('still ends a call whose round trip outlives it', async () => {
    const c = clientsPacedBy();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const call = describeLoadBalancers(c);
    vi.advanceTimersByTime(CALL_MS);
    vi.useRealTimers();
    await expect(call).rejects.toMatchObject({ name: 'CallDeadlineError', message: `no answer within ${CALL_MS / 1000} s` });
  });

  it('does not count the wait for a --concurrency slot', async () => {
    const c = clientsPacedBy();
    const run = new ScopeRun(c, region, 'unknown', new Limiter(1));
    let releaseSlot = () => {};
    const holder = run.call('test:Hold', 'the one slot', () => new Promise<void>((resolve) => (releaseSlot = resolve)));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const waiting = run.call('elasticloadbalancing:DescribeLoadBalancers', 'load balancers', () => describeLoadBalancers(c));
    await until(() => run.callsPlanned === 2);
    vi.advanceTimersByTime(5 * CALL_MS);
    vi.useRealTimers();
    releaseSlot();
    await holder;
    await expect(waiting).resolves.toMatchObject({ LoadBalancers: expect.any(Array) });
    expect(run.notChecked).toEqual([]);
  });
});
