/** Runs the built CLI (package.json's `bin`, from `npm run build`) as a user would, capturing exit code, stdout and stderr. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };

export const ROOT = join(import.meta.dirname, '..', '..');
/** The file `lbcheck` runs once installed: the launcher, which goes on to dist/cli.js for every command but --version. */
export const CLI = join(ROOT, packageJson.bin.lbcheck);

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run under `ulimit -n` = this (soft and hard, so Node cannot raise it back). */
  openFileLimit?: number;
}

export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  const command: [string, string[]] =
    options.openFileLimit === undefined
      ? [process.execPath, [CLI, ...args]]
      : ['sh', ['-c', `ulimit -n ${options.openFileLimit} && exec "$0" "$@"`, process.execPath, CLI, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(...command, {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
