/**
 * Runs the rules over an inventory: per scope, every enabled config rule, then (when a
 * probe result is present) every probe rule with the config findings of that scope.
 * Each rule runs in its own try/catch: one that throws becomes a `notChecked` entry
 * (`rule <id> failed: <message>`), never a crashed audit or a silent pass.
 * Then: config severity, fingerprints, ignores, baseline, and a deterministic order.
 */
import { InventoryIndex } from '../inventory/indexes.js';
import type { Inventory, LoadBalancer, LoadBalancerKind, NotChecked, Scope, Unread } from '../inventory/model.js';
import type { ProbeReport } from '../inventory/probe-report.js';
import { errorLine } from '../errors.js';
import { collectionOfCall } from '../inventory/completeness.js';
import { Completeness, couldNotCheck } from './completeness.js';
import { EMPTY_CONFIG, type LbcheckConfig } from './config.js';
import { fingerprint } from './fingerprint.js';
import { applyIgnores, type ExpiredIgnore, type SuppressedFinding } from './ignores.js';
import { enabledRules, type RuleSelection } from './selection.js';
import { compareSeverity } from './severity.js';
import type { Finding, KeepAliveDeclaration, Rule, RuleCategory, RuleContext, RuleFinding, RuleSettings, Severity } from './types.js';

export interface LoadBalancerRef {
  arn: string;
  name: string;
  kind: LoadBalancerKind;
}

/** A finding as reported: the engine's finding plus where it belongs and whether a baseline knew it. */
export interface ReportFinding extends Finding {
  /** The load balancer the finding is about (itself, or the one in front of its target group), for grouping. */
  loadBalancer?: LoadBalancerRef;
  /** With --baseline: false when the baseline already had this fingerprint. */
  new?: boolean;
}

export interface EngineInput {
  inventory: Inventory;
  rules: readonly Rule[];
  config?: LbcheckConfig;
  /** `--rule ID|CATEGORY`: only these rules (absent: every rule the config enables). */
  selection?: RuleSelection;
  probe?: ProbeReport;
  /** Keep-alive timeouts measured by the probe (--measure-keepalive). */
  measuredKeepalive?: Record<string, KeepAliveDeclaration>;
  /** Fingerprints of a previous report (--baseline). */
  baseline?: ReadonlySet<string>;
  /** For ignore expiry; tests pin it. */
  now?: Date;
}

export interface EngineResult {
  findings: ReportFinding[];
  notChecked: NotChecked[];
  ignores: { suppressed: SuppressedFinding[]; expired: ExpiredIgnore[] };
  /** Ids of the rules that ran (enabled, and for probe rules, a probe result present). */
  rulesRun: string[];
  /** Rule invocations (rule × scope) that completed; 0 with scopes present means nothing could be checked. */
  checksCompleted: number;
}

/** The severity the config file sets for a rule's findings, if it sets one (asked once per rule, not per finding). */
function configuredSeverity(rule: Rule, config: LbcheckConfig): Severity | undefined {
  const setting = config.rules[rule.meta.id]?.severity;
  return setting !== undefined && setting !== 'off' ? setting : undefined;
}

/** What turning a rule's findings into reported ones needs of a scope: the scope, its index, and one reference per LB ARN (shared by its findings). */
interface ScopeOfFindings {
  scope: Scope;
  index: InventoryIndex;
  refs: Map<string, LoadBalancerRef>;
}

/** The LB a finding is about, for grouping: the one its related resources name (one lookup for an LB met before, no closure). */
function owningLoadBalancer(finding: RuleFinding, { index, refs }: ScopeOfFindings): LoadBalancerRef | undefined {
  const arn = finding.related.loadBalancerArn;
  const known = refs.get(arn);
  if (known) return known;
  const lb = index.loadBalancer(arn);
  if (!lb) return undefined;
  const ref: LoadBalancerRef = { arn: lb.arn, name: lb.name, kind: lb.kind };
  refs.set(arn, ref);
  return ref;
}

