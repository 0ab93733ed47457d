/**
 * The committed Action bundle (action/dist/index.js), run as GitHub runs it: inputs as
 * INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, AWS credentials and region
 * in the environment as aws-actions/configure-aws-credentials leaves them; against a moto
 * scenario, under this Node (20) and Node 24 (GitHub's runtime for `runs.using: node24`).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AwsLimitsProxy } from '../support/aws-limits-proxy.js';
import { MOTO_REGIONS, motoEndpoint, motoEnv } from '../support/moto.js';
import { reportSchemaErrors } from '../support/report-schema.js';
import { validateSarif } from '../support/sarif-multitool.js';
import { scenario } from '../support/scenario.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BUNDLE = join(ROOT, 'action', 'dist', 'index.js');
const region = MOTO_REGIONS.action;
const ROUTE_RULE = 'internet-facing-subnet-without-igw-route';

interface StepResult {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/** GITHUB_OUTPUT's `name<<DELIMITER\nvalue\nDELIMITER` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[match[1] ?? ''] = match[3] ?? '';
  return outputs;
}

async function runStep(node: 'current' | 'node24', inputs: Record<string, string>): Promise<StepResult> {
  const dir = await mkdtemp(join(tmpdir(), 'lbcheck-action-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary.md');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: NodeJS.ProcessEnv = {
    ...motoEnv(),
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
  };
  const command = node === 'current' ? process.execPath : await node24();
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn(command, [BUNDLE], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', () => undefined);
    child.on('error', reject);
    child.on('close', (exit) => resolve({ code: exit, stdout: out }));
  });
  return { code, stdout, outputs: parseOutputs(await readFile(outputFile, 'utf8')), summary: await readFile(summaryFile, 'utf8') };
}

/**
 * The node binary of Node 24 (npm's `node@24` package, as .ci/run uses it). Spawned directly, not
 * through `npx ... node`, whose shell drops variables with a hyphen (INPUT_FAIL-ON) that GitHub passes.
 */
let node24Path: Promise<string> | undefined;
function node24(): Promise<string> {
  if (process.versions.node.split('.')[0] === '24') return Promise.resolve(process.execPath); // .ci/run's Node 24 pass
  node24Path ??= new Promise((resolve, reject) => {
    // An outer `npx -c` sets npm_config_call, which a nested npx reads as its own --call and then fails.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'npm_config_call'));
    const child = spawn('npx', ['-y', '-p', 'node@24', 'node', '-p', 'process.execPath'], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && out.trim() ? resolve(out.trim()) : reject(new Error(`npx -p node@24 failed with ${code}`))));
  });
  return node24Path;
}

let lbArn: string;

beforeAll(async () => {
  const s = await scenario(region);
  const vpc = await s.vpc({ cidr: '10.71.0.0/16' });
  const igw = await s.internetGateway(vpc);
  const a = await s.subnet(vpc, { cidr: '10.71.1.0/24', az: `${region}a` });
  const b = await s.subnet(vpc, { cidr: '10.71.2.0/24', az: `${region}b` });
  await s.routeTable(vpc, { routes: [{ cidr: '0.0.0.0/0', gatewayId: igw }], subnets: [a] });
  const sg = await s.securityGroup(vpc, { ingress: [{ port: 443, cidr: '0.0.0.0/0' }] });
  lbArn = (await s.alb({ name: 'action-web', subnets: [a, b], securityGroups: [sg] })).arn;
}, 60_000);

describe.each(['current', 'node24'] as const)('the committed Action bundle under %s Node', (node) => {
  it('audits, annotates, writes the summary, SARIF and JSON, sets the outputs and fails the step on an error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lbcheck-action-files-'));
    // The step, like the CLI, never creates a missing directory.
    await mkdir(join(dir, 'out'));
    const sarifFile = join(dir, 'out', 'lbcheck.sarif');
    if (node === 'node24') {
      const binary = await node24();
      expect(await new Promise((resolve) => spawn(binary, ['--version']).stdout.on('data', (v: Buffer) => resolve(v.toString().trim())))).toMatch(/^v24\./);
    }
    const htmlFile = join(dir, 'out', 'lbcheck.html');
    const step = await runStep(node, { 'endpoint-url': motoEndpoint(), 'sarif-file': sarifFile, 'html-file': htmlFile, 'fail-on': 'error', 'max-time': '5m' });

    expect(step.code).toBe(1);
    expect(step.stdout).toContain('::error::lbcheck: 1 finding at or above error');
    // The finding's own annotation, with the rule and the resource as its title (a colon in a property is %3A).
    expect(step.stdout).toMatch(new RegExp(`^::error title=${ROUTE_RULE}%3A application action-web \\(123456789012/${region}\\)::`, 'm'));

    expect(step.outputs.errors).toBe('1');
    expect(step.outputs['new-findings']).toBe(String(Number(step.outputs.errors) + Number(step.outputs.warnings) + Number(step.outputs.infos)));
    expect(step.outputs['fixed-findings']).toBe('0');
    expect(step.outputs['sarif-file']).toBe(sarifFile);
    expect(step.outputs['html-file']).toBe(htmlFile);
    expect(await readFile(htmlFile, 'utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*action-web[\s\S]*<\/html>\s*$/i);
    const report = JSON.parse(await readFile(step.outputs['report-json'] ?? '', 'utf8')) as { findings: { ruleId: string; resource: { arn: string } }[] };
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.findings.filter((f) => f.ruleId === ROUTE_RULE).map((f) => f.resource.arn)).toEqual([lbArn]);

    expect(step.summary.startsWith('## lbcheck: 1 error')).toBe(true);
    expect(step.summary).toContain('action-web');

    const sarif = await readFile(sarifFile, 'utf8');
    const run = (JSON.parse(sarif) as { runs: { automationDetails: { id: string }; results: { ruleId: string }[] }[] }).runs[0];
    expect(run?.automationDetails.id).toBe(`lbcheck/123456789012/${region}/`);
    expect(run?.results.map((r) => r.ruleId)).toContain(ROUTE_RULE);
    if (node === 'current') expect((await validateSarif(sarif)).filter((issue) => issue.level === 'error')).toEqual([]);
  }, 240_000);

  it('passes with fail-on none, and fails with one line on a bad input', async () => {
    const passed = await runStep(node, { 'endpoint-url': motoEndpoint(), 'fail-on': 'none' });
    expect(passed.code).toBe(0);
    expect(passed.stdout).not.toContain('::error::');
    const bad = await runStep(node, { 'endpoint-url': motoEndpoint(), 'fail-on': 'sometimes' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('::error::lbcheck: input fail-on must be one of error, warning, info, none, got "sometimes"');
    expect(bad.outputs).toEqual({});
  }, 240_000);
});

