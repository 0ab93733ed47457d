/**
 * A keep-alive wait longer than Node's timers hold (2^31-1 ms), as a hostile or broken
 * snapshot's idle timeout gives: no TimeoutOverflowWarning on stderr, and the wait is not
 * cut to 1 ms (which would read as "kept the connection open for the whole wait").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureKeepAlive } from '../../src/probe/keepalive.js';
import { closeAll, sharedFreePort, startKeepAliveServer, type Closable } from '../support/net-servers.js';

const SERVER = '127.0.4.21';
let port: number;
const servers: Closable[] = [];

beforeAll(async () => {
  port = await sharedFreePort([SERVER]);
  servers.push(await startKeepAliveServer(SERVER, port, 500));
});

afterAll(async () => {
  await closeAll(servers);
});

describe('a wait longer than a timer holds', () => {
  it('waits for the real close and prints no TimeoutOverflowWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const measurement = await measureKeepAlive({ ip: SERVER, port, timeoutMs: 1e12, capMs: (4000 + 5) * 1e9 });
      expect(measurement.openAtLeastMs).toBeUndefined();
      expect(measurement.closedAfterMs).toBeGreaterThanOrEqual(300);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });
});
