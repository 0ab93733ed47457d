/**
 * Backend keep-alive timeouts: the defaults of common HTTP servers, and the parser for
 * the values users declare (tag `lbcheck:keepalive`, config `keepalive` entries).
 *
 * Why it matters: a load balancer pools idle connections to its targets for its idle
 * timeout (ALB and Classic default 60 s). When the target closes an idle connection
 * first, the LB can send a request on a socket the target is closing and answers 502.
 * AWS: "configure the idle timeout of your application to be larger than the idle
 * timeout configured for the load balancer".
 *
 * Every default below was checked against the linked documentation or source (November
 * 2026). Seconds are the idle time a server keeps a kept-alive connection open waiting
 * for the next request; `Infinity` means the server sets no such timeout.
 */

export interface ServerKeepAliveDefault {
  /** Canonical name, as messages show it. */
  name: string;
  /** Other names users write; all matching is case-insensitive. */
  aliases: readonly string[];
  seconds: number;
  /** The setting that controls it, as the server's docs name it. */
  setting: string;
  /** How to raise it above an idle timeout of N seconds. */
  fix: (seconds: number) => string;
  /** Where the default is documented. */
  docUrl: string;
  note?: string;
}

export const SERVER_KEEPALIVE_DEFAULTS: readonly ServerKeepAliveDefault[] = [
  {
    name: 'nodejs',
    aliases: ['node', 'node.js', 'express', 'fastify', 'koa', 'nestjs', 'next', 'nextjs'],
    seconds: 5,
    setting: 'server.keepAliveTimeout (ms)',
    fix: (s) => `set server.keepAliveTimeout = ${s * 1000} and server.headersTimeout = ${(s + 1) * 1000} in Node.js`,
    docUrl: 'https://nodejs.org/api/http.html#serverkeepalivetimeout',
    note: 'Default 5000 ms on Node.js 20-24 (Express, Fastify, Koa and Next use the same http.Server); nodejs/node PR #62782 raises it to 65000 ms in later releases.',
  },
  {
    name: 'gunicorn',
    aliases: ['python', 'flask', 'django'],
    seconds: 2,
    setting: 'keepalive (--keep-alive)',
    fix: (s) => `run gunicorn with --keep-alive ${s}`,
    docUrl: 'https://docs.gunicorn.org/en/stable/settings.html#keepalive',
    note: 'The sync worker does not keep connections alive at all; the value applies to gthread, gevent and eventlet workers.',
  },
  {
    name: 'uvicorn',
    aliases: ['fastapi', 'starlette'],
    seconds: 5,
    setting: '--timeout-keep-alive',
    fix: (s) => `run uvicorn with --timeout-keep-alive ${s}`,
    docUrl: 'https://www.uvicorn.org/settings/#timeouts',
  },
  {
    name: 'waitress',
    aliases: [],
    seconds: 120,
    setting: 'channel_timeout',
    fix: (s) => `serve with channel_timeout=${s}`,
    docUrl: 'https://docs.pylonsproject.org/projects/waitress/en/stable/arguments.html',
  },
  {
    name: 'puma',
    aliases: ['puma7', 'rails', 'ruby'],
    seconds: 65,
    setting: 'persistent_timeout',
    fix: (s) => `set persistent_timeout ${s} in config/puma.rb`,
    docUrl: 'https://github.com/puma/puma/pull/3378',
    note: 'Puma 7.0 (2025) raised the default to 65 s (Configuration::DEFAULTS, confirmed in puma/puma#3912); Rails apps run on Puma by default. Puma 6 and older: use "puma6".',
  },
  {
    name: 'puma6',
    aliases: ['puma5', 'puma4'],
    seconds: 20,
    setting: 'persistent_timeout',
    fix: (s) => `set persistent_timeout ${s} in config/puma.rb`,
    docUrl: 'https://www.rubydoc.info/gems/puma/6.4.0/Puma%2FDSL:persistent_timeout',
    note: 'Default before Puma 7.0.',
  },
  {
    name: 'tomcat',
    aliases: ['spring', 'spring-boot', 'java'],
    seconds: 20,
    setting: 'Connector keepAliveTimeout (defaults to connectionTimeout)',
    fix: (s) => `set keepAliveTimeout="${s * 1000}" on the HTTP Connector (Spring Boot: server.tomcat.keep-alive-timeout=${s}s)`,
    docUrl: 'https://tomcat.apache.org/tomcat-10.1-doc/config/http.html',
    note: 'keepAliveTimeout defaults to connectionTimeout: 20000 ms in the server.xml Tomcat ships, 60000 ms when unset (embedded Tomcat); 20 s is the shipped, shorter one.',
  },
  {
    name: 'jetty',
    aliases: [],
    seconds: 30,
    setting: 'jetty.http.idleTimeout (ms)',
    fix: (s) => `set jetty.http.idleTimeout=${s * 1000}`,
    docUrl: 'https://jetty.org/docs/jetty/12/operations-guide/modules/standard.html#http',
  },
  {
    name: 'kestrel',
    aliases: ['aspnet', 'asp.net', 'dotnet', '.net'],
    seconds: 130,
    setting: 'KestrelServerLimits.KeepAliveTimeout',
    fix: (s) => `set Limits.KeepAliveTimeout = TimeSpan.FromSeconds(${s})`,
    docUrl: 'https://learn.microsoft.com/en-us/dotnet/api/microsoft.aspnetcore.server.kestrel.core.kestrelserverlimits.keepalivetimeout',
  },
  {
    name: 'nginx',
    aliases: [],
    seconds: 75,
    setting: 'keepalive_timeout',
    fix: (s) => `set keepalive_timeout ${s}s;`,
    docUrl: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#keepalive_timeout',
  },
  {
    name: 'apache',
    aliases: ['httpd', 'apache2'],
    seconds: 5,
    setting: 'KeepAliveTimeout',
    fix: (s) => `set KeepAliveTimeout ${s}`,
    docUrl: 'https://httpd.apache.org/docs/2.4/mod/core.html#keepalivetimeout',
    note: 'Apache 2.4 default; Apache 1.3 and 2.0 defaulted to 15 s.',
  },
  {
    name: 'envoy',
    aliases: [],
    seconds: 3600,
    setting: 'common_http_protocol_options.idle_timeout',
    fix: (s) => `set common_http_protocol_options.idle_timeout: ${s}s on the HTTP connection manager`,
    docUrl: 'https://www.envoyproxy.io/docs/envoy/latest/faq/configuration/timeouts',
  },
  {
    name: 'go',
    aliases: ['golang', 'net/http'],
    seconds: Number.POSITIVE_INFINITY,
    setting: 'http.Server.IdleTimeout (falls back to ReadTimeout)',
    fix: (s) => `set http.Server{IdleTimeout: ${s} * time.Second}`,
    docUrl: 'https://pkg.go.dev/net/http#Server',
    note: 'A zero IdleTimeout falls back to ReadTimeout, and both zero (the zero-value Server) means no idle timeout: the server never closes an idle connection first. Declare the seconds when you set either.',
  },
];

