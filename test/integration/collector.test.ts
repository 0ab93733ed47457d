/**
 * The collector against moto: one region holding an ALB, an NLB and a Classic LB with
 * every kind of resource around them, collected once and checked kind by kind.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiCallCounter } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/aws/collect.js';
import { InventoryIndex } from '../../src/inventory/indexes.js';
import type { Inventory, LoadBalancer, Scope } from '../../src/inventory/model.js';
import { MOTO_REGIONS, motoCollectOptions } from '../support/moto.js';
import { MOTO_ACCOUNT, scenario, type LoadBalancerRef } from '../support/scenario.js';

const region = MOTO_REGIONS.collector;

interface Built {
  vpc: string;
  ipv6Block: string;
  igw: string;
  otherVpc: string;
  otherIgw: string;
  eigw: string;
  nat: string;
  subnets: { a: string; b: string; c: string };
  publicTable: string;
  mainTable: string;
  lbSg: string;
  targetSg: string;
  prefixList: string;
  acl: string;
  instances: { one: string; two: string };
  alb: LoadBalancerRef;
  internalAlb: LoadBalancerRef;
  nlb: LoadBalancerRef;
  gwlb: LoadBalancerRef;
  genevTg: string;
  classic: LoadBalancerRef;
  webTg: string;
  apiTg: string;
  tcpTg: string;
  listener: string;
  rule: string;
  enis: { alb: { networkInterfaceId: string; publicIp?: string }; nlb: { networkInterfaceId: string; publicIp?: string }; classic: { networkInterfaceId: string; publicIp?: string } };
}

let built: Built;
let inventory: Inventory;
let scope: Scope;
const counter = new ApiCallCounter();

function lb(ref: LoadBalancerRef): LoadBalancer {
  const found = scope.loadBalancers.find((l) => l.arn === ref.arn);
  if (!found) throw new Error(`${ref.arn} not collected`);
  return found;
}

beforeAll(async () => {
  const s = await scenario(region);
  const vpc = await s.vpc({ cidr: '10.20.0.0/16', ipv6: true });
  const ipv6Block = await s.ipv6CidrOf(vpc);
  const igw = await s.internetGateway(vpc);
  const eigw = await s.egressOnlyInternetGateway(vpc);
  const a = await s.subnet(vpc, { cidr: '10.20.1.0/24', az: `${region}a`, ipv6Cidr: ipv6Block.replace(/::\/56$/, '::/64') });
  const b = await s.subnet(vpc, { cidr: '10.20.2.0/24', az: `${region}b` });
  const c = await s.subnet(vpc, { cidr: '10.20.3.0/24', az: `${region}c` });
  const publicTable = await s.routeTable(vpc, {
    routes: [
      { cidr: '0.0.0.0/0', gatewayId: igw },
      { ipv6Cidr: '::/0', egressOnlyGatewayId: eigw },
    ],
    subnets: [a, b],
  });
  const nat = await s.natGateway(a);
  const mainTable = await s.mainRouteTable(vpc);
  await s.route(mainTable, { cidr: '0.0.0.0/0', natGatewayId: nat });
  // A route to the internet gateway of another VPC (moto accepts it; AWS would reject it or mark it blackhole).
  const otherVpc = await s.vpc({ cidr: '10.21.0.0/16' });
  const otherIgw = await s.internetGateway(otherVpc);
  await s.route(mainTable, { cidr: '203.0.113.0/24', gatewayId: otherIgw });
  const prefixList = await s.prefixList({ name: 'office', cidrs: ['192.0.2.0/24', '198.51.100.0/24'] });
  const lbSg = await s.securityGroup(vpc, { ingress: [{ port: 443, cidr: '0.0.0.0/0' }, { port: 80, ipv6Cidr: '::/0' }] });
  const targetSg = await s.securityGroup(vpc, {
    ingress: [
      { port: 8080, sourceGroup: lbSg },
      { port: 22, prefixListId: prefixList },
      { protocol: 'all', cidr: '10.20.0.0/16' },
    ],
    egress: [{ fromPort: 1024, toPort: 65535, cidr: '10.20.0.0/16' }],
  });
  const one = await s.instance(a, { securityGroups: [targetSg] });
  const two = await s.instance(b, { securityGroups: [targetSg] });
  const alb = await s.alb({ subnets: [a, b, c], securityGroups: [lbSg], tags: { team: 'payments', 'lbcheck:keepalive': '5s' } });
  const internalAlb = await s.alb({ subnets: [a, b], securityGroups: [lbSg], scheme: 'internal', attributes: { 'idle_timeout.timeout_seconds': '120' } });
  const webTg = await s.targetGroup(vpc, { port: 8080, protocol: 'HTTP', tags: { 'lbcheck:keepalive': 'nodejs' }, healthCheck: { path: '/healthz' } });
  const apiTg = await s.targetGroup(vpc, { port: 9090, protocol: 'HTTP', healthCheck: { port: '9091' } });
  await s.register(webTg, [one, two]);
  const listener = await s.listener(alb, { port: 80, protocol: 'HTTP', targetGroup: webTg });
  const rule = await s.listenerRule(listener, { priority: 10, pathPattern: '/api/*', targetGroup: apiTg });
  await s.listener(internalAlb, { port: 80, protocol: 'HTTP' });
  const nlb = await s.nlb({ subnets: [a, b], attributes: { 'load_balancing.cross_zone.enabled': 'true' } });
  const tcpTg = await s.targetGroup(vpc, { port: 8443, protocol: 'TCP', targetType: 'ip' });
  await s.register(tcpTg, [{ id: '10.20.1.10', port: 8443 }]);
  await s.listener(nlb, { port: 443, protocol: 'TCP', targetGroup: tcpTg, attributes: { 'tcp.idle_timeout.seconds': '600' } });
  await s.listener(nlb, { port: 22, protocol: 'TCP', targetGroup: tcpTg });
  const gwlb = await s.gwlb({ subnets: [c] });
  const genevTg = await s.targetGroup(vpc, { port: 6081, protocol: 'GENEVE', targetType: 'ip' });
  await s.listener(gwlb, { targetGroup: genevTg });
  const classic = await s.classic({
    subnets: [a, b],
    securityGroups: [lbSg],
    listeners: [{ port: 80, protocol: 'HTTP', instancePort: 8080 }],
    instances: [one],
    idleTimeoutSeconds: 30,
    crossZone: true,
    tags: { owner: 'legacy' },
  });
  const acl = await s.networkAcl(vpc, {
    subnets: [c],
    entries: [
      { rule: 100, action: 'allow', port: 443, cidr: '0.0.0.0/0' },
      { rule: 200, egress: true, protocol: 'all', action: 'deny', cidr: '0.0.0.0/0' },
    ],
  });
  const enis = {
    alb: await s.lbNetworkInterface(alb, a, { publicIp: '127.0.0.21' }),
    nlb: await s.lbNetworkInterface(nlb, b, { publicIp: '127.0.0.22' }),
    classic: await s.lbNetworkInterface(classic, a, { publicIp: '127.0.0.23' }),
  };
  built = {
    vpc, ipv6Block, igw, otherVpc, otherIgw, eigw, nat, subnets: { a, b, c }, publicTable, mainTable, lbSg, targetSg, prefixList, acl,
    instances: { one, two }, alb, internalAlb, nlb, gwlb, genevTg, classic, webTg, apiTg, tcpTg, listener, rule, enis,
  };

  inventory = await collectInventory({
    ...motoCollectOptions([region]),
    concurrency: 8,
    counter,
  });
  const found = inventory.scopes.find((s2) => s2.region === region);
  if (!found) throw new Error(`no scope for ${region}`);
  scope = found;
});

describe('collectInventory against moto', () => {
  it('names the scope and reports every call it made, with nothing left unchecked', () => {
    expect(inventory.schemaVersion).toBe(1);
    expect(scope.account).toBe(MOTO_ACCOUNT);
    expect(inventory.notChecked).toEqual([]);
    expect(inventory.stats.apiCalls.GetCallerIdentity).toBe(1);
    expect(inventory.stats.apiCalls).toEqual(counter.byOperation);
    // One DescribeTargetHealth per target group (this region has exactly these four).
    expect(inventory.stats.apiCalls.DescribeTargetHealth).toBe(scope.targetGroups.length);
    expect(scope.targetGroups.map((g) => g.arn).sort()).toEqual([built.webTg, built.apiTg, built.tcpTg, built.genevTg].sort());
  });

  it('collects the internet-facing ALB with AWS defaults applied where moto leaves attributes out', () => {
    const alb = lb(built.alb);
    expect(alb).toMatchObject({
      name: built.alb.name,
      kind: 'application',
      scheme: 'internet-facing',
      dnsName: built.alb.dnsName,
      ipAddressType: 'ipv4',
      vpcId: built.vpc,
      securityGroupIds: [built.lbSg],
      tags: { team: 'payments', 'lbcheck:keepalive': '5s' },
    });
    expect(alb.availabilityZones.map((z) => [z.zoneName, z.subnetId]).sort()).toEqual([
      [`${region}a`, built.subnets.a],
      [`${region}b`, built.subnets.b],
      [`${region}c`, built.subnets.c],
    ]);
    // moto omits idle_timeout.timeout_seconds (AWS: default 60) and says cross-zone false (AWS: always on for ALBs).
    expect(alb.attributes.idleTimeoutSeconds).toBe(60);
    expect(alb.attributes.crossZoneEnabled).toBe(true);
    expect(lb(built.internalAlb).attributes.idleTimeoutSeconds).toBe(120);
    expect(lb(built.internalAlb).scheme).toBe('internal');
  });

  it('collects listeners, their default forward and the non-default listener rules', () => {
    const [listener] = lb(built.alb).listeners;
    expect(listener).toMatchObject({ arn: built.listener, port: 80, protocol: 'HTTP', defaultTargetGroupArns: [built.webTg] });
    expect(listener?.rules).toEqual([
      {
        arn: built.rule,
        priority: '10',
        conditions: [expect.objectContaining({ Field: 'path-pattern' })],
        targetGroupArns: [built.apiTg],
      },
    ]);
    expect(lb(built.internalAlb).listeners[0]?.defaultTargetGroupArns).toEqual([]);
  });

  it('collects the NLB with its cross-zone setting and TCP listener idle timeouts', () => {
    const nlb = lb(built.nlb);
    expect(nlb.kind).toBe('network');
    expect(nlb.attributes.crossZoneEnabled).toBe(true);
    expect(nlb.attributes.idleTimeoutSeconds).toBeUndefined();
    const byPort = new Map(nlb.listeners.map((l) => [l.port, l]));
    expect(byPort.get(443)).toMatchObject({ protocol: 'TCP', idleTimeoutSeconds: 600, defaultTargetGroupArns: [built.tcpTg] });
    expect(byPort.get(22)?.idleTimeoutSeconds).toBe(350);
  });

  it('collects the Gateway Load Balancer with its implied GENEVE 6081 listener and cross-zone off by default', () => {
    const gwlb = lb(built.gwlb);
    expect(gwlb).toMatchObject({ kind: 'gateway', securityGroupIds: [], availabilityZones: [{ zoneName: `${region}c`, subnetId: built.subnets.c }] });
    expect(gwlb.attributes.crossZoneEnabled).toBe(false);
    expect(gwlb.listeners).toMatchObject([{ protocol: 'GENEVE', port: 6081, defaultTargetGroupArns: [built.genevTg] }]);
  });

  it('collects target groups with health checks, attributes, targets and their health, and tags', () => {
    const web = scope.targetGroups.find((g) => g.arn === built.webTg);
    expect(web).toMatchObject({
      targetType: 'instance',
      protocol: 'HTTP',
      port: 8080,
      vpcId: built.vpc,
      loadBalancerArns: [built.alb.arn],
      tags: { 'lbcheck:keepalive': 'nodejs' },
      healthCheck: { enabled: true, port: 'traffic-port', path: '/healthz' },
    });
    expect(scope.unread).toEqual([]);
    // 'use_load_balancer_configuration' means "inherit": undefined, not false.
    expect(web?.attributes.raw['load_balancing.cross_zone.enabled']).toBe('use_load_balancer_configuration');
    expect(web?.attributes.crossZoneEnabled).toBeUndefined();
    expect(web?.targets.map((t) => [t.id, t.port, t.health.state]).sort()).toEqual([
      [built.instances.one, 8080, 'healthy'],
      [built.instances.two, 8080, 'healthy'],
    ].sort());
    const api = scope.targetGroups.find((g) => g.arn === built.apiTg);
    expect(api?.healthCheck.port).toBe(9091);
    expect(api?.targets).toEqual([]);
    const tcp = scope.targetGroups.find((g) => g.arn === built.tcpTg);
    expect(tcp?.targets.map((t) => t.id)).toEqual(['10.20.1.10']);
    expect(tcp?.loadBalancerArns).toEqual([built.nlb.arn]);
  });

  it('collects the Classic LB with its ARN, zones from its subnets, attributes, default health check and instance health', () => {
    const classic = lb(built.classic);
    expect(classic.arn).toBe(`arn:aws:elasticloadbalancing:${region}:${MOTO_ACCOUNT}:loadbalancer/${built.classic.name}`);
    expect(classic).toMatchObject({ kind: 'classic', scheme: 'internet-facing', dnsName: built.classic.dnsName, tags: { owner: 'legacy' } });
    expect(classic.availabilityZones.map((z) => [z.zoneName, z.subnetId]).sort()).toEqual([
      [`${region}a`, built.subnets.a],
      [`${region}b`, built.subnets.b],
    ]);
    expect(classic.attributes).toMatchObject({ idleTimeoutSeconds: 30, crossZoneEnabled: true });
    expect(classic.listeners).toEqual([
      { port: 80, protocol: 'HTTP', instancePort: 8080, instanceProtocol: 'HTTP', certificateArns: [], defaultTargetGroupArns: [], rules: [] },
    ]);
    // moto has no health check until ConfigureHealthCheck; AWS always has one, by default HTTP:80/index.html.
    expect(classic.classic?.healthCheck).toEqual({ target: 'HTTP:80/index.html', intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 10, unhealthyThreshold: 2 });
    expect(classic.classic?.instances).toEqual([{ instanceId: built.instances.one, state: 'healthy' }]);
  });

  it('collects subnets, route tables with targets, and resolves the main-table fallback', () => {
    expect(scope.subnets.find((s) => s.id === built.subnets.c)).toMatchObject({ vpcId: built.vpc, availabilityZone: `${region}c`, cidrBlock: '10.20.3.0/24' });
    expect(scope.vpcs.find((v) => v.id === built.vpc)).toEqual({ id: built.vpc, cidrBlocks: ['10.20.0.0/16'], ipv6CidrBlocks: [built.ipv6Block], isDefault: false });
    expect(scope.subnets.find((s) => s.id === built.subnets.a)?.ipv6CidrBlocks).toEqual([built.ipv6Block.replace(/::\/56$/, '::/64')]);
    const index = new InventoryIndex(scope);
    const explicit = index.effectiveRouteTable(built.subnets.a);
    expect(explicit?.via).toBe('explicit');
    expect(explicit?.routeTable.id).toBe(built.publicTable);
    expect(explicit?.routeTable.routes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ destinationCidrBlock: '10.20.0.0/16', target: { kind: 'local', id: 'local' }, state: 'active' }),
        expect.objectContaining({ destinationCidrBlock: '0.0.0.0/0', target: { kind: 'internet-gateway', id: built.igw }, state: 'active' }),
        expect.objectContaining({ destinationIpv6CidrBlock: '::/0', target: { kind: 'egress-only-internet-gateway', id: built.eigw } }),
      ]),
    );
    const fallback = index.effectiveRouteTable(built.subnets.c);
    expect(fallback?.via).toBe('main');
    expect(fallback?.routeTable).toMatchObject({ id: built.mainTable, isMain: true, subnetIds: [] });
    expect(fallback?.routeTable.routes).toContainEqual(
      expect.objectContaining({ destinationCidrBlock: '0.0.0.0/0', target: { kind: 'nat-gateway', id: built.nat } }),
    );
  });

  it('collects internet, egress-only and NAT gateways', () => {
    expect(scope.internetGateways).toContainEqual({ id: built.igw, attachments: [{ vpcId: built.vpc, state: expect.stringMatching(/available|attached/) }] });
    expect(scope.egressOnlyInternetGateways.map((g) => g.id)).toEqual([built.eigw]);
    // Fetched by id because a route points at it, so a rule can say which VPC it belongs to.
    expect(scope.internetGateways).toContainEqual({ id: built.otherIgw, attachments: [{ vpcId: built.otherVpc, state: expect.stringMatching(/available|attached/) }] });
    expect(scope.natGateways).toContainEqual(expect.objectContaining({ id: built.nat, vpcId: built.vpc, subnetId: built.subnets.a, connectivityType: 'public' }));
  });

  it('normalises security group rules and resolves the prefix lists they reference', () => {
    const group = scope.securityGroups.find((g) => g.id === built.targetSg);
    expect(group?.ingress).toEqual(
      expect.arrayContaining([
        { protocol: 'tcp', fromPort: 8080, toPort: 8080, sources: [{ kind: 'security-group', groupId: built.lbSg, userId: MOTO_ACCOUNT }] },
        { protocol: 'tcp', fromPort: 22, toPort: 22, sources: [{ kind: 'prefix-list', prefixListId: built.prefixList }] },
        { protocol: 'all', fromPort: 0, toPort: 65535, sources: [{ kind: 'cidr-ipv4', cidr: '10.20.0.0/16' }] },
      ]),
    );
    expect(group?.egress).toEqual([{ protocol: 'tcp', fromPort: 1024, toPort: 65535, sources: [{ kind: 'cidr-ipv4', cidr: '10.20.0.0/16' }] }]);
    const lbGroup = scope.securityGroups.find((g) => g.id === built.lbSg);
    expect(lbGroup?.ingress).toContainEqual({ protocol: 'tcp', fromPort: 80, toPort: 80, sources: [{ kind: 'cidr-ipv6', cidr: '::/0' }] });
    // The default egress rule of a group in a VPC with IPv6: everything, to 0.0.0.0/0 and ::/0.
    expect(lbGroup?.egress).toEqual([
      { protocol: 'all', fromPort: 0, toPort: 65535, sources: [{ kind: 'cidr-ipv4', cidr: '0.0.0.0/0' }, { kind: 'cidr-ipv6', cidr: '::/0' }] },
    ]);
    expect(scope.prefixLists).toEqual([{ id: built.prefixList, name: 'office', addressFamily: 'IPv4', cidrs: ['192.0.2.0/24', '198.51.100.0/24'] }]);
  });

  it('collects network ACLs with entries, associations and the default flag', () => {
    const index = new InventoryIndex(scope);
    const acl = index.networkAclOf(built.subnets.c);
    expect(acl).toMatchObject({ id: built.acl, vpcId: built.vpc, isDefault: false, subnetIds: [built.subnets.c] });
    expect(acl?.entries).toEqual(
      expect.arrayContaining([
        { ruleNumber: 100, egress: false, protocol: 'tcp', action: 'allow', cidrBlock: '0.0.0.0/0', portRange: { from: 443, to: 443 } },
        { ruleNumber: 200, egress: true, protocol: 'all', action: 'deny', cidrBlock: '0.0.0.0/0' },
      ]),
    );
    const defaultAcl = index.networkAclOf(built.subnets.a);
    expect(defaultAcl?.isDefault).toBe(true);
    expect(defaultAcl?.subnetIds).toEqual(expect.arrayContaining([built.subnets.a, built.subnets.b]));
  });

  it('collects the load balancers network interfaces and matches each to its load balancer', () => {
    const index = new InventoryIndex(scope);
    expect(index.networkInterfaceByIp('127.0.0.21')).toMatchObject({
      id: built.enis.alb.networkInterfaceId,
      loadBalancerArn: built.alb.arn,
      subnetId: built.subnets.a,
      availabilityZone: `${region}a`,
      publicIps: ['127.0.0.21'],
    });
    expect(index.networkInterfaceByIp('127.0.0.22')?.loadBalancerArn).toBe(built.nlb.arn);
    expect(index.networkInterfaceByIp('127.0.0.23')).toMatchObject({ loadBalancerArn: built.classic.arn, description: `ELB ${built.classic.name}` });
    expect(scope.networkInterfaces.filter((eni) => eni.loadBalancerArn === built.alb.arn).map((eni) => eni.id)).toEqual([built.enis.alb.networkInterfaceId]);
  });

  it('collects the instances registered as targets', () => {
    expect(scope.instances.map((i) => i.id).sort()).toEqual([built.instances.one, built.instances.two].sort());
    expect(scope.instances.find((i) => i.id === built.instances.two)).toMatchObject({
      state: 'running',
      vpcId: built.vpc,
      subnetId: built.subnets.b,
      availabilityZone: `${region}b`,
      securityGroupIds: [built.targetSg],
      privateIpAddress: expect.stringMatching(/^10\.20\.2\./),
    });
  });
});
