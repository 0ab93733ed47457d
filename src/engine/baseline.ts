/**
 * Baselines for nightly audits. `--baseline FILE` reads a previous JSON report (or a file
 * written by `--write-baseline`): a finding whose fingerprint it holds is not new, and an
 * entry the audit no longer finds is fixed, but only where this audit could have found it
 * again (its account and region were audited, its rule ran, the load balancers there were
 * listed, no ignore hides it): an entry out of sight is neither fixed nor forgotten.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { LbcheckError, errorLine } from '../errors.js';
import type { NotChecked } from '../inventory/model.js';
import { TOOL_NAME, VERSION } from '../version.js';
import { isFailedListing } from './coverage.js';
import type { ResourceRef, Severity } from './types.js';

const resourceSchema = z.looseObject({
  arn: z.string({ error: 'expected a resource arn' }),
  type: z.string({ error: 'expected a resource type' }),
  name: z.string({ error: 'expected a resource name' }),
  region: z.string({ error: 'expected a resource region' }),
  account: z.string().optional(),
});

const baselineSchema = z.object({
  schemaVersion: z.literal(1, { error: 'expected schemaVersion 1' }),
  findings: z.array(
    z.object({
      fingerprint: z.string({ error: 'expected a fingerprint string' }),
      ruleId: z.string({ error: 'expected a ruleId string' }),
      severity: z.enum(['error', 'warning', 'info']).optional(),
      resource: resourceSchema,
    }),
    { error: 'expected a findings list' },
  ),
});

/** What a baseline remembers of a finding: enough to name it when it is fixed. */
export interface BaselineEntry {
  ruleId: string;
  fingerprint: string;
  severity?: Severity;
  resource: ResourceRef;
}

export interface Baseline {
  file: string;
  entries: BaselineEntry[];
  fingerprints: ReadonlySet<string>;
}

function entryOf(finding: BaselineEntry): BaselineEntry {
  const { arn, type, name, region, account } = finding.resource;
  return {
    ruleId: finding.ruleId,
    fingerprint: finding.fingerprint,
    ...(finding.severity !== undefined && { severity: finding.severity }),
    resource: { arn, type, name, region, ...(account !== undefined && { account }) },
  };
}

export function parseBaseline(text: string, file: string): Baseline {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LbcheckError(`baseline ${file}: not JSON: ${errorLine(error)}`, { cause: error });
  }
  const parsed = baselineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new LbcheckError(`baseline ${file}: not an lbcheck JSON report (${where}${issue?.message ?? 'invalid'})`);
  }
  const entries = parsed.data.findings.map(entryOf);
  return { file, entries, fingerprints: new Set(entries.map((entry) => entry.fingerprint)) };
}

export async function readBaseline(file: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new LbcheckError(`cannot read baseline ${file}: ${errorLine(error)}`, { cause: error });
  }
  return parseBaseline(text, file);
}

/** What this audit could see: the scopes it collected, the rules that ran, what it could not check, what its ignores hid. */
export interface AuditCoverage {
  scopes: readonly { account: string; region: string }[];
  rulesRun: readonly string[];
  notChecked: readonly NotChecked[];
  suppressedFingerprints: ReadonlySet<string>;
}

function couldFindAgain(entry: BaselineEntry, coverage: AuditCoverage): boolean {
  const { region, account } = entry.resource;
  const sameScope = (scope: { account?: string; region?: string }) => scope.region === region && (account === undefined || scope.account === undefined || scope.account === account);
  return (
    coverage.rulesRun.includes(entry.ruleId) &&
    !coverage.suppressedFingerprints.has(entry.fingerprint) &&
    coverage.scopes.some(sameScope) &&
    !coverage.notChecked.some((gap) => isFailedListing(gap) && sameScope(gap))
  );
}

/** Baseline entries this audit could have found again and did not, in baseline order. */
export function fixedSince(baseline: Baseline, findings: readonly { fingerprint: string }[], coverage: AuditCoverage): BaselineEntry[] {
  const found = new Set(findings.map((finding) => finding.fingerprint));
  return baseline.entries.filter((entry) => !found.has(entry.fingerprint) && couldFindAgain(entry, coverage));
}

/**
 * The next baseline (`--write-baseline`): today's findings, plus the previous baseline's
 * entries this audit could not see (neither found nor fixed), so that a region that failed
 * tonight does not make its findings "new" tomorrow. Sorted by fingerprint: the file only
 * changes when the findings do.
 */
export function nextBaseline(findings: readonly BaselineEntry[], previous?: { baseline: Baseline; fixed: readonly BaselineEntry[] }): string {
  const entries = new Map(findings.map((finding) => [finding.fingerprint, entryOf(finding)]));
  if (previous) {
    const fixed = new Set(previous.fixed.map((entry) => entry.fingerprint));
    for (const entry of previous.baseline.entries) if (!fixed.has(entry.fingerprint) && !entries.has(entry.fingerprint)) entries.set(entry.fingerprint, entry);
  }
  const sorted = [...entries.values()].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint, 'en'));
  return `${JSON.stringify({ schemaVersion: 1, tool: { name: TOOL_NAME, version: VERSION }, kind: 'baseline', findings: sorted }, null, 2)}\n`;
}
