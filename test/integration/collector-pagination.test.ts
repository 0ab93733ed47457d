/**
 * Pagination: with a small page size every page is fetched (moto honours elbv2 PageSize
 * and NextMarker), so all load balancers are collected in more than one call. And
 * --concurrency bounds the calls in flight across every client of the run. And DescribeTags
 * names at most 20 resources per call, and an EC2 filter at most 200 values, as AWS requires
 * and moto does not.
 */
import { DescribeSubnetsCommand, EC2ServiceException, type DescribeInstancesCommandInput, type DescribeSubnetsCommandInput } from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/aws/collect.js';
import { MOTO_REGIONS, mockInFrontOfMoto, motoCollectOptions } from '../support/moto.js';
import { MOTO_ACCOUNT, scenario } from '../support/scenario.js';

const region = MOTO_REGIONS.collectorPagination;

const created: string[] = [];

beforeAll(async () => {
  const s = await scenario(region);
  const vpc = await s.vpc({ cidr: '10.40.0.0/16' });
  const a = await s.subnet(vpc, { cidr: '10.40.1.0/24', az: `${region}a` });
  const b = await s.subnet(vpc, { cidr: '10.40.2.0/24', az: `${region}b` });
  for (let n = 0; n < 7; n += 1) {
    const alb = await s.alb({ subnets: [a, b], name: `page-alb-${n}` });
    created.push(alb.arn);
    await s.listener(alb, { port: 80, protocol: 'HTTP', targetGroup: await s.targetGroup(vpc, { port: 8080 }) });
  }
});

it('follows every page of DescribeLoadBalancers and collects all load balancers', async () => {

  // Markers of the elbv2 DescribeLoadBalancers pages the collector sent (Classic's call shares the operation name).
  const markers: (string | undefined)[] = [];
  const inventory = await collectInventory({
    ...motoCollectOptions([region]),
    pageSize: 2,
    onClients: (clients) =>
      clients.elbv2.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'DescribeLoadBalancersCommand') {
            const input = args.input as { Marker?: string; PageSize?: number };
            expect(input.PageSize).toBe(2);
            markers.push(input.Marker);
          }
          return next(args);
        },
        { step: 'initialize', name: 'recordLoadBalancerPages' },
      ),
  });

  const collected = inventory.scopes[0]?.loadBalancers.map((lb) => lb.arn) ?? [];
  expect([...collected].sort()).toEqual([...created].sort());
  // 7 load balancers, 2 a page: 4 pages, the first without a marker and each later one with the previous page's.
  expect(markers.length).toBe(4);
  expect(markers[0]).toBeUndefined();
  expect(new Set(markers.slice(1)).size).toBe(3);
  // stats.apiCalls counts them too (plus Classic's one DescribeLoadBalancers).
  expect(inventory.stats.apiCalls.DescribeLoadBalancers).toBe(5);
  expect(inventory.notChecked).toEqual([]);
});

it('never has more calls in flight than --concurrency, across all clients of the run', async () => {
  let inFlight = 0;
  let peak = 0;
  const track = (clients: AwsClients) => {
    for (const client of [clients.ec2, clients.elbv2, clients.elb, clients.sts]) {
      (client.middlewareStack as AwsClients['sts']['middlewareStack']).add(
        (next) => async (args) => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          try {
            return await next(args);
          } finally {
            inFlight -= 1;
          }
        },
        { step: 'initialize', name: 'trackInFlight' },
      );
    }
  };
  const inventory = await collectInventory({
    ...motoCollectOptions([region]),
    concurrency: 2,
    onClients: track,
  });
  expect(inventory.scopes[0]?.loadBalancers).toHaveLength(7);
  // 7 LBs with a listener and a target group each: plenty of independent calls, never more than 2 at once.
  expect(peak).toBe(2);
});

it('follows NextToken through pages of EC2 results (moto returns one page, so the pages are mocked)', async () => {
  const asked: DescribeSubnetsCommandInput[] = [];
  const page = (id: string, zone: string) => ({ SubnetId: id, VpcId: 'vpc-paged', AvailabilityZone: zone, CidrBlock: '10.99.0.0/24' });
  const inventory = await collectInventory({
    ...motoCollectOptions([region]),
    pageSize: 5,
    onClients: (clients) => {
      const mock = mockInFrontOfMoto(clients.ec2);
      mock.on(DescribeSubnetsCommand).callsFake((input: DescribeSubnetsCommandInput) => {
        asked.push({ ...input }); // the paginator reuses its input object between pages
        return input.NextToken === 'page-2'
          ? { Subnets: [page('subnet-page2', `${region}b`)] }
          : { Subnets: [page('subnet-page1', `${region}a`)], NextToken: 'page-2' };
      });
    },
  });
  expect(asked.map((input) => [input.NextToken, input.MaxResults])).toEqual([
    [undefined, 5],
    ['page-2', 5],
  ]);
  expect(inventory.scopes[0]?.subnets.map((subnet) => subnet.id)).toEqual(['subnet-page1', 'subnet-page2']);
});

