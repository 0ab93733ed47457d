/**
 * The `lbcheck` executable (package.json `bin` → dist/lbcheck.cjs). A CommonJS file: a cold start
 * that never enters the ES module loader is about 15 ms cheaper, and `lbcheck --version` (asked
 * first by scripts and CI) answers here without loading anything else. Every other command goes on
 * to dist/cli.js (src/cli/bin.ts), which loads each command's code only when it runs.
 */
// A named import, so the bundle keeps package.json's version and nothing else of it.
import { version } from '../../package.json';

// The ES module entry beside this file in dist/ (a variable, so the bundler leaves it to Node).
const CLI_ENTRY = './cli.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${version}\n`);
} else {
  import(CLI_ENTRY).catch((error: unknown) => {
    process.stderr.write(`lbcheck: internal error: cannot load ${CLI_ENTRY}: ${String(error).split('\n')[0]}\n`);
    process.exit(2);
  });
}
