/**
 * The library entry's type declarations (`npm run build` writes dist/types; package.json
 * "exports" "types" points there): a consumer's TypeScript, resolved through the package's
 * exports as `import ... from 'lbcheck'`, type-checks a right call and rejects a wrong one.
 * The consumer lives in a temporary directory whose node_modules/lbcheck links this package.
 */
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
let consumerDir: string;
/** tsc's errors for each consumer module, by name: one program for both (loading the AWS SDK's types is the slow part). */
let errors: Record<'good' | 'wrong', string[]>;

const GOOD_CONSUMER = `
import { allRules, runAudit, renderReport, type AuditOptions, type AuditResult } from 'lbcheck';
const options: AuditOptions = { source: { kind: 'snapshot', file: 'inventory.json' } };
const result: AuditResult = await runAudit(options);
export const findings: number = result.report.findings.length;
export const markdown: string = renderReport('markdown', result.report, { rules: allRules().map((rule) => rule.meta) });
`;
const WRONG_CONSUMER = `
import { runAudit } from 'lbcheck';
await runAudit({ source: { kind: 'ftp', file: 'inventory.json' } });
`;

beforeAll(async () => {
  consumerDir = await mkdtemp(join(tmpdir(), 'lbcheck-consumer-'));
  await mkdir(join(consumerDir, 'node_modules'));
  await symlink(ROOT, join(consumerDir, 'node_modules', 'lbcheck'), 'dir');
  const files = { good: join(consumerDir, 'good.mts'), wrong: join(consumerDir, 'wrong.mts') };
  await writeFile(files.good, GOOD_CONSUMER);
  await writeFile(files.wrong, WRONG_CONSUMER);
  errors = typeErrors(files);
});
afterAll(async () => {
  await rm(consumerDir, { recursive: true, force: true });
});

/** Compiles the consumers as a Node ESM package would (NodeNext: package.json "exports" decide what 'lbcheck' is). */
function typeErrors(files: Record<'good' | 'wrong', string>): Record<'good' | 'wrong', string[]> {
  const program = ts.createProgram(Object.values(files), {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    typeRoots: [join(ROOT, 'node_modules/@types')],
    types: ['node'],
  });
  const messagesOf = (file: string): string[] =>
    ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  return { good: messagesOf(files.good), wrong: messagesOf(files.wrong) };
}

describe('library type declarations', () => {
  it('type-checks a consumer that audits a snapshot and renders its report', () => {
    expect(errors.good).toEqual([]);
  });

  it('rejects a wrong call: an unknown source kind', () => {
    expect(errors.wrong.join('\n')).toMatch(/'"ftp"' is not assignable/);
  });
});
