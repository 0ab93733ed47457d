/**
 * The terminal report. One section per load balancer, worst first; each finding a
 * headline (severity, rule, where) and then its message and fix wrapped to the terminal
 * width with a hanging indent, findings that differ only by subnet or target group
 * folded into one; evidence only with --verbose, whole. Then a summary per rule and
 * severity, and what was not checked. Colour only when the caller says so (NO_COLOR).
 */
import type { Severity } from '../engine/types.js';
import { compareSeverity } from '../engine/severity.js';
import { getOrCreate } from '../engine/memo.js';
import { LOAD_BALANCER_KIND_LABEL } from '../engine/targets.js';
import { escapeControlCharacters as terminalText } from '../text-safety.js';
import { plural } from '../words.js';
import { acrossAccountsPhrase, baselinePhrase, countsPhrase, evidenceEntries } from './evidence.js';
import { foldFindings, whereText, type FoldedFinding } from './fold.js';
import { formatProbeTable } from './probe-text.js';
import { probeSummary, type AuditReport, type RenderContext } from './report.js';
import { hang, unbroken } from './wrap.js';
import { loadBalancerSections, type LoadBalancerSection } from './sections.js';
import type { SeverityCounts } from '../engine/severity.js';

export const DEFAULT_TEXT_WIDTH = 80;
/** Below this the hanging indents leave too little room to read. */
const MIN_WIDTH = 50;
/** Body text (message, fix) starts here; the headline at 2. */
const BODY_INDENT = 4;

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

function sectionHeadline(section: LoadBalancerSection, p: Paint, width: number): string[] {
  const lb = section.loadBalancer;
  if (!lb) return hang(`${p.bold('Other resources')}${countsText(section.counts)}`, { indent: 0, hanging: 2, width });
  const scheme = section.inventory ? `${section.inventory.lb.scheme} ` : '';
  const account = lb.account ? `, account ${lb.account}` : '';
  const what = `${scheme}${LOAD_BALANCER_KIND_LABEL[lb.kind]} in ${lb.region}${account}`;
  return hang(`${p.bold(terminalText(lb.name))} ${p.dim(`(${what})`)}${countsText(section.counts)}`, { indent: 0, hanging: 2, width });
}

function countsText(counts: SeverityCounts): string {
  const parts = (['error', 'warning', 'info'] as const).filter((severity) => counts[severity] > 0).map((severity) => (severity === 'info' ? `${counts.info} info` : plural(counts[severity], severity)));
  return parts.length > 0 ? `: ${parts.join(', ')}` : ': no findings';
}

function evidenceLines(fold: FoldedFinding, width: number, p: Paint): string[] {
  const lines: string[] = [];
  for (const finding of fold.findings) {
    const entries = evidenceEntries(finding.evidence);
    if (entries.length === 0) continue;
    const place = fold.places.length > 1 ? fold.places[fold.findings.indexOf(finding)] : undefined;
    lines.push(...hang(p.dim(place ? `Evidence (${terminalText(place.label)}):` : 'Evidence:'), { indent: BODY_INDENT, width }));
    for (const entry of entries) {
      const label = entry.label === '-' ? '- ' : `${terminalText(entry.label)}: `;
      const indent = BODY_INDENT + 2 + entry.depth * 2;
      lines.push(...(entry.value === '' ? [`${' '.repeat(indent)}${label.trimEnd()}`] : hang(terminalText(entry.value), { indent, label, width })));
    }
  }
  lines.push(...hang(p.dim(`fingerprint ${fold.findings.map((finding) => finding.fingerprint).join(', ')}`), { indent: BODY_INDENT, width }));
  return lines;
}

