/**
 * Report files: each file's format comes from its extension (.json .sarif .md .html .txt),
 * else from the format asked for, so one collection serves every output (CI no longer
 * collects three times for JSON, SARIF and Markdown).
 */
import { extname } from 'node:path';
import type { ReportFormat } from './index.js';

const FORMAT_OF_EXTENSION: Readonly<Record<string, ReportFormat>> = {
  '.json': 'json',
  '.sarif': 'sarif',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.txt': 'text',
};

/** The format of a report file: by its extension when lbcheck knows it, else `fallback`. */
export function formatOfPath(path: string, fallback: ReportFormat): ReportFormat {
  return FORMAT_OF_EXTENSION[extname(path).toLowerCase()] ?? fallback;
}
