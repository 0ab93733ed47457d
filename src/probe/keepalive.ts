/**
 * Measure how long a target keeps an idle HTTP/1.1 keep-alive connection open: one
 * `HEAD /` on a fresh connection, then wait until the server closes it (or until a cap
 * a little above the LB's idle timeout: a target that outlasts the LB is what we want
 * to know, not by how much). The result feeds `RuleSettings.measuredKeepalive` so the
 * idle-timeout rule can compare the LB's idle timeout with what the targets really do.
 *
 * Raw HTTP on our own socket rather than an HTTP client: a client closes idle
 * connections on its own schedule (undici honours the server's Keep-Alive hint minus a
 * margin), which would race the very close we are timing.
 */
import { performance } from 'node:perf_hooks';
import type { KeepAliveDeclaration } from '../engine/types.js';
import type { Inventory, LoadBalancer, NotChecked, Scope, TargetGroup } from '../inventory/model.js';
import { InventoryIndex } from '../inventory/indexes.js';
import type { Progress } from '../progress.js';
import { openConnection } from './connect.js';
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
}

const round = (ms: number) => Math.round(ms);

/** Parse the status line and headers of an HTTP/1.x response head. */
function parseHead(head: string): { status: number; headers: Map<string, string> } {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? Number.NaN);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status, headers };
}

export async function measureKeepAlive(request: KeepAliveRequest): Promise<KeepAliveMeasurement> {
  const { ip, port, timeoutMs, capMs } = request;
  const host = request.host ?? ip;
  const base = { ip, port };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const progress = { phase: 'connect' as 'connect' | 'tls' | 'http' };
  let connection: Awaited<ReturnType<typeof openConnection>> | undefined;
  try {
    connection = await openConnection({ ip, port, host, tls: request.tls ?? false, signal: controller.signal, started: performance.now(), progress });
  } catch (error) {
    clearTimeout(timer);
    const reason = controller.signal.aborted ? `no connection within ${timeoutMs} ms` : (error as Error).message;
    return { ...base, error: reason };
  }
  const socket = connection.socket;
  return new Promise<KeepAliveMeasurement>((resolve) => {
    let buffered = '';
    let respondedAt: number | undefined;
    let parsed: ReturnType<typeof parseHead> | undefined;
    let capTimer: NodeJS.Timeout | undefined;
    const finish = (result: KeepAliveMeasurement) => {
      clearTimeout(timer);
      clearTimeout(capTimer);
      socket.removeAllListeners('data');
      socket.destroy();
      resolve(result);
    };
    const announced = () => {
      const hint = /timeout\s*=\s*(\d+)/i.exec(parsed?.headers.get('keep-alive') ?? '')?.[1];
      return hint === undefined ? {} : { announcedSeconds: Number(hint) };
    };
    const onClosed = () => {
      if (respondedAt === undefined) return finish({ ...base, error: 'the connection closed before a response' });
      finish({ ...base, status: parsed?.status, ...announced(), closedAfterMs: round(performance.now() - respondedAt) });
    };
    controller.signal.addEventListener('abort', () => {
      if (respondedAt === undefined) finish({ ...base, error: `no HTTP response within ${timeoutMs} ms` });
    });
    socket.on('error', onClosed);
    socket.on('end', onClosed);
    socket.on('close', onClosed);
    socket.on('data', (chunk: Buffer) => {
      if (respondedAt !== undefined) return;
      buffered += chunk.toString('latin1');
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      // The server starts its idle timer when the response is out: so do we.
      respondedAt = performance.now();
      clearTimeout(timer);
      parsed = parseHead(buffered.slice(0, end));
      if (/\bclose\b/i.test(parsed.headers.get('connection') ?? '')) {
        return finish({ ...base, status: parsed.status, ...announced(), noKeepAlive: true, closedAfterMs: 0 });
      }
      capTimer = setTimeout(() => finish({ ...base, status: parsed?.status, ...announced(), openAtLeastMs: capMs }), capMs);
    });
    const hostHeader = host.includes(':') ? `[${host}]` : host;
    socket.write(`HEAD / HTTP/1.1\r\nHost: ${hostHeader}:${port}\r\nConnection: keep-alive\r\nUser-Agent: lbcheck-keepalive\r\n\r\n`);
  });
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
}

const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTPS']);
/** Wait this much past the LB's idle timeout: enough to see a target that outlasts it. */
const CAP_MARGIN_MS = 5000;
const DEFAULT_IDLE_TIMEOUT_SECONDS = 60;

function capFor(loadBalancers: readonly LoadBalancer[]): number {
  const idle = Math.max(...loadBalancers.map((lb) => lb.attributes.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS), 0);
  return (idle || DEFAULT_IDLE_TIMEOUT_SECONDS) * 1000 + CAP_MARGIN_MS;
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
      return [{ key: group.arn, label: `target group ${group.name} target ${target.id}`, candidates, port, tls: group.protocol === 'HTTPS', capMs: capFor(loadBalancers) }];
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
      endpoints.push({ key: lb.arn, label: `classic LB ${lb.name} instance ${instance.instanceId}`, candidates, port: listener.instancePort, tls: listener.instanceProtocol === 'HTTPS', capMs: capFor([lb]) });
    }
  }
  return endpoints;
}

export interface MeasureInventoryOptions {
  timeoutMs: number;
  progress?: Progress;
  /** Targets measured per target group (the shortest keep-alive among them is kept). */
  maxTargetsPerGroup?: number;
  /** Override the wait cap (tests); default: the LB's idle timeout + 5 s. */
  capMs?: number;
  concurrency?: number;
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
  options.progress?.step(`keep-alive: measuring ${endpoints.length} target(s)`);
  const results = await mapBounded(endpoints, options.concurrency ?? 64, async ({ endpoint }) => {
    let last: KeepAliveMeasurement | undefined;
    for (const ip of endpoint.candidates) {
      last = await measureKeepAlive({ ip, port: endpoint.port, tls: endpoint.tls, timeoutMs: options.timeoutMs, capMs: options.capMs ?? endpoint.capMs });
      if (!last.error) break;
    }
    return last as KeepAliveMeasurement;
  });
  const measuredKeepalive: Record<string, KeepAliveDeclaration> = {};
  const notChecked: NotChecked[] = [];
  endpoints.forEach(({ scope, endpoint }, i) => {
    const measurement = results[i] as KeepAliveMeasurement;
    if (measurement.noKeepAlive) return;
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
