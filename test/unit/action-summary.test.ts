/** The Action's job summary stays within its byte limit: the worst findings first, the rest counted. */
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

/** The severity of each finding of the Markdown report (`- 🔴 **error** \`rule\``). */
function findingRows(markdown: string): string[] {
  return [...markdown.matchAll(/^- \S+ \*\*(error|warning|info)\*\* `/gm)].map((match) => match[1] ?? '');
}

describe('the job summary', () => {
  it('is the whole Markdown report when it fits', () => {
    const full = report();
    const markdown = summaryMarkdown(full, context, { maxBytes: 1024 * 1024, notAnnotated: none });
    expect(markdown).not.toContain('not shown here');
    expect(findingRows(markdown).sort()).toEqual(full.findings.map((finding) => finding.severity).sort());
  });

  it('keeps the worst findings within the limit and counts the rest', () => {
    const full = report();
    expect(full.findings).toHaveLength(120);
    const maxBytes = 20_000;
    const markdown = summaryMarkdown(full, context, { maxBytes, notAnnotated: none });
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(maxBytes);
    const shown = findingRows(markdown);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(full.findings.length);
    // The worst first (the report is grouped by load balancer, so compare as sets of severities).
    expect([...shown].sort()).toEqual(full.findings.slice(0, shown.length).map((finding) => finding.severity).sort());
    expect(markdown).toContain(`_${full.findings.length - shown.length} more findings not shown here`);
    // The totals in the heading are the whole report's.
    expect(markdown.startsWith(`## lbcheck: ${full.summary.errors} errors, ${full.summary.warnings} warnings`)).toBe(true);
  });

  it('says how many findings got no annotation', () => {
    const markdown = summaryMarkdown(report(), context, { maxBytes: 1024 * 1024, notAnnotated: { error: 30, warning: 60, info: 0 } });
    expect(markdown).toContain('90 more findings (30 error, 60 warning, 0 info) are listed here only');
  });
});
