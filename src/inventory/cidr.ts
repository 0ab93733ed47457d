/**
 * IPv4/IPv6 CIDR arithmetic on BigInt: containment of an address or of a whole block.
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface ParsedCidr {
  family: 4 | 6;
  base: bigint; // network address, host bits cleared
  prefix: number;
}

function ipv4ToBigInt(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6ToBigInt(ip: string): bigint {
  let text = ip;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const n = ipv4ToBigInt(v4[1]);
    text = `${text.slice(0, -v4[1].length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  const parts = tail === undefined ? headParts : [...headParts, ...Array<string>(missing).fill('0'), ...tailParts];
  return parts.reduce((acc, part) => (acc << 16n) | BigInt(parseInt(part || '0', 16)), 0n);
}

/** The family of an address, or undefined when it is not an IP address. */
export function ipFamily(ip: string): 4 | 6 | undefined {
  if (isIPv4(ip)) return 4;
  if (isIPv6(ip)) return 6;
  return undefined;
}

export function parseCidr(cidr: string): ParsedCidr | undefined {
  const [ip = '', prefixText] = cidr.split('/');
  const family = ipFamily(ip);
  if (!family) return undefined;
  const bits = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined;
  const value = family === 4 ? ipv4ToBigInt(ip) : ipv6ToBigInt(ip);
  const hostBits = BigInt(bits - prefix);
  return { family, base: (value >> hostBits) << hostBits, prefix };
}

/** An inclusive range of addresses of one family. */
export interface AddressRange {
  family: 4 | 6;
  lo: bigint;
  hi: bigint;
}

// The same few thousand CIDRs (rules, subnets, target addresses) are parsed over and over
// by every evaluation: parse each once. Bounded, so a long-lived process cannot grow it forever.
const parsedRanges = new Map<string, AddressRange | undefined>();
const MAX_PARSED_RANGES = 100_000;

/** A CIDR (or a bare address) as the inclusive range it covers; undefined when it is not one. */
export function cidrRange(cidr: string): AddressRange | undefined {
  if (parsedRanges.has(cidr)) return parsedRanges.get(cidr);
  const parsed = parseCidr(cidr);
  const bits = parsed?.family === 4 ? 32 : 128;
  const range = parsed ? { family: parsed.family, lo: parsed.base, hi: parsed.base + (1n << BigInt(bits - parsed.prefix)) - 1n } : undefined;
  if (parsedRanges.size >= MAX_PARSED_RANGES) parsedRanges.clear();
  parsedRanges.set(cidr, range);
  return range;
}

/** True when range `inner` lies wholly within range `outer`. */
export function rangeContains(outer: AddressRange, inner: AddressRange): boolean {
  return outer.family === inner.family && outer.lo <= inner.lo && inner.hi <= outer.hi;
}

/** True when `inner` (an address or a CIDR) lies wholly within `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const a = cidrRange(outer);
  const b = cidrRange(inner);
  return a !== undefined && b !== undefined && rangeContains(a, b);
}

export const ANY_IPV4 = '0.0.0.0/0';
export const ANY_IPV6 = '::/0';

/**
 * Address blocks no internet client can come from: private, shared, loopback, link-local,
 * documentation, benchmarking, multicast and reserved IPv4 blocks of the IANA special-purpose
 * registry (RFC 6890), and every IPv6 address outside global unicast 2000::/3 (RFC 4291).
 * https://www.iana.org/assignments/iana-ipv4-special-registry/iana-ipv4-special-registry.xhtml
 */
export const NOT_ON_THE_INTERNET: readonly AddressRange[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/3',
  '::/3',
  '4000::/2',
  '8000::/1',
].map((cidr) => cidrRange(cidr) as AddressRange);
