/**
 * `lbcheck probe` placing addresses in their AZ and subnet through the ELB network
 * interfaces: private addresses against moto (its filter `addresses.private-ip-address`
 * is real); the public-IP filter, which moto does not implement, and a hung endpoint
 * through aws-sdk-client-mock.
 */
import { DescribeNetworkInterfacesCommand, EC2Client, CreateNetworkInterfaceCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { addressFilters, locateAddresses, regionOfElbName } from '../../src/aws/locate-addresses.js';
import { MOTO_REGIONS, motoClients } from '../support/moto.js';
import { scenario, type LoadBalancerRef } from '../support/scenario.js';

const REGION = MOTO_REGIONS.locateAddresses;
/** No region and no endpoint from the environment or shared config files. */
const NO_AWS_FILES = { AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };

describe('regionOfElbName', () => {
  it('reads the region of ALB, Classic and NLB names, and nothing from other names', () => {
    expect(regionOfElbName('shop-1288457023.us-east-1.elb.amazonaws.com')).toBe('us-east-1');
    expect(regionOfElbName('internal-api-12.eu-west-2.elb.amazonaws.com.')).toBe('eu-west-2');
    expect(regionOfElbName('dualstack.web-9.ap-southeast-2.elb.amazonaws.com')).toBe('ap-southeast-2');
    expect(regionOfElbName('edge-0a1b2c3d4e5f6a7b.elb.us-gov-west-1.amazonaws.com')).toBe('us-gov-west-1');
    expect(regionOfElbName('web-1.cn-north-1.elb.amazonaws.com.cn')).toBe('cn-north-1');
    expect(regionOfElbName('www.example.com')).toBeUndefined();
    expect(regionOfElbName('203.0.113.7')).toBeUndefined();
  });
});

describe('addressFilters', () => {
  it('asks by public IPv4, private IPv4 and IPv6, at most 200 values a filter, only ELB interfaces', () => {
    const many = Array.from({ length: 201 }, (_, i) => `10.0.${Math.floor(i / 250)}.${i % 250}`);
    const filters = addressFilters([...many, '2600:1f18::1']);
    expect(filters.map(([field]) => [field?.Name, field?.Values?.length])).toEqual([
      ['association.public-ip', 200],
      ['association.public-ip', 1],
      ['addresses.private-ip-address', 200],
      ['addresses.private-ip-address', 1],
      ['ipv6-addresses.ipv6-address', 1],
    ]);
    for (const pair of filters) expect(pair[1]).toEqual({ Name: 'description', Values: ['ELB *'] });
  });
});

describe('locateAddresses', () => {
  let lb: LoadBalancerRef;
  let subnet: string;
  let lbInterface: string;
  const LB_NODE = '10.31.1.50';
  const OTHER = '10.31.1.60';

  beforeAll(async () => {
    const s = await scenario(REGION);
    const vpc = await s.vpc({ cidr: '10.31.0.0/16' });
    subnet = await s.subnet(vpc, { cidr: '10.31.1.0/24', az: `${REGION}a` });
    const other = await s.subnet(vpc, { cidr: '10.31.2.0/24', az: `${REGION}b` });
    lb = await s.alb({ subnets: [subnet, other], scheme: 'internal' });
    lbInterface = (await s.lbNetworkInterface(lb, subnet, { privateIp: LB_NODE, publicIp: false })).networkInterfaceId;
    // An application's interface at an address the probe also saw: not a load balancer node.
    await motoClients(REGION).ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet, PrivateIpAddress: OTHER, Description: 'app server' }));
  });

  it('places an internal LB node by its private address, and only ELB interfaces', async () => {
    const { ec2 } = motoClients(REGION);
    const places = await locateAddresses(
      new Map([
        [LB_NODE, lb.dnsName],
        [OTHER, lb.dnsName],
      ]),
      { timeoutMs: 10_000, clientFor: () => ec2 },
    );
    expect(Object.fromEntries(places)).toEqual({ [LB_NODE]: { az: `${REGION}a`, subnetId: subnet, networkInterfaceId: lbInterface } });
  });

  it('places a public address from the interface association, in the region the name says', async () => {
    const ec2 = new EC2Client({ region: 'us-east-1' });
    const mock = mockClient(ec2);
    mock.on(DescribeNetworkInterfacesCommand).callsFake((input: { Filters?: { Name?: string; Values?: string[] }[] }) => {
      const byPublicIp = input.Filters?.find((filter) => filter.Name === 'association.public-ip');
      if (!byPublicIp?.Values?.includes('203.0.113.13')) return { NetworkInterfaces: [] };
      return {
        NetworkInterfaces: [
          {
            NetworkInterfaceId: 'eni-03f3a5c7e9b1d2f4a6',
            SubnetId: 'subnet-0c1c4e7f2d90b3a25',
            VpcId: 'vpc-1',
            AvailabilityZone: 'eu-west-1c',
            Description: 'ELB app/shop/3f9a1c7e5b2d4a60',
            PrivateIpAddresses: [{ PrivateIpAddress: '10.20.2.7', Association: { PublicIp: '203.0.113.13' } }],
            Association: { PublicIp: '203.0.113.13' },
          },
        ],
      };
    });
    const regions: (string | undefined)[] = [];
    const places = await locateAddresses(new Map([['203.0.113.13', 'shop-1288457023.eu-west-1.elb.amazonaws.com']]), {
      timeoutMs: 5_000,
      clientFor: (region) => (regions.push(region), ec2),
    });
    expect(regions).toEqual(['eu-west-1']);
    expect(places.get('203.0.113.13')).toEqual({ az: 'eu-west-1c', subnetId: 'subnet-0c1c4e7f2d90b3a25', networkInterfaceId: 'eni-03f3a5c7e9b1d2f4a6' });
    mock.restore();
  });

  it('gives up on an endpoint that never answers, with nothing placed and a reason for --debug', async () => {
    const ec2 = new EC2Client({ region: 'us-east-1' });
    const mock = mockClient(ec2);
    mock.on(DescribeNetworkInterfacesCommand).callsFake(() => new Promise(() => {}));
    const reasons: string[] = [];
    const places = await locateAddresses(new Map([['203.0.113.13', 'shop.example']]), {
      timeoutMs: 200,
      env: { ...NO_AWS_FILES, AWS_DEFAULT_REGION: 'us-east-2' },
      clientFor: () => ec2,
      debug: (reason) => reasons.push(reason),
    });
    expect(places.size).toBe(0);
    expect(reasons).toEqual(['could not place the addresses in us-east-2 (AZ and subnet stay unknown): Error: no answer within 200 ms']);
    mock.restore();
  });

  it('asks no region at all for an address in no name\'s region when none is configured, and says so', async () => {
    const regions: string[] = [];
    const reasons: string[] = [];
    const places = await locateAddresses(new Map([['203.0.113.13', 'shop.example']]), {
      timeoutMs: 200,
      env: NO_AWS_FILES,
      clientFor: (region) => (regions.push(region), new EC2Client({ region })),
      debug: (reason) => reasons.push(reason),
    });
    expect([places.size, regions]).toEqual([0, []]);
    expect(reasons).toEqual(['no AWS region (not in the names, AWS_REGION, AWS_DEFAULT_REGION or the profile) for 203.0.113.13: AZ and subnet stay unknown']);
  });
});
