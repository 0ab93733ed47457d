/**
 * The `lbcheck` executable. `lbcheck --version` answers before anything else is loaded (commander and
 * the command table are most of a cold start, and scripts and CI ask for the version first); every
 * other command loads main.ts, which loads each command's code (and the AWS SDK) only when it runs.
 */
import module from 'node:module';
import { safeStderrText } from '../text-safety.js';
import { VERSION } from '../version.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  // Node 22.1+ can keep the compiled bundle between runs (in the OS temp dir; NODE_DISABLE_COMPILE_CACHE=1 turns it off).
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  const { main } = await import('./main.js');
  main(args).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`lbcheck: internal error: ${safeStderrText(String(error))}\n`);
      process.exit(2);
    },
  );
}
