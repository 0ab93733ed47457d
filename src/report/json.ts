/** The contract's JSON report, as is. */
import type { AuditReport } from './report.js';

export function renderJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
