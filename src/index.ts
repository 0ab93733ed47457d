/**
 * lbcheck as a library: the audit pipeline every front end calls, and what it takes and
 * gives. `import { runAudit } from 'lbcheck'`.
 */
export { runAudit, type AuditOptions, type AuditProbeSettings, type AuditResult, type AuditSource } from './audit.js';
export { loadConfig, type LbcheckConfig } from './engine/config.js';
export { readBaseline } from './engine/baseline.js';
export { LbcheckError } from './errors.js';
export { silentProgress, type Progress } from './progress.js';
export { renderReport, type AuditReport, type ReportFormat } from './report/index.js';
export type { Inventory } from './inventory/model.js';
export { allRules } from '../rules/index.js';
