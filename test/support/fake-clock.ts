/** A fake clock for the request buckets (src/aws/limiter.ts Clock): time moves only when a test says so. */
import type { Clock } from '../../src/aws/limiter.js';

/** A clock that moves only when told to, firing due timers in time order. */
export class FakeClock implements Clock {
  private time = 0;
  private timers: { at: number; callback: () => void }[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): void {
    this.timers.push({ at: this.time + ms, callback });
  }

  /** Moves time forward by `ms`, running every timer that falls due (and letting the promises they resolve settle). */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.time = next.at;
      next.callback();
      await settle();
    }
    this.time = end;
    await settle();
  }
}

export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
