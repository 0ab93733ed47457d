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

/**
 * What `wrapAnsi(text, columns, { hard: true, trim: true }).split('\n')` returns, for `text` of
 * one column per character (ONE_COLUMN_PER_CHARACTER), without measuring every word and row
 * with string-width. The same greedy steps as wrap-ansi 10's `exec`, so the rows are the same
 * to the byte (test/unit/wrap.test.ts compares the two on generated text). Every row is a
 * stretch of `text` (words keep the spaces between them), so it is kept as two indexes and
 * sliced once, not built up word by word.
 */
export function wrapOneColumnText(text: string, columns: number): string[] {
  if (text.trim() === '') return [''];
  const rows: string[] = [];
  // The current row is text.slice(rowStart, rowEnd); its length is its width.
  let rowStart = 0;
  let rowEnd = 0;
  // wrap-ansi trims a row's start (no-break spaces too, as String#trimStart does) until it has content.
  let rowStarted = false;
  const newRow = (nextStart: number) => {
    // Trailing spaces off, but not no-break spaces: wrap-ansi keeps those.
    let end = rowEnd;
    while (end > rowStart && text.charCodeAt(end - 1) === SPACE) end--;
    rows.push(text.slice(rowStart, end));
    rowStart = rowEnd = nextStart;
    rowStarted = false;
  };
  for (let wordStart = 0; ; ) {
    const space = text.indexOf(' ', wordStart);
    const wordEnd = space === -1 ? text.length : space;
    const wordLength = wordEnd - wordStart;
    if (!rowStarted) {
      while (rowStart < rowEnd && (text.charCodeAt(rowStart) === SPACE || text.charCodeAt(rowStart) === NO_BREAK_SPACE_CODE)) rowStart++;
      rowStarted = rowEnd > rowStart;
    }
    // The space before the word joins the row when the row has content; an empty row starts at the word.
    if (rowEnd > rowStart) rowEnd = wordStart;
    else rowStart = rowEnd = wordStart;
    if (wordLength > columns) {
      // A word longer than a line starts on the next one when that breaks it no more often.
      const breaksStartingThisRow = 1 + Math.floor((wordLength - (columns - (rowEnd - rowStart)) - 1) / columns);
      const breaksStartingNextRow = Math.floor((wordLength - 1) / columns);
      if (breaksStartingNextRow < breaksStartingThisRow) newRow(wordStart);
      while (rowEnd < wordEnd) {
        if (rowEnd - rowStart >= columns) newRow(rowEnd);
        rowEnd = Math.min(rowStart + columns, wordEnd);
      }
    } else {
      if (rowEnd - rowStart + wordLength > columns && rowEnd > rowStart && wordLength > 0) newRow(wordStart);
      rowEnd = wordEnd;
    }
    if (space === -1) break;
    wordStart = space + 1;
  }
  newRow(text.length);
  return rows;
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
