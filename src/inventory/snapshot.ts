/**
 * Snapshots: the inventory as versioned JSON, written atomically and read back with every
 * field checked, so `audit --snapshot` never runs rules over a half-written or foreign file.
 * Read errors are one line naming the file and the problem:
 *   inv.json: not JSON (Unexpected token at line 3 column 5)
 *   inv.json: scopes[0].loadBalancers[1].scheme: expected "internet-facing" or "internal"
 *   inv.json: schemaVersion 2 is newer than this lbcheck understands (1)
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { z } from 'zod';
import { LbcheckError, errorLine } from '../errors.js';
import { writeOutput } from '../fs.js';
import { SNAPSHOT_SCHEMA_VERSION, type Inventory } from './model.js';
import { inventorySchema } from './snapshot-schema.js';

/**
 * Writes the inventory. It goes through the schema first, so only the model's fields are
 * written: nothing else that might sit on an object (a credential, an SDK response) leaks in.
 */
export async function writeSnapshot(inventory: Inventory, path: string): Promise<void> {
  await writeOutput(path, snapshotJson(inventory));
}

/** The snapshot text of an inventory (what writeSnapshot writes), e.g. for stdout. */
export function snapshotJson(inventory: Inventory): string {
  const checked = inventorySchema.safeParse(inventory, { reportInput: true });
  if (!checked.success) {
    // The collector built something the model does not allow: a bug, reported as one line.
    throw new Error(`refusing to write an invalid snapshot: ${issueLine(checked.error.issues[0])}`);
  }
  return `${JSON.stringify(checked.data, null, 2)}\n`;
}

export async function readSnapshot(path: string): Promise<Inventory> {
  const name = basename(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : errorLine(error);
    throw new LbcheckError(`${path}: cannot read snapshot: ${why}`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new LbcheckError(`${name}: not JSON (${jsonErrorWhere(error instanceof Error ? error.message : String(error), text)})`, { cause: error });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new LbcheckError(`${name}: not an lbcheck snapshot (expected a JSON object with schemaVersion ${SNAPSHOT_SCHEMA_VERSION})`);
  }
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version === 'number' && Number.isInteger(version) && version > SNAPSHOT_SCHEMA_VERSION) {
    throw new LbcheckError(`${name}: schemaVersion ${version} is newer than this lbcheck understands (${SNAPSHOT_SCHEMA_VERSION})`);
  }
  if (version === undefined) {
    throw new LbcheckError(`${name}: not an lbcheck snapshot (no schemaVersion; write one with lbcheck snapshot --output FILE)`);
  }
  if ('findings' in data && !('scopes' in data)) {
    throw new LbcheckError(`${name}: an lbcheck report, not a snapshot (write one with lbcheck snapshot --output FILE)`);
  }
  const parsed = inventorySchema.safeParse(data, { reportInput: true });
  if (!parsed.success) throw new LbcheckError(`${name}: ${issueLine(parsed.error.issues[0])}`);
  const duplicate = duplicateScope(parsed.data);
  if (duplicate) throw new LbcheckError(`${name}: ${duplicate}`);
  return parsed.data;
}

/**
 * A scope (account and region) that appears twice would have its load balancers checked and
 * counted twice: "scopes[2]: account 123456789012 region us-east-1 is already scopes[0]".
 * Scopes whose account STS could not name ('unknown') cannot be told apart and are let be.
 */
export function duplicateScope(inventory: Inventory): string | undefined {
  const seen = new Map<string, number>();
  for (const [i, scope] of inventory.scopes.entries()) {
    if (scope.account === 'unknown') continue;
    const key = `${scope.account} ${scope.region}`;
    const first = seen.get(key);
    if (first !== undefined) return `scopes[${i}]: account ${scope.account} region ${scope.region} is already scopes[${first}] (each account and region may appear once)`;
    seen.set(key, i);
  }
  return undefined;
}

