/**
 * The live line of a long collection: per scope, AWS calls done of those planned and the
 * time left. Shown only once a collection has run for a second; on a terminal one line
 * redrawn in place (at most 10 times a second), elsewhere (a CI log, a file) a plain line
 * per scope at most every 5 seconds. Nothing under --quiet.
 */
import type { CollectionStatus } from '../progress.js';

const SHOW_AFTER_MS = 1000;
const REDRAW_EVERY_MS = 100;
const PLAIN_EVERY_MS = 5000;

export interface LiveStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** "us-east-1: 120/355 calls, about 24 s left" */
export function statusText(status: CollectionStatus): string {
  const left = status.finished ? 'done' : status.secondsLeft === undefined ? undefined : `about ${Math.max(1, Math.round(status.secondsLeft))} s left`;
  return `${status.scope}: ${status.done}/${status.planned} calls${left ? `, ${left}` : ''}`;
}

export class LiveCollection {
  private readonly statuses = new Map<string, CollectionStatus>();
  private readonly lastPlain = new Map<string, number>();
  private started: number | undefined;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly stream: LiveStream,
    private readonly now: () => number = () => performance.now(),
  ) {}

  update(status: CollectionStatus): void {
    const now = this.now();
    this.started ??= now;
    this.statuses.set(status.scope, status);
    if (now - this.started < SHOW_AFTER_MS) return;
    if (this.stream.isTTY) this.redraw(now);
    else this.plain(status, now);
  }

  /** Before another line goes to the stream: take the live line away (it comes back with the next update). */
  clear(): void {
    if (!this.drawn) return;
    this.stream.write('\r\x1b[K');
    this.drawn = false;
  }

  private redraw(now: number): void {
    const running = [...this.statuses.values()].filter((s) => !s.finished);
    if (running.length === 0) {
      this.clear();
      return;
    }
    if (now - this.lastDraw < REDRAW_EVERY_MS) return;
    this.lastDraw = now;
    this.stream.write(`\r\x1b[Klbcheck: collecting ${running.map(statusText).join('; ')}`);
    this.drawn = true;
  }

  private plain(status: CollectionStatus, now: number): void {
    if (status.finished) return; // the scope's summary line follows
    const last = this.lastPlain.get(status.scope);
    if (last !== undefined && now - last < PLAIN_EVERY_MS) return;
    this.lastPlain.set(status.scope, now);
    this.stream.write(`lbcheck: collecting ${statusText(status)}\n`);
  }
}
