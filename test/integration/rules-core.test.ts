/**
 * The eight core configuration rules against moto: a correct, well-built public setup
 * (ALB, NLB and Classic LB over two AZs) where none of them fires, and broken variants
 * of the same setup, each in its own region, where the right rule fires on the right
 * resource with the right message. The inventory comes from the real collector and the
 * findings from the real engine.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { collectInventory } from '../../src/aws/collect.js';
import { runEngine, type ReportFinding } from '../../src/engine/runner.js';
import type { Inventory } from '../../src/inventory/model.js';
import { rules } from '../../rules/index.js';
import { MOTO_REGIONS, motoCollectOptions } from '../support/moto.js';
import { scenario, type LoadBalancerRef, type NetworkAclEntrySpec, type SecurityGroupRuleSpec } from '../support/scenario.js';

const CORE_RULES = new Set([
  'az-without-healthy-targets',
  'idle-timeout-exceeds-target-keepalive',
  'internet-facing-subnet-without-igw-route',
  'lb-security-group-blocks-listener',
  'network-acl-blocks-traffic',
  'single-az-load-balancer',
  'target-group-without-healthy-targets',
  'target-security-group-blocks-lb',
]);

interface Breakage {
  /** Subnet b's own route table sends 0.0.0.0/0 to a NAT gateway instead of the IGW. */
  natInsteadOfIgw?: boolean;
  /** Subnet b has no explicit route table association, so the VPC's main table (no default route) governs it. */
  subnetBOnMainTable?: boolean;
  lbIngress?: SecurityGroupRuleSpec[];
  appIngress?: SecurityGroupRuleSpec[];
  /** Leave the ALB's target group empty. */
  emptyWebGroup?: boolean;
  /** Register only the AZ-a instance with the NLB's target group. */
  nlbTargetsInOneAz?: boolean;
  /** A network ACL on the public subnets with these entries. */
  publicAcl?: NetworkAclEntrySpec[];
  webGroupTags?: Record<string, string>;
  classicTags?: Record<string, string>;
  /** Also create an NLB enabled in subnet a only. */
  singleAzNlb?: boolean;
}

interface Setup {
  region: string;
  vpc: string;
  subnets: { a: string; b: string; appA: string; appB: string };
  lbSg: string;
  appSg: string;
  alb: LoadBalancerRef;
  nlb: LoadBalancerRef;
  classic: LoadBalancerRef;
  solo?: LoadBalancerRef;
  webTg: string;
  edgeTg: string;
  instances: { a: string; b: string };
  natTable?: string;
  nat?: string;
  mainTable?: string;
  publicTable?: string;
  acl?: string;
}

/**
 * The correct setup: public subnets a and b (explicit route table to the IGW), app subnets
 * on the main table, sg lb admits 80 from anywhere, sg app admits 8080 from sg lb and (for
 * the NLB, which has no security groups and preserves client IPs) from anywhere; an ALB
 * (HTTP 80 -> tg web 8080), an NLB (TCP 443 -> tg edge TCP 8080) and a Classic LB (HTTP 80
 * -> 8080), all with both instances registered.
 */
