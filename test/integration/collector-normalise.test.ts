/**
 * The collector's pure parts: AWS's strings and defaults into the inventory's values,
 * ENI-to-LB matching, region names, error classification, and the concurrency limiter.
 */
import { describe, expect, it } from 'vitest';
import { classicAttributes, classicLoadBalancerArn } from '../../src/aws/collect-classic.js';
import { networkAclOf, routeTableOf, routeTarget, securityGroupRule } from '../../src/aws/collect-ec2.js';
import { forwardTargetGroupArns, loadBalancerAttributes, parkedTargetGroupArns, targetGroupAttributes } from '../../src/aws/collect-elbv2.js';
import { loadBalancerArnOfInterface } from '../../src/aws/collect.js';
import { Limiter, chunks } from '../../src/aws/limiter.js';
import { classifyError } from '../../src/aws/scope-run.js';
import { collectOptionsFrom, isRegionName } from '../../src/aws/scope-options.js';
import { silentProgress } from '../../src/progress.js';
import type { LoadBalancer } from '../../src/inventory/model.js';

describe('load balancer attributes', () => {
  it('applies the ALB defaults AWS documents: idle timeout 60, cross-zone always on, no access logs, headers kept, desync defensive', () => {
    // moto leaves access_logs.s3.enabled and the header and desync attributes out until they are set: AWS's defaults stand in.
    expect(loadBalancerAttributes('application', { 'load_balancing.cross_zone.enabled': 'false' })).toEqual({
      idleTimeoutSeconds: 60,
      crossZoneEnabled: true,
      deletionProtection: false,
      accessLogsEnabled: false,
      dropInvalidHeaderFields: false,
      desyncMitigationMode: 'defensive',
      raw: { 'load_balancing.cross_zone.enabled': 'false' },
    });
    expect(
      loadBalancerAttributes('application', {
        'access_logs.s3.enabled': 'true',
        'routing.http.drop_invalid_header_fields.enabled': 'true',
        'routing.http.desync_mitigation_mode': 'monitor',
      }),
    ).toMatchObject({ accessLogsEnabled: true, dropInvalidHeaderFields: true, desyncMitigationMode: 'monitor' });
    expect(loadBalancerAttributes('application', { 'idle_timeout.timeout_seconds': '4000' }).idleTimeoutSeconds).toBe(4000);
  });

  it('reads NLB/GWLB cross-zone as a boolean, off by default, with no idle timeout', () => {
    expect(loadBalancerAttributes('network', {})).toEqual({ crossZoneEnabled: false, deletionProtection: false, accessLogsEnabled: false, raw: {} });
    expect(loadBalancerAttributes('gateway', {})).not.toHaveProperty('accessLogsEnabled');
    expect(loadBalancerAttributes('gateway', { 'load_balancing.cross_zone.enabled': 'true', 'deletion_protection.enabled': 'true' })).toMatchObject({
      crossZoneEnabled: true,
      deletionProtection: true,
    });
  });

  it('reads Classic attributes with idle timeout 60 and cross-zone off when absent', () => {
    expect(classicAttributes(undefined)).toEqual({
      idleTimeoutSeconds: 60,
      crossZoneEnabled: false,
      accessLogsEnabled: false,
      desyncMitigationMode: 'defensive',
      connectionDraining: undefined,
      raw: {},
    });
    expect(
      classicAttributes({
        ConnectionSettings: { IdleTimeout: 15 },
        CrossZoneLoadBalancing: { Enabled: true },
        ConnectionDraining: { Enabled: true, Timeout: 120 },
        AdditionalAttributes: [{ Key: 'elb.http.desyncmitigationmode', Value: 'monitor' }],
      }),
    ).toEqual({
      idleTimeoutSeconds: 15,
      crossZoneEnabled: true,
      accessLogsEnabled: false,
      desyncMitigationMode: 'monitor',
      connectionDraining: { enabled: true, timeoutSeconds: 120 },
      raw: {
        'elb.http.desyncmitigationmode': 'monitor',
        'ConnectionSettings.IdleTimeout': '15',
        'CrossZoneLoadBalancing.Enabled': 'true',
        'ConnectionDraining.Enabled': 'true',
        'ConnectionDraining.Timeout': '120',
      },
    });
  });
});

