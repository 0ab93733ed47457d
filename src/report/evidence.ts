import { plural } from '../words.js';

/** Evidence as a short human line: `key=value` pairs, nested values as compact JSON, cut at a width. */
function formatValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) return value.join(',');
  return JSON.stringify(value);
}

function truncate(text: string, maxLength: number): string {
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/** Pairs of what the evidence holds: an absent (undefined) field is left out, as JSON leaves it out. */
function evidencePairs(evidence: Record<string, unknown>): string[] {
  return Object.entries(evidence)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${formatValue(value)}`);
}

export function evidenceLine(evidence: Record<string, unknown>, maxLength: number): string {
  return truncate(evidencePairs(evidence).join(' '), maxLength);
}

/** Evidence wrapped at whole `key=value` pairs into at most `maxLines` lines of `width`; the last line is cut with an ellipsis. */
export function evidenceLines(evidence: Record<string, unknown>, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const pair of evidencePairs(evidence)) {
    if (current === '' || current.length + 1 + pair.length <= width || lines.length === maxLines - 1) {
      current = current === '' ? pair : `${current} ${pair}`;
      continue;
    }
    lines.push(truncate(current, width));
    current = pair;
  }
  if (current !== '') lines.push(truncate(current, width));
  return lines;
}

/** Severity counts as a phrase: `2 errors, 1 warning, 0 info`. */
export function countsPhrase(summary: { errors: number; warnings: number; infos: number }): string {
  return `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${summary.infos} info`;
}

/** The line a baselined report leads with: `2 new, 1 fixed`. */
export function baselinePhrase(baseline: { new: number; fixed: readonly unknown[] }): string {
  return `${baseline.new} new, ${baseline.fixed.length} fixed`;
}
