/**
 * --lb / --tag on an inventory (a snapshot audited with the flags): which load balancers
 * are kept, the target groups and network interfaces that follow them, load balancers whose
 * tags were not read, and an audit whose rules report on the chosen load balancers only.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit.js';
import { filterInventory, filterText, loadBalancerFilterOf, type LoadBalancerFilter } from '../../src/engine/lb-filter.js';
import { LbcheckError } from '../../src/errors.js';
import type { LoadBalancer, NetworkInterface, Scope } from '../../src/inventory/model.js';
import { snapshotJson } from '../../src/inventory/snapshot.js';
import { inventoryOf } from '../support/engine-fixtures.js';
import { brokenWorld, healthyWorld } from '../support/fixtures.js';

const namesIn = (scope: Scope | undefined) => scope?.loadBalancers.map((lb) => lb.name);
const groupsIn = (scope: Scope | undefined) => scope?.targetGroups.map((group) => group.name);

function taggedWorld(): Scope {
  return brokenWorld((world) => {
    world.alb.tags = { env: 'prod', team: 'web' };
    world.nlb.tags = { env: 'staging' };
    world.classic.tags = { env: 'production', team: 'legacy' };
  });
}

function chosen(filter: LoadBalancerFilter, scope = taggedWorld()): Scope | undefined {
  return filterInventory(inventoryOf([scope]), filter).scopes[0];
}

describe('loadBalancerFilterOf', () => {
  it('is undefined without --lb or --tag, so nothing is filtered', () => {
    expect(loadBalancerFilterOf({})).toBeUndefined();
    expect(loadBalancerFilterOf({ lb: [], tag: [] })).toBeUndefined();
  });

  it('reads KEY=VALUE, splitting at the first = (a value may hold one) and keeping an empty value', () => {
    expect(loadBalancerFilterOf({ tag: ['env=prod', 'expr=a=b', 'owner='] })?.tags).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'expr', value: 'a=b' },
      { key: 'owner', value: '' },
    ]);
  });

  it('refuses a --tag without a key or an =, and an empty --lb, in one line each', () => {
    expect(() => loadBalancerFilterOf({ tag: ['env'] })).toThrow(new LbcheckError('--tag "env": expected KEY=VALUE (e.g. env=prod, or env=* for any value)'));
    expect(() => loadBalancerFilterOf({ tag: ['=prod'] })).toThrow(LbcheckError);
    expect(() => loadBalancerFilterOf({ lb: [' '] })).toThrow('--lb needs a load balancer name, ARN or glob');
  });

  it('names the flags as the user wrote them, quoting globs', () => {
    expect(filterText({ names: ['web-*', 'api'], tags: [{ key: 'env', value: 'prod' }] })).toBe("--lb 'web-*' --lb api --tag env=prod");
  });
});

describe('filterInventory', () => {
  it('keeps load balancers whose name or ARN matches any --lb glob', () => {
    expect(namesIn(chosen({ names: ['web'], tags: [] }))).toEqual(['web']);
    expect(namesIn(chosen({ names: ['we*', 'leg?cy'], tags: [] }))).toEqual(['web', 'legacy']);
    expect(namesIn(chosen({ names: ['arn:aws:elasticloadbalancing:*:loadbalancer/net/*'], tags: [] }))).toEqual(['edge']);
    // Case-sensitive, as names and ARNs are; a glob matches the whole name.
    expect(namesIn(chosen({ names: ['WEB', 'we'], tags: [] }))).toEqual([]);
  });

  it('keeps load balancers with any of the --tag tags, the value a glob', () => {
    expect(namesIn(chosen({ names: [], tags: [{ key: 'env', value: 'prod' }] }))).toEqual(['web']);
    expect(namesIn(chosen({ names: [], tags: [{ key: 'env', value: 'prod*' }] }))).toEqual(['web', 'legacy']);
    expect(namesIn(chosen({ names: [], tags: [{ key: 'env', value: 'staging' }, { key: 'team', value: 'legacy' }] }))).toEqual(['edge', 'legacy']);
    expect(namesIn(chosen({ names: [], tags: [{ key: 'team', value: '*' }] }))).toEqual(['web', 'legacy']);
    // Tag keys are case-sensitive in AWS.
    expect(namesIn(chosen({ names: [], tags: [{ key: 'Env', value: '*' }] }))).toEqual([]);
  });

  it('needs both --lb and --tag to match when both are given', () => {
    expect(namesIn(chosen({ names: ['web', 'edge'], tags: [{ key: 'env', value: 'prod*' }] }))).toEqual(['web']);
  });

  it('keeps the target groups and network interfaces of the chosen load balancers only', () => {
    const scope = taggedWorld();
    const eni = (id: string, lb: LoadBalancer): NetworkInterface => ({
      id,
      subnetId: 'subnet-a',
      vpcId: 'vpc-1',
      availabilityZone: 'us-east-1a',
      description: `ELB ${lb.name}`,
      privateIpAddresses: ['10.0.1.5'],
      publicIps: [],
      ipv6Addresses: [],
      securityGroupIds: [],
      loadBalancerArn: lb.arn,
    });
    const [web, edge] = scope.loadBalancers as [LoadBalancer, LoadBalancer];
    scope.networkInterfaces = [eni('eni-web', web), eni('eni-edge', edge)];
    const kept = chosen({ names: ['edge'], tags: [] }, scope);
    expect(groupsIn(kept)).toEqual(['edge']);
    expect(kept?.networkInterfaces.map((eni) => eni.id)).toEqual(['eni-edge']);
  });

  it('leaves out a load balancer whose tags were not read, and says so in notChecked', () => {
    const scope = taggedWorld();
    const web = scope.loadBalancers[0]?.arn ?? '';
    scope.unread = [{ collection: 'tags', read: 'none', call: 'elasticloadbalancing:DescribeTags', why: 'AccessDenied: no', resources: [web] }];
    const inventory = filterInventory(inventoryOf([scope]), { names: [], tags: [{ key: 'env', value: '*' }] });
    expect(namesIn(inventory.scopes[0])).toEqual(['edge', 'legacy']);
    expect(inventory.notChecked).toEqual([
      expect.objectContaining({ what: 'load balancer web in us-east-1', why: 'their tags could not be read, so --tag could not tell whether to audit them' }),
    ]);
    // --lb alone does not need the tags.
    expect(namesIn(filterInventory(inventoryOf([scope]), { names: ['web'], tags: [] }).scopes[0])).toEqual(['web']);
  });
});

describe('an audit of a snapshot with --lb / --tag', () => {
  /** Every load balancer in a single AZ, so single-az-load-balancer fires on each one. */
  async function singleAzSnapshot(): Promise<string> {
    const world = healthyWorld();
    world.alb.tags = { env: 'prod' };
    for (const lb of world.scope.loadBalancers) lb.availabilityZones = lb.availabilityZones.slice(0, 1);
    const file = join(await mkdtemp(join(tmpdir(), 'lbcheck-filter-')), 'inventory.json');
    await writeFile(file, snapshotJson(inventoryOf([world.scope])));
    return file;
  }

  it('reports on the chosen load balancers only', async () => {
    const file = await singleAzSnapshot();
    const all = await runAudit({ source: { kind: 'snapshot', file } });
    expect(new Set(all.report.findings.filter((f) => f.ruleId === 'single-az-load-balancer').map((f) => f.resource.name))).toEqual(new Set(['web', 'edge', 'legacy']));
    const filtered = await runAudit({ source: { kind: 'snapshot', file }, loadBalancerFilter: { names: ['legacy', 'edge'], tags: [] } });
    const resources = new Set(filtered.report.findings.map((f) => f.loadBalancer?.name ?? f.resource.name));
    expect(resources).toEqual(new Set(['edge', 'legacy']));
    expect(filtered.nothingChecked).toBe(false);
    const tagged = await runAudit({ source: { kind: 'snapshot', file }, loadBalancerFilter: { names: [], tags: [{ key: 'env', value: 'prod' }] } });
    expect(new Set(tagged.report.findings.map((f) => f.loadBalancer?.name ?? f.resource.name))).toEqual(new Set(['web']));
  });

  it('checks nothing when the filter matches no load balancer, and says which flags', async () => {
    const file = await singleAzSnapshot();
    const result = await runAudit({ source: { kind: 'snapshot', file }, loadBalancerFilter: { names: ['nope-*'], tags: [] } });
    expect(result.nothingChecked).toBe(true);
    expect(result.report.findings).toEqual([]);
    expect(result.report.notChecked[0]).toEqual(expect.objectContaining({ what: "--lb 'nope-*'", why: 'no load balancer in the scope matches' }));
  });
});
