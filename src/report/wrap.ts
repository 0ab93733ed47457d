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

const SPACE = 0x20;
const NO_BREAK_SPACE_CODE = 0xa0;

/** The row `wrapOneColumnText` is building: `text.slice(start, end)`, its length its width. */
interface Row {
  start: number;
  end: number;
  /** wrap-ansi trims a row's start (no-break spaces too, as String#trimStart does) until it has content. */
  started: boolean;
}

/** Ends `row` (trailing spaces off, but not no-break spaces: wrap-ansi keeps those) and starts the next at `nextStart`. */
function endRow(text: string, row: Row, rows: string[], nextStart: number): void {
  let end = row.end;
  while (end > row.start && text.charCodeAt(end - 1) === SPACE) end--;
  rows.push(text.slice(row.start, end));
  row.start = row.end = nextStart;
  row.started = false;
}

/**
 * What `wrapAnsi(text, columns, { hard: true, trim: true }).split('\n')` returns, for `text` of
 * one column per character (ONE_COLUMN_PER_CHARACTER), without measuring every word and row
 * with string-width. The same greedy steps as wrap-ansi 10's `exec`, so the rows are the same
 * to the byte (test/unit/wrap.test.ts compares the two on generated text). Every row is a
 * stretch of `text` (words keep the spaces between them), so it is kept as two indexes and
 * sliced once, not built up word by word. (No closure per call: it runs for every paragraph.)
 */
export function wrapOneColumnText(text: string, columns: number): string[] {
  if (text.trim() === '') return [''];
  const rows: string[] = [];
  const row: Row = { start: 0, end: 0, started: false };
  for (let wordStart = 0; ; ) {
    const space = text.indexOf(' ', wordStart);
    const wordEnd = space === -1 ? text.length : space;
    const wordLength = wordEnd - wordStart;
    if (!row.started) {
      while (row.start < row.end && (text.charCodeAt(row.start) === SPACE || text.charCodeAt(row.start) === NO_BREAK_SPACE_CODE)) row.start++;
      row.started = row.end > row.start;
    }
    // The space before the word joins the row when the row has content; an empty row starts at the word.
    if (row.end > row.start) row.end = wordStart;
    else row.start = row.end = wordStart;
    if (wordLength > columns) {
      // A word longer than a line starts on the next one when that breaks it no more often.
      const breaksStartingThisRow = 1 + Math.floor((wordLength - (columns - (row.end - row.start)) - 1) / columns);
      const breaksStartingNextRow = Math.floor((wordLength - 1) / columns);
      if (breaksStartingNextRow < breaksStartingThisRow) endRow(text, row, rows, wordStart);
      while (row.end < wordEnd) {
        if (row.end - row.start >= columns) endRow(text, row, rows, row.end);
        row.end = Math.min(row.start + columns, wordEnd);
      }
    } else {
      if (row.end - row.start + wordLength > columns && row.end > row.start && wordLength > 0) endRow(text, row, rows, wordStart);
      row.end = wordEnd;
    }
    if (space === -1) break;
    wordStart = space + 1;
  }
  endRow(text, row, rows, text.length);
  return rows;
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
  const hasNoBreakSpace = text.includes(NO_BREAK_SPACE);
  const oneColumn = ONE_COLUMN_PER_CHARACTER.test(text);
  const rows = oneColumn ? wrapOneColumnText(text, room) : wrapAnsi(text, room, WRAP_OPTIONS).split('\n');
  // wrapOneColumnText ends no row with a space, and a no-break space only in text whose every line is trimmed: its rows need no test for trailing white space.
  for (let i = 0; i < rows.length; i++) rows[i] = hangingLine(i === 0 ? firstPrefix : restPrefix, rows[i] ?? '', hasNoBreakSpace, oneColumn);
  return rows;
}

const ENDS_IN_WHITE_SPACE = /\s$/;

/** A row after its prefix, no-break spaces printed as spaces, trailing white space off (trimmed only where there may be some: most rows have none). */
function hangingLine(prefix: string, row: string, hasNoBreakSpace: boolean, endsTrimmed: boolean): string {
  const line = `${prefix}${hasNoBreakSpace ? row.replaceAll(NO_BREAK_SPACE, ' ') : row}`;
  return row === '' || hasNoBreakSpace || (!endsTrimmed && ENDS_IN_WHITE_SPACE.test(row)) ? line.trimEnd() : line;
}

/** Joined by no-break spaces, so wrapping moves the phrase to the next line whole (hang prints them as plain spaces). */
export function unbroken(text: string): string {
  return text.replace(/ /g, NO_BREAK_SPACE);
}
