/**
 * The options each command receives from the parser (src/cli/main.ts). Their own module,
 * so that main.ts (which loads the commands) and the commands (which use these types)
 * do not import each other.
 */
export interface GlobalOptions {
  debug?: boolean;
  quiet?: boolean;
}

/** The scope flags, one type for every front end: defined beside the code that checks them. */
export type { ScopeOptions } from '../aws/scope-options.js';

export interface ProbeFlags {
  dnsServer?: string;
  timeout: number;
  attempts: number;
}

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_PROBE_TIMEOUT_MS = 3000;
export const DEFAULT_PROBE_ATTEMPTS = 3;

/** A duration flag (--max-time): as the user wrote it, for messages, and in milliseconds. */
export type { Duration } from '../duration.js';