describe('target group attributes', () => {
  it('treats use_load_balancer_configuration as inherit (undefined), true/false as set', () => {
    expect(targetGroupAttributes({ 'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration' }, { targetType: 'instance', protocol: 'HTTP' }).crossZoneEnabled).toBeUndefined();
    expect(targetGroupAttributes({ 'load_balancing.cross_zone.enabled': 'false' }, { targetType: 'instance', protocol: 'HTTP' }).crossZoneEnabled).toBe(false);
  });

  it('defaults client IP preservation as AWS documents when the attribute is absent', () => {
    const preserve = (targetType: 'instance' | 'ip', protocol: 'TCP' | 'UDP' | 'HTTP', raw: Record<string, string> = {}) =>
      targetGroupAttributes(raw, { targetType, protocol }).preserveClientIp;
    expect(preserve('instance', 'TCP')).toBe(true);
    expect(preserve('ip', 'TCP')).toBe(false);
    expect(preserve('ip', 'UDP')).toBe(true);
    expect(preserve('ip', 'HTTP')).toBeUndefined();
    expect(preserve('instance', 'TCP', { 'preserve_client_ip.enabled': 'false' })).toBe(false);
  });

  it('collects forward targets of plain and weighted forward actions only', () => {
    expect(
      forwardTargetGroupArns([
        { Type: 'forward', TargetGroupArn: 'tg-a' },
        { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'tg-a' }, { TargetGroupArn: 'tg-b', Weight: 10 }] } },
        { Type: 'redirect', RedirectConfig: { StatusCode: 'HTTP_301' } },
      ]),
    ).toEqual(['tg-a', 'tg-b']);
  });

  it('keeps which groups a weighted forward parks at weight 0 (blue/green), unless another action serves them', () => {
    const blueGreen = { Type: 'forward' as const, ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'tg-blue', Weight: 100 }, { TargetGroupArn: 'tg-green', Weight: 0 }] } };
    expect(parkedTargetGroupArns([blueGreen])).toEqual(['tg-green']);
    expect(parkedTargetGroupArns([blueGreen, { Type: 'forward', TargetGroupArn: 'tg-green' }])).toEqual([]);
    // All weights 0: AWS does not say the LB sends nothing, so nothing is called parked.
    expect(parkedTargetGroupArns([{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'tg-a', Weight: 0 }, { TargetGroupArn: 'tg-b', Weight: 0 }] } }])).toEqual([]);
  });
});

