/**
 * Text an attacker controls (LB names and tags in a snapshot, AWS error messages, file
 * names, arguments) reaches stderr and the terminal report escaped: an ESC sequence that
 * would clear the screen or retitle the window, or U+202E that would reverse the line,
 * is shown as `\x1b` / `\u202e`.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLEAR_AND_RETITLE, RAW_CONTROL_OR_BIDI } from '../support/hostile-text.js';
import { ROOT, runCli } from './cli-support.js';

const EXAMPLE = join(ROOT, 'examples', 'incidents.snapshot.json');

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lbcheck-cli-hostile-'));
});

async function writeSnapshot(name: string, edit: (snapshot: { scopes: { loadBalancers: { name: string }[] }[]; notChecked: unknown[] }) => void): Promise<string> {
  const snapshot = JSON.parse(await readFile(EXAMPLE, 'utf8')) as Parameters<typeof edit>[0];
  edit(snapshot);
  const path = join(work, name);
  await writeFile(path, JSON.stringify(snapshot));
  return path;
}

describe('hostile text on stderr and in the terminal report', () => {
  it('escapes an LB name and an AWS error message from a snapshot in the text report', async () => {
    const path = await writeSnapshot('names.json', (snapshot) => {
      const lb = snapshot.scopes[0]?.loadBalancers[0];
      if (lb) lb.name = `shop${CLEAR_AND_RETITLE}\u202Egnp.exe`;
      snapshot.notChecked.push({ what: 'region eu-west-3', why: `AccessDenied: ${CLEAR_AND_RETITLE}` });
    });
    const result = await runCli(['audit', '--snapshot', path, '--format', 'text', '--fail-on', 'none'], { cwd: work });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(RAW_CONTROL_OR_BIDI);
    expect(result.stdout).toContain('shop\\x1b[2J\\x1b]0;pwned\\x07\\u202egnp.exe');
    expect(result.stdout).toContain('AccessDenied: \\x1b[2J\\x1b]0;pwned\\x07');
  });

  it('escapes an LB name and an AWS error message in SARIF message texts (GitHub shows them)', async () => {
    const path = await writeSnapshot('sarif.json', (snapshot) => {
      const lb = snapshot.scopes[0]?.loadBalancers[0];
      if (lb) lb.name = `shop${CLEAR_AND_RETITLE}\u202Egnp.exe`;
      snapshot.notChecked.push({ what: 'region eu-west-3', why: `AccessDenied: ${CLEAR_AND_RETITLE}` });
    });
    const result = await runCli(['audit', '--snapshot', path, '--format', 'sarif', '--fail-on', 'none'], { cwd: work });
    expect(result.code).toBe(0);
    const run = (JSON.parse(result.stdout) as { runs: { results: { message: { text: string } }[]; invocations: { toolExecutionNotifications: { message: { text: string } }[] }[] }[] }).runs[0];
    const results = (run?.results ?? []).map((r) => r.message.text);
    const notifications = (run?.invocations ?? []).flatMap((i) => i.toolExecutionNotifications.map((n) => n.message.text));
    for (const text of [...results, ...notifications]) expect(text).not.toMatch(RAW_CONTROL_OR_BIDI);
    expect(results.some((text) => text.includes('shop\\x1b[2J\\x1b]0;pwned\\x07\\u202egnp.exe'))).toBe(true);
    expect(notifications.some((text) => text.includes('AccessDenied: \\x1b[2J\\x1b]0;pwned\\x07'))).toBe(true);
  });

  it('escapes the error line built from an AWS error message', async () => {
    const path = await writeSnapshot('nothing.json', (snapshot) => {
      snapshot.scopes = [];
      snapshot.notChecked = [{ what: 'region us-east-1', why: `UnauthorizedOperation: ${CLEAR_AND_RETITLE}\u202Edenied\r` }];
    });
    const result = await runCli(['audit', '--snapshot', path, '--format', 'json'], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(RAW_CONTROL_OR_BIDI);
    expect(result.stderr).toContain('lbcheck: error: nothing could be checked: region us-east-1: UnauthorizedOperation: \\x1b[2J\\x1b]0;pwned\\x07\\u202edenied\\r\n');
  });

  it('escapes a file name in an error and an argument in a usage error', async () => {
    const missing = await runCli(['audit', '--snapshot', join(work, `gone${CLEAR_AND_RETITLE}.json`)], { cwd: work });
    expect(missing.code).toBe(2);
    expect(missing.stderr).not.toMatch(RAW_CONTROL_OR_BIDI);
    expect(missing.stderr).toContain('gone\\x1b[2J\\x1b]0;pwned\\x07.json');

    const usage = await runCli(['audit', '--format', `json${CLEAR_AND_RETITLE}`], { cwd: work });
    expect(usage.code).toBe(2);
    expect(usage.stderr).not.toMatch(RAW_CONTROL_OR_BIDI);
    expect(usage.stderr).toContain("'json\\x1b[2J\\x1b]0;pwned\\x07'");
  });
});
