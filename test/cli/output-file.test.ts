/** `--output` that cannot be written fails at once, in one line, before any AWS call or probe. */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-support.js';

describe('--output checked before the work', () => {
  it('fails a snapshot with a missing output directory before collecting anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lbcheck-cli-output-'));
    const output = join(dir, 'missing', 'inv.json');
    // An endpoint that refuses: reaching it at all would print collection errors.
    const result = await runCli(['snapshot', '--region', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9', '--output', output], {
      env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`lbcheck: error: cannot write ${output}: directory ${join(dir, 'missing')} does not exist (lbcheck does not create it)\n`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('fails a probe whose output is a directory before probing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lbcheck-cli-output-'));
    const result = await runCli(['probe', '127.0.0.1', '--port', '9', '--output', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`lbcheck: error: cannot write ${dir}: is a directory\n`);
  });
});
