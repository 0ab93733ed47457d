/**
 * Baselines for nightly audits, end to end against moto: audit and write a baseline, fix
 * one fault and add another, audit again: exactly one new and one fixed, and the exit code
 * comes from the new one alone. Then an audit identical to its baseline exits 0.
 */
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MOTO_REGIONS, motoEndpoint, motoEnv } from '../support/moto.js';
import { reportSchemaErrors } from '../support/report-schema.js';
import { scenario } from '../support/scenario.js';
import { runCli } from './cli-support.js';

interface Report {
  findings: { ruleId: string; severity: string; fingerprint: string; new?: boolean; resource: { arn: string; account?: string } }[];
  baseline?: { file: string; new: number; fixed: { ruleId: string; fingerprint: string; resource: { arn: string } }[] };
}

const region = MOTO_REGIONS.cliBaseline;
const ROUTE_RULE = 'internet-facing-subnet-without-igw-route';
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lbcheck-cli-baseline-'));
});

const audit = (args: string[]) =>
  runCli(['audit', '--endpoint-url', motoEndpoint(), '--region', region, '--quiet', ...args], { cwd: work, env: motoEnv() });

describe('audit --baseline / --write-baseline against moto', () => {
  it('reports one new and one fixed after a fault is fixed and another appears; only the new one fails the run', async () => {
    const s = await scenario(region);
    const vpc = await s.vpc({ cidr: '10.61.0.0/16' });
    const igw = await s.internetGateway(vpc);
    const a = await s.subnet(vpc, { cidr: '10.61.1.0/24', az: `${region}a` });
    const b = await s.subnet(vpc, { cidr: '10.61.2.0/24', az: `${region}b` });
    const c = await s.subnet(vpc, { cidr: '10.61.3.0/24', az: `${region}c` });
    const routeToInternet = [{ cidr: '0.0.0.0/0', gatewayId: igw }];
    await s.routeTable(vpc, { routes: routeToInternet, subnets: [a] });
    const sg = await s.securityGroup(vpc, { ingress: [{ port: 443, cidr: '0.0.0.0/0' }] });
    const web = await s.alb({ name: 'baseline-web', subnets: [a, b], securityGroups: [sg] });

    // lbcheck never creates a missing directory (src/fs.ts): the nightly job makes it.
    await mkdir(join(work, 'nightly'), { recursive: true });
    const baselineFile = join(work, 'nightly', 'baseline.json');
    const first = await audit(['--format', 'json', '--write-baseline', baselineFile]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(1);
    const firstReport = JSON.parse(first.stdout) as Report;
    const webFault = firstReport.findings.find((f) => f.ruleId === ROUTE_RULE && f.resource.arn === web.arn);
    expect(webFault?.severity).toBe('error');
    const written = JSON.parse(await readFile(baselineFile, 'utf8')) as { schemaVersion: number; kind: string; findings: { fingerprint: string }[] };
    expect([written.schemaVersion, written.kind]).toEqual([1, 'baseline']);
    expect(written.findings.map((f) => f.fingerprint).sort()).toEqual(firstReport.findings.map((f) => f.fingerprint).sort());

    // Fix the first fault (subnet b gets the internet route); add a second ALB with a subnet that has none.
    await s.routeTable(vpc, { routes: routeToInternet, subnets: [b] });
    const shop = await s.alb({ name: 'baseline-shop', subnets: [a, c], securityGroups: [sg] });

    const second = await audit(['--format', 'json', '--baseline', baselineFile]);
    expect(second.stderr).toBe('');
    const report = JSON.parse(second.stdout) as Report;
    const fresh = report.findings.filter((f) => f.new === true);
    expect(fresh.map((f) => [f.ruleId, f.resource.arn])).toEqual(report.findings.filter((f) => f.resource.arn === shop.arn).map((f) => [f.ruleId, f.resource.arn]));
    expect(fresh.filter((f) => f.severity === 'error').map((f) => [f.ruleId, f.resource.arn])).toEqual([[ROUTE_RULE, shop.arn]]);
    expect(report.baseline?.file).toBe(baselineFile);
    expect(report.baseline?.new).toBe(fresh.length);
    expect(report.baseline?.fixed.map((f) => [f.ruleId, f.fingerprint, f.resource.arn])).toEqual([[ROUTE_RULE, webFault?.fingerprint, web.arn]]);
    // Unchanged findings on the first ALB keep their fingerprints though the region changed around them.
    for (const old of firstReport.findings.filter((f) => f.fingerprint !== webFault?.fingerprint)) {
      expect(report.findings.find((f) => f.fingerprint === old.fingerprint)?.new).toBe(false);
    }
    expect(second.code).toBe(1);
    expect(reportSchemaErrors(firstReport)).toEqual([]);
    expect(reportSchemaErrors(report)).toEqual([]);

    // Text and Markdown lead with the count.
    const text = await audit(['--format', 'text', '--baseline', baselineFile]);
    expect(text.stdout.split('\n')[0]).toBe(`${fresh.length} new, 1 fixed since ${baselineFile}`);
    const markdown = await audit(['--format', 'markdown', '--baseline', baselineFile]);
    expect(markdown.stdout.split('\n')[2]).toBe(`**${fresh.length} new, 1 fixed** since the baseline \`${baselineFile}\``);

    // The JSON report of this run as the next baseline: nothing new, nothing fixed, exit 0 though errors remain.
    const reportFile = join(work, 'second.json');
    await audit(['--format', 'json', '--output', reportFile]);
    const third = await audit(['--format', 'json', '--baseline', reportFile]);
    const thirdReport = JSON.parse(third.stdout) as Report;
    expect(thirdReport.findings.some((f) => f.severity === 'error')).toBe(true);
    expect(thirdReport.baseline).toMatchObject({ new: 0, fixed: [] });
    expect(third.code).toBe(0);
  }, 180_000);
});
