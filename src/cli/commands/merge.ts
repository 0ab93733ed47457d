/**
 * `lbcheck merge REPORT.json... [--format F] [--output FILE]...`: the JSON reports of the
 * shards of one audit (a CI matrix over accounts and regions) as one report, in any format.
 * Exit codes as `audit`: 1 when a merged finding is at or above --fail-on (with baselines,
 * a new one), 2 when a file is not an lbcheck JSON report.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { LbcheckError, errorLine } from '../../errors.js';
import { mergeReports } from '../../report/merge.js';
import type { AuditReport } from '../../report/index.js';
import type { Severity } from '../../engine/types.js';
import { allRules } from '../../../rules/index.js';
import type { GlobalOptions } from '../options.js';
import { reportOutputs, writeReports } from '../output.js';
import { exitCodeOf } from './audit.js';
import type { ReportFormat } from '../../report/index.js';

export interface MergeFlags extends GlobalOptions {
  format?: ReportFormat;
  output?: string[];
  failOn: Severity | 'none';
}

/** What merge relies on in each shard; the rest of the contract shape is carried as it is. */
const shardSchema = z.looseObject({
  schemaVersion: z.literal(1, { error: 'expected schemaVersion 1' }),
  tool: z.looseObject({ name: z.literal('lbcheck', { error: 'expected tool.name lbcheck' }) }),
  scope: z.looseObject({ regions: z.array(z.string()), accounts: z.array(z.string()) }),
  findings: z.array(z.looseObject({ fingerprint: z.string(), ruleId: z.string(), severity: z.enum(['error', 'warning', 'info']) })),
  notChecked: z.array(z.looseObject({ what: z.string(), why: z.string() })),
  stats: z.looseObject({ apiCalls: z.record(z.string(), z.number()), durationMs: z.number() }),
});

async function readShard(file: string): Promise<AuditReport> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new LbcheckError(`cannot read report ${file}: ${errorLine(error)}`, { cause: error });
  }
  const parsed = shardSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new LbcheckError(`${file} is not an lbcheck JSON report (${where}${issue?.message ?? 'invalid'})`);
  }
  return parsed.data as unknown as AuditReport;
}

export async function run(files: string[], flags: MergeFlags): Promise<number> {
  const rules = allRules();
  const outputs = await reportOutputs(flags.output ?? [], flags.format, process.stdout.isTTY ? 'text' : 'json');
  const merged = mergeReports(await Promise.all(files.map(readShard)));
  await writeReports(outputs, merged, { rules: rules.map((rule) => rule.meta) });
  return exitCodeOf(merged, flags.failOn);
}
