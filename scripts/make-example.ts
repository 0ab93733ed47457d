/**
 * Writes examples/incidents.snapshot.json: a realistic inventory (one account, us-east-1)
 * that reproduces the two incidents lbcheck was built for, and is otherwise healthy:
 *
 * 1. "shop" — an internet-facing ALB in three AZs. Subnets in 1a and 1b are associated
 *    with the public route table (0.0.0.0/0 -> igw); the 1c subnet has no explicit
 *    association, so the VPC's main table governs it, and that table has no route to the
 *    internet gateway. One of three DNS answers hangs.
 * 2. "api" — an ALB with the default 60 s idle timeout in front of target group "api-node",
 *    tagged lbcheck:keepalive=nodejs (Node.js closes idle connections after 5 s): 502s.
 *
 * Built with the shared fixture builders and written through writeSnapshot, so the file
 * always passes the snapshot schema. Run: `npx tsx scripts/make-example.ts`.
 */
import { join } from 'node:path';
import { writeSnapshot } from '../src/inventory/snapshot.js';
import { SNAPSHOT_SCHEMA_VERSION, type Inventory, type NetworkInterface, type TlsPolicy } from '../src/inventory/model.js';
import { VERSION } from '../src/version.js';
import {
  ACCOUNT,
  REGION,
  alb,
  classic,
  forward,
  instance,
  internetGateway,
  listener,
  networkAcl,
  nlb,
  route,
  routeTable,
  scopeOf,
  securityGroup,
  subnet,
  target,
  targetGroup,
  tcp,
  vpc,
} from '../test/support/fixtures.js';

const VPC_ID = 'vpc-0a6d3c1f2b9e84d70';
const IGW_ID = 'igw-04f1d2c3b5a697e18';
const zones = ['a', 'b', 'c'] as const;

const theVpc = vpc({ id: VPC_ID, cidrBlocks: ['10.20.0.0/16'] });
const publicSubnets = zones.map((zone, i) =>
  subnet({ id: `subnet-0${zone}1c4e7f2d90b3a${i}5`, vpcId: VPC_ID, availabilityZone: `${REGION}${zone}`, availabilityZoneId: `use1-az${i + 1}`, cidrBlock: `10.20.${i}.0/24` }),
);
const appSubnets = zones.map((zone, i) =>
  subnet({
    id: `subnet-0${zone}7b2e9c4f1d6a8${i}3`,
    vpcId: VPC_ID,
    availabilityZone: `${REGION}${zone}`,
    availabilityZoneId: `use1-az${i + 1}`,
    cidrBlock: `10.20.${10 + i}.0/24`,
    mapPublicIpOnLaunch: false,
  }),
);
const [publicA, publicB] = publicSubnets as [(typeof publicSubnets)[0], (typeof publicSubnets)[0]];

const localRoute = route('10.20.0.0/16', 'local', 'local');
// Incident 1: only the 1a and 1b public subnets were associated with the public table when the 1c subnet was added.
const publicRoutes = routeTable({
  id: 'rtb-0c3e5a7f9b1d24e68',
  vpcId: VPC_ID,
  subnetIds: [publicA.id, publicB.id],
  routes: [localRoute, route('0.0.0.0/0', 'internet-gateway', IGW_ID)],
});
const natId = 'nat-0e2b4d6f8a1c3e5b7';
const mainRoutes = routeTable({ id: 'rtb-09d8c7b6a5f4e3d21', vpcId: VPC_ID, isMain: true, routes: [localRoute, route('0.0.0.0/0', 'nat-gateway', natId)] });

const lbGroup = securityGroup({ id: 'sg-0b1a2c3d4e5f60718', name: 'public-alb', vpcId: VPC_ID, ingress: [tcp(443, '0.0.0.0/0', '::/0'), tcp(80, '0.0.0.0/0', '::/0')] });
const appGroup = securityGroup({ id: 'sg-0f9e8d7c6b5a40312', name: 'app', vpcId: VPC_ID, ingress: [tcp(8080, lbGroup.id), tcp(3000, lbGroup.id)] });
const acl = networkAcl({ id: 'acl-0d4c3b2a1f0e9d8c7', vpcId: VPC_ID, isDefault: true, subnetIds: [...publicSubnets, ...appSubnets].map((s) => s.id) });

