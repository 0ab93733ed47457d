import { describe, expect, it } from 'vitest';
import { InventoryIndex } from '../../src/inventory/indexes.js';
import { cidrRange } from '../../src/inventory/cidr.js';
import { authorizeCommand, evaluateNetworkAcl, evaluateSecurityGroups, formatRange, transportsOf, uncoveredRanges } from '../../src/engine/network.js';
import { preservesClientIp } from '../../src/engine/targets.js';
import { aclEntry, networkAcl, nlb, scopeOf, securityGroup, sgRule, targetGroup, tcp } from '../support/fixtures.js';

describe('address ranges', () => {
  it('formats blocks as CIDRs and other ranges as first-last', () => {
    expect(formatRange(cidrRange('10.0.0.0/8')!)).toBe('10.0.0.0/8');
    expect(formatRange({ family: 4, lo: 0n, hi: 9n * 2n ** 24n - 1n })).toBe('0.0.0.0-8.255.255.255');
    expect(formatRange(cidrRange('::/0')!)).toBe('::/0');
    expect(formatRange(cidrRange('2001:db8::/32')!)).toBe('2001:db8::/32');
  });

  it('finds the gaps a set of ranges leaves', () => {
    const gaps = uncoveredRanges(cidrRange('10.0.0.0/16')!, [cidrRange('10.0.0.0/17')!, cidrRange('10.0.192.0/18')!]);
    expect(gaps.map(formatRange)).toEqual(['10.0.128.0/18']);
  });
});

describe('evaluateSecurityGroups', () => {
  const index = new InventoryIndex(
    scopeOf({
      securityGroups: [
        securityGroup({ id: 'sg-a', ingress: [tcp('8000-8100', '10.0.1.0/24'), sgRule('udp', 53, '0.0.0.0/0')] }),
        securityGroup({ id: 'sg-b', ingress: [tcp(8080, '10.0.2.0/24'), tcp(9000, 'sg-lb')] }),
      ],
    }),
  );

  it('admits when the union of groups covers every peer CIDR', () => {
    const result = evaluateSecurityGroups(index, ['sg-a', 'sg-b'], 'ingress', { protocol: 'tcp', port: 8080 }, { cidrs: ['10.0.1.0/24', '10.0.2.0/25'], securityGroupIds: [] });
    expect(result.verdict).toBe('allowed');
    expect(result.considered).toEqual([
      { groupId: 'sg-a', protocol: 'tcp', ports: '8000-8100', source: '10.0.1.0/24' },
      { groupId: 'sg-b', protocol: 'tcp', ports: '8080', source: '10.0.2.0/24' },
    ]);
  });

  it('reports the part of the peer it does not admit', () => {
    const result = evaluateSecurityGroups(index, ['sg-a'], 'ingress', { protocol: 'tcp', port: 8080 }, { cidrs: ['10.0.0.0/22'], securityGroupIds: [] });
    expect(result.verdict).toBe('partial');
    expect(result.notAdmitted).toEqual(['10.0.0.0/24', '10.0.2.0/23']);
  });

  it('admits a peer by security group reference whatever its addresses, and not by protocol mismatch', () => {
    expect(evaluateSecurityGroups(index, ['sg-b'], 'ingress', { protocol: 'tcp', port: 9000 }, { cidrs: ['192.0.2.0/24'], securityGroupIds: ['sg-lb'] }).verdict).toBe('allowed');
    expect(evaluateSecurityGroups(index, ['sg-a'], 'ingress', { protocol: 'tcp', port: 53 }, { cidrs: ['0.0.0.0/0'], securityGroupIds: [] }).verdict).toBe('blocked');
    expect(evaluateSecurityGroups(index, ['sg-a'], 'ingress', { protocol: 'udp', port: 53 }, { cidrs: ['0.0.0.0/0'], securityGroupIds: [] }).verdict).toBe('allowed');
  });

  it('is unknown, not blocked, when a group is missing from the inventory', () => {
    const result = evaluateSecurityGroups(index, ['sg-a', 'sg-missing'], 'ingress', { protocol: 'tcp', port: 443 }, { cidrs: ['0.0.0.0/0'], securityGroupIds: [] });
    expect(result).toMatchObject({ verdict: 'unknown', unresolved: ['sg-missing'] });
  });
});

