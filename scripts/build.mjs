// Bundles the CLI into dist/ with code splitting: dist/cli.js holds only argument
// parsing, and each command (with the AWS SDK) is a chunk loaded when it runs.
// dist/index.js is the library entry (src/index.ts: runAudit and what it takes).
import { build } from 'esbuild';
import { chmod, rename, rm } from 'node:fs/promises';

// Build beside dist/ and swap it in, so a CLI test running meanwhile never finds dist/ half-written.
const staging = `dist.${process.pid}.tmp`;
await build({
  entryPoints: { cli: 'src/cli/bin.ts', index: 'src/index.ts' },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __lbcheckCreateRequire } from 'node:module';\nconst require = __lbcheckCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
await chmod(`${staging}/cli.js`, 0o755);
await rm('dist', { recursive: true, force: true });
await rename(staging, 'dist');
