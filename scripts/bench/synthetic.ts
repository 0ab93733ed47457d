/**
 * Synthetic inventories for the benchmark: a region of N ALBs across 10 VPCs of 3 AZs,
 * each with a listener, a target group of 6 instances (one unhealthy) and a keep-alive tag,
 * so that rules find something on most load balancers, as on a real large account.
 */
import type { Inventory, LoadBalancer, Scope, TargetGroup } from '../../src/inventory/model.js';
import {
  alb,
  allowAllEntries,
  instance,
  internetGateway,
  listener,
  networkAcl,
  route,
  routeTable,
  scopeOf,
  securityGroup,
  subnet,
  target,
  targetGroup,
  tcp,
  vpc,
} from '../../test/support/fixtures.js';

/**
 * A synthetic region: `count` ALBs across 10 VPCs of 3 AZs, each with a listener, a target group and 6 instances,
 * and faults spread over them as on a large real account: idle timeouts longer than the targets' keep-alive
 * (half), a subnet without an internet route (VPCs 0 and 1), LB security groups that block the listener (a fifth),
 * target security groups that block the LB (a quarter), single-AZ LBs (a tenth), groups with no healthy target (a seventh).
 */
export function syntheticScope(count: number): Scope {
  const scope = scopeOf();
  const vpcCount = 10;
  for (let v = 0; v < vpcCount; v++) {
    const vpcId = `vpc-${v}`;
    const subnetIds = ['a', 'b', 'c'].map((az) => `subnet-${v}${az}`);
    scope.vpcs.push(vpc({ id: vpcId, cidrBlocks: [`10.${v}.0.0/16`] }));
    subnetIds.forEach((id, i) =>
      scope.subnets.push(subnet({ id, vpcId, availabilityZone: `us-east-1${'abc'[i]}`, cidrBlock: `10.${v}.${i}.0/24` })),
    );
    scope.internetGateways.push(internetGateway(`igw-${v}`, vpcId));
    scope.routeTables.push(
      routeTable({ id: `rtb-${v}`, vpcId, isMain: true, routes: [route(`10.${v}.0.0/16`, 'local', 'local'), route('0.0.0.0/0', 'internet-gateway', `igw-${v}`)] }),
    );
    if (v < 2) scope.routeTables.push(routeTable({ id: `rtb-private-${v}`, vpcId, subnetIds: [`subnet-${v}c`], routes: [route(`10.${v}.0.0/16`, 'local', 'local')] }));
    scope.networkAcls.push(networkAcl({ id: `acl-${v}`, vpcId, isDefault: true, entries: allowAllEntries() }));
    scope.securityGroups.push(
      securityGroup({ id: `sg-lb-${v}`, vpcId, ingress: [tcp(443, '0.0.0.0/0')] }),
      securityGroup({ id: `sg-app-${v}`, vpcId, ingress: [tcp(8080, `sg-lb-${v}`)] }),
      securityGroup({ id: `sg-lb-closed-${v}`, vpcId, ingress: [tcp(80, '0.0.0.0/0')] }),
      securityGroup({ id: `sg-app-closed-${v}`, vpcId, ingress: [tcp(9090, `sg-lb-${v}`)] }),
    );
  }
  for (let n = 0; n < count; n++) {
    const v = n % vpcCount;
    const subnets = (n % 10 === 0 ? ['a'] : ['a', 'b', 'c']).map((az) => `subnet-${v}${az}`);
    const group: TargetGroup = targetGroup({ name: `tg-${n}`, vpcId: `vpc-${v}`, tags: { 'lbcheck:keepalive': n % 2 ? 'nodejs' : '75s' } });
    group.arn = `${group.arn}-${n}`;
    const lb: LoadBalancer = alb({
      name: `alb-${n}`,
      vpcId: `vpc-${v}`,
      subnets,
      zones: subnets.map((subnetId, i) => ({ zoneName: `us-east-1${'abc'[i]}`, subnetId })),
      securityGroupIds: [n % 5 === 0 ? `sg-lb-closed-${v}` : `sg-lb-${v}`],
      listeners: [listener({ port: 443, protocol: 'HTTPS', defaultTargetGroupArns: [group.arn] })],
    });
    group.loadBalancerArns = [lb.arn];
    for (let t = 0; t < 6; t++) {
      const id = `i-${n}-${t}`;
      const az = t % subnets.length;
      const securityGroupIds = [n % 4 === 0 ? `sg-app-closed-${v}` : `sg-app-${v}`];
      scope.instances.push(
        instance({ id, vpcId: `vpc-${v}`, subnetId: subnets[az], availabilityZone: `us-east-1${'abc'[az]}`, privateIpAddress: `10.${v}.${az}.${(n * 6 + t) % 250}`, securityGroupIds }),
      );
      group.targets.push(target(id, { port: 8080, health: { state: t === 0 || n % 7 === 0 ? 'unhealthy' : 'healthy' } }));
    }
    scope.loadBalancers.push(lb);
    scope.targetGroups.push(group);
  }
  return scope;
}

export function inventoryOf(scope: Scope): Inventory {
  return { schemaVersion: 1, tool: { name: 'lbcheck', version: 'bench' }, collectedAt: new Date(0).toISOString(), scopes: [scope], notChecked: [], stats: { apiCalls: {}, durationMs: 0 } };
}

