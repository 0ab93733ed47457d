/**
 * Network reachability helpers the rules share: default routes to an internet gateway,
 * security group evaluation (stateful, allow-only) and network ACL evaluation
 * (stateless, ordered, first match wins). Pure functions over the inventory index.
 *
 * Address arithmetic works on inclusive ranges of BigInt so that "does this set of
 * rules admit this whole client range" is answered exactly, not by sampling.
 */
import { ANY_IPV4, ANY_IPV6, NOT_ON_THE_INTERNET, cidrRange, ipFamily, rangeContains, type AddressRange } from '../inventory/cidr.js';
import type { EffectiveRouteTable, InventoryIndex } from '../inventory/indexes.js';
import { getOrCreate, memoizePerIndexTuple, perIndex, TupleMap } from './memo.js';
import type { NetworkAcl, NetworkAclEntry, Route, RouteTable, SecurityGroupRule } from '../inventory/model.js';

// ---------------------------------------------------------------- address ranges

function formatAddress(value: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  const hextets: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) hextets.push(((value >> shift) & 0xffffn).toString(16));
  return hextets.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** A range as the CIDR it is when it is one, else "first-last". */
export function formatRange(range: AddressRange): string {
  const bits = range.family === 4 ? 32 : 128;
  const size = range.hi - range.lo + 1n;
  const prefix = bits - (size.toString(2).length - 1);
  const isBlock = (size & (size - 1n)) === 0n && range.lo % size === 0n;
  if (isBlock) return `${formatAddress(range.lo, range.family)}/${prefix}`;
  return `${formatAddress(range.lo, range.family)}-${formatAddress(range.hi, range.family)}`;
}

/** The parts of `target` not covered by any of `covering` (same family only). */
export function uncoveredRanges(target: AddressRange, covering: readonly AddressRange[]): AddressRange[] {
  const pieces = covering
    .filter((r) => r.family === target.family && r.hi >= target.lo && r.lo <= target.hi)
    .sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const gaps: AddressRange[] = [];
  let next = target.lo;
  for (const piece of pieces) {
    if (piece.lo > next) gaps.push({ family: target.family, lo: next, hi: piece.lo - 1n });
    if (piece.hi + 1n > next) next = piece.hi + 1n;
    if (next > target.hi) break;
  }
  if (next <= target.hi) gaps.push({ family: target.family, lo: next, hi: target.hi });
  return gaps;
}

// ---------------------------------------------------------------- routes

export type InternetRouteProblem =
  | 'no-route-table'
  | 'no-default-route'
  | 'blackhole'
  | 'not-an-internet-gateway'
  | 'gateway-not-in-inventory'
  | 'gateway-attached-to-other-vpc'
  | 'gateway-not-attached-to-vpc';

/** Addresses of one family that one route (or none) decides, and why they do not reach the internet gateway. */
export interface UnroutedAddresses {
  /** A CIDR, or "first-last" for what is left between more specific routes. */
  addresses: string;
  /** The longest-prefix route for them; absent when no route matches them. */
  route?: Route;
  problem: InternetRouteProblem;
  /** gateway-attached-to-other-vpc: the VPCs the gateway is attached to. */
  gatewayVpcIds?: string[];
}

export interface InternetRouteCheck {
  family: 4 | 6;
  destination: string;
  ok: boolean;
  /** The problem of the first unreached addresses (no-route-table when the subnet has no table). */
  problem?: InternetRouteProblem;
  /** The default route (0.0.0.0/0 or ::/0) when the table has one, whatever its target. */
  route?: Route;
  effective?: EffectiveRouteTable;
  /** Internet gateways attached to the subnet's VPC, to name in the fix. */
  attachedGatewayIds: string[];
  /** Active routes to an internet gateway attached to the VPC: what does reach the internet. */
  internetRoutes: Route[];
  /** Public addresses the table does not send to a working internet gateway route (the check fails on these). */
  unreached: UnroutedAddresses[];
  /** Narrow exceptions: public addresses that more specific routes send elsewhere while the rest reaches the gateway. */
  exceptions: UnroutedAddresses[];
}

