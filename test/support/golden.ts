/**
 * The golden reports: every example snapshot (examples/*.snapshot.json) rendered as text
 * at 80 and 120 columns (colour off, and --verbose at 80), Markdown and HTML; with its
 * recorded probe (examples/NAME.probe.json) where there is one; and the findings of the
 * benchmark's 1,000-LB synthetic scope, one digest line each. `npm run golden` writes
 * them to test/golden/, test/unit/golden.test.ts checks they are current; a change to a
 * reporter or to what a rule finds shows in the diff of these files.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { allRules } from '../../rules/index.js';
import { runEngine } from '../../src/engine/runner.js';
import { readSnapshot } from '../../src/inventory/snapshot.js';
import type { ProbeReport } from '../../src/inventory/probe-report.js';
import { buildReport, renderReport, type AuditReport, type RenderContext } from '../../src/report/index.js';
import { inventoryOf, syntheticScope } from '../../scripts/bench/synthetic.js';

export const EXAMPLES_DIR = 'examples';
export const GOLDEN_DIR = join('test', 'golden');
/** Ignore expiry and "new since" must not depend on the day the goldens are checked. */
const NOW = new Date('2026-11-20T06:00:00Z');

export interface ExampleReport {
  name: string;
  probed: boolean;
  report: AuditReport;
  context: RenderContext;
}

/** Each example snapshot audited offline with every rule, and again with its recorded probe. */
export async function exampleReports(): Promise<ExampleReport[]> {
  const files = (await readdir(EXAMPLES_DIR)).filter((file) => file.endsWith('.snapshot.json')).sort();
  const rules = allRules();
  const results: ExampleReport[] = [];
  for (const file of files) {
    const name = file.replace(/\.snapshot\.json$/, '');
    const inventory = await readSnapshot(join(EXAMPLES_DIR, file));
    const probePath = join(EXAMPLES_DIR, `${name}.probe.json`);
    const probes: (ProbeReport | undefined)[] = [undefined];
    if (existsSync(probePath)) probes.push(JSON.parse(await readFile(probePath, 'utf8')) as ProbeReport);
    for (const probe of probes) {
      const result = runEngine({ inventory, rules, config: EMPTY_CONFIG, now: NOW, ...(probe && { probe }) });
      const report = buildReport({ inventory, result, durationMs: 0, ...(probe && { probe }) });
      results.push({ name, probed: probe !== undefined, report, context: { rules: rules.map((rule) => rule.meta), inventory, color: false } });
    }
  }
  return results;
}

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/**
 * What every rule finds in the benchmark's 1,000-LB synthetic scope: one line per finding in
 * report order (rule, severity, resource, fingerprint, and a digest of the whole finding:
 * message, fix, related, evidence), then a digest of the rest of the result. Work on the
 * engine's speed must leave it unchanged; a diff names the findings that moved.
 */
export function syntheticFindings(): string {
  const { findings, ...rest } = runEngine({ inventory: inventoryOf(syntheticScope(1000)), rules: allRules(), config: EMPTY_CONFIG, now: NOW });
  const lines = findings.map((finding) => [finding.ruleId, finding.severity, finding.resource.name, finding.fingerprint, digest(finding)].join('\t'));
  return `${[...lines, `rest\t${digest(rest)}`].join('\n')}\n`;
}

/** File name (under test/golden/) → content, for every example and format. */
export async function goldenFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const { name, probed, report, context } of await exampleReports()) {
    const base = probed ? `${name}.probed` : name;
    files.set(`${base}.80.txt`, renderReport('text', report, { ...context, width: 80 }));
    files.set(`${base}.120.txt`, renderReport('text', report, { ...context, width: 120 }));
    files.set(`${base}.verbose.80.txt`, renderReport('text', report, { ...context, width: 80, verbose: true }));
    files.set(`${base}.md`, renderReport('markdown', report, context));
    files.set(`${base}.html`, renderReport('html', report, context));
  }
  files.set('synthetic-1000.findings.tsv', syntheticFindings());
  return files;
}
