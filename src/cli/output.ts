import { checkOutputWritable, writeEncoded, writeOutput, type BatchWritten, type OutputContent } from '../fs.js';
import { reportChunks, type AuditReport, type RenderContext, type ReportFormat } from '../report/index.js';
import { formatOfPath } from '../report/outputs.js';
import { DEFAULT_TEXT_WIDTH } from '../report/text.js';
import { colorEnabled } from './progress.js';
import { LbcheckError, errorLine } from '../errors.js';

/** Write errors reach emit through the write callback; without a listener the stream's 'error' event would crash with a stack trace. */
function errorsThroughCallback(): void {}

/** Fails now (exit 2) when --output cannot be written, before any collecting or probing. */
export async function checkOutput(outputPath?: string): Promise<void> {
  if (outputPath && outputPath !== '-') await checkOutputWritable(outputPath);
}

/** `content` ending with a newline: added when its last piece does not end with one. */
function* endingWithNewline(content: OutputContent): Generator<string> {
  let last = '';
  for (const chunk of typeof content === 'string' ? [content] : content) {
    if (chunk !== '') last = chunk;
    yield chunk;
  }
  if (!last.endsWith('\n')) yield '\n';
}

/** Machine output: to --output FILE when given, else stdout; a report in pieces as they are made. */
export async function emit(content: OutputContent, outputPath?: string): Promise<void> {
  const text = endingWithNewline(content);
  if (outputPath && outputPath !== '-') {
    await writeOutput(outputPath, text);
    return;
  }
  if (!process.stdout.listeners('error').includes(errorsThroughCallback)) process.stdout.on('error', errorsThroughCallback);
  await writeEncoded(
    text,
    (bytes) =>
      new Promise<BatchWritten>((resolveWrite, reject) =>
        // Resolved once stdout is done with the bytes: the buffer is then reused for the next batch.
        process.stdout.write(bytes, (error) => {
          // The reader went away (`lbcheck ... | head`): it has what it wanted; the rest is neither rendered nor written, and the exit code stays the command's own.
          if (error && (error as NodeJS.ErrnoException).code === 'EPIPE') return resolveWrite('stop');
          if (error) return reject(new LbcheckError(`cannot write to stdout: ${errorLine(error)}`, { cause: error }));
          resolveWrite();
        }),
      ),
  );
}

/** One report destination: a file (format from its extension, else --format) or stdout (`path` undefined or `-`). */
export interface ReportOutput {
  path?: string;
  format: ReportFormat;
}

/**
 * Where each report goes (--output, repeatable), checked writable now, before any AWS call:
 * a long audit must not end in "cannot write". No --output: stdout in `stdoutFormat`.
 */
export async function reportOutputs(paths: readonly string[], format: ReportFormat | undefined, stdoutFormat: ReportFormat): Promise<ReportOutput[]> {
  if (paths.length === 0) return [{ format: format ?? stdoutFormat }];
  const outputs = [...new Set(paths)].map((path) => (path === '-' ? { format: format ?? stdoutFormat } : { path, format: formatOfPath(path, format ?? 'json') }));
  for (const output of outputs) await checkOutput(output.path);
  return outputs;
}

/** The text report's width: COLUMNS when set, else the terminal's, else 80. */
function textWidth(toTerminal: boolean): number {
  const columns = Number(process.env.COLUMNS);
  if (Number.isInteger(columns) && columns > 0) return columns;
  return (toTerminal && process.stdout.isTTY && process.stdout.columns) || DEFAULT_TEXT_WIDTH;
}

/** Renders the one report into every output. */
export async function writeReports(outputs: readonly ReportOutput[], report: AuditReport, context: RenderContext): Promise<void> {
  for (const output of outputs) {
    const toTerminal = output.path === undefined;
    // Colour only for text on a terminal (colorEnabled honours NO_COLOR).
    const color = toTerminal && output.format === 'text' && colorEnabled(process.stdout);
    await emit(reportChunks(output.format, report, { ...context, color, width: textWidth(toTerminal) }), output.path);
  }
}
