/**
 * The Action's job summary stays within its byte limit through the Markdown renderer's own cap (the
 * worst findings first, the rest counted), with room for the note on findings without an annotation.
 */
import { describe, expect, it } from 'vitest';
import { summaryMarkdown } from '../../src/action/summary.js';
import { runEngine } from '../../src/engine/runner.js';
import { buildReport } from '../../src/report/index.js';
import { idleTimeoutRule, inventoryOf, smallScope, targetGroupRule } from '../support/engine-fixtures.js';

const rules = [idleTimeoutRule('idle', 30), targetGroupRule()];
const context = { rules: rules.map((rule) => rule.meta) };
const none = { error: 0, warning: 0, info: 0 };

function report() {
  // Forty copies of the small scope in as many regions: 120 findings, errors first.
  const scopes = Array.from({ length: 40 }, (_, i) => JSON.parse(JSON.stringify(smallScope()).replaceAll('us-east-1', `us-east-${i + 10}`)) as ReturnType<typeof smallScope>);
  const inventory = inventoryOf(scopes);
  return buildReport({ inventory, result: runEngine({ inventory, rules }), durationMs: 1 });
}

/** The findings a capped report counts instead of showing: in a cut section, and in the load balancers left out. */
function countedFindings(markdown: string): number {
  const inSection = [...markdown.matchAll(/^- _(\d+) more findings? not shown \(size limit\)_$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
  const leftOut = /^_\d+ more load balancers? with (\d+) findings? not shown: this report stops at \d+ bytes/m.exec(markdown);
  return inSection + Number(leftOut?.[1] ?? 0);
}

/** The severity of each finding of the Markdown report (`- 🔴 **error** \`rule\``). */
function findingRows(markdown: string): string[] {
  return [...markdown.matchAll(/^- \S+ \*\*(error|warning|info)\*\* `/gm)].map((match) => match[1] ?? '');
}

describe('the job summary', () => {
  it('is the whole Markdown report when it fits', () => {
    const full = report();
    const markdown = summaryMarkdown(full, context, none);
    expect(countedFindings(markdown)).toBe(0);
    expect(findingRows(markdown).sort()).toEqual(full.findings.map((finding) => finding.severity).sort());
  });

  it('keeps the worst findings within the limit and counts the rest, the note on annotations included', () => {
    const full = report();
    expect(full.findings).toHaveLength(120);
    const maxBytes = 20_000;
    const notAnnotated = { error: 30, warning: 60, info: 0 };
    const markdown = summaryMarkdown(full, context, notAnnotated, maxBytes);
    expect(markdown).toContain('90 more findings (30 error, 60 warning, 0 info) are listed here only');
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(maxBytes);
    const shown = findingRows(markdown);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(full.findings.length);
    // The worst first (the report is grouped by load balancer, so compare as sets of severities).
    expect([...shown].sort()).toEqual(full.findings.slice(0, shown.length).map((finding) => finding.severity).sort());
    expect(countedFindings(markdown)).toBe(full.findings.length - shown.length);
    // The totals in the heading are the whole report's.
    expect(markdown.startsWith(`## lbcheck: ${full.summary.errors} errors, ${full.summary.warnings} warnings`)).toBe(true);
  });

  it('says how many findings got no annotation', () => {
    const markdown = summaryMarkdown(report(), context, { error: 30, warning: 60, info: 0 });
    expect(markdown).toContain('90 more findings (30 error, 60 warning, 0 info) are listed here only');
  });
});
