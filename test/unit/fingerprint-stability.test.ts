/**
 * Fingerprints key baselines, ignores and code-scanning alerts, so they must not move when
 * nothing about the finding changed: not when AWS returns its lists in another order, not
 * when unrelated resources come and go.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { runEngine } from '../../src/engine/runner.js';
import type { Inventory } from '../../src/inventory/model.js';
import { readSnapshot } from '../../src/inventory/snapshot.js';
import { inventoryOf } from '../support/engine-fixtures.js';
import { brokenWorld, securityGroup } from '../support/fixtures.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'incidents.snapshot.json');

const fingerprints = (inventory: Inventory) =>
  runEngine({ inventory, rules: allRules(), now: new Date('2026-11-20T00:00:00Z') })
    .findings.map((finding) => `${finding.ruleId} ${finding.resource.name} ${finding.fingerprint}`)
    .sort();

/** Every list in the inventory in reverse order, as another page size or API version might return it. */
function reversedDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedDeep).reverse() as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, reversedDeep(inner)])) as T;
  return value;
}

describe('fingerprint stability', () => {
  it('does not depend on the order AWS lists things in', async () => {
    const inventory = await readSnapshot(EXAMPLE);
    const before = fingerprints(inventory);
    expect(before.length).toBeGreaterThan(0);
    expect(fingerprints({ ...inventory, scopes: reversedDeep(inventory.scopes) })).toEqual(before);
  });

  it('does not change when unrelated load balancers appear', async () => {
    const inventory = await readSnapshot(EXAMPLE);
    const before = fingerprints(inventory);
    const scopes = inventory.scopes.map((scope) => ({
      ...scope,
      loadBalancers: [
        ...scope.loadBalancers,
        ...scope.loadBalancers.map((lb) => ({ ...lb, name: `${lb.name}-copy`, arn: lb.arn.replace(/\/([^/]+)\/([^/]+)$/, '/$1-copy/$2'), dnsName: `copy-${lb.dnsName}` })),
      ],
    }));
    const after = fingerprints({ ...inventory, scopes });
    for (const line of before) expect(after).toContain(line);
    expect(after.length).toBeGreaterThan(before.length);
  });

  it('does not depend on the order of security groups, instances and routes in a world with many faults', () => {
    const scope = brokenWorld((world) => {
      world.publicRoutes.subnetIds = ['subnet-a'];
      world.appGroup.ingress = [];
      world.scope.securityGroups.push(securityGroup({ id: 'sg-extra', name: 'extra', ingress: [] }));
      world.web1.securityGroupIds = ['sg-app', 'sg-extra'];
      world.web2.securityGroupIds = ['sg-app', 'sg-extra'];
    });
    const inventory = inventoryOf([scope]);
    const before = fingerprints(inventory);
    expect(before.length).toBeGreaterThanOrEqual(4);
    expect(fingerprints({ ...inventory, scopes: reversedDeep(inventory.scopes) })).toEqual(before);
  });
});
