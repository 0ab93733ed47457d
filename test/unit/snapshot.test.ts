/**
 * Snapshot write/read: a round trip keeps every field, only model fields are written, and
 * a bad file is one line naming the file and the problem.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LbcheckError } from '../../src/errors.js';
import type { Inventory, LoadBalancer } from '../../src/inventory/model.js';
import { firstSyntaxErrorOffset, jsonErrorWhere, readSnapshot, writeSnapshot } from '../../src/inventory/snapshot.js';

const ACCOUNT = '210987654321';
const REGION = 'eu-west-2';

function loadBalancer(name: string, kind: LoadBalancer['kind']): LoadBalancer {
  const arn =
    kind === 'classic'
      ? `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/${name}`
      : `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/${kind === 'application' ? 'app' : 'net'}/${name}/0123456789abcdef`;
  return {
    arn,
    name,
    kind,
    scheme: 'internet-facing',
    dnsName: `${name}-1.${REGION}.elb.amazonaws.com`,
    ipAddressType: 'ipv4',
    vpcId: 'vpc-0a1b',
    availabilityZones: [
      { zoneName: `${REGION}a`, subnetId: 'subnet-0a' },
      { zoneName: `${REGION}b`, subnetId: 'subnet-0b', addresses: [{ ipAddress: '198.51.100.7', allocationId: 'eipalloc-1' }] },
    ],
    securityGroupIds: ['sg-0lb'],
    attributes: { idleTimeoutSeconds: kind === 'network' ? undefined : 60, crossZoneEnabled: kind === 'application', raw: { 'deletion_protection.enabled': 'false' } },
    listeners: [
      {
        arn: kind === 'classic' ? undefined : `${arn.replace(':loadbalancer/', ':listener/')}/l1`,
        port: 443,
        protocol: kind === 'network' ? 'TCP' : 'HTTPS',
        certificateArns: kind === 'network' ? [] : [`arn:aws:acm:${REGION}:${ACCOUNT}:certificate/abc`],
        defaultTargetGroupArns: kind === 'classic' ? [] : [`arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/web/1`],
        rules: [],
        idleTimeoutSeconds: kind === 'network' ? 350 : undefined,
      },
    ],
    tags: { team: 'payments' },
    classic: kind === 'classic' ? { healthCheck: { target: 'HTTP:80/index.html', intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 10, unhealthyThreshold: 2 }, instances: [{ instanceId: 'i-0a', state: 'healthy' }] } : undefined,
  };
}

function inventory(): Inventory {
  return {
    schemaVersion: 1,
    tool: { name: 'lbcheck', version: '0.1.0' },
    collectedAt: '2026-11-22T01:00:00.000Z',
    scopes: [
      {
        account: ACCOUNT,
        region: REGION,
        loadBalancers: [loadBalancer('web', 'application'), loadBalancer('edge', 'network'), loadBalancer('legacy', 'classic')],
        targetGroups: [
          {
            arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/web/1`,
            name: 'web',
            targetType: 'instance',
            protocol: 'HTTP',
            port: 8080,
            vpcId: 'vpc-0a1b',
            loadBalancerArns: [loadBalancer('web', 'application').arn],
            healthCheck: { enabled: true, protocol: 'HTTP', port: 'traffic-port', path: '/healthz', matcher: '200' },
            attributes: { crossZoneEnabled: undefined, deregistrationDelaySeconds: 300, raw: { 'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration' } },
            targets: [{ id: 'i-0a', port: 8080, health: { state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out' } }],
            tags: { 'lbcheck:keepalive': 'nodejs' },
          },
        ],
        vpcs: [{ id: 'vpc-0a1b', cidrBlocks: ['10.0.0.0/16'], ipv6CidrBlocks: [], isDefault: false }],
        subnets: [
          { id: 'subnet-0a', vpcId: 'vpc-0a1b', availabilityZone: `${REGION}a`, cidrBlock: '10.0.1.0/24', ipv6CidrBlocks: [], mapPublicIpOnLaunch: false },
          { id: 'subnet-0b', vpcId: 'vpc-0a1b', availabilityZone: `${REGION}b`, cidrBlock: '10.0.2.0/24', ipv6CidrBlocks: [], mapPublicIpOnLaunch: false },
        ],
        routeTables: [
          {
            id: 'rtb-main',
            vpcId: 'vpc-0a1b',
            isMain: true,
            subnetIds: [],
            routes: [{ destinationCidrBlock: '0.0.0.0/0', target: { kind: 'internet-gateway', id: 'igw-1' }, state: 'blackhole', origin: 'CreateRoute' }],
          },
        ],
        internetGateways: [{ id: 'igw-1', attachments: [{ vpcId: 'vpc-0a1b', state: 'available' }] }],
        egressOnlyInternetGateways: [],
        natGateways: [{ id: 'nat-1', vpcId: 'vpc-0a1b', subnetId: 'subnet-0a', state: 'available', connectivityType: 'public' }],
        securityGroups: [
          {
            id: 'sg-0lb',
            name: 'lb',
            vpcId: 'vpc-0a1b',
            ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, sources: [{ kind: 'cidr-ipv4', cidr: '0.0.0.0/0' }, { kind: 'prefix-list', prefixListId: 'pl-1' }] }],
            egress: [{ protocol: 'all', fromPort: 0, toPort: 65535, sources: [{ kind: 'security-group', groupId: 'sg-0t', userId: ACCOUNT }] }],
          },
        ],
        networkAcls: [
          {
            id: 'acl-1',
            vpcId: 'vpc-0a1b',
            isDefault: true,
            subnetIds: ['subnet-0a', 'subnet-0b'],
            entries: [{ ruleNumber: 32767, egress: false, protocol: 'all', action: 'deny', cidrBlock: '0.0.0.0/0' }],
          },
        ],
        networkInterfaces: [
          {
            id: 'eni-1',
            subnetId: 'subnet-0a',
            vpcId: 'vpc-0a1b',
            availabilityZone: `${REGION}a`,
            description: 'ELB app/web/0123456789abcdef',
            interfaceType: 'interface',
            privateIpAddresses: ['10.0.1.10'],
            publicIps: ['203.0.113.10'],
            ipv6Addresses: [],
            securityGroupIds: ['sg-0lb'],
            loadBalancerArn: loadBalancer('web', 'application').arn,
          },
        ],
        instances: [{ id: 'i-0a', state: 'running', vpcId: 'vpc-0a1b', subnetId: 'subnet-0a', availabilityZone: `${REGION}a`, privateIpAddress: '10.0.1.20', securityGroupIds: ['sg-0t'] }],
        prefixLists: [{ id: 'pl-1', name: 'office', addressFamily: 'IPv4', cidrs: ['192.0.2.0/24'] }],
        unread: [
          { collection: 'prefixListEntries', read: 'partly', call: 'ec2:GetManagedPrefixListEntries', why: 'Throttling: Rate exceeded', resources: ['pl-1'] },
          { collection: 'egressOnlyInternetGateways', read: 'none', call: 'ec2:DescribeEgressOnlyInternetGateways', why: 'UnauthorizedOperation: no' },
        ],
      },
    ],
    notChecked: [
      { what: 'region eu-west-3', why: 'AccessDenied: not authorized', region: 'eu-west-3' },
      { what: 'entries of prefix list pl-1', why: 'Throttling: Rate exceeded', region: REGION, account: ACCOUNT, call: 'ec2:GetManagedPrefixListEntries' },
    ],
    stats: { apiCalls: { DescribeLoadBalancers: 2, DescribeTargetHealth: 1 }, durationMs: 812 },
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lbcheck-snapshot-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readError(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  try {
    await readSnapshot(path);
  } catch (error) {
    expect(error).toBeInstanceOf(LbcheckError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    return message;
  }
  throw new Error(`${name} was accepted`);
}

describe('writeSnapshot / readSnapshot', () => {
  it('round-trips every field of the inventory', async () => {
    const path = join(dir, 'round-trip.json');
    await writeSnapshot(inventory(), path);
    const read = await readSnapshot(path);
    expect(read).toEqual(JSON.parse(JSON.stringify(inventory())));
    expect(read.scopes[0]?.routeTables[0]?.routes[0]?.state).toBe('blackhole');
    expect(read.scopes[0]?.targetGroups[0]?.targets[0]?.health.reason).toBe('Target.Timeout');
    expect(read.scopes[0]?.unread.map((gap) => gap.call)).toEqual(['ec2:GetManagedPrefixListEntries', 'ec2:DescribeEgressOnlyInternetGateways']);
  });

  it('reads a snapshot written before scopes had `unread`, turning its marks on resources into unread entries', async () => {
    const old = JSON.parse(JSON.stringify(inventory())) as { scopes: Record<string, unknown>[] };
    const scope = old.scopes[0] as { unread?: unknown; loadBalancers: { arn: string; attributes: Record<string, unknown> }[]; targetGroups: { arn: string; targetsUnknown?: boolean }[] };
    delete scope.unread;
    scope.loadBalancers[0]!.attributes.unread = true;
    scope.targetGroups[0]!.targetsUnknown = true;
    const path = join(dir, 'old.json');
    await writeFile(path, JSON.stringify(old));
    const read = await readSnapshot(path);
    expect(read.scopes[0]?.unread).toEqual([
      expect.objectContaining({ collection: 'loadBalancerAttributes', read: 'none', call: 'elasticloadbalancing:DescribeLoadBalancerAttributes', resources: [scope.loadBalancers[0]!.arn] }),
      expect.objectContaining({ collection: 'targetHealth', read: 'none', call: 'elasticloadbalancing:DescribeTargetHealth', resources: [scope.targetGroups[0]!.arn] }),
    ]);
    // And one with no marks reads as complete.
    delete scope.loadBalancers[0]!.attributes.unread;
    delete scope.targetGroups[0]!.targetsUnknown;
    await writeFile(path, JSON.stringify(old));
    expect((await readSnapshot(path)).scopes[0]?.unread).toEqual([]);
  });

  it('writes only model fields, so nothing else on the objects (credentials) reaches the file, and leaves no temporary file', async () => {
    await mkdir(join(dir, 'clean'));
    const path = join(dir, 'clean', 'inv.json');
    const withSecrets = Object.assign(inventory(), { credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG' } });
    Object.assign(withSecrets.scopes[0] as object, { sessionToken: 'FwoGZXIvYXdzEXAMPLE' });
    await writeSnapshot(withSecrets, path);
    const text = await readFile(path, 'utf8');
    expect(text).not.toMatch(/AKIAIOSFODNN7EXAMPLE|wJalrXUtnFEMI|FwoGZXIvYXdzEXAMPLE|credentials|sessionToken/);
    expect(JSON.parse(text).scopes[0].account).toBe(ACCOUNT);
    expect(await readdir(join(dir, 'clean'))).toEqual(['inv.json']);
  });

  it('names the file and the line and column when it is not JSON', async () => {
    expect(await readError('inv.json', '{\n  "schemaVersion": 1,\n    }\n')).toBe('inv.json: not JSON (Expected double-quoted property name at line 3 column 5)');
    expect(await readError('bare.json', '{\n  "schemaVersion": 1,\n  "scopes": [oops]\n}')).toBe("bare.json: not JSON (Unexpected token 'o' at line 3 column 14)");
    expect(await readError('empty.json', '')).toBe('empty.json: not JSON (Unexpected end of input at line 1 column 1)');
    // Nested deeper than a recursive scan can follow: still one line naming the file.
    expect(await readError('deep.json', `${'['.repeat(200_000)}x`)).toBe("deep.json: not JSON (Unexpected token 'x')");
  });

  it('names the path of a field with a wrong value and what it expected', async () => {
    const bad = inventory();
    (bad.scopes[0]?.loadBalancers[1] as { scheme: string }).scheme = 'public';
    expect(await readError('scheme.json', JSON.stringify(bad))).toBe('scheme.json: scopes[0].loadBalancers[1].scheme: expected "internet-facing" or "internal", got "public"');

    const badPort = inventory();
    (badPort.scopes[0]?.targetGroups[0] as { port: unknown }).port = '8080';
    expect(await readError('port.json', JSON.stringify(badPort))).toBe('port.json: scopes[0].targetGroups[0].port: expected number, got "8080"');

    const missing = inventory() as unknown as { scopes: { subnets?: unknown }[] };
    delete missing.scopes[0]?.subnets;
    expect(await readError('missing.json', JSON.stringify(missing))).toBe('missing.json: scopes[0].subnets: missing (expected array)');

    const kind = inventory();
    (kind.scopes[0]?.routeTables[0]?.routes[0]?.target as { kind: string }).kind = 'gateway';
    expect(await readError('kind.json', JSON.stringify(kind))).toMatch(/^kind\.json: scopes\[0\]\.routeTables\[0\]\.routes\[0\]\.target\.kind: expected one of "local", "internet-gateway", .*, got "gateway"$/);
  });

  it('checks values as well as types: ports, CIDRs, addresses and timeouts out of range name the path and the value', async () => {
    const cases: [string, (inv: Inventory) => void, string][] = [
      ['listener-port.json', (inv) => ((inv.scopes[0]?.loadBalancers[0]?.listeners[0] as { port: number }).port = -70000), 'scopes[0].loadBalancers[0].listeners[0].port: expected a port (0 to 65535), got -70000'],
      ['sg-cidr.json', (inv) => ((inv.scopes[0]?.securityGroups[0]?.ingress[0]?.sources[0] as { cidr: string }).cidr = '10.0.0.0/33'), 'scopes[0].securityGroups[0].ingress[0].sources[0].cidr: expected an IPv4 CIDR such as 10.0.0.0/16, got "10.0.0.0/33"'],
      ['idle.json', (inv) => ((inv.scopes[0]?.loadBalancers[0]?.attributes as { idleTimeoutSeconds: number }).idleTimeoutSeconds = 0), 'scopes[0].loadBalancers[0].attributes.idleTimeoutSeconds: expected an idle timeout in seconds (1 to 6000), got 0'],
      ['route.json', (inv) => ((inv.scopes[0]?.routeTables[0]?.routes[0] as { destinationCidrBlock: string }).destinationCidrBlock = 'banana'), 'scopes[0].routeTables[0].routes[0].destinationCidrBlock: expected an IPv4 CIDR such as 10.0.0.0/16, got "banana"'],
    ];
    for (const [file, spoil, expected] of cases) {
      const bad = inventory();
      spoil(bad);
      expect(await readError(file, JSON.stringify(bad))).toBe(`${file}: ${expected}`);
    }
  });

  it('refuses a scope (account and region) that appears twice, so nothing is checked and counted twice', async () => {
    const twice = inventory();
    twice.scopes.push(JSON.parse(JSON.stringify(twice.scopes[0])) as Inventory['scopes'][number]);
    expect(await readError('twice.json', JSON.stringify(twice))).toBe(`twice.json: scopes[1]: account ${ACCOUNT} region eu-west-2 is already scopes[0] (each account and region may appear once)`);
  });

  it('refuses a newer schemaVersion, and files that are not snapshots', async () => {
    expect(await readError('v2.json', JSON.stringify({ ...inventory(), schemaVersion: 2 }))).toBe('v2.json: schemaVersion 2 is newer than this lbcheck understands (1)');
    expect(await readError('v0.json', JSON.stringify({ ...inventory(), schemaVersion: 0 }))).toBe('v0.json: schemaVersion: expected 1, got 0');
    expect(await readError('report.json', JSON.stringify({ findings: [] }))).toBe(
      'report.json: not an lbcheck snapshot (no schemaVersion; write one with lbcheck snapshot --output FILE)',
    );
    expect(await readError('list.json', '[]')).toBe('list.json: not an lbcheck snapshot (expected a JSON object with schemaVersion 1)');
    // An audit JSON report carries schemaVersion 1 too.
    const report = { schemaVersion: 1, tool: { name: 'lbcheck', version: '0.1.0' }, scope: { regions: [REGION], accounts: [ACCOUNT] }, findings: [], notChecked: [] };
    expect(await readError('audit.json', JSON.stringify(report))).toBe(
      'audit.json: an lbcheck report, not a snapshot (write one with lbcheck snapshot --output FILE)',
    );
  });

  it('refuses to write over a directory in one line, and leaves no temporary file', async () => {
    const parent = join(dir, 'over-a-directory');
    const target = join(parent, 'inv.json');
    await mkdir(target, { recursive: true });
    await expect(writeSnapshot(inventory(), target)).rejects.toThrow(new LbcheckError(`cannot write ${target}: is a directory`));
    expect(await readdir(parent)).toEqual(['inv.json']);
  });

  it('says when the file cannot be read', async () => {
    const path = join(dir, 'nope.json');
    await expect(readSnapshot(path)).rejects.toThrow(`${path}: cannot read snapshot: no such file`);
  });
});

describe('jsonErrorWhere', () => {
  it('reads the line and column Node 22+ put in the message, and computes them from Node 20 positions', () => {
    const text = '{"a": 1\n  "b": 2}';
    expect(jsonErrorWhere("Expected ',' or '}' after property value in JSON at position 10 (line 2 column 3)", text)).toBe(
      "Expected ',' or '}' after property value at line 2 column 3",
    );
    expect(jsonErrorWhere("Expected ',' or '}' after property value in JSON at position 10", text)).toBe(
      "Expected ',' or '}' after property value at line 2 column 3",
    );
  });
});

describe('firstSyntaxErrorOffset', () => {
  it('points at the first character that stops the text being JSON', () => {
    expect(firstSyntaxErrorOffset('{"a": [1, 2,]}')).toBe(12);
    expect(firstSyntaxErrorOffset('{"a": tru}')).toBe(9);
    expect(firstSyntaxErrorOffset('"\\q"')).toBe(2);
    expect(firstSyntaxErrorOffset('{"a": 1} x')).toBe(9);
    expect(firstSyntaxErrorOffset('{"a": "\\u00e9", "b": [null, false, -1.5e3]}')).toBe(43);
  });
});
