/**
 * The import graph of src/ and rules/, read from the source: no file may import a
 * layer above its own or beside it, and no circle of files may import each other.
 * eslint's no-restricted-imports (eslint.config.js) catches an upward import as it is
 * written; only a graph shows a circle. The layers are ../shared/STYLE.md's "The shape".
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, typescriptFiles } from '../support/imports.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** Higher imports lower, never the other way, never sideways. */
const LAYER_RANK: Record<string, number> = {
  cli: 6,
  action: 6,
  library: 6, // src/index.ts: what `import 'lbcheck'` gives
  audit: 5,
  aws: 4,
  probe: 4,
  report: 4,
  rules: 4,
  engine: 3,
  inventory: 2,
  base: 1, // src/errors.ts, src/progress.ts, src/fs.ts, src/words.ts, src/version.ts
};

/** The layer of a file: its folder under src/ (or rules/), `audit` for src/audit.ts, `library` for src/index.ts, `base` for the other files at src/'s top. */
export function layerOf(file: string): string {
  const [top, second] = relative(ROOT, file).split('/');
  if (top === 'rules') return 'rules';
  if (top !== 'src' || second === undefined) throw new Error(`not in src/ or rules/: ${file}`);
  if (second === 'audit.ts') return 'audit';
  if (second === 'index.ts') return 'library';
  if (second.endsWith('.ts')) return 'base';
  return second;
}


/** Relative imports of source files (static, `export ... from`, and dynamic `import()`), as absolute .ts paths; JSON data is no layer. */
function importsOf(file: string): string[] {
  return importSpecifiers(readFileSync(file, 'utf8'))
    .filter((specifier) => specifier.startsWith('.') && specifier.endsWith('.js')).map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
}

function importGraph(): Map<string, string[]> {
  const files = [...typescriptFiles(join(ROOT, 'src')), ...typescriptFiles(join(ROOT, 'rules'))];
  return new Map(files.map((file) => [file, importsOf(file)]));
}

/** Strongly connected components with more than one file (or a file importing itself): Tarjan's algorithm. */
export function circles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const lowest = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    lowest.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        lowest.set(file, Math.min(lowest.get(file) as number, lowest.get(next) as number));
      } else if (onStack.has(next)) {
        lowest.set(file, Math.min(lowest.get(file) as number, index.get(next) as number));
      }
    }
    if (lowest.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

/** Imports that point up a layer or sideways into another folder of the same layer. */
function wrongWayImports(graph: Map<string, string[]>): string[] {
  return [...graph].flatMap(([file, imports]) => {
    const from = layerOf(file);
    return imports
      .filter((target) => {
        const to = layerOf(target);
        return to !== from && (LAYER_RANK[to] as number) >= (LAYER_RANK[from] as number);
      })
      .map((target) => `${relative(ROOT, file)} (${from}) -> ${relative(ROOT, target)} (${layerOf(target)})`);
  });
}

describe('the import graph of src/ and rules/', () => {
  const graph = importGraph();

  it('reads every import it finds as a file that exists', () => {
    const missing = [...graph].flatMap(([file, imports]) => imports.filter((target) => !graph.has(target)).map((target) => `${relative(ROOT, file)} -> ${relative(ROOT, target)}`));
    expect(missing).toEqual([]);
    // The reader sees the imports: the CLI's entry imports its parser, the engine its types.
    expect(graph.get(join(ROOT, 'src/cli/bin.ts'))).toContain(join(ROOT, 'src/cli/main.ts'));
  });

  it('knows the layer of every file', () => {
    const unknown = [...graph.keys()].filter((file) => LAYER_RANK[layerOf(file)] === undefined).map((file) => relative(ROOT, file));
    expect(unknown).toEqual([]);
  });

  it('has no import pointing up a layer or sideways', () => {
    expect(wrongWayImports(graph)).toEqual([]);
  });

  it('has no circle', () => {
    expect(circles(graph).map((component) => component.map((file) => relative(ROOT, file)))).toEqual([]);
  });

  it('finds a circle and an upward import when there is one', () => {
    const a = join(ROOT, 'src/engine/a.ts');
    const b = join(ROOT, 'src/engine/b.ts');
    const up = join(ROOT, 'src/cli/up.ts');
    const planted = new Map([
      [a, [b]],
      [b, [a, up]],
      [up, []],
    ]);
    expect(circles(planted)).toEqual([[a, b].sort()]);
    expect(wrongWayImports(planted)).toEqual(['src/engine/b.ts (engine) -> src/cli/up.ts (cli)']);
  });
});
