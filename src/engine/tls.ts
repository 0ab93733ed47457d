/**
 * TLS listeners and the security policy each one negotiates with: elbv2 listeners name a
 * predefined policy, resolved against the region's DescribeSSLPolicies; Classic listeners
 * carry their own policy, resolved from DescribeLoadBalancerPolicies by the collector.
 */
import type { Listener, LoadBalancer, Scope, TlsPolicy } from '../inventory/model.js';
import { getOrCreate } from './memo.js';

/** Protocols no client should need: TLS 1.0 and 1.1 (deprecated by RFC 8996) and SSL 3. */
export const OLD_PROTOCOLS: ReadonlySet<string> = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);

export function isTlsListener(listener: Listener): boolean {
  return listener.protocol === 'HTTPS' || listener.protocol === 'TLS' || listener.protocol === 'SSL';
}

/**
 * A cipher that is broken (RC4, DES and 3DES, NULL, EXPORT, MD5) or has no forward secrecy
 * (static RSA key exchange: a stolen key decrypts every recorded session). TLS 1.3 suites
 * (TLS_*) and (EC)DHE suites have forward secrecy.
 */
export function isWeakCipher(name: string): boolean {
  if (/RC4|DES|NULL|EXPORT|EXP-|MD5|ANON|PSK/i.test(name)) return true;
  return !/^(TLS_|ECDHE-|DHE-)/.test(name);
}

export interface TlsWeaknesses {
  oldProtocols: readonly string[];
  weakCiphers: readonly string[];
}

/**
 * A policy's old protocols and weak ciphers, worked out once per policy: thousands of listeners
 * share a few policies (read the lists, never change them).
 */
export function weaknessesOf(policy: TlsPolicy): TlsWeaknesses {
  return getOrCreate(weaknesses, policy, () => ({ oldProtocols: policy.protocols.filter((p) => OLD_PROTOCOLS.has(p)).sort(), weakCiphers: policy.ciphers.filter(isWeakCipher) }));
}

const weaknesses = new WeakMap<TlsPolicy, TlsWeaknesses>();

// The same few answers for thousands of listeners: made once.
const CLASSIC_POLICY_NOT_COLLECTED = { unknown: "the listener's policy was not collected (elb:DescribeLoadBalancerPolicies)" } as const;
const NO_POLICY_NAMED = { unknown: 'AWS named no security policy for the listener' } as const;
const POLICIES_NOT_COLLECTED = { unknown: 'the security policies of the region were not collected (elasticloadbalancing:DescribeSSLPolicies)' } as const;

/** The listener's policy with its protocols and ciphers, or why it is unknown (read the answer, never change it). */
export function tlsPolicyOf(scope: Scope, lb: LoadBalancer, listener: Listener): { policy: TlsPolicy } | { unknown: string } {
  if (lb.kind === 'classic') return listener.tlsPolicy ? { policy: listener.tlsPolicy } : CLASSIC_POLICY_NOT_COLLECTED;
  if (!listener.sslPolicy) return NO_POLICY_NAMED;
  if (!scope.sslPolicies) return POLICIES_NOT_COLLECTED;
  const policy = policiesByName(scope).get(listener.sslPolicy);
  return policy ? { policy } : { unknown: `DescribeSSLPolicies did not list ${listener.sslPolicy}` };
}

/** A region's predefined policies by name, once per scope (thousands of listeners look theirs up); the first of a name, as a scan would find. */
function policiesByName(scope: Scope): Map<string, TlsPolicy> {
  return getOrCreate(policyIndexes, scope, indexPoliciesByName);
}

function indexPoliciesByName(scope: Scope): Map<string, TlsPolicy> {
  const byName = new Map<string, TlsPolicy>();
  for (const policy of scope.sslPolicies ?? []) if (!byName.has(policy.name)) byName.set(policy.name, policy);
  return byName;
}

const policyIndexes = new WeakMap<Scope, Map<string, TlsPolicy>>();
