/**
 * Live progress of a long collection on stderr: nothing for the first second, then on a
 * terminal one line redrawn in place (cleared before any other line and when every scope is
 * done), elsewhere plain lines at most every 5 s per scope; nothing at all under --quiet.
 */
import { describe, expect, it } from 'vitest';
import { stderrProgress } from '../../src/cli/progress.js';
import type { CollectionStatus } from '../../src/progress.js';

function fakeStderr(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: Object.assign({ write: (text: string) => chunks.push(text) > 0 }, { isTTY }) as unknown as NodeJS.WritableStream & { isTTY: boolean } };
}

const status = (done: number, overrides: Partial<CollectionStatus> = {}): CollectionStatus => ({
  scope: 'us-east-1 (123456789012)',
  done,
  planned: 355,
  secondsLeft: (355 - done) / 9.5,
  finished: false,
  ...overrides,
});

describe('live collection progress', () => {
  it('says nothing for a collection shorter than a second', () => {
    let now = 0;
    const { chunks, stream } = fakeStderr(false);
    const progress = stderrProgress({ stream, now: () => now });
    progress.collection?.(status(1));
    now = 900;
    progress.collection?.(status(300));
    progress.collection?.(status(355, { finished: true }));
    expect(chunks).toEqual([]);
  });

  it('writes plain lines, at most one per scope every 5 s, when stderr is not a terminal', () => {
    let now = 0;
    const { chunks, stream } = fakeStderr(false);
    const progress = stderrProgress({ stream, now: () => now });
    progress.collection?.(status(1));
    now = 1000;
    progress.collection?.(status(40));
    now = 3000;
    progress.collection?.(status(60));
    now = 6000;
    progress.collection?.(status(90));
    expect(chunks).toEqual([
      'lbcheck: collecting us-east-1 (123456789012): 40/355 calls, about 33 s left\n',
      'lbcheck: collecting us-east-1 (123456789012): 90/355 calls, about 28 s left\n',
    ]);
  });

  it('redraws one line in place on a terminal, clears it before another line, and when every scope is done', () => {
    let now = 0;
    const { chunks, stream } = fakeStderr(true);
    const progress = stderrProgress({ stream, now: () => now });
    progress.collection?.(status(1));
    now = 1000;
    progress.collection?.(status(40));
    progress.collection?.(status(41, { scope: 'eu-west-1 (123456789012)', planned: 50, secondsLeft: undefined }));
    now = 1200;
    progress.collection?.(status(41, { scope: 'eu-west-1 (123456789012)', planned: 50, secondsLeft: undefined }));
    progress.step('eu-west-1 (123456789012): 3 load balancers');
    now = 1400;
    progress.collection?.(status(355, { finished: true }));
    progress.collection?.(status(50, { scope: 'eu-west-1 (123456789012)', planned: 50, finished: true }));
    expect(chunks).toEqual([
      '\r\x1b[Klbcheck: collecting us-east-1 (123456789012): 40/355 calls, about 33 s left',
      // the second scope's first update came within 100 ms of the last redraw: drawn with the next one
      '\r\x1b[Klbcheck: collecting us-east-1 (123456789012): 40/355 calls, about 33 s left; eu-west-1 (123456789012): 41/50 calls',
      '\r\x1b[K',
      'lbcheck: eu-west-1 (123456789012): 3 load balancers\n',
      '\r\x1b[Klbcheck: collecting eu-west-1 (123456789012): 41/50 calls',
      '\r\x1b[K',
    ]);
  });

  it('shows nothing under --quiet', () => {
    let now = 0;
    const { chunks, stream } = fakeStderr(true);
    const progress = stderrProgress({ stream, quiet: true, now: () => now });
    progress.collection?.(status(1));
    now = 5000;
    progress.collection?.(status(200));
    expect(chunks).toEqual([]);
  });
});
