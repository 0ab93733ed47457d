/**
 * One load balancer's network path as inline SVG: the LB with its security groups, one
 * column per AZ node (the addresses probed there, its subnet and network ACL, the
 * subnet's effective route table, where its default route goes), and the target groups'
 * healthy/total targets in that AZ. What a finding says is broken is drawn in red and
 * links to that finding (`#finding-<fingerprint>`).
 */
import type { ReportFinding } from '../engine/runner.js';
import { LOAD_BALANCER_KIND_LABEL, targetEndpointsOf } from '../engine/targets.js';
import { InventoryIndex } from '../inventory/indexes.js';
import { getOrCreate } from '../engine/memo.js';
import type { LoadBalancer, Route, Scope } from '../inventory/model.js';
import type { ProbeAddress, ProbeTarget } from '../inventory/probe-report.js';
import { failedAttempts, medianMs, outcomeSummary } from './probe-text.js';

/** What one diagram element needs to be drawn: its text, and the findings that flag it. */
interface Flag {
  findings: ReportFinding[];
}

export interface ZonePath {
  zone: string;
  subnetId?: string;
  cidr?: string;
  networkAclId?: string;
  routeTableId?: string;
  routeTableVia?: 'explicit' | 'main';
  /** The default route (0.0.0.0/0, else ::/0) of the effective route table. */
  defaultRoute?: Route;
  gateway: { kind: 'igw' | 'nat' | 'other' | 'none'; label: string };
  addresses: { ip: string; lines: string[]; failed: boolean }[];
  targetGroups: { name: string; healthy: number; total: number }[];
}

export interface LoadBalancerPath {
  lb: LoadBalancer;
  securityGroups: { id: string; name?: string }[];
  zones: ZonePath[];
}

const ANY_IPV4 = '0.0.0.0/0';
const ANY_IPV6 = '::/0';

function gatewayOf(route: Route | undefined): ZonePath['gateway'] {
  if (!route) return { kind: 'none', label: 'no default route' };
  const blackhole = route.state === 'blackhole' ? ' (blackhole)' : '';
  switch (route.target.kind) {
    case 'internet-gateway':
      return { kind: 'igw', label: `IGW ${route.target.id}${blackhole}` };
    case 'nat-gateway':
      return { kind: 'nat', label: `NAT ${route.target.id}${blackhole}` };
    default:
      return { kind: 'other', label: `${route.target.kind} ${route.target.id}${blackhole}` };
  }
}

/** One line per probed port of an address: `:443 3 ok  12.1/24.1/48.0 ms`. */
function addressLines(ip: string, targets: readonly ProbeTarget[]): { lines: string[]; failed: boolean } {
  const lines: string[] = [];
  let failed = false;
  for (const target of targets) {
    const address: ProbeAddress | undefined = target.addresses.find((candidate) => candidate.ip === ip);
    if (!address) continue;
    failed ||= failedAttempts(address) > 0;
    const times = [medianMs(address, (a) => a.connectMs), medianMs(address, (a) => a.tlsMs), medianMs(address, (a) => a.firstByteMs)];
    const timing = times.every((time) => time === '-') ? '' : `  ${times.join('/')} ms`;
    lines.push(`:${target.port} ${outcomeSummary(address)}${timing}`);
  }
  return { lines, failed };
}

/** One index per scope for all its LBs' diagrams: an index per LB would read the whole scope once per LB. */
const indexes = new WeakMap<Scope, InventoryIndex>();

