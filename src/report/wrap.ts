/** Wrapping for the terminal: display width from string-width, wrapping from wrap-ansi (colour codes take no columns). */
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

const NO_BREAK_SPACE = '\u00a0';

/** The narrowest a wrapped column gets, however deep the indent. */
const MIN_ROOM = 25;

/**
 * `text` wrapped to `width`, every line indented by `indent`, the first line starting
 * with `label` and the others aligned under the text after it (a hanging indent).
 * Words longer than a line (ARNs) are broken, so no line runs past the width.
 */
export function hang(text: string, options: { indent: number; label?: string; width: number; hanging?: number }): string[] {
  const label = options.label ?? '';
  const labelWidth = stringWidth(label);
  const rest = Math.max(labelWidth, options.hanging ?? 0);
  const room = Math.max(MIN_ROOM, options.width - options.indent - rest);
  const pad = ' '.repeat(options.indent);
  return wrapAnsi(text, room, { hard: true, trim: true })
    .replaceAll(NO_BREAK_SPACE, ' ')
    .split('\n')
    .map((line, i) => `${pad}${i === 0 ? label : ' '.repeat(rest)}${line}`.trimEnd());
}


/** Joined by no-break spaces, so wrapping moves the phrase to the next line whole (hang prints them as plain spaces). */
export function unbroken(text: string): string {
  return text.replace(/ /g, NO_BREAK_SPACE);
}
