/**
 * Node's timers hold at most 2^31-1 ms (about 24.8 days); a longer delay prints a
 * TimeoutOverflowWarning on stderr and fires after 1 ms instead. Delays that come from
 * data (an LB idle timeout of 4,000 s is fine, one read from a hostile snapshot may be
 * 1e12) go through timerDelay.
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** `ms` as a delay Node's timers honour: clamped to 0..MAX_TIMER_DELAY_MS (NaN counts as the maximum: never early). */
export function timerDelay(ms: number): number {
  if (Number.isNaN(ms)) return MAX_TIMER_DELAY_MS;
  return Math.min(Math.max(ms, 0), MAX_TIMER_DELAY_MS);
}