/** The network path of one LB from the inventory (and the probe, when it ran). */
export function loadBalancerPath(lb: LoadBalancer, scope: Scope, probeTargets: readonly ProbeTarget[]): LoadBalancerPath {
  const index = getOrCreate(indexes, scope, () => new InventoryIndex(scope));
  const endpoints = targetEndpointsOf(index, lb);
  const probedIps = [...new Set(probeTargets.flatMap((target) => target.addresses.map((address) => address.ip)))];
  const zones = lb.availabilityZones.map((zone): ZonePath => {
    const subnet = zone.subnetId ? index.subnet(zone.subnetId) : undefined;
    const effective = zone.subnetId ? index.effectiveRouteTable(zone.subnetId) : undefined;
    const routes = effective?.routeTable.routes ?? [];
    const defaultRoute = routes.find((route) => route.destinationCidrBlock === ANY_IPV4) ?? routes.find((route) => route.destinationIpv6CidrBlock === ANY_IPV6);
    const acl = zone.subnetId ? index.networkAclOf(zone.subnetId) : undefined;
    const groups = new Map<string, { name: string; healthy: number; total: number }>();
    for (const endpoint of endpoints) {
      if (endpoint.zone !== zone.zoneName && endpoint.zone !== 'all') continue;
      const name = endpoint.group?.name ?? 'registered instances';
      const counts = groups.get(name) ?? { name, healthy: 0, total: 0 };
      counts.total++;
      if (endpoint.healthState === 'healthy') counts.healthy++;
      groups.set(name, counts);
    }
    for (const group of index.targetGroupsOf(lb)) if (!groups.has(group.name)) groups.set(group.name, { name: group.name, healthy: 0, total: 0 });
    const addresses = probedIps
      .filter((ip) => probeTargets.some((target) => target.addresses.some((address) => address.ip === ip && address.az === zone.zoneName)))
      .map((ip) => ({ ip, ...addressLines(ip, probeTargets) }));
    return {
      zone: zone.zoneName,
      ...(zone.subnetId && { subnetId: zone.subnetId }),
      ...(subnet?.cidrBlock && { cidr: subnet.cidrBlock }),
      ...(acl && { networkAclId: acl.id }),
      ...(effective && { routeTableId: effective.routeTable.id, routeTableVia: effective.via }),
      ...(defaultRoute && { defaultRoute }),
      gateway: effective ? gatewayOf(defaultRoute) : { kind: 'none', label: 'route table unknown' },
      addresses,
      targetGroups: [...groups.values()],
    };
  });
  const securityGroups = lb.securityGroupIds.map((id) => ({ id, ...(index.securityGroup(id)?.name !== undefined && { name: index.securityGroup(id)?.name }) }));
  return { lb, securityGroups, zones };
}

// ---------------------------------------------------------------- drawing

const COLUMN = 250;
const GAP = 20;
const MARGIN = 16;
const LINE = 15;

const has = (value: unknown, id: string) => value === id || (Array.isArray(value) && value.includes(id));

/** Findings that flag a part of the path. */
function flagged(findings: readonly ReportFinding[], test: (finding: ReportFinding) => boolean): Flag {
  return { findings: findings.filter(test) };
}

function zoneFlags(zone: ZonePath, findings: readonly ReportFinding[]) {
  const about = (finding: ReportFinding) => has(finding.evidence.subnetId, zone.subnetId ?? '\u0000') || has(finding.evidence.availabilityZone, zone.zone);
  return {
    route: flagged(findings, (f) => about(f) && (f.ruleId === 'internet-facing-subnet-without-igw-route' || f.evidence.routeTableId !== undefined)),
    acl: flagged(findings, (f) => zone.networkAclId !== undefined && has(f.evidence.networkAclId, zone.networkAclId)),
    targets: flagged(findings, (f) => f.ruleId === 'az-without-healthy-targets' && has(f.evidence.availabilityZone, zone.zone)),
    address: (ip: string) => flagged(findings, (f) => f.evidence.ip === ip),
  };
}

