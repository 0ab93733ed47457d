/**
 * Escaping for each report format, on top of the character level every output shares
 * (src/text-safety.ts: control and bidi characters shown as `\x1b`, `\u202e`).
 *
 * - text (terminal):  escapeControlCharacters
 * - SARIF:            escapeControlCharacters on each message text (GitHub shows it as text)
 * - Markdown:         escapeMarkdown for inline text and table cells, markdownCode for code spans
 * - HTML:             escapeHtml for element text and quoted attribute values
 *
 * Apply each once, where a string from outside (AWS, a snapshot, a config or baseline
 * file, an argument) is put into the output; text the reporter writes itself is not escaped.
 */
import { escapeControlCharacters } from '../text-safety.js';

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function htmlEntity(character: string): string {
  return HTML_ENTITIES[character] ?? character;
}

/** Text safe as HTML element content and as a quoted attribute value. */
export function escapeHtml(text: string): string {
  return escapeControlCharacters(text).replace(/[&<>"']/g, htmlEntity);
}

/**
 * ASCII punctuation that starts inline Markdown anywhere in a line: backslash, code, emphasis,
 * links and images, table pipes, strikethrough. A backslash before any ASCII punctuation is
 * a literal (https://spec.commonmark.org/0.31.2/#backslash-escapes; GFM tables honour `\|`).
 */
const MARKDOWN_INLINE_SYNTAX = /[\\`*_[\]()!|~]/g;

/**
 * Inline Markdown text, safe in a paragraph, a list item, a heading and a table cell:
 * nothing in it becomes a link, an image, HTML, emphasis, code, a cell break, a heading,
 * a list or quote, or a GitHub @mention (which would notify that user or team).
 */
export function escapeMarkdown(text: string): string {
  return (
    escapeControlCharacters(text)
      // Entities first: a literal `&#8238;` would otherwise render as U+202E.
      .replace(/[&<>]/g, htmlEntity)
      .replace(MARKDOWN_INLINE_SYNTAX, '\\$&')
      // Block syntax counts only at the start of a line (and of a list item's text).
      .replace(/^(\s*)([#+=-])/, '$1\\$2')
      .replace(/^(\s*\d{1,9})\.(?=\s|$)/, '$1\\.')
      // A zero-width space after @ keeps the name readable and stops GitHub from pinging it.
      .replace(/@(?=[\w-])/g, '@&#8203;')
  );
}

/**
 * An inline code span of `text` that is safe in a table cell: its fence is longer than any
 * backtick run inside (https://spec.commonmark.org/0.31.2/#code-spans), and pipes are `\|`,
 * which GFM turns back into `|` inside a table cell.
 */
export function markdownCode(text: string): string {
  const content = escapeControlCharacters(text).replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // A span that starts or ends with a backtick (or is empty) needs a space inside its fence; one space each side is stripped again.
  const padding = content === '' || content.startsWith('`') || content.endsWith('`') ? ' ' : '';
  return `${fence}${padding}${content}${padding}${fence}`;
}
