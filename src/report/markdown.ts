/**
 * Markdown for a GitHub job summary or an issue: a summary table and the findings per
 * rule, what was not checked, then one collapsible `<details>` section per load
 * balancer, worst first. GitHub caps a step summary at 1 MiB and an issue or PR comment
 * at 65,536 characters, so the output stops at `maxBytes` and counts what it left out.
 */
import { ruleDocsUrl } from '../engine/docs.js';
import { LOAD_BALANCER_KIND_LABEL } from '../engine/targets.js';
import type { Severity } from '../engine/types.js';
import { plural } from '../words.js';
import { escapeHtml, escapeMarkdown, markdownCode } from './escape.js';
import { acrossAccountsPhrase, baselinePhrase, countsPhrase } from './evidence.js';
import { foldFindings, whereText, type FoldedFinding } from './fold.js';
import { medianMs, outcomeSummary, UNKNOWN_PLACE } from './probe-text.js';
import { probeSummary, type AuditReport, type RenderContext } from './report.js';
import { loadBalancerSections, type LoadBalancerSection } from './sections.js';
import { ruleSummary, rulesNotRun } from './text.js';

/** https://docs.github.com/en/actions/using-workflows/workflow-commands-for-github-actions#step-isolation-and-limits */
export const GITHUB_STEP_SUMMARY_MAX_BYTES = 1024 * 1024;
/** GitHub rejects an issue or pull request comment longer than this (characters; bytes are never fewer). */
export const GITHUB_COMMENT_MAX_CHARACTERS = 65_536;

const SEVERITY_ICON: Record<Severity, string> = { error: '🔴', warning: '🟠', info: '🔵' };
/** Room kept for the closing line that counts what was left out. */
const FOOTER_RESERVE = 400;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** A rule id, linked to its page where the project has a real URL for it. */
function ruleLink(ruleId: string): string {
  const url = ruleDocsUrl(ruleId);
  return url ? `[${markdownCode(ruleId)}](${url})` : markdownCode(ruleId);
}

function summaryTable(report: AuditReport): string[] {
  const { summary } = report;
  const out = ['| | |', '| --- | --- |'];
  out.push(`| Errors | ${summary.errors} |`, `| Warnings | ${summary.warnings} |`, `| Info | ${summary.infos} |`);
  if (report.baseline) out.push(`| New since baseline | ${report.baseline.new} |`, `| Fixed since baseline | ${report.baseline.fixed.length} |`);
  out.push(`| Checked | ${plural(summary.loadBalancers, 'load balancer')} in ${escapeMarkdown(report.scope.regions.join(', ') || 'no region')}${acrossAccountsPhrase(summary)} |`);
  out.push(`| Rules run | ${report.rules.length} |`);
  if (report.probe) {
    const probe = probeSummary(report.probe);
    const failing = probe.failing.length > 0 ? `, ${probe.failing.length} failing (${escapeMarkdown(probe.failing.join(', '))})` : ', all answered';
    out.push(`| Probed | ${plural(probe.addresses, 'address')} of ${plural(probe.names, 'name')}${failing} |`);
  }
  if (report.ignores.suppressed.length > 0) out.push(`| Ignored by config | ${report.ignores.suppressed.length} |`);
  out.push(`| Not checked | ${report.notChecked.length} |`);
  return out;
}

function ruleTable(report: AuditReport): string[] {
  const rows = ruleSummary(report);
  if (rows.length === 0) return [];
  return ['| Severity | Rule | Findings |', '| --- | --- | ---: |', ...rows.map((row) => `| ${SEVERITY_ICON[row.severity]} ${row.severity} | ${ruleLink(row.ruleId)} | ${row.count} |`)];
}