/** "Unexpected token } in JSON at position 42" → "Unexpected token } at line 3 column 5" (Node 20 gives only the position). */
export function jsonErrorWhere(message: string, text: string): string {
  const withLine = /^(.*?)(?: in JSON)? at position \d+ \(line (\d+) column (\d+)\)/.exec(message);
  if (withLine) return `${withLine[1]} at line ${withLine[2]} column ${withLine[3]}`;
  const withPosition = /^(.*?)(?: in JSON)? at position (\d+)/.exec(message);
  if (withPosition) {
    const position = Number(withPosition[2]);
    const before = text.slice(0, position).split('\n');
    return `${withPosition[1]} at line ${before.length} column ${(before.at(-1)?.length ?? 0) + 1}`;
  }
  // V8 quotes the text instead of a position for some errors ("Unexpected token 'x', "..." is not valid JSON"): find it ourselves.
  const what = message.replace(/, (?:\.\.\.)?".*$/s, '').replace(/ of JSON input$/, ' of input');
  let offset: number;
  try {
    offset = firstSyntaxErrorOffset(text);
  } catch (error) {
    // Nesting deeper than the stack (JSON.parse itself does not recurse): the message without a position.
    if (error instanceof RangeError) return what;
    throw error;
  }
  const at = lineAndColumn(text, offset);
  return `${what} at line ${at.line} column ${at.column}`;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** Offset of the first character where `text` stops being JSON (a small recursive-descent scan; text.length at a premature end). */
export function firstSyntaxErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i += 1;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i += 1;
    }
  };
  const string = () => {
    i += 1;
    while (i < text.length && text[i] !== '"') {
      const ch = text.charCodeAt(i);
      if (ch < 0x20) fail();
      if (text[i] === '\\') {
        i += 1;
        if (text[i] === 'u') {
          for (let k = 0; k < 4; k += 1) {
            i += 1;
            if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail();
          }
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i += 1;
    }
    if (i >= text.length) fail();
    i += 1;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match?.[0]) fail();
    i += (match as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{') {
      i += 1;
      space();
      if (text[i] === '}') return void (i += 1);
      for (;;) {
        space();
        if (text[i] !== '"') fail();
        string();
        space();
        if (text[i] !== ':') fail();
        i += 1;
        value();
        space();
        if (text[i] === ',') i += 1;
        else if (text[i] === '}') return void (i += 1);
        else fail();
      }
    }
    if (ch === '[') {
      i += 1;
      space();
      if (text[i] === ']') return void (i += 1);
      for (;;) {
        value();
        space();
        if (text[i] === ',') i += 1;
        else if (text[i] === ']') return void (i += 1);
        else fail();
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    return number();
  };
  try {
    value();
    space();
    if (i < text.length) fail();
    return text.length;
  } catch (offset) {
    if (typeof offset === 'number') return Math.min(offset, text.length);
    throw offset;
  }
}

/** A JSON path as people write it: scopes[0].loadBalancers[1].scheme */
function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || '(top level)';
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function issueLine(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid snapshot';
  const where = pathOf(issue.path);
  switch (issue.code) {
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      const expected = values.length <= 2 ? values.join(' or ') : `one of ${values.join(', ')}`;
      return `${where}: expected ${expected}${'input' in issue && issue.input !== undefined ? `, got ${describeValue(issue.input)}` : ''}`;
    }
    case 'invalid_type': {
      const got = 'input' in issue ? issue.input : undefined;
      return got === undefined ? `${where}: missing (expected ${issue.expected})` : `${where}: expected ${issue.expected}, got ${describeValue(got)}`;
    }
    case 'invalid_union':
      return `${where}: ${issue.message.replace(/^Invalid input/, 'not a valid value')}`;
    default: {
      // Range and format checks (a port of -70000, a CIDR that is not one): name the value too.
      const got = 'input' in issue && issue.input !== undefined ? `, got ${describeValue(issue.input)}` : '';
      return `${where}: ${issue.message}${got}`;
    }
  }
}
