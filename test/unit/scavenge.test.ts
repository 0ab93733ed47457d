/**
 * The executables scavenge on the main thread (src/scavenge.ts): the flag set at start-up must
 * reach V8's scavenges on the Node that runs it, which --trace-gc-nvp shows per scavenge as the
 * time its helper threads worked (`background.scavenge.parallel`).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** The helper threads' ms of every scavenge of a child that allocates, with or without scavengeOnMainThread. */
function helperThreadMs(mode: 'main-thread' | 'default'): number[] {
  const out = execFileSync(process.execPath, ['--trace-gc-nvp', '--import', 'tsx', join(ROOT, 'test', 'support', 'scavenge-child.ts'), mode], { cwd: ROOT, encoding: 'utf8' });
  expect(out).toContain('kept 1000000');
  const lines = out.split('\n');
  // From the child's full collection on: before it, the loader ran (tsx, with the default scavenger).
  const start = lines.findIndex((line) => / gc=m[cs] /.test(line));
  expect(start).toBeGreaterThanOrEqual(0);
  return lines
    .slice(start)
    .filter((line) => line.includes(' gc=s '))
    .map((line) => Number(/ background\.scavenge\.parallel=([\d.]+)/.exec(line)?.[1]));
}

describe('scavengeOnMainThread', () => {
  it('leaves every scavenge to the main thread, where by default the helper threads take part', () => {
    const mainThread = helperThreadMs('main-thread');
    expect(mainThread.length).toBeGreaterThan(10);
    expect(mainThread.every((ms) => ms === 0)).toBe(true);
    const byDefault = helperThreadMs('default');
    expect(byDefault.some((ms) => ms > 0)).toBe(true);
  }, 60_000);
});
