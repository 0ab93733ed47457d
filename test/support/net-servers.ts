/**
 * Real servers on loopback addresses for probe tests. Linux routes all of 127.0.0.0/8
 * to `lo`, so each behaviour gets its own address on one shared port, just as an LB's
 * nodes share a port across AZs:
 * - accepting: HTTP (node:http) or HTTPS with a self-signed certificate made by openssl;
 * - refusing: an address where nothing listens on the port;
 * - hanging: a listener whose accept queue is full, so the kernel drops further SYNs
 *   and the client's connect hangs (a stopped child process owns the listener, because
 *   a Node process always accepts; the queue is filled with connections never accepted).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createTcpServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Closable {
  close(): Promise<void>;
}

/** A port on which every one of `ips` is free (tries a few before giving up). */
export async function sharedFreePort(ips: readonly string[]): Promise<number> {
  for (let tries = 0; tries < 20; tries++) {
    const probe = createTcpServer();
    const port = await new Promise<number>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(0, ips[0], () => resolve((probe.address() as { port: number }).port));
    });
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const free = await Promise.all(
      ips.map(
        (ip) =>
          new Promise<boolean>((resolve) => {
            const server = createTcpServer();
            server.once('error', () => resolve(false));
            server.listen(port, ip, () => server.close(() => resolve(true)));
          }),
      ),
    );
    if (free.every(Boolean)) return port;
  }
  throw new Error(`no port free on all of ${ips.join(', ')}`);
}

export interface Certificate {
  key: string;
  cert: string;
}

/** A self-signed certificate for `name`, made by openssl on this machine (no network). */
export function selfSignedCertificate(name: string): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'lbcheck-cert-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2',
      '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`,
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function closeHttp(server: HttpServer): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function listen(server: NetServer, ip: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, () => resolve());
  });
}

export interface HttpOptions {
  /** How long an idle keep-alive connection is kept (node:http keepAliveTimeout); Node announces it in `Keep-Alive: timeout=N`. */
  keepAliveTimeoutMs?: number;
  status?: number;
  /** Also serve TLS with this certificate (HTTPS). */
  certificate?: Certificate;
  /** Delay before answering, to make an address slow. */
  delayMs?: number;
  /** Answer nothing until the barrier (shared by several servers) has seen all its requests. */
  barrier?: Barrier;
}

/**
 * Holds every answer until `expected` requests have arrived (at any of the servers that
 * share it), then releases them all: requests answered at all were in flight together, a
 * structural proof of parallelism that no clock can flake.
 */
export class Barrier {
  private arrived = 0;
  private readonly held: (() => void)[] = [];
  constructor(readonly expected: number) {}

  arrive(answer: () => void): void {
    this.arrived += 1;
    this.held.push(answer);
    if (this.arrived < this.expected) return;
    for (const release of this.held.splice(0)) release();
  }

  get seen(): number {
    return this.arrived;
  }
}

export interface TestHttpServer extends Closable {
  ip: string;
  port: number;
  requests: { host?: string; path?: string }[];
}

export async function startHttpServer(ip: string, port: number, options: HttpOptions = {}): Promise<TestHttpServer> {
  const requests: TestHttpServer['requests'] = [];
  const handler: RequestListener = (request, response) => {
    requests.push({ host: request.headers.host, path: request.url });
    const answer = () => {
      response.writeHead(options.status ?? 200, { 'content-type': 'text/plain' });
      response.end(`hello from ${ip}\n`);
    };
    if (options.barrier) options.barrier.arrive(answer);
    else if (options.delayMs) setTimeout(answer, options.delayMs);
    else answer();
  };
  const server = options.certificate ? createHttpsServer({ ...options.certificate }, handler) : createHttpServer(handler);
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  await listen(server, ip, port);
  return { ip, port, requests, close: () => closeHttp(server) };
}