const ATTACHED_STATES = new Set(['available', 'attached']);

function isAttachedTo(gateway: { attachments: { vpcId: string; state: string }[] }, vpcId: string): boolean {
  return gateway.attachments.some((a) => a.vpcId === vpcId && ATTACHED_STATES.has(a.state));
}

/** Internet gateways attached to a VPC (AWS reports an attached IGW's state as "available"). */
export function internetGatewaysOfVpc(index: InventoryIndex, vpcId: string): string[] {
  return index.scope.internetGateways.filter((igw) => isAttachedTo(igw, vpcId)).map((igw) => igw.id);
}

/**
 * Whether a subnet's effective route table sends the whole internet of one family to an
 * internet gateway that is attached to the subnet's VPC, with the routes active.
 */
// Every load balancer in a subnet asks the same: answered once per index.
export const checkInternetRoute: (index: InventoryIndex, subnetId: string, vpcId: string, family: 4 | 6) => InternetRouteCheck = memoizePerIndexTuple(subnetInternetRoute);

function subnetInternetRoute(index: InventoryIndex, subnetId: string, vpcId: string, family: 4 | 6): InternetRouteCheck {
  const effective = index.effectiveRouteTable(subnetId);
  if (!effective) {
    const destination = family === 4 ? ANY_IPV4 : ANY_IPV6;
    return { family, destination, attachedGatewayIds: internetGatewaysOfVpc(index, vpcId), ok: false, problem: 'no-route-table', internetRoutes: [], unreached: [], exceptions: [] };
  }
  return { ...checkTableInternetRoute(index, effective.routeTable, vpcId, family), effective };
}

/** A route's destinations of one family: its CIDR, or the CIDRs of its (resolved) prefix list. */
function routeDestinations(index: InventoryIndex, route: Route, family: 4 | 6): AddressRange[] {
  if (route.destinationPrefixListId) {
    return (index.prefixList(route.destinationPrefixListId)?.cidrs ?? []).flatMap((c) => cidrRange(c) ?? []).filter((r) => r.family === family);
  }
  const cidr = family === 4 ? route.destinationCidrBlock : route.destinationIpv6CidrBlock;
  const range = cidr === undefined ? undefined : cidrRange(cidr);
  return range?.family === family ? [range] : [];
}

function rangeSize(range: AddressRange): bigint {
  return range.hi - range.lo + 1n;
}

/**
 * Splits the address space of a family by longest-prefix match: each part with the route
 * that decides it (more specific routes first; a CIDR route before a prefix-list route of
 * the same length), and the parts no route matches.
 * https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
 */
function longestPrefixParts(index: InventoryIndex, table: RouteTable, family: 4 | 6): { range: AddressRange; route?: Route }[] {
  const entries = table.routes
    .flatMap((route) => routeDestinations(index, route, family).map((range) => ({ range, route })))
    .sort((a, b) => (rangeSize(a.range) < rangeSize(b.range) ? -1 : rangeSize(a.range) > rangeSize(b.range) ? 1 : Number(Boolean(a.route.destinationPrefixListId)) - Number(Boolean(b.route.destinationPrefixListId))));
  const decided: AddressRange[] = [];
  const parts: { range: AddressRange; route?: Route }[] = [];
  for (const { range, route } of entries) {
    for (const piece of uncoveredRanges(range, decided)) parts.push({ range: piece, route });
    decided.push(range);
  }
  const universe = cidrRange(family === 4 ? ANY_IPV4 : ANY_IPV6) as AddressRange;
  for (const piece of uncoveredRanges(universe, decided)) parts.push({ range: piece });
  return parts;
}

