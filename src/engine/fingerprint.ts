/**
 * A finding's identity across runs: the same rule on the same resource for the same
 * reason gets the same fingerprint, whatever the message says or how long things took.
 * Baselines, ignores in CI and SARIF's primaryLocationLineHash all key on it.
 */
import { createHash } from 'node:crypto';

export function fingerprint(ruleId: string, resourceArn: string, discriminator = ''): string {
  return createHash('sha256').update(`${ruleId}\u0000${resourceArn}\u0000${discriminator}`).digest('hex').slice(0, 16);
}
