import { describe, expect, it } from 'vitest';
import { cidrContains, parseCidr } from '../../src/inventory/cidr.js';

describe('cidr', () => {
  it('contains addresses and blocks, IPv4 and IPv6', () => {
    expect(cidrContains('10.0.0.0/16', '10.0.3.7')).toBe(true);
    expect(cidrContains('10.0.0.0/16', '10.1.0.1')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '203.0.113.9/32')).toBe(true);
    expect(cidrContains('10.0.0.0/24', '10.0.0.0/16')).toBe(false);
    expect(cidrContains('2001:db8::/32', '2001:db8:1::5')).toBe(true);
    expect(cidrContains('::/0', '10.0.0.1')).toBe(false);
    expect(cidrContains('::ffff:0:0/96', '::ffff:1.2.3.4')).toBe(true);
  });
  it('rejects garbage', () => {
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('not-an-ip/8')).toBeUndefined();
    expect(parseCidr('10.1.2.3/8')).toEqual({ family: 4, base: 10n << 24n, prefix: 8 });
  });
});
