/**
 * Run by test/unit/output-file.test.ts in a child process: write a large output to
 * argv[2] with writeOutput, so the test can send SIGTERM while the temporary file is
 * being written and check that it is removed.
 */
import { writeOutput } from '../../src/fs.js';

const [path = 'out.json'] = process.argv.slice(2);
process.stdout.write('writing\n');
await writeOutput(path, 'x'.repeat(200 * 1024 * 1024));
