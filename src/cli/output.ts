import { checkOutputWritable, writeOutput } from '../fs.js';
import { LbcheckError, errorLine } from '../errors.js';

/** Write errors reach emit through the write callback; without a listener the stream's 'error' event would crash with a stack trace. */
function errorsThroughCallback(): void {}

/** Fails now (exit 2) when --output cannot be written, before any collecting or probing. */
export async function checkOutput(outputPath?: string): Promise<void> {
  if (outputPath && outputPath !== '-') await checkOutputWritable(outputPath);
}

/** Machine output: to --output FILE when given, else stdout. */
export async function emit(content: string, outputPath?: string): Promise<void> {
  const text = content.endsWith('\n') ? content : `${content}\n`;
  if (outputPath && outputPath !== '-') {
    await writeOutput(outputPath, text);
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