describe('evaluateNetworkAcl', () => {
  const acl = networkAcl({
    id: 'acl-1',
    entries: [
      aclEntry(100, 'inbound', 'deny', '203.0.113.0/24', 'tcp', '0-65535'),
      aclEntry(200, 'inbound', 'allow', '0.0.0.0/0', 'tcp', 443),
      aclEntry(300, 'inbound', 'allow', '0.0.0.0/0', 'tcp', '1024-65535'),
      aclEntry(32767, 'inbound', 'deny', '0.0.0.0/0'),
      aclEntry(100, 'outbound', 'allow', '0.0.0.0/0', 'all'),
    ],
  });

  it('decides each address and port by the lowest-numbered matching entry', () => {
    const result = evaluateNetworkAcl(acl, { direction: 'inbound', protocol: 'tcp', ports: { from: 443, to: 443 }, peerCidr: '0.0.0.0/0' });
    expect(result.verdict).toBe('partial');
    expect(result.denied).toEqual(['203.0.113.0/24 ports 443']);
    expect(result.decidingEntries.map((e) => `${e.ruleNumber}:${e.action}`)).toEqual(['100:deny', '200:allow']);
  });

  it('allows a flow wholly matched by allow entries, and denies what no entry matches', () => {
    expect(evaluateNetworkAcl(acl, { direction: 'inbound', protocol: 'tcp', ports: { from: 443, to: 443 }, peerCidr: '10.0.0.0/16' }).verdict).toBe('allowed');
    const udp = evaluateNetworkAcl(acl, { direction: 'inbound', protocol: 'udp', ports: { from: 53, to: 53 }, peerCidr: '10.0.0.0/16' });
    expect(udp).toMatchObject({ verdict: 'denied', denied: ['10.0.0.0/16 ports 53'] });
    expect(udp.decidingEntries).toEqual([{ ruleNumber: 32767, action: 'deny', cidr: '0.0.0.0/0', protocol: 'all', ports: 'all' }]);
  });

  it('splits a port range across entries', () => {
    const result = evaluateNetworkAcl(acl, { direction: 'inbound', protocol: 'tcp', ports: { from: 1000, to: 2000 }, peerCidr: '10.0.0.0/16' });
    expect(result).toMatchObject({ verdict: 'partial', denied: ['10.0.0.0/16 ports 1000-1023'] });
  });

  it('matches an IPv6 peer only against IPv6 entries: with none, it is denied', () => {
    const result = evaluateNetworkAcl(acl, { direction: 'outbound', protocol: 'tcp', ports: { from: 1024, to: 65535 }, peerCidr: '::/0' });
    expect(result).toMatchObject({ verdict: 'denied', denied: ['::/0 ports 1024-65535'] });
  });
});

describe('authorizeCommand', () => {
  it('uses the short options for IPv4 and group ingress, --ip-permissions for IPv6 and egress', () => {
    expect(authorizeCommand('ingress', 'sg-1', 'tcp', 443, { cidr: '0.0.0.0/0' })).toBe('aws ec2 authorize-security-group-ingress --group-id sg-1 --protocol tcp --port 443 --cidr 0.0.0.0/0');
    expect(authorizeCommand('ingress', 'sg-1', 'udp', 53, { groupId: 'sg-2' })).toBe('aws ec2 authorize-security-group-ingress --group-id sg-1 --protocol udp --port 53 --source-group sg-2');
    expect(authorizeCommand('ingress', 'sg-1', 'tcp', 443, { cidr: '::/0' })).toBe('aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,Ipv6Ranges=[{CidrIpv6=::/0}]');
    expect(authorizeCommand('egress', 'sg-1', 'tcp', 8080, { cidr: '10.0.11.10/32' })).toBe('aws ec2 authorize-security-group-egress --group-id sg-1 --ip-permissions IpProtocol=tcp,FromPort=8080,ToPort=8080,IpRanges=[{CidrIp=10.0.11.10/32}]');
  });
});

describe('transport protocols', () => {
  it('maps listener and target group protocols to TCP and UDP (QUIC is UDP)', () => {
    expect(transportsOf('HTTPS')).toEqual(['tcp']);
    expect(transportsOf('UDP')).toEqual(['udp']);
    expect(transportsOf('QUIC')).toEqual(['udp']);
    expect(transportsOf('TCP_UDP')).toEqual(['tcp', 'udp']);
    expect(transportsOf('TCP_QUIC')).toEqual(['tcp', 'udp']);
  });

  it("defaults NLB client IP preservation as AWS does: on for UDP and QUIC IP targets, off for TCP ones", () => {
    const lb = nlb({ name: 'edge' });
    const ipGroup = (protocol: 'TCP' | 'UDP' | 'QUIC' | 'TCP_QUIC') => targetGroup({ name: 'g', targetType: 'ip', protocol, attributes: { raw: {} } });
    expect(preservesClientIp(lb, ipGroup('TCP'))).toBe(false);
    expect(preservesClientIp(lb, ipGroup('UDP'))).toBe(true);
    expect(preservesClientIp(lb, ipGroup('QUIC'))).toBe(true);
    expect(preservesClientIp(lb, ipGroup('TCP_QUIC'))).toBe(true);
  });
});
