/**
 * Writes docs/rules/<id>.md for every registered rule from its metadata, and removes
 * pages of rules that no longer exist. `npm run docs`; test/unit/docs.test.ts checks
 * the pages are in step.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderRuleDoc } from '../src/engine/docs.js';
import { allRules } from '../rules/index.js';

const directory = join(import.meta.dirname, '..', 'docs', 'rules');
await mkdir(directory, { recursive: true });
const rules = allRules();
const wanted = new Set(rules.map((rule) => `${rule.meta.id}.md`));
for (const rule of rules) await writeFile(join(directory, `${rule.meta.id}.md`), renderRuleDoc(rule.meta));
for (const file of await readdir(directory)) {
  if (file.endsWith('.md') && !wanted.has(file)) {
    await rm(join(directory, file));
    console.log(`removed docs/rules/${file} (no such rule)`);
  }
}
console.log(`wrote ${rules.length} rule pages to docs/rules/`);