/** Why a route does not carry the internet to this VPC, or 'reaches' / 'not-for-clients'. */
function routeVerdict(index: InventoryIndex, route: Route | undefined, vpcId: string): { problem?: InternetRouteProblem; gatewayVpcIds?: string[]; reaches?: true; notForClients?: true } {
  if (!route) return { problem: 'no-default-route' };
  // The VPC's own addresses, and AWS service addresses behind a gateway endpoint (S3, DynamoDB): no client comes from there.
  if (route.target.kind === 'local' || (route.target.kind === 'vpc-endpoint' && route.destinationPrefixListId)) return { notForClients: true };
  if (route.target.kind !== 'internet-gateway') return { problem: 'not-an-internet-gateway' };
  if (route.state === 'blackhole') return { problem: 'blackhole' };
  const gateway = index.internetGateway(route.target.id);
  if (!gateway) return { problem: 'gateway-not-in-inventory' };
  if (isAttachedTo(gateway, vpcId)) return { reaches: true };
  const elsewhere = gateway.attachments.filter((a) => ATTACHED_STATES.has(a.state)).map((a) => a.vpcId);
  return elsewhere.length ? { problem: 'gateway-attached-to-other-vpc', gatewayVpcIds: elsewhere } : { problem: 'gateway-not-attached-to-vpc' };
}

/**
 * Routes elsewhere that take at most this many public addresses in all (a /8 of IPv4, a /16
 * of IPv6) while the rest reaches the gateway are deliberate exceptions (a partner network,
 * a VPN): a warning. More is most of the internet gone: the check fails.
 */
const EXCEPTION_BUDGET = { 4: 1n << 24n, 6: 1n << 112n } as const;

/**
 * The same check on one route table, whoever uses it. Routing is longest-prefix match, so
 * what counts is where each public address actually goes: a default route, or routes such
 * as 0.0.0.0/1 + 128.0.0.0/1 that together cover the internet, to an attached gateway.
 */
// Thousands of load balancers share a few route tables: each table checked once per index, VPC and family.
export const checkTableInternetRoute: (index: InventoryIndex, table: RouteTable, vpcId: string, family: 4 | 6) => TableInternetRouteCheck = memoizePerIndexTuple(tableInternetRoute);

type TableInternetRouteCheck = Omit<InternetRouteCheck, 'effective'>;

function tableInternetRoute(index: InventoryIndex, table: RouteTable, vpcId: string, family: 4 | 6): TableInternetRouteCheck {
  const destination = family === 4 ? ANY_IPV4 : ANY_IPV6;
  const route = table.routes.find((r) => (family === 4 ? r.destinationCidrBlock === ANY_IPV4 : r.destinationIpv6CidrBlock === ANY_IPV6));
  const internetRoutes = new Set<Route>();
  const failing: (UnroutedAddresses & { size: bigint })[] = [];
  for (const part of longestPrefixParts(index, table, family)) {
    const verdict = routeVerdict(index, part.route, vpcId);
    if (verdict.reaches && part.route) internetRoutes.add(part.route);
    if (!verdict.problem || !holdsPublicAddresses(part.range)) continue;
    failing.push({
      addresses: formatRange(part.range),
      ...(part.route ? { route: part.route } : {}),
      problem: verdict.problem,
      ...(verdict.gatewayVpcIds ? { gatewayVpcIds: verdict.gatewayVpcIds } : {}),
      size: rangeSize(part.range),
    });
  }
  const failingSize = failing.reduce((sum, f) => sum + f.size, 0n);
  const narrow = internetRoutes.size > 0 && failing.every((f) => f.route) && failingSize <= EXCEPTION_BUDGET[family];
  const parts = failing.map(({ size: _size, ...rest }) => rest);
  const base = { family, destination, attachedGatewayIds: internetGatewaysOfVpc(index, vpcId), internetRoutes: [...internetRoutes], ...(route ? { route } : {}) };
  if (parts.length === 0 || narrow) return { ...base, ok: true, unreached: [], exceptions: parts };
  return { ...base, ok: false, problem: parts[0]?.problem, unreached: parts, exceptions: [] };
}

