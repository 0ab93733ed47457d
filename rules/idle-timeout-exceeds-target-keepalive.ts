import { matchesGlob } from '../src/engine/glob.js';
import { getOrCreate, TupleMap } from '../src/engine/memo.js';
import { formatSeconds, parseKeepAlive, SERVER_KEEPALIVE_DEFAULTS, serverDefault, type ParsedKeepAlive } from '../src/engine/keepalive.js';
import { describeLoadBalancer, loadBalancerResource, targetEndpointsOf, targetEndpointsOfGroup } from '../src/engine/targets.js';
import { defineRule, type KeepAliveDeclaration, type RuleFinding, type RuleSettings } from '../src/engine/types.js';
import type { LoadBalancer, Scope, TargetGroup } from '../src/inventory/model.js';
import { flat } from '../src/engine/text.js';

export const KEEPALIVE_TAG = 'lbcheck:keepalive';

/** A Classic LB's registered instances: its one group of targets. */
const CLASSIC: readonly undefined[] = [undefined];
const NO_KEYS: readonly string[] = [];

interface Found {
  /** The strongest declaration (tag or config). */
  declaration?: KeepAliveDeclaration;
  /** What the probe measured (--measure-keepalive). */
  measured?: KeepAliveDeclaration;
  /** Tags whose value could not be understood: reported, never silently ignored. */
  invalid: { on: string; value: string; reason: string; addTag: string }[];
}

type KeepaliveSetting = RuleSettings['keepalive'][number];

function settingAppliesTo(entry: KeepaliveSetting, kind: 'target-group' | 'load-balancer'): boolean {
  const appliesTo = 'appliesTo' in entry ? entry.appliesTo : undefined;
  return appliesTo === undefined || appliesTo === kind;
}

/** The command that sets the tag on a target group or load balancer (Classic LBs have their own API). */
function addTagCommand(resource: TargetGroup | LoadBalancer, value: string): string {
  if ('kind' in resource && resource.kind === 'classic') return `aws elb add-tags --load-balancer-names ${resource.name} --tags Key=${KEEPALIVE_TAG},Value=${value}`;
  return `aws elbv2 add-tags --resource-arns ${resource.arn} --tags Key=${KEEPALIVE_TAG},Value=${value}`;
}

/** Tag values parsed so far in a run, by value: thousands of target groups carry the same few ("nodejs", "75s"). */
type ParsedTags = Map<string, ParsedKeepAlive>;

function fromTag(resource: TargetGroup | LoadBalancer, on: string, found: Found, parsedTags: ParsedTags): KeepAliveDeclaration | undefined {
  const { tags } = resource;
  const value = tags[KEEPALIVE_TAG];
  if (value === undefined) return undefined;
  const parsed = getOrCreate(parsedTags, value, parseKeepAlive);
  if (!parsed.ok) {
    found.invalid.push({ on, value, reason: parsed.reason, addTag: addTagCommand(resource, '65s') });
    return undefined;
  }
  return { seconds: parsed.seconds, source: 'tag', detail: `tag ${KEEPALIVE_TAG}=${value} on ${on}`, server: parsed.server?.name };
}

function fromConfig(settings: RuleSettings, kind: 'target-group' | 'load-balancer', name: string, arn: string): KeepAliveDeclaration | undefined {
  const entry = settings.keepalive.find((e) => settingAppliesTo(e, kind) && matchesGlob(e.match, name, arn));
  if (!entry) return undefined;
  return { seconds: entry.seconds, source: 'config', detail: `${entry.detail} (${entry.match})`, server: entry.server };
}

/** The smallest keep-alive the probe measured on a target group (or Classic LB) or on one of its targets ("ip:port"); the first of equals. */
function measured(settings: RuleSettings, arn: string, targetKeys: readonly string[]): KeepAliveDeclaration | undefined {
  let smallest = settings.measuredKeepalive[arn];
  for (const key of targetKeys) {
    const value = settings.measuredKeepalive[key];
    if (value && (!smallest || value.seconds < smallest.seconds)) smallest = value;
  }
  return smallest;
}

