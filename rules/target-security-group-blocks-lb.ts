import {
  admitsAddress,
  authorizeCommand,
  clientsOf,
  evaluateSecurityGroups,
  judgePeer,
  matchingRules,
  type Clients,
  type MatchingRules,
  type Peer,
  type SecurityGroupEvaluation,
  type TransportProtocol,
} from '../src/engine/network.js';
import {
  describeLoadBalancer,
  loadBalancerResource,
  networkLoadBalancerGroups,
  targetEndpointsOf,
  targetGroupResource,
  targetPeers,
  type TargetEndpoint,
  type TargetPeers,
} from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { appendTo, type InventoryIndex } from '../src/inventory/indexes.js';
import type { LoadBalancer, Scope, TargetGroup } from '../src/inventory/model.js';
import { flat } from '../src/engine/text.js';

type CheckKind = 'traffic' | 'health-check' | 'lb-egress';
const GONE_STATES = new Set(['shutting-down', 'terminated']);

interface Failure {
  group?: TargetGroup;
  kind: CheckKind;
  protocol: TransportProtocol;
  port: number;
  /** The groups that must change: the targets' (ingress) or the LB's (egress). */
  groupIds: readonly string[];
  /** The source (ingress) or destination (egress) to name in the fix. */
  fixPeer: { cidr: string } | { groupId: string };
  targets: { id: string; ip?: string; securityGroupIds: readonly string[]; verdict: SecurityGroupEvaluation['verdict'] }[];
  evaluation: SecurityGroupEvaluation;
}

/** The security groups of some targets, each once, in the order they come up (a handful: a scan, no Set). */
function groupIdsOf(targets: Failure['targets'], first: readonly string[] = []): string[] {
  const ids: string[] = [];
  for (const id of first) if (!ids.includes(id)) ids.push(id);
  for (const target of targets) for (const id of target.securityGroupIds) if (!ids.includes(id)) ids.push(id);
  return ids;
}

// Plain loops in what words a finding below: thousands of findings, each made once, mostly before the code is optimised.

function listTargets(targets: Failure['targets']): string {
  let shown = '';
  for (let i = 0; i < targets.length && i < 3; i++) shown = i === 0 ? (targets[i] as Failure['targets'][number]).id : `${shown}, ${(targets[i] as Failure['targets'][number]).id}`;
  return targets.length > 3 ? `${shown} and ${targets.length - 3} more` : shown;
}

/** Blocked for at least one target (an error), or only partly admitted for all of them (a warning). */
function someBlocked(targets: Failure['targets']): boolean {
  for (let i = 0; i < targets.length; i++) if ((targets[i] as Failure['targets'][number]).verdict === 'blocked') return true;
  return false;
}

/** The instances among some targets (an IP target's id is its address). */
function instanceIdsOf(targets: Failure['targets']): string[] {
  const ids: string[] = [];
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i] as Failure['targets'][number];
    if (target.ip === undefined || target.id !== target.ip) ids.push(target.id);
  }
  return ids;
}

/** Who reaches one target group's targets: the same for every target of the group. */
interface GroupPaths {
  peers: TargetPeers;
  /** The load balancer's nodes over the group's IP family, and its security groups: where health checks come from. */
  fromLb: Peer;
  /** Where traffic-port packets come from (the preserved clients, and the nodes where they forward clients themselves). */
  traffic: Peer;
}

function groupPaths(lb: LoadBalancer, peers: TargetPeers): GroupPaths {
  const lbGroups = lb.securityGroupIds;
  return { peers, fromLb: { cidrs: peers.nodeCidrs, securityGroupIds: lbGroups }, traffic: { cidrs: peers.trafficSources, securityGroupIds: lbGroups } };
}

// How messages name who sends: worded only for a finding (most load balancers have none).

function lbText(lb: LoadBalancer, peers: TargetPeers): string {
  const lbGroups = lb.securityGroupIds;
  return lbGroups.length > 0 ? `its security group ${lbGroups.join(', ')} or its subnets ${peers.nodeCidrs.join(', ')}` : `its subnets ${peers.nodeCidrs.join(', ')}`;
}