/** True when a range holds at least one address an internet client could have. */
export function holdsPublicAddresses(range: AddressRange): boolean {
  return uncoveredRanges(range, NOT_ON_THE_INTERNET).length > 0;
}

// ---------------------------------------------------------------- security groups

export type TransportProtocol = 'tcp' | 'udp';

export interface Traffic {
  protocol: TransportProtocol;
  port: number;
}

/** Who is on the other end: addresses, and the security groups those addresses are in (if any). */
export interface Peer {
  cidrs: readonly string[];
  securityGroupIds: readonly string[];
}

export interface ConsideredRule {
  groupId: string;
  protocol: string;
  ports: string;
  source: string;
}

export type SecurityGroupVerdict = 'allowed' | 'partial' | 'blocked' | 'unknown';

export interface SecurityGroupEvaluation {
  verdict: SecurityGroupVerdict;
  /** Rules of these groups that match the protocol and port, whatever their source. */
  considered: ConsideredRule[];
  /** Peer CIDRs (or the parts of them) no matching rule admits. */
  notAdmitted: string[];
  /** Matching rules that reference another security group the peer is not known to be in. */
  otherGroupReferences: string[];
  /** Security groups or prefix lists that are not in the inventory. */
  unresolved: string[];
}

function protocolMatches(ruleProtocol: string, protocol: TransportProtocol): boolean {
  if (ruleProtocol === 'all' || ruleProtocol === '-1') return true;
  return ruleProtocol === protocol || ruleProtocol === (protocol === 'tcp' ? '6' : '17');
}

function ruleCoversPort(rule: SecurityGroupRule, traffic: Traffic): boolean {
  if (!protocolMatches(rule.protocol, traffic.protocol)) return false;
  if (rule.protocol === 'all' || rule.protocol === '-1') return true;
  return rule.fromPort <= traffic.port && traffic.port <= rule.toPort;
}

function portsText(rule: SecurityGroupRule): string {
  if (rule.protocol === 'all' || rule.protocol === '-1') return 'all';
  return rule.fromPort === rule.toPort ? String(rule.fromPort) : `${rule.fromPort}-${rule.toPort}`;
}

/** The rules of some security groups that match a direction and traffic, whoever the peer: what every peer is judged by. */
export interface MatchingRules {
  considered: ConsideredRule[];
  /** The matching rules' CIDRs and resolved prefix lists, as ranges. */
  admittingRanges: AddressRange[];
  /** The families a rule admits whole (0.0.0.0/0, ::/0: the usual egress rule). */
  anywhere: (4 | 6)[];
  /** The security groups the matching rules reference, each once, in the order they appear. */
  referencedGroupIds: string[];
  unresolved: string[];
  /**
   * Each peer judged, by its addresses and groups: thousands of load balancers share a few
   * subnets and security groups, so they hand over the same few peers.
   */
  judged: Map<string, SecurityGroupEvaluation>;
}

function collectMatchingRules(index: InventoryIndex, groupIds: readonly string[], direction: 'ingress' | 'egress', traffic: Traffic): MatchingRules {
  const considered: ConsideredRule[] = [];
  const unresolved: string[] = [];
  const referenced = new Set<string>();
  const admittingCidrs: string[] = [];
  for (const groupId of groupIds) {
    const group = index.securityGroup(groupId);
    if (!group) {
      unresolved.push(groupId);
      continue;
    }
    for (const rule of direction === 'ingress' ? group.ingress : group.egress) {
      if (!ruleCoversPort(rule, traffic)) continue;
      for (const source of rule.sources) {
        const base = { groupId, protocol: rule.protocol, ports: portsText(rule) };
        switch (source.kind) {
          case 'cidr-ipv4':
          case 'cidr-ipv6':
            considered.push({ ...base, source: source.cidr });
            admittingCidrs.push(source.cidr);
            break;
          case 'prefix-list': {
            const list = index.prefixList(source.prefixListId);
            considered.push({ ...base, source: list ? `${source.prefixListId} (${list.cidrs.join(', ')})` : source.prefixListId });
            if (list) admittingCidrs.push(...list.cidrs);
            else unresolved.push(source.prefixListId);
            break;
          }
          case 'security-group':
            considered.push({ ...base, source: source.groupId });
            referenced.add(source.groupId);
            break;
        }
      }
    }
  }
  const admittingRanges = admittingCidrs.flatMap((c) => cidrRange(c) ?? []);
  const anywhere = admittingRanges.filter((range) => rangeContains(range, cidrRange(range.family === 4 ? ANY_IPV4 : ANY_IPV6) as AddressRange)).map((range) => range.family);
  return { considered, admittingRanges, anywhere, referencedGroupIds: [...referenced], unresolved, judged: new Map() };
}

