/**
 * The options each command receives from the parser (src/cli/main.ts). Their own module,
 * so that main.ts (which loads the commands) and the commands (which use these types)
 * do not import each other.
 */
export interface GlobalOptions {
  debug?: boolean;
  quiet?: boolean;
}

export interface ScopeOptions {
  region?: string[];
  allRegions?: boolean;
  profile?: string[];
  endpointUrl?: string;
  concurrency: number;
  /** false with --no-pace: do not pace calls to AWS's request buckets. */
  pace?: boolean;
}

export interface ProbeFlags {
  dnsServer?: string;
  timeout: number;
  attempts: number;
}

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_PROBE_TIMEOUT_MS = 3000;
export const DEFAULT_PROBE_ATTEMPTS = 3;

/** A duration flag (--max-time): as the user wrote it, for messages, and in milliseconds. */
export interface Duration {
  text: string;
  ms: number;
}
