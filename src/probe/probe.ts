/**
 * Probe many (host, port, protocol) targets: resolve each distinct host once, then
 * run every attempt on every address at the same time through one bounded pool.
 *
 * Why attempts run concurrently, not one after another: a hanging address would cost
 * `attempts × timeout` in sequence. Run together, each attempt is still its own
 * connection (so an address that fails one time in three shows it), and the whole
 * probe takes about DNS time + one timeout, whatever the number of addresses — as
 * long as the pool (`concurrency`, default 1024 sockets) holds every attempt; beyond
 * that it grows by one timeout per extra poolful. 1024 covers e.g. 50 LBs x 2 listeners
 * x 3 addresses x 3 attempts; Node raises its open-file soft limit to the hard limit at
 * start-up (tens of thousands on Linux), and an attempt that still finds no socket
 * (EMFILE) is counted as this machine's failure, not the load balancer's.
 */
import { performance } from 'node:perf_hooks';
import { isIP } from 'node:net';
import type { Progress } from '../progress.js';
import { probeAttempt, type ProbeProtocol } from './connect.js';
import { resolveHost, type DnsServer } from './dns.js';
import { mapBounded } from './pool.js';
import type { ProbeAddress, ProbeAttempt, ProbeDns, ProbeReport, ProbeTarget } from '../inventory/probe-report.js';
import { plural } from '../words.js';

export const DEFAULT_PROBE_CONCURRENCY = 1024;

export interface ProbeRequest {
  host: string;
  port: number;
  protocol: ProbeProtocol;
  loadBalancerArn?: string;
  /** Where an address lives (AZ, subnet, ENI), when the inventory knows. */
  locate?: (ip: string) => Pick<ProbeAddress, 'az' | 'subnetId' | 'networkInterfaceId'> | undefined;
}

export interface ProbeOptions {
  dnsServer?: DnsServer;
  timeoutMs: number;
  attempts: number;
  concurrency?: number;
  progress?: Progress;
}

/** The protocol a bare `--port` implies: 443 speaks HTTPS, 80 HTTP, anything else is only connected to. */
export function defaultProtocol(port: number): ProbeProtocol {
  if (port === 443) return 'https';
  if (port === 80) return 'http';
  return 'tcp';
}

export async function probeTargets(requests: readonly ProbeRequest[], options: ProbeOptions): Promise<ProbeReport> {
  const started = performance.now();
  const hosts = [...new Set(requests.map((request) => request.host))];
  options.progress?.step(`probe: resolving ${plural(hosts.length, 'name')}`);
  const resolved = new Map<string, ProbeDns>(
    await Promise.all(
      hosts.map(async (host) => [host, await resolveHost(host, { server: options.dnsServer, timeoutMs: options.timeoutMs })] as const),
    ),
  );

  const targets: ProbeTarget[] = requests.map((request) => {
    const dns = resolved.get(request.host) as ProbeDns;
    return {
      host: request.host,
      port: request.port,
      protocol: request.protocol,
      ...(request.loadBalancerArn ? { loadBalancerArn: request.loadBalancerArn } : {}),
      dns,
      addresses: dns.addresses.map((ip) => ({ ip, family: isIP(ip) === 6 ? 6 : 4, ...request.locate?.(ip), attempts: [] })),
    };
  });

  const jobs = targets.flatMap((target) =>
    target.addresses.flatMap((address) => Array.from({ length: options.attempts }, (_, attempt) => ({ target, address, attempt }))),
  );
  const addressCount = targets.reduce((sum, target) => sum + target.addresses.length, 0);
  options.progress?.step(`probe: ${plural(addressCount, 'address')}, ${options.attempts} attempt(s) each, timeout ${options.timeoutMs} ms`);
  const outcomes = await mapBounded(jobs, options.concurrency ?? DEFAULT_PROBE_CONCURRENCY, ({ target, address }) =>
    probeAttempt({ ip: address.ip, port: target.port, host: target.host, protocol: target.protocol ?? 'tcp', timeoutMs: options.timeoutMs }),
  );
  jobs.forEach((job, index) => (job.address.attempts[job.attempt] = outcomes[index] as ProbeAttempt));
  return { targets, durationMs: Math.round(performance.now() - started) };
}
