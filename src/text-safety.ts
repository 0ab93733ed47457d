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
// Every one is a single UTF-16 unit, so no `u` flag (it makes the scan slower).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same class without `g` (a stateless test): most text has none, and is returned as it is. */
const HAS_UNSAFE_CHARACTER = new RegExp(UNSAFE_CHARACTER.source);

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
  return HAS_UNSAFE_CHARACTER.test(text) ? text.replace(UNSAFE_CHARACTER, visibleEscape) : text;
}

/**
 * A URL in running text: scheme, authority (userinfo included), path, query; it ends at space, quote, angle
 * bracket or fragment. One slash after the scheme counts too: a URL given where a file path was expected
 * comes back in Node's error normalised to `https:/user:pass@host/...`.
 */
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/?)([^\s/?#"'<>]*)([^\s?#"'<>]*)(\?[^\s#"'<>]*)?/giu;

/** `?X-Amz-Signature=***&X-Amz-Credential=***`: the names stay (they say what the URL was), every value goes. */
function redactedQuery(query: string): string {
  const parameters = query.slice(1).split('&').map((parameter) => {
    const equals = parameter.indexOf('=');
    return equals === -1 ? parameter : `${parameter.slice(0, equals)}=***`;
  });
  return `?${parameters.join('&')}`;
}

/**
 * `text` with the credentials of every URL in it redacted: `user:pass@` userinfo becomes `***@`,
 * query values (a presigned URL's X-Amz-Signature, X-Amz-Credential, tokens) become `***`. For every
 * URL lbcheck echoes (an endpoint, an AWS error message, a flag value): stderr and reports are logged
 * and shared, credentials must not travel with them.
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_IN_TEXT, (_match, scheme: string, authority: string, path: string, query: string | undefined) => {
    const at = authority.lastIndexOf('@');
    const host = at === -1 ? authority : `***@${authority.slice(at + 1)}`;
    return `${scheme}${host}${path}${query === undefined ? '' : redactedQuery(query)}`;
  });
}

/** A line for stderr made of text from outside: URL credentials redacted, control and bidi characters escaped. */
export function safeStderrText(text: string): string {
  return escapeControlCharacters(redactUrlCredentials(text));
}