function peerText(lb: LoadBalancer, kind: CheckKind, peers: TargetPeers, clients: Clients): string {
  if (kind === 'lb-egress') return 'targets';
  if (kind === 'traffic' && peers.preservesClientIp) return `the clients of ${describeLoadBalancer(lb)} (${clients.source}; client IP preservation is on)`;
  return `${describeLoadBalancer(lb)} (${lbText(lb, peers)})`;
}

/**
 * Which targets of a load balancer its security group checks judge alike: one target group (who
 * sends: the load balancer's nodes and groups, client IP preservation), the same traffic and
 * health-check ports, and the same security groups. Security groups are stateful and belong to the
 * instance's network interface: a rule admits the first packet by protocol, port and source, whichever
 * instance carries the group, so every target of a class admits the load balancer or not alike.
 * Only the load balancer's outbound rules to a target look at the target's own address.
 * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html
 */
interface TargetClass {
  group: TargetGroup | undefined;
  kind: TargetEndpoint['kind'];
  trafficPort: number;
  healthCheckPort: number | undefined;
  securityGroupIds: readonly string[];
  /** Who reaches the group's targets (the same for every class of the group). */
  paths: GroupPaths;
  verdicts: ClassVerdicts;
}

/** The class of a target among those met so far, compared field by field: no key is built per target (tens of thousands). */
function knownClass(classes: readonly TargetClass[], endpoint: TargetEndpoint, trafficPort: number, securityGroupIds: readonly string[]): TargetClass | undefined {
  for (let i = 0; i < classes.length; i++) {
    const known = classes[i] as TargetClass;
    if (known.group === endpoint.group && known.kind === endpoint.kind && known.trafficPort === trafficPort && known.healthCheckPort === endpoint.healthCheckPort && sameIds(known.securityGroupIds, securityGroupIds)) {
      return known;
    }
  }
  return undefined;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The verdicts every target of a class shares: the ingress checks its security groups fail (each
 * with the failure its targets join, made from the first), and the outbound traffic the load
 * balancer's groups must let out to each target, judged per address.
 */
interface ClassVerdicts {
  ingress: { key: string; failure: Failure; evaluation: SecurityGroupEvaluation }[];
  egress: { protocol: TransportProtocol; port: number; rules: MatchingRules }[];
}

/** A failure's key: a set of groups, whatever order AWS lists them in (the key and the fingerprint must not move with the order). */
function failureKey(group: TargetGroup | undefined, kind: CheckKind, protocol: TransportProtocol, port: number, groupIds: readonly string[]): string {
  return `${group?.arn ?? 'classic'}|${kind}|${protocol}/${port}|${sortedIds(groupIds)}`;
}

/** Security group IDs in sorted order, as one string (one group, the usual: as it is, no copy to sort). */
function sortedIds(groupIds: readonly string[]): string {
  return groupIds.length === 1 ? (groupIds[0] as string) : [...groupIds].sort().join(',');
}

interface Check {
  kind: CheckKind;
  protocol: TransportProtocol;
  port: number;
  peer: Peer;
}

/** The checks a class's targets need: traffic in each of the group's protocols, and the health check where it differs. */
function checksOf(paths: GroupPaths, endpoint: TargetEndpoint, trafficPort: number): Check[] {
  // By push (as placeTargets in src/engine/targets.ts says why).
  const checks: Check[] = [];
  for (let i = 0; i < endpoint.trafficProtocols.length; i++) checks.push({ kind: 'traffic', protocol: endpoint.trafficProtocols[i] as TransportProtocol, port: trafficPort, peer: paths.traffic });
  const healthChecked = endpoint.group?.healthCheck.enabled ?? true;
  const healthPort = endpoint.healthCheckPort;
  const healthSameAsTraffic = healthPort === trafficPort && !paths.peers.preservesClientIp && endpoint.trafficProtocols.includes('tcp');
  if (healthChecked && healthPort !== undefined && !healthSameAsTraffic) checks.push({ kind: 'health-check', protocol: 'tcp', port: healthPort, peer: paths.fromLb });
  return checks;
}

// Plain loops and no closures below: a class is judged for every load balancer, mostly before the code is optimised.
function classVerdicts(index: InventoryIndex, lb: LoadBalancer, paths: GroupPaths, endpoint: TargetEndpoint, trafficPort: number, targetGroups: readonly string[]): ClassVerdicts {
  const group = endpoint.group;
  const lbGroups = lb.securityGroupIds;
  const checks = checksOf(paths, endpoint, trafficPort);
  const verdicts: ClassVerdicts = { ingress: [], egress: [] };
  for (let c = 0; c < checks.length && endpoint.kind === 'instance'; c++) {
    const { kind, protocol, port, peer } = checks[c] as Check;
    const evaluation = evaluateSecurityGroups(index, targetGroups, 'ingress', { protocol, port }, peer);
    if (evaluation.verdict === 'allowed') continue;
    const fixPeer = lbGroups[0] ? { groupId: lbGroups[0] } : { cidr: peer.cidrs[0] ?? '<LB subnet CIDR>' };
    const failure: Failure = { group, kind, protocol, port, groupIds: targetGroups, fixPeer, targets: [], evaluation };
    verdicts.ingress.push({ key: failureKey(group, kind, protocol, port, targetGroups), failure, evaluation });
  }
  for (let c = 0; c < checks.length && lbGroups.length > 0; c++) {
    const { protocol, port } = checks[c] as Check;
    if (!hasEgress(verdicts.egress, protocol, port)) verdicts.egress.push({ protocol, port, rules: matchingRules(index, lbGroups, 'egress', { protocol, port }) });
  }
  return verdicts;
}

function hasEgress(egress: ClassVerdicts['egress'], protocol: TransportProtocol, port: number): boolean {
  for (let i = 0; i < egress.length; i++) if ((egress[i] as ClassVerdicts['egress'][number]).protocol === protocol && (egress[i] as ClassVerdicts['egress'][number]).port === port) return true;
  return false;
}

export default defineRule({
  meta: {
    id: 'target-security-group-blocks-lb',
    title: "Targets' security groups do not admit the load balancer",
    defaultSeverity: 'error',
    category: 'reachability',
    source: 'config',
    appliesTo: ['application', 'network', 'classic'],
    requires: ['listeners', 'targetGroups', 'targetGroupAttributes', 'targetHealth', 'instances', 'subnets', 'securityGroups', 'prefixLists', 'prefixListEntries', 'vpcs'],
    description:
      "For every instance target (elbv2 target groups and Classic LBs' registered instances), checks that the instance's security groups admit the load balancer on the traffic port (the target's port, else the target group's; the Classic instance port) and on the health-check port ('traffic-port' or its own number): an inbound rule whose source is one of the LB's security groups, or CIDRs covering all of the LB's subnets (where its nodes' addresses come from; only their CIDRs of the target group's IP family, IPv4 unless the group is IPv6, even for a dualstack LB). For an NLB with client IP preservation on, traffic arrives from the clients' addresses instead (anywhere for internet-facing), so the targets must admit those on the traffic port, while health checks still come from the LB's subnets. When the load balancer has security groups, their outbound rules must allow the traffic and health-check ports to each target (a rule referencing the target's security group, or CIDRs covering its address). IP targets' own security groups are not collected (their network interfaces are not load balancer ENIs): lbcheck says so in an info finding and still checks the LB's outbound rules to them. Terminated instances that are still registered are skipped: they have no network interface left.",
    rationale:
      'A target that does not admit the load balancer fails its health checks and never receives traffic (503 when all targets are affected); if only the traffic port is blocked, health checks pass and requests fail with 502 or 504. An outbound rule missing on the load balancer has the same effect and is easy to miss because security groups are often assumed to allow all egress.',
    remediation: {
      text: "Add an inbound rule to the targets' security group for the traffic port (and the health-check port) with the load balancer's security group as source; for an NLB without security groups, use the LB subnets' CIDRs (and the clients' CIDRs when client IP preservation is on). Make sure the load balancer's security group allows outbound traffic to the targets on those ports.",
      cli: 'aws ec2 authorize-security-group-ingress --group-id sg-app --protocol tcp --port 8080 --source-group sg-lb\naws ec2 authorize-security-group-egress --group-id sg-lb --ip-permissions IpProtocol=tcp,FromPort=8080,ToPort=8080,UserIdGroupPairs=[{GroupId=sg-app}]',
      iac: 'resource "aws_vpc_security_group_ingress_rule" "from_lb" {\n  security_group_id            = aws_security_group.app.id\n  referenced_security_group_id = aws_security_group.lb.id\n  ip_protocol                  = "tcp"\n  from_port                    = 8080\n  to_port                      = 8080\n}',
    },
    references: [
      { title: 'Security groups for your Application Load Balancer (recommended rules)', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html' },
      { title: 'Target security groups for your Network Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-register-targets.html#target-security-groups' },
      { title: 'Client IP preservation for Network Load Balancers', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation' },
      { title: 'Update the security groups for your Network Load Balancer (referencing its group works with client IP preservation)', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html' },
      { title: 'Configure security groups for your Classic Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-security-groups.html' },
    ],
  },
  // Client IP preservation (a target group attribute) decides who reaches an NLB's targets; other groups' attributes are not read.
  needs: { targetGroupAttributes: networkLoadBalancerGroups },
  check({ scope, index, settings }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      if (lb.kind === 'gateway' || !lb.vpcId) continue;
      for (const finding of loadBalancerFindings(scope, index, lb, settings.clientCidrs)) findings.push(finding);
    }
    return findings;
  },
});

/** One load balancer's findings: its targets judged by class, the failures grouped, then worded. */
function loadBalancerFindings(scope: Scope, index: InventoryIndex, lb: LoadBalancer, clientCidrs: readonly string[]): RuleFinding[] {
  const clients = clientsOf(index, lb, clientCidrs);
  const { failures, ipTargetsByGroup, classes } = judgeTargets(index, lb, clients);
  const findings: RuleFinding[] = [];
  if (failures) for (const failure of failures.values()) findings.push(failureFinding(scope, lb, failure, pathsOf(index, lb, classes, failure.group, clients).peers, clients));
  if (ipTargetsByGroup) for (const [group, endpoints] of ipTargetsByGroup) findings.push(ipTargetsFinding(scope, lb, group, endpoints, pathsOf(index, lb, classes, group, clients).peers));
  return findings;
}

/**
 * Who reaches a target group's targets: kept with the classes of its targets judged so far (a
 * handful: a scan), made for the group's first class (no map and no closure per load balancer).
 */
function pathsOf(index: InventoryIndex, lb: LoadBalancer, classes: readonly TargetClass[], group: TargetGroup | undefined, clients: Clients): GroupPaths {
  for (let i = 0; i < classes.length; i++) if ((classes[i] as TargetClass).group === group) return (classes[i] as TargetClass).paths;
  return groupPaths(lb, targetPeers(index, lb, group, clients));
}

/** What judging a load balancer's targets found; each map made only when something goes in it (most load balancers pass). */
interface Judged {
  /** The classes of its targets, each with its verdicts. */
  classes: TargetClass[];
  /** The failures grouped by target group, check and security groups. */
  failures: Map<string, Failure> | undefined;
  /** The IP targets whose own security groups lbcheck does not collect. */
  ipTargetsByGroup: Map<TargetGroup, TargetEndpoint[]> | undefined;
}

const NO_GROUPS: readonly string[] = [];

/**
 * Every target of a load balancer judged, by class (index loops: this runs for every load balancer,
 * mostly before it is optimised, where for-of allocates per element).
 */
function judgeTargets(index: InventoryIndex, lb: LoadBalancer, clients: Clients): Judged {
  const lbGroups = lb.securityGroupIds;
  const classes: TargetClass[] = [];
  const judged: Judged = { classes, failures: undefined, ipTargetsByGroup: undefined };
  const endpoints = targetEndpointsOf(index, lb);
  for (let e = 0; e < endpoints.length; e++) {
    const endpoint = endpoints[e] as TargetEndpoint;
    if (endpoint.kind !== 'instance' && endpoint.kind !== 'ip') continue;
    const trafficPort = endpoint.trafficPort;
    if (trafficPort === undefined) continue;
    if (endpoint.kind === 'instance') {
      // The instances were read (the runner saw to it): one that is not there no longer exists.
      if (!endpoint.instance) continue;
      // A terminated instance still registered has no network interface left to admit anything: not a security group problem.
      if (GONE_STATES.has(endpoint.instance.state)) continue;
    } else if (endpoint.group) {
      appendTo((judged.ipTargetsByGroup ??= new Map()), endpoint.group, endpoint);
    }
    const targetGroups = endpoint.instance?.securityGroupIds ?? NO_GROUPS;
    let targetClass = knownClass(classes, endpoint, trafficPort, targetGroups);
    if (!targetClass) {
      const paths = pathsOf(index, lb, classes, endpoint.group, clients);
      const verdicts = classVerdicts(index, lb, paths, endpoint, trafficPort, targetGroups);
      targetClass = { group: endpoint.group, kind: endpoint.kind, trafficPort, healthCheckPort: endpoint.healthCheckPort, securityGroupIds: targetGroups, paths, verdicts };
      classes.push(targetClass);
    }
    const { ingress, egress } = targetClass.verdicts;
    for (let i = 0; i < ingress.length; i++) {
      const { key, failure, evaluation } = ingress[i] as ClassVerdicts['ingress'][number];
      failureUnder(judged, key, failure).targets.push({ id: endpoint.targetId, ip: endpoint.ip, securityGroupIds: targetGroups, verdict: evaluation.verdict });
    }
    // The load balancer's outbound rules to this target: the one check that depends on the target's own address.
    const address = endpoint.ip ?? endpoint.instance?.privateIpAddress;
    for (let i = 0; i < egress.length; i++) {
      const { protocol, port, rules } = egress[i] as ClassVerdicts['egress'][number];
      if (address && admitsAddress(rules, address, targetGroups)) continue;
      const evaluation = judgePeer(rules, { cidrs: address ? [address] : [], securityGroupIds: targetGroups });
      if (evaluation.verdict === 'allowed') continue;
      const key = failureKey(endpoint.group, 'lb-egress', protocol, port, lbGroups);
      const failure = judged.failures?.get(key) ?? failureUnder(judged, key, egressFailure(endpoint, protocol, port, lbGroups, targetGroups, address, evaluation));
      failure.targets.push({ id: endpoint.targetId, ip: endpoint.ip, securityGroupIds: targetGroups, verdict: evaluation.verdict });
    }
  }
  return judged;
}

/**
 * The failure kept under `key`, else `failure`, kept there from now on. No closure: a closure in the
 * loop over targets would make every pass through it allocate (tens of thousands of targets).
 */
function failureUnder(judged: Judged, key: string, failure: Failure): Failure {
  const failures = (judged.failures ??= new Map());
  const known = failures.get(key);
  if (known) return known;
  failures.set(key, failure);
  return failure;
}

/** The load balancer's outbound rules fail a target: the failure its targets join, named after the first. */
function egressFailure(
  endpoint: TargetEndpoint,
  protocol: TransportProtocol,
  port: number,
  lbGroups: readonly string[],
  targetGroups: readonly string[],
  address: string | undefined,
  evaluation: SecurityGroupEvaluation,
): Failure {
  const fixPeer = targetGroups[0] ? { groupId: targetGroups[0] } : { cidr: address ? `${address}/${address.includes(':') ? 128 : 32}` : '<target address>' };
  return { group: endpoint.group, kind: 'lb-egress', protocol, port, groupIds: lbGroups, fixPeer, targets: [], evaluation };
}

function failureFinding(scope: Scope, lb: LoadBalancer, failure: Failure, peers: TargetPeers, clients: Clients): RuleFinding {
  const lbName = describeLoadBalancer(lb);
  const port = `${failure.protocol.toUpperCase()} ${failure.port}`;
  // Blocked for one target: an error; only partly admitted for all of them: a warning.
  const partial = !someBlocked(failure.targets);
  const qualifier = failure.evaluation.verdict === 'unknown' ? ` (with the rules lbcheck could resolve; ${failure.evaluation.unresolved.join(', ')} could not be)` : partial ? ' from all of its addresses' : '';
  let message: string;
  let fix: string;
  if (failure.kind === 'lb-egress') {
    const where = failure.group ? `target group ${failure.group.name}` : lbName;
    message = `${lbName}'s security groups (${failure.groupIds.join(', ')}) do not allow outbound ${port} to targets ${listTargets(failure.targets)} of ${where}${qualifier}, so it cannot reach them and requests and health checks fail.`;
    fix = `Run ${authorizeCommand('egress', failure.groupIds[0] ?? '<security group>', failure.protocol, failure.port, failure.fixPeer)}.`;
  } else {
    const holder = failure.group ? `in target group ${failure.group.name}` : `registered with ${lbName}`;
    const effect = failure.kind === 'health-check' ? 'so health checks fail and the targets are marked unhealthy' : 'so requests to them fail (502/504, or timeouts on an NLB)';
    message = `The security groups (${groupIdsOf(failure.targets).join(', ')}) of targets ${listTargets(failure.targets)} ${holder} do not admit ${failure.kind === 'health-check' ? 'the health check on ' : ''}${port} from ${peerText(lb, failure.kind, peers, clients)}${qualifier}, ${effect}.`;
    fix = `Run ${authorizeCommand('ingress', failure.targets[0]?.securityGroupIds[0] ?? '<target security group>', failure.protocol, failure.port, failure.fixPeer)}.`;
  }
  return {
    resource: failure.group ? targetGroupResource(failure.group, scope) : loadBalancerResource(lb, scope),
    message: flat(message),
    fix: flat(fix),
    related: {
      loadBalancerArn: lb.arn,
      ...(failure.group && { targetGroupArns: [failure.group.arn] }),
      securityGroupIds: groupIdsOf(failure.targets, failure.groupIds),
      instanceIds: instanceIdsOf(failure.targets),
    },
    evidence: {
      loadBalancerArn: lb.arn,
      targetGroupArn: failure.group?.arn,
      check: failure.kind,
      protocol: failure.protocol,
      port: failure.port,
      securityGroupIds: failure.groupIds,
      loadBalancerSecurityGroupIds: lb.securityGroupIds,
      loadBalancerSubnetCidrs: peers.nodeCidrs,
      targets: failure.targets,
      rulesConsidered: failure.evaluation.considered,
      notAdmitted: failure.evaluation.notAdmitted,
      unresolved: failure.evaluation.unresolved,
    },
    discriminator: `${failure.group ? `${lb.arn}|` : ''}${failure.kind}|${failure.protocol}/${failure.port}|${sortedIds(failure.groupIds)}`,
    severity: partial ? 'warning' : undefined,
  };
}

function ipTargetsFinding(scope: Scope, lb: LoadBalancer, group: TargetGroup, endpoints: readonly TargetEndpoint[], peers: TargetPeers): RuleFinding {
  return {
    resource: targetGroupResource(group, scope),
    message: flat(`The security groups of IP targets ${endpoints.slice(0, 3).map((e) => e.targetId).join(', ')} in target group ${group.name} were not checked (lbcheck does not collect their network interfaces).`),
    fix: flat(`Make sure they admit ${describeLoadBalancer(lb)} (${lbText(lb, peers)}) on port ${[...new Set(endpoints.flatMap((e) => [e.trafficPort, e.healthCheckPort]))].filter((p) => p !== undefined).join(' and ')}.`),
    related: { loadBalancerArn: lb.arn, targetGroupArns: [group.arn] },
    evidence: { loadBalancerArn: lb.arn, targets: endpoints.map((e) => ({ ip: e.ip, port: e.trafficPort, healthCheckPort: e.healthCheckPort })), why: 'IP targets\' network interfaces are not in the inventory' },
    discriminator: `${lb.arn}|ip-targets-not-checked`,
    severity: 'info',
  };
}
