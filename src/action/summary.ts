/**
 * The job summary: the Markdown report, capped by the Markdown renderer itself (--max-bytes: whole
 * load-balancer sections worst first, then what fits of the next, the rest counted) at GitHub's 1 MiB
 * per step summary, less the room for a note on the findings that got no annotation.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#step-isolation-and-limits
 */
import type { Severity } from '../engine/types.js';
import { renderReport, type AuditReport, type RenderContext } from '../report/index.js';
import { GITHUB_STEP_SUMMARY_MAX_BYTES } from '../report/markdown.js';
import { plural } from '../words.js';
import { ANNOTATIONS_PER_SEVERITY } from './annotations.js';

function annotationNote(notAnnotated: Record<Severity, number>): string {
  const unannotated = notAnnotated.error + notAnnotated.warning + notAnnotated.info;
  if (unannotated === 0) return '';
  return `\n_Annotations show the first ${ANNOTATIONS_PER_SEVERITY} findings of each severity; ${plural(unannotated, 'more finding')} (${notAnnotated.error} error, ${notAnnotated.warning} warning, ${notAnnotated.info} info) are listed here only._\n`;
}

/** The Markdown for the job summary, at most `maxBytes` (default GitHub's limit) with the note included. */
export function summaryMarkdown(report: AuditReport, context: RenderContext, notAnnotated: Record<Severity, number>, maxBytes = GITHUB_STEP_SUMMARY_MAX_BYTES): string {
  const note = annotationNote(notAnnotated);
  return `${renderReport('markdown', report, { ...context, maxBytes: maxBytes - Buffer.byteLength(note, 'utf8') })}${note}`;
}
