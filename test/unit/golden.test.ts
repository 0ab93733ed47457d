/**
 * The reports of the example snapshots, compared with the reviewed files in test/golden/
 * (`npm run golden` rewrites them). The 80-column text must fit: no line wider than 80,
 * and no wrapped line that falls back to column 0.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { GOLDEN_DIR, goldenFiles } from '../support/golden.js';

const files = await goldenFiles();

describe('golden reports of the example snapshots', () => {
  it.each([...files.keys()])('%s is current (npm run golden rewrites it; review the diff)', async (name) => {
    const expected = await readFile(join(GOLDEN_DIR, name), 'utf8').catch(() => '(missing: run npm run golden)');
    expect(files.get(name)).toBe(expected);
  });

  it.each([...files.keys()].filter((name) => /\.(80|120)\.txt$/.test(name)))('%s fits its width, every wrapped line indented', (name) => {
    const width = Number(/\.(\d+)\.txt$/.exec(name)?.[1]);
    const lines = (files.get(name) ?? '').split('\n');
    lines.forEach((line, i) => {
      expect(stringWidth(line), `line ${i + 1} of ${name}`).toBeLessThanOrEqual(width);
      // Only headings start at column 0, and each follows a blank line: a wrapped line would follow text.
      if (i > 0 && line !== '' && !line.startsWith(' ')) expect(lines[i - 1], `line ${i + 1} of ${name} lost its indent: ${line}`).toBe('');
    });
  });

  it('text without colour, HTML without a reference to anything outside the file', () => {
    for (const [name, content] of files) {
      if (name.endsWith('.txt')) expect(content, name).not.toContain('\u001b[');
      if (name.endsWith('.html')) expect(content.match(/\b(?:src|href)="(?!#)[^"]*"|url\(|@import|https?:\/\/(?!www\.w3\.org\/2000\/svg)/g), name).toBeNull();
    }
  });
});