// Thousands of targets and load balancers share a few security groups: collect their matching rules once per index.
const matchingRulesByIndex = perIndex<InventoryIndex, TupleMap<readonly [string, TransportProtocol, number, string], MatchingRules>>(() => new TupleMap());

/** The rules of some security groups that match a direction and traffic: what admitsAddress and judgePeer judge a peer by. */
export function matchingRules(index: InventoryIndex, groupIds: readonly string[], direction: 'ingress' | 'egress', traffic: Traffic): MatchingRules {
  const key = [direction, traffic.protocol, traffic.port, groupIds.join(',')] as const;
  return getOrCreate(matchingRulesByIndex(index), key, () => collectMatchingRules(index, groupIds, direction, traffic));
}

/** True when every address of the peer lies inside one of the ranges (an allow-all egress rule and a target's address). */
function whollyInsideOne(peer: Peer, ranges: readonly AddressRange[]): boolean {
  return (
    peer.cidrs.length > 0 &&
    peer.cidrs.every((cidr) => {
      const range = cidrRange(cidr);
      return range !== undefined && ranges.some((admitting) => rangeContains(admitting, range));
    })
  );
}

/** How the rules judge a peer, worked out afresh: for one met once (a target's own address); evaluateSecurityGroups keeps its answers. */
export function judgePeer(rules: MatchingRules, peer: Peer): SecurityGroupEvaluation {
  const { considered, unresolved } = rules;
  // The usual answer for a target's own address, worked out without a range of gaps: admitted.
  if (rules.referencedGroupIds.length === 0 && whollyInsideOne(peer, rules.admittingRanges)) return { considered, otherGroupReferences: [], unresolved, verdict: 'allowed', notAdmitted: [] };
  const otherGroupReferences = rules.referencedGroupIds.filter((id) => !peer.securityGroupIds.includes(id));
  // A rule referencing one of the peer's own groups.
  if (otherGroupReferences.length < rules.referencedGroupIds.length) return { considered, otherGroupReferences, unresolved, verdict: 'allowed', notAdmitted: [] };
  const notAdmitted: string[] = [];
  const peerRanges: AddressRange[] = [];
  for (const cidr of peer.cidrs) {
    const range = cidrRange(cidr);
    if (!range) continue;
    peerRanges.push(range);
    for (const gap of uncoveredRanges(range, rules.admittingRanges)) notAdmitted.push(formatRange(gap));
  }
  if (notAdmitted.length === 0 && peer.cidrs.length > 0) return { considered, otherGroupReferences, unresolved, verdict: 'allowed', notAdmitted };
  // An unresolved prefix list or group might admit what the resolved rules do not.
  if (unresolved.length > 0) return { considered, otherGroupReferences, unresolved, verdict: 'unknown', notAdmitted };
  const anyAdmitted = peerRanges.some((range) => admitsSomeClient(range, rules.admittingRanges));
  return { considered, otherGroupReferences, unresolved, verdict: anyAdmitted ? 'partial' : 'blocked', notAdmitted };
}

/**
 * Whether the union of some security groups' rules (ingress or egress) admits the traffic
 * from (or to) the peer. Security groups are allow-only and stateful, so only the
 * direction of the first packet matters. A rule referencing one of the peer's own groups
 * admits the peer whatever its addresses; otherwise every peer CIDR must be covered by
 * the matching rules' CIDRs (and resolved prefix lists) together. The evaluation is shared
 * by every caller that passes the same peer (addresses and groups) for the same groups and traffic: read it, never change it.
 */
