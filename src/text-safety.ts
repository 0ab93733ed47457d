/**
 * Text from outside (AWS names, tag values and error messages, snapshot strings, echoed
 * arguments) must never drive the terminal or reorder what a reader sees: an ESC sequence
 * can clear the screen or retitle the window, U+202E reverses the text after it, a CR
 * rewrites the line. Every such character is shown as a visible escape instead.
 *
 * This is the character level every output shares (stderr included); Markdown and HTML
 * add their own syntax escaping on top (src/report/escape.ts).
 */

/**
 * C0 controls (tab, CR and LF included: text from outside is one line where we print it),
 * DEL, C1 controls, the Unicode line/paragraph separators, and the bidi controls
 * (https://www.unicode.org/reports/tr9/#Directional_Formatting_Characters):
 * LRM/RLM, ALM, LRE/RLE/PDF/LRO/RLO and LRI/RLI/FSI/PDI.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const SHORT_ESCAPE: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function visibleEscape(character: string): string {
  const short = SHORT_ESCAPE[character];
  if (short !== undefined) return short;
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control and bidi character written as `\x1b`, `\u202e`, `\n`. Idempotent
 * (the escapes are printable), so text escaped once may pass through another writer that
 * escapes again.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(UNSAFE_CHARACTER, visibleEscape);
}