const shopInstances = appSubnets.map((s, i) =>
  instance({ id: `i-0${'abc'[i]}5e1f7d3c9b2a46${i}`, vpcId: VPC_ID, subnetId: s.id, availabilityZone: s.availabilityZone, privateIpAddress: `10.20.${10 + i}.21`, securityGroupIds: [appGroup.id] }),
);
const apiInstances = appSubnets.slice(0, 2).map((s, i) =>
  instance({ id: `i-0${'de'[i]}8a2c4e6f1b3d57${i}`, vpcId: VPC_ID, subnetId: s.id, availabilityZone: s.availabilityZone, privateIpAddress: `10.20.${10 + i}.42`, securityGroupIds: [appGroup.id] }),
);

const zonesOf = (subnets: readonly (typeof publicSubnets)[number][]) => subnets.map((s) => ({ zoneName: s.availabilityZone, subnetId: s.id }));
const certificate = `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/5e8f2a14-9c3b-4d7e-a1f6-0b2c3d4e5f60`;

/** Everything else about the example is healthy and hardened: access logs, deletion protection, invalid headers dropped, desync defensive. */
const hardenedAlbAttributes = {
  crossZoneEnabled: true,
  idleTimeoutSeconds: 60,
  deletionProtection: true,
  accessLogsEnabled: true,
  dropInvalidHeaderFields: true,
  desyncMitigationMode: 'defensive',
  raw: {
    'idle_timeout.timeout_seconds': '60',
    'deletion_protection.enabled': 'true',
    'access_logs.s3.enabled': 'true',
    'access_logs.s3.bucket': 'acme-lb-logs',
    'routing.http.drop_invalid_header_fields.enabled': 'true',
    'routing.http.desync_mitigation_mode': 'defensive',
  },
};
/** AWS's currently recommended policy, as DescribeSSLPolicies lists it. */
const CURRENT_POLICY: TlsPolicy = {
  name: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
  protocols: ['TLSv1.3', 'TLSv1.2'],
  ciphers: [
    'TLS_AES_128_GCM_SHA256',
    'TLS_AES_256_GCM_SHA384',
    'TLS_CHACHA20_POLY1305_SHA256',
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES128-GCM-SHA256',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-RSA-AES256-GCM-SHA384',
  ],
};

const shop = alb({
  name: 'shop',
  arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/shop/3f9a1c7e5b2d4a60`,
  dnsName: `shop-1288457023.${REGION}.elb.amazonaws.com`,
  vpcId: VPC_ID,
  zones: zonesOf(publicSubnets),
  securityGroupIds: [lbGroup.id],
  createdTime: '2024-03-11T09:12:44.000Z',
  tags: { team: 'storefront', env: 'prod' },
  attributes: hardenedAlbAttributes,
});
const shopGroup = targetGroup({
  name: 'shop-web',
  arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/shop-web/8c2e4a6f1b3d5e70`,
  vpcId: VPC_ID,
  port: 8080,
  tags: { 'lbcheck:keepalive': '75s' },
  targets: shopInstances.map((i) => target(i.id, { port: 8080, availabilityZone: i.availabilityZone })),
});
forward(shop, shopGroup, { port: 443, protocol: 'HTTPS', certificateArns: [certificate], sslPolicy: CURRENT_POLICY.name });
shop.listeners.unshift(listener({ port: 80, protocol: 'HTTP', arn: `${shop.arn.replace(':loadbalancer/', ':listener/')}/1a2b3c4d5e6f7081`, redirectsToHttps: true }));

const api = alb({
  name: 'api',
  arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/api/7b1d3f5a9c2e4b68`,
  dnsName: `api-902114553.${REGION}.elb.amazonaws.com`,
  vpcId: VPC_ID,
  zones: zonesOf([publicA, publicB]),
  securityGroupIds: [lbGroup.id],
  createdTime: '2023-10-02T14:40:05.000Z',
  tags: { team: 'platform', env: 'prod' },
  attributes: hardenedAlbAttributes,
});
// Incident 2: the Node.js service keeps idle connections 5 s; the ALB pools them for 60 s.
const apiGroup = targetGroup({
  name: 'api-node',
  arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/api-node/2d4f6a8c1e3b5d79`,
  vpcId: VPC_ID,
  port: 3000,
  healthCheck: { enabled: true, protocol: 'HTTP', port: 'traffic-port', path: '/healthz', intervalSeconds: 15, timeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 2, matcher: '200' },
  tags: { 'lbcheck:keepalive': 'nodejs', service: 'orders-api' },
  targets: apiInstances.map((i) => target(i.id, { port: 3000, availabilityZone: i.availabilityZone })),
});
forward(api, apiGroup, { port: 443, protocol: 'HTTPS', certificateArns: [certificate], sslPolicy: CURRENT_POLICY.name });

