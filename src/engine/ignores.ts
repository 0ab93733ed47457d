/**
 * Ignores from .lbcheck.yml: a rule id plus a glob on the resource ARN or name, with a
 * reason and an optional expiry. An active ignore suppresses matching findings (they
 * are listed in the report's `ignores.suppressed`, never silently dropped). An expired
 * ignore suppresses nothing: its findings come back as ordinary findings and the
 * ignore itself is listed in `ignores.expired` so someone renews or deletes it.
 */
import type { IgnoreEntry } from './config.js';
import type { Finding } from './types.js';
import { globToRegExp } from './glob.js';

export interface SuppressedFinding {
  fingerprint: string;
  ruleId: string;
  resourceArn: string;
  reason: string;
  expires?: string;
  ignore: string; // where the ignore is written: `.lbcheck.yml:12:5`
}

export interface ExpiredIgnore {
  rule: string;
  resource: string;
  reason: string;
  expires: string;
  ignore: string;
  /** Fingerprints of the findings it would have suppressed: they are reported again. */
  unsuppressed: string[];
}

export interface IgnoreOutcome<F extends Finding> {
  kept: F[];
  suppressed: SuppressedFinding[];
  expired: ExpiredIgnore[];
}

/** True when the ignore's expiry day (UTC, inclusive) has passed at `now`. */
export function isExpired(entry: IgnoreEntry, now: Date): boolean {
  if (entry.expires === undefined) return false;
  return now.getTime() >= Date.parse(`${entry.expires}T00:00:00Z`) + 24 * 60 * 60 * 1000;
}

export function applyIgnores<F extends Finding>(findings: readonly F[], entries: readonly IgnoreEntry[], now: Date): IgnoreOutcome<F> {
  // Most audits have no ignores: nothing to match tens of thousands of findings against.
  if (entries.length === 0) return { kept: [...findings], suppressed: [], expired: [] };
  const compiled = entries.map((entry) => ({ entry, pattern: globToRegExp(entry.resource), expired: isExpired(entry, now), hits: [] as string[] }));
  const kept: F[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const matches = compiled.filter(
      (c) => c.entry.rule === finding.ruleId && (c.pattern.test(finding.resource.arn) || c.pattern.test(finding.resource.name)),
    );
    for (const match of matches) match.hits.push(finding.fingerprint);
    const active = matches.find((c) => !c.expired);
    if (!active) {
      kept.push(finding);
      continue;
    }
    suppressed.push({
      fingerprint: finding.fingerprint,
      ruleId: finding.ruleId,
      resourceArn: finding.resource.arn,
      reason: active.entry.reason,
      ...(active.entry.expires !== undefined && { expires: active.entry.expires }),
      ignore: active.entry.source,
    });
  }
  const expired = compiled
    .filter((c) => c.expired)
    .map(({ entry, hits }) => ({
      rule: entry.rule,
      resource: entry.resource,
      reason: entry.reason,
      expires: entry.expires ?? '',
      ignore: entry.source,
      unsuppressed: hits,
    }));
  return { kept, suppressed, expired };
}
