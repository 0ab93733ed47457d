/**
 * A finding's identity across runs: the same rule on the same resource for the same
 * reason gets the same fingerprint, whatever the message says or how long things took.
 * Baselines, ignores in CI and SARIF's primaryLocationLineHash all key on it.
 */
import { hash } from 'node:crypto';

export function fingerprint(ruleId: string, resourceArn: string, discriminator = ''): string {
  // The one-shot hash: a Hash object per finding costs twice as much, tens of thousands of times.
  return hash('sha256', `${ruleId}\u0000${resourceArn}\u0000${discriminator}`, 'hex').slice(0, 16);
}
