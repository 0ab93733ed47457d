/**
 * Errors a user can act on: bad flags, bad input files, nothing could be checked.
 * The CLI prints `lbcheck: error: <message>` on one line and exits 2; `--debug` adds the stack.
 */
export class LbcheckError extends Error {
  readonly exitCode = 2;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LbcheckError';
  }
}

/** The first line of any thrown value, for one-line messages. */
export function errorLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

/**
 * The reason a deadline ends an AWS call with (a call's own deadline, or the audit's --max-time):
 * names the deadline, for the one error line. A signal aborted with one ends the calls in flight.
 */
export class CallDeadlineError extends Error {
  override name = 'CallDeadlineError';
}

/** What calls and collections cut short by --max-time say in notChecked. */
export const MAX_TIME_REASON = '--max-time reached';
