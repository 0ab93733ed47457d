/**
 * Durations a user writes (--max-time, the Action's max-time input): a whole number with a unit,
 * 90s, 15m, 1h, 500ms. A bare number is refused: seconds or milliseconds would both be a guess.
 */
export interface Duration {
  /** As the user wrote it, for messages. */
  text: string;
  ms: number;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
/** A day: more than any audit needs, and far below setTimeout's limit (2^31 - 1 ms), past which Node fires at once. */
const MAX_DURATION_MS = 24 * 3_600_000;

/** What a duration must look like, for the one-line error of each front end. */
export const DURATION_FORMAT = 'a whole number with a unit (ms, s, m or h) from 1ms to 24h, e.g. 90s, 15m or 1h';

/** The duration `text` says, or undefined when it is not one (see DURATION_FORMAT). */
export function parseDuration(text: string): Duration | undefined {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text);
  const ms = match ? Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN) : Number.NaN;
  return Number.isSafeInteger(ms) && ms >= 1 && ms <= MAX_DURATION_MS ? { text, ms } : undefined;
}