/** Escapes text for SVG/HTML (the caller's escaping function). */
type Escape = (text: string) => string;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A box, red with a link to the first finding when flagged; `title` shows every finding's message on hover. */
function box(x: number, y: number, width: number, height: number, lines: { text: string; cls?: string }[], flag: Flag | undefined, esc: Escape, extraClass = ''): string {
  const broken = flag !== undefined && flag.findings.length > 0;
  const cls = `node${broken ? ' broken' : ''}${extraClass ? ` ${extraClass}` : ''}`;
  const texts = lines.map((line, i) => `<text x="${x + 10}" y="${y + 18 + i * LINE}"${line.cls ? ` class="${line.cls}"` : ''}>${esc(line.text)}</text>`).join('');
  const title = broken ? `<title>${flag.findings.map((finding) => esc(`${finding.ruleId}: ${finding.message}`)).join('&#10;')}</title>` : '';
  const shape = `<g class="${cls}">${title}<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="6"/>${texts}</g>`;
  const first = flag?.findings[0];
  return broken && first ? `<a href="#finding-${esc(first.fingerprint)}" class="flag-link">${shape}</a>` : shape;
}

function link(x1: number, y1: number, x2: number, y2: number, flag?: Flag, label?: string, esc?: Escape): string {
  const broken = flag !== undefined && flag.findings.length > 0;
  const path = `<line class="link${broken ? ' broken' : ''}" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"${broken ? ' data-broken="true"' : ''}/>`;
  const cross = broken ? `<g class="cross"><line x1="${(x1 + x2) / 2 - 6}" y1="${(y1 + y2) / 2 - 6}" x2="${(x1 + x2) / 2 + 6}" y2="${(y1 + y2) / 2 + 6}"/><line x1="${(x1 + x2) / 2 + 6}" y1="${(y1 + y2) / 2 - 6}" x2="${(x1 + x2) / 2 - 6}" y2="${(y1 + y2) / 2 + 6}"/></g>` : '';
  const text = label && esc ? `<text class="link-label${broken ? ' broken' : ''}" x="${(x1 + x2) / 2 + 12}" y="${(y1 + y2) / 2 + 4}">${esc(label)}</text>` : '';
  return `${path}${cross}${text}`;
}

