/**
 * --all-regions: the enabled regions come from EC2 DescribeRegions (moto lists every
 * region it knows, so that one answer is mocked; each region is then collected from moto).
 */
import { DescribeRegionsCommand, type DescribeRegionsCommandInput } from '@aws-sdk/client-ec2';
import { expect, it } from 'vitest';
import { collectInventory } from '../../src/aws/collect.js';
import { MOTO_REGIONS, mockInFrontOfMoto, motoCollectOptions } from '../support/moto.js';

const [ENABLED, OPTED_IN] = MOTO_REGIONS.collectorRegions;

it('collects every region DescribeRegions lists as enabled, asking only for enabled ones', async () => {
  const asked: DescribeRegionsCommandInput[] = [];
  const inventory = await collectInventory({
    ...motoCollectOptions([]),
    allRegions: true,
    concurrency: 8,
    onClients: (clients) => {
      const mock = mockInFrontOfMoto(clients.ec2);
      mock.on(DescribeRegionsCommand).callsFake((input: DescribeRegionsCommandInput) => {
        asked.push(input);
        return { Regions: [{ RegionName: ENABLED, OptInStatus: 'opt-in-not-required' }, { RegionName: OPTED_IN, OptInStatus: 'opted-in' }] };
      });
    },
  });
  expect(asked).toEqual([{ AllRegions: false, Filters: [{ Name: 'opt-in-status', Values: ['opt-in-not-required', 'opted-in'] }] }]);
  expect(inventory.scopes.map((scope) => scope.region)).toEqual([OPTED_IN, ENABLED]);
  expect(inventory.scopes.every((scope) => scope.account === '123456789012')).toBe(true);
  expect(inventory.notChecked).toEqual([]);
});

it('collects an account and region once when two profiles reach the same account, and says so', async () => {
  const warnings: string[] = [];
  const inventory = await collectInventory({
    ...motoCollectOptions([ENABLED]),
    profiles: ['blue', 'green'],
    progress: { step: () => {}, debug: () => {}, warn: (line) => warnings.push(line) },
  });
  expect(inventory.scopes.map((scope) => [scope.account, scope.region, scope.profile])).toEqual([['123456789012', ENABLED, 'blue']]);
  expect(warnings).toEqual([`profile green reaches account 123456789012 in ${ENABLED}, already collected with profile blue: checked once`]);
});
