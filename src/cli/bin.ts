/**
 * The CLI's ES module entry (dist/cli.js), loaded by the `lbcheck` executable (src/cli/launcher.ts)
 * for every command but `--version`, or run directly (`node dist/cli.js ...`). It loads main.ts,
 * which loads each command's code (and the AWS SDK) only when it runs.
 */
import module from 'node:module';
import { scavengeOnMainThread } from '../scavenge.js';
import { safeStderrText } from '../text-safety.js';

// Node 22.1+ can keep the compiled bundle between runs (in the OS temp dir; NODE_DISABLE_COMPILE_CACHE=1 turns it off).
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
scavengeOnMainThread();
const { main } = await import('./main.js');
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`lbcheck: internal error: ${safeStderrText(String(error))}\n`);
    process.exit(2);
  },
);
