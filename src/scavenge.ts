/**
 * The executables (the CLI and the Action, not the library) have V8 scavenge its young generation
 * on the main thread only. lbcheck waits on AWS far more than it computes, and where it does compute
 * (rules and reports over thousands of load balancers) what survives a scavenge is many small
 * objects: findings, their evidence, the inventory's indexes. On 2 cores (GitHub's hosted runners
 * have 2 to 4), for the rules over 10,000 load balancers, the parallel scavenger's helper threads
 * spent 110 to 350 ms of CPU for no shorter pause of the main thread (about 200 ms either way).
 * V8 reads the flag at every scavenge, so setting it at start-up takes effect (Node 20 and 24).
 * https://v8.dev/blog/orinoco-parallel-scavenger
 */
import { setFlagsFromString } from 'node:v8';

export function scavengeOnMainThread(): void {
  setFlagsFromString('--no-parallel-scavenge');
}
