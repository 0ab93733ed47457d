/**
 * package.json against the code: every package src/ and rules/ import is declared, and
 * since the CLI and the library entry are esbuild bundles (scripts/build.mjs fails on an
 * import it would leave outside), none is a runtime dependency: `npm install lbcheck`
 * installs nothing. The AWS SDK packages share one @aws-sdk/core and one copy of each
 * @smithy package (the clients are released separately, so their own versions differ).
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, typescriptFiles } from '../support/imports.js';

const ROOT = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies: Record<string, string> };
const lockfile = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };


/** The package a bare import names: `@scope/name` or `name`, without a subpath. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

function importedPackages(): Set<string> {
  const builtins = new Set(builtinModules);
  const specifiers = [...typescriptFiles(join(ROOT, 'src')), ...typescriptFiles(join(ROOT, 'rules'))].flatMap((file) =>
    importSpecifiers(readFileSync(file, 'utf8')).filter((specifier) => !specifier.startsWith('.')),
  );
  return new Set(specifiers.filter((specifier) => !specifier.startsWith('node:') && !builtins.has(specifier)).map(packageOf));
}

describe('dependencies', () => {
  it('declares every package the code imports', () => {
    const imported = importedPackages();
    expect(imported).toContain('@aws-sdk/client-ec2');
    const undeclared = [...imported].filter((name) => manifest.devDependencies[name] === undefined && manifest.dependencies?.[name] === undefined);
    expect(undeclared).toEqual([]);
  });

  it('has no runtime dependency: the bundles carry what they run', () => {
    expect(manifest.dependencies ?? {}).toEqual({});
  });

  it('locks one copy of each AWS SDK and Smithy package', () => {
    const copies = new Map<string, string[]>();
    for (const [path, entry] of Object.entries(lockfile.packages)) {
      const name = path.split('node_modules/').at(-1) as string;
      if (!/^@(aws-sdk|smithy)\//.test(name)) continue;
      copies.set(name, [...(copies.get(name) ?? []), entry.version ?? '?']);
    }
    expect(copies.get('@aws-sdk/core')).toHaveLength(1);
    expect([...copies].filter(([, versions]) => versions.length > 1)).toEqual([]);
  });
});
