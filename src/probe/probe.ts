/**
 * Probe many (host, port, protocol) targets: resolve each distinct host once, then
 * run every attempt on every address at the same time through one bounded pool.
 *
 * Why attempts run concurrently, not one after another: a hanging address would cost
 * `attempts × timeout` in sequence. Run together, each attempt is still its own
 * connection (so an address that fails one time in three shows it), and the whole
 * probe takes about DNS time + one timeout, whatever the number of addresses — as
 * long as the pool holds every attempt; beyond that it grows by one timeout per extra
 * poolful. The pool is `concurrency` sockets (default 4096: 1,000 addresses x 3
 * attempts fit), narrowed to what the open-file limit leaves (src/probe/descriptors.ts),
 * and progress says when that makes the probe take more than one timeout. An attempt
 * that still finds no descriptor (EMFILE) was not made: it is listed in `notChecked`,
 * never reported as an outcome of the address.
 */
import { performance } from 'node:perf_hooks';
import { isIP } from 'node:net';
import type { Progress } from '../progress.js';
import type { NotChecked } from '../inventory/model.js';
import { AttemptNotMade, AttemptStopped, probeAttempt, stopReason, type ProbeProtocol } from './connect.js';
import { socketBudget } from './descriptors.js';
import { resolveHost, type DnsServer } from './dns.js';
import { mapBounded } from './pool.js';
import type { ProbeAddress, ProbeAttempt, ProbeDns, ProbeReport, ProbeTarget } from '../inventory/probe-report.js';
import { plural } from '../words.js';

export const DEFAULT_PROBE_CONCURRENCY = 4096;
/** DNS lookups in flight at once: each holds a socket or two. */
const DNS_CONCURRENCY = 64;

export interface ProbeRequest {
  host: string;
  port: number;
  protocol: ProbeProtocol;
  loadBalancerArn?: string;
  /** The account and region of the LB, for `notChecked` entries in an audit. */
  scope?: { account: string; region: string };
  /** Where an address lives (AZ, subnet, ENI), when the inventory knows. */
  locate?: (ip: string) => Pick<ProbeAddress, 'az' | 'subnetId' | 'networkInterfaceId'> | undefined;
}

export interface ProbeOptions {
  dnsServer?: DnsServer;
  timeoutMs: number;
  attempts: number;
  concurrency?: number;
  progress?: Progress;
  /**
   * Stops the probe where it is (the audit's --max-time): lookups and attempts in flight end, none starts; what
   * was measured is kept, and what was not is in `notChecked`, never an outcome of an address.
   */
  signal?: AbortSignal;
}

/** The protocol a bare `--port` implies: 443 speaks HTTPS, 80 HTTP, anything else is only connected to. */
export function defaultProtocol(port: number): ProbeProtocol {
  if (port === 443) return 'https';
  if (port === 80) return 'http';
  return 'tcp';
}

interface Pool {
  width: number;
  /** Set when the open-file limit, not the caller's cap, sets the width. */
  limitedByOpenFiles: boolean;
  openFileLimit?: number;
}

/** Sockets at once: the caller's cap, narrowed to what the open-file limit leaves. */
function socketPool(cap: number): Pool {
  const budget = socketBudget();
  const limitedByOpenFiles = budget.sockets !== undefined && budget.sockets < cap;
  return { width: limitedByOpenFiles ? (budget.sockets as number) : cap, limitedByOpenFiles, ...(budget.openFileLimit !== undefined && { openFileLimit: budget.openFileLimit }) };
}

function poolPhrase(jobs: number, pool: Pool, timeoutMs: number): string {
  if (jobs <= pool.width) return '';
  const rounds = Math.ceil(jobs / pool.width);
  const why = pool.limitedByOpenFiles ? `the open-file limit (${pool.openFileLimit}) leaves ${pool.width} sockets` : `${pool.width} sockets at once`;
  return `; ${why}: up to ${plural(rounds, 'timeout')} (${rounds * timeoutMs} ms)`;
}

interface NotMade {
  attempts: number;
  addresses: Set<string>;
  reason: string;
}

/** What the signal left unprobed, one entry per target: its lookup, or its attempts not made. */
function stoppedEntries(targets: readonly ProbeTarget[], requests: readonly ProbeRequest[], stopped: ReadonlyMap<ProbeTarget, NotMade>, unresolved: ReadonlySet<ProbeTarget>): NotChecked[] {
  return targets.flatMap((target, index) => {
    const missing = stopped.get(target);
    const what = unresolved.has(target)
      ? `probe of ${target.host}:${target.port}: name not resolved`
      : missing && `probe of ${target.host}:${target.port}: ${plural(missing.attempts, 'attempt')} on ${plural(missing.addresses.size, 'address')} not made`;
    if (!what) return [];
    const scope = requests[index]?.scope;
    return [{ what, why: missing?.reason ?? target.skipped ?? 'stopped', ...(scope && { region: scope.region, account: scope.account }) }];
  });
}

