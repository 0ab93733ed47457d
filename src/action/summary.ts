/**
 * The job summary: the Markdown report, within GitHub's 1 MiB limit per step summary.
 * When the whole report does not fit, the worst findings are kept (the report lists them
 * worst first) and the rest are counted, with a pointer to the JSON and SARIF reports.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#step-isolation-and-limits
 */
import type { Severity } from '../engine/types.js';
import { renderReport, type AuditReport, type RenderContext } from '../report/index.js';
import { plural } from '../words.js';
import { ANNOTATIONS_PER_SEVERITY } from './annotations.js';

export const JOB_SUMMARY_LIMIT_BYTES = 1024 * 1024;
/** Room for the closing notes and what @actions/core adds. */
const RESERVE_BYTES = 4096;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

function notes(omitted: number, notAnnotated: Record<Severity, number>): string {
  const lines: string[] = [];
  if (omitted > 0) lines.push(`_${plural(omitted, 'more finding')} not shown here (the job summary is limited to 1 MiB): the JSON report and the SARIF file have them all._`);
  const unannotated = notAnnotated.error + notAnnotated.warning + notAnnotated.info;
  if (unannotated > 0) {
    lines.push(`_Annotations show the first ${ANNOTATIONS_PER_SEVERITY} findings of each severity; ${plural(unannotated, 'more finding')} (${notAnnotated.error} error, ${notAnnotated.warning} warning, ${notAnnotated.info} info) are listed here only._`);
  }
  return lines.length > 0 ? `\n${lines.join('\n\n')}\n` : '';
}

/** The Markdown for the job summary, at most `maxBytes`. */
export function summaryMarkdown(report: AuditReport, context: RenderContext, options: { maxBytes: number; notAnnotated: Record<Severity, number> }): string {
  const render = (kept: number) => renderReport('markdown', { ...report, findings: report.findings.slice(0, kept) }, context);
  const budget = options.maxBytes - RESERVE_BYTES;
  let kept = report.findings.length;
  if (bytes(render(kept)) > budget) {
    // The most findings that fit: binary search over how many of the worst to keep.
    let low = 0;
    let high = kept;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (bytes(render(middle)) <= budget) low = middle;
      else high = middle - 1;
    }
    kept = low;
  }
  return `${render(kept)}${notes(report.findings.length - kept, options.notAnnotated)}`;
}
