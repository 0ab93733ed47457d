/**
 * The probe as a human reads it: one block per host:port, one row per address with its
 * AZ and subnet, what its attempts did, and the median connect, TLS and first-byte
 * times. The table fits 100 columns for IPv4 addresses; below that the SUBNET column
 * goes (each AZ node of an LB has one subnet, so the AZ still places the address).
 */
import stringWidth from 'string-width';
import { median } from '../engine/stats.js';
import type { AttemptOutcome, ProbeAddress, ProbeReport, ProbeTarget } from '../inventory/probe-report.js';
import { escapeControlCharacters as safe } from '../text-safety.js';
import { plural } from '../words.js';
import { hang, unbroken } from './wrap.js';

export interface ProbeTableOptions {
  color: boolean;
  /** Columns available; default 100. */
  width?: number;
}

export const PROBE_TABLE_WIDTH = 100;
/** What the AZ and subnet columns say when the address could not be placed (no credentials, not an LB node). */
export const UNKNOWN_PLACE = 'unknown';

const GREEN = '\u001b[32m';
const RED = '\u001b[31m';
const YELLOW = '\u001b[33m';
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

/** An address that failed at least one attempt (ok means connected and, for HTTP, a status below 500). */
export function failedAttempts(address: ProbeAddress): number {
  return address.attempts.filter((attempt) => attempt.outcome !== 'ok').length;
}

/** The median of one timing over an address's attempts, or `-` when no attempt got that far. */
export function medianMs(address: ProbeAddress, pick: (attempt: ProbeAddress['attempts'][number]) => number | undefined): string {
  const values = address.attempts.map(pick).filter((value): value is number => value !== undefined);
  const middle = median(values);
  if (middle === undefined) return '-';
  return middle >= 100 ? middle.toFixed(0) : middle.toFixed(1);
}

/** What an address's attempts did: `3 ok`, `3 timeout`, `2 ok, 1 reset`. */
export function outcomeSummary(address: ProbeAddress): string {
  const counts = new Map<AttemptOutcome, number>();
  for (const attempt of address.attempts) counts.set(attempt.outcome, (counts.get(attempt.outcome) ?? 0) + 1);
  const ordered = [...counts.entries()].sort(([a], [b]) => Number(b === 'ok') - Number(a === 'ok'));
  return ordered.map(([outcome, count]) => `${count} ${outcome}`).join(', ') || 'not probed';
}

function colored(text: string, code: string, options: ProbeTableOptions): string {
  return options.color ? `${code}${text}${RESET}` : text;
}

interface Column {
  header: string;
  align: 'left' | 'right';
  cell(address: ProbeAddress): string;
}

function columns(options: ProbeTableOptions): Column[] {
  return [
    { header: 'ADDRESS', align: 'left', cell: (address) => safe(address.ip) },
    { header: 'AZ', align: 'left', cell: (address) => safe(address.az ?? UNKNOWN_PLACE) },
    { header: 'SUBNET', align: 'left', cell: (address) => safe(address.subnetId ?? UNKNOWN_PLACE) },
    { header: 'RESULT', align: 'left', cell: (address) => colored(outcomeSummary(address), failedAttempts(address) > 0 ? RED : GREEN, options) },
    { header: 'CONNECT', align: 'right', cell: (address) => medianMs(address, (attempt) => attempt.connectMs) },
    { header: 'TLS', align: 'right', cell: (address) => medianMs(address, (attempt) => attempt.tlsMs) },
    { header: 'TTFB', align: 'right', cell: (address) => medianMs(address, (attempt) => attempt.firstByteMs) },
    {
      header: 'HTTP',
      align: 'left',
      cell: (address) => [...new Set(address.attempts.flatMap((attempt) => (attempt.status ? [String(attempt.status)] : [])))].join('/') || '-',
    },
  ];
}

const GAP = '  ';