/**
 * Where the keep-alive comes from: the declarations, strongest first (a tag on the target
 * group, a config entry for it, a tag on the load balancer, a config entry for it), and
 * apart from them what the probe measured. A measurement never silently replaces a
 * declaration: it may have met a proxy or sidecar in front of the application.
 */
function keepAliveFor(settings: RuleSettings, lb: LoadBalancer, group: TargetGroup | undefined, measuring: boolean, targetKeys: readonly string[], parsedTags: ParsedTags): Found {
  // Without --measure-keepalive nothing was measured: no lookup by ARN (a keyed lookup of a new string per target group).
  const found: Found = { invalid: [], measured: measuring ? measured(settings, group ? group.arn : lb.arn, targetKeys) : undefined };
  // Each is read only when the stronger ones declare nothing (a tag that cannot be understood declares nothing and is noted in `found`).
  found.declaration =
    (group ? (fromTag(group, `target group ${group.name}`, found, parsedTags) ?? fromConfig(settings, 'target-group', group.name, group.arn)) : undefined) ??
    fromTag(lb, describeLoadBalancer(lb), found, parsedTags) ??
    fromConfig(settings, 'load-balancer', lb.name, lb.arn);
  return found;
}

/** Where the LB's idle timeout came from, for a finding's evidence (its seconds are lb.attributes.idleTimeoutSeconds). */
function idleTimeoutSource(lb: LoadBalancer): string {
  const key = Object.keys(lb.attributes.raw).find((k) => /idle.?timeout/i.test(k));
  return key ? `load balancer attribute ${key}` : 'load balancer idle timeout (AWS default when never set)';
}

function howToFix(server: string | undefined, atLeast: number): string {
  const known = server ? serverDefault(server) : undefined;
  if (known) return known.fix(atLeast);
  return `raise the server's keep-alive (idle) timeout to ${atLeast} s (Node.js: server.keepAliveTimeout = ${atLeast * 1000} with server.headersTimeout = ${(atLeast + 1) * 1000})`;
}

/** The fix for a server behind an idle timeout: the same words for thousands of target groups, made once per server and timeout and shared by their findings. */
function fixFor(server: string | undefined, idleSeconds: number): string {
  return getOrCreate(fixes, [server, idleSeconds], fixText);
}

function fixText([server, idleSeconds]: FixKey): string {
  return `Make the backend keep-alive LONGER than ${idleSeconds} s: ${howToFix(server, idleSeconds + 5)}.`;
}

type FixKey = readonly [server: string | undefined, idleSeconds: number];
const fixes = new TupleMap<FixKey, string>();

/**
 * The declared and the measured keep-alive disagree about the verdict: lbcheck goes by the
 * declaration and says so, with both values, so neither hides the other.
 */
function disagreement(
  resource: RuleFinding['resource'],
  lb: LoadBalancer,
  where: string,
  idleSeconds: number,
  both: { declared: KeepAliveDeclaration; measured: KeepAliveDeclaration },
): RuleFinding {
  const { declared, measured: seen } = both;
  const bound = /at least/.test(seen.detail) ? ' (a lower bound: the measurement stopped before the connection closed, as it does when a proxy holds connections open)' : '';
  return {
    resource,
    message: flat(`The keep-alive of ${where} is declared as ${formatSeconds(declared.seconds)} (${declared.detail}) but was measured as ${formatSeconds(seen.seconds)} (${seen.detail})${bound}, and against ${describeLoadBalancer(lb)}'s idle timeout of ${idleSeconds} s they disagree; lbcheck used the declared value.`),
    fix: 'Check which one is right (a proxy or sidecar in front of the application answers the measurement) and correct the declaration.',
    related: { loadBalancerArn: lb.arn },
    evidence: { idleTimeoutSeconds: idleSeconds, declaredSeconds: declared.seconds, declaredDetail: declared.detail, measuredSeconds: seen.seconds, measuredDetail: seen.detail, used: 'declared' },
    discriminator: `measured-vs-declared:${where}`,
    severity: 'warning',
  };
}