describe('network normalisation', () => {
  it('turns protocol -1 into all ports of all protocols and protocol numbers into names', () => {
    expect(securityGroupRule({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] })).toEqual({
      protocol: 'all',
      fromPort: 0,
      toPort: 65535,
      sources: [{ kind: 'cidr-ipv4', cidr: '0.0.0.0/0' }],
    });
    expect(securityGroupRule({ IpProtocol: '6', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: 'sg-1', UserId: '111122223333' }] })).toEqual({
      protocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      sources: [{ kind: 'security-group', groupId: 'sg-1', userId: '111122223333' }],
    });
    expect(securityGroupRule({ IpProtocol: '17' }).protocol).toBe('udp');
    expect(securityGroupRule({ IpProtocol: '50' }).protocol).toBe('50');
  });

  it('names every route target kind', () => {
    const kind = (route: Parameters<typeof routeTarget>[0]) => routeTarget(route);
    expect(kind({ GatewayId: 'local' })).toEqual({ kind: 'local', id: 'local' });
    expect(kind({ GatewayId: 'igw-1' })).toEqual({ kind: 'internet-gateway', id: 'igw-1' });
    expect(kind({ GatewayId: 'vgw-1' })).toEqual({ kind: 'virtual-private-gateway', id: 'vgw-1' });
    expect(kind({ GatewayId: 'vpce-1' })).toEqual({ kind: 'vpc-endpoint', id: 'vpce-1' });
    expect(kind({ EgressOnlyInternetGatewayId: 'eigw-1' })).toEqual({ kind: 'egress-only-internet-gateway', id: 'eigw-1' });
    expect(kind({ NatGatewayId: 'nat-1' })).toEqual({ kind: 'nat-gateway', id: 'nat-1' });
    expect(kind({ TransitGatewayId: 'tgw-1' })).toEqual({ kind: 'transit-gateway', id: 'tgw-1' });
    expect(kind({ VpcPeeringConnectionId: 'pcx-1' })).toEqual({ kind: 'vpc-peering', id: 'pcx-1' });
    expect(kind({ InstanceId: 'i-1', NetworkInterfaceId: 'eni-1' })).toEqual({ kind: 'instance', id: 'i-1' });
    expect(kind({ NetworkInterfaceId: 'eni-1' })).toEqual({ kind: 'network-interface', id: 'eni-1' });
    expect(kind({})).toEqual({ kind: 'unknown', id: '' });
  });

  it('reads the main flag and current explicit associations of a route table, and blackhole routes', () => {
    expect(
      routeTableOf({
        RouteTableId: 'rtb-1',
        VpcId: 'vpc-1',
        Associations: [
          { Main: true, AssociationState: { State: 'associated' } },
          { SubnetId: 'subnet-1', AssociationState: { State: 'associated' } },
          { SubnetId: 'subnet-2', AssociationState: { State: 'disassociating' } },
        ],
        Routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-gone', State: 'blackhole', Origin: 'CreateRoute' }],
      }),
    ).toEqual({
      id: 'rtb-1',
      vpcId: 'vpc-1',
      isMain: true,
      subnetIds: ['subnet-1'],
      routes: [{ destinationCidrBlock: '0.0.0.0/0', target: { kind: 'internet-gateway', id: 'igw-gone' }, state: 'blackhole', origin: 'CreateRoute' }],
    });
  });

  it('reads network ACL entries with protocol names and port ranges', () => {
    expect(
      networkAclOf({
        NetworkAclId: 'acl-1',
        VpcId: 'vpc-1',
        IsDefault: false,
        Associations: [{ SubnetId: 'subnet-1' }],
        Entries: [
          { RuleNumber: 100, Egress: false, Protocol: '6', RuleAction: 'allow', CidrBlock: '0.0.0.0/0', PortRange: { From: 1024, To: 65535 } },
          { RuleNumber: 32767, Egress: true, Protocol: '-1', RuleAction: 'deny', Ipv6CidrBlock: '::/0' },
        ],
      }).entries,
    ).toEqual([
      { ruleNumber: 100, egress: false, protocol: 'tcp', action: 'allow', cidrBlock: '0.0.0.0/0', ipv6CidrBlock: undefined, portRange: { from: 1024, to: 65535 } },
      { ruleNumber: 32767, egress: true, protocol: 'all', action: 'deny', cidrBlock: undefined, ipv6CidrBlock: '::/0', portRange: undefined },
    ]);
  });
});

