/** Severity order, shared by sorting, --fail-on and reporters. */
import type { Severity } from './types.js';

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Negative when `a` is more severe than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[a] - RANK[b];
}

/** The findings that fail a run (exit 1, a failed step): at or above `failOn`, and with a baseline, new. */
export function failingFindings<F extends { severity: Severity; new?: boolean }>(findings: readonly F[], failOn: Severity | 'none'): F[] {
  return findings.filter((finding) => finding.new !== false && atOrAbove(finding.severity, failOn));
}

/** True when `severity` is `threshold` or more severe; `none` is never reached. */
export function atOrAbove(severity: Severity, threshold: Severity | 'none'): boolean {
  return threshold !== 'none' && RANK[severity] <= RANK[threshold];
}

/** Findings per severity. */
export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
}

export function severityCounts(findings: readonly { severity: Severity }[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}
