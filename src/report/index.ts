/** One entry point for every report format. */
import { htmlChunks } from './html.js';
import { jsonChunks } from './json.js';
import { renderMarkdown } from './markdown.js';
import type { AuditReport, RenderContext } from './report.js';
import { sarifChunks } from './sarif.js';
import { textChunks } from './text.js';

export type ReportFormat = 'text' | 'json' | 'sarif' | 'markdown' | 'html';

/**
 * The report's text in pieces, in order, to be written as they come (src/fs.ts writeOutput):
 * a large report is never one string.
 */
export function reportChunks(format: ReportFormat, report: AuditReport, context: RenderContext): Iterable<string> {
  switch (format) {
    case 'json':
      return jsonChunks(report);
    case 'text':
      return textChunks(report, context);
    case 'markdown':
      // One piece: it stops at maxBytes (1 MiB by default), so it is never large.
      return [renderMarkdown(report, context)];
    case 'sarif':
      return sarifChunks(report, context);
    case 'html':
      return htmlChunks(report, context);
  }
}

/** The whole report as one string (a library caller, the Action's log, tests); a CLI or Action output is written in pieces instead. */
export function renderReport(format: ReportFormat, report: AuditReport, context: RenderContext): string {
  // Appended, not joined: V8 keeps the pieces and copies them only if the caller reads the text through (a join copies 46 MB of JSON at 10,000 LBs, always).
  let text = '';
  for (const piece of reportChunks(format, report, context)) text += piece;
  return text;
}

export { buildReport, type AuditReport, type RenderContext } from './report.js';
