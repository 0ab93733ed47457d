/**
 * Findings that say the same thing about several subnets or target groups of one load
 * balancer ("subnet A has no IGW route", "subnet B has no IGW route") are read once:
 * every human format folds them into one entry that lists where it applies.
 */
import type { ReportFinding } from '../engine/runner.js';

/** Where one of the folded findings applies: a subnet (with its AZ) or a target group. */
export interface FoldedPlace {
  kind: 'subnet' | 'target group';
  id: string;
  /** What a reader sees: `subnet-0c1c… (us-east-1c)`, or the target group's name. */
  label: string;
}

export interface FoldedFinding {
  /** The first finding of the fold; its message stands for all of them. */
  finding: ReportFinding;
  /** Every finding of the fold, the first included. */
  findings: ReportFinding[];
  /** Where each folded finding applies, in order; empty when the finding names no subnet or target group. */
  places: FoldedPlace[];
}

const stringField = (evidence: Record<string, unknown>, key: string): string | undefined => {
  const value = evidence[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** A target group's name from its ARN (`arn:...:targetgroup/NAME/ID`). */
export function targetGroupName(arn: string): string {
  return /:targetgroup\/([^/]+)\//.exec(arn)?.[1] ?? arn;
}

/** The subnet or target group a finding is about, from its resource or its evidence. */
export function placeOf(finding: ReportFinding): FoldedPlace | undefined {
  const { evidence, resource } = finding;
  const subnetId = stringField(evidence, 'subnetId') ?? (resource.type === 'subnet' ? resource.name : undefined);
  if (subnetId !== undefined) {
    const zone = stringField(evidence, 'availabilityZone');
    return { kind: 'subnet', id: subnetId, label: zone ? `${subnetId} (${zone})` : subnetId };
  }
  const targetGroupArn = stringField(evidence, 'targetGroupArn') ?? (resource.type === 'target-group' ? resource.arn : undefined);
  if (targetGroupArn !== undefined) return { kind: 'target group', id: targetGroupArn, label: resource.type === 'target-group' ? resource.name : targetGroupName(targetGroupArn) };
  return undefined;
}

/** The names that say where a finding applies: its place's id (and a target group's name), the AZ, the resource's name. */
function placeNames(finding: ReportFinding, place: FoldedPlace): string[] {
  const names = [place.id, place.kind === 'target group' ? targetGroupName(place.id) : undefined, stringField(finding.evidence, 'availabilityZone'), finding.resource.name];
  return names.filter((name): name is string => name !== undefined && name !== '');
}

/** The text of a finding with its place's names taken out, so two findings that differ only there compare equal. */
function withoutNames(text: string | undefined, names: readonly string[]): string {
  let result = text ?? '';
  for (const name of names) result = result.replaceAll(name, '\u0000');
  return result;
}

function foldKey(finding: ReportFinding, place: FoldedPlace): string {
  // The names once for both texts.
  const names = placeNames(finding, place);
  return JSON.stringify([
    finding.ruleId,
    finding.severity,
    finding.loadBalancer?.arn ?? finding.resource.arn,
    finding.new ?? null,
    place.kind,
    withoutNames(finding.message, names),
    withoutNames(finding.fix, names),
  ]);
}

/** What findings must share to fold at all: rule, severity and the kind of place. */
function foldGroup(finding: ReportFinding, place: FoldedPlace): string {
  return `${finding.ruleId}\u0000${finding.severity}\u0000${place.kind}`;
}

/**
 * Folds findings (of one load balancer, say) that differ only by subnet or target group,
 * keeping the order of first appearance. A finding that names no such place is never folded.
 * Plain loops, no closures, and a set of shared groups only where two findings share one: it runs
 * for every section of every human report, ten thousand sections of two or three findings at 10,000 LBs.
 */
export function foldFindings(findings: readonly ReportFinding[]): FoldedFinding[] {
  const places: (FoldedPlace | undefined)[] = [];
  const groups: (string | undefined)[] = [];
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i] as ReportFinding;
    const place = placeOf(finding);
    places.push(place);
    groups.push(place ? foldGroup(finding, place) : undefined);
  }
  const shared = sharedGroups(groups);
  const folds = new Map<string, FoldedFinding>();
  const result: FoldedFinding[] = [];
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i] as ReportFinding;
    const place = places[i];
    const group = groups[i];
    // Only a finding that shares its group with another may fold: the others need no fold key.
    const key = place === undefined ? `unfoldable:${finding.fingerprint}` : group !== undefined && shared.has(group) ? foldKey(finding, place) : undefined;
    const existing = key === undefined ? undefined : folds.get(key);
    if (existing) {
      existing.findings.push(finding);
      if (place) existing.places.push(place);
      continue;
    }
    const fold: FoldedFinding = { finding, findings: [finding], places: place ? [place] : [] };
    if (key !== undefined) folds.set(key, fold);
    result.push(fold);
  }
  return result;
}

const NO_GROUPS: ReadonlySet<string> = new Set();

/** The groups that more than one finding is in (most sections have none). */
function sharedGroups(groups: readonly (string | undefined)[]): ReadonlySet<string> {
  let seen: Set<string> | undefined;
  let shared: Set<string> | undefined;
  for (const group of groups) {
    if (group === undefined) continue;
    seen ??= new Set();
    if (!seen.has(group)) seen.add(group);
    else (shared ??= new Set()).add(group);
  }
  return shared ?? NO_GROUPS;
}

/**
 * Where a fold applies, as its headline says it: `subnet-0c1c… (us-east-1c)`, `target group
 * web`, `on 3 subnets`, else its resource when that is not the load balancer itself.
 */
export function whereText(fold: FoldedFinding, loadBalancerArn: string | undefined): string | undefined {
  const { finding, places } = fold;
  if (places.length > 1) return `on ${places.length} ${places[0]?.kind === 'subnet' ? 'subnets' : 'target groups'}`;
  const place = places[0];
  if (place) return place.kind === 'subnet' ? place.label : `target group ${place.label}`;
  return finding.resource.arn === loadBalancerArn ? undefined : `${finding.resource.type} ${finding.resource.name}`;
}
