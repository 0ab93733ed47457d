// Bundles the CLI into dist/ with code splitting: dist/lbcheck.cjs is the executable (a small
// CommonJS launcher: it answers --version itself and otherwise loads dist/cli.js), dist/cli.js
// holds only argument parsing, and each command (with the AWS SDK) is a chunk loaded when it runs.
// dist/index.js is the library entry (src/index.ts: runAudit and what it takes); its type
// declarations go to dist/types (tsc, run beside esbuild: it is the slower of the two).
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { chmod, rename, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { promisify } from 'node:util';

// Build beside dist/ and swap it in, so a CLI test running meanwhile never finds dist/ half-written.
const staging = `dist.${process.pid}.tmp`;
const declarations = emitDeclarations(`${staging}/types`);
const { metafile } = await build({
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
  metafile: true,
});
await build({
  entryPoints: ['src/cli/launcher.ts'],
  outfile: `${staging}/lbcheck.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});

// Everything the bundle runs is inside it, so package.json has no runtime dependencies
// (`npm install lbcheck` installs nothing): fail the build if an import was left outside.
const builtins = new Set(builtinModules);
const external = Object.values(metafile.outputs).flatMap((output) =>
  output.imports.filter((entry) => entry.external && !entry.path.startsWith('node:') && !builtins.has(entry.path)).map((entry) => entry.path),
);
if (external.length > 0) {
  await rm(staging, { recursive: true, force: true });
  throw new Error(`the bundle leaves these imports outside it: ${[...new Set(external)].join(', ')}; bundle them, or declare them in package.json dependencies`);
}
await declarations;
await chmod(`${staging}/cli.js`, 0o755);
await chmod(`${staging}/lbcheck.cjs`, 0o755);
await rm('dist', { recursive: true, force: true });
await rename(staging, 'dist');

/** tsc writes the library entry's .d.ts files (dist/types/src/index.d.ts and what it imports); a type error fails the build. */
async function emitDeclarations(outDir) {
  try {
    await promisify(execFile)(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.declarations.json', '--outDir', outDir]);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(`tsc could not write the library's type declarations:\n${error.stdout || error.message}`);
  }
}