function fixedLines(report: AuditReport): string[] {
  const fixed = report.baseline?.fixed ?? [];
  if (fixed.length === 0) return [];
  const items = fixed.map((entry) => `- ${markdownCode(entry.ruleId)} on ${escapeMarkdown(entry.resource.type)} ${markdownCode(entry.resource.name)} (${escapeMarkdown(entry.resource.region)})`);
  return [`<details><summary><b>Fixed since the baseline</b> (${fixed.length})</summary>`, '', ...items, '', '</details>', ''];
}

function notCheckedLines(report: AuditReport, context: RenderContext): string[] {
  const notRun = rulesNotRun(report, context);
  const items = [
    ...report.notChecked.map((entry) => `- ${escapeMarkdown(entry.what)}: ${escapeMarkdown(entry.why)}`),
    ...(notRun.probe.length ? [`- probe rules not run (they need \`--probe\`): ${notRun.probe.map(markdownCode).join(', ')}`] : []),
    ...(notRun.off.length ? [`- rules turned off: ${notRun.off.map(markdownCode).join(', ')}`] : []),
    ...report.ignores.expired.map(
      (expired) => `- expired ignore ${markdownCode(expired.ignore)}: ${markdownCode(expired.rule)} on ${markdownCode(expired.resource)} expired ${escapeMarkdown(expired.expires)} (${escapeMarkdown(expired.reason)})`,
    ),
  ];
  if (items.length === 0) return [];
  return [`<details><summary><b>Not checked</b> (${items.length})</summary>`, '', ...items, '', '</details>', ''];
}

function findingLines(fold: FoldedFinding, section: LoadBalancerSection): string[] {
  const { finding } = fold;
  const where = whereText(fold, section.loadBalancer?.arn);
  const head = `- ${SEVERITY_ICON[finding.severity]} **${finding.severity}** ${ruleLink(finding.ruleId)}${where ? ` · ${escapeMarkdown(where)}` : ''}${finding.new === true ? ' **(new)**' : ''}`;
  const lines = [`${head}<br>`, `  ${escapeMarkdown(finding.message)}<br>`, `  **Fix:** ${escapeMarkdown(finding.fix)}`];
  if (fold.places.length > 1) {
    lines[lines.length - 1] += '<br>';
    lines.push(`  ${fold.places[0]?.kind === 'subnet' ? 'Subnets' : 'Target groups'}: ${fold.places.map((p) => markdownCode(p.label)).join(', ')}`);
  }
  return lines;
}

function probeLines(section: LoadBalancerSection): string[] {
  const rows = section.probeTargets.flatMap((target) =>
    target.addresses.map(
      (address) =>
        `| ${markdownCode(`${address.ip}:${target.port}`)} | ${escapeMarkdown(address.az ?? UNKNOWN_PLACE)} | ${escapeMarkdown(outcomeSummary(address))} | ${medianMs(address, (a) => a.connectMs)} | ${medianMs(address, (a) => a.tlsMs)} | ${medianMs(address, (a) => a.firstByteMs)} |`,
    ),
  );
  if (rows.length === 0) return [];
  return ['| Address | AZ | Result | Connect ms | TLS ms | First byte ms |', '| --- | --- | --- | ---: | ---: | ---: |', ...rows, ''];
}

/** Text inside `<summary>`: HTML, where GitHub still turns `@name` into a mention (a zero-width space stops it). */
function summaryText(text: string): string {
  return escapeHtml(text).replace(/@(?=[\w-])/g, '@&#8203;');
}

function sectionSummary(section: LoadBalancerSection): string {
  const lb = section.loadBalancer;
  const counts = (['error', 'warning', 'info'] as const)
    .filter((severity) => section.counts[severity] > 0)
    .map((severity) => `${SEVERITY_ICON[severity]} ${severity === 'info' ? `${section.counts.info} info` : plural(section.counts[severity], severity)}`)
    .join(', ');
  if (!lb) return `<b>Other resources</b> · ${counts}`;
  const scheme = section.inventory ? `${summaryText(section.inventory.lb.scheme)} ` : '';
  return `<b>${summaryText(lb.name)}</b> · ${scheme}${LOAD_BALANCER_KIND_LABEL[lb.kind]} · ${summaryText(lb.region)}${lb.account ? ` · ${summaryText(lb.account)}` : ''} · ${counts || 'no findings'}`;
}

