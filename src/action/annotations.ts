/**
 * Annotations for the worst findings. GitHub shows about 10 error, 10 warning and 10
 * notice annotations per step and drops the rest, so lbcheck emits at most that many of
 * each (the findings are already sorted worst first) and counts the rest for the summary.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#setting-an-error-message
 */
import * as core from '@actions/core';
import type { Severity } from '../engine/types.js';
import type { AuditReport } from '../report/index.js';
import { safeStderrText } from '../text-safety.js';

export const ANNOTATIONS_PER_SEVERITY = 10;

const EMIT: Record<Severity, (message: string, properties: core.AnnotationProperties) => void> = {
  error: core.error,
  warning: core.warning,
  info: core.notice,
};

/** Emits the annotations; returns how many findings of each severity got none. */
export function annotate(report: AuditReport): { notShown: Record<Severity, number> } {
  const shown: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const notShown: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of report.findings) {
    if (shown[finding.severity] >= ANNOTATIONS_PER_SEVERITY) {
      notShown[finding.severity]++;
      continue;
    }
    shown[finding.severity]++;
    const where = [finding.resource.account, finding.resource.region].filter(Boolean).join('/');
    // Text from AWS, made safe as every line the Action writes (@actions/core escapes only %, CR and LF).
    EMIT[finding.severity](safeStderrText(finding.message), { title: safeStderrText(`${finding.ruleId}: ${finding.resource.type} ${finding.resource.name}${where ? ` (${where})` : ''}`) });
  }
  return { notShown };
}
