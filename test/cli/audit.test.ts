/**
 * `lbcheck audit` end to end through the built bundle: the example snapshot, exit codes
 * by --fail-on, the JSON shape, config and baseline handling, bad input as one line and
 * exit 2, and a live audit of a small moto scenario.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MOTO_REGIONS, motoEndpoint, motoEnv } from '../support/moto.js';
import { scenario } from '../support/scenario.js';
import { ROOT, runCli } from './cli-support.js';

const EXAMPLE = join(ROOT, 'examples', 'incidents.snapshot.json');
const SHOP_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop/3f9a1c7e5b2d4a60';
const API_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/api/7b1d3f5a9c2e4b68';
const API_GROUP_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-node/2d4f6a8c1e3b5d79';

interface JsonFinding {
  ruleId: string;
  category: string;
  severity: string;
  resource: { arn: string; type: string; name: string; region: string };
  message: string;
  evidence: Record<string, unknown>;
  fingerprint: string;
  new?: boolean;
}

interface JsonReport {
  schemaVersion: number;
  tool: { name: string; version: string };
  scope: { regions: string[]; accounts: string[] };
  findings: JsonFinding[];
  notChecked: { what: string; why: string }[];
  stats: { apiCalls: Record<string, number>; durationMs: number };
  summary: { errors: number; warnings: number; infos: number; newFindings: number; loadBalancers: number };
}

/** A directory with no .lbcheck.yml above it (tmp), so config discovery finds only what a test writes. */
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lbcheck-cli-audit-'));
});

const audit = (args: string[], cwd = work) => runCli(['audit', ...args], { cwd });

