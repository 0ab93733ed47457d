/**
 * How many sockets the probe may hold open at once on this machine. Every attempt holds
 * one file descriptor for up to one timeout; past the process's open-file limit the
 * kernel answers EMFILE, which says nothing about the address being probed. So the pool
 * is sized to what is left of the limit, with headroom for what else the process opens
 * (DNS sockets, AWS connections, the output file).
 *
 * Linux tells through /proc/self/limits and /proc/self/fd (Node raises the soft limit to
 * the hard one at start-up, so this is the real ceiling); elsewhere the budget is unknown
 * and the caller's own cap applies, with EMFILE still reported as "not probed".
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Descriptors left for everything but the probe's sockets. */
const HEADROOM = 64;

/** The soft limit on open files, or undefined where /proc is not there to say. */
export function openFileLimit(): number | undefined {
  try {
    const soft = /^Max open files\s+(\d+|unlimited)\s/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
    if (soft === undefined) return undefined;
    return soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
  } catch {
    return undefined;
  }
}

function openDescriptorCount(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return 0;
  }
}

export interface SocketBudget {
  /** The soft limit on open files, when known. */
  openFileLimit?: number;
  /** Sockets the probe may open at once: what the limit leaves after the descriptors already open and some headroom (at least 1). */
  sockets?: number;
}

/** Read once, before the probe opens anything: with every descriptor taken, /proc cannot be read either. */
export function socketBudget(): SocketBudget {
  const limit = openFileLimit();
  if (limit === undefined) return {};
  return { openFileLimit: limit, sockets: Math.max(1, limit - openDescriptorCount() - HEADROOM) };
}

/** System errors that mean this machine had no descriptor to try with: a local limit, never a verdict on the address. */
export const LOCAL_LIMIT_CODES: ReadonlySet<string> = new Set(['EMFILE', 'ENFILE']);
