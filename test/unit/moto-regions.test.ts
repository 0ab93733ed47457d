import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MOTO_REGIONS } from '../support/moto.js';

const REGION_NAME = /'(?:us|eu|ap|ca|sa|me|af|il|mx)-[a-z]+-\d'/;

function regionsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Object.values(value as Record<string, unknown>).flatMap(regionsOf);
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? testFiles(join(dir, entry.name)) : entry.name.endsWith('.test.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('moto regions', () => {
  it('gives every region one owner, so test files can share the one moto_server in parallel', () => {
    const all = regionsOf(MOTO_REGIONS);
    const twice = all.filter((region, i) => all.indexOf(region) !== i);
    expect(twice).toEqual([]);
  });

  it('makes every test file that talks to moto take its regions from MOTO_REGIONS, not a literal', () => {
    const offenders = testFiles('test')
      .filter((file) => /\bmotoEndpoint\(|\bmotoClients\(|\bscenario\(/.test(readFileSync(file, 'utf8')))
      .filter((file) => {
        const text = readFileSync(file, 'utf8');
        // A literal region name is fine inside a region-name validation list; a moto test must use the table.
        return !text.includes('MOTO_REGIONS') || text.split('\n').some((line) => /const \w*[rR]egion\w* = '/.test(line) && REGION_NAME.test(line));
      })
      .map((file) => relative('.', file));
    expect(offenders).toEqual([]);
  });
});
