/**
 * `lbcheck probe` under a low open-file limit (`ulimit -n 128`) with more addresses than
 * descriptors: the pool shrinks to what the limit leaves, so every address still gets a
 * real outcome, and running out of descriptors is never reported as an address being
 * `unreachable`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, sharedFreePort, startHangingListeners, type Closable } from '../support/net-servers.js';
import { runCli } from './cli-support.js';

const ADDRESSES = Array.from({ length: 300 }, (_, i) => `127.0.${5 + Math.floor(i / 200)}.${(i % 200) + 1}`);
const OPEN_FILE_LIMIT = 128;
let port: number;
const servers: Closable[] = [];

beforeAll(async () => {
  port = await sharedFreePort(ADDRESSES.slice(0, 5));
  // Connects that hang hold their descriptor for the whole timeout: the worst case for the pool.
  servers.push(await startHangingListeners(ADDRESSES, port));
}, 60_000);

afterAll(async () => {
  await closeAll(servers);
});

describe('probe under a low open-file limit', () => {
  it('gives every address a real outcome and never calls a local EMFILE unreachable', async () => {
    const result = await runCli(['probe', ...ADDRESSES, '--port', String(port), '--attempts', '1', '--timeout', '300', '--format', 'json'], { openFileLimit: OPEN_FILE_LIMIT });
    const report = JSON.parse(result.stdout) as { targets: { addresses: { ip: string; attempts: { outcome: string; error?: string }[] }[] }[]; notChecked?: unknown[] };
    const attempts = report.targets.flatMap((target) => target.addresses.flatMap((address) => address.attempts));
    expect(attempts.filter((attempt) => /EMFILE|ENFILE/.test(attempt.error ?? ''))).toEqual([]);
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(Array(ADDRESSES.length).fill('timeout'));
    expect(report.notChecked).toBeUndefined();
    // Progress says why the probe takes more than one timeout.
    expect(result.stderr).toMatch(new RegExp(`the open-file limit \\(${OPEN_FILE_LIMIT}\\) leaves \\d+ sockets: up to \\d+ timeouts`));
    expect(result.code).toBe(1);
  }, 60_000);
});