function layout(columnsToShow: Column[], addresses: readonly ProbeAddress[]): string[] {
  const rows = [columnsToShow.map((column) => column.header), ...addresses.map((address) => columnsToShow.map((column) => column.cell(address)))];
  const widths = columnsToShow.map((_, i) => Math.max(...rows.map((row) => stringWidth(row[i] ?? ''))));
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const fill = ' '.repeat((widths[i] ?? 0) - stringWidth(cell));
        return columnsToShow[i]?.align === 'right' ? fill + cell : cell + fill;
      })
      .join(GAP)
      .trimEnd(),
  );
}

/** The address rows, at most `width` wide when dropping the SUBNET column gets there. */
function addressTable(addresses: readonly ProbeAddress[], options: ProbeTableOptions): string[] {
  const all = columns(options);
  const full = layout(all, addresses);
  const width = options.width ?? PROBE_TABLE_WIDTH;
  if (Math.max(...full.map((line) => stringWidth(line))) <= width) return full;
  return layout(
    all.filter((column) => column.header !== 'SUBNET'),
    addresses,
  );
}

function targetBlock(target: ProbeTarget, options: ProbeTableOptions): string[] {
  const width = options.width ?? PROBE_TABLE_WIDTH;
  const dns = target.dns;
  const via = dns.cnames?.length ? `, via CNAME ${dns.cnames.join(' -> ')}` : '';
  const ttls = dns.ttl ? [...new Set(Object.values(dns.ttl))] : [];
  const ttl = ttls.length ? `, TTL ${ttls.join('/')} s` : '';
  const header = `${target.host}:${target.port} (${target.protocol ?? 'tcp'})  ${unbroken(`DNS ${dns.server} ${dns.ms} ms: ${plural(dns.addresses.length, 'address')}${ttl}`)}${via}`;
  const note = (text: string, code: string) => hang(colored(safe(text), code, options), { indent: 2, hanging: 2, width });
  const lines = hang(colored(safe(header), DIM, options), { indent: 0, hanging: 2, width });
  if (target.skipped) lines.push(...note(`skipped: ${target.skipped}`, DIM));
  if (dns.error) lines.push(...note(`DNS error: ${dns.error}`, RED));
  if (target.addresses.length === 0) return lines;
  lines.push(...addressTable(target.addresses, { ...options, width: width - 2 }).map((line) => `  ${line}`));
  for (const address of target.addresses) {
    const errors = [...new Set(address.attempts.flatMap((attempt) => (attempt.outcome !== 'ok' && attempt.error ? [attempt.error] : [])))];
    for (const error of errors) lines.push(...note(`${address.ip}: ${error}`, YELLOW));
    const certificate = address.attempts.find((attempt) => attempt.certificateError)?.certificateError;
    if (certificate) lines.push(...note(`${address.ip}: certificate not valid for ${target.host}: ${certificate}`, YELLOW));
  }
  return lines;
}

/** Every probed host:port as a block, blank lines between. */
export function formatProbeTable(report: Pick<ProbeReport, 'targets'>, options: ProbeTableOptions): string {
  return report.targets.map((target) => targetBlock(target, options).join('\n')).join('\n\n');
}

/** `lbcheck probe`'s text output: the blocks, then how long it took. */
export function formatProbeText(report: ProbeReport, options: ProbeTableOptions): string {
  const attempts = Math.max(0, ...report.targets.flatMap((target) => target.addresses.map((address) => address.attempts.length)));
  const footer =
    report.durationMs !== undefined
      ? [
          hang(`probed in ${report.durationMs} ms; CONNECT, TLS and TTFB (time to first byte) are medians over ${plural(attempts, 'attempt')}, in ms from the start of each attempt`, {
            indent: 0,
            width: options.width ?? PROBE_TABLE_WIDTH,
          }).join('\n'),
        ]
      : [];
  const notProbed = (report.notChecked ?? []).map((entry) => safe(`not probed: ${entry.what}: ${entry.why}`));
  return [formatProbeTable(report, options), ...(notProbed.length > 0 ? [notProbed.join('\n')] : []), ...footer].join('\n\n');
}
