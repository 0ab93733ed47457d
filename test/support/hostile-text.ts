/** Text an attacker can put into an LB name, a tag, an AWS error message or a snapshot, and what must never reach an output raw. */

/** Clears the screen and retitles the terminal window. */
export const CLEAR_AND_RETITLE = '\u001b[2J\u001b]0;pwned\u0007';
/** Reads as "invoiceexe.jpg": U+202E reverses what follows. */
export const RIGHT_TO_LEFT_OVERRIDE = 'invoice\u202Egpj.exe';

/**
 * A raw control or bidi character (LF aside: outputs have lines). Written out here rather
 * than imported from src/text-safety.ts, so the tests do not trust the code they test.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const RAW_CONTROL_OR_BIDI = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** `text` without the SGR colour codes lbcheck itself writes (hostile ones such as ESC[2J stay, to be caught). */
export function withoutOwnColours(text: string): string {
  return [0, 1, 2, 31, 32, 33, 36].reduce((rest, code) => rest.replaceAll(`\u001b[${code}m`, ''), text);
}