export default defineRule({
  meta: {
    id: 'idle-timeout-exceeds-target-keepalive',
    title: "Load balancer idle timeout is not shorter than the targets' keep-alive timeout",
    defaultSeverity: 'error',
    category: 'reachability',
    source: 'config',
    appliesTo: ['application', 'classic'],
    requires: ['listeners', 'targetGroups', 'loadBalancerAttributes', 'tags'],
    description: `Compares the idle timeout of each ALB and Classic LB (AWS default 60 s) with the HTTP keep-alive timeout of its targets, and fires when the idle timeout is equal or longer. The keep-alive is known from, strongest first: a tag ${KEEPALIVE_TAG} on the target group; a keepalive entry in .lbcheck.yml matching the target group's name or ARN; the tag on the load balancer (the only place for Classic LBs); a config entry matching the load balancer; without any of them, from the probe's measurement (--measure-keepalive). When a declaration and a measurement disagree about the verdict, the declaration is used and a warning names both. Values are seconds (5, 5s, 4.5s), milliseconds (65000ms) or minutes (2m), or a server name whose default is used: ${SERVER_KEEPALIVE_DEFAULTS.map((s) => `${s.name} ${formatSeconds(s.seconds)}`).join(', ')}. A tag lbcheck cannot understand (not a positive number of seconds up to a day, or a server name) is reported once (severity info), not ignored. NLBs and GWLBs do not pool connections to targets and are never checked.`,
    rationale:
      "The load balancer keeps idle connections to targets open for its idle timeout and reuses them. When a target closes an idle connection first (Node.js after 5 s, gunicorn after 2 s, Tomcat after 20 s by default), the load balancer can send a request on the socket at the moment the target closes it; the request fails and the client gets a 502 Bad Gateway. It is rare per request and constant at volume, and hard to trace because both sides look healthy. AWS: configure the application's idle timeout to be larger than the load balancer's.",
    remediation: {
      text: "Make the backend's keep-alive timeout longer than the load balancer's idle timeout (e.g. idle timeout + 5 s), or lower the idle timeout. For Node.js set both server.keepAliveTimeout and server.headersTimeout (a little above it).",
      cli: 'aws elbv2 describe-load-balancer-attributes --load-balancer-arn arn:aws:elasticloadbalancing:...:loadbalancer/app/web/0123 --query "Attributes[?Key==\'idle_timeout.timeout_seconds\']"\naws elbv2 add-tags --resource-arns arn:aws:elasticloadbalancing:...:targetgroup/web/0123 --tags Key=lbcheck:keepalive,Value=65s',
      iac: '// Node.js\nconst server = app.listen(8080);\nserver.keepAliveTimeout = 65_000;\nserver.headersTimeout = 66_000;\n# gunicorn\ngunicorn --keep-alive 65 app:app\n# nginx\nkeepalive_timeout 65s;',
    },
    references: [
      { title: 'Application Load Balancer attributes: connection idle timeout', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#connection-idle-timeout' },
      { title: 'Configure the idle connection timeout for your Classic Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/config-idle-timeout.html' },
      { title: 'Troubleshoot your Application Load Balancers: HTTP 502 Bad Gateway', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html#http-502-issues' },
      { title: 'Node.js server.keepAliveTimeout', url: 'https://nodejs.org/api/http.html#serverkeepalivetimeout' },
    ],
  },
  check({ scope, index, settings }) {
    const findings: RuleFinding[] = [];
    const reportedTags = new Set<string>();
    const parsedTags: ParsedTags = new Map();
    const measuring = Object.keys(settings.measuredKeepalive).length > 0;
    for (const lb of scope.loadBalancers) {
      if (lb.kind !== 'application' && lb.kind !== 'classic') continue;
      // Classic TCP/SSL listeners pass each client connection through: no pooled back-end connection to race.
      if (lb.kind === 'classic' && !lb.listeners.some((l) => l.protocol === 'HTTP' || l.protocol === 'HTTPS')) continue;
      // Undefined only in a hand-made inventory: the collector reads it or marks it unread.
      const idleSeconds = lb.attributes.idleTimeoutSeconds;
      if (idleSeconds === undefined) continue;
      const groups: readonly (TargetGroup | undefined)[] = lb.kind === 'classic' ? CLASSIC : index.targetGroupsOf(lb);
      // Index loop: it runs for every load balancer, mostly before it is optimised, where for-of allocates per element.
      for (let g = 0; g < groups.length; g++) {
        const group = groups[g];
        if (group?.targetType === 'lambda') continue;
        const endpoints = group ? targetEndpointsOfGroup(index, group) : targetEndpointsOf(index, lb);
        // Measurements are keyed by target address and port: none to look up without --measure-keepalive.
        const targetKeys = measuring ? endpoints.flatMap((e) => (e.ip && e.trafficPort !== undefined ? [`${e.ip}:${e.trafficPort}`] : [])) : NO_KEYS;
        const found = keepAliveFor(settings, lb, group, measuring, targetKeys, parsedTags);
        const declaration = found.declaration ?? found.measured;
        const both = found.declaration && found.measured ? { declared: found.declaration, measured: found.measured } : undefined;
        // Most groups have nothing to report: the resource and the wording are made only for a finding.
        if (found.invalid.length === 0 && !both && (!declaration || idleSeconds < declaration.seconds)) continue;
        groupFindings(findings, reportedTags, scope, lb, group, idleSeconds, found, declaration, both);
      }
    }
    return findings;
  },
});

/**
 * The findings of one target group (or a Classic LB's instances) with something to report: made
 * apart from the loop over every load balancer (most have nothing to report), so the loop stays
 * small where it is optimised and only this is compiled for the findings.
 */
function groupFindings(
  findings: RuleFinding[],
  reportedTags: Set<string>,
  scope: Scope,
  lb: LoadBalancer,
  group: TargetGroup | undefined,
  idleSeconds: number,
  found: Found,
  declaration: KeepAliveDeclaration | undefined,
  both: { declared: KeepAliveDeclaration; measured: KeepAliveDeclaration } | undefined,
): void {
  const resource = loadBalancerResource(lb, scope);
  const where = group ? `target group ${group.name}` : describeLoadBalancer(lb);
  const related = { loadBalancerArn: lb.arn, ...(group && { targetGroupArns: [group.arn] }) };
  for (const bad of found.invalid) {
    // An LB tag is read for each of its target groups: report each tag once.
    if (reportedTags.has(bad.on)) continue;
    reportedTags.add(bad.on);
    findings.push({
      resource,
      message: flat(`The ${KEEPALIVE_TAG} tag on ${bad.on} could not be understood (${bad.reason}), so ${describeLoadBalancer(lb)}'s idle timeout was not compared with it.`),
      fix: flat(`Set it to seconds like 65s or a server name like nodejs: ${bad.addTag}.`),
      related,
      evidence: { tag: KEEPALIVE_TAG, value: bad.value, on: bad.on, reason: bad.reason, usedInstead: found.declaration },
      discriminator: `invalid-tag:${bad.on}`,
      severity: 'info',
    });
  }
  if (both && idleSeconds < both.declared.seconds !== idleSeconds < both.measured.seconds) findings.push(disagreement(resource, lb, where, idleSeconds, both));
  if (!declaration || idleSeconds < declaration.seconds) return;
  const atLeast = idleSeconds + 5;
  const origin = declaration.server ? `${declaration.server} default, ${declaration.detail}` : declaration.detail;
  findings.push({
    resource,
    message: flat(`${describeLoadBalancer(lb)}'s idle timeout (${idleSeconds} s) is not shorter than the keep-alive of ${where} (${formatSeconds(declaration.seconds)}, from ${origin}), so targets close pooled connections the load balancer still reuses and some requests fail with 502.`),
    fix: fixFor(declaration.server, idleSeconds),
    related,
    evidence: {
      idleTimeoutSeconds: idleSeconds,
      idleTimeoutSource: idleTimeoutSource(lb),
      keepAliveSeconds: declaration.seconds,
      keepAliveSource: declaration.source,
      keepAliveDetail: declaration.detail,
      server: declaration.server,
      ...(both && { measuredKeepAliveSeconds: both.measured.seconds, measuredDetail: both.measured.detail }),
      targetGroupArn: group?.arn,
      recommendedKeepAliveSeconds: atLeast,
    },
    discriminator: group?.arn,
    severity: undefined,
  });
}