export function evaluateSecurityGroups(
  index: InventoryIndex,
  groupIds: readonly string[],
  direction: 'ingress' | 'egress',
  traffic: Traffic,
  peer: Peer,
): SecurityGroupEvaluation {
  const rules = matchingRules(index, groupIds, direction, traffic);
  return getOrCreate(rules.judged, `${peer.cidrs.join(',')}|${peer.securityGroupIds.join(',')}`, () => judgePeer(rules, peer));
}

/**
 * True when the rules admit one address outright: a rule naming one of the security groups it
 * is in, or a CIDR rule (or prefix list) that holds it. Then judgePeer answers 'allowed' for that
 * peer; this finds the usual answer for a target's address without building a peer.
 */
export function admitsAddress(rules: MatchingRules, address: string, securityGroupIds: readonly string[]): boolean {
  for (const id of rules.referencedGroupIds) if (securityGroupIds.includes(id)) return true;
  // Any address of a family admitted whole, without parsing it (tens of thousands of targets).
  const family = ipFamily(address);
  if (family !== undefined && rules.anywhere.includes(family)) return true;
  const range = cidrRange(address);
  if (!range) return false;
  for (const admitting of rules.admittingRanges) if (rangeContains(admitting, range)) return true;
  return false;
}

function intersection(a: AddressRange, b: AddressRange): AddressRange | undefined {
  if (a.family !== b.family) return undefined;
  const lo = a.lo > b.lo ? a.lo : b.lo;
  const hi = a.hi < b.hi ? a.hi : b.hi;
  return lo <= hi ? { family: a.family, lo, hi } : undefined;
}

/**
 * Whether the admitted parts of a client range hold a client. When the clients include
 * public addresses (the internet), admitting only private or other special-purpose ranges
 * (the VPC's own CIDR, 10.0.0.0/8) admits none of them: no internet client has such an
 * address, so that is a block, not a narrowing.
 */
function admitsSomeClient(clients: AddressRange, admitted: readonly AddressRange[]): boolean {
  const parts = admitted.flatMap((r) => intersection(clients, r) ?? []);
  return holdsPublicAddresses(clients) ? parts.some(holdsPublicAddresses) : parts.length > 0;
}

// ---------------------------------------------------------------- network ACLs

export interface PortRange {
  from: number;
  to: number;
}

/** The ports clients and load balancer nodes use for the return leg of a connection (AWS recommends 1024-65535). */
export const EPHEMERAL_PORTS: PortRange = { from: 1024, to: 65535 };

export interface AclFlow {
  /** 'inbound' evaluates the ACL's ingress entries (peer is the source); 'outbound' its egress entries (peer is the destination). */
  direction: 'inbound' | 'outbound';
  protocol: TransportProtocol;
  ports: PortRange;
  peerCidr: string;
}

export type AclVerdict = 'allowed' | 'partial' | 'denied';

export interface AclEvaluation {
  verdict: AclVerdict;
  /** The entries that decided some part of the flow, in evaluation order. */
  decidingEntries: { ruleNumber: number; action: 'allow' | 'deny'; cidr: string; protocol: string; ports: string }[];
  /** Parts of the flow that are denied: "addresses ports a-b", at most five. */
  denied: string[];
}

interface Box {
  addr: AddressRange;
  ports: PortRange;
}

function intersectBox(box: Box, addr: AddressRange, ports: PortRange): Box | undefined {
  const lo = box.addr.lo > addr.lo ? box.addr.lo : addr.lo;
  const hi = box.addr.hi < addr.hi ? box.addr.hi : addr.hi;
  const from = Math.max(box.ports.from, ports.from);
  const to = Math.min(box.ports.to, ports.to);
  if (lo > hi || from > to) return undefined;
  return { addr: { family: box.addr.family, lo, hi }, ports: { from, to } };
}

