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

/** Write errors reach emit through the write callback; without a listener the stream's 'error' event would crash with a stack trace. */
function errorsThroughCallback(): void {}

/** Machine output: to --output FILE when given, else stdout. */
export async function emit(content: string, outputPath?: string): Promise<void> {
  const text = content.endsWith('\n') ? content : `${content}\n`;
  if (outputPath && outputPath !== '-') {
    await writeFileAtomic(outputPath, text);
    return;
  }
  if (!process.stdout.listeners('error').includes(errorsThroughCallback)) process.stdout.on('error', errorsThroughCallback);
  await new Promise<void>((resolveWrite, reject) =>
    process.stdout.write(text, (error) => {
      // The reader went away (`lbcheck ... | head`): it has what it wanted; the exit code stays the command's own.
      if (error && (error as NodeJS.ErrnoException).code !== 'EPIPE') reject(new LbcheckError(`cannot write to stdout: ${errorLine(error)}`, { cause: error }));
      else resolveWrite();
    }),
  );
}