async function build(region: string, breakage: Breakage = {}): Promise<Setup> {
  const s = await scenario(region);
  const vpc = await s.vpc({ cidr: '10.30.0.0/16' });
  const igw = await s.internetGateway(vpc);
  const a = await s.subnet(vpc, { cidr: '10.30.1.0/24', az: `${region}a` });
  const b = await s.subnet(vpc, { cidr: '10.30.2.0/24', az: `${region}b` });
  const appA = await s.subnet(vpc, { cidr: '10.30.11.0/24', az: `${region}a` });
  const appB = await s.subnet(vpc, { cidr: '10.30.12.0/24', az: `${region}b` });
  const setup: Partial<Setup> = { region, vpc, subnets: { a, b, appA, appB } };
  if (breakage.natInsteadOfIgw) {
    await s.routeTable(vpc, { routes: [{ cidr: '0.0.0.0/0', gatewayId: igw }], subnets: [a] });
    setup.nat = await s.natGateway(a);
    setup.natTable = await s.routeTable(vpc, { routes: [{ cidr: '0.0.0.0/0', natGatewayId: setup.nat }], subnets: [b] });
  } else {
    setup.publicTable = await s.routeTable(vpc, { routes: [{ cidr: '0.0.0.0/0', gatewayId: igw }], subnets: breakage.subnetBOnMainTable ? [a] : [a, b] });
  }
  setup.mainTable = await s.mainRouteTable(vpc);
  const lbSg = await s.securityGroup(vpc, { name: `lb-${region}`, ingress: breakage.lbIngress ?? [{ port: 80, cidr: '0.0.0.0/0' }] });
  const appSg = await s.securityGroup(vpc, {
    name: `app-${region}`,
    ingress: breakage.appIngress ?? [
      { port: 8080, sourceGroup: lbSg },
      { port: 8080, cidr: '0.0.0.0/0' },
    ],
  });
  if (breakage.publicAcl) setup.acl = await s.networkAcl(vpc, { subnets: [a, b], entries: breakage.publicAcl });
  const instanceA = await s.instance(appA, { securityGroups: [appSg] });
  const instanceB = await s.instance(appB, { securityGroups: [appSg] });

  const alb = await s.alb({ name: `web-${region}`, subnets: [a, b], securityGroups: [lbSg] });
  const webTg = await s.targetGroup(vpc, { name: `web-${region}`, port: 8080, protocol: 'HTTP', healthCheck: { path: '/health' }, tags: breakage.webGroupTags });
  if (!breakage.emptyWebGroup) await s.register(webTg, [instanceA, instanceB]);
  await s.listener(alb, { port: 80, protocol: 'HTTP', targetGroup: webTg });

  const nlb = await s.nlb({ name: `edge-${region}`, subnets: [a, b] });
  const edgeTg = await s.targetGroup(vpc, { name: `edge-${region}`, port: 8080, protocol: 'TCP' });
  await s.register(edgeTg, breakage.nlbTargetsInOneAz ? [instanceA] : [instanceA, instanceB]);
  await s.listener(nlb, { port: 443, protocol: 'TCP', targetGroup: edgeTg });

  const classic = await s.classic({
    name: `legacy-${region}`,
    subnets: [a, b],
    securityGroups: [lbSg],
    listeners: [{ port: 80, protocol: 'HTTP', instancePort: 8080 }],
    instances: [instanceA, instanceB],
    healthCheck: { target: 'HTTP:8080/health' },
    crossZone: true,
    tags: breakage.classicTags,
  });

  if (breakage.singleAzNlb) {
    setup.solo = await s.nlb({ name: `solo-${region}`, subnets: [a] });
    const soloTg = await s.targetGroup(vpc, { name: `solo-${region}`, port: 8080, protocol: 'TCP' });
    await s.register(soloTg, [instanceA]);
    await s.listener(setup.solo, { port: 443, protocol: 'TCP', targetGroup: soloTg });
  }
  return { ...setup, lbSg, appSg, alb, nlb, classic, webTg, edgeTg, instances: { a: instanceA, b: instanceB } } as Setup;
}

interface Audit {
  inventory: Inventory;
  /** The core rules' findings. */
  findings: ReportFinding[];
  /** Every rule's findings. */
  all: ReportFinding[];
}

async function audit(region: string): Promise<Audit> {
  const inventory = await collectInventory({ ...motoCollectOptions([region]), concurrency: 8 });
  const result = runEngine({ inventory, rules });
  return { inventory, findings: result.findings.filter((f) => CORE_RULES.has(f.ruleId)), all: result.findings };
}

