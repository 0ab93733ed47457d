/**
 * `.lbcheck.yml`: per-rule severity, ignores, declared keep-alive timeouts and the
 * client CIDRs of internal load balancers. Found from the working directory upwards to the
 * repository root or the home directory, or named with --config. Parsed with `yaml` (keeping positions) and validated with
 * zod; every problem becomes ONE line naming the file, line and column:
 *   .lbcheck.yml:7:5: rules.single-az-load-balancer.severity: expected one of error|warning|info|off
 * The format is documented in docs/config.md.
 */
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { parseCidr } from '../inventory/cidr.js';
import { LbcheckError, errorLine } from '../errors.js';
import { unknownRuleMessage } from './registry.js';
import { RULE_CATEGORIES, type RuleCategory, type RuleSettings, type Severity } from './types.js';

export const CONFIG_FILE_NAME = '.lbcheck.yml';

export type SeveritySetting = Severity | 'off';

export interface IgnoreEntry {
  rule: string;
  /** A glob matched against the resource ARN and against its name. */
  resource: string;
  reason: string;
  /** YYYY-MM-DD: the ignore suppresses through the end of this day (UTC), then no longer. */
  expires?: string;
  /** Where it was written, e.g. `.lbcheck.yml:12:5`, so a report can point back to it. */
  source: string;
}

export interface LbcheckConfig {
  /** The file as the user would name it (relative to the working directory), absent when no file was found. */
  file?: string;
  rules: Record<string, { severity: SeveritySetting }>;
  /** Categories turned on (true) or off (false); absent = on. */
  categories: Partial<Record<RuleCategory, boolean>>;
  ignore: IgnoreEntry[];
  settings: Pick<RuleSettings, 'keepalive' | 'clientCidrs'>;
}

export const EMPTY_CONFIG: LbcheckConfig = { rules: {}, categories: {}, ignore: [], settings: { keepalive: [], clientCidrs: [] } };

const SEVERITY_SETTINGS = ['error', 'warning', 'info', 'off'] as const;
const severitySetting = z.enum(SEVERITY_SETTINGS, { error: `expected one of ${SEVERITY_SETTINGS.join('|')}` });
const nonEmpty = (what: string) => z.string({ error: `expected ${what}` }).trim().min(1, { error: `expected ${what}` });

/** A rule's setting is a bare severity or `{ severity }`; the bare form is read as the object so errors point at one shape. */
const ruleSetting = z.preprocess(
  (value) => (typeof value === 'string' ? { severity: value } : value),
  z.strictObject({ severity: severitySetting }, { error: 'expected a severity (error|warning|info|off) or { severity }' }),
);

/** `on`/`off` (YAML 1.2 reads them as strings) or a boolean. */
const onOff = z.union([z.enum(['on', 'off']), z.boolean()], { error: 'expected on or off' }).transform((value) => value === true || value === 'on');
const categorySettings = z.partialRecord(z.enum(RULE_CATEGORIES as [RuleCategory, ...RuleCategory[]]), onOff, {
  error: `expected a map of category (${RULE_CATEGORIES.join('|')}) to on|off`,
});

const isoDate = nonEmpty('a date YYYY-MM-DD').refine(
  (text) => /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text),
  { error: 'expected a date YYYY-MM-DD' },
);

const ignoreEntry = z.strictObject({
  rule: nonEmpty('a rule id'),
  resource: nonEmpty('a glob on the resource ARN or name'),
  reason: nonEmpty('a reason (why this finding is accepted)'),
  expires: isoDate.optional(),
});

const positiveSeconds = z.number({ error: 'expected a number of seconds' }).positive({ error: 'expected a number of seconds above 0' });

const keepaliveEntry = z
  .strictObject({
    targetGroup: nonEmpty('a target group name or ARN pattern').optional(),
    loadBalancer: nonEmpty('a load balancer name or ARN pattern').optional(),
    seconds: positiveSeconds.optional(),
    server: nonEmpty('a server name').optional(),
  })
  .refine((entry) => (entry.targetGroup === undefined) !== (entry.loadBalancer === undefined), {
    error: 'expected exactly one of targetGroup or loadBalancer',
  })
  .refine((entry) => (entry.seconds === undefined) !== (entry.server === undefined), { error: 'expected exactly one of seconds or server' });

