/**
 * The human report formats through the CLI: the HTML report by --format or by the
 * --output extension, --verbose evidence, --max-bytes on the Markdown, the text width
 * from COLUMNS.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './cli-support.js';

const EXAMPLE = join(ROOT, 'examples', 'incidents.snapshot.json');
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lbcheck-reports-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const audit = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(['audit', '--snapshot', EXAMPLE, '--fail-on', 'none', '--quiet', ...args], { cwd: work, env });

describe('report formats on the command line', () => {
  it('writes the HTML report when --output ends in .html, the same as --format html', async () => {
    const file = join(work, 'report.html');
    const written = await audit(['--output', file]);
    expect(written.code).toBe(0);
    const html = await readFile(file, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('aria-label="Network path of shop: 3 AZ nodes"');
    const printed = await audit(['--format', 'html']);
    expect(printed.stdout).toBe(html);
  });

  it('prints the evidence only with --verbose, whole', async () => {
    const plain = await audit(['--format', 'text'], { COLUMNS: '80' });
    expect(plain.stdout).not.toContain('Evidence:');
    const verbose = await audit(['--format', 'text', '--verbose'], { COLUMNS: '80' });
    expect(verbose.stdout).toContain('      routeTableVia: main\n');
    expect(verbose.stdout).toContain('        - destination: 0.0.0.0/0, target: nat-gateway:nat-0e2b4d6f8a1c3e5b7,\n          state: active\n');
  });

  it('wraps the text report to COLUMNS', async () => {
    const wide = await audit(['--format', 'text'], { COLUMNS: '120' });
    const widths = wide.stdout.split('\n').map((line) => stringWidth(line));
    expect(Math.max(...widths)).toBeLessThanOrEqual(120);
    expect(Math.max(...widths)).toBeGreaterThan(80);
    expect(wide.stdout).toBe(await readFile(join(ROOT, 'test', 'golden', 'incidents.120.txt'), 'utf8'));
  });

  it('stops the Markdown at --max-bytes and counts the rest', async () => {
    const full = await audit(['--format', 'markdown']);
    const cap = Buffer.byteLength(full.stdout.slice(0, full.stdout.indexOf('<details><summary><b>shop</b>')), 'utf8') + 400;
    const capped = await audit(['--format', 'markdown', '--max-bytes', String(cap)]);
    expect(Buffer.byteLength(capped.stdout, 'utf8')).toBeLessThanOrEqual(cap);
    expect(capped.stdout).toContain('_1 more load balancer with 1 finding not shown');
    const bad = await audit(['--format', 'markdown', '--max-bytes', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-bytes must be a whole number');
  });
});
