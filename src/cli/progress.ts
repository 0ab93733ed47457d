/**
 * The terminal renderer of Progress: progress and logs go to stderr, machine output to
 * stdout. Quiet under --quiet; no colour when NO_COLOR is set or stderr is not a TTY.
 * Messages carry text from outside (AWS names and errors), so control and bidi
 * characters are escaped here.
 */
import type { Progress } from '../progress.js';
import { safeStderrText } from '../text-safety.js';
import { LiveCollection } from './live.js';

export function stderrProgress(
  options: { quiet?: boolean; debug?: boolean; stream?: NodeJS.WritableStream & { isTTY?: boolean }; now?: () => number } = {},
): Progress {
  const stream = options.stream ?? process.stderr;
  const live = new LiveCollection(stream, options.now);
  const write = (line: string) => {
    live.clear();
    stream.write(`${safeStderrText(line)}\n`);
  };
  return {
    step: (message) => {
      if (!options.quiet) write(`lbcheck: ${message}`);
    },
    warn: (message) => write(`lbcheck: warning: ${message}`),
    debug: (message) => {
      if (options.debug) write(`lbcheck: debug: ${message}`);
    },
    collection: (status) => {
      if (!options.quiet) live.update({ ...status, scope: safeStderrText(status.scope) });
    },
  };
}

/** The one-line `lbcheck: error: ...` a failed command ends with. */
export function writeErrorLine(message: string): void {
  process.stderr.write(`lbcheck: error: ${safeStderrText(message)}\n`);
}

export function colorEnabled(stream: NodeJS.WritableStream & { isTTY?: boolean }): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}
