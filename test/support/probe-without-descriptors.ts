/**
 * Run by test/probe/descriptors.test.ts in a child process under a low `ulimit -n`:
 * start probing argv[2]:argv[3], then (before the probe's first attempt) open /dev/null
 * until the process has no descriptor left, and print the report as JSON. Nothing can be attempted, so nothing may be reported
 * as an outcome of the address.
 */
import { openSync } from 'node:fs';
import { probeTargets } from '../../src/probe/probe.js';

const [ip = '127.0.0.1', port = '9'] = process.argv.slice(2);
const probing = probeTargets([{ host: ip, port: Number(port), protocol: 'tcp', scope: { account: '123456789012', region: 'us-east-1' } }], { timeoutMs: 500, attempts: 2 });
const held: number[] = [];
/** Take every free descriptor (EMFILE ends it). */
function exhaust(): void {
  try {
    for (;;) held.push(openSync('/dev/null', 'r'));
  } catch {
    // EMFILE: every descriptor is taken.
  }
}
exhaust();
// Whatever the runtime closes while the probe runs (a loader's cache file) is taken again at
// once, so no attempt can get it: the test is about a process with no descriptor left.
let done = false;
const keepExhausted = (): void => {
  exhaust();
  if (!done) setImmediate(keepExhausted);
};
setImmediate(keepExhausted);
const report = await probing;
done = true;
process.stdout.write(JSON.stringify(report));