describe('matching ENIs to load balancers', () => {
  const lbs = [
    { arn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188', name: 'web', kind: 'application' },
    { arn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/edge/73e4b6a1b2c3d4e5', name: 'edge', kind: 'network' },
    { arn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/gwy/inspect/0a1b2c3d4e5f6071', name: 'inspect', kind: 'gateway' },
    { arn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/legacy', name: 'legacy', kind: 'classic' },
  ] as LoadBalancer[];

  it('matches "ELB app|net|gwy/NAME/ID" to the elbv2 ARN and "ELB NAME" to the Classic LB', () => {
    expect(loadBalancerArnOfInterface('ELB app/web/50dc6c495c0c9188', lbs)).toBe(lbs[0]?.arn);
    expect(loadBalancerArnOfInterface('ELB net/edge/73e4b6a1b2c3d4e5', lbs)).toBe(lbs[1]?.arn);
    expect(loadBalancerArnOfInterface('ELB gwy/inspect/0a1b2c3d4e5f6071', lbs)).toBe(lbs[2]?.arn);
    expect(loadBalancerArnOfInterface('ELB legacy', lbs)).toBe(lbs[3]?.arn);
  });

  it('matches nothing for another LB of the same name or a non-ELB interface', () => {
    expect(loadBalancerArnOfInterface('ELB app/web/ffffffffffffffff', lbs)).toBeUndefined();
    expect(loadBalancerArnOfInterface('ELB web', lbs)).toBeUndefined();
    expect(loadBalancerArnOfInterface('Interface for NAT Gateway nat-1', lbs)).toBeUndefined();
  });

  it('builds Classic ARNs in the region partition', () => {
    expect(classicLoadBalancerArn('cn-north-1', '111122223333', 'legacy')).toBe('arn:aws-cn:elasticloadbalancing:cn-north-1:111122223333:loadbalancer/legacy');
    expect(classicLoadBalancerArn('us-gov-west-1', '111122223333', 'legacy')).toBe('arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:111122223333:loadbalancer/legacy');
  });
});

describe('scope options', () => {
  it('accepts AWS region names and nothing else', () => {
    for (const name of ['us-east-1', 'eu-central-2', 'ap-southeast-7', 'us-gov-west-1', 'cn-northwest-1', 'us-isob-east-1', 'il-central-1']) {
      expect(isRegionName(name), name).toBe(true);
    }
    for (const name of ['us-east', 'US-EAST-1', 'useast1', 'us-east-1a', '', 'us_east_1', 'us-east-1 ']) expect(isRegionName(name), name).toBe(false);
  });

  it('overrides the endpoint with --endpoint-url, and leaves AWS_ENDPOINT_URL to the SDK, naming it in errors', () => {
    const base = { concurrency: 8, region: ['eu-west-1'] };
    expect(collectOptionsFrom({ ...base, endpointUrl: 'http://127.0.0.1:5000/' }, silentProgress, { env: { AWS_ENDPOINT_URL: 'http://x:1' } })).toMatchObject({
      endpointUrl: 'http://127.0.0.1:5000',
      endpointLabel: undefined,
    });
    expect(collectOptionsFrom(base, silentProgress, { env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' } })).toMatchObject({
      endpointUrl: undefined,
      endpointLabel: 'http://127.0.0.1:4566',
    });
    expect(collectOptionsFrom(base, silentProgress, { env: {} })).toMatchObject({ endpointUrl: undefined, endpointLabel: undefined });
    expect(() => collectOptionsFrom(base, silentProgress, { env: { AWS_ENDPOINT_URL: 'not a url' } })).toThrow('AWS_ENDPOINT_URL is not a URL: "not a url" (expected e.g. http://127.0.0.1:5000)');
  });
});

describe('classifyError', () => {
  it('tells service errors, network errors and missing credentials apart', () => {
    const service = Object.assign(new Error('User is not authorized'), { name: 'UnauthorizedOperation', $metadata: { httpStatusCode: 403 } });
    expect(classifyError(service)).toEqual({ kind: 'service', reason: 'UnauthorizedOperation: User is not authorized' });
    const network = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', $metadata: { attempts: 4 } });
    expect(classifyError(network)).toEqual({ kind: 'network', reason: 'connect ECONNREFUSED 127.0.0.1:9' });
    const timeout = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifyError(timeout)).toEqual({ kind: 'network', reason: 'ECONNRESET: socket hang up' });
    const credentials = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect(classifyError(credentials)).toEqual({ kind: 'credentials', reason: 'Could not load credentials from any providers' });
  });
});

describe('Limiter', () => {
  it('never runs more tasks at once than its concurrency, and runs them all', async () => {
    const limiter = new Limiter(3);
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        limiter.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setImmediate(resolve));
          running -= 1;
          done.push(n);
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });

  it('frees the slot of a task that fails', async () => {
    const limiter = new Limiter(1);
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
  });

  it('splits ids into AWS-sized batches', () => {
    expect(chunks(['a', 'b', 'c', 'd', 'e'], 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(chunks([], 20)).toEqual([]);
  });
});