it('keeps the pages it got when a later page fails, and says the listing is incomplete', async () => {
  const inventory = await collectInventory({
    ...motoCollectOptions([region]),
    pageSize: 5,
    onClients: (clients) => {
      const mock = mockInFrontOfMoto(clients.ec2);
      mock.on(DescribeSubnetsCommand).callsFake((input: DescribeSubnetsCommandInput) => {
        if (input.NextToken === 'page-2') {
          throw new EC2ServiceException({ name: 'UnauthorizedOperation', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'denied on page 2' });
        }
        return { Subnets: [{ SubnetId: 'subnet-page1', VpcId: 'vpc-paged', AvailabilityZone: `${region}a`, CidrBlock: '10.99.0.0/24' }], NextToken: 'page-2' };
      });
    },
  });
  expect(inventory.scopes[0]?.subnets.map((subnet) => subnet.id)).toEqual(['subnet-page1']);
  expect(inventory.notChecked).toEqual([
    {
      what: expect.stringMatching(new RegExp(`^subnets of vpc-\\w+ \\(ec2:DescribeSubnets in ${region}; incomplete after 1\\)$`)),
      why: 'UnauthorizedOperation: denied on page 2',
      region,
      account: MOTO_ACCOUNT,
      call: 'ec2:DescribeSubnets',
    },
  ]);
  // Read partly: the subnets of the first page are kept, and the VPC's subnets are recorded as incomplete.
  expect(inventory.scopes[0]?.unread).toEqual([
    { collection: 'subnets', read: 'partly', call: 'ec2:DescribeSubnets', why: 'UnauthorizedOperation: denied on page 2', resources: [expect.stringMatching(/^vpc-/)] },
  ]);
});

describe('batches of ids (AWS limits how many one call may name; moto does not)', () => {
  const batchRegion = MOTO_REGIONS.collectorBatches;
  const targetGroups: string[] = [];
  const classicNames: string[] = [];
  let instanceIds: string[] = [];

  beforeAll(async () => {
    const s = await scenario(batchRegion);
    const vpc = await s.vpc({ cidr: '10.41.0.0/16' });
    const a = await s.subnet(vpc, { cidr: '10.41.1.0/24', az: `${batchRegion}a` });
    for (let n = 0; n < 21; n += 1) {
      targetGroups.push(await s.targetGroup(vpc, { port: 8000 + n, tags: { n: String(n) } }));
      classicNames.push((await s.classic({ subnets: [a], listeners: [{ port: 80, instancePort: 8080 }], tags: { n: String(n) } })).name);
    }
    instanceIds = await s.instances(a, 201);
    await s.register(targetGroups[0] as string, instanceIds);
  });

  it('DescribeTags names at most 20 ARNs (elbv2) or 20 names (Classic) per call, and the tags of every one are collected', async () => {
    const elbv2Batches: string[][] = [];
    const classicBatches: string[][] = [];
    const inventory = await collectInventory({
      ...motoCollectOptions([batchRegion]),
      onClients: (clients) => {
        clients.elbv2.middlewareStack.add(
          (next, context) => async (args) => {
            if (context.commandName === 'DescribeTagsCommand') elbv2Batches.push([...((args.input as { ResourceArns: string[] }).ResourceArns ?? [])]);
            return next(args);
          },
          { step: 'initialize', name: 'recordElbv2TagBatches' },
        );
        clients.elb.middlewareStack.add(
          (next, context) => async (args) => {
            if (context.commandName === 'DescribeTagsCommand') classicBatches.push([...((args.input as { LoadBalancerNames: string[] }).LoadBalancerNames ?? [])]);
            return next(args);
          },
          { step: 'initialize', name: 'recordClassicTagBatches' },
        );
      },
    });

    expect(elbv2Batches.map((batch) => batch.length).sort()).toEqual([1, 20]);
    expect(elbv2Batches.flat().sort()).toEqual([...targetGroups].sort());
    expect(classicBatches.map((batch) => batch.length).sort()).toEqual([1, 20]);
    expect(classicBatches.flat().sort()).toEqual([...classicNames].sort());
    const scope = inventory.scopes[0];
    expect(scope?.targetGroups.map((g) => [g.arn, g.tags.n]).sort()).toEqual(targetGroups.map((arn, n) => [arn, String(n)]).sort());
    expect(scope?.loadBalancers.map((lb) => [lb.name, lb.tags.n]).sort()).toEqual(classicNames.map((name, n) => [name, String(n)]).sort());
    expect(inventory.notChecked).toEqual([]);
  });

  it('DescribeInstances names at most 200 instance ids per filter, and every target instance is collected', async () => {
    const batches: string[][] = [];
    const inventory = await collectInventory({
      ...motoCollectOptions([batchRegion]),
      onClients: (clients) =>
        clients.ec2.middlewareStack.add(
          (next, context) => async (args) => {
            if (context.commandName === 'DescribeInstancesCommand') {
              const { Filters = [] } = args.input as DescribeInstancesCommandInput;
              batches.push(Filters.flatMap((filter) => (filter.Name === 'instance-id' ? (filter.Values ?? []) : [])));
            }
            return next(args);
          },
          { step: 'initialize', name: 'recordInstanceBatches' },
        ),
    });
    expect(batches.map((batch) => batch.length).sort()).toEqual([1, 200]);
    expect(batches.flat().sort()).toEqual([...instanceIds].sort());
    expect(inventory.scopes[0]?.instances.map((instance) => instance.id).sort()).toEqual([...instanceIds].sort());
  });
});