describe('audit --snapshot with --lb / --tag', () => {
  it('reports on the chosen load balancers only, in every format', async () => {
    const byName = await audit(['--snapshot', EXAMPLE, '--format', 'json', '--lb', 'sh*']);
    const report = JSON.parse(byName.stdout) as JsonReport;
    expect(report.findings.map((f) => f.resource.arn)).toEqual([SHOP_ARN]);
    expect(report.summary.loadBalancers).toBe(1);
    expect(byName.code).toBe(1);
    const byTag = await audit(['--snapshot', EXAMPLE, '--format', 'markdown', '--tag', 'team=platform']);
    expect(byTag.stdout).toContain('idle-timeout-exceeds-target-keepalive');
    expect(byTag.stdout).not.toContain('internet-facing-subnet-without-igw-route');
    // Both flags: both must match.
    const both = await audit(['--snapshot', EXAMPLE, '--format', 'json', '--lb', 'shop', '--tag', 'team=platform']);
    expect(both.code).toBe(2);
  });

  it('says so on stderr and exits 2 when the filter matches no load balancer', async () => {
    const result = await audit(['--snapshot', EXAMPLE, '--format', 'json', '--lb', 'nope-*', '--tag', 'env=prod']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("lbcheck: error: nothing could be checked: --lb 'nope-*' --tag env=prod: no load balancer in the scope matches");
    expect((JSON.parse(result.stdout) as JsonReport).findings).toEqual([]);
  });

  it('refuses a --tag that is not KEY=VALUE in one line, exit 2', async () => {
    const result = await audit(['--snapshot', EXAMPLE, '--tag', 'env']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('lbcheck: error: --tag "env": expected KEY=VALUE (e.g. env=prod, or env=* for any value)');
  });
});

describe('audit --snapshot examples/incidents.snapshot.json', () => {
  it('finds both motivating incidents', async () => {
    const result = await audit(['--snapshot', EXAMPLE, '--format', 'json']);
    expect(result.stderr).not.toContain('lbcheck: error');
    const report = JSON.parse(result.stdout) as JsonReport;
    const subnetFinding = report.findings.find((f) => f.ruleId === 'internet-facing-subnet-without-igw-route');
    expect(subnetFinding?.resource.arn).toBe(SHOP_ARN);
    expect(subnetFinding?.evidence).toMatchObject({ subnetId: 'subnet-0c1c4e7f2d90b3a25', routeTableId: 'rtb-09d8c7b6a5f4e3d21', routeTableVia: 'main' });
    const keepaliveFinding = report.findings.find((f) => f.ruleId === 'idle-timeout-exceeds-target-keepalive');
    expect([keepaliveFinding?.resource.arn, keepaliveFinding?.resource.name]).toEqual([API_ARN, 'api']);
    expect(JSON.stringify(keepaliveFinding?.evidence)).toContain(API_GROUP_ARN);
    expect(keepaliveFinding?.evidence).toMatchObject({ idleTimeoutSeconds: 60, keepAliveSeconds: 5 });
    expect(result.code).toBe(1);
  });

  it('writes the contract JSON shape', async () => {
    const { stdout } = await audit(['--snapshot', EXAMPLE, '--format', 'json']);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.schemaVersion).toBe(1);
    expect(report.tool.name).toBe('lbcheck');
    expect(report.scope).toEqual({ regions: ['us-east-1'], accounts: ['123456789012'] });
    expect(report.stats.apiCalls.DescribeLoadBalancers).toBe(1);
    expect(typeof report.stats.durationMs).toBe('number');
    expect(report.notChecked).toEqual([]);
    for (const finding of report.findings) {
      expect(finding.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(['error', 'warning', 'info']).toContain(finding.severity);
      expect(finding.resource.region).toBe('us-east-1');
    }
    expect(report.summary.loadBalancers).toBe(2);
  });

  it('exits by --fail-on', async () => {
    expect((await audit(['--snapshot', EXAMPLE, '--fail-on', 'none'])).code).toBe(0);
    expect((await audit(['--snapshot', EXAMPLE, '--fail-on', 'error'])).code).toBe(1);
    const dir = await mkdtemp(join(tmpdir(), 'lbcheck-failon-'));
    await writeFile(
      join(dir, '.lbcheck.yml'),
      'rules:\n  internet-facing-subnet-without-igw-route: warning\n  idle-timeout-exceeds-target-keepalive: { severity: info }\n',
    );
    const lowered = await audit(['--snapshot', EXAMPLE, '--format', 'json'], dir);
    expect(lowered.code).toBe(0);
    const report = JSON.parse(lowered.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['internet-facing-subnet-without-igw-route', 'warning'],
      ['idle-timeout-exceeds-target-keepalive', 'info'],
    ]);
    expect((await audit(['--snapshot', EXAMPLE, '--fail-on', 'warning'], dir)).code).toBe(1);
    expect((await audit(['--snapshot', EXAMPLE, '--fail-on', 'info'], dir)).code).toBe(1);
  });

  it('names the config file in use on stderr (not only with --debug), and not with --quiet', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lbcheck-named-config-'));
    await writeFile(join(dir, '.lbcheck.yml'), 'rules:\n  single-az-load-balancer: warning\n');
    const named = await audit(['--snapshot', EXAMPLE, '--format', 'json'], dir);
    expect(named.stderr.split('\n')).toContain('lbcheck: config: .lbcheck.yml');
    const quiet = await audit(['--snapshot', EXAMPLE, '--format', 'json', '--quiet'], dir);
    expect(quiet.stderr).not.toContain('config');
    const none = await audit(['--snapshot', EXAMPLE, '--format', 'json']);
    expect(none.stderr).not.toContain('lbcheck: config:');
  });

  it('suppresses with an ignore, and reports an expired ignore instead of honouring it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lbcheck-ignore-'));
    const config = (expires: string) =>
      `ignore:\n  - rule: idle-timeout-exceeds-target-keepalive\n    resource: "api"\n    reason: fix ships Friday\n    expires: ${expires}\n`;
    await writeFile(join(dir, '.lbcheck.yml'), config('2999-01-01'));
    const active = JSON.parse((await audit(['--snapshot', EXAMPLE, '--format', 'json'], dir)).stdout) as JsonReport & {
      ignores: { suppressed: { ruleId: string; resourceArn: string; reason: string; ignore: string }[] };
    };
    expect(active.findings.map((f) => f.ruleId)).toEqual(['internet-facing-subnet-without-igw-route']);
    expect(active.ignores.suppressed).toMatchObject([
      { ruleId: 'idle-timeout-exceeds-target-keepalive', resourceArn: API_ARN, reason: 'fix ships Friday', ignore: '.lbcheck.yml:2:5' },
    ]);
    await writeFile(join(dir, '.lbcheck.yml'), config('2020-01-31'));
    const expired = await audit(['--snapshot', EXAMPLE, '--format', 'json'], dir);
    const report = JSON.parse(expired.stdout) as JsonReport & { ignores: { expired: { rule: string; expires: string }[] } };
    expect(report.findings.map((f) => f.ruleId)).toContain('idle-timeout-exceeds-target-keepalive');
    expect(report.ignores.expired).toMatchObject([{ rule: 'idle-timeout-exceeds-target-keepalive', expires: '2020-01-31' }]);
    expect(expired.stderr).toContain('.lbcheck.yml:2:5: ignore of idle-timeout-exceeds-target-keepalive on api expired on 2020-01-31');
  });

  it('marks findings known to a baseline as not new', async () => {
    const previous = join(work, 'previous.json');
    expect((await audit(['--snapshot', EXAMPLE, '--format', 'json', '--output', previous])).stdout).toBe('');
    const baseline = JSON.parse(await readFile(previous, 'utf8')) as JsonReport;
    expect(baseline.summary.newFindings).toBe(baseline.findings.length);
    const again = JSON.parse((await audit(['--snapshot', EXAMPLE, '--format', 'json', '--baseline', previous])).stdout) as JsonReport;
    expect(again.summary.newFindings).toBe(0);
    expect(again.findings.map((f) => [f.fingerprint, f.new])).toEqual(baseline.findings.map((f) => [f.fingerprint, false]));
  });

  it('renders text without colour under NO_COLOR, and SARIF and Markdown', async () => {
    const text = await runCli(['audit', '--snapshot', EXAMPLE, '--format', 'text'], { cwd: work, env: { NO_COLOR: '1', FORCE_COLOR: '1', COLUMNS: '80' } });
    expect(text.stdout).not.toContain('\u001b[');
    // The reviewed golden file of this example (test/golden, npm run golden).
    expect(text.stdout).toBe(await readFile(join(ROOT, 'test', 'golden', 'incidents.80.txt'), 'utf8'));
    const coloured = await runCli(['audit', '--snapshot', EXAMPLE, '--format', 'text'], { cwd: work, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\u001b[31merror  \u001b[0m');
    const sarif = JSON.parse((await audit(['--snapshot', EXAMPLE, '--format', 'sarif'])).stdout) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    expect(sarif.runs[0]?.results.map((r) => [r.ruleId, r.locations[0]?.physicalLocation.artifactLocation.uri])).toEqual([
      ['idle-timeout-exceeds-target-keepalive', 'aws/123456789012/us-east-1/application/api'],
      ['internet-facing-subnet-without-igw-route', 'aws/123456789012/us-east-1/application/shop'],
    ]);
    const markdown = (await audit(['--snapshot', EXAMPLE, '--format', 'markdown'])).stdout;
    expect(markdown.startsWith('## lbcheck: 2 errors, 0 warnings, 0 info')).toBe(true);
  });

  it('runs only the rules --rule names, by id or by category, and tags each finding with its category', async () => {
    const all = JSON.parse((await audit(['--snapshot', EXAMPLE, '--format', 'json'])).stdout) as JsonReport & { rules: string[] };
    for (const finding of all.findings) expect(['reachability', 'resilience', 'security', 'operations']).toContain(finding.category);
    const reachability = JSON.parse((await audit(['--snapshot', EXAMPLE, '--format', 'json', '--rule', 'reachability'])).stdout) as JsonReport & { rules: string[] };
    expect(reachability.findings.map((f) => f.fingerprint)).toEqual(all.findings.filter((f) => f.category === 'reachability').map((f) => f.fingerprint));
    const one = await audit(['--snapshot', EXAMPLE, '--format', 'json', '--rule', 'single-az-load-balancer', '--rule', 'security']);
    const report = JSON.parse(one.stdout) as JsonReport & { rules: string[] };
    expect(report.rules).toContain('single-az-load-balancer');
    expect(report.rules).not.toContain('internet-facing-subnet-without-igw-route');
    expect(report.findings.filter((f) => f.ruleId === 'internet-facing-subnet-without-igw-route')).toEqual([]);
  });

  it('defaults to JSON when stdout is not a terminal', async () => {
    const { stdout } = await audit(['--snapshot', EXAMPLE]);
    expect((JSON.parse(stdout) as JsonReport).schemaVersion).toBe(1);
  });
});

describe('audit --snapshot examples/categories.snapshot.json', () => {
  it('shows one finding of each category, and the SARIF rules carry the category as a tag', async () => {
    const file = join(ROOT, 'examples', 'categories.snapshot.json');
    const result = await audit(['--snapshot', file, '--format', 'json']);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.category, f.ruleId, f.resource.name]).sort()).toEqual([
      ['operations', 'access-logs-disabled', 'checkout'],
      ['reachability', 'target-group-without-healthy-targets', 'checkout-admin'],
      ['resilience', 'single-az-load-balancer', 'payments'],
      ['security', 'http-listener-without-https-redirect', 'legacy'],
    ]);
    expect(result.code).toBe(1);
    const sarif = JSON.parse((await audit(['--snapshot', file, '--format', 'sarif'])).stdout) as {
      runs: { tool: { driver: { rules: { id: string; properties: { tags: string[] } }[] } } }[];
    };
    const tags = new Map(sarif.runs[0]?.tool.driver.rules.map((rule) => [rule.id, rule.properties.tags]));
    expect(tags.get('access-logs-disabled')).toContain('operations');
    expect(tags.get('http-listener-without-https-redirect')).toContain('security');
  });
});

