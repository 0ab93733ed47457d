import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LbcheckError, errorLine } from './errors.js';

/** Write a file atomically: a temporary file beside it, then rename, so readers never see half a file. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const target = resolve(path);
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(temporary, content, { mode: 0o644 });
    await rename(temporary, target);
  } catch (error) {
    // A rename that failed (the target is a directory, say) must not leave the temporary file behind.
    await rm(temporary, { force: true }).catch(() => undefined);
    const why = (error as { code?: string }).code === 'EISDIR' ? 'is a directory' : errorLine(error);
    throw new LbcheckError(`cannot write ${path}: ${why}`, { cause: error });
  }
}
