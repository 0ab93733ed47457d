/** Regenerates test/golden/ from the example snapshots (`npm run golden`); review the diff. */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GOLDEN_DIR, goldenFiles } from '../test/support/golden.js';

const files = await goldenFiles();
await mkdir(GOLDEN_DIR, { recursive: true });
// A golden whose example is gone goes too.
for (const stale of (await readdir(GOLDEN_DIR)).filter((file) => !files.has(file))) await rm(join(GOLDEN_DIR, stale));
for (const [file, content] of files) await writeFile(join(GOLDEN_DIR, file), content);
process.stdout.write(`wrote ${files.size} files to ${GOLDEN_DIR}\n`);
