/**
 * The probe's HTTP/1.1 client, as small as the question it answers: send one request
 * on a socket we opened to one address, read the status line and headers of the
 * response, and stop. The body is never read.
 *
 * Bounded, because the peer may be hostile: the whole response head (interim 1xx heads
 * included) is at most MAX_HEAD_BYTES, with at most MAX_HEADER_LINES headers and
 * MAX_INTERIM_RESPONSES interim heads; past a limit the socket is destroyed and the
 * rest is never parsed. (A general-purpose parser goes on parsing a chunk after its
 * header limit is hit: 10,000 headers in one write stalled the event loop for seconds
 * and made healthy addresses time out.) The limits follow Node's: 16 KiB of head
 * (`--max-http-header-size`); real load balancers send well under 1 KiB.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';

export const MAX_HEAD_BYTES = 16 * 1024;
export const MAX_HEADER_LINES = 100;
export const MAX_INTERIM_RESPONSES = 10;

export interface ResponseHead {
  status: number;
  /** Lower-cased names; a repeated header keeps its last value. */
  headers: Map<string, string>;
  /** performance.now() when the final head was complete. */
  receivedAt: number;
}

/** A response the probe refuses to read further: too big, too many headers, not HTTP/1.x. */
export class ResponseHeadError extends Error {
  constructor(
    message: string,
    readonly code: 'HEAD_TOO_LARGE' | 'TOO_MANY_HEADERS' | 'TOO_MANY_INTERIM_RESPONSES' | 'NOT_HTTP',
  ) {
    super(message);
    this.name = 'ResponseHeadError';
  }
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** Status and headers of one head (`HTTP/1.1 200 OK\r\nName: value\r\n...`, without the blank line). */
export function parseResponseHead(head: string): Omit<ResponseHead, 'receivedAt'> {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine)?.[1];
  if (status === undefined) throw new ResponseHeadError(`not an HTTP/1.x response: ${JSON.stringify(statusLine.slice(0, 40))}`, 'NOT_HTTP');
  if (lines.length > MAX_HEADER_LINES) throw new ResponseHeadError(`response has over ${MAX_HEADER_LINES} headers`, 'TOO_MANY_HEADERS');
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(status), headers };
}

/**
 * Read the final response head from `socket` (interim 1xx heads are skipped). Rejects
 * with the socket's error, with an Error when the peer closes first, and with a
 * ResponseHeadError past a limit. Stops listening once settled: what follows on the
 * socket (a body, the close) is the caller's.
 */
export function readResponseHead(socket: Socket | TLSSocket): Promise<ResponseHead> {
  return new Promise((resolve, reject) => {
    let pending = Buffer.alloc(0);
    let received = 0;
    let interim = 0;
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('end', onClose);
      socket.off('close', onClose);
    };
    const fail = (error: Error) => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onError = (error: Error) => fail(error);
    // A peer that resets the connection reports ECONNRESET through 'error' first; this is the orderly close.
    const onClose = () => fail(new Error('the peer closed the connection before a response'));
    const onData = (chunk: Buffer) => {
      // Only bytes within the head budget are ever parsed (one more tells that it is exceeded),
      // and the heads complete within it are read before the budget is judged: a chunk of
      // many small interim heads is "too many interim responses", whatever its size.
      const budget = MAX_HEAD_BYTES + 1 - received;
      const usable = chunk.length > budget ? chunk.subarray(0, budget) : chunk;
      received += usable.length;
      // Search only where the new chunk could complete "\r\n\r\n" (pending is at most MAX_HEAD_BYTES + 1).
      const searchFrom = Math.max(0, pending.length - 3);
      pending = Buffer.concat([pending, usable]);
      let end = pending.indexOf(HEAD_END, searchFrom);
      while (end >= 0) {
        let head: Omit<ResponseHead, 'receivedAt'>;
        try {
          head = parseResponseHead(pending.subarray(0, end).toString('latin1'));
        } catch (error) {
          return fail(error as Error);
        }
        // 1xx (100 Continue, 103 Early Hints) are interim: the real response follows.
        if (head.status >= 200 || head.status === 101) {
          cleanup();
          resolve({ ...head, receivedAt: performance.now() });
          return;
        }
        if (++interim > MAX_INTERIM_RESPONSES) return fail(new ResponseHeadError(`over ${MAX_INTERIM_RESPONSES} interim (1xx) responses`, 'TOO_MANY_INTERIM_RESPONSES'));
        pending = pending.subarray(end + HEAD_END.length);
        end = pending.indexOf(HEAD_END);
      }
      if (received > MAX_HEAD_BYTES) fail(new ResponseHeadError(`response head over ${MAX_HEAD_BYTES} bytes`, 'HEAD_TOO_LARGE'));
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('end', onClose);
    socket.on('close', onClose);
  });
}

/** The request line and headers of a body-less request to `/`; `Host` names a port other than the scheme's default, as browsers do. */
export function requestHead(method: 'GET' | 'HEAD', target: { host: string; port: number; secure: boolean }, headers: Record<string, string>): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const defaultPort = target.secure ? 443 : 80;
  const lines = [`${method} / HTTP/1.1`, `Host: ${target.port === defaultPort ? host : `${host}:${target.port}`}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return `${lines.join('\r\n')}\r\n\r\n`;
}
