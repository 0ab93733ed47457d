/**
 * Pacing to AWS's request buckets, through the AWS-limits proxy in front of moto (moto has no
 * limits of its own): without pacing the collector's parallel calls overrun a bucket and are
 * throttled; paced to the same bucket sizes, none is, in two regions collected in parallel,
 * each with buckets of its own. Small buckets keep the test quick; counts, never times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectInventory } from '../../src/aws/collect.js';
import type { ApiFamily, BucketSize } from '../../src/aws/limiter.js';
import { silentProgress, type CollectionStatus } from '../../src/progress.js';
import { AwsLimitsProxy } from '../support/aws-limits-proxy.js';
import { MOTO_REGIONS, motoCollectOptions, motoEndpoint } from '../support/moto.js';
import { scenario } from '../support/scenario.js';

const regions = [...MOTO_REGIONS.collectorPacing];
/** Small enough that a region of 8 ALBs (about 45 ELB calls) must wait for refills; AWS's refill rate, so the same jitter margin. */
const SMALL_BUCKETS: Record<ApiFamily, BucketSize> = {
  elbv2: { capacity: 10, refillPerSecond: 10 },
  elb: { capacity: 10, refillPerSecond: 10 },
  ec2: { capacity: 10, refillPerSecond: 10 },
};
const LOAD_BALANCERS_PER_REGION = 8;

const proxies: AwsLimitsProxy[] = [];

/** A proxy of its own per test: buckets another test drained would throttle a fresh client (as on AWS, where others share them). */
async function freshProxy(): Promise<{ proxy: AwsLimitsProxy; endpointUrl: string }> {
  const proxy = new AwsLimitsProxy({ upstream: motoEndpoint(), latencyMs: 20, buckets: SMALL_BUCKETS });
  proxies.push(proxy);
  return { proxy, endpointUrl: await proxy.start() };
}

async function buildRegion(region: string): Promise<void> {
  const s = await scenario(region);
  const vpc = await s.vpc({ cidr: '10.60.0.0/16' });
  const subnets = [await s.subnet(vpc, { cidr: '10.60.1.0/24', az: `${region}a` }), await s.subnet(vpc, { cidr: '10.60.2.0/24', az: `${region}b` })];
  const instance = await s.instance(subnets[0] as string);
  for (let n = 0; n < LOAD_BALANCERS_PER_REGION; n++) {
    const alb = await s.alb({ subnets });
    const tg = await s.targetGroup(vpc, { port: 8080 });
    await s.register(tg, [instance]);
    await s.listener(alb, { port: 80, protocol: 'HTTP', targetGroup: tg });
  }
}

beforeAll(async () => {
  await Promise.all(regions.map(buildRegion));
});

afterAll(async () => {
  for (const proxy of proxies) await proxy.stop();
});

describe('through a proxy that enforces request buckets', () => {
  it('unpaced, the parallel calls overrun the ELB bucket and are throttled (what pacing is for)', async () => {
    const { proxy, endpointUrl } = await freshProxy();
    await collectInventory({ ...motoCollectOptions(regions.slice(0, 1)), endpointUrl, requestBuckets: false, concurrency: 8, maxAttempts: 8 });
    expect(proxy.throttled.elbv2).toBeGreaterThan(0);
  });

  it('paced to the same buckets, no call is throttled, in two regions at once, and everything is collected', async () => {
    const { proxy, endpointUrl } = await freshProxy();
    const statuses: CollectionStatus[] = [];
    const progress = { ...silentProgress, collection: (status: CollectionStatus) => statuses.push(status) };
    const inventory = await collectInventory({ ...motoCollectOptions(regions), endpointUrl, requestBuckets: SMALL_BUCKETS, concurrency: 8, progress });
    expect(proxy.throttled).toEqual({ elbv2: 0, elb: 0, ec2: 0, other: 0 });
    // Each region overran its burst many times over: both were paced, each by buckets of its own.
    expect(proxy.calls.elbv2).toBeGreaterThan(2 * 4 * SMALL_BUCKETS.elbv2.capacity);
    expect(inventory.notChecked).toEqual([]);
    // Live progress: each scope ends finished with every call it asked for answered, and the calls add up.
    const last = regions.map((region) => statuses.filter((s) => s.scope.startsWith(region)).at(-1));
    for (const status of last) expect(status).toMatchObject({ finished: true, done: status?.planned });
    const total = Object.values(inventory.stats.apiCalls).reduce((sum, n) => sum + n, 0);
    expect(last.reduce((sum, status) => sum + (status?.done ?? 0), 0)).toBe(total);
    // While calls waited for tokens, the time left came from the buckets' rate.
    expect(statuses.some((s) => !s.finished && s.secondsLeft !== undefined && s.secondsLeft > 0)).toBe(true);
    expect(inventory.scopes.map((scope) => [scope.region, scope.loadBalancers.length]).sort()).toEqual(
      [...regions].sort().map((region) => [region, LOAD_BALANCERS_PER_REGION]),
    );
  });
});
