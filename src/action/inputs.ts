/**
 * The Action's inputs (action.yml; ../shared/CONTRACT.md "GitHub Action"), read with
 * @actions/core and checked before any AWS call: the same checks as the CLI's flags
 * (src/aws/scope-options.ts), so a bad input fails the step with one line.
 */
import * as core from '@actions/core';
import type { AuditOptions } from '../audit.js';
import { collectOptionsFrom, type ScopeOptionNames } from '../aws/scope-options.js';
import { DURATION_FORMAT, parseDuration, type Duration } from '../duration.js';
import { readBaseline, type Baseline } from '../engine/baseline.js';
import { loadConfig } from '../engine/config.js';
import { SERVER_KEEPALIVE_SECONDS } from '../engine/keepalive.js';
import type { Rule, Severity } from '../engine/types.js';
import { LbcheckError } from '../errors.js';
import { silentProgress } from '../progress.js';
import type { ReportFormat } from '../report/index.js';
import type { LbcheckConfig } from '../engine/config.js';

const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;
const LOG_FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
const DEFAULT_CONCURRENCY = 8;
/** The scope checks' error lines name the inputs (action.yml), not the CLI flags they stand for. */
export const ACTION_INPUT_NAMES: ScopeOptionNames = {
  region: 'input regions',
  allRegions: 'input all-regions',
  profile: 'input profile',
  roleArn: 'input role-arn',
  orgRole: 'input org-role',
  externalId: 'input external-id',
  endpointUrl: 'input endpoint-url',
};

export interface ActionInputs {
  regions: string[];
  allRegions: boolean;
  profiles: string[];
  /** role-arn: newline separated, one account each. */
  roleArns: string[];
  orgRole?: string;
  externalId?: string;
  endpointUrl?: string;
  config: LbcheckConfig;
  failOn: Severity | 'none';
  probe: boolean;
  baseline?: Baseline;
  writeBaseline?: string;
  maxTime: Duration;
  sarifFile?: string;
  sarifCategory?: string;
  htmlFile?: string;
  reportJson?: string;
  format: ReportFormat;
}

function optional(name: string): string | undefined {
  const value = core.getInput(name).trim();
  return value === '' ? undefined : value;
}

/** A list input: comma or newline separated, blanks dropped. */
function list(name: string): string[] {
  return core
    .getInput(name)
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

function boolean(name: string): boolean {
  const value = core.getInput(name).trim().toLowerCase();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new LbcheckError(`input ${name} must be true or false, got ${JSON.stringify(value)}`);
}

function oneOf<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const value = optional(name) ?? fallback;
  if (!(choices as readonly string[]).includes(value)) throw new LbcheckError(`input ${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

/** A duration input (max-time), as the CLI's --max-time reads it. */
function duration(name: string, fallback: string): Duration {
  const text = optional(name) ?? fallback;
  const parsed = parseDuration(text);
  if (!parsed) throw new LbcheckError(`input ${name} must be ${DURATION_FORMAT}, got ${JSON.stringify(text)}`);
  return parsed;
}

export async function readInputs(rules: readonly Rule[]): Promise<ActionInputs> {
  const configPath = optional('config');
  const baselineFile = optional('baseline');
  const sarifFile = optional('sarif-file');
  const sarifCategory = optional('sarif-category');
  const writeBaseline = optional('write-baseline');
  const endpointUrl = optional('endpoint-url');
  const orgRole = optional('org-role');
  const externalId = optional('external-id');
  return {
    // None: the collector takes AWS_REGION, AWS_DEFAULT_REGION (configure-aws-credentials sets both) or the profile's, as aws-cli does.
    regions: list('regions'),
    allRegions: boolean('all-regions'),
    profiles: list('profile'),
    roleArns: list('role-arn'),
    ...(orgRole !== undefined && { orgRole }),
    ...(externalId !== undefined && { externalId }),
    ...(endpointUrl !== undefined && { endpointUrl }),
    config: await loadConfig({ configPath, ruleIds: rules.map((rule) => rule.meta.id), serverKeepalive: SERVER_KEEPALIVE_SECONDS }),
    failOn: oneOf('fail-on', FAIL_ON, 'error'),
    probe: boolean('probe'),
    ...(baselineFile !== undefined && { baseline: await readBaseline(baselineFile) }),
    ...(writeBaseline !== undefined && { writeBaseline }),
    maxTime: duration('max-time', '15m'),
    ...(sarifFile !== undefined && { sarifFile }),
    ...(sarifCategory !== undefined && { sarifCategory }),
    ...(optional('html-file') !== undefined && { htmlFile: optional('html-file') }),
    format: oneOf('format', LOG_FORMATS, 'text'),
  };
}

export function auditOptionsFromInputs(inputs: ActionInputs, rules: readonly Rule[]): AuditOptions {
  const collect = collectOptionsFrom(
    {
      region: inputs.regions,
      allRegions: inputs.allRegions,
      profile: inputs.profiles,
      roleArn: inputs.roleArns,
      ...(inputs.orgRole !== undefined && { orgRole: inputs.orgRole }),
      ...(inputs.externalId !== undefined && { externalId: inputs.externalId }),
      endpointUrl: inputs.endpointUrl,
      concurrency: DEFAULT_CONCURRENCY,
    },
    silentProgress,
    { names: ACTION_INPUT_NAMES },
  );
  return {
    source: { kind: 'aws', collect },
    config: inputs.config,
    rules,
    ...(inputs.probe && { probe: { timeoutMs: 3000, attempts: 3, measureKeepalive: false } }),
    ...(inputs.baseline && { baseline: inputs.baseline }),
  };
}
