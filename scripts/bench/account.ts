/**
 * The benchmark's AWS accounts: a fast builder of an N-load-balancer region in moto (real
 * SDK create calls, several in flight, moto's occasional 500 under parallel creates retried),
 * and what an inventory needs: the fewest calls per API family a collector must make for it,
 * and the floor those calls set on wall time at AWS's request rates.
 */
import type { Inventory, LoadBalancer, Scope, TargetGroup } from '../../src/inventory/model.js';
import type { ApiFamily, BucketSize } from '../../src/aws/limiter.js';
import { bucketKey } from '../../src/aws/limiter.js';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { FAKE_CREDENTIALS } from '../../test/support/moto.js';
import { Scenario } from '../../test/support/scenario.js';

/** The mix of the 100-LB account: 60 % ALB, 25 % NLB, 15 % Classic, 1.7 target groups per LB (2 per ALB/NLB). */
export function accountMix(count: number): { albs: number; nlbs: number; classics: number } {
  const albs = Math.round(count * 0.6);
  const nlbs = Math.round(count * 0.25);
  return { albs, nlbs, classics: count - albs - nlbs };
}

/** Runs `task` over `items`, `concurrency` at a time. */
export async function inPool<T>(items: readonly T[], concurrency: number, task: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i] as T, i);
      }
    }),
  );
}