/** What every finding of one rule shares, read from its metadata once per rule: metadata objects differ in shape from rule to rule. */
interface OfRule {
  ruleId: string;
  category: RuleCategory;
}

/**
 * A rule's finding as reported, built once: tens of thousands of them live until the reports are written.
 * One literal with every key, `loadBalancer` undefined where no LB owns it (JSON.stringify leaves it out):
 * adding it afterwards gave every finding a second shape, and the code reading them a slower, mixed one.
 * It reads only objects of one shape (every rule's findings have one, and the rule's own `OfRule`), so it
 * is compiled once, not again for each rule whose metadata or findings it had not met.
 */
function toFinding({ ruleId, category }: OfRule, finding: RuleFinding, severity: Severity, within: ScopeOfFindings): ReportFinding {
  const resource = finding.resource.account !== undefined ? finding.resource : { ...finding.resource, account: within.scope.account };
  return {
    ruleId,
    category,
    severity,
    resource,
    message: finding.message,
    fix: finding.fix,
    related: finding.related,
    evidence: finding.evidence,
    fingerprint: fingerprint(ruleId, finding.resource.arn, finding.discriminator),
    loadBalancer: owningLoadBalancer(finding, within),
  };
}

/**
 * Runs one rule over a scope. Load balancers whose required inputs were not read get one
 * "could not check" warning each (whatever the rule's configured severity: it is not a
 * finding of the rule) and are left out of the scope the rule sees.
 */
function runOne(
  rule: Rule,
  ctx: RuleContext,
  completeness: Completeness,
  config: LbcheckConfig,
  notChecked: NotChecked[],
  notCollected: Map<string, NotChecked>,
  within: ScopeOfFindings,
): ReportFinding[] | undefined {
  const gaps = completeness.gapsFor(rule);
  recordNotCollected(notCollected, rule, ctx.scope, gaps);
  const scope = gaps.size === 0 ? ctx.scope : { ...ctx.scope, loadBalancers: ctx.scope.loadBalancers.filter((lb) => !gaps.has(lb)) };
  const ofRule: OfRule = { ruleId: rule.meta.id, category: rule.meta.category };
  const findings = [...gaps].map(([lb, missing]) => toFinding(ofRule, couldNotCheck(lb, ctx.scope, missing, rule.meta.id), 'warning', within));
  let raw: RuleFinding[];
  try {
    raw = rule.check({ ...ctx, scope });
  } catch (error) {
    notChecked.push({
      what: `rule ${rule.meta.id} in ${ctx.scope.account}/${ctx.scope.region}`,
      why: `rule ${rule.meta.id} failed: ${errorLine(error)}`,
      region: ctx.scope.region,
      account: ctx.scope.account,
      rules: [rule.meta.id],
    });
    return undefined;
  }
  const configured = configuredSeverity(rule, config);
  const defaultSeverity = rule.meta.defaultSeverity;
  // Index loops here and below: tens of thousands of findings go through them once, before they are optimised.
  for (let i = 0; i < raw.length; i++) {
    const finding = raw[i] as RuleFinding;
    findings.push(toFinding(ofRule, finding, configured ?? finding.severity ?? defaultSeverity, within));
  }
  return findings;
}

/**
 * One notChecked entry per scope and call whose answers a rule needed but the inventory left out
 * as not needed (a snapshot taken for other rules), naming every such rule.
 */
function recordNotCollected(entries: Map<string, NotChecked>, rule: Rule, scope: Scope, gaps: ReadonlyMap<LoadBalancer, readonly Unread[]>): void {
  for (const missing of gaps.values()) {
    for (const gap of missing) {
      if (!gap.notNeeded) continue;
      const key = `${scope.account}/${scope.region}/${gap.call}`;
      let entry = entries.get(key);
      if (!entry) {
        entry = {
          what: `${gap.call} in ${scope.region} for some load balancers`,
          why: 'not collected in this snapshot (it was taken for rules that did not need it); re-run lbcheck snapshot with --full or with these rules selected (--rule)',
          region: scope.region,
          account: scope.account,
          call: gap.call,
          rules: [],
        };
        entries.set(key, entry);
      }
      if (!entry.rules?.includes(rule.meta.id)) entry.rules?.push(rule.meta.id);
    }
  }
}

