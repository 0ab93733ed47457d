/**
 * The contract's JSON report, as is: the bytes of `JSON.stringify(report, null, 2)`, written in
 * pieces. The findings (nearly all of a large report) are stringified a few at a time, so no
 * piece is larger than the young generation takes and no string of the whole report is ever
 * made: at 10,000 load balancers that string is about 46 MB of memory touched for the first time.
 */
import type { AuditReport } from './report.js';

/** The findings list of the report stringified with none, at its depth (a key of the top object). */
const EMPTY_FINDINGS = '\n  "findings": []';
/** Findings per JSON.stringify call: about 30 KB of text, which dies young. Measured at 10,000 LBs: 8 to 32 cost about the same; SARIF, written the same way, costs twice as much from 24. */
export const FINDINGS_PER_CHUNK = 16;
/** What JSON.stringify({ findings: [...] }, null, 2) writes around the items: the same depth as in the report. */
const CHUNK_HEAD = '{\n  "findings": [\n';
const CHUNK_TAIL = '\n  ]\n}';

export function* jsonChunks(report: AuditReport): Generator<string> {
  const { findings } = report;
  const rest = JSON.stringify({ ...report, findings: [] }, null, 2);
  // A raw newline cannot be inside a string value, and only a key of the top object follows one with two spaces.
  const at = rest.indexOf(EMPTY_FINDINGS);
  if (findings.length === 0 || at === -1) {
    yield `${JSON.stringify(report, null, 2)}\n`;
    return;
  }
  const open = at + EMPTY_FINDINGS.length - 1;
  yield `${rest.slice(0, open)}\n`;
  for (let start = 0; start < findings.length; start += FINDINGS_PER_CHUNK) {
    const chunk = JSON.stringify({ findings: findings.slice(start, start + FINDINGS_PER_CHUNK) }, null, 2);
    yield `${start === 0 ? '' : ',\n'}${chunk.slice(CHUNK_HEAD.length, -CHUNK_TAIL.length)}`;
  }
  yield `\n  ${rest.slice(open)}\n`;
}
