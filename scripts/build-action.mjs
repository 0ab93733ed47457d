// Bundles the GitHub Action (src/action/main.ts) into one committed file, action/dist/index.js,
// which action.yml runs on node24. Deterministic (no source map, no timestamps, sorted input),
// so `npm run build:action && git diff --exit-code action/dist` tells a stale bundle (.ci/run).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/action/main.ts'],
  outfile: 'action/dist/index.js',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  banner: { js: "import { createRequire as __lbcheckCreateRequire } from 'node:module';\nconst require = __lbcheckCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