/**
 * A failed call's notChecked entry, with the rules that needed what it reads (every rule
 * for a failed load balancer listing: nothing at all was checked for what it missed).
 */
function withAffectedRules(entry: NotChecked, rules: readonly Rule[]): NotChecked {
  if (entry.call === undefined) return entry;
  const collection = collectionOfCall(entry.call);
  if (collection === undefined) return { ...entry, rules: [] };
  const affected = rules.filter((rule) => collection === 'loadBalancers' || rule.meta.requires.includes(collection));
  return { ...entry, rules: affected.map((rule) => rule.meta.id) };
}

// What `a.localeCompare(b, 'en')` uses, made once: a sort of tens of thousands of findings compares them hundreds of thousands of times.
const english = new Intl.Collator('en').compare;

/** Deterministic order: severity, then rule, then resource (region, name, ARN), then fingerprint. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareSeverity(a.severity, b.severity) ||
    english(a.ruleId, b.ruleId) ||
    english(a.resource.region, b.resource.region) ||
    english(a.resource.name, b.resource.name) ||
    english(a.resource.arn, b.resource.arn) ||
    english(a.fingerprint, b.fingerprint)
  );
}

export function runEngine(input: EngineInput): EngineResult {
  const config = input.config ?? EMPTY_CONFIG;
  const enabled = enabledRules(input.rules, config, input.selection);
  const configRules = enabled.filter((rule) => rule.meta.source === 'config');
  const probeRules = input.probe ? enabled.filter((rule) => rule.meta.source === 'probe') : [];
  const settings: RuleSettings = { ...config.settings, measuredKeepalive: input.measuredKeepalive ?? {} };
  const notChecked: NotChecked[] = input.inventory.notChecked.map((entry) => withAffectedRules(entry, [...configRules, ...probeRules]));
  const all: ReportFinding[] = [];
  const seen = new Set<string>();
  const notCollected = new Map<string, NotChecked>();
  let checksCompleted = 0;

  for (const scope of input.inventory.scopes) {
    const index = new InventoryIndex(scope);
    const completeness = new Completeness(scope, index);
    const scopeFindings: ReportFinding[] = [];
    const within: ScopeOfFindings = { scope, index, refs: new Map() };
    const runAll = (rules: readonly Rule[], ctx: RuleContext) => {
      for (const rule of rules) {
        const findings = runOne(rule, ctx, completeness, config, notChecked, notCollected, within);
        if (findings === undefined) continue;
        checksCompleted++;
        // One at a time: spreading tens of thousands of findings into push overflows the call stack.
        for (let i = 0; i < findings.length; i++) scopeFindings.push(findings[i] as ReportFinding);
      }
    };
    runAll(configRules, { scope, index, settings, ...(input.probe && { probe: input.probe }), configFindings: [] });
    runAll(probeRules, { scope, index, settings, ...(input.probe && { probe: input.probe }), configFindings: [...scopeFindings] });
    for (let i = 0; i < scopeFindings.length; i++) {
      const finding = scopeFindings[i] as ReportFinding;
      // A rule that reports the same thing twice (same fingerprint) is reported once.
      if (seen.has(finding.fingerprint)) continue;
      seen.add(finding.fingerprint);
      all.push(finding);
    }
  }

  notChecked.push(...notCollected.values());
  const { kept, suppressed, expired } = applyIgnores(all, config.ignore, input.now ?? new Date());
  const baseline = input.baseline;
  const findings = (baseline ? kept.map((finding) => ({ ...finding, new: !baseline.has(finding.fingerprint) })) : kept).sort(compareFindings);
  return {
    findings,
    notChecked,
    ignores: { suppressed: suppressed.sort((a, b) => a.fingerprint.localeCompare(b.fingerprint, 'en')), expired },
    rulesRun: [...configRules, ...probeRules].map((rule) => rule.meta.id),
    checksCompleted,
  };
}
