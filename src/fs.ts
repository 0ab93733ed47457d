/**
 * Output files (`--output`), written the way a user expects whatever the path is:
 * - a regular file or a new path: atomically (a temporary file beside it, then rename),
 *   so a reader never sees half a report; an existing file keeps its permissions;
 * - a symlink: the same, to the file it points to (the link stays a link);
 * - anything else (/dev/null, /dev/stdout, a FIFO, a terminal): written through, never
 *   replaced: a rename over /dev/null would swap the device node for a regular file.
 * A missing parent directory is an error, never created silently. checkOutputWritable
 * says so before any work is done; writeOutput then writes one path.
 */
import { constants, rmSync } from 'node:fs';
import { access, chmod, lstat, open, readlink, realpath, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LbcheckError, errorLine } from './errors.js';

type OutputKind = 'new' | 'regular' | 'through';

interface OutputTarget {
  /** The path that is finally written: a symlink's target, resolved. */
  path: string;
  kind: OutputKind;
  /** Permissions of the file being replaced, kept on the new one. */
  mode?: number;
}

function cannotWrite(path: string, why: string, cause?: unknown): LbcheckError {
  return new LbcheckError(`cannot write ${path}: ${why}`, { cause });
}

function codeOf(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}

/** Where `path` leads (through symlinks) and how it must be written; throws when it cannot be. */
async function outputTarget(path: string): Promise<OutputTarget> {
  const absolute = resolve(path);
  let target = absolute;
  try {
    if ((await lstat(absolute)).isSymbolicLink()) target = await realpath(absolute);
  } catch (error) {
    // A dangling symlink: write the file it names.
    if (codeOf(error) !== 'ENOENT') throw cannotWrite(path, errorLine(error), error);
    // realpath fails on a dangling symlink: write the file it names. (lstat failing means a new path.)
    target = await danglingTarget(absolute);
  }
  try {
    const info = await stat(target);
    if (info.isDirectory()) throw cannotWrite(path, 'is a directory');
    if (info.isSocket()) throw cannotWrite(path, 'is a socket');
    return info.isFile() ? { path: target, kind: 'regular', mode: info.mode & 0o7777 } : { path: target, kind: 'through' };
  } catch (error) {
    if (error instanceof LbcheckError) throw error;
    if (codeOf(error) !== 'ENOENT') throw cannotWrite(path, errorLine(error), error);
    return { path: target, kind: 'new' };
  }
}

/** The absolute path a dangling symlink points to (`ln -s report.json out.json` before report.json exists). */
async function danglingTarget(link: string): Promise<string> {
  try {
    return resolve(dirname(link), await readlink(link));
  } catch {
    return link;
  }
}

/**
 * Throws a one-line LbcheckError (exit 2) when `path` cannot be written: its directory is
 * missing or not writable, it is a directory, or the file is read-only. Call it before
 * collecting, so a bad path fails in a second, not after the whole scan.
 */
export async function checkOutputWritable(path: string): Promise<void> {
  const target = await outputTarget(path);
  const directory = dirname(target.path);
  try {
    if (!(await stat(directory)).isDirectory()) throw cannotWrite(path, `${directory} is not a directory`);
  } catch (error) {
    if (error instanceof LbcheckError) throw error;
    if (codeOf(error) === 'ENOENT') throw cannotWrite(path, `directory ${directory} does not exist (lbcheck does not create it)`, error);
    throw cannotWrite(path, errorLine(error), error);
  }
  try {
    // Written through: the file itself must take writes. New or replaced: its directory must take the temporary file.
    await access(target.kind === 'through' || target.kind === 'regular' ? target.path : directory, constants.W_OK);
    if (target.kind !== 'through') await access(directory, constants.W_OK);
  } catch (error) {
    throw cannotWrite(path, codeOf(error) === 'EACCES' || codeOf(error) === 'EPERM' ? 'permission denied' : errorLine(error), error);
  }
}

/** Temporary files being written now: removed if SIGINT or SIGTERM arrives before the rename. */
const temporaryFiles = new Set<string>();

function removeTemporaryFilesAndExit(signal: NodeJS.Signals): void {
  for (const temporary of temporaryFiles) {
    try {
      // Synchronous: the process is about to end.
      rmSync(temporary, { force: true });
    } catch {
      // Nothing more to do on the way out.
    }
  }
  temporaryFiles.clear();
  process.off('SIGINT', removeTemporaryFilesAndExit);
  process.off('SIGTERM', removeTemporaryFilesAndExit);
  // Die of the same signal, as without the handler (the shell sees 130/143).
  process.kill(process.pid, signal);
}