// One ENI per AZ node, as AWS creates them (description "ELB app/<name>/<id>"), with public IPs from the documentation range.
const eni = (lbArn: string, lbPath: string, s: (typeof publicSubnets)[number], n: number): NetworkInterface => ({
  id: `eni-0${n}f3a5c7e9b1d2f4a6`,
  subnetId: s.id,
  vpcId: VPC_ID,
  availabilityZone: s.availabilityZone,
  description: `ELB ${lbPath}`,
  interfaceType: 'interface',
  privateIpAddresses: [`${(s.cidrBlock ?? '').replace(/0\/24$/, '')}${100 + n}`],
  publicIps: [`203.0.113.${10 + n}`],
  ipv6Addresses: [],
  securityGroupIds: [lbGroup.id],
  loadBalancerArn: lbArn,
});
const lbPath = (arn: string) => arn.split(':loadbalancer/')[1] ?? '';
const networkInterfaces = [
  ...publicSubnets.map((s, i) => eni(shop.arn, lbPath(shop.arn), s, i + 1)),
  ...[publicA, publicB].map((s, i) => eni(api.arn, lbPath(api.arn), s, i + 4)),
];

const scope = scopeOf({
  account: ACCOUNT,
  region: REGION,
  loadBalancers: [shop, api],
  targetGroups: [shopGroup, apiGroup],
  vpcs: [theVpc],
  subnets: [...publicSubnets, ...appSubnets],
  routeTables: [publicRoutes, mainRoutes],
  internetGateways: [internetGateway(IGW_ID, VPC_ID)],
  natGateways: [{ id: natId, vpcId: VPC_ID, subnetId: publicA.id, state: 'available', connectivityType: 'public' }],
  securityGroups: [lbGroup, appGroup],
  networkAcls: [acl],
  networkInterfaces,
  instances: [...shopInstances, ...apiInstances],
  sslPolicies: [CURRENT_POLICY],
});

const inventory: Inventory = {
  schemaVersion: SNAPSHOT_SCHEMA_VERSION,
  tool: { name: 'lbcheck', version: VERSION },
  collectedAt: '2026-11-20T06:00:00.000Z',
  scopes: [scope],
  notChecked: [],
  stats: { apiCalls: { DescribeLoadBalancers: 1, DescribeListeners: 2, DescribeTargetGroups: 1, DescribeTargetHealth: 2, DescribeRouteTables: 1, DescribeSubnets: 1 }, durationMs: 1840 },
};

const path = join(import.meta.dirname, '..', 'examples', 'incidents.snapshot.json');
await writeSnapshot(inventory, path);
console.log(`wrote ${path}`);

