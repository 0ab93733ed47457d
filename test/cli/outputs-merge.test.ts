/**
 * One collection, many outputs (--output repeatable, format from the extension), checked
 * writable before anything is read; and `lbcheck merge` of shard reports equal to the one
 * audit of both shards.
 */
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportSchemaErrors } from '../support/report-schema.js';
import { ROOT, runCli } from './cli-support.js';

const EXAMPLE = join(ROOT, 'examples', 'incidents.snapshot.json');

interface Report {
  scope: { regions: string[]; accounts: string[] };
  findings: { ruleId: string; fingerprint: string; severity: string; resource: { arn: string; region: string } }[];
  notChecked: unknown[];
  summary: Record<string, number>;
  stats: { apiCalls: Record<string, number> };
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lbcheck-cli-outputs-'));
});

describe('audit --output, repeated', () => {
  it('writes every format from one collection, each chosen by the extension', async () => {
    // lbcheck never creates a missing directory.
    await mkdir(join(work, 'many'));
    const files = ['r.json', 'r.sarif', 'r.md', 'r.txt', 'r.out'].map((name) => join(work, 'many', name));
    const result = await runCli(['audit', '--snapshot', EXAMPLE, '--fail-on', 'none', '--quiet', ...files.flatMap((file) => ['--output', file])], { cwd: work });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
    const [json, sarif, markdown, text, other] = await Promise.all(files.map((file) => readFile(file, 'utf8')));
    expect(reportSchemaErrors(JSON.parse(json ?? ''))).toEqual([]);
    expect((JSON.parse(sarif ?? '') as { version: string }).version).toBe('2.1.0');
    expect(markdown?.startsWith('## lbcheck: 2 errors')).toBe(true);
    expect(text).toContain('2 errors, 0 warnings, 0 info');
    // No known extension: --format, else JSON.
    expect((JSON.parse(other ?? '') as Report).findings).toHaveLength(2);
  });

  it('refuses an output it could not write before reading anything: one line, exit 2', async () => {
    const readOnly = join(work, 'read-only');
    await mkdir(readOnly);
    await chmod(readOnly, 0o555);
    const missing = join(work, 'no-such.snapshot.json');
    const intoDirectory = await runCli(['audit', '--snapshot', missing, '--output', join(work, 'ok.json'), '--output', work], { cwd: work });
    expect(intoDirectory.code).toBe(2);
    expect(intoDirectory.stderr).toBe(`lbcheck: error: cannot write ${work}: is a directory\n`);
    if (process.getuid?.() !== 0) {
      // root writes anywhere; for everyone else a read-only directory is refused up front.
      const denied = await runCli(['audit', '--snapshot', missing, '--output', join(readOnly, 'r.json')], { cwd: work });
      expect(denied.code).toBe(2);
      expect(denied.stderr).toMatch(/^lbcheck: error: cannot write .*read-only\/r\.json: permission denied$/m);
    }
  });
});

describe('lbcheck merge', () => {
  it('merges two shard reports into the report of the one audit of both', async () => {
    // Two scopes: the example's us-east-1, and a copy of it in eu-west-1.
    const example = JSON.parse(await readFile(EXAMPLE, 'utf8')) as { scopes: unknown[] };
    const copy = JSON.parse(JSON.stringify(example.scopes[0]).replaceAll('us-east-1', 'eu-west-1')) as unknown;
    const shard = async (name: string, scopes: unknown[]) => {
      const file = join(work, `${name}.snapshot.json`);
      await writeFile(file, JSON.stringify({ ...example, scopes }));
      const report = join(work, `${name}.json`);
      const result = await runCli(['audit', '--snapshot', file, '--output', report, '--fail-on', 'none', '--quiet'], { cwd: work });
      expect(result.stderr).toBe('');
      return report;
    };
    const east = await shard('east', [example.scopes[0]]);
    const west = await shard('west', [copy]);
    const both = JSON.parse(await readFile(await shard('both', [example.scopes[0], copy]), 'utf8')) as Report;

    const merged = await runCli(['merge', east, west, '--format', 'json'], { cwd: work });
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(1);
    const report = JSON.parse(merged.stdout) as Report;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.scope).toEqual(both.scope);
    expect(report.findings.map((f) => [f.ruleId, f.resource.arn, f.fingerprint])).toEqual(both.findings.map((f) => [f.ruleId, f.resource.arn, f.fingerprint]));
    expect(report.summary).toEqual(both.summary);
    // A snapshot's call counts come with each shard: merged, they add up.
    const east1 = JSON.parse(await readFile(east, 'utf8')) as Report;
    expect(report.stats.apiCalls).toEqual(Object.fromEntries(Object.entries(east1.stats.apiCalls).map(([name, n]) => [name, 2 * n])));
    expect(report.notChecked).toEqual(both.notChecked);

    // The same shard twice is one shard: findings de-duplicated by fingerprint.
    const twice = JSON.parse((await runCli(['merge', east, east, '--fail-on', 'none', '--format', 'json'], { cwd: work })).stdout) as Report;
    expect(twice.findings).toHaveLength(2);

    // Any format, any number of outputs.
    const sarifFile = join(work, 'merged.sarif');
    const rendered = await runCli(['merge', east, west, '--fail-on', 'none', '--output', sarifFile, '--output', join(work, 'merged.md')], { cwd: work });
    expect(rendered.code).toBe(0);
    expect((JSON.parse(await readFile(sarifFile, 'utf8')) as { runs: { results: unknown[] }[] }).runs[0]?.results).toHaveLength(4);
    expect((await readFile(join(work, 'merged.md'), 'utf8')).startsWith('## lbcheck: 4 errors')).toBe(true);
  });

  it('refuses a file that is not a report: one line, exit 2', async () => {
    const result = await runCli(['merge', EXAMPLE], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`lbcheck: error: ${EXAMPLE} is not an lbcheck JSON report (scope: Invalid input: expected object, received undefined)\n`);
  });
});
