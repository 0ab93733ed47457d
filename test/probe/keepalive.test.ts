/** Keep-alive measurement against real HTTP servers on loopback. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepAliveDeclaration, measureInventoryKeepalive, measureKeepAlive } from '../../src/probe/keepalive.js';
import { inventoryOf } from '../support/engine-fixtures.js';
import { alb, forward, REGION, scopeOf, target, targetGroup } from '../support/fixtures.js';
import { closeAll, sharedFreePort, startHttpServer, startKeepAliveServer, startResettingServer, type Closable } from '../support/net-servers.js';

const SHORT = '127.0.3.1'; // keeps idle connections 1 s, like a backend that closes long before the LB does
const LONG = '127.0.3.2'; // node:http with keepAliveTimeout 30 s
const NOTHING = '127.0.3.3'; // refuses
const CLOSING = '127.0.3.4'; // answers with Connection: close (no keep-alive at all)
const HOLDING = '127.0.3.5'; // keeps idle connections an hour, like a proxy that holds them open
let port: number;
const servers: Closable[] = [];
let shortServer: Awaited<ReturnType<typeof startKeepAliveServer>>;

beforeAll(async () => {
  port = await sharedFreePort([SHORT, LONG, NOTHING, CLOSING, HOLDING]);
  servers.push(await startKeepAliveServer(HOLDING, port, 3_600_000));
  servers.push(await startResettingServer(CLOSING, port, Number.MAX_SAFE_INTEGER));
  shortServer = await startKeepAliveServer(SHORT, port, 1000);
  servers.push(shortServer);
  servers.push(await startHttpServer(LONG, port, { keepAliveTimeoutMs: 30_000 }));
});

afterAll(async () => {
  await closeAll(servers);
});

describe('measureKeepAlive', () => {
  it('times how long the server keeps an idle connection and reads its Keep-Alive hint', async () => {
    const closesBefore = shortServer.idleCloses();
    const measurement = await measureKeepAlive({ ip: SHORT, port, timeoutMs: 1000, capMs: 5000 });
    expect(measurement).toMatchObject({ ip: SHORT, port, status: 200, announcedSeconds: 1, closedAfterMs: expect.any(Number) });
    // The measurement ended because the server closed the idle connection, not at the cap.
    expect(measurement).not.toHaveProperty('openAtLeastMs');
    expect(shortServer.idleCloses()).toBe(closesBefore + 1);
  });

  it('stops at the cap when the server keeps the connection longer', async () => {
    const measurement = await measureKeepAlive({ ip: LONG, port, timeoutMs: 1000, capMs: 600 });
    expect(measurement).toEqual({ ip: LONG, port, status: 200, announcedSeconds: 30, openAtLeastMs: 600 });
  });

  it('a server that answers Connection: close keeps nothing idle: no keep-alive to compare, not a 0 s one', async () => {
    const measurement = await measureKeepAlive({ ip: CLOSING, port, timeoutMs: 1000, capMs: 600 });
    expect(measurement).toMatchObject({ ip: CLOSING, port, status: 200, noKeepAlive: true });
    expect(keepAliveDeclaration(measurement)).toBeUndefined();
  });

  it('reports a target it cannot reach instead of throwing', async () => {
    const measurement = await measureKeepAlive({ ip: NOTHING, port, timeoutMs: 1000, capMs: 600 });
    expect(measurement).toEqual({ ip: NOTHING, port, error: `connect ECONNREFUSED ${NOTHING}:${port}` });
  });
});

describe('measureInventoryKeepalive', () => {
  it('keys the shortest measured keep-alive by target group ARN and by target, and lists unreachable targets', async () => {
    const lb = alb({ name: 'web' });
    const group = targetGroup({ name: 'web', targetType: 'ip', port, targets: [target(LONG), target(SHORT), target(NOTHING), target(CLOSING)] });
    forward(lb, group, { port: 80, protocol: 'HTTP' });
    const result = await measureInventoryKeepalive(inventoryOf([scopeOf({ loadBalancers: [lb], targetGroups: [group] })]), { timeoutMs: 1000, maxWaitMs: 4000, maxTargetsPerGroup: 4 });

    const forGroup = result.measuredKeepalive[group.arn];
    // The shortest is SHORT's, which the server itself closed (the measurement did not run to the cap).
    expect(forGroup).toMatchObject({ source: 'measured', detail: expect.stringMatching(new RegExp(`^measured: ${SHORT.replaceAll('.', '\\.')}:${port} closed an idle keep-alive connection after [\\d.]+ s \\(it announced Keep-Alive: timeout=1\\)$`)) });
    // LONG was still open when the 4 s wait ended, long before the LB's 60 s idle timeout: unknown, not a 4 s keep-alive.
    expect(result.measuredKeepalive[`${LONG}:${port}`]).toBeUndefined();
    // CLOSING answered and keeps nothing idle: neither a measurement nor a gap.
    expect(result.measuredKeepalive[`${CLOSING}:${port}`]).toBeUndefined();
    expect(result.notChecked).toEqual([
      {
        what: `keep-alive of target group web target ${LONG}`,
        why: "still open after 4 s, when --keepalive-max-wait ended the wait: too soon to compare with the load balancer's idle timeout of 60 s (a wait of 65 s would)",
        region: REGION,
        account: '123456789012',
      },
      { what: `keep-alive of target group web target ${NOTHING}`, why: `not reachable from here: connect ECONNREFUSED ${NOTHING}:${port}`, region: REGION, account: '123456789012' },
    ]);
  });

  it('bounds the wait for a target that holds the connection open with --keepalive-max-wait, and says so while it waits', async () => {
    const lb = alb({ name: 'held' });
    const group = targetGroup({ name: 'held', targetType: 'ip', port, targets: [target(HOLDING)] });
    forward(lb, group, { port: 80, protocol: 'HTTP' });
    const steps: string[] = [];
    const progress = { step: (message: string) => steps.push(message), warn: () => {}, debug: () => {} };
    const result = await measureInventoryKeepalive(inventoryOf([scopeOf({ loadBalancers: [lb], targetGroups: [group] })]), { timeoutMs: 1000, maxWaitMs: 300, progress });
    expect(steps).toEqual(['keep-alive: measuring 1 target(s); waiting up to 0.3 s for each to close an idle connection (--keepalive-max-wait 0.3 s)']);
    expect(result.measuredKeepalive).toEqual({});
    expect(result.notChecked).toEqual([
      {
        what: `keep-alive of target group held target ${HOLDING}`,
        why: "still open after 0.3 s, when --keepalive-max-wait ended the wait: too soon to compare with the load balancer's idle timeout of 60 s (a wait of 65 s would)",
        region: REGION,
        account: '123456789012',
      },
    ]);
  });

  it('ends every wait at the signal (--max-time): not checked, never a measured value', async () => {
    const lb = alb({ name: 'held' });
    const group = targetGroup({ name: 'held', targetType: 'ip', port, targets: [target(HOLDING)] });
    forward(lb, group, { port: 80, protocol: 'HTTP' });
    const signal = AbortSignal.timeout(300);
    const result = await measureInventoryKeepalive(inventoryOf([scopeOf({ loadBalancers: [lb], targetGroups: [group] })]), { timeoutMs: 1000, signal });
    expect(result.measuredKeepalive).toEqual({});
    expect(result.notChecked).toEqual([{ what: `keep-alive of target group held target ${HOLDING}`, why: (signal.reason as Error).message, region: REGION, account: '123456789012' }]);
  });
});