// ------------------------------------------------------------------------------------------
// examples/categories.snapshot.json: one finding of each rule category, in the same VPC.
// - reachability: ALB "checkout" forwards /admin to target group "checkout-admin", whose targets all fail their health check;
// - resilience:   NLB "payments" is enabled in one AZ only;
// - security:     Classic LB "legacy" serves plain HTTP on port 80 (a Classic LB cannot redirect to HTTPS);
// - operations:   ALB "checkout" writes no access logs.
// Everything else is hardened, so `lbcheck audit --snapshot examples/categories.snapshot.json` shows exactly those four.
const checkout = alb({
  name: 'checkout',
  arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/checkout/5a7c9e1b3d5f7a92`,
  dnsName: `checkout-771203958.${REGION}.elb.amazonaws.com`,
  vpcId: VPC_ID,
  zones: zonesOf([publicA, publicB]),
  securityGroupIds: [lbGroup.id],
  attributes: { ...hardenedAlbAttributes, accessLogsEnabled: false, raw: { ...hardenedAlbAttributes.raw, 'access_logs.s3.enabled': 'false' } },
});
const checkoutWeb = targetGroup({
  name: 'checkout-web',
  arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/checkout-web/1c3e5a7b9d2f4a61`,
  vpcId: VPC_ID,
  targets: apiInstances.map((i) => target(i.id, { port: 8080, availabilityZone: i.availabilityZone })),
});
const checkoutAdmin = targetGroup({
  name: 'checkout-admin',
  arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/checkout-admin/6b8d0f2a4c6e8b13`,
  vpcId: VPC_ID,
  targets: apiInstances.map((i) =>
    target(i.id, { port: 8080, availabilityZone: i.availabilityZone, health: { state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [500]' } }),
  ),
});
forward(checkout, checkoutWeb, { port: 443, protocol: 'HTTPS', certificateArns: [certificate], sslPolicy: CURRENT_POLICY.name });
checkout.listeners[0]?.rules.push({ arn: `${checkout.arn.replace(':loadbalancer/', ':listener-rule/')}/0a1b/2c3d`, priority: '10', conditions: [], targetGroupArns: [checkoutAdmin.arn] });
checkoutAdmin.loadBalancerArns.push(checkout.arn);
checkout.listeners.unshift(listener({ port: 80, protocol: 'HTTP', redirectsToHttps: true }));

const payments = nlb({
  name: 'payments',
  arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/net/payments/9d1f3b5a7c9e1b24`,
  dnsName: `payments-4b1f2e3d5c6a7b80.elb.${REGION}.amazonaws.com`,
  vpcId: VPC_ID,
  zones: zonesOf([publicA]),
  attributes: { crossZoneEnabled: true, deletionProtection: true, accessLogsEnabled: false, raw: { 'load_balancing.cross_zone.enabled': 'true', 'deletion_protection.enabled': 'true' } },
});
const paymentsGroup = targetGroup({
  name: 'payments-tcp',
  arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/payments-tcp/3e5a7c9b1d3f5a72`,
  vpcId: VPC_ID,
  protocol: 'TCP',
  healthCheck: { enabled: true, protocol: 'TCP', port: 'traffic-port' },
  targets: [target(apiInstances[0]?.id ?? '', { port: 8080, availabilityZone: publicA.availabilityZone })],
});
forward(payments, paymentsGroup, { port: 443, protocol: 'TCP' });

const legacy = classic({
  name: 'legacy',
  dnsName: `legacy-1599473211.${REGION}.elb.amazonaws.com`,
  vpcId: VPC_ID,
  zones: zonesOf([publicA, publicB]),
  securityGroupIds: [lbGroup.id],
  listeners: [listener({ port: 80, protocol: 'HTTP', instancePort: 8080, instanceProtocol: 'HTTP' })],
  attributes: {
    crossZoneEnabled: true,
    idleTimeoutSeconds: 60,
    accessLogsEnabled: true,
    desyncMitigationMode: 'defensive',
    connectionDraining: { enabled: true, timeoutSeconds: 300 },
    raw: { 'CrossZoneLoadBalancing.Enabled': 'true', 'AccessLog.Enabled': 'true', 'ConnectionDraining.Enabled': 'true' },
  },
  classic: {
    healthCheck: { target: 'HTTP:8080/health', intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 },
    instances: apiInstances.map((i) => ({ instanceId: i.id, state: 'healthy' as const })),
  },
});

const categoriesScope = scopeOf({
  account: ACCOUNT,
  region: REGION,
  loadBalancers: [checkout, payments, legacy],
  targetGroups: [checkoutWeb, checkoutAdmin, paymentsGroup],
  vpcs: [theVpc],
  subnets: [...publicSubnets, ...appSubnets].map((s) => ({ ...s, availableIpAddressCount: 240 })),
  routeTables: [{ ...publicRoutes, subnetIds: publicSubnets.map((s) => s.id) }, mainRoutes],
  internetGateways: [internetGateway(IGW_ID, VPC_ID)],
  natGateways: [{ id: natId, vpcId: VPC_ID, subnetId: publicA.id, state: 'available', connectivityType: 'public' }],
  securityGroups: [lbGroup, { ...appGroup, ingress: [...appGroup.ingress, tcp(8080, '0.0.0.0/0')] }],
  networkAcls: [acl],
  instances: apiInstances,
  sslPolicies: [CURRENT_POLICY],
});
const categoriesPath = join(import.meta.dirname, '..', 'examples', 'categories.snapshot.json');
await writeSnapshot({ ...inventory, scopes: [categoriesScope] }, categoriesPath);
console.log(`wrote ${categoriesPath}`);