/** One LB's `<details>` with the first `limit` of its folded findings. */
function sectionBlock(section: LoadBalancerSection, folded: readonly FoldedFinding[], limit: number, open: boolean): string {
  const shown = folded.slice(0, limit);
  const lines = [`<details${open ? ' open' : ''}><summary>${sectionSummary(section)}</summary>`, ''];
  if (section.loadBalancer) lines.push(markdownCode(section.loadBalancer.arn), '');
  lines.push(...probeLines(section));
  for (const fold of shown) lines.push(...findingLines(fold, section));
  const hidden = folded.slice(limit).reduce((sum, fold) => sum + fold.findings.length, 0);
  if (hidden > 0) lines.push(`- _${plural(hidden, 'more finding')} not shown (size limit)_`);
  lines.push('', '</details>', '');
  return lines.join('\n');
}

/** The largest number of folded findings of `section` whose block fits in `room` bytes (0 when not even one fits). */
function findingsThatFit(section: LoadBalancerSection, folded: readonly FoldedFinding[], room: number, open: boolean): number {
  let low = 0;
  let high = folded.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (bytes(sectionBlock(section, folded, middle, open)) <= room) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * The Markdown report, at most `maxBytes` long (default: a step summary's 1 MiB): whole
 * LB sections while they fit, then as many findings of the next one as fit, then a line
 * counting the load balancers and findings left out.
 */
export function renderMarkdown(report: AuditReport, context: RenderContext, maxBytes = context.maxBytes ?? GITHUB_STEP_SUMMARY_MAX_BYTES): string {
  const title = `## lbcheck: ${report.findings.length === 0 ? 'no findings' : countsPhrase(report.summary)}`;
  const rules = ruleTable(report);
  const baseline = report.baseline ? [`**${baselinePhrase(report.baseline)}** since the baseline ${markdownCode(report.baseline.file)}`, ''] : [];
  const head = [title, '', ...baseline, ...summaryTable(report), '', ...(rules.length ? [...rules, ''] : []), ...fixedLines(report), ...notCheckedLines(report, context)].join('\n');
  const out = [head];
  let used = bytes(head) + 1;
  const sections = loadBalancerSections(report, context.inventory);
  let shown = 0;
  for (; shown < sections.length; shown++) {
    const section = sections[shown] as LoadBalancerSection;
    const open = shown === 0 && section.counts.error > 0;
    const room = maxBytes - used - FOOTER_RESERVE - 1;
    // Folded here, for the sections printed: the rest are only counted.
    const folded = foldFindings(section.findings);
    const whole = sectionBlock(section, folded, folded.length, open);
    const wholeBytes = bytes(whole);
    if (wholeBytes <= room) {
      out.push(whole);
      used += wholeBytes + 1;
      continue;
    }
    // The first section that does not fit shows what fits of it, and counts the rest inside it.
    const fit = findingsThatFit(section, folded, room, open);
    if (fit > 0) {
      out.push(sectionBlock(section, folded, fit, open));
      shown++;
    }
    break;
  }
  const left = countLeft(sections, shown);
  if (left.sections > 0) {
    out.push(`_${plural(left.sections, 'more load balancer')} with ${plural(left.findings, 'finding')} not shown: this report stops at ${maxBytes} bytes; the JSON or HTML report has everything._`, '');
  }
  return `${out.join('\n')}\n`;
}

/** The sections from `from` on, and their findings: what the report leaves out (thousands, at 10,000 LBs: a loop of its own, not a pass through the one that prints). */
function countLeft(sections: readonly LoadBalancerSection[], from: number): { sections: number; findings: number } {
  let findings = 0;
  for (let i = from; i < sections.length; i++) findings += (sections[i] as LoadBalancerSection).findings.length;
  return { sections: sections.length - from, findings };
}