function foldLines(fold: FoldedFinding, options: { width: number; verbose: boolean; loadBalancerArn: string | undefined }, p: Paint): string[] {
  const { finding } = fold;
  const { width } = options;
  const severity = p.severity(finding.severity, finding.severity.padEnd(7));
  const where = whereText(fold, options.loadBalancerArn);
  const isNew = finding.new === true ? ` ${p.bold('(new)')}` : '';
  const lines = hang(`${p.bold(finding.ruleId)}${where ? `  ${unbroken(terminalText(where))}` : ''}${isNew}`, { indent: 2, label: `${severity} `, width });
  lines.push(...hang(terminalText(finding.message), { indent: BODY_INDENT, width }));
  lines.push(...hang(terminalText(finding.fix), { indent: BODY_INDENT, label: 'Fix: ', width }));
  if (fold.places.length > 1) {
    const label = fold.places[0]?.kind === 'subnet' ? 'Subnets: ' : 'Target groups: ';
    lines.push(...hang(terminalText(fold.places.map((place) => place.label).join(', ')), { indent: BODY_INDENT, label, width }));
  }
  if (options.verbose) lines.push(...evidenceLines(fold, width, p));
  return lines;
}

function sectionLines(section: LoadBalancerSection, context: { width: number; verbose: boolean; color: boolean }, p: Paint): string[] {
  const lines = sectionHeadline(section, p, context.width);
  if (context.verbose && section.loadBalancer) lines.push(...hang(p.dim(section.loadBalancer.arn), { indent: 2, width: context.width }));
  for (const fold of foldFindings(section.findings)) {
    lines.push('', ...foldLines(fold, { width: context.width, verbose: context.verbose, loadBalancerArn: section.loadBalancer?.arn }, p));
  }
  if (section.probeTargets.length > 0) {
    lines.push('', ...hang(p.bold('Probe'), { indent: 2, width: context.width }));
    const table = formatProbeTable({ targets: section.probeTargets }, { color: context.color, width: context.width - 4 });
    lines.push(...table.split('\n').map((line) => (line === '' ? '' : `    ${line}`)));
  }
  return lines;
}

interface RuleCount {
  severity: Severity;
  ruleId: string;
  count: number;
}

/** Each report's rule summary, worked out once for the formats of one run (text and Markdown both print it). */
const ruleSummaries = new WeakMap<AuditReport, readonly RuleCount[]>();

/** Findings per severity and rule, most severe first, then the most frequent. */
export function ruleSummary(report: AuditReport): readonly RuleCount[] {
  return getOrCreate(ruleSummaries, report, countByRule);
}

function countByRule(report: AuditReport): RuleCount[] {
  // A map per severity, keyed by the rule id itself: no key to build per finding.
  const counts: Record<Severity, Map<string, RuleCount>> = { error: new Map(), warning: new Map(), info: new Map() };
  for (const finding of report.findings) {
    const ofSeverity = counts[finding.severity];
    const entry = ofSeverity.get(finding.ruleId);
    if (entry) entry.count++;
    else ofSeverity.set(finding.ruleId, { severity: finding.severity, ruleId: finding.ruleId, count: 1 });
  }
  const entries = [...counts.error.values(), ...counts.warning.values(), ...counts.info.values()];
  return entries.sort((a, b) => compareSeverity(a.severity, b.severity) || b.count - a.count || a.ruleId.localeCompare(b.ruleId, 'en'));
}

/** Rules that are registered but did not run: probe rules without --probe, and rules the config turned off. */
export function rulesNotRun(report: AuditReport, context: RenderContext): { probe: string[]; off: string[] } {
  const ran = new Set(report.rules);
  const idle = context.rules.filter((meta) => !ran.has(meta.id));
  const ids = (source: 'config' | 'probe') => idle.filter((meta) => meta.source === source).map((meta) => meta.id).sort();
  return { probe: report.probe ? [] : ids('probe'), off: [...(report.probe ? ids('probe') : []), ...ids('config')].sort() };
}