/** `box` minus its intersection `cut`: at most four boxes. */
function subtractBox(box: Box, cut: Box): Box[] {
  const out: Box[] = [];
  const family = box.addr.family;
  if (box.addr.lo < cut.addr.lo) out.push({ addr: { family, lo: box.addr.lo, hi: cut.addr.lo - 1n }, ports: box.ports });
  if (box.addr.hi > cut.addr.hi) out.push({ addr: { family, lo: cut.addr.hi + 1n, hi: box.addr.hi }, ports: box.ports });
  const middle = cut.addr;
  if (box.ports.from < cut.ports.from) out.push({ addr: middle, ports: { from: box.ports.from, to: cut.ports.from - 1 } });
  if (box.ports.to > cut.ports.to) out.push({ addr: middle, ports: { from: cut.ports.to + 1, to: box.ports.to } });
  return out;
}

function entryPorts(entry: NetworkAclEntry): PortRange {
  if (entry.protocol === 'all' || entry.protocol === '-1' || !entry.portRange) return { from: 0, to: 65535 };
  return entry.portRange;
}

function portRangeText(ports: PortRange): string {
  if (ports.from === 0 && ports.to === 65535) return 'all';
  return ports.from === ports.to ? String(ports.from) : `${ports.from}-${ports.to}`;
}

/**
 * Evaluates a flow against a network ACL exactly: every (address, port) pair of the flow
 * is decided by the lowest-numbered entry that matches it, and whatever no entry matches
 * is denied (the '*' rule). The verdict says whether all, some or none of the flow passes.
 */
export function evaluateNetworkAcl(acl: NetworkAcl, flow: AclFlow): AclEvaluation {
  const peer = cidrRange(flow.peerCidr);
  if (!peer) return { verdict: 'denied', decidingEntries: [], denied: [`${flow.peerCidr} (not a CIDR)`] };
  let remaining: Box[] = [{ addr: peer, ports: flow.ports }];
  const allowed: Box[] = [];
  const denied: Box[] = [];
  const decidingEntries: AclEvaluation['decidingEntries'] = [];
  const entries = acl.entries
    .filter((e) => e.egress === (flow.direction === 'outbound'))
    .sort((a, b) => a.ruleNumber - b.ruleNumber);

  for (const entry of entries) {
    if (remaining.length === 0) break;
    if (!protocolMatches(entry.protocol, flow.protocol)) continue;
    const cidr = peer.family === 4 ? entry.cidrBlock : entry.ipv6CidrBlock;
    const entryRange = cidr ? cidrRange(cidr) : undefined;
    if (!cidr || !entryRange) continue;
    const ports = entryPorts(entry);
    const next: Box[] = [];
    let decided = false;
    for (const box of remaining) {
      const hit = intersectBox(box, entryRange, ports);
      if (!hit) {
        next.push(box);
        continue;
      }
      decided = true;
      (entry.action === 'allow' ? allowed : denied).push(hit);
      next.push(...subtractBox(box, hit));
    }
    if (decided) {
      decidingEntries.push({ ruleNumber: entry.ruleNumber, action: entry.action, cidr, protocol: entry.protocol, ports: portRangeText(ports) });
    }
    remaining = next;
  }
  denied.push(...remaining);
  const verdict: AclVerdict = denied.length === 0 ? 'allowed' : admitsSomeClient(peer, allowed.map((box) => box.addr)) ? 'partial' : 'denied';
  return {
    verdict,
    decidingEntries,
    denied: denied.slice(0, 5).map((box) => `${formatRange(box.addr)} ports ${portRangeText(box.ports)}`),
  };
}

// ---------------------------------------------------------------- shared helpers

const TCP: readonly TransportProtocol[] = ['tcp'];
const UDP: readonly TransportProtocol[] = ['udp'];
const TCP_AND_UDP: readonly TransportProtocol[] = ['tcp', 'udp'];