/** A TCP server that tracks its connections, so closing it never waits on an idle client. */
async function serveTcp(ip: string, port: number, onSocket: (socket: Socket) => void): Promise<Closable> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  await listen(server, ip, port);
  return {
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const HANGING_CHILD = `
const net = require('node:net');
const [port, ...ips] = process.argv.slice(1);
let pending = ips.length;
for (const ip of ips) {
  net.createServer().listen({ host: ip, port: Number(port), backlog: 1 }, () => {
    if (--pending === 0) { process.stdout.write('listening\\n'); process.kill(process.pid, 'SIGSTOP'); }
  });
}
`;

/**
 * Listeners on `ips`:`port` whose accept queues are full: a connect to them gets no
 * SYN-ACK and hangs until the client's timeout, like an AZ node behind a missing route.
 */
export async function startHangingListeners(ips: readonly string[], port: number): Promise<Closable> {
  const child: ChildProcess = spawn(process.execPath, ['-e', HANGING_CHILD, String(port), ...ips], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`hanging listener exited early (${code})`)));
    child.stdout?.once('data', () => resolve());
  });
  child.removeAllListeners('exit');
  // With backlog 1 Linux queues two completed connections (backlog + 1); four leave no room.
  const fillers: Socket[] = [];
  for (const ip of ips) {
    for (let i = 0; i < 4; i++) {
      const socket = connect({ host: ip, port });
      socket.on('error', () => {});
      fillers.push(socket);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  return {
    close: async () => {
      for (const socket of fillers) socket.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

export async function closeAll(closables: readonly (Closable | undefined)[]): Promise<void> {
  await Promise.all(closables.map((closable) => closable?.close()));
}

/**
 * An HTTP/1.1 server whose idle keep-alive is exactly `idleMs`: it answers every request
 * with `Keep-Alive: timeout=<s>` and closes the connection `idleMs` after its last
 * response. (node:http closes later than its keepAliveTimeout — about 2 s for 1 s on
 * Node 20 — so a measurement test needs a server that means what it announces.)
 */
export async function startKeepAliveServer(ip: string, port: number, idleMs: number): Promise<Closable & { idleCloses: () => number }> {
  let idleCloses = 0;
  const server = await serveTcp(ip, port, (socket) => {
    let buffered = '';
    let idle: NodeJS.Timeout | undefined;
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      let end: number;
      while ((end = buffered.indexOf('\r\n\r\n')) >= 0) {
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        clearTimeout(idle);
        const body = head.startsWith('HEAD ') ? '' : 'ok\n';
        socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: keep-alive\r\nKeep-Alive: timeout=${Math.round(idleMs / 1000)}\r\n\r\n${body}`);
        idle = setTimeout(() => {
          idleCloses += 1;
          socket.end();
        }, idleMs);
      }
    });
    socket.on('close', () => clearTimeout(idle));
  });
  return { ...server, idleCloses: () => idleCloses };
}

/**
 * A node that answers HTTP on some connections and resets the others: every `resetEvery`-th
 * connection (1 = all) is reset (RST) as soon as the request arrives, after the TCP
 * handshake succeeded, like an overloaded or half-broken backend.
 */
export function startResettingServer(ip: string, port: number, resetEvery = 1): Promise<Closable> {
  let connections = 0;
  return serveTcp(ip, port, (socket) => {
    const reset = ++connections % resetEvery === 0;
    socket.once('data', () => {
      if (reset) socket.resetAndDestroy();
      else socket.end('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n');
    });
  });
}

/** What a hostile HTTP peer answers to any request (see startHostileHttpServer). */
export type HostileAnswer = 'many-headers' | 'endless-head' | 'interim-flood' | 'two-interim-then-ok';

const HOSTILE_CHILD = `
const net = require('node:net');
const [kind, ip, port] = process.argv.slice(1);
const answer = (socket) => {
  if (kind === 'many-headers') {
    let head = 'HTTP/1.1 200 OK\\r\\n';
    for (let i = 0; i < 10000; i++) head += 'x-h' + i + ': v\\r\\n';
    socket.write(head + 'content-length: 0\\r\\n\\r\\n');
  } else if (kind === 'endless-head') {
    socket.write('HTTP/1.1 200 OK\\r\\n');
    const line = 'x-filler: ' + 'v'.repeat(1000) + '\\r\\n';
    const more = () => { while (!socket.destroyed && socket.write(line)); };
    socket.on('drain', more);
    more();
  } else if (kind === 'interim-flood') {
    const hint = 'HTTP/1.1 103 Early Hints\\r\\nlink: </a.css>; rel=preload\\r\\n\\r\\n';
    let i = 0;
    const more = () => { while (!socket.destroyed && i++ < 1e6 && socket.write(hint)); };
    socket.on('drain', more);
    more();
  } else {
    socket.end('HTTP/1.1 100 Continue\\r\\n\\r\\nHTTP/1.1 103 Early Hints\\r\\nlink: </a.css>\\r\\n\\r\\nHTTP/1.1 204 No Content\\r\\nconnection: close\\r\\n\\r\\n');
  }
};
net.createServer((socket) => { socket.on('error', () => {}); socket.once('data', () => answer(socket)); })
  .listen(Number(port), ip, () => process.stdout.write('listening\\n'));
`;

/**
 * A hostile HTTP peer on ip:port, in a child process (so the cost of producing its
 * answer never lands on the event loop under test): 10,000 headers in one write, a
 * head that never ends, a flood of interim 1xx responses, or two interim heads and then
 * a real answer.
 */
export async function startHostileHttpServer(ip: string, port: number, answer: HostileAnswer): Promise<Closable> {
  const child: ChildProcess = spawn(process.execPath, ['-e', HOSTILE_CHILD, answer, ip, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`hostile server exited early (${code})`)));
    child.stdout?.once('data', () => resolve());
  });
  child.removeAllListeners('exit');
  return {
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