/** What was not probed because this machine ran out of descriptors, one entry per target. */
function notMadeEntries(targets: readonly ProbeTarget[], requests: readonly ProbeRequest[], notMade: ReadonlyMap<ProbeTarget, NotMade>, pool: Pool): NotChecked[] {
  return targets.flatMap((target, index) => {
    const missing = notMade.get(target);
    if (!missing) return [];
    const scope = requests[index]?.scope;
    return [
      {
        what: `probe of ${target.host}:${target.port}: ${plural(missing.attempts, 'attempt')} on ${plural(missing.addresses.size, 'address')} not made`,
        why: `${missing.reason} (open-file limit ${pool.openFileLimit ?? 'unknown'}; raise it with ulimit -n); not held against the addresses`,
        ...(scope && { region: scope.region, account: scope.account }),
      },
    ];
  });
}

export async function probeTargets(requests: readonly ProbeRequest[], options: ProbeOptions): Promise<ProbeReport> {
  const started = performance.now();
  // Before anything is opened (DNS included): the budget counts what is open now.
  const pool = socketPool(options.concurrency ?? DEFAULT_PROBE_CONCURRENCY);
  const hosts = [...new Set(requests.map((request) => request.host))];
  options.progress?.step(`probe: resolving ${plural(hosts.length, 'name')}`);
  const { signal } = options;
  // A lookup the signal stopped (or never started) is no DNS failure of the name: undefined.
  const lookups = await mapBounded(hosts, DNS_CONCURRENCY, async (host) => {
    if (signal?.aborted) return undefined;
    const dns = await resolveHost(host, { server: options.dnsServer, timeoutMs: options.timeoutMs, ...(signal && { signal }) });
    return signal?.aborted && dns.addresses.length === 0 ? undefined : dns;
  });
  const resolved = new Map<string, ProbeDns | undefined>(hosts.map((host, index) => [host, lookups[index]]));

  const unresolved = new Set<ProbeTarget>();
  const targets: ProbeTarget[] = requests.map((request) => {
    const dns = resolved.get(request.host);
    const target: ProbeTarget = {
      host: request.host,
      port: request.port,
      protocol: request.protocol,
      ...(request.loadBalancerArn ? { loadBalancerArn: request.loadBalancerArn } : {}),
      dns: dns ?? { server: 'not resolved', ms: 0, addresses: [] },
      addresses: (dns?.addresses ?? []).map((ip) => ({ ip, family: isIP(ip) === 6 ? 6 : 4, ...request.locate?.(ip), attempts: [] })),
      ...(!dns && signal && { skipped: stopReason(signal) }),
    };
    if (!dns) unresolved.add(target);
    return target;
  });

  const jobs = targets.flatMap((target) =>
    target.addresses.flatMap((address) => Array.from({ length: options.attempts }, (_, attempt) => ({ target, address, attempt }))),
  );
  const addressCount = targets.reduce((sum, target) => sum + target.addresses.length, 0);
  options.progress?.step(
    `probe: ${plural(addressCount, 'address')}, ${options.attempts} attempt(s) each, timeout ${options.timeoutMs} ms${poolPhrase(jobs.length, pool, options.timeoutMs)}`,
  );
  const outcomes = await mapBounded(jobs, pool.width, async ({ target, address }) => {
    if (signal?.aborted) return new AttemptStopped(stopReason(signal));
    return probeAttempt({ ip: address.ip, port: target.port, host: target.host, protocol: target.protocol ?? 'tcp', timeoutMs: options.timeoutMs, ...(signal && { signal }) }).catch(
      (error: unknown) => {
        if (error instanceof AttemptNotMade || error instanceof AttemptStopped) return error;
        throw error;
      },
    );
  });
  const notMade = new Map<ProbeTarget, NotMade>();
  const stopped = new Map<ProbeTarget, NotMade>();
  jobs.forEach((job, index) => {
    const outcome = outcomes[index] as ProbeAttempt | AttemptNotMade | AttemptStopped;
    if (!(outcome instanceof Error)) return void job.address.attempts.push(outcome);
    const missingFrom = outcome instanceof AttemptStopped ? stopped : notMade;
    const missing = missingFrom.get(job.target) ?? { attempts: 0, addresses: new Set<string>(), reason: outcome.message };
    missing.attempts++;
    missing.addresses.add(job.address.ip);
    missingFrom.set(job.target, missing);
  });
  const notChecked = [...notMadeEntries(targets, requests, notMade, pool), ...stoppedEntries(targets, requests, stopped, unresolved)];
  return { targets, ...(notChecked.length > 0 && { notChecked }), durationMs: Math.round(performance.now() - started) };
}