/** Transport protocols a listener or target group protocol carries (QUIC runs over UDP; TCP_QUIC takes both on one port). */
export function transportsOf(protocol: string | undefined): readonly TransportProtocol[] {
  if (protocol === 'UDP' || protocol === 'QUIC') return UDP;
  if (protocol === 'TCP_UDP' || protocol === 'TCP_QUIC') return TCP_AND_UDP;
  return TCP;
}

/** Who a load balancer's listeners must admit, and why lbcheck thinks so. */
export interface Clients {
  cidrs: readonly string[];
  /** Where the client ranges came from, for evidence and messages. */
  source: string;
}

// Every internet-facing load balancer has one of these: made once (read them, never change them).
const INTERNET_OVER_IPV6: Clients = { cidrs: [ANY_IPV6], source: 'anywhere over IPv6 (internet-facing, dualstack-without-public-ipv4)' };
const INTERNET_DUALSTACK: Clients = { cidrs: [ANY_IPV4, ANY_IPV6], source: 'anywhere (internet-facing, dualstack)' };
const INTERNET: Clients = { cidrs: [ANY_IPV4], source: 'anywhere (internet-facing)' };

/**
 * The clients of a load balancer. Internet-facing: anywhere (0.0.0.0/0; ::/0 too when
 * dualstack; only ::/0 for dualstack-without-public-ipv4, whose nodes have no public
 * IPv4). Internal: the config's clientCidrs when set, else the VPC's own CIDRs, on the
 * assumption that an internal LB serves its VPC.
 */
export function clientsOf(
  index: InventoryIndex,
  loadBalancer: { scheme: string; ipAddressType: string; vpcId?: string },
  configuredClientCidrs: readonly string[],
): Clients {
  const dualstack = loadBalancer.ipAddressType !== 'ipv4';
  if (loadBalancer.scheme === 'internet-facing') {
    if (loadBalancer.ipAddressType === 'dualstack-without-public-ipv4') return INTERNET_OVER_IPV6;
    return dualstack ? INTERNET_DUALSTACK : INTERNET;
  }
  if (configuredClientCidrs.length > 0) return { cidrs: [...configuredClientCidrs], source: 'clientCidrs in the config file' };
  const vpc = loadBalancer.vpcId ? index.vpc(loadBalancer.vpcId) : undefined;
  if (!vpc) return { cidrs: [], source: `the VPC ${loadBalancer.vpcId ?? '(none)'}, which is not in the inventory` };
  return {
    cidrs: [...vpc.cidrBlocks, ...(dualstack ? vpc.ipv6CidrBlocks : [])],
    source: `the CIDRs of ${vpc.id} (internal load balancer; set clientCidrs in the config file to name its real clients)`,
  };
}

/**
 * The AWS CLI command that adds one security group rule. Ingress from an IPv4 CIDR or a
 * group uses the short options; IPv6 and every egress rule use --ip-permissions (the only
 * form that takes IPv6 ranges, and the form authorize-security-group-egress documents).
 */
export function authorizeCommand(
  direction: 'ingress' | 'egress',
  groupId: string,
  protocol: TransportProtocol,
  port: number,
  peer: { cidr: string } | { groupId: string },
): string {
  const command = `aws ec2 authorize-security-group-${direction} --group-id ${groupId}`;
  const isIpv6 = 'cidr' in peer && peer.cidr.includes(':');
  if (direction === 'ingress' && !isIpv6) {
    return `${command} --protocol ${protocol} --port ${port} ${'cidr' in peer ? `--cidr ${peer.cidr}` : `--source-group ${peer.groupId}`}`;
  }
  const range = 'cidr' in peer ? (isIpv6 ? `Ipv6Ranges=[{CidrIpv6=${peer.cidr}}]` : `IpRanges=[{CidrIp=${peer.cidr}}]`) : `UserIdGroupPairs=[{GroupId=${peer.groupId}}]`;
  return `${command} --ip-permissions IpProtocol=${protocol},FromPort=${port},ToPort=${port},${range}`;
}
