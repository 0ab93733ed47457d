/**
 * `--output` writes what a user expects whatever the path is: a device, a FIFO or a
 * symlink is written through (never replaced by a regular file), a missing directory
 * is an error before any work, and a temporary file never outlives SIGTERM.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { chmod, lstat, mkdtemp, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { LbcheckError } from '../../src/errors.js';
import { checkOutputWritable, writeEncoded, writeOutput } from '../../src/fs.js';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lbcheck-output-'));
});

function readAll(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    createReadStream(path, 'utf8')
      .on('data', (chunk) => (text += String(chunk)))
      .on('end', () => resolve(text))
      .on('error', reject);
  });
}

describe('writeOutput', () => {
  it('writes a new file and replaces a regular one, keeping its permissions', async () => {
    const path = join(dir, 'report.json');
    await writeOutput(path, 'one\n');
    await chmod(path, 0o600);
    await writeOutput(path, 'two\n');
    expect(await readFile(path, 'utf8')).toBe('two\n');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['report.json']);
  });

  it('writes a report given in pieces, every character whole across the 1 MiB batches it is encoded in', async () => {
    const path = join(dir, 'pieces.json');
    // Pairs of surrogates ('😀' is two UTF-16 units) at even and at odd offsets: wherever a long piece is cut, some pair straddles the cut.
    const pieces = ['{"a":"', '😀'.repeat(400_000), '', `x${'😀'.repeat(400_000)}`, 'é漢'.repeat(300_000), 'a'.repeat(2_500_000), '"}\n'];
    await writeOutput(path, pieces);
    const written = await readFile(path);
    expect(written.equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true);
    expect(written.includes(Buffer.from('\uFFFD', 'utf8'))).toBe(false);
  });

  it('writes through a FIFO to its reader instead of replacing it with a file', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const read = readAll(fifo);
    await writeOutput(fifo, 'report\n');
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await read).toBe('report\n');
  });

  it('writes through a character device (a copy of /dev/null) instead of replacing the node', async () => {
    const device = join(dir, 'null');
    execFileSync('mknod', [device, 'c', '1', '3']);
    await writeOutput(device, 'discarded\n');
    expect((await lstat(device)).isCharacterDevice()).toBe(true);
    expect(await readdir(dir)).toEqual(['null']);
  });

  it('writes to the file a symlink points to, and keeps the link', async () => {
    const real = join(dir, 'real.json');
    const link = join(dir, 'link.json');
    await writeFile(real, 'old\n');
    await symlink(real, link);
    await writeOutput(link, 'new\n');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe('new\n');

    const dangling = join(dir, 'later.json');
    await symlink('created-later.json', dangling);
    await writeOutput(dangling, 'made\n');
    expect((await lstat(dangling)).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'created-later.json'), 'utf8')).toBe('made\n');
  });

  it('never creates a missing directory', async () => {
    const path = join(dir, 'missing', 'report.json');
    const error = new LbcheckError(`cannot write ${path}: directory ${join(dir, 'missing')} does not exist (lbcheck does not create it)`);
    await expect(checkOutputWritable(path)).rejects.toThrow(error);
    await expect(writeOutput(path, 'x')).rejects.toThrow(error);
    expect(await readdir(dir)).toEqual([]);
  });

  it('says a directory is not a file before any work', async () => {
    await expect(checkOutputWritable(dir)).rejects.toThrow(new LbcheckError(`cannot write ${dir}: is a directory`));
    await expect(checkOutputWritable(join(dir, 'fine.json'))).resolves.toBeUndefined();
  });

  it('removes the temporary file when SIGTERM arrives during the write', async () => {
    const path = join(dir, 'big.json');
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'support', 'write-output-slowly.ts'), path], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise((resolve) => child.stdout.once('data', resolve));
    // Wait until the temporary file exists, then stop the writer.
    for (let tries = 0; tries < 2000 && !(await readdir(dir)).some((name) => name.endsWith('.tmp')); tries++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await readdir(dir)).some((name) => name.endsWith('.tmp'))).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    expect(await readdir(dir)).toEqual([]);
  }, 30_000);
});

describe('writeEncoded', () => {
  it('asks for no more pieces once the writer says its destination takes no more', async () => {
    const piece = 'x'.repeat(100_000);
    let made = 0;
    let ended = false;
    function* report(): Generator<string> {
      try {
        for (; made < 100; ) {
          made++;
          yield piece;
        }
      } finally {
        ended = true;
      }
    }
    const batches: number[] = [];
    await writeEncoded(report(), async (bytes) => {
      batches.push(bytes.length);
      return 'stop';
    });
    // 3 bytes per character are kept free for each piece, so the 1 MiB batch is written when the 9th piece comes: 8 of 100.
    expect(batches).toEqual([800_000]);
    expect(made).toBe(9);
    expect(ended).toBe(true);
  });

  it('writes every piece while the writer takes them', async () => {
    const pieces = ['a'.repeat(500_000), 'b'.repeat(500_000), 'c'];
    const written: string[] = [];
    await writeEncoded(pieces, async (bytes) => {
      written.push(Buffer.from(bytes).toString('utf8'));
    });
    expect(written.join('')).toBe(pieces.join(''));
  });
});
