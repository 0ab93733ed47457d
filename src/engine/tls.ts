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

/** The listener's policy with its protocols and ciphers, or why it is unknown. */
export function tlsPolicyOf(scope: Scope, lb: LoadBalancer, listener: Listener): { policy: TlsPolicy } | { unknown: string } {
  if (lb.kind === 'classic') {
    return listener.tlsPolicy ? { policy: listener.tlsPolicy } : { unknown: "the listener's policy was not collected (elb:DescribeLoadBalancerPolicies)" };
  }
  if (!listener.sslPolicy) return { unknown: 'AWS named no security policy for the listener' };
  if (!scope.sslPolicies) return { unknown: 'the security policies of the region were not collected (elasticloadbalancing:DescribeSSLPolicies)' };
  const policy = scope.sslPolicies.find((candidate) => candidate.name === listener.sslPolicy);
  return policy ? { policy } : { unknown: `DescribeSSLPolicies did not list ${listener.sslPolicy}` };
}
