/**
 * The probe as a human reads it: one block per host:port, one row per address, each
 * attempt's outcome, and min/median/max of the connect, TLS and first-byte times.
 */
import { median } from '../engine/stats.js';
import type { AttemptOutcome, ProbeAddress, ProbeReport, ProbeTarget } from '../inventory/probe-report.js';
import { escapeControlCharacters as safe } from '../text-safety.js';
import { plural } from '../words.js';

export interface TextOptions {
  color: boolean;
}

const GREEN = '\u001b[32m';
const RED = '\u001b[31m';
const YELLOW = '\u001b[33m';
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

/** "min/median/max" of one timing over an address's attempts, or "-" when no attempt got that far. */
function spread(address: ProbeAddress, pick: (attempt: ProbeAddress['attempts'][number]) => number | undefined): string {
  const values = address.attempts.map(pick).filter((value): value is number => value !== undefined);
  if (values.length === 0) return '-';
  const format = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
  return `${format(Math.min(...values))}/${format(median(values) as number)}/${format(Math.max(...values))}`;
}

function paint(outcome: AttemptOutcome, options: TextOptions): string {
  if (!options.color) return outcome;
  return `${outcome === 'ok' ? GREEN : RED}${outcome}${RESET}`;
}

function table(rows: string[][]): string[] {
  // Widths from the visible text: colour codes take no columns.
  const visible = (cell: string) => cell.replaceAll(GREEN, '').replaceAll(RED, '').replaceAll(RESET, '').length;
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => visible(row[column] ?? '')))) ?? [];
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell + ' '.repeat((widths[column] ?? 0) - visible(cell)))).join('  ').trimEnd());
}

function targetBlock(target: ProbeTarget, options: TextOptions): string[] {
  const dns = target.dns;
  const via = dns.cnames?.length ? `, via CNAME ${dns.cnames.join(' -> ')}` : '';
  const ttls = dns.ttl ? [...new Set(Object.values(dns.ttl))] : [];
  const ttl = ttls.length ? `, TTL ${ttls.join('/')} s` : '';
  const header = safe(`${target.host}:${target.port} (${target.protocol ?? 'tcp'})  DNS ${dns.server} ${dns.ms} ms: ${plural(dns.addresses.length, 'address')}${ttl}${via}`);
  const lines = [options.color ? `${DIM}${header}${RESET}` : header];
  if (target.skipped) lines.push(`  skipped: ${safe(target.skipped)}`);
  if (dns.error) lines.push(`  DNS error: ${options.color ? `${RED}${safe(dns.error)}${RESET}` : safe(dns.error)}`);
  if (target.addresses.length === 0) return lines;
  const rows = [['ADDRESS', 'AZ', 'SUBNET', 'ATTEMPTS', 'CONNECT ms', 'TLS ms', 'FIRST BYTE ms', 'STATUS']];
  const notes: string[] = [];
  for (const address of target.addresses) {
    const statuses = [...new Set(address.attempts.flatMap((attempt) => (attempt.status ? [attempt.status] : [])))];
    rows.push([
      safe(address.ip),
      safe(address.az ?? '-'),
      safe(address.subnetId ?? '-'),
      address.attempts.map((attempt) => paint(attempt.outcome, options)).join(' '),
      spread(address, (attempt) => attempt.connectMs),
      spread(address, (attempt) => attempt.tlsMs),
      spread(address, (attempt) => attempt.firstByteMs),
      statuses.length ? statuses.join('/') : '-',
    ]);
    const errors = [...new Set(address.attempts.flatMap((attempt) => (attempt.outcome !== 'ok' && attempt.error ? [attempt.error] : [])))];
    for (const error of errors) notes.push(safe(`${address.ip}: ${error}`));
    const certificate = address.attempts.find((attempt) => attempt.certificateError)?.certificateError;
    if (certificate) notes.push(safe(`${address.ip}: certificate not valid for ${target.host}: ${certificate}`));
  }
  lines.push(...table(rows).map((line) => `  ${line}`));
  for (const note of notes) lines.push(`  ${options.color ? `${YELLOW}${note}${RESET}` : note}`);
  return lines;
}

export function formatProbeText(report: ProbeReport, options: TextOptions): string {
  const blocks = report.targets.map((target) => targetBlock(target, options).join('\n'));
  const notProbed = (report.notChecked ?? []).map((entry) => safe(`not probed: ${entry.what}: ${entry.why}`));
  const footer = report.durationMs !== undefined ? [`probed in ${report.durationMs} ms (min/median/max over attempts, ms from the start of each attempt)`] : [];
  return [...blocks, ...(notProbed.length > 0 ? [notProbed.join('\n')] : []), ...footer].join('\n\n');
}

/** An address that failed at least one attempt (ok means connected and, for HTTP, a status below 500). */
export function failedAttempts(address: ProbeAddress): number {
  return address.attempts.filter((attempt) => attempt.outcome !== 'ok').length;
}
