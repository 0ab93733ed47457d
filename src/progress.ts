/**
 * How a long audit reports what it is doing, without knowing where it goes: the CLI
 * renders it on stderr (src/cli/progress.ts), the Action in its log, a library user
 * anywhere, or nowhere (silentProgress).
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
