/**
 * Measure how long a target keeps an idle HTTP/1.1 keep-alive connection open: one
 * `HEAD /` on a fresh connection, then wait until the server closes it (or until a cap
 * a little above the LB's idle timeout: a target that outlasts the LB is what we want
 * to know, not by how much). The result feeds `RuleSettings.measuredKeepalive` so the
 * idle-timeout rule can compare the LB's idle timeout with what the targets really do.
 *
 * Raw HTTP on our own socket rather than an HTTP client: a client closes idle
 * connections on its own schedule (undici honours the server's Keep-Alive hint minus a
 * margin), which would race the very close we are timing. The response head is read
 * with the probe's limits (src/probe/http-head.ts), so an endless head is cut at 16 KiB.
 */
import { performance } from 'node:perf_hooks';
import type { KeepAliveDeclaration } from '../engine/types.js';
import type { Inventory, LoadBalancer, NotChecked, Scope, TargetGroup } from '../inventory/model.js';
import { InventoryIndex } from '../inventory/indexes.js';
import type { Progress } from '../progress.js';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { timerDelay } from '../timers.js';
import { openConnection, stopReason } from './connect.js';
import { readResponseHead, requestHead } from './http-head.js';
import { mapBounded } from './pool.js';

export interface KeepAliveRequest {
  ip: string;
  port: number;
  /** Host header (and SNI with tls). */
  host?: string;
  tls?: boolean;
  /** Connect + response deadline. */
  timeoutMs: number;
  /** Stop waiting for the server's close after this long. */
  capMs: number;
  /** Ends the measurement where it is (the audit's --max-time): it then says `stopped`, and measures nothing. */
  signal?: AbortSignal;
}

export interface KeepAliveMeasurement {
  ip: string;
  port: number;
  /** `Keep-Alive: timeout=N` the server announced, in seconds. */
  announcedSeconds?: number;
  /** How long the idle connection stayed open before the server closed it. */
  closedAfterMs?: number;
  /** The server had not closed it when the cap was reached. */
  openAtLeastMs?: number;
  /** The server answered with `Connection: close` (no keep-alive at all). */
  noKeepAlive?: boolean;
  status?: number;
  error?: string;
  /** The caller's signal ended it first (its reason, e.g. `--max-time reached`): no measurement. */
  stopped?: string;
}

const round = (ms: number) => Math.round(ms);

/** `Keep-Alive: timeout=N` as seconds, when the server announced one. */
function announcedTimeout(headers: ReadonlyMap<string, string>): Pick<KeepAliveMeasurement, 'announcedSeconds'> {
  const hint = /timeout\s*=\s*(\d{1,9})\b/i.exec(headers.get('keep-alive') ?? '')?.[1];
  return hint === undefined ? {} : { announcedSeconds: Number(hint) };
}

/** Resolves when the peer closes (or resets) the connection; what it still sends is dropped, never buffered. */
function peerClosed(socket: Socket | TLSSocket): Promise<void> {
  return new Promise((resolve) => {
    socket.on('data', () => {});
    socket.once('end', () => resolve());
    socket.once('close', () => resolve());
    socket.once('error', () => resolve());
    socket.resume();
  });
}

export async function measureKeepAlive(request: KeepAliveRequest): Promise<KeepAliveMeasurement> {
  const { ip, port, timeoutMs, capMs } = request;
  const host = request.host ?? ip;
  const tls = request.tls ?? false;
  const base = { ip, port };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timerDelay(timeoutMs));
  const progress = { phase: 'connect' as 'connect' | 'tls' | 'http' };
  let socket: Socket | TLSSocket | undefined;
  let capTimer: NodeJS.Timeout | undefined;
  const { signal } = request;
  const stop = () => controller.abort();
  signal?.addEventListener('abort', stop, { once: true });
  // The wait for the server's close ends with the signal too: a destroyed socket reads as closed, so it must not be timed.
  const stopped = new Promise<'stopped'>((resolve) => {
    if (signal?.aborted) resolve('stopped');
    signal?.addEventListener('abort', () => resolve('stopped'), { once: true });
  });
  try {
    socket = (await openConnection({ ip, port, host, tls, signal: controller.signal, started: performance.now(), progress })).socket;
    const open = socket;
    progress.phase = 'http';
    controller.signal.addEventListener('abort', () => open.destroy(), { once: true });
    const response = readResponseHead(open);
    open.write(requestHead('HEAD', { host, port, secure: tls }, { Connection: 'keep-alive', 'User-Agent': 'lbcheck-keepalive' }));
    const head = await response;
    // The server starts its idle timer when the response is out: so do we.
    clearTimeout(timer);
    const answered = { ...base, status: head.status, ...announcedTimeout(head.headers) };
    if (/\bclose\b/i.test(head.headers.get('connection') ?? '')) return { ...answered, noKeepAlive: true, closedAfterMs: 0 };
    const cap = new Promise<'cap'>((resolve) => (capTimer = setTimeout(() => resolve('cap'), timerDelay(capMs))));
    const ended = await Promise.race([stopped, peerClosed(open).then(() => 'closed' as const), cap]);
    if (ended === 'stopped' || signal?.aborted) return { ...base, stopped: stopReason(signal as AbortSignal) };
    if (ended === 'cap') return { ...answered, openAtLeastMs: capMs };
    return { ...answered, closedAfterMs: round(performance.now() - head.receivedAt) };
  } catch (error) {
    if (signal?.aborted) return { ...base, stopped: stopReason(signal) };
    if (controller.signal.aborted) return { ...base, error: progress.phase === 'http' ? `no HTTP response within ${timeoutMs} ms` : `no connection within ${timeoutMs} ms` };
    return { ...base, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
    clearTimeout(capTimer);
    signal?.removeEventListener('abort', stop);
    socket?.destroy();
  }
}

