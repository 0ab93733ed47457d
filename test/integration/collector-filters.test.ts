/**
 * --lb / --tag in a live collection: after the listings, only the chosen load balancers
 * (and the target groups that serve them) are described. Every call goes through the
 * AWS-limits proxy in front of moto, which records what each call was for, so the test
 * sees that the other load balancers' listeners, attributes and targets are never asked for.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectInventory } from '../../src/aws/collect.js';
import type { LoadBalancerFilter } from '../../src/engine/lb-filter.js';
import type { Inventory } from '../../src/inventory/model.js';
import type { Progress } from '../../src/progress.js';
import { AwsLimitsProxy, type AwsCall } from '../support/aws-limits-proxy.js';
import { MOTO_REGIONS, motoCollectOptions, motoEndpoint } from '../support/moto.js';
import { scenario, type LoadBalancerRef } from '../support/scenario.js';

const region = MOTO_REGIONS.collectorFilters;

let proxy: AwsLimitsProxy;
let endpointUrl: string;
const calls: AwsCall[] = [];
let web: LoadBalancerRef;
let api: LoadBalancerRef;
let edge: LoadBalancerRef;
let legacy: LoadBalancerRef;
let webGroup: string;
let apiGroup: string;

beforeAll(async () => {
  proxy = new AwsLimitsProxy({ upstream: motoEndpoint(), throttle: () => false, onCall: (call) => calls.push(call) });
  endpointUrl = await proxy.start();
  const s = await scenario(region);
  const vpc = await s.vpc({ cidr: '10.60.0.0/16' });
  await s.internetGateway(vpc);
  const a = await s.subnet(vpc, { cidr: '10.60.1.0/24', az: `${region}a` });
  const b = await s.subnet(vpc, { cidr: '10.60.2.0/24', az: `${region}c` });
  const instance = await s.instance(a);
  web = await s.alb({ name: 'web', subnets: [a, b], tags: { env: 'prod', team: 'web' } });
  api = await s.alb({ name: 'api', subnets: [a, b], tags: { env: 'staging' } });
  edge = await s.nlb({ name: 'edge', subnets: [a, b] });
  webGroup = await s.targetGroup(vpc, { name: 'web', port: 8080, protocol: 'HTTP' });
  apiGroup = await s.targetGroup(vpc, { name: 'api', port: 8080, protocol: 'HTTP' });
  const edgeGroup = await s.targetGroup(vpc, { name: 'edge', port: 8080, protocol: 'TCP' });
  await s.register(webGroup, [instance]);
  await s.listener(web, { port: 80, protocol: 'HTTP', targetGroup: webGroup });
  await s.listener(api, { port: 80, protocol: 'HTTP', targetGroup: apiGroup });
  await s.listener(edge, { port: 443, protocol: 'TCP', targetGroup: edgeGroup });
  legacy = await s.classic({ name: 'legacy', subnets: [a, b], listeners: [{ port: 80, protocol: 'HTTP', instancePort: 8080 }], tags: { env: 'prod' } });
  await s.classic({ name: 'old', subnets: [a, b], listeners: [{ port: 80, protocol: 'HTTP', instancePort: 8080 }], tags: { env: 'test' } });
});

afterAll(async () => {
  await proxy.stop();
});

beforeEach(() => {
  calls.length = 0;
});

async function collect(filter: LoadBalancerFilter, progress?: Progress): Promise<Inventory> {
  return collectInventory({ ...motoCollectOptions([region]), endpointUrl, loadBalancerFilter: filter, ...(progress && { progress }) });
}

/** The resources each call of `action` was for: a parameter (LoadBalancerArn), or every member of a list (ResourceArns.member.N). */
function resourcesOf(action: string, parameter: string): string[] {
  return calls
    .filter((call) => call.action === action)
    .flatMap((call) => [...call.params.entries()].filter(([key]) => key === parameter || key.startsWith(`${parameter}.member.`)).map(([, value]) => value));
}

const lbNames = (inventory: Inventory) => inventory.scopes.flatMap((scope) => scope.loadBalancers.map((lb) => lb.name)).sort();
const groupNames = (inventory: Inventory) => inventory.scopes.flatMap((scope) => scope.targetGroups.map((group) => group.name)).sort();

