/** Wrapping for the terminal: display width from string-width, wrapping from wrap-ansi (colour codes take no columns). */
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

const NO_BREAK_SPACE = '\u00a0';

/** The narrowest a wrapped column gets, however deep the indent. */
const MIN_ROOM = 25;

const WRAP_OPTIONS = { hard: true, trim: true } as const;

/**
 * Printable ASCII and no-break spaces: one column per character, no escape codes, no tabs or
 * line breaks, nothing Unicode normalisation changes. Almost every line a report prints is this.
 */
const ONE_COLUMN_PER_CHARACTER = /^[ -~\u00a0]*$/;

/** Columns `text` takes on a terminal. */
export function displayWidth(text: string): number {
  return ONE_COLUMN_PER_CHARACTER.test(text) ? text.length : stringWidth(text);
}

/** Trailing U+0020 spaces off (not no-break spaces: wrap-ansi keeps those). */
function trimSpacesRight(row: string): string {
  let end = row.length;
  while (end > 0 && row.charCodeAt(end - 1) === 32) end--;
  return end === row.length ? row : row.slice(0, end);
}

/**
 * What `wrapAnsi(text, columns, { hard: true, trim: true }).split('\n')` returns, for `text` of
 * one column per character (ONE_COLUMN_PER_CHARACTER), without measuring every word and row
 * with string-width. The same greedy steps as wrap-ansi 10's `exec`, so the rows are the same
 * to the byte (test/unit/wrap.test.ts compares the two on generated text).
 */
export function wrapOneColumnText(text: string, columns: number): string[] {
  if (text.trim() === '') return [''];
  const rows: string[] = [];
  let row = '';
  // wrap-ansi trims a row's start (no-break spaces too, as String#trimStart does) until it has content.
  let rowStarted = false;
  const newRow = () => {
    rows.push(row);
    row = '';
    rowStarted = false;
  };
  const words = text.split(' ');
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (!rowStarted) {
      row = row.trimStart();
      rowStarted = row.length > 0;
    }
    if (i > 0 && row.length > 0) row += ' ';
    if (word.length > columns) {
      // A word longer than a line starts on the next one when that breaks it no more often.
      const breaksStartingThisRow = 1 + Math.floor((word.length - (columns - row.length) - 1) / columns);
      const breaksStartingNextRow = Math.floor((word.length - 1) / columns);
      if (breaksStartingNextRow < breaksStartingThisRow) newRow();
      for (let start = 0; start < word.length; ) {
        if (row.length >= columns) newRow();
        const take = Math.min(columns - row.length, word.length - start);
        row += word.slice(start, start + take);
        start += take;
      }
      continue;
    }
    if (row.length + word.length > columns && row.length > 0 && word.length > 0) newRow();
    row += word;
  }
  rows.push(row);
  return rows.map(trimSpacesRight);
}

function wrapRows(text: string, columns: number): string[] {
  return ONE_COLUMN_PER_CHARACTER.test(text) ? wrapOneColumnText(text, columns) : wrapAnsi(text, columns, WRAP_OPTIONS).split('\n');
}

/**
 * `text` wrapped to `width`, every line indented by `indent`, the first line starting
 * with `label` and the others aligned under the text after it (a hanging indent).
 * Words longer than a line (ARNs) are broken, so no line runs past the width.
 */
export function hang(text: string, options: { indent: number; label?: string; width: number; hanging?: number }): string[] {
  const label = options.label ?? '';
  const rest = Math.max(displayWidth(label), options.hanging ?? 0);
  const room = Math.max(MIN_ROOM, options.width - options.indent - rest);
  const pad = ' '.repeat(options.indent);
  const firstPrefix = `${pad}${label}`;
  const restPrefix = `${pad}${' '.repeat(rest)}`;
  return wrapRows(text, room).map((line, i) => `${i === 0 ? firstPrefix : restPrefix}${line.replaceAll(NO_BREAK_SPACE, ' ')}`.trimEnd());
}

/** Joined by no-break spaces, so wrapping moves the phrase to the next line whole (hang prints them as plain spaces). */
export function unbroken(text: string): string {
  return text.replace(/ /g, NO_BREAK_SPACE);
}
