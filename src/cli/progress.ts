/**
 * Progress and logs go to stderr, machine output to stdout. Quiet under --quiet;
 * no colour when NO_COLOR is set or stderr is not a TTY.
 */
export interface Progress {
  /** A step of a long scan ("us-east-1: 12 load balancers"). */
  step(message: string): void;
  /** Something the user should know that is not a finding (a skipped region, a retry). */
  warn(message: string): void;
  /** Only with --debug. */
  debug(message: string): void;
}

export const silentProgress: Progress = { step: () => {}, warn: () => {}, debug: () => {} };

export function stderrProgress(options: { quiet?: boolean; debug?: boolean; stream?: NodeJS.WritableStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const write = (line: string) => stream.write(`${line}\n`);
  return {
    step: (message) => {
      if (!options.quiet) write(`lbcheck: ${message}`);
    },
    warn: (message) => write(`lbcheck: warning: ${message}`),
    debug: (message) => {
      if (options.debug) write(`lbcheck: debug: ${message}`);
    },
  };
}

export function colorEnabled(stream: NodeJS.WritableStream & { isTTY?: boolean }): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}