describe('collecting with --lb / --tag', () => {
  it('--lb: describes only the chosen load balancers and the target groups that serve them', async () => {
    const inventory = await collect({ names: ['web', 'legacy'], tags: [] });
    expect(lbNames(inventory)).toEqual(['legacy', 'web']);
    expect(groupNames(inventory)).toEqual(['web']);
    expect(resourcesOf('DescribeListeners', 'LoadBalancerArn')).toEqual([web.arn]);
    expect(resourcesOf('DescribeLoadBalancerAttributes', 'LoadBalancerArn')).toEqual([web.arn]);
    expect(resourcesOf('DescribeLoadBalancerAttributes', 'LoadBalancerName')).toEqual([legacy.name]);
    expect(resourcesOf('DescribeInstanceHealth', 'LoadBalancerName')).toEqual([legacy.name]);
    expect(resourcesOf('DescribeTargetHealth', 'TargetGroupArn')).toEqual([webGroup]);
    // Only the chosen ones' tags, for the rules that read them.
    expect(resourcesOf('DescribeTags', 'ResourceArns').sort()).toEqual([web.arn, webGroup].sort());
    expect(resourcesOf('DescribeTags', 'LoadBalancerNames')).toEqual([legacy.name]);
    expect(inventory.scopes[0]?.loadBalancers.find((lb) => lb.name === 'web')?.tags).toEqual({ env: 'prod', team: 'web' });
  });

  it('--lb globs match the ARN too', async () => {
    // moto gives NLBs app/ ARNs (../shared/MOTO.md): the glob names the LB, not its type.
    const inventory = await collect({ names: [`arn:aws:elasticloadbalancing:${region}:*:loadbalancer/*/edge/*`], tags: [] });
    expect(lbNames(inventory)).toEqual(['edge']);
    expect(resourcesOf('DescribeListeners', 'LoadBalancerArn')).toEqual([edge.arn]);
    expect(resourcesOf('DescribeInstanceHealth', 'LoadBalancerName')).toEqual([]);
  });

  it('--tag: reads the tags first, then describes only the tagged load balancers, without reading their tags twice', async () => {
    const steps: string[] = [];
    const progress: Progress = { step: (message) => steps.push(message), warn: () => {}, debug: () => {} };
    const inventory = await collect({ names: [], tags: [{ key: 'env', value: 'prod' }] }, progress);
    expect(lbNames(inventory)).toEqual(['legacy', 'web']);
    expect(groupNames(inventory)).toEqual(['web']);
    expect(resourcesOf('DescribeListeners', 'LoadBalancerArn')).toEqual([web.arn]);
    expect(resourcesOf('DescribeLoadBalancerAttributes', 'LoadBalancerName')).toEqual([legacy.name]);
    expect(resourcesOf('DescribeTargetHealth', 'TargetGroupArn')).toEqual([webGroup]);
    // Every listed LB's tags once (to choose), then the chosen target group's.
    expect(resourcesOf('DescribeTags', 'ResourceArns').sort()).toEqual([web.arn, api.arn, edge.arn, webGroup].sort());
    expect(resourcesOf('DescribeTags', 'LoadBalancerNames').sort()).toEqual(['legacy', 'old']);
    expect(inventory.scopes[0]?.loadBalancers.find((lb) => lb.name === 'legacy')?.tags).toEqual({ env: 'prod' });
    expect(steps).toContain(`${region}: --tag env=prod chose 2 of 5 load balancers`);
  });

  it('--lb and --tag: reads tags only of the name-matched load balancers, and both must match', async () => {
    const inventory = await collect({ names: ['web', 'api'], tags: [{ key: 'env', value: 'stag*' }] });
    expect(lbNames(inventory)).toEqual(['api']);
    expect(groupNames(inventory)).toEqual(['api']);
    expect(resourcesOf('DescribeTags', 'ResourceArns').sort()).toEqual([web.arn, api.arn, apiGroup].sort());
    expect(resourcesOf('DescribeTags', 'LoadBalancerNames')).toEqual([]);
    expect(resourcesOf('DescribeListeners', 'LoadBalancerArn')).toEqual([api.arn]);
  });

  it('a filter that matches nothing describes nothing, and the region is still collected', async () => {
    const inventory = await collect({ names: ['nope-*'], tags: [] });
    expect(inventory.scopes.map((scope) => scope.region)).toEqual([region]);
    expect(lbNames(inventory)).toEqual([]);
    expect(groupNames(inventory)).toEqual([]);
    const actions = new Set(calls.map((call) => call.action));
    for (const described of ['DescribeListeners', 'DescribeLoadBalancerAttributes', 'DescribeTargetHealth', 'DescribeInstanceHealth', 'DescribeTags', 'DescribeSubnets']) {
      expect(actions.has(described), described).toBe(false);
    }
  });
});
