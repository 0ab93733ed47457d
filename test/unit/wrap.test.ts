/**
 * hang() wraps one-column text (printable ASCII and no-break spaces) with its own greedy
 * wrapper instead of wrap-ansi, for speed. These tests hold the two to the same rows, byte
 * for byte, on generated text: long words broken across rows, runs of spaces, leading and
 * trailing spaces, no-break spaces (which String#trim removes but wrap-ansi's right trim
 * keeps), empty text, and widths from 1 up.
 */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import wrapAnsi from 'wrap-ansi';
import { displayWidth, hang, wrapOneColumnText } from '../../src/report/wrap.js';

const reference = (text: string, columns: number) => wrapAnsi(text, columns, { hard: true, trim: true }).split('\n');

/** A small seeded generator (mulberry32), so a failure names an input that reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Words of 0 to `maxWord` characters (some ARN-like, some with no-break spaces) joined by runs of 1 to 3 spaces. */
function generatedText(next: () => number, maxWord: number): string {
  const alphabet = ['a', 'b', 'Z', '0', ':', '/', '-', '.', '(', ')', '\u00a0', ' '];
  const pick = (weights: number) => Math.floor(next() * weights);
  const words: string[] = [];
  const count = pick(12);
  for (let w = 0; w < count; w++) {
    const length = next() < 0.15 ? pick(maxWord * 3) : pick(maxWord);
    let word = '';
    for (let c = 0; c < length; c++) word += next() < 0.85 ? (alphabet[pick(8)] ?? 'a') : (alphabet[8 + pick(4)] ?? ' ');
    words.push(word);
  }
  return words.reduce((text, word, i) => (i === 0 ? word : `${text}${' '.repeat(1 + pick(3))}${word}`), '');
}

describe('wrapOneColumnText', () => {
  it('wraps generated text exactly as wrap-ansi does, at every width from 1 to 40, and ends no row with a space', () => {
    const next = random(20_261_202);
    let compared = 0;
    for (let sample = 0; sample < 600; sample++) {
      const text = generatedText(next, 1 + Math.floor(next() * 30));
      for (let columns = 1; columns <= 40; columns += 1 + Math.floor(next() * 4)) {
        const rows = wrapOneColumnText(text, columns);
        expect(rows, JSON.stringify({ text, columns })).toEqual(reference(text, columns));
        // hang trims only rows that may end in white space: these never do.
        expect(rows.filter((row) => row.endsWith(' ')), JSON.stringify({ text, columns })).toEqual([]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(5_000);
  });

  it.each([
    ['', 10],
    ['   ', 10],
    ['\u00a0 \u00a0', 10],
    [' lead and trail ', 5],
    ['exactly10c', 10],
    ['exactly10c next', 10],
    ['abcdefghij abcdefghijk', 10],
    ['ab arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/edge/50dc6c495c0c9188 tail', 25],
    ['x y\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0z w', 6],
    ['a          b', 4],
    ['aaaa \u00a0bbbb', 4],
    ['aaaa bbbbbbbbbb\u00a0cc', 4],
    ['x', 1],
    ['ab cd', 1],
  ])('wraps %j at %i columns as wrap-ansi does', (text, columns) => {
    expect(wrapOneColumnText(text, columns)).toEqual(reference(text, columns));
  });
});

describe('displayWidth', () => {
  it('counts one column per printable ASCII character and asks string-width for the rest', () => {
    for (const text of ['', 'plain text', 'a\u00a0b', '\u001b[1mbold\u001b[0m', '🔴 error', '漢字', 'e\u0301']) expect(displayWidth(text)).toBe(stringWidth(text));
  });
});

describe('hang with text that is not one column per character', () => {
  it('still wraps colour codes and wide characters with wrap-ansi', () => {
    expect(hang('\u001b[1mbold\u001b[0m words that wrap right here', { indent: 2, label: '- ', width: 29 })).toEqual(['  - \u001b[1mbold\u001b[0m words that wrap', '    right here']);
    expect(hang('漢字漢字 漢字漢字 漢字漢字 漢字漢字 漢字漢字 漢字漢字 漢字', { indent: 0, width: 25 })).toEqual(['漢字漢字 漢字漢字', '漢字漢字 漢字漢字', '漢字漢字 漢字漢字 漢字']);
  });
});
