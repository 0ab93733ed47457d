/**
 * A hostile peer gets a bounded share of the probe: its response head is cut at the
 * limits of src/probe/http-head.ts, and a healthy address probed at the same time still
 * answers within the timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeAttempt } from '../../src/probe/connect.js';
import { MAX_HEAD_BYTES } from '../../src/probe/http-head.js';
import { measureKeepAlive } from '../../src/probe/keepalive.js';
import { probeTargets } from '../../src/probe/probe.js';
import { closeAll, sharedFreePort, startHostileHttpServer, startHttpServer, type Closable } from '../support/net-servers.js';

const HEALTHY = '127.0.4.1';
const MANY_HEADERS = '127.0.4.2';
const ENDLESS_HEAD = '127.0.4.3';
const INTERIM_FLOOD = '127.0.4.4';
const INTERIM_THEN_OK = '127.0.4.5';
const TIMEOUT_MS = 1000;
let port: number;
const servers: Closable[] = [];

beforeAll(async () => {
  port = await sharedFreePort([HEALTHY, MANY_HEADERS, ENDLESS_HEAD, INTERIM_FLOOD, INTERIM_THEN_OK]);
  servers.push(await startHttpServer(HEALTHY, port));
  servers.push(await startHostileHttpServer(MANY_HEADERS, port, 'many-headers'));
  servers.push(await startHostileHttpServer(ENDLESS_HEAD, port, 'endless-head'));
  servers.push(await startHostileHttpServer(INTERIM_FLOOD, port, 'interim-flood'));
  servers.push(await startHostileHttpServer(INTERIM_THEN_OK, port, 'two-interim-then-ok'));
});

afterAll(async () => {
  await closeAll(servers);
});

describe('a hostile HTTP peer', () => {
  it('cannot stall a healthy address probed at the same time: 10,000 headers are cut at the head limit', async () => {
    const report = await probeTargets(
      [MANY_HEADERS, HEALTHY].map((ip) => ({ host: ip, port, protocol: 'http' as const })),
      { timeoutMs: TIMEOUT_MS, attempts: 3 },
    );
    const [hostile, healthy] = report.targets.map((target) => target.addresses[0]?.attempts);
    expect(healthy?.map((attempt) => [attempt.outcome, attempt.status])).toEqual(Array(3).fill(['ok', 200]));
    expect(hostile?.map((attempt) => [attempt.outcome, attempt.error])).toEqual(Array(3).fill(['http-error', `HEAD_TOO_LARGE: response head over ${MAX_HEAD_BYTES} bytes`]));
  });

  it('is cut at the head limit when its head never ends, and when it floods interim 1xx responses', async () => {
    const endless = await probeAttempt({ ip: ENDLESS_HEAD, port, host: ENDLESS_HEAD, protocol: 'http', timeoutMs: 5000 });
    expect(endless).toMatchObject({ outcome: 'http-error', error: `HEAD_TOO_LARGE: response head over ${MAX_HEAD_BYTES} bytes` });
    const flood = await probeAttempt({ ip: INTERIM_FLOOD, port, host: INTERIM_FLOOD, protocol: 'http', timeoutMs: 5000 });
    expect(flood).toMatchObject({ outcome: 'http-error', error: 'TOO_MANY_INTERIM_RESPONSES: over 10 interim (1xx) responses' });
  });

  it('reads the final status after a few interim responses', async () => {
    const attempt = await probeAttempt({ ip: INTERIM_THEN_OK, port, host: INTERIM_THEN_OK, protocol: 'http', timeoutMs: TIMEOUT_MS });
    expect(attempt).toMatchObject({ outcome: 'ok', status: 204 });
  });

  it('cannot make the keep-alive measurement buffer an endless head', async () => {
    const measurement = await measureKeepAlive({ ip: ENDLESS_HEAD, port, timeoutMs: 5000, capMs: 1000 });
    expect(measurement).toEqual({ ip: ENDLESS_HEAD, port, error: `response head over ${MAX_HEAD_BYTES} bytes` });
  });
});