const cidr = nonEmpty('a CIDR').refine((text) => parseCidr(text) !== undefined && text.includes('/'), {
  error: 'expected a CIDR such as 10.0.0.0/8 or 2001:db8::/32',
});

const configSchema = z.strictObject(
  {
    rules: z.record(z.string(), ruleSetting, { error: 'expected a map of rule id to severity' }).optional(),
    categories: categorySettings.optional(),
    ignore: z.array(ignoreEntry, { error: 'expected a list of { rule, resource, reason, expires? }' }).optional(),
    keepalive: z.array(keepaliveEntry, { error: 'expected a list of { targetGroup|loadBalancer, seconds|server }' }).optional(),
    clientCidrs: z.array(cidr, { error: 'expected a list of CIDRs' }).optional(),
  },
  { error: 'expected a map with rules, categories, ignore, keepalive, clientCidrs' },
);

type Path = readonly PropertyKey[];

/** Where a path points in the document: the value node, or (for `key: true`) the key. Falls back to the deepest node that exists. */
function locate(document: Document, path: Path, options: { key?: boolean } = {}): { node: Node | undefined; depth: number } {
  let node: unknown = document.contents;
  let found: Node | undefined = isScalar(node) || isMap(node) || isSeq(node) ? node : undefined;
  let depth = 0;
  for (const [position, segment] of path.entries()) {
    const last = position === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      node = last && options.key ? pair.key : pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else {
      break;
    }
    if (!node || !(isScalar(node) || isMap(node) || isSeq(node))) break;
    found = node;
    depth = position + 1;
  }
  return { node: found, depth };
}

function formatPath(path: Path): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : `${i === 0 ? '' : '.'}${String(segment)}`)).join('');
}

class ConfigProblems {
  constructor(
    private readonly file: string,
    private readonly document: Document,
    private readonly lines: LineCounter,
  ) {}

  position(node: Node | undefined): string {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    return `${this.file}:${line}:${col}`;
  }

  error(path: Path, message: string, options: { key?: boolean; label?: boolean } = {}): LbcheckError {
    const { node } = locate(this.document, path, options);
    const label = path.length > 0 && options.label !== false ? `${formatPath(path)}: ` : '';
    return new LbcheckError(`${this.position(node)}: ${label}${message}`);
  }

  fromIssue(issue: z.core.$ZodIssue): LbcheckError {
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0] ?? '';
      const expected = issue.path.length === 0 ? ' (expected rules, categories, ignore, keepalive, clientCidrs)' : '';
      return this.error([...issue.path, key], `unknown key${expected}`, { key: true });
    }
    const { depth } = locate(this.document, issue.path);
    const missing = issue.code === 'invalid_type' && depth < issue.path.length && depth === issue.path.length - 1;
    // A bare severity is validated as `{ severity }`: name the path the user wrote.
    const path = !missing && depth < issue.path.length ? issue.path.slice(0, depth) : issue.path;
    return this.error(path, missing ? `required: ${issue.message.replace(/^expected /, '')}` : issue.message);
  }
}

/**
 * Nodes the aliases of one file may expand to (yaml's default): a "billion laughs" file of nested
 * aliases would otherwise build an exponentially large object from a few hundred bytes.
 */
const MAX_ALIAS_COUNT = 100;

