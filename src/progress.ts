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
  /** Where the collection of one scope stands, on every change (a renderer shows it, or not). */
  collection?(status: CollectionStatus): void;
}

/** One (account, region) scope being collected: AWS calls done of those asked for so far, and the time left. */
export interface CollectionStatus {
  /** "us-east-1 (123456789012)". */
  scope: string;
  done: number;
  planned: number;
  /** At the rate AWS allows now (the request buckets being waited on), else at the rate calls have been answered. */
  secondsLeft?: number;
  finished: boolean;
}

export const silentProgress: Progress = { step: () => {}, warn: () => {}, debug: () => {} };
