/**
 * `--baseline previous.json`: a JSON report from an earlier run. Findings whose
 * fingerprint it holds are not new; the rest are (and `summary.newFindings` counts them).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { LbcheckError, errorLine } from '../errors.js';

const baselineSchema = z.object({
  schemaVersion: z.literal(1, { error: 'expected schemaVersion 1' }),
  findings: z.array(z.object({ fingerprint: z.string({ error: 'expected a fingerprint string' }) }), {
    error: 'expected a findings list',
  }),
});

export function parseBaseline(text: string, file: string): ReadonlySet<string> {
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
  return new Set(parsed.data.findings.map((finding) => finding.fingerprint));
}

export async function readBaseline(file: string): Promise<ReadonlySet<string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new LbcheckError(`cannot read baseline ${file}: ${errorLine(error)}`, { cause: error });
  }
  return parseBaseline(text, file);
}
