import { plural } from '../words.js';

/** Evidence as a short human line: `key=value` pairs, nested values as compact JSON, cut at a width. */
function formatValue(value: unknown, room: number): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) return value.join(',');
  return Array.isArray(value) ? listJsonStart(value, room) : JSON.stringify(value);
}

/**
 * JSON.stringify(list), or only its start once that is longer than `room`: the line is cut there,
 * and a list of targets or rules can run to kilobytes of which a few dozen characters show.
 */
function listJsonStart(list: readonly unknown[], room: number): string {
  let json = '[';
  for (let i = 0; i < list.length; i++) {
    if (json.length > room) return json;
    // As JSON.stringify writes a list item: what it leaves out of an object (undefined, a function) is null in a list.
    json += `${i === 0 ? '' : ','}${JSON.stringify(list[i]) ?? 'null'}`;
  }
  return `${json}]`;
}

function truncate(text: string, maxLength: number): string {
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/**
 * `key=value` pairs of what the evidence holds, space-separated: an absent (undefined) field
 * is left out, as JSON leaves it out. Pairs stop once the line is longer than `maxLength`:
 * what follows would be cut (a long nested value is not even formatted).
 */
export function evidenceLine(evidence: Record<string, unknown>, maxLength: number): string {
  let line = '';
  for (const key of Object.keys(evidence)) {
    const value = evidence[key];
    if (value === undefined) continue;
    const pair = `${line === '' ? '' : ' '}${key}=`;
    line += `${pair}${formatValue(value, maxLength - line.length - pair.length)}`;
    if (line.length > maxLength) break;
  }
  return truncate(line, maxLength);
}

/** One line of evidence as a reader sees it: `key: value` at a nesting depth (`- ...` for list items). */
export interface EvidenceEntry {
  depth: number;
  /** The key, or `-` for an item of a list. */
  label: string;
  /** The value; empty for a key whose value follows as deeper entries. */
  value: string;
}

type Pruned = string | Pruned[] | { [key: string]: Pruned };

/** Leaves out what says nothing: undefined, null, empty strings, empty lists and objects (also once emptied). */
function prune(value: unknown): Pruned | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((item): item is Pruned => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => {
      const kept = prune(item);
      return kept === undefined ? [] : [[key, kept] as const];
    });
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return String(value);
}

const isFlat = (value: Pruned): value is string | string[] => typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'));

function flatText(value: string | string[]): string {
  return typeof value === 'string' ? value : value.join(', ');
}

function entriesOf(label: string, value: Pruned, depth: number): EvidenceEntry[] {
  if (isFlat(value)) return [{ depth, label, value: flatText(value) }];
  if (Array.isArray(value)) return [{ depth, label, value: '' }, ...value.flatMap((item) => itemEntries(item, depth + 1))];
  return [{ depth, label, value: '' }, ...Object.entries(value).flatMap(([key, item]) => entriesOf(key, item, depth + 1))];
}

/** A list item: a flat object on one line (`destination: 0.0.0.0/0, target: igw-1`), anything deeper nested under `-`. */
function itemEntries(item: Pruned, depth: number): EvidenceEntry[] {
  if (isFlat(item)) return [{ depth, label: '-', value: flatText(item) }];
  if (!Array.isArray(item) && Object.values(item).every(isFlat)) {
    return [{ depth, label: '-', value: Object.entries(item).map(([key, v]) => `${key}: ${flatText(v as string | string[])}`).join(', ') }];
  }
  if (Array.isArray(item)) return entriesOf('-', item, depth);
  // YAML-style: the first key on the dash's line, the others aligned under it.
  const [first, ...rest] = Object.entries(item).flatMap(([key, value]) => entriesOf(key, value, depth + 1));
  return first ? [{ ...first, depth, label: `- ${first.label}` }, ...rest] : [];
}

/** The whole evidence as nested `key: value` entries, nothing cut, nothing empty. */
export function evidenceEntries(evidence: Record<string, unknown>): EvidenceEntry[] {
  const pruned = prune(evidence);
  if (pruned === undefined || isFlat(pruned) || Array.isArray(pruned)) return [];
  return Object.entries(pruned).flatMap(([key, value]) => entriesOf(key, value, 0));
}

/** Severity counts as a phrase: `2 errors, 1 warning, 0 info`. */
export function countsPhrase(summary: { errors: number; warnings: number; infos: number }): string {
  return `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${summary.infos} info`;
}

/** ` across 3 accounts` when a report covers more than one account (the summary's where; nothing for one). */
export function acrossAccountsPhrase(summary: { accounts: number }): string {
  return summary.accounts > 1 ? ` across ${plural(summary.accounts, 'account')}` : '';
}

/** The line a baselined report leads with: `2 new, 1 fixed`. */
export function baselinePhrase(baseline: { new: number; fixed: readonly unknown[] }): string {
  return `${baseline.new} new, ${baseline.fixed.length} fixed`;
}