// HAProxy ("timeout http-keep-alive" falls back to "timeout http-request", then "timeout client",
// none of which has a built-in value) and Undertow (no documented default we could verify) are
// deliberately absent: a name would claim a number we cannot stand behind. Declare their seconds.
// Python's http.server is absent too: BaseHTTPRequestHandler speaks HTTP/1.0 by default and closes
// the connection after every response, so there is no idle connection to race.

const byName = new Map<string, ServerKeepAliveDefault>();
for (const server of SERVER_KEEPALIVE_DEFAULTS) {
  for (const name of [server.name, ...server.aliases]) byName.set(name.toLowerCase(), server);
}

/** A server's default by name or alias, case-insensitive. */
export function serverDefault(name: string): ServerKeepAliveDefault | undefined {
  return byName.get(name.trim().toLowerCase());
}

/** Every accepted server name (and alias) with its default seconds: what the config file accepts. */
export const SERVER_KEEPALIVE_SECONDS: Readonly<Record<string, number>> = Object.fromEntries(
  [...byName].map(([name, server]) => [name, server.seconds]),
);

export type ParsedKeepAlive =
  | { ok: true; seconds: number; server?: ServerKeepAliveDefault }
  | { ok: false; reason: string };

/** The largest keep-alive accepted as a number: one day. */
export const MAX_KEEPALIVE_SECONDS = 86_400;

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, sec: 1, m: 60, min: 60 };

/**
 * Parses a declared keep-alive: plain seconds (`5`), seconds with a unit (`5s`, `4.5s`,
 * `65000ms`, `2m`; units ms, s, m), or a server name from the table (`nodejs`, `Gunicorn`).
 */
export function parseKeepAlive(value: string): ParsedKeepAlive {
  const text = value.trim();
  const numeric = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min)?$/i.exec(text);
  if (numeric?.[1]) {
    const unit = (numeric[2] ?? 's').toLowerCase();
    const seconds = Number(numeric[1]) * (UNIT_SECONDS[unit] ?? 1);
    if (seconds <= 0) return { ok: false, reason: `"${value}" is not a positive duration` };
    // 400 nines parse as Infinity: no server keeps idle connections for more than a day, so a larger value is a typo.
    if (!(seconds <= MAX_KEEPALIVE_SECONDS)) return { ok: false, reason: `"${value}" is more than a day (${MAX_KEEPALIVE_SECONDS} s); a keep-alive timeout is seconds to minutes` };
    return { ok: true, seconds };
  }
  const server = serverDefault(text);
  if (server) return { ok: true, seconds: server.seconds, server };
  return {
    ok: false,
    reason: `"${value}" is neither a duration (5, 5s, 65000ms, 2m) nor a known server (${SERVER_KEEPALIVE_DEFAULTS.map((s) => s.name).join(', ')})`,
  };
}

/** Seconds for messages: "5 s", "no idle timeout". */
export function formatSeconds(seconds: number): string {
  return Number.isFinite(seconds) ? `${seconds} s` : 'no idle timeout';
}
