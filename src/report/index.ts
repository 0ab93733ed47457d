/** One entry point for every report format. */
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import type { AuditReport, RenderContext } from './report.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export type ReportFormat = 'text' | 'json' | 'sarif' | 'markdown' | 'html';

export function renderReport(format: ReportFormat, report: AuditReport, context: RenderContext): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'text':
      return renderText(report, context);
    case 'markdown':
      return renderMarkdown(report, context);
    case 'sarif':
      return renderSarif(report, context);
    case 'html':
      return renderHtml(report, context);
  }
}

export { buildReport, type AuditReport, type RenderContext } from './report.js';
