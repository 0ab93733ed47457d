/**
 * Resolve every A and AAAA record of a name, with TTLs and the CNAME chain, from the
 * system resolver or a chosen server (`--dns-server IP[:PORT]`). A failed lookup
 * (NXDOMAIN, SERVFAIL, timeout) becomes `dns.error`, never an exception.
 */
import { lookup } from 'node:dns/promises';
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { LbcheckError } from '../errors.js';
import type { ProbeDns } from '../inventory/probe-report.js';

export interface DnsServer {
  /** As node:dns setServers takes it: `1.2.3.4`, `1.2.3.4:5353`, `[::1]:5353`. */
  address: string;
  /** As the report shows it. */
  display: string;
}

/** Parse `IP`, `IP:PORT`, `[IPv6]:PORT` or a bare IPv6 address; anything else is a usage error (exit 2). */
export function parseDnsServer(spec: string): DnsServer {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(spec);
  const ipv4WithPort = /^([^:]+):(\d+)$/.exec(spec);
  const [ip, port] = bracketed ? [bracketed[1], bracketed[2]] : ipv4WithPort ? [ipv4WithPort[1], ipv4WithPort[2]] : [spec, undefined];
  const family = ip === undefined ? 0 : isIP(ip);
  const portNumber = port === undefined ? 53 : Number(port);
  if (!ip || family === 0 || (bracketed === null && ipv4WithPort !== null && family !== 4) || !Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) {
    throw new LbcheckError(`--dns-server must be an IP address with an optional port (1.2.3.4, 1.2.3.4:5353, [::1]:5353), not '${spec}'.`);
  }
  const address = family === 6 ? `[${ip}]:${portNumber}` : `${ip}:${portNumber}`;
  return { address, display: port === undefined ? ip : address };
}

/** DNS error codes (node:dns / c-ares) in the words a DNS operator uses. */
function describeDnsError(error: unknown): string {
  const code = (error as { code?: string } | undefined)?.code;
  switch (code) {
    case 'ENOTFOUND':
      return 'NXDOMAIN: the name does not exist';
    case 'ESERVFAIL':
      return 'SERVFAIL: the server failed to answer';
    case 'ETIMEOUT':
    case 'ECANCELLED': // our deadline cancelled the query
      return 'timeout: no answer from the DNS server';
    case 'ECONNREFUSED':
      return 'the DNS server refused the query';
    case 'EREFUSED':
      return 'REFUSED: the DNS server refused the query';
    case 'ENODATA':
      return 'no A or AAAA records';
    default:
      return code ? `${code}: ${(error as Error).message}` : String(error);
  }
}

const MAX_CNAME_DEPTH = 10;
/** What the getaddrinfo fallback gets even when c-ares used the whole timeout. */
const MIN_FALLBACK_MS = 200;

async function cnameChain(resolver: Resolver, host: string): Promise<string[]> {
  const chain: string[] = [];
  let name = host;
  while (chain.length < MAX_CNAME_DEPTH) {
    let targets: string[];
    try {
      targets = await resolver.resolveCname(name);
    } catch {
      // ENODATA/ENOTFOUND end the chain; a failure that matters shows in the A/AAAA lookups.
      break;
    }
    const target = targets[0];
    if (!target || chain.includes(target)) break;
    chain.push(target);
    name = target;
  }
  return chain;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

export interface ResolveOptions {
  server?: DnsServer;
  timeoutMs: number;
  /** Cancels the lookup (the audit's --max-time); the caller tells a stopped lookup from a failed one by the signal. */
  signal?: AbortSignal;
}

/**
 * Resolve `host` to every address. An IP literal skips DNS. With no server, c-ares
 * asks the system's configured name servers (so TTLs are known); when that fails,
 * getaddrinfo (which also reads /etc/hosts) has the last word, without TTLs.
 */
export async function resolveHost(host: string, options: ResolveOptions): Promise<ProbeDns> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  if (isIP(host)) return { server: 'none (IP literal)', ms: 0, addresses: [host] };

  // Two tries so one lost UDP packet is not a DNS failure. c-ares stretches its own
  // per-try timeout (backoff, adaptive timeouts), so a hard deadline cancels whatever is
  // still pending after one `timeoutMs`.
  const resolver = new Resolver({ timeout: Math.max(1, Math.ceil(options.timeoutMs / 3)), tries: 2 });
  if (options.server) resolver.setServers([options.server.address]);
  const deadline = setTimeout(() => resolver.cancel(), options.timeoutMs);
  const cancel = () => resolver.cancel();
  options.signal?.addEventListener('abort', cancel, { once: true });
  const [v4, v6, cnames] = await Promise.all([
    settle(resolver.resolve4(host, { ttl: true })),
    settle(resolver.resolve6(host, { ttl: true })),
    cnameChain(resolver, host),
  ]).finally(() => {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', cancel);
  });
  const records = [...(v4.ok ? v4.value : []), ...(v6.ok ? v6.value : [])];
  const server = options.server?.display ?? 'system';
  if (records.length > 0) {
    const ttl = Object.fromEntries(records.map((record) => [record.address, record.ttl]));
    return { server, ms: elapsed(), addresses: records.map((record) => record.address), ttl, ...(cnames.length ? { cnames } : {}) };
  }
  // Both failed or both empty: report the more telling error (NXDOMAIN/SERVFAIL/timeout over "no data").
  const errors = [v4, v6].flatMap((result) => (result.ok ? [] : [result.error]));
  const telling = errors.find((error) => (error as { code?: string }).code !== 'ENODATA') ?? errors[0];
  if (!options.server && !options.signal?.aborted) {
    // getaddrinfo cannot be cancelled: stop waiting for it once the budget is spent
    // (it mostly answers from /etc/hosts at once, or not usefully at all).
    const budget = Math.max(options.timeoutMs - elapsed(), MIN_FALLBACK_MS);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('getaddrinfo timed out')), budget)));
    const fallback = await settle(Promise.race([lookup(host, { all: true, verbatim: true }), gaveUp])).finally(() => clearTimeout(timer));
    if (fallback.ok && fallback.value.length > 0) {
      return { server: 'system (getaddrinfo)', ms: elapsed(), addresses: fallback.value.map((entry) => entry.address) };
    }
  }
  return { server, ms: elapsed(), addresses: [], ...(cnames.length ? { cnames } : {}), error: telling ? describeDnsError(telling) : 'no A or AAAA records' };
}
