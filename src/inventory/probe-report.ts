/** The probe result shape fixed by the contract (`probe --format json`, and `probe` in an audit report). */
import type { NotChecked } from './model.js';

export type AttemptOutcome = 'ok' | 'timeout' | 'refused' | 'reset' | 'unreachable' | 'tls-error' | 'http-error';

export interface ProbeAttempt {
  outcome: AttemptOutcome;
  connectMs?: number;
  tlsMs?: number;
  firstByteMs?: number;
  status?: number;
  /** Human detail: the error code or TLS verification error. */
  error?: string;
  /** TLS: the certificate did not match the host name (reported, not fatal). */
  certificateError?: string;
  /** TLS: the certificate the address served. */
  certificate?: ProbeCertificate;
}

/** The leaf certificate an address served in the TLS handshake. */
export interface ProbeCertificate {
  /** ISO 8601. */
  notAfter: string;
  /** SHA-256 fingerprint, as Node gives it (AA:BB:...). */
  fingerprint: string;
  /** The subject's common name, when it has one. */
  subject?: string;
  /** When the handshake happened (ISO 8601): expiry is judged against it, so rules stay pure. */
  checkedAt: string;
}

export interface ProbeAddress {
  ip: string;
  family: 4 | 6;
  az?: string;
  subnetId?: string;
  networkInterfaceId?: string;
  attempts: ProbeAttempt[];
}

export interface ProbeDns {
  server: string; // 'system' or IP[:PORT]
  ms: number;
  addresses: string[];
  ttl?: Record<string, number>;
  cnames?: string[];
  error?: string;
}

export interface ProbeTarget {
  host: string;
  port: number;
  protocol?: 'tcp' | 'tls' | 'http' | 'https';
  /** The LB this target was probed for, in an audit. */
  loadBalancerArn?: string;
  /** Set when lbcheck cannot reach this LB from where it runs (internal LB): not a fault. */
  skipped?: string;
  dns: ProbeDns;
  addresses: ProbeAddress[];
}

export interface ProbeReport {
  targets: ProbeTarget[];
  /** Attempts this machine could not make (out of file descriptors): listed here, never an outcome of an address. */
  notChecked?: NotChecked[];
  durationMs?: number;
}
