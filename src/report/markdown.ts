/** Markdown for a GitHub job summary: a summary table, then the findings grouped by load balancer. */
import { ruleDocsUrl } from '../engine/docs.js';
import type { ReportFinding } from '../engine/runner.js';
import { plural } from '../words.js';
import { escapeMarkdown, markdownCode } from './escape.js';
import { baselinePhrase, countsPhrase, evidenceLine } from './evidence.js';
import { groupByLoadBalancer, probeSummary, type AuditReport, type RenderContext } from './report.js';

const SEVERITY_ICON = { error: '🔴 error', warning: '🟠 warning', info: '🔵 info' } as const;

function findingRow(finding: ReportFinding): string {
  const docs = ruleDocsUrl(finding.ruleId);
  const rule = docs ? `[${markdownCode(finding.ruleId)}](${docs})` : markdownCode(finding.ruleId);
  const resource = `${escapeMarkdown(finding.resource.type)} ${markdownCode(finding.resource.name)}`;
  const evidence = evidenceLine(finding.evidence, 300);
  const message = `${escapeMarkdown(finding.message)}${finding.new === true ? ' **(new)**' : ''}<br>**Fix:** ${escapeMarkdown(finding.fix)}`;
  return `| ${SEVERITY_ICON[finding.severity]} | ${rule} | ${resource} | ${message}${evidence ? `<br><sub>${escapeMarkdown(evidence)}</sub>` : ''} |`;
}

export function renderMarkdown(report: AuditReport, _context: RenderContext): string {
  const { summary } = report;
  const out: string[] = [`## lbcheck: ${report.findings.length === 0 ? 'no findings' : countsPhrase(summary)}`, ''];
  if (report.baseline) out.push(`**${baselinePhrase(report.baseline)}** since the baseline ${markdownCode(report.baseline.file)}`, '');
  out.push('| | |', '| --- | --- |');
  out.push(`| Errors | ${summary.errors} |`, `| Warnings | ${summary.warnings} |`, `| Info | ${summary.infos} |`);
  out.push(`| Checked | ${plural(summary.loadBalancers, 'load balancer')} in ${escapeMarkdown(report.scope.regions.join(', ') || 'no region')} |`);
  out.push(`| Rules run | ${report.rules.length} |`);
  if (report.probe) {
    const probe = probeSummary(report.probe);
    const failing = probe.failing.length > 0 ? `, ${probe.failing.length} failing (${escapeMarkdown(probe.failing.join(', '))})` : ', all answered';
    out.push(`| Probed | ${plural(probe.addresses, 'address')} of ${plural(probe.names, 'name')}${failing} |`);
  }
  if (report.ignores.suppressed.length > 0) out.push(`| Ignored by config | ${report.ignores.suppressed.length} |`);
  out.push(`| Not checked | ${report.notChecked.length} |`, '');

  for (const group of groupByLoadBalancer(report.findings)) {
    out.push(group.loadBalancer ? `### ${escapeMarkdown(group.loadBalancer.name)} <sub>${markdownCode(group.loadBalancer.arn)}</sub>` : '### Other resources', '');
    out.push('| Severity | Rule | Resource | Finding |', '| --- | --- | --- | --- |');
    for (const finding of group.findings) out.push(findingRow(finding));
    out.push('');
  }
  if (report.ignores.expired.length > 0) {
    out.push('### Expired ignores', '');
    for (const expired of report.ignores.expired) {
      out.push(`- ${markdownCode(expired.rule)} on ${markdownCode(expired.resource)} expired ${escapeMarkdown(expired.expires)} (${markdownCode(expired.ignore)}): ${escapeMarkdown(expired.reason)}`);
    }
    out.push('');
  }
  if (report.baseline && report.baseline.fixed.length > 0) {
    out.push('### Fixed since the baseline', '');
    for (const fixed of report.baseline.fixed) out.push(`- ${markdownCode(fixed.ruleId)} on ${escapeMarkdown(fixed.resource.type)} ${markdownCode(fixed.resource.name)} (${escapeMarkdown(fixed.resource.region)})`);
    out.push('');
  }
  if (report.notChecked.length > 0) {
    out.push('### Not checked', '');
    for (const entry of report.notChecked) out.push(`- ${escapeMarkdown(entry.what)}: ${escapeMarkdown(entry.why)}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