/** The first alias in the document (named `source`, when given): where an alias problem is shown. */
function firstAlias(document: Document, source?: string): Alias | undefined {
  let found: Alias | undefined;
  visit(document, {
    Alias(_, node) {
      if (source !== undefined && node.source !== source) return undefined;
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

/** The document as plain data; an alias that cannot be expanded (too far, or to no anchor) is one line at the alias. */
function plainData(document: Document, problems: ConfigProblems): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const unresolved = /^Unresolved alias.*: (.+)$/.exec(error.message)?.[1];
    const why = unresolved !== undefined ? `alias *${unresolved} names no anchor before it` : `its aliases expand to more than ${MAX_ALIAS_COUNT} nodes (an alias bomb)`;
    throw new LbcheckError(`${problems.position(firstAlias(document, unresolved) ?? firstAlias(document))}: invalid YAML: ${why}`);
  }
}

export interface ParseConfigOptions {
  /** Every registered rule id: an unknown one is an error. */
  ruleIds: readonly string[];
  /** Server names a keep-alive entry may use, with their keep-alive seconds. */
  serverKeepalive: Readonly<Record<string, number>>;
}

/** Parses and validates config text; `file` is the name errors use. */
export function parseConfig(text: string, file: string, options: ParseConfigOptions): LbcheckConfig {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems = new ConfigProblems(file, document, lines);
  const yamlError = document.errors[0];
  if (yamlError) {
    const { line, col } = lines.linePos(yamlError.pos[0]);
    const message = errorLine(yamlError).replace(/ at line \d+, column \d+:?$/, '');
    throw new LbcheckError(`${file}:${line}:${col}: invalid YAML: ${message}`);
  }
  const raw: unknown = document.contents === null ? {} : plainData(document, problems);
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw issue ? problems.fromIssue(issue) : new LbcheckError(`${file}: invalid configuration`);
  }
  const value = parsed.data;
  const known = new Set(options.ruleIds);

  const rules: LbcheckConfig['rules'] = {};
  for (const [ruleId, setting] of Object.entries(value.rules ?? {})) {
    if (!known.has(ruleId)) throw problems.error(['rules', ruleId], unknownRuleMessage(ruleId, options.ruleIds), { key: true, label: false });
    rules[ruleId] = setting;
  }

  const ignore = (value.ignore ?? []).map((entry, i): IgnoreEntry => {
    if (!known.has(entry.rule)) throw problems.error(['ignore', i, 'rule'], unknownRuleMessage(entry.rule, options.ruleIds));
    const { node } = locate(document, ['ignore', i]);
    return { ...entry, source: problems.position(node) };
  });

  const keepalive = (value.keepalive ?? []).map((entry, i): RuleSettings['keepalive'][number] => {
    const match = entry.targetGroup ?? entry.loadBalancer ?? '';
    const appliesTo = entry.targetGroup !== undefined ? 'target-group' : 'load-balancer';
    const detail = `${file} keepalive[${i}]`;
    if (entry.server === undefined) return { match, appliesTo, seconds: entry.seconds ?? 0, detail };
    const server = entry.server.toLowerCase();
    const seconds = options.serverKeepalive[server];
    if (seconds === undefined) {
      throw problems.error(['keepalive', i, 'server'], `unknown server "${entry.server}" (known: ${Object.keys(options.serverKeepalive).sort().join(', ')}; or give seconds)`);
    }
    return { match, appliesTo, seconds, server, detail };
  });

  return { file, rules, categories: value.categories ?? {}, ignore, settings: { keepalive, clientCidrs: value.clientCidrs ?? [] } };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false; // absent or unreadable: keep looking upwards
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The directories searched for .lbcheck.yml: `startDirectory` and its parents up to the repository root (the
 * first with a .git, a directory or a worktree's file) or the home directory, whichever comes first. Neither
 * above it: `startDirectory` alone. Never up to `/`: a file in a shared directory (/tmp, /) could otherwise
 * turn rules off or ignore every finding for anyone who runs lbcheck below it.
 */
async function searchedDirectories(startDirectory: string, home: string): Promise<string[]> {
  const directories: string[] = [];
  let directory = resolve(startDirectory);
  for (;;) {
    directories.push(directory);
    if (directory === resolve(home) || (await exists(join(directory, '.git')))) return directories;
    const parent = dirname(directory);
    if (parent === directory) return [resolve(startDirectory)];
    directory = parent;
  }
}

/** The nearest .lbcheck.yml from `startDirectory` up to the repository root or `home`, or undefined. */
export async function findConfigFile(startDirectory: string, home: string = homedir()): Promise<string | undefined> {
  for (const directory of await searchedDirectories(startDirectory, home)) {
    const candidate = join(directory, CONFIG_FILE_NAME);
    if (await isFile(candidate)) return candidate;
  }
  return undefined;
}

/** Loads --config FILE, else the nearest .lbcheck.yml, else the defaults. */
export async function loadConfig(options: ParseConfigOptions & { configPath?: string; cwd?: string; home?: string }): Promise<LbcheckConfig> {
  const cwd = options.cwd ?? process.cwd();
  const path = options.configPath !== undefined ? resolve(cwd, options.configPath) : await findConfigFile(cwd, options.home);
  if (path === undefined) return EMPTY_CONFIG;
  const shown = options.configPath ?? (relative(cwd, path) || CONFIG_FILE_NAME);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new LbcheckError(`cannot read config ${shown}: ${errorLine(error)}`, { cause: error });
  }
  return parseConfig(text, shown, options);
}