/** The SVG of one LB's path; `findings` are the LB's findings, for what to draw red. */
export function pathDiagram(path: LoadBalancerPath, findings: readonly ReportFinding[], esc: Escape): string {
  const zones = path.zones;
  const width = Math.max(2 * MARGIN + zones.length * COLUMN + (zones.length - 1) * GAP, 520);
  const lbWidth = Math.min(width - 2 * MARGIN, Math.max(360, zones.length * COLUMN));
  const lbX = (width - lbWidth) / 2;
  const parts: string[] = [];
  const listeners = path.lb.listeners.map((listener) => `${listener.protocol}:${listener.port}`).join(', ') || 'no listeners';
  const sgFlag = flagged(findings, (f) => f.ruleId === 'lb-security-group-blocks-listener');
  const sgs = path.securityGroups.map((sg) => (sg.name ? `${sg.id} (${sg.name})` : sg.id)).join(', ');
  parts.push(
    box(
      lbX,
      MARGIN,
      lbWidth,
      sgs ? 66 : 51,
      [
        { text: clip(`${path.lb.name}`, 48), cls: 'title' },
        { text: `${path.lb.scheme} ${LOAD_BALANCER_KIND_LABEL[path.lb.kind]} · ${clip(listeners, 48)}` },
        ...(sgs ? [{ text: clip(`SG ${sgs}`, 60), cls: 'mono' }] : []),
      ],
      sgFlag,
      esc,
      'lb',
    ),
  );
  const lbBottom = MARGIN + (sgs ? 66 : 51);
  const maxAddresses = Math.max(0, ...zones.map((zone) => zone.addresses.reduce((sum, address) => sum + 1 + address.lines.length, 0)));
  const maxGroups = Math.max(1, ...zones.map((zone) => zone.targetGroups.length));
  const row = { az: lbBottom + 44, subnet: 0, route: 0, gateway: 0, targets: 0, end: 0 };
  const azHeight = 26 + maxAddresses * LINE + (maxAddresses > 0 ? 6 : 0);
  row.subnet = row.az + azHeight + 34;
  row.route = row.subnet + 56 + 34;
  row.gateway = row.route + 56 + 40;
  row.targets = row.gateway + 34 + 34;
  row.end = row.targets + 26 + maxGroups * LINE + MARGIN;

  zones.forEach((zone, i) => {
    const x = MARGIN + i * (COLUMN + GAP) + Math.max(0, (width - 2 * MARGIN - zones.length * COLUMN - (zones.length - 1) * GAP) / 2);
    const centre = x + COLUMN / 2;
    const flags = zoneFlags(zone, findings);
    parts.push(`<g class="zone" data-zone="${esc(zone.zone)}" data-route="${flags.route.findings.length > 0 ? 'broken' : 'ok'}">`);
    parts.push(link(width / 2, lbBottom, centre, row.az));
    const addressLinesOut: { text: string; cls?: string }[] = [{ text: zone.zone, cls: 'title' }];
    for (const address of zone.addresses) {
      addressLinesOut.push({ text: address.ip, cls: `mono${address.failed ? ' bad' : ' good'}` });
      for (const line of address.lines) addressLinesOut.push({ text: `  ${line}`, cls: `small${address.failed ? ' bad' : ''}` });
    }
    const addressFlag = { findings: zone.addresses.flatMap((address) => flags.address(address.ip).findings) };
    parts.push(box(x, row.az, COLUMN, azHeight, addressLinesOut, addressFlag, esc, 'az'));
    parts.push(link(centre, row.az + azHeight, centre, row.subnet));
    const aclText = zone.networkAclId ? `NACL ${zone.networkAclId}` : 'NACL unknown';
    parts.push(
      box(x, row.subnet, COLUMN, 56, [{ text: zone.subnetId ?? 'subnet unknown', cls: 'mono' }, { text: zone.cidr ?? '', cls: 'small' }, { text: aclText, cls: `small mono${flags.acl.findings.length ? ' bad' : ''}` }], flags.acl, esc, 'subnet'),
    );
    parts.push(link(centre, row.subnet + 56, centre, row.route));
    const via = zone.routeTableVia === 'main' ? 'main route table' : zone.routeTableVia === 'explicit' ? 'associated route table' : 'route table';
    const defaultRoute = zone.defaultRoute ? `${zone.defaultRoute.destinationCidrBlock ?? zone.defaultRoute.destinationIpv6CidrBlock} → ${zone.defaultRoute.target.id}` : 'no default route';
    parts.push(box(x, row.route, COLUMN, 56, [{ text: zone.routeTableId ?? 'unknown', cls: 'mono' }, { text: via, cls: 'small' }, { text: defaultRoute, cls: 'small mono' }], flags.route, esc, 'route'));
    parts.push(link(centre, row.route + 56, centre, row.gateway, flags.route, flags.route.findings.length ? 'no internet route' : undefined, esc));
    parts.push(box(x, row.gateway, COLUMN, 30, [{ text: zone.gateway.label, cls: 'mono' }], flags.route, esc, `gateway gw-${zone.gateway.kind}`));
    parts.push(link(centre, row.gateway + 30, centre, row.targets));
    const groupLines = zone.targetGroups.length
      ? zone.targetGroups.map((group) => ({ text: `${clip(group.name, 22)}  ${group.healthy}/${group.total} healthy`, cls: group.total > 0 && group.healthy === 0 ? 'bad' : group.total === 0 ? 'small' : 'good' }))
      : [{ text: 'no target groups', cls: 'small' }];
    parts.push(box(x, row.targets, COLUMN, 26 + maxGroups * LINE, [{ text: 'targets in this AZ', cls: 'small' }, ...groupLines], flags.targets, esc, 'targets'));
    parts.push('</g>');
  });

  const label = `Network path of ${path.lb.name}: ${zones.length} AZ nodes`;
  return `<svg class="path" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${row.end}" width="${width}" height="${row.end}" role="img" aria-label="${esc(label)}" data-zones="${zones.length}">${parts.join('')}</svg>`;
}