function summaryLines(report: AuditReport, context: RenderContext, width: number, p: Paint): string[] {
  const { summary } = report;
  const lines = [p.bold('Summary')];
  const counts = report.findings.length === 0 ? 'No findings' : countsPhrase(summary);
  const newPart = report.baseline ? ` (${baselinePhrase(report.baseline)})` : '';
  const where = `${plural(summary.loadBalancers, 'load balancer')} in ${plural(summary.regions, 'region')}${acrossAccountsPhrase(summary)}`;
  lines.push(...hang(`${counts}${newPart} on ${where}; ${plural(report.rules.length, 'rule')} ran.`, { indent: 2, width }));
  const perRule = ruleSummary(report);
  const countWidth = Math.max(0, ...perRule.map((entry) => String(entry.count).length));
  for (const entry of perRule) {
    const label = `${p.severity(entry.severity, entry.severity.padEnd(7))} ${String(entry.count).padStart(countWidth)}  `;
    lines.push(...hang(entry.ruleId, { indent: 4, label, width }));
  }
  if (report.probe) {
    const probe = probeSummary(report.probe);
    const failing = probe.failing.length > 0 ? `, ${probe.failing.length} failed at least once (${probe.failing.join(', ')})` : ', all answered';
    const skipped = probe.skipped > 0 ? `; ${plural(probe.skipped, 'listener')} skipped` : '';
    lines.push(...hang(`${plural(probe.addresses, 'address')} of ${plural(probe.names, 'name')} probed${failing}${skipped}.`, { indent: 2, label: 'Probe: ', width }));
  }
  if (report.ignores.suppressed.length > 0) lines.push(...hang(`${plural(report.ignores.suppressed.length, 'finding')} ignored by the config.`, { indent: 2, width }));
  for (const expired of report.ignores.expired) {
    const text = `${terminalText(expired.ignore)}: the ignore of ${expired.rule} on ${terminalText(expired.resource)} expired on ${expired.expires} and no longer suppresses anything.`;
    lines.push(...hang(text, { indent: 2, label: p.severity('warning', 'Expired ignore: '), width }));
  }
  return lines;
}

function notCheckedLines(report: AuditReport, context: RenderContext, width: number, p: Paint): string[] {
  const notRun = rulesNotRun(report, context);
  if (report.notChecked.length === 0 && notRun.probe.length === 0 && notRun.off.length === 0) return [];
  const lines = [p.bold(report.notChecked.length > 0 ? p.severity('warning', `Not checked (${report.notChecked.length})`) : 'Not checked')];
  for (const entry of report.notChecked) lines.push(...hang(`${terminalText(entry.what)}: ${terminalText(entry.why)}`, { indent: 2, label: '- ', width }));
  if (notRun.probe.length > 0) lines.push(...hang(`probe rules not run (they need --probe): ${notRun.probe.join(', ')}`, { indent: 2, label: '- ', width }));
  if (notRun.off.length > 0) lines.push(...hang(`rules turned off: ${notRun.off.join(', ')}`, { indent: 2, label: '- ', width }));
  return lines;
}

/** The text report, a section at a time: the same lines as one join, each ended by a newline. */
export function* textChunks(report: AuditReport, context: RenderContext): Generator<string> {
  const p = paint(context.color ?? false);
  const width = Math.max(MIN_WIDTH, context.width ?? DEFAULT_TEXT_WIDTH);
  const options = { width, verbose: context.verbose ?? false, color: context.color ?? false };
  if (report.baseline) yield `${hang(p.bold(`${baselinePhrase(report.baseline)} since ${terminalText(report.baseline.file)}`), { indent: 0, hanging: 2, width }).join('\n')}\n\n`;
  // Each section joined on its own and handed on: its many short lines and its text die young.
  for (const section of loadBalancerSections(report, context.inventory)) yield `${sectionLines(section, options, p).join('\n')}\n\n`;
  yield `${summaryLines(report, context, width, p).join('\n')}\n`;
  const notChecked = notCheckedLines(report, context, width, p);
  if (notChecked.length > 0) yield `\n${notChecked.join('\n')}\n`;
}
