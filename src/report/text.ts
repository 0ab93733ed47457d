/**
 * The terminal report: findings grouped by load balancer, severity-coloured (only when
 * the caller says colour is on: colorEnabled honours NO_COLOR), evidence in a line or
 * two, then a summary of what was checked and what could not be.
 */
import type { Severity } from '../engine/types.js';
import type { ReportFinding } from '../engine/runner.js';
import { escapeControlCharacters as safe } from '../text-safety.js';
import { plural } from '../words.js';
import { baselinePhrase, countsPhrase, evidenceLines } from './evidence.js';
import { groupByLoadBalancer, probeSummary, type AuditReport, type RenderContext } from './report.js';

/** Evidence gets two lines of this width at most: enough for ids and timeouts; the JSON report has all of it. */
const EVIDENCE_WIDTH = 150;

interface Paint {
  severity(severity: Severity, text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const SEVERITY_COLOR: Record<Severity, number> = { error: 31, warning: 33, info: 36 };

function paint(color: boolean): Paint {
  const sgr = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  return {
    severity: (severity, text) => sgr(SEVERITY_COLOR[severity], text),
    bold: (text) => sgr(1, text),
    dim: (text) => sgr(2, text),
  };
}

function findingLines(finding: ReportFinding, p: Paint, onLoadBalancer: boolean): string[] {
  const label = p.severity(finding.severity, finding.severity.padEnd(7));
  const isNew = finding.new === true ? ` ${p.bold('(new)')}` : '';
  const about = onLoadBalancer && finding.loadBalancer?.arn === finding.resource.arn ? '' : ` [${safe(finding.resource.type)} ${safe(finding.resource.name)}]`;
  const lines = [`  ${label} ${safe(finding.ruleId)}${about}${isNew}`, `          ${safe(finding.message)}`, `          fix: ${safe(finding.fix)}`];
  for (const line of evidenceLines(finding.evidence, EVIDENCE_WIDTH, 2)) lines.push(p.dim(`          ${safe(line)}`));
  return lines;
}

export function renderText(report: AuditReport, context: RenderContext): string {
  const p = paint(context.color ?? false);
  const out: string[] = [];
  if (report.baseline) out.push(p.bold(`${baselinePhrase(report.baseline)} since ${safe(report.baseline.file)}`), '');
  for (const group of groupByLoadBalancer(report.findings)) {
    const first = group.findings[0];
    if (group.loadBalancer && first) {
      const lb = group.loadBalancer;
      out.push(`${p.bold(safe(lb.name))} ${p.dim(safe(`(${lb.kind}, ${first.resource.region})  ${lb.arn}`))}`);
    } else {
      out.push(p.bold('Other resources'));
    }
    for (const finding of group.findings) out.push(...findingLines(finding, p, group.loadBalancer !== undefined));
    out.push('');
  }
  const { summary } = report;
  const counts = countsPhrase(summary);
  out.push(report.findings.length === 0 ? 'No findings' : counts);
  const where = `${plural(summary.loadBalancers, 'load balancer')} in ${plural(summary.regions, 'region')}`;
  const accounts = summary.accounts > 1 ? ` across ${plural(summary.accounts, 'account')}` : '';
  out.push(`${where}${accounts} checked; ${plural(report.rules.length, 'rule')} ran`);
  if (report.probe) {
    const probe = probeSummary(report.probe);
    out.push(
      `Probe: ${plural(probe.addresses, 'address')} of ${plural(probe.names, 'name')} probed` +
        `${probe.failing.length > 0 ? `, ${probe.failing.length} failed at least once (${safe(probe.failing.join(', '))})` : ', all answered'}` +
        `${probe.skipped > 0 ? `; ${plural(probe.skipped, 'listener')} skipped` : ''}`,
    );
  }
  if (report.ignores.suppressed.length > 0) out.push(`${plural(report.ignores.suppressed.length, 'finding')} ignored by the config`);
  for (const expired of report.ignores.expired) {
    out.push(
      p.severity('warning', safe(`expired ignore (${expired.ignore}, expired ${expired.expires}): ${expired.rule} on ${expired.resource}: no longer suppresses`)),
    );
  }
  if (report.notChecked.length > 0) {
    out.push(p.severity('warning', `Not checked (${report.notChecked.length}):`));
    for (const entry of report.notChecked) out.push(safe(`  - ${entry.what}: ${entry.why}`));
  }
  return `${out.join('\n')}\n`;
}