function only(findings: ReportFinding[], ruleId: string, arn: string): ReportFinding[] {
  return findings.filter((f) => f.ruleId === ruleId && f.resource.arn === arn);
}

function describeFindings(findings: ReportFinding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.severity} ${f.resource.name}: ${f.message}`);
}

const REGIONS = MOTO_REGIONS.rulesCore;

const setups = {} as Record<keyof typeof REGIONS, Setup>;
const audits = {} as Record<keyof typeof REGIONS, Audit>;

beforeAll(async () => {
  const breakages: Record<keyof typeof REGIONS, Breakage> = {
    healthy: { webGroupTags: { 'lbcheck:keepalive': '65s' }, classicTags: { 'lbcheck:keepalive': 'nginx' } },
    routing: { natInsteadOfIgw: true },
    mainTable: { subnetBOnMainTable: true },
    security: { lbIngress: [{ port: 443, cidr: '0.0.0.0/0' }], appIngress: [{ port: 9090, cidr: '10.30.0.0/16' }] },
    health: { emptyWebGroup: true, nlbTargetsInOneAz: true },
    acl: {
      publicAcl: [
        { rule: 50, action: 'deny', protocol: 'tcp', port: 80, cidr: '0.0.0.0/0' },
        { rule: 100, action: 'allow', protocol: 'all', cidr: '0.0.0.0/0' },
        { rule: 100, egress: true, action: 'allow', protocol: 'all', cidr: '0.0.0.0/0' },
      ],
    },
    keepalive: { webGroupTags: { 'lbcheck:keepalive': 'nodejs' }, classicTags: { 'lbcheck:keepalive': 'gunicorn' }, singleAzNlb: true },
  };
  const names = Object.keys(REGIONS) as (keyof typeof REGIONS)[];
  const built = await Promise.all(names.map((name) => build(REGIONS[name], breakages[name])));
  names.forEach((name, i) => (setups[name] = built[i] as Setup));
  const audited = await Promise.all(names.map((name) => audit(REGIONS[name])));
  names.forEach((name, i) => (audits[name] = audited[i] as Audit));
}, 120_000);

describe('a correct public ALB + NLB + Classic setup', () => {
  it('collects all three load balancers and both instances', () => {
    const scope = audits.healthy.inventory.scopes[0];
    expect(scope?.loadBalancers.map((lb) => lb.arn).sort()).toEqual([setups.healthy.alb.arn, setups.healthy.nlb.arn, setups.healthy.classic.arn].sort());
    expect(scope?.instances.map((i) => i.id).sort()).toEqual([setups.healthy.instances.a, setups.healthy.instances.b].sort());
  });

  it('fires no core rule', () => {
    expect(describeFindings(audits.healthy.findings)).toEqual([]);
  });

  it('gains no error from the other rules: plain HTTP, no logs and the like are warnings and information', () => {
    const others = audits.healthy.all.filter((f) => !CORE_RULES.has(f.ruleId));
    expect(others.length).toBeGreaterThan(0);
    expect(describeFindings(others.filter((f) => f.severity === 'error'))).toEqual([]);
  });
});

describe('a public subnet routed to a NAT gateway', () => {
  it('fires internet-facing-subnet-without-igw-route for every LB in that subnet, naming the table and the NAT gateway', () => {
    const { findings } = audits.routing;
    const setup = setups.routing;
    for (const lb of [setup.alb, setup.nlb, setup.classic]) {
      const found = only(findings, 'internet-facing-subnet-without-igw-route', lb.arn);
      expect(found.map((f) => f.evidence['subnetId'])).toEqual([setup.subnets.b]);
      expect(found[0]?.severity).toBe('error');
      expect(found[0]?.message).toContain(`Subnet ${setup.subnets.b} (${setup.region}b) of internet-facing`);
      expect(found[0]?.message).toContain(`sends 0.0.0.0/0 to nat-gateway ${setup.nat}, not to an internet gateway (route table ${setup.natTable})`);
      expect(found[0]?.evidence).toMatchObject({ routeTableId: setup.natTable, routeTableVia: 'explicit' });
    }
    expect(describeFindings(findings.filter((f) => f.ruleId !== 'internet-facing-subnet-without-igw-route'))).toEqual([]);
  });
});

describe('a public subnet left on the main route table', () => {
  it('fires internet-facing-subnet-without-igw-route, saying the main table governs the subnet', () => {
    const setup = setups.mainTable;
    const [finding, ...rest] = only(audits.mainTable.findings, 'internet-facing-subnet-without-igw-route', setup.alb.arn);
    expect(rest).toEqual([]);
    expect(finding?.message).toContain(`Subnet ${setup.subnets.b} (${setup.region}b) of internet-facing ALB web-${setup.region} has no 0.0.0.0/0 route (the main route table ${setup.mainTable})`);
    expect(finding?.fix).toBe(`Associate ${setup.subnets.b} with route table ${setup.publicTable}, which reaches the internet: aws ec2 associate-route-table --route-table-id ${setup.publicTable} --subnet-id ${setup.subnets.b}.`);
    expect(finding?.evidence).toMatchObject({ subnetId: setup.subnets.b, routeTableId: setup.mainTable, routeTableVia: 'main', problems: [{ destination: '0.0.0.0/0', problem: 'no-default-route' }] });
    expect(audits.mainTable.findings.map((f) => `${f.ruleId} ${f.resource.name}`).sort()).toEqual(
      [setup.alb, setup.classic, setup.nlb].map((lb) => `internet-facing-subnet-without-igw-route ${lb.name}`).sort(),
    );
  });
});

describe('security groups that block the listener and the targets', () => {
  it('fires lb-security-group-blocks-listener for the ALB and the Classic LB on port 80', () => {
    const { findings } = audits.security;
    const setup = setups.security;
    for (const lb of [setup.alb, setup.classic]) {
      const [finding, ...rest] = only(findings, 'lb-security-group-blocks-listener', lb.arn);
      expect(rest).toEqual([]);
      expect(finding?.message).toContain(`security groups (${setup.lbSg}) do not admit TCP 80 from its clients (anywhere (internet-facing))`);
      expect(finding?.evidence).toMatchObject({ listenerPort: 80, notAdmitted: ['0.0.0.0/0'] });
    }
    expect(only(findings, 'lb-security-group-blocks-listener', setup.nlb.arn)).toEqual([]);
  });

  it('fires target-security-group-blocks-lb for each load balancer whose targets do not admit it on 8080', () => {
    const { findings } = audits.security;
    const setup = setups.security;
    const onWeb = only(findings, 'target-security-group-blocks-lb', setup.webTg);
    expect(onWeb.map((f) => f.evidence['check'])).toEqual(['traffic']);
    expect(onWeb[0]?.message).toContain(`The security groups (${setup.appSg}) of targets`);
    expect(onWeb[0]?.message).toContain(`do not admit TCP 8080 from ALB web-${setup.region} (its security group ${setup.lbSg} or its subnets 10.30.1.0/24, 10.30.2.0/24)`);
    expect(onWeb[0]?.fix).toContain(`--group-id ${setup.appSg} --protocol tcp --port 8080 --source-group ${setup.lbSg}`);
    const onEdge = only(findings, 'target-security-group-blocks-lb', setup.edgeTg);
    expect(onEdge.map((f) => `${String(f.evidence['check'])} ${f.severity}`).sort()).toEqual(['health-check error', 'traffic error']);
    const onClassic = only(findings, 'target-security-group-blocks-lb', setup.classic.arn);
    expect(onClassic.map((f) => f.evidence['check'])).toEqual(['traffic']);
  });
});

describe('targets missing from a target group and from an AZ', () => {
  it('fires target-group-without-healthy-targets for the empty ALB target group', () => {
    const setup = setups.health;
    const [finding, ...rest] = only(audits.health.findings, 'target-group-without-healthy-targets', setup.webTg);
    expect(rest).toEqual([]);
    expect(finding?.message).toBe(
      `Target group web-${setup.region}, which ALB web-${setup.region} forwards port 80 to, has no registered targets, so those requests fail.`,
    );
    expect(finding?.fix).toBe(`Register targets: aws elbv2 register-targets --target-group-arn ${setup.webTg} --targets Id=<target>.`);
    expect(finding?.evidence).toMatchObject({ loadBalancerArn: setup.alb.arn, listenerPorts: [80], targets: [] });
  });

  it('fires az-without-healthy-targets for the NLB (cross-zone off) with no target in AZ b', () => {
    const setup = setups.health;
    const [finding, ...rest] = only(audits.health.findings, 'az-without-healthy-targets', setup.nlb.arn);
    expect(rest).toEqual([]);
    expect(finding?.message).toContain(`NLB edge-${setup.region} routes ${setup.region}b traffic only to ${setup.region}b targets (cross-zone off) but target group edge-${setup.region} has no healthy target there (none registered)`);
    expect(finding?.evidence).toMatchObject({ availabilityZone: `${setup.region}b`, targetGroupArn: setup.edgeTg, healthyTargetsByZone: { [`${setup.region}a`]: [setup.instances.a], [`${setup.region}b`]: [] } });
  });
});

describe('a network ACL denying the listener port', () => {
  it('fires network-acl-blocks-traffic for the ALB and the Classic LB, naming the deny entry', () => {
    const setup = setups.acl;
    for (const lb of [setup.alb, setup.classic]) {
      const [finding, ...rest] = only(audits.acl.findings, 'network-acl-blocks-traffic', lb.arn);
      expect(rest).toEqual([]);
      expect(finding?.message).toContain(`Network ACL ${setup.acl} (subnets ${setup.subnets.a}, ${setup.subnets.b}) denies inbound TCP 80 from clients (0.0.0.0/0) (entry 50 denies 0.0.0.0/0)`);
      expect(finding?.fix).toContain(`--network-acl-id ${setup.acl} --ingress --rule-number 49`);
    }
    expect(only(audits.acl.findings, 'network-acl-blocks-traffic', setup.nlb.arn)).toEqual([]);
  });
});

describe('keep-alive shorter than the idle timeout, and a single-AZ NLB', () => {
  it('fires idle-timeout-exceeds-target-keepalive for the Node.js ALB target group and the gunicorn Classic LB', () => {
    const setup = setups.keepalive;
    const [alb] = only(audits.keepalive.findings, 'idle-timeout-exceeds-target-keepalive', setup.alb.arn);
    expect(alb?.message).toContain(`ALB web-${setup.region}'s idle timeout (60 s) is not shorter than the keep-alive of target group web-${setup.region} (5 s, from nodejs default, tag lbcheck:keepalive=nodejs`);
    expect(alb?.fix).toContain('server.keepAliveTimeout = 65000');
    const [classic] = only(audits.keepalive.findings, 'idle-timeout-exceeds-target-keepalive', setup.classic.arn);
    expect(classic?.message).toContain('(2 s, from gunicorn default');
    expect(classic?.evidence).toMatchObject({ idleTimeoutSeconds: 60, keepAliveSeconds: 2, keepAliveSource: 'tag' });
  });

  it('fires single-az-load-balancer for the NLB in one subnet only', () => {
    const setup = setups.keepalive;
    const solo = setup.solo as LoadBalancerRef;
    const found = audits.keepalive.findings.filter((f) => f.ruleId === 'single-az-load-balancer');
    expect(found.map((f) => f.resource.arn)).toEqual([solo.arn]);
    expect(found[0]?.message).toContain(`NLB ${solo.name} is enabled only in ${setup.region}a`);
  });
});