function trackTemporaryFile(temporary: string): void {
  if (temporaryFiles.size === 0) {
    process.on('SIGINT', removeTemporaryFilesAndExit);
    process.on('SIGTERM', removeTemporaryFilesAndExit);
  }
  temporaryFiles.add(temporary);
}

function untrackTemporaryFile(temporary: string): void {
  temporaryFiles.delete(temporary);
  if (temporaryFiles.size === 0) {
    process.off('SIGINT', removeTemporaryFilesAndExit);
    process.off('SIGTERM', removeTemporaryFilesAndExit);
  }
}

/** What an output file gets: one string, or a report's pieces in order (src/report/index.ts reportChunks). */
export type OutputContent = string | Iterable<string>;

/** Bytes encoded before each write: a few hundred writes for the largest report, one buffer reused for all. */
const WRITE_BATCH_BYTES = 1 << 20;
/** UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair takes 4 for its 2). */
const MAX_UTF8_BYTES_PER_UNIT = 3;
/** Characters encoded at a time, so one piece always fits an empty batch. */
const MAX_UNITS_PER_PIECE = Math.floor(WRITE_BATCH_BYTES / MAX_UTF8_BYTES_PER_UNIT);

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;

/** What a writer of encoded batches answers: `stop` when its destination takes no more (the reader of a pipe went away). */
export type BatchWritten = void | 'stop';

/**
 * Encodes `content` as UTF-8 into one reused buffer and hands `write` each full batch, which
 * it must have written before it resolves. No encoded copy of the whole text is made, and
 * pieces die young: at 10,000 load balancers a report is tens of MB, and every MB touched
 * for the first time costs the kernel more than the encoding does. Once `write` answers
 * `stop`, no further piece is asked for, so a report in pieces is not made for nobody.
 */
export async function writeEncoded(content: OutputContent, write: (bytes: Uint8Array) => Promise<BatchWritten>): Promise<void> {
  const batch = Buffer.allocUnsafe(WRITE_BATCH_BYTES);
  let used = 0;
  for (const chunk of typeof content === 'string' ? [content] : content) {
    for (let start = 0; start < chunk.length; ) {
      let end = Math.min(chunk.length, start + MAX_UNITS_PER_PIECE);
      // A surrogate pair stays in one piece: apart, each half would be encoded as U+FFFD.
      if (end < chunk.length && isHighSurrogate(chunk.charCodeAt(end - 1))) end--;
      if (used + (end - start) * MAX_UTF8_BYTES_PER_UNIT > WRITE_BATCH_BYTES) {
        // Leaving the loop ends the pieces' generator (its finally blocks run): nothing more is rendered.
        if ((await write(batch.subarray(0, used))) === 'stop') return;
        used = 0;
      }
      used += batch.write(start === 0 && end === chunk.length ? chunk : chunk.slice(start, end), used);
      start = end;
    }
  }
  if (used > 0) await write(batch.subarray(0, used));
}

/** Writes `content` to an open file, every byte (a write may take fewer than it is given). */
async function writeToFile(handle: FileHandle, content: OutputContent): Promise<void> {
  await writeEncoded(content, async (bytes) => {
    for (let done = 0; done < bytes.length; ) done += (await handle.write(bytes, done, bytes.length - done)).bytesWritten;
  });
}

/** Opens `path` with `flags`, writes `content`, closes it whatever happens. */
async function writeFileContent(path: string, content: OutputContent, flags: string): Promise<void> {
  const handle = await open(path, flags, 0o644);
  try {
    await writeToFile(handle, content);
  } finally {
    await handle.close();
  }
}

async function writeAtomically(target: OutputTarget, content: OutputContent): Promise<void> {
  const temporary = `${target.path}.${process.pid}.${Date.now()}.tmp`;
  trackTemporaryFile(temporary);
  try {
    await writeFileContent(temporary, content, 'wx');
    if (target.mode !== undefined) await chmod(temporary, target.mode);
    await rename(temporary, target.path);
  } catch (error) {
    // A rename that failed (the target became a directory, say) must not leave the temporary file behind.
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  } finally {
    untrackTemporaryFile(temporary);
  }
}

/** Write `content` to `path` as the header says: atomically for a file or a new path, through for anything else. */
export async function writeOutput(path: string, content: OutputContent): Promise<void> {
  try {
    const target = await outputTarget(path);
    if (target.kind === 'through') await writeFileContent(target.path, content, 'w');
    else await writeAtomically(target, content);
  } catch (error) {
    if (error instanceof LbcheckError) throw error;
    const code = codeOf(error);
    const why = code === 'EISDIR' ? 'is a directory' : code === 'ENOENT' ? `directory ${dirname(resolve(path))} does not exist (lbcheck does not create it)` : errorLine(error);
    throw cannotWrite(path, why, error);
  }
}
