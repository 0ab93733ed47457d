/**
 * One probe attempt against one address: TCP connect, then (for tls/https) the TLS
 * handshake with SNI = the host name, then (for http/https) a `GET /` sent over that
 * same connection (src/probe/http-head.ts: status and headers only, with hard limits
 * on what a hostile peer may send), so the name is never re-resolved and the request
 * reaches exactly this address.
 *
 * Timings are cumulative from the start of the attempt, as curl's time_connect /
 * time_appconnect / time_starttransfer: connectMs <= tlsMs <= firstByteMs.
 *
 * The whole attempt shares one hard deadline (`timeoutMs`); when it passes, the socket
 * is destroyed and the attempt is a `timeout` that says which step was waiting.
 *
 * Certificates: a certificate that does not verify (self-signed, wrong name, expired)
 * is recorded in `certificateError` and the attempt goes on; its outcome is decided by
 * what follows. The probe answers "does this address work?", and a certificate is the
 * same on every node of a load balancer, so failing every address over it would hide
 * the one address that is really broken. A handshake that fails (alert, no common
 * cipher, not TLS at all) is a `tls-error`.
 */
import { Socket, isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { checkServerIdentity, connect as tlsConnect, type TLSSocket } from 'node:tls';
import { LOCAL_LIMIT_CODES } from './descriptors.js';
import { readResponseHead, requestHead } from './http-head.js';
import type { AttemptOutcome, ProbeAttempt, ProbeCertificate } from '../inventory/probe-report.js';

export type ProbeProtocol = 'tcp' | 'tls' | 'http' | 'https';

export interface AttemptRequest {
  ip: string;
  port: number;
  /** The name the address was resolved from: SNI, certificate check and Host header. */
  host: string;
  protocol: ProbeProtocol;
  timeoutMs: number;
  /** Stops the attempt where it is (the audit's --max-time): it then throws AttemptStopped, never an outcome. */
  signal?: AbortSignal;
}

type Phase = 'connect' | 'tls' | 'http';

const round = (ms: number) => Math.round(ms * 10) / 10;

const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EHOSTDOWN', 'ENETDOWN']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
/** The kernel gave up (SYN or data retransmits unanswered): a timeout, even when it came before our own deadline. */
const TIMEOUT_CODES = new Set(['ETIMEDOUT']);

function errorCode(error: unknown): string | undefined {
  const direct = (error as { code?: unknown } | undefined)?.code;
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  // A wrapped error (a TLS or HTTP client error) may keep the system error as its cause.
  if (typeof cause === 'string' && (RESET_CODES.has(cause) || UNREACHABLE_CODES.has(cause) || TIMEOUT_CODES.has(cause))) return cause;
  return typeof direct === 'string' ? direct : typeof cause === 'string' ? cause : undefined;
}

/** Map a socket/TLS/HTTP error to the contract's outcome, by the step that failed. */
export function classifyError(error: unknown, phase: Phase): AttemptOutcome {
  const code = errorCode(error);
  if (code === 'ECONNREFUSED') return 'refused';
  if (code && RESET_CODES.has(code)) return 'reset';
  if (code && TIMEOUT_CODES.has(code)) return 'timeout';
  if (code && UNREACHABLE_CODES.has(code)) return 'unreachable';
  if (phase === 'tls') return 'tls-error';
  if (phase === 'http') return 'http-error';
  return 'unreachable';
}

function describe(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

class AttemptTimeout extends Error {}

/**
 * This machine had no file descriptor to make the attempt with (EMFILE, ENFILE): the
 * attempt was not made, and that is no outcome for the address.
 */
export class AttemptNotMade extends Error {
  constructor(readonly code: string, cause: unknown) {
    super(`${code}: ${code === 'EMFILE' ? 'this process' : 'this machine'} has no file descriptor left`, { cause });
    this.name = 'AttemptNotMade';
  }
}

/** An attempt the caller's signal stopped before it had an outcome: not a verdict about the address. */
export class AttemptStopped extends Error {
  override name = 'AttemptStopped';
}

/** The text of why `signal` was aborted: its reason's message (`--max-time reached`), else a generic one. */
export function stopReason(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : 'stopped';
}

/** Resolves with the event's first argument or rejects on 'error'/'close' before it. */
function once(emitter: Socket | TLSSocket, event: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      emitter.off(event, onEvent);
      emitter.off('error', onError);
      emitter.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
    };
    const onEvent = () => (cleanup(), resolve());
    const onError = (error: Error) => (cleanup(), reject(error));
    const onClose = () => (cleanup(), reject(Object.assign(new Error('connection closed by the peer'), { code: 'ECONNRESET' })));
    const onAbort = () => (cleanup(), reject(new AttemptTimeout()));
    if (signal.aborted) return onAbort();
    emitter.once(event, onEvent);
    emitter.once('error', onError);
    emitter.once('close', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Why the certificate did not verify. Node stops at the first problem (a self-signed
 * chain hides a name mismatch), so the name is checked on its own as well: both are
 * worth fixing, and the mismatch is the one that differs between hosts.
 */
function certificateProblems(socket: TLSSocket, host: string): string {
  const problems = [String(socket.authorizationError ?? 'certificate not verified')];
  const identity = checkServerIdentity(host, socket.getPeerCertificate());
  if (identity && !problems[0]?.includes('ALTNAME')) problems.push(`${identity.message}`);
  return problems.join('; ');
}

/** The leaf certificate the peer served, for the certificate rules (expiry, sameness across addresses). */
function servedCertificate(socket: TLSSocket): ProbeCertificate | undefined {
  const peer = socket.getPeerCertificate();
  const notAfter = Date.parse(peer.valid_to);
  if (!peer.fingerprint256 || Number.isNaN(notAfter)) return undefined;
  const subject = typeof peer.subject?.CN === 'string' ? peer.subject.CN : undefined;
  return { notAfter: new Date(notAfter).toISOString(), fingerprint: peer.fingerprint256, ...(subject && { subject }), checkedAt: new Date().toISOString() };
}

/** A TCP (and for tls/https, TLS) connection to exactly one address, timed. */
export interface OpenedConnection {
  socket: Socket | TLSSocket;
  connectMs: number;
  tlsMs?: number;
  certificateError?: string;
  certificate?: ProbeCertificate;
}

export interface OpenOptions {
  ip: string;
  port: number;
  host: string;
  tls: boolean;
  signal: AbortSignal;
  started: number;
  /** Filled as soon as each step completes, so a timeout still reports the steps that finished. */
  progress: { phase: Phase; connectMs?: number; tlsMs?: number };
}

export async function openConnection(options: OpenOptions): Promise<OpenedConnection> {
  const { ip, port, host, signal, started, progress } = options;
  const raw = new Socket();
  // Errors after a step has settled (a late reset) must not crash the process.
  raw.on('error', () => {});
  const abort = () => raw.destroy();
  signal.addEventListener('abort', abort, { once: true });
  try {
    progress.phase = 'connect';
    const connected = once(raw, 'connect', signal);
    raw.connect({ host: ip, port, family: isIP(ip) === 6 ? 6 : 4 });
    await connected;
    const connectMs = round(performance.now() - started);
    progress.connectMs = connectMs;
    if (!options.tls) return { socket: raw, connectMs };

    progress.phase = 'tls';
    const secure = tlsConnect({
      socket: raw,
      // SNI must be a name, never an IP literal (RFC 6066); the identity check then uses `host`.
      servername: isIP(host) ? undefined : host,
      host,
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    secure.on('error', () => {});
    signal.addEventListener('abort', () => secure.destroy(), { once: true });
    await once(secure, 'secureConnect', signal);
    const tlsMs = round(performance.now() - started);
    progress.tlsMs = tlsMs;
    const certificateError = secure.authorized ? undefined : certificateProblems(secure, host);
    const certificate = servedCertificate(secure);
    return { socket: secure, connectMs, tlsMs, ...(certificateError ? { certificateError } : {}), ...(certificate && { certificate }) };
  } catch (error) {
    raw.destroy();
    throw error;
  } finally {
    signal.removeEventListener('abort', abort);
  }
}

const STEP_WAITING: Record<Phase, string> = {
  connect: 'no TCP connection',
  tls: 'no TLS handshake',
  http: 'no HTTP response',
};

/**
 * One attempt: every failure of the address is an outcome with the error that caused it.
 * Throws AttemptNotMade only when this machine could not try at all (out of descriptors).
 */
export async function probeAttempt(request: AttemptRequest): Promise<ProbeAttempt> {
  const { ip, port, host, protocol, timeoutMs } = request;
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const stop = () => controller.abort();
  request.signal?.addEventListener('abort', stop, { once: true });
  const progress: OpenOptions['progress'] = { phase: 'connect' };
  const timings = () => ({
    ...(progress.connectMs !== undefined ? { connectMs: progress.connectMs } : {}),
    ...(progress.tlsMs !== undefined ? { tlsMs: progress.tlsMs } : {}),
  });
  let connection: OpenedConnection | undefined;
  try {
    const secure = protocol === 'tls' || protocol === 'https';
    connection = await openConnection({ ip, port, host, tls: secure, signal: controller.signal, started, progress });
    const certificate = {
      ...(connection.certificateError && { certificateError: connection.certificateError }),
      ...(connection.certificate && { certificate: connection.certificate }),
    };
    if (protocol === 'tcp' || protocol === 'tls') return { outcome: 'ok', ...timings(), ...certificate };

    progress.phase = 'http';
    const socket = connection.socket;
    controller.signal.addEventListener('abort', () => socket.destroy(), { once: true });
    const response = readResponseHead(socket);
    socket.write(requestHead('GET', { host, port, secure }, { 'User-Agent': 'lbcheck-probe', Connection: 'close' }));
    const { status, receivedAt } = await response;
    // Only the status matters: the body is never read (the socket is destroyed below).
    const firstByteMs = round(receivedAt - started);
    const outcome: AttemptOutcome = status >= 500 ? 'http-error' : 'ok';
    return { outcome, ...timings(), firstByteMs, status, ...certificate, ...(outcome === 'http-error' ? { error: `HTTP ${status}` } : {}) };
  } catch (error) {
    if (request.signal?.aborted) throw new AttemptStopped(stopReason(request.signal), { cause: error });
    const timedOut = controller.signal.aborted;
    if (timedOut) return { outcome: 'timeout', ...timings(), error: `${STEP_WAITING[progress.phase]} within ${timeoutMs} ms` };
    const code = errorCode(error);
    if (code !== undefined && LOCAL_LIMIT_CODES.has(code)) throw new AttemptNotMade(code, error);
    return {
      outcome: classifyError(error, progress.phase),
      ...timings(),
      error: describe(error),
      ...(connection?.certificateError ? { certificateError: connection.certificateError } : {}),
    };
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', stop);
    connection?.socket.destroy();
  }
}
