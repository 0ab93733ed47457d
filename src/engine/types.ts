/**
 * The rule contract. A rule is one file under rules/, named by its id, exporting
 * `defineRule({ meta, check })`. `check` is pure and synchronous: it reads the
 * inventory through its indexes (and the probe result, for probe rules) and returns
 * findings with the evidence it used. It never calls the SDK.
 */
import type { InventoryIndex } from '../inventory/indexes.js';
import type { Collection, LoadBalancerKind, OptionalData, Scope } from '../inventory/model.js';
import type { ProbeReport } from '../inventory/probe-report.js';

export type Severity = 'error' | 'warning' | 'info';

/**
 * What a rule guards. `reachability`: traffic cannot flow (the core rules); `resilience`: it flows
 * until something fails (an AZ, a target, a burst); `security`: it flows, exposed; `operations`:
 * it flows, but running and debugging it is harder than it needs to be (no logs, no guard rails).
 */
export type RuleCategory = 'reachability' | 'resilience' | 'security' | 'operations';
export const RULE_CATEGORIES: readonly RuleCategory[] = ['reachability', 'resilience', 'security', 'operations'];

export interface RuleReference {
  title: string;
  url: string;
}

export interface RuleMeta {
  /** Stable kebab-case id; also the file name under rules/. */
  id: string;
  title: string;
  defaultSeverity: Severity;
  /** What the rule guards; `--rule CATEGORY` and the config's `categories` select by it. */
  category: RuleCategory;
  /** 'config' rules read the inventory; 'probe' rules also need a probe result. */
  source: 'config' | 'probe';
  /** Load balancer kinds the rule can fire on. */
  appliesTo: readonly LoadBalancerKind[];
  /**
   * The collections the rule reads. Where one was not read completely for a load balancer,
   * the runner reports "could not check" for it and the rule never sees that load balancer.
   */
  requires: readonly Collection[];
  /** One paragraph: what the rule checks. */
  description: string;
  /** Why it matters: the failure users see. */
  rationale: string;
  /** The fix, in words, with a CLI snippet (and IaC where useful). */
  remediation: { text: string; cli?: string; iac?: string };
  /** AWS documentation the rule's semantics come from. */
  references: readonly RuleReference[];
}

/** Where a finding points. */
export interface ResourceRef {
  arn: string;
  /** application | network | gateway | classic | target-group | security-group | subnet | network-acl | address */
  type: string;
  name: string;
  region: string;
  account?: string;
}

/**
 * The resources a finding involves besides its own, typed, so the engine, the probe rules
 * and the reporters link findings by them instead of digging ids out of the evidence.
 */
export interface RelatedResources {
  /** The load balancer the finding is about (itself, or the one in front of its target group). */
  loadBalancerArn: string;
  /**
   * The listener ports on which clients cannot connect (or not from everywhere) because of
   * this problem: what a probe of those ports sees fail. Absent when clients still connect
   * (a target-side problem fails requests, not connections).
   */
  listenerPorts?: number[];
  targetGroupArns?: string[];
  /** Subnets the problem is in (absent: not tied to subnets, e.g. a security group of the whole LB). */
  subnetIds?: string[];
  networkInterfaceIds?: string[];
  securityGroupIds?: string[];
  networkAclIds?: string[];
  routeTableIds?: string[];
  instanceIds?: string[];
}

/**
 * What a rule returns: the engine adds ruleId, severity and fingerprint. Every key is written, in
 * this order (`discriminator` and `severity` undefined where the rule has none; the rule tester checks
 * it): the engine turns tens of thousands of findings into reported ones, and code that meets one
 * shape of object is compiled once, where a shape per rule had it thrown away and compiled again.
 */
export interface RuleFinding {
  resource: ResourceRef;
  /** What is wrong, where, and what it breaks: one or two sentences, no command. A template is passed through flat() (src/engine/text.ts). */
  message: string;
  /** What to change, with the command where there is one. A template is passed through flat(), as the message. */
  fix: string;
  related: RelatedResources;
  evidence: Record<string, unknown>;
  /**
   * What makes this finding distinct from the rule's other findings on the same resource
   * (a subnet id, a port, an IP). Part of the fingerprint, so keep it stable across runs:
   * no timings, no counts.
   */
  discriminator: string | undefined;
  /** A rule may lower or raise its own default (e.g. info when an AZ has no targets at all). */
  severity: Severity | undefined;
}

/** The keys of a RuleFinding, in the order every rule writes them. */
export const RULE_FINDING_KEYS: readonly (keyof RuleFinding)[] = ['resource', 'message', 'fix', 'related', 'evidence', 'discriminator', 'severity'];

export interface Finding {
  ruleId: string;
  /** The rule's category (an extension of the contract's JSON finding). */
  category: RuleCategory;
  severity: Severity;
  resource: ResourceRef;
  message: string;
  fix: string;
  related: RelatedResources;
  evidence: Record<string, unknown>;
  fingerprint: string;
}

/** A keep-alive timeout and where it came from: the rule names the source in its evidence. */
export interface KeepAliveDeclaration {
  seconds: number;
  source: 'tag' | 'config' | 'measured';
  /** e.g. 'tag lbcheck:keepalive=nodejs on target group web', '.lbcheck.yml keepalive[0]' */
  detail: string;
  /** When the value came from a server name ('nodejs'), the name. */
  server?: string;
}

/** Settings rules read from the config file, already validated and merged with defaults. */
export interface RuleSettings {
  /** Keep-alive declarations by target group or LB name pattern (from .lbcheck.yml). */
  keepalive: {
    match: string;
    seconds: number;
    server?: string;
    detail: string;
    /** What `match` is matched against (name or ARN glob): the config's targetGroup or loadBalancer key. */
    appliesTo?: 'target-group' | 'load-balancer';
  }[];
  /** Client CIDRs for internal LBs: who must reach their listeners. */
  clientCidrs: string[];
  /** Keep-alive timeouts measured by the probe, by target group ARN or target "ip:port". */
  measuredKeepalive: Record<string, KeepAliveDeclaration>;
}

export interface RuleContext {
  scope: Scope;
  index: InventoryIndex;
  settings: RuleSettings;
  /** Present when probing ran (probe rules only fire with it). */
  probe?: ProbeReport;
  /** Findings of config rules in the same scope, so probe rules can link to them. */
  configFindings: readonly Finding[];
}

/**
 * Which resources of an optional collection a rule reads in a scope, worked out from the rest of
 * the inventory (never from optional data): target group ARNs for `targetGroupAttributes`, load
 * balancer ARNs for the others. The collector fetches only those; the runner checks a snapshot
 * still holds them (src/engine/needs.ts).
 */
export type NeedsOf = (ctx: { scope: Scope; index: InventoryIndex }) => Iterable<string>;

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): RuleFinding[];
  /**
   * For an optional collection in `meta.requires`: the resources the rule reads of it. Absent for
   * a collection it requires: all of them (the collector fetches every one).
   */
  needs?: Partial<Record<OptionalData, NeedsOf>>;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