describe('the committed Action bundle, max-time and role-arn', () => {
  it('fails the step with the CLI\'s --max-time line when max-time is reached, after the summary of what was collected', async () => {
    // The proxy holds every DescribeSubnets: the audit can only end by max-time.
    const proxy = new AwsLimitsProxy({ upstream: motoEndpoint(), answer: (call) => (call.action === 'DescribeSubnets' ? 'hold' : undefined) });
    const endpoint = await proxy.start();
    try {
      const step = await runStep('current', { 'endpoint-url': endpoint, 'max-time': '3s', 'fail-on': 'none' });
      expect(step.stdout).toMatch(new RegExp(`^::error::lbcheck: max-time 3s reached while collecting ${region} \\(${endpoint.replaceAll('.', '\\.')}\\): 1 load balancer not fully checked$`, 'm'));
      expect(step.code).toBe(1);
      expect(step.summary).toContain('action-web');
    } finally {
      await proxy.stop();
    }
  }, 120_000);

  it('audits the accounts of role-arn (one ARN per line) instead of the credentials\' own', async () => {
    const accounts = ['230000000001', '230000000002'];
    const step = await runStep('current', { 'endpoint-url': motoEndpoint(), 'role-arn': accounts.map((account) => `arn:aws:iam::${account}:role/lbcheck-audit`).join('\n'), 'external-id': 'ext-1' });
    expect(step.code).toBe(0);
    const report = JSON.parse(await readFile(step.outputs['report-json'] ?? '', 'utf8')) as { scope: { accounts: string[] }; findings: unknown[] };
    // Nothing is built in those accounts: the default account's action-web is not theirs.
    expect([report.scope.accounts, report.findings]).toEqual([accounts, []]);
  }, 120_000);

  it('ends the step at once on a bad regions input (checked before max-time starts)', async () => {
    const step = await runStep('current', { 'endpoint-url': motoEndpoint(), regions: 'mars-1' });
    expect(step.stdout).toContain('::error::lbcheck: input regions "mars-1" is not an AWS region name');
    expect(step.code).toBe(1);
  }, 60_000);

  it('redacts URL credentials in the lines it writes itself (progress and the failure line), as the CLI its stderr', async () => {
    const pasted = 'https://user:secret@example.com/x?X-Amz-Signature=abc';
    const redacted = 'https://***@example.com/x?X-Amz-Signature=***';
    const dir = await mkdtemp(join(tmpdir(), 'lbcheck-action-config-'));
    const config = join(dir, 'lbcheck.yml');
    await writeFile(config, `ignore:\n  - rule: ${ROUTE_RULE}\n    resource: "${pasted}"\n    reason: pasted by mistake\n    expires: 2020-01-01\n`);
    // An expired ignore is a warning line of the step's log.
    const warned = await runStep('current', { 'endpoint-url': motoEndpoint(), config, 'fail-on': 'none' });
    expect(warned.stdout).toContain(`warning: ${config}:2:5: ignore of ${ROUTE_RULE} on ${redacted} expired on 2020-01-01`);
    // A bad input is the failure line.
    const failed = await runStep('current', { 'endpoint-url': motoEndpoint(), regions: pasted });
    expect(failed.stdout).toContain(`::error::lbcheck: input regions "${redacted}" is not an AWS region name`);
    // The Action's own lines (the text report in the log is the report's, as the CLI's stdout).
    const ownLines = [warned, failed].flatMap((step) => step.stdout.split('\n').filter((line) => /^(warning: |::)/.test(line)));
    expect(ownLines.filter((line) => line.includes('secret'))).toEqual([]);
  }, 120_000);

  it('reads max-time as the CLI reads --max-time: a bare number is refused', async () => {
    const step = await runStep('current', { 'endpoint-url': motoEndpoint(), 'max-time': '90' });
    expect(step.stdout).toContain('::error::lbcheck: input max-time must be a whole number with a unit (ms, s, m or h) from 1ms to 24h, e.g. 90s, 15m or 1h, got "90"');
    expect(step.code).toBe(1);
  }, 120_000);
});
