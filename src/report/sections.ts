/**
 * What every human format shows per load balancer: its findings (folded), its probed
 * addresses, and the LB itself when the inventory is at hand, worst first.
 */
import type { LoadBalancerRef, ReportFinding } from '../engine/runner.js';
import { compareSeverity, type SeverityCounts, severityCounts } from '../engine/severity.js';
import type { Severity } from '../engine/types.js';
import type { Inventory, LoadBalancer, Scope } from '../inventory/model.js';
import type { ProbeTarget } from '../inventory/probe-report.js';
import type { AuditReport } from './report.js';

export interface LoadBalancerSection {
  /** Absent for the section of findings that belong to no load balancer. */
  loadBalancer?: LoadBalancerRef & { region: string; account?: string };
  /** The LB and its scope from the inventory, when the renderer has one (not for a merged JSON report). */
  inventory?: { lb: LoadBalancer; scope: Scope };
  /** Its findings, in report order; a renderer folds them (foldFindings) as it prints the section. */
  findings: ReportFinding[];
  counts: SeverityCounts;
  /** The probe's targets (one per listener port) for this LB. */
  probeTargets: ProbeTarget[];
}

/** Region and account from an ELB ARN (`arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/...`). */
function arnParts(arn: string): { region: string; account?: string } {
  const [, , , region = '', account = ''] = arn.split(':');
  return { region, ...(account !== '' && { account }) };
}

/** An LB's name from its ARN: `loadbalancer/app/NAME/ID` (elbv2) or `loadbalancer/NAME` (Classic). */
function nameFromArn(arn: string): string {
  const path = arn.split(':loadbalancer/')[1] ?? arn;
  const parts = path.split('/');
  return parts.length >= 3 ? (parts[1] ?? path) : (parts[0] ?? path);
}

/** The LB a section is about: what the finding says of it, else the inventory, else its ARN. */
function sectionLoadBalancer(arn: string, ref: LoadBalancerRef | undefined, found: { lb: LoadBalancer; scope: Scope } | undefined): NonNullable<LoadBalancerSection['loadBalancer']> {
  // The ARN is split only for a load balancer the inventory does not have (a merged report), not for each of thousands.
  const parts = found ? { region: found.scope.region, account: found.scope.account } : arnParts(arn);
  const account = parts.account;
  return {
    arn,
    name: ref?.name ?? found?.lb.name ?? nameFromArn(arn),
    kind: ref?.kind ?? found?.lb.kind ?? (arn.includes(':loadbalancer/net/') ? 'network' : arn.includes(':loadbalancer/app/') ? 'application' : 'classic'),
    region: parts.region,
    ...(account !== undefined && { account }),
  };
}

/** Every LB of the inventory by ARN, with its scope: one pass, not a scan per section. The first of an ARN listed twice wins. */
function inventoryByArn(inventory: Inventory | undefined): Map<string, { lb: LoadBalancer; scope: Scope }> {
  const byArn = new Map<string, { lb: LoadBalancer; scope: Scope }>();
  for (const scope of inventory?.scopes ?? []) for (const lb of scope.loadBalancers) if (!byArn.has(lb.arn)) byArn.set(lb.arn, { lb, scope });
  return byArn;
}

function worstSeverity(counts: SeverityCounts): Severity | undefined {
  return counts.error > 0 ? 'error' : counts.warning > 0 ? 'warning' : counts.info > 0 ? 'info' : undefined;
}

/** Worst first: most errors, then warnings, then infos; then by name. Findings on no LB last. */
function compareSections(a: LoadBalancerSection, b: LoadBalancerSection): number {
  if (!a.loadBalancer !== !b.loadBalancer) return a.loadBalancer ? -1 : 1;
  const worstA = worstSeverity(a.counts);
  const worstB = worstSeverity(b.counts);
  if (worstA !== worstB) return worstA === undefined ? 1 : worstB === undefined ? -1 : compareSeverity(worstA, worstB);
  return (
    b.counts.error - a.counts.error ||
    b.counts.warning - a.counts.warning ||
    b.counts.info - a.counts.info ||
    (a.loadBalancer?.name ?? '').localeCompare(b.loadBalancer?.name ?? '', 'en') ||
    (a.loadBalancer?.arn ?? '').localeCompare(b.loadBalancer?.arn ?? '', 'en')
  );
}

/**
 * One section per load balancer that has findings or was probed (with the inventory: every
 * LB, so a clean one still shows), worst first, and one for findings on no LB.
 */
export function loadBalancerSections(report: AuditReport, inventory?: Inventory, options: { everyLoadBalancer?: boolean } = {}): readonly LoadBalancerSection[] {
  const everyLoadBalancer = options.everyLoadBalancer ?? false;
  const cached = sectionsCache.get(report)?.find((entry) => entry.inventory === inventory && entry.everyLoadBalancer === everyLoadBalancer);
  if (cached) return cached.sections;
  const sections = Object.freeze(buildSections(report, inventory, everyLoadBalancer));
  sectionsCache.set(report, [...(sectionsCache.get(report) ?? []), { inventory, everyLoadBalancer, sections }]);
  return sections;
}

/**
 * The sections of each report, so the formats of one run (text on the terminal, Markdown for
 * the job summary) group and sort its findings once. A report is not changed once built.
 * The folds are not kept: a renderer folds a section's findings as it prints it, and they die
 * young (kept for 10,000 LBs, every scavenge copied them until the report was dropped).
 */
const sectionsCache = new WeakMap<AuditReport, { inventory: Inventory | undefined; everyLoadBalancer: boolean; sections: readonly LoadBalancerSection[] }[]>();

function buildSections(report: AuditReport, inventory: Inventory | undefined, everyLoadBalancer: boolean): LoadBalancerSection[] {
  const sections = new Map<string, LoadBalancerSection>();
  const inInventory = inventoryByArn(inventory);
  const sectionFor = (arn: string, ref?: LoadBalancerRef): LoadBalancerSection => {
    const existing = sections.get(arn);
    if (existing) return existing;
    const found = arn === '' ? undefined : inInventory.get(arn);
    const section: LoadBalancerSection = { findings: [], counts: { error: 0, warning: 0, info: 0 }, probeTargets: [] };
    if (arn !== '') section.loadBalancer = sectionLoadBalancer(arn, ref, found);
    if (found) section.inventory = found;
    sections.set(arn, section);
    return section;
  };
  for (const finding of report.findings) sectionFor(finding.loadBalancer?.arn ?? '', finding.loadBalancer).findings.push(finding);
  for (const target of report.probe?.targets ?? []) if (target.loadBalancerArn) sectionFor(target.loadBalancerArn).probeTargets.push(target);
  if (everyLoadBalancer) for (const scope of inventory?.scopes ?? []) for (const lb of scope.loadBalancers) sectionFor(lb.arn);
  for (const section of sections.values()) section.counts = severityCounts(section.findings);
  return [...sections.values()].sort(compareSections);
}