/** moto can answer 500 ("mutated during iteration") under parallel creates: retry a few times (../shared/MOTO.md). */
async function retried<T>(make: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await make();
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (attempt >= 5 || (status !== undefined && status < 500)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/**
 * Builds `count` load balancers in one region of moto: one VPC of 3 AZs with an internet route, 6 instances,
 * ALBs and NLBs with 2 listeners forwarding to 2 target groups of all 6 instances, Classic LBs with 2 instances.
 * Returns the seconds it took, or undefined when it ran past `budgetSeconds` (what was built stays).
 */
export async function buildAccount(endpoint: string, region: string, count: number, budgetSeconds: number): Promise<{ seconds: number; complete: boolean }> {
  const started = performance.now();
  const config = { endpoint, region, credentials: FAKE_CREDENTIALS, maxAttempts: 1 };
  const s = new Scenario({ endpoint, region, ec2: new EC2Client(config), elbv2: new ElasticLoadBalancingV2Client(config), elb: new ElasticLoadBalancingClient(config) });
  const vpc = await s.vpc({ cidr: '10.0.0.0/16' });
  const subnets = await Promise.all(['a', 'b', 'c'].map((az, i) => s.subnet(vpc, { cidr: `10.0.${i}.0/24`, az: `${region}${az}` })));
  const igw = await s.internetGateway(vpc);
  await s.route(await s.mainRouteTable(vpc), { cidr: '0.0.0.0/0', gatewayId: igw });
  const lbGroup = await s.securityGroup(vpc, { ingress: [{ port: 80, cidr: '0.0.0.0/0' }, { port: 443, cidr: '0.0.0.0/0' }] });
  const appGroup = await s.securityGroup(vpc, { ingress: [{ port: 8080, sourceGroup: lbGroup }] });
  const instances = (await Promise.all(subnets.map((subnet) => s.instances(subnet, 2, { securityGroups: [appGroup] })))).flat();
  const { albs, nlbs, classics } = accountMix(count);
  const kinds = [...Array<'alb'>(albs).fill('alb'), ...Array<'nlb'>(nlbs).fill('nlb'), ...Array<'classic'>(classics).fill('classic')];
  let complete = true;
  await inPool(kinds, 6, async (kind) => {
    if ((performance.now() - started) / 1000 > budgetSeconds) {
      complete = false;
      return;
    }
    if (kind === 'classic') {
      await retried(() =>
        s.classic({ subnets, securityGroups: [lbGroup], listeners: [{ port: 80, instancePort: 8080 }], instances: instances.slice(0, 2) }),
      );
      return;
    }
    const lb = await retried(() => (kind === 'alb' ? s.alb({ subnets, securityGroups: [lbGroup] }) : s.nlb({ subnets })));
    for (const port of [80, 443]) {
      const protocol = kind === 'alb' ? 'HTTP' : 'TCP';
      const group = await retried(() => s.targetGroup(vpc, { port: 8080, protocol }));
      await retried(() => s.register(group, instances));
      await retried(() => s.listener(lb, { port, protocol, targetGroup: group }));
    }
  });
  return { seconds: (performance.now() - started) / 1000, complete };
}

/** Pages of a listing of `items` at `pageSize` per page (at least one call, even for none). */
const pages = (items: number, pageSize: number) => Math.max(1, Math.ceil(items / pageSize));

/** AWS's largest page of DescribeLoadBalancers and DescribeTargetGroups, which the collector asks for unless told otherwise. */
const AWS_PAGE_SIZE = 400;
/** ARNs (elbv2) or names (Classic) per DescribeTags call. */
const TAGS_BATCH = 20;

/** Which target groups leave an AZ the LB is enabled in without a healthy target (where cross-zone could matter). */
function groupsLeavingAnAzWithoutHealthyTargets(scope: Scope, lb: LoadBalancer, groups: readonly TargetGroup[]): TargetGroup[] {
  const zones = new Set(lb.availabilityZones.map((zone) => zone.zoneName));
  const instanceZone = new Map(scope.instances.map((instance) => [instance.id, instance.availabilityZone]));
  return groups.filter((group) => {
    const healthyZones = new Set(group.targets.filter((t) => t.health.state === 'healthy').map((t) => t.availabilityZone ?? instanceZone.get(t.id)));
    return [...zones].some((zone) => !healthyZones.has(zone));
  });
}

export interface MinimumOptions {
  /** cross-zone-load-balancing-disabled runs: it reports the setting itself, so it reads every attached group's attributes. */
  crossZoneRule: boolean;
  /** Resources per listing page the collector asks for (default AWS's largest, 400). */
  pageSize?: number;
  /**
   * The pages the server answered the target group listing in (the reference collection's DescribeTargetGroups calls),
   * where it answers more per page than asked: moto returns every target group in one answer whatever PageSize says
   * (at 1,000 LBs, 1 call for 1,700 groups where AWS answers in 5 pages of 400).
   */
  targetGroupPages?: number;
}

/**
 * The fewest calls per bucket a collector must make for a scope and the rules it audits: the listings
 * (pages of 400, or as the server pages them), tags in batches of 20, per LB its attributes and listeners,
 * per target group its target health, per Classic LB its attributes and instance health; EC2 as the collector
 * batched it. Of the optional data: target group attributes (each group once, however many LBs it serves) of
 * NLB groups (client IP preservation, read by target-security-group-blocks-lb and network-acl-blocks-traffic)
 * and of groups that leave an AZ without a healthy target, or of every group behind an ALB/NLB when
 * cross-zone-load-balancing-disabled runs; listener rules only on ALBs with a group that has no healthy
 * target; NLB listener attributes never (no rule reads them).
 */
export function minimumCalls(scope: Scope, ec2CallsMade: Record<string, number>, options: MinimumOptions): Map<string, number> {
  const pageSize = options.pageSize ?? AWS_PAGE_SIZE;
  const elbv2 = scope.loadBalancers.filter((lb) => lb.kind !== 'classic');
  const classic = scope.loadBalancers.filter((lb) => lb.kind === 'classic');
  const groupListing = Math.min(pages(scope.targetGroups.length, pageSize), options.targetGroupPages ?? Infinity);
  let elbv2Calls = pages(elbv2.length, pageSize) + groupListing + Math.ceil((elbv2.length + scope.targetGroups.length) / TAGS_BATCH);
  const groupsWithAttributes = new Set<string>();
  for (const lb of elbv2) {
    elbv2Calls += 2; // attributes, listeners
    const groups = scope.targetGroups.filter((group) => group.loadBalancerArns.includes(lb.arn));
    const attributesRead = options.crossZoneRule || lb.kind === 'network' ? groups : groupsLeavingAnAzWithoutHealthyTargets(scope, lb, groups);
    for (const group of attributesRead) groupsWithAttributes.add(group.arn);
    if (lb.kind === 'application' && groups.some((group) => !group.targets.some((t) => t.health.state === 'healthy'))) elbv2Calls += lb.listeners.length;
  }
  elbv2Calls += groupsWithAttributes.size + scope.targetGroups.length; // + target health of every group
  const calls = new Map<string, number>([
    ['elbv2', elbv2Calls],
    ['elb', classic.length ? pages(classic.length, pageSize) + 2 * classic.length + Math.ceil(classic.length / TAGS_BATCH) : 1],
  ]);
  for (const [action, n] of Object.entries(ec2CallsMade)) calls.set(bucketKey('ec2', action), n);
  return calls;
}

/** The family of a bucket key ("elbv2", "elb", "ec2:DescribeSubnets"). */
export function familyOfBucket(key: string): ApiFamily {
  return key.startsWith('ec2:') ? 'ec2' : (key as ApiFamily);
}

/**
 * The floor on wall time: each bucket spends its burst at once, then one call per 1/rate; buckets drain in
 * parallel, so the slowest sets the floor, plus one latency for each of the three dependent stages (account,
 * listings, details).
 */
export function floorSeconds(minimum: Map<string, number>, sizes: Record<ApiFamily, BucketSize>, latencyMs: number): number {
  let slowest = 0;
  for (const [key, calls] of minimum) {
    const size = sizes[familyOfBucket(key)];
    slowest = Math.max(slowest, Math.max(0, calls - size.capacity) / size.refillPerSecond);
  }
  return slowest + (3 * latencyMs) / 1000;
}

export function onlyScope(inventory: Inventory): Scope {
  const scope = inventory.scopes[0];
  if (!scope) throw new Error('bench: the collection found no scope');
  return scope;
}
