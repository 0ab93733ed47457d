/**
 * The bench's minimum ELB calls (scripts/bench/account.ts) against the calls the collector makes,
 * counted by the AWS-limits proxy, on an account built as the bench builds its 100- and 1,000-LB
 * ones (12 ALBs, 5 NLBs, 3 Classic, 34 target groups). Pages of 2 put the listings across their
 * page boundaries as 1,000 LBs put them across AWS's 400 (and moto answers the target group
 * listing in one page whatever PageSize says, as at 1,000 LBs); 51 ARNs cross the tag batches of 20.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectInventory, type CollectOptions } from '../../src/aws/collect.js';
import { collectionNeeds, FULL_COLLECTION } from '../../src/engine/needs.js';
import type { Rule } from '../../src/engine/types.js';
import { allRules } from '../../rules/index.js';
import { buildAccount, minimumCalls, onlyScope } from '../../scripts/bench/account.js';
import { AwsLimitsProxy } from '../support/aws-limits-proxy.js';
import { MOTO_REGIONS, motoCollectOptions, motoEndpoint } from '../support/moto.js';

const region = MOTO_REGIONS.benchMinimum;
const PAGE_SIZE = 2;

let proxy: AwsLimitsProxy;
let url: string;

beforeAll(async () => {
  const built = await buildAccount(motoEndpoint(), region, 20, 120);
  expect(built.complete).toBe(true);
  proxy = new AwsLimitsProxy({ upstream: motoEndpoint(), throttle: () => false });
  url = await proxy.start();
}, 180_000);

afterAll(async () => {
  await proxy?.stop();
});

/** The ELB v2 and Classic calls an audit with `rules` makes through the proxy, and the bench's minimum for them. */
async function madeAndMinimum(rules: readonly Rule[], crossZoneRule: boolean) {
  const options: CollectOptions = { ...motoCollectOptions([region]), pageSize: PAGE_SIZE };
  // As the bench: the minimum is worked out from everything (snapshot --full), straight from moto.
  const reference = await collectInventory({ ...options, needs: FULL_COLLECTION });
  proxy.resetCounts();
  await collectInventory({ ...options, endpointUrl: url, needs: collectionNeeds(rules) });
  const scope = onlyScope(reference);
  const minimum = minimumCalls(scope, {}, { crossZoneRule, pageSize: PAGE_SIZE, targetGroupPages: reference.stats.apiCalls.DescribeTargetGroups });
  expect([scope.loadBalancers.length, scope.targetGroups.length]).toEqual([20, 34]);
  return { made: { elbv2: proxy.calls.elbv2, elb: proxy.calls.elb }, minimum: { elbv2: minimum.get('elbv2'), elb: minimum.get('elb') } };
}

describe("the bench's minimum ELB calls", () => {
  it('equals what the collector makes for every rule (every target group attribute read)', async () => {
    const { made, minimum } = await madeAndMinimum(allRules(), true);
    expect(minimum).toEqual(made);
  });

  it('equals what the collector makes without cross-zone-load-balancing-disabled (only the NLB groups attributes)', async () => {
    const { made, minimum } = await madeAndMinimum(
      allRules().filter((rule) => rule.meta.id !== 'cross-zone-load-balancing-disabled'),
      false,
    );
    expect(minimum).toEqual(made);
  });
});