/** "65 s", "1.5 s": a wait as progress and notChecked say it. */
function formatWait(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** Seconds a measurement stands for: the observed close, or the cap when the server outlasted it. */
export function measuredSeconds(measurement: KeepAliveMeasurement): number | undefined {
  const ms = measurement.closedAfterMs ?? measurement.openAtLeastMs;
  return ms === undefined ? undefined : Math.round(ms / 100) / 10;
}

function describeMeasurement(measurement: KeepAliveMeasurement): string {
  const where = `${measurement.ip}:${measurement.port}`;
  const hint = measurement.announcedSeconds !== undefined ? ` (it announced Keep-Alive: timeout=${measurement.announcedSeconds})` : '';
  if (measurement.noKeepAlive) return `measured: ${where} answered Connection: close (no keep-alive)`;
  if (measurement.openAtLeastMs !== undefined) return `measured: ${where} kept an idle connection open for at least ${measuredSeconds(measurement)} s (the measurement stopped there)${hint}`;
  return `measured: ${where} closed an idle keep-alive connection after ${measuredSeconds(measurement)} s${hint}`;
}

/**
 * What a measurement declares for the idle-timeout rule. A server that answers
 * `Connection: close` keeps no idle connection, so there is nothing for the load balancer
 * to reuse and no race to lose: it declares nothing (it is not a 0 s keep-alive).
 */
export function keepAliveDeclaration(measurement: KeepAliveMeasurement): KeepAliveDeclaration | undefined {
  if (measurement.noKeepAlive) return undefined;
  const seconds = measuredSeconds(measurement);
  if (seconds === undefined) return undefined;
  return { seconds, source: 'measured', detail: describeMeasurement(measurement) };
}

interface TargetEndpoint {
  key: string; // target group ARN, or the Classic LB's ARN
  label: string;
  candidates: string[]; // addresses to try, in order: private first (we may run inside the VPC), then public
  port: number;
  tls: boolean;
  capMs: number;
  /** The load balancer's idle timeout: a wait that ends before it (--keepalive-max-wait) cannot say which closes first. */
  idleTimeoutMs: number;
}

const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTPS']);
/** Wait this much past the LB's idle timeout: enough to see a target that outlasts it. */
const CAP_MARGIN_MS = 5000;
const DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
/**
 * The longest wait for one target to close an idle connection (--keepalive-max-wait), whatever the LB's idle
 * timeout (up to 4,000 s): enough for the default 60 s idle timeout and the margin.
 */
export const DEFAULT_KEEPALIVE_MAX_WAIT_MS = 120_000;

/** The longest idle timeout of `loadBalancers`, and the wait that outlasts it a little. */
function idleOf(loadBalancers: readonly LoadBalancer[]): Pick<TargetEndpoint, 'capMs' | 'idleTimeoutMs'> {
  const idle = Math.max(...loadBalancers.map((lb) => lb.attributes.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS), 0) || DEFAULT_IDLE_TIMEOUT_SECONDS;
  return { idleTimeoutMs: idle * 1000, capMs: idle * 1000 + CAP_MARGIN_MS };
}

function endpointsOf(scope: Scope, maxTargetsPerGroup: number): TargetEndpoint[] {
  const index = new InventoryIndex(scope);
  const byArn = new Map(scope.loadBalancers.map((lb) => [lb.arn, lb]));
  const addressesOf = (instanceId: string) => {
    const instance = index.instance(instanceId);
    return [instance?.privateIpAddress, instance?.publicIpAddress].filter((ip): ip is string => Boolean(ip));
  };
  const endpoints: TargetEndpoint[] = [];
  const groupEndpoints = (group: TargetGroup): TargetEndpoint[] => {
    if (!HTTP_PROTOCOLS.has(group.protocol ?? '') || (group.targetType !== 'instance' && group.targetType !== 'ip')) return [];
    const loadBalancers = group.loadBalancerArns.flatMap((arn) => byArn.get(arn) ?? []);
    if (!loadBalancers.some((lb) => lb.kind === 'application')) return [];
    return group.targets.slice(0, maxTargetsPerGroup).flatMap((target) => {
      const port = target.port ?? group.port;
      const candidates = group.targetType === 'ip' ? [target.id] : addressesOf(target.id);
      if (!port || candidates.length === 0) return [];
      return [{ key: group.arn, label: `target group ${group.name} target ${target.id}`, candidates, port, tls: group.protocol === 'HTTPS', ...idleOf(loadBalancers) }];
    });
  };
  for (const group of scope.targetGroups) endpoints.push(...groupEndpoints(group));
  for (const lb of scope.loadBalancers) {
    if (lb.kind !== 'classic' || !lb.classic) continue;
    const listener = lb.listeners.find((l) => l.instancePort && HTTP_PROTOCOLS.has(l.instanceProtocol ?? ''));
    if (!listener?.instancePort) continue;
    for (const instance of lb.classic.instances.slice(0, maxTargetsPerGroup)) {
      const candidates = addressesOf(instance.instanceId);
      if (candidates.length === 0) continue;
      endpoints.push({ key: lb.arn, label: `classic LB ${lb.name} instance ${instance.instanceId}`, candidates, port: listener.instancePort, tls: listener.instanceProtocol === 'HTTPS', ...idleOf([lb]) });
    }
  }
  return endpoints;
}

export interface MeasureInventoryOptions {
  timeoutMs: number;
  progress?: Progress;
  /** Targets measured per target group (the shortest keep-alive among them is kept). */
  maxTargetsPerGroup?: number;
  /** The longest wait for a target to close an idle connection (--keepalive-max-wait); default DEFAULT_KEEPALIVE_MAX_WAIT_MS. Below the LB's idle timeout + 5 s, it ends the wait first. */
  maxWaitMs?: number;
  concurrency?: number;
  /** Ends every measurement where it is (the audit's --max-time): those are listed in notChecked. */
  signal?: AbortSignal;
}

export interface InventoryKeepAlive {
  /** By target group ARN (Classic: the LB's ARN) and by target "ip:port". */
  measuredKeepalive: Record<string, KeepAliveDeclaration>;
  notChecked: NotChecked[];
}

/**
 * Measure the keep-alive of targets reachable from here, all at once (the wait is
 * mostly idle), and keep per target group the shortest value seen: the target that
 * closes first is the one that produces the 502s.
 */
export async function measureInventoryKeepalive(inventory: Inventory, options: MeasureInventoryOptions): Promise<InventoryKeepAlive> {
  const endpoints = inventory.scopes.flatMap((scope) => endpointsOf(scope, options.maxTargetsPerGroup ?? 3).map((endpoint) => ({ scope, endpoint })));
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_KEEPALIVE_MAX_WAIT_MS;
  const waitOf = (endpoint: TargetEndpoint) => Math.min(endpoint.capMs, maxWaitMs);
  const longestWait = Math.max(0, ...endpoints.map(({ endpoint }) => waitOf(endpoint)));
  options.progress?.step(
    `keep-alive: measuring ${endpoints.length} target(s); waiting up to ${formatWait(longestWait)} for each to close an idle connection (--keepalive-max-wait ${formatWait(maxWaitMs)})`,
  );
  const { signal } = options;
  const results = await mapBounded(endpoints, options.concurrency ?? 64, async ({ endpoint }) => {
    let last: KeepAliveMeasurement | undefined;
    for (const ip of endpoint.candidates) {
      last = await measureKeepAlive({ ip, port: endpoint.port, tls: endpoint.tls, timeoutMs: options.timeoutMs, capMs: waitOf(endpoint), ...(signal && { signal }) });
      if (!last.error) break;
    }
    return last as KeepAliveMeasurement;
  });
  const measuredKeepalive: Record<string, KeepAliveDeclaration> = {};
  const notChecked: NotChecked[] = [];
  endpoints.forEach(({ scope, endpoint }, i) => {
    const measurement = results[i] as KeepAliveMeasurement;
    if (measurement.noKeepAlive) return;
    if (measurement.stopped !== undefined) {
      notChecked.push({ what: `keep-alive of ${endpoint.label}`, why: measurement.stopped, region: scope.region, account: scope.account });
      return;
    }
    if (measurement.openAtLeastMs !== undefined && measurement.openAtLeastMs <= endpoint.idleTimeoutMs) {
      // Still open, but the wait ended before the LB's idle timeout: which one closes first is unknown.
      const why =
        `still open after ${formatWait(measurement.openAtLeastMs)}, when --keepalive-max-wait ended the wait: too soon to compare with ` +
        `the load balancer's idle timeout of ${formatWait(endpoint.idleTimeoutMs)} (a wait of ${formatWait(endpoint.capMs)} would)`;
      notChecked.push({ what: `keep-alive of ${endpoint.label}`, why, region: scope.region, account: scope.account });
      return;
    }
    const declaration = keepAliveDeclaration(measurement);
    if (!declaration) {
      notChecked.push({ what: `keep-alive of ${endpoint.label}`, why: `not reachable from here: ${measurement.error ?? 'no answer'}`, region: scope.region, account: scope.account });
      return;
    }
    measuredKeepalive[`${measurement.ip}:${measurement.port}`] = declaration;
    const current = measuredKeepalive[endpoint.key];
    if (!current || declaration.seconds < current.seconds) measuredKeepalive[endpoint.key] = declaration;
  });
  return { measuredKeepalive, notChecked };
}
