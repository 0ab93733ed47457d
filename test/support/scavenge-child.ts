/**
 * Run by test/unit/scavenge.test.ts under `node --trace-gc-nvp`: allocates enough that V8 scavenges
 * some thirty times while a third of what it allocates survives, after a full collection that marks
 * the start in the trace, with scavengeOnMainThread called first when argv[2] is `main-thread`.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { scavengeOnMainThread } from '../../src/scavenge.js';

if (process.argv[2] === 'main-thread') scavengeOnMainThread();
// A full collection marks in the trace where this process starts (the loader's own scavenges come before it).
setFlagsFromString('--expose-gc');
(runInNewContext('gc') as () => void)();
const kept: { i: number; s: string }[] = [];
for (let i = 0; i < 3_000_000; i++) {
  const item = { i, s: `item ${i}` };
  if (i % 3 === 0) kept.push(item);
}
process.stdout.write(`kept ${kept.length}\n`);
