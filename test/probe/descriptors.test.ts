/** The probe out of file descriptors: attempts it could not make are listed as not checked, never as an outcome. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProbeReport } from '../../src/inventory/probe-report.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, 'test', 'support', 'probe-without-descriptors.ts');

function probeWithoutDescriptors(ip: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', 'ulimit -n 64 && exec "$0" "$@"', process.execPath, '--import', 'tsx', SCRIPT, ip, String(port)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      // tsx writes its transform cache in the background: a descriptor opened and closed under the test.
      env: { ...process.env, TSX_DISABLE_CACHE: '1' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(stdout));
  });
}

describe('probe with no file descriptor left', () => {
  it('lists the attempts it could not make in notChecked and reports no outcome for the address', async () => {
    const report = JSON.parse(await probeWithoutDescriptors('127.0.0.9', 9)) as ProbeReport;
    expect(report.targets[0]?.addresses).toEqual([{ ip: '127.0.0.9', family: 4, attempts: [] }]);
    expect(report.notChecked).toEqual([
      {
        what: 'probe of 127.0.0.9:9: 2 attempts on 1 address not made',
        why: 'EMFILE: this process has no file descriptor left (open-file limit 64; raise it with ulimit -n); not held against the addresses',
        region: 'us-east-1',
        account: '123456789012',
      },
    ]);
  }, 30_000);
});