describe('bad input: exit 2 and one line naming the file', () => {
  const oneLine = (stderr: string) => stderr.trim().split('\n').filter((line) => line.startsWith('lbcheck: error:'));

  it('a malformed config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lbcheck-badconfig-'));
    await writeFile(join(dir, '.lbcheck.yml'), '# rules\nrules:\n  single-az-load-balancer:\n    severity: loud\n');
    const result = await audit(['--snapshot', EXAMPLE], dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(oneLine(result.stderr)).toEqual(['lbcheck: error: .lbcheck.yml:4:15: rules.single-az-load-balancer.severity: expected one of error|warning|info|off']);
  });

  it('a YAML alias bomb: one line naming the file and line, not an internal error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lbcheck-aliasbomb-'));
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (const [i, name] of [...'bcdefghi'].entries()) levels.push(`${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`);
    await writeFile(join(dir, '.lbcheck.yml'), ['rules:', '  single-az-load-balancer: warning', ...levels, ''].join('\n'));
    const result = await audit(['--snapshot', EXAMPLE], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('lbcheck: error: .lbcheck.yml:4:8: invalid YAML: its aliases expand to more than 100 nodes (an alias bomb)\n');
  });

  it('an unknown rule id in --config', async () => {
    const file = join(work, 'ci-config.yml');
    await writeFile(file, 'rules:\n  single-az-load-balancer: warning\n  foo: off\n');
    const result = await audit(['--snapshot', EXAMPLE, '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`lbcheck: error: ${file}:3:3: unknown rule id "foo" (see lbcheck rules)\n`);
  });

  it('an unknown --rule id or category', async () => {
    const result = await audit(['--snapshot', EXAMPLE, '--rule', 'securty']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'lbcheck: error: --rule "securty" is neither a rule id nor a category (reachability, resilience, security, operations); did you mean "security"? (see lbcheck rules)\n',
    );
  });

  it('a corrupt snapshot', async () => {
    const file = join(work, 'corrupt.snapshot.json');
    await writeFile(file, '{"schemaVersion": 1, "scopes": [');
    const result = await audit(['--snapshot', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(oneLine(result.stderr)).toHaveLength(1);
    expect(oneLine(result.stderr)[0]).toMatch(/^lbcheck: error: corrupt\.snapshot\.json: not JSON/);
  });

  it('a baseline that is not a report', async () => {
    const file = join(work, 'not-a-report.json');
    await writeFile(file, '{"findings": "none"}');
    const result = await audit(['--snapshot', EXAMPLE, '--baseline', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`lbcheck: error: baseline ${file}: not an lbcheck JSON report (schemaVersion: expected schemaVersion 1)\n`);
  });

  it('--measure-keepalive without --probe', async () => {
    const result = await audit(['--snapshot', EXAMPLE, '--measure-keepalive']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('lbcheck: error: --measure-keepalive needs --probe\n');
  });

  it('a snapshot with nothing in it: nothing could be checked', async () => {
    const file = join(work, 'empty.snapshot.json');
    const example = JSON.parse(await readFile(EXAMPLE, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...example, scopes: [], notChecked: [{ what: 'region us-east-1', why: 'AccessDenied: not authorized' }] }));
    const result = await audit(['--snapshot', file, '--format', 'json']);
    expect(result.code).toBe(2);
    expect((JSON.parse(result.stdout) as JsonReport).notChecked).toEqual([{ what: 'region us-east-1', why: 'AccessDenied: not authorized' }]);
    expect(result.stderr).toContain('lbcheck: error: nothing could be checked: region us-east-1: AccessDenied: not authorized');
  });

  it('a load-balancer listing that failed in one scope: the report of the rest, and exit 2 with one line', async () => {
    const file = join(work, 'partial.snapshot.json');
    const example = JSON.parse(await readFile(EXAMPLE, 'utf8')) as Record<string, unknown>;
    const denied = { what: 'Classic load balancers (elasticloadbalancing:DescribeLoadBalancers in us-east-1)', why: 'AccessDenied: not authorized', region: 'us-east-1', account: '123456789012', call: 'elasticloadbalancing:DescribeLoadBalancers' };
    await writeFile(file, JSON.stringify({ ...example, notChecked: [denied] }));
    const result = await audit(['--snapshot', file, '--format', 'json', '--fail-on', 'none']);
    expect(result.code).toBe(2);
    expect((JSON.parse(result.stdout) as JsonReport).findings.length).toBeGreaterThan(0);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('lbcheck: error'))).toEqual([
      'lbcheck: error: load balancers could not be listed in us-east-1, so the audit is incomplete: Classic load balancers (elasticloadbalancing:DescribeLoadBalancers in us-east-1): AccessDenied: not authorized',
    ]);
  });
});

describe('audit against moto', () => {
  // This file's own region (other test files use theirs), so the scenario is all it sees.
  const region = MOTO_REGIONS.cliAudit;

  it('collects a live region and reports the subnet without an internet route', async () => {
    const s = await scenario(region);
    const vpc = await s.vpc({ cidr: '10.40.0.0/16' });
    const igw = await s.internetGateway(vpc);
    const a = await s.subnet(vpc, { cidr: '10.40.1.0/24', az: `${region}a` });
    const b = await s.subnet(vpc, { cidr: '10.40.2.0/24', az: `${region}b` });
    await s.routeTable(vpc, { routes: [{ cidr: '0.0.0.0/0', gatewayId: igw }], subnets: [a] });
    const sg = await s.securityGroup(vpc, { ingress: [{ port: 443, cidr: '0.0.0.0/0' }] });
    const lb = await s.alb({ name: 'cli-live', subnets: [a, b], securityGroups: [sg] });

    const result = await runCli(['audit', '--endpoint-url', motoEndpoint(), '--region', region, '--format', 'json', '--fail-on', 'none'], {
      cwd: work,
      env: motoEnv(),
    });
    expect(result.stderr).not.toContain('lbcheck: error');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.scope.regions).toEqual([region]);
    expect(report.stats.apiCalls.DescribeLoadBalancers).toBeGreaterThanOrEqual(1);
    const finding = report.findings.find((f) => f.ruleId === 'internet-facing-subnet-without-igw-route');
    expect(finding?.resource.arn).toBe(lb.arn);
    expect(finding?.evidence).toMatchObject({ subnetId: b, routeTableVia: 'main' });
  });
});
