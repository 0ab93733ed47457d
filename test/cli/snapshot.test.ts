/**
 * `lbcheck snapshot` end to end, through the built bundle (npm test builds it first):
 * a real collection from moto written to a file, and every way it can fail with exit 2
 * and one line on stderr.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshot } from '../../src/inventory/snapshot.js';
import { CLI, runCli, type CliResult } from './cli-support.js';
import { FAKE_CREDENTIALS, MOTO_REGIONS, motoEndpoint, motoEnv } from '../support/moto.js';
import { MOTO_ACCOUNT, scenario, type LoadBalancerRef } from '../support/scenario.js';

const region = MOTO_REGIONS.cliSnapshot;
const otherRegion = MOTO_REGIONS.cliSnapshotOtherProfile;

function lbcheck(args: string[], env: NodeJS.ProcessEnv = motoEnv()): Promise<CliResult> {
  return runCli(args, { cwd: dir, env });
}

/** An environment with no AWS configuration at all: no credentials, no region, no profile files. */
function bareEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.keys(process.env).filter((key) => key.startsWith('AWS_')).map((key) => [key, undefined]));
  return { ...env, HOME: join(dir, 'empty-home'), AWS_EC2_METADATA_DISABLED: 'true' };
}

function expectOneErrorLine(result: CliResult, message: string | RegExp): void {
  expect(result.code).toBe(2);
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(typeof message === 'string' ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

let dir: string;
let alb: LoadBalancerRef;
let classic: LoadBalancerRef;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lbcheck-cli-snapshot-'));
  const s = await scenario(region);
  const vpc = await s.vpc({ cidr: '10.60.0.0/16' });
  const a = await s.subnet(vpc, { cidr: '10.60.1.0/24', az: `${region}a` });
  const b = await s.subnet(vpc, { cidr: '10.60.2.0/24', az: `${region}b` });
  alb = await s.alb({ subnets: [a, b] });
  classic = await s.classic({ subnets: [a, b], listeners: [{ port: 80, instancePort: 8080 }] });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lbcheck snapshot', () => {
  it('--lb: collects only the chosen load balancers; one that matches none exits 2 saying so', async () => {
    const chosen = await lbcheck(['snapshot', '--endpoint-url', motoEndpoint(), '--region', region, '--lb', classic.name, '--output', 'chosen.json']);
    expect(chosen.stderr).toContain(`lbcheck: ${region}: --lb ${classic.name} chose 1 of 2 load balancers`);
    expect(chosen.code).toBe(0);
    expect((await readSnapshot(join(dir, 'chosen.json'))).scopes[0]?.loadBalancers.map((lb) => lb.arn)).toEqual([classic.arn]);
    const none = await lbcheck(['snapshot', '--endpoint-url', motoEndpoint(), '--region', region, '--lb', 'nope', '--output', 'none.json']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('lbcheck: error: no load balancer matches --lb nope\n');
  });

  it('collects from the endpoint and writes a snapshot with the API call counts', async () => {
    const result = await lbcheck(['snapshot', '--endpoint-url', motoEndpoint(), '--region', region, '--output', 'inv.json']);
    expect(result.stderr).toContain(`lbcheck: ${region} (${MOTO_ACCOUNT}): 2 load balancers (1 ALB, 1 Classic), 0 target groups, 2 subnets`);
    expect(result.stderr).toMatch(/lbcheck: wrote inv\.json: 2 load balancers in 1 scope, \d+ API calls in \d+\.\d s\n$/);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const inventory = await readSnapshot(join(dir, 'inv.json'));
    expect(inventory.scopes.map((s) => [s.account, s.region])).toEqual([[MOTO_ACCOUNT, region]]);
    expect(inventory.scopes[0]?.loadBalancers.map((lb) => lb.arn).sort()).toEqual([alb.arn, classic.arn].sort());
    expect(inventory.stats.apiCalls).toMatchObject({ GetCallerIdentity: 1, DescribeLoadBalancers: 2, DescribeSubnets: 1, DescribeTags: 2 });
    const text = await readFile(join(dir, 'inv.json'), 'utf8');
    expect(text).not.toContain(FAKE_CREDENTIALS.secretAccessKey);
    expect(text).not.toContain(FAKE_CREDENTIALS.accessKeyId);
  });

  it('writes the snapshot to stdout with --output -', async () => {
    const result = await lbcheck(['snapshot', '--endpoint-url', motoEndpoint(), '--region', region, '--output', '-', '--quiet']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const inventory = JSON.parse(result.stdout) as { schemaVersion: number; scopes: { loadBalancers: { arn: string }[] }[] };
    expect(inventory.schemaVersion).toBe(1);
    expect(inventory.scopes[0]?.loadBalancers.map((lb) => lb.arn).sort()).toEqual([alb.arn, classic.arn].sort());
  });

  it('stops quietly, with its own exit code, when the reader of stdout goes away (| head)', async () => {
    const child = spawn(process.execPath, [CLI, 'snapshot', '--endpoint-url', motoEndpoint(), '--region', region, '--output', '-', '--quiet'], {
      cwd: dir,
      env: { ...motoEnv(), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('honours AWS_ENDPOINT_URL and AWS_REGION when no flags name them', async () => {
    const result = await lbcheck(['snapshot', '--output', 'env.json', '--quiet'], { ...motoEnv(), AWS_ENDPOINT_URL: motoEndpoint(), AWS_REGION: region });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const inventory = await readSnapshot(join(dir, 'env.json'));
    expect(inventory.scopes[0]?.loadBalancers.map((lb) => lb.name).sort()).toEqual([alb.name, classic.name].sort());
  });

  it('takes credentials and region from each --profile, one scope per profile', async () => {
    const config = join(dir, 'aws-config');
    await writeFile(
      config,
      [
        '[profile audit]',
        `region = ${region}`,
        `aws_access_key_id = ${FAKE_CREDENTIALS.accessKeyId}`,
        `aws_secret_access_key = ${FAKE_CREDENTIALS.secretAccessKey}`,
        '[profile other]',
        `region = ${otherRegion}`,
        'aws_access_key_id = AKIAOTHEREXAMPLE0000',
        'aws_secret_access_key = otherSecretExample',
        '',
      ].join('\n'),
    );
    const env = { ...bareEnv(), AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials') };
    const result = await lbcheck(['snapshot', '--endpoint-url', motoEndpoint(), '--profile', 'audit', '--profile', 'other', '--output', 'profiles.json'], env);
    expect(result.stderr).toContain(`lbcheck: ${region} (${MOTO_ACCOUNT}, profile audit): 2 load balancers`);
    expect(result.code).toBe(0);
    const inventory = await readSnapshot(join(dir, 'profiles.json'));
    expect(inventory.scopes.map((s) => [s.profile, s.region])).toEqual([
      ['other', otherRegion],
      ['audit', region],
    ]);
    expect(inventory.scopes[1]?.loadBalancers.map((lb) => lb.arn).sort()).toEqual([alb.arn, classic.arn].sort());
    const text = await readFile(join(dir, 'profiles.json'), 'utf8');
    expect(text).not.toContain('otherSecretExample');
  });

  it('fails fast with one line when the endpoint does not answer, and writes nothing', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const result = await lbcheck(['snapshot', '--endpoint-url', `http://127.0.0.1:${port}`, '--region', region, '--output', 'dead.json']);
    expectOneErrorLine(result, `lbcheck: error: cannot reach AWS at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(existsSync(join(dir, 'dead.json'))).toBe(false);
  });

  it('names AWS_ENDPOINT_URL when the endpoint the SDK took from it does not answer', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const result = await lbcheck(['snapshot', '--region', region, '--output', 'dead.json'], { ...motoEnv(), AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` });
    expectOneErrorLine(result, `lbcheck: error: cannot reach AWS at http://127.0.0.1:${port} (AWS_ENDPOINT_URL): connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('rejects a region name that is not one before calling anything', async () => {
    const result = await lbcheck(['snapshot', '--endpoint-url', 'http://127.0.0.1:9', '--region', 'us-east', '--output', 'x.json']);
    expectOneErrorLine(result, 'lbcheck: error: --region "us-east" is not an AWS region name (expected e.g. us-east-1, eu-west-2)');
  });

  it('rejects malformed flags with one usage line', async () => {
    expectOneErrorLine(
      await lbcheck(['snapshot', '--region', region, '--concurrency', '0', '--output', 'x.json']),
      "lbcheck: error: option '--concurrency <n>' argument '0' is invalid. --concurrency must be a whole number from 1 to 64. (see lbcheck --help)",
    );
    expectOneErrorLine(await lbcheck(['snapshot', '--region', region]), "lbcheck: error: required option '--output <file>' not specified (see lbcheck --help)");
    expectOneErrorLine(
      await lbcheck(['snapshot', '--regon', region, '--output', 'x.json']),
      "lbcheck: error: unknown option '--regon' (Did you mean --region?) (see lbcheck --help)",
    );
    expectOneErrorLine(
      await lbcheck(['snapshot', '--region', region, '--endpoint-url', 'localhost:5000', '--output', 'x.json']),
      'lbcheck: error: --endpoint-url must be an http:// or https:// URL, got "localhost:5000"',
    );
    expectOneErrorLine(
      await lbcheck(['snapshot', '--region', region, '--all-regions', '--output', 'x.json']),
      'lbcheck: error: --region and --all-regions cannot be used together',
    );
  });

  it('says how to provide credentials when there are none', async () => {
    const result = await lbcheck(['snapshot', '--endpoint-url', motoEndpoint(), '--region', region, '--output', 'x.json'], bareEnv());
    expectOneErrorLine(result, /^lbcheck: error: no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY, or log in with aws sso login \(.+\)$/);
  });

  it('says how to choose a region when none is configured', async () => {
    const env = { ...bareEnv(), AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey };
    const result = await lbcheck(['snapshot', '--endpoint-url', motoEndpoint(), '--output', 'x.json'], env);
    expectOneErrorLine(
      result,
      'lbcheck: error: no AWS region configured: pass --region REGION (or --all-regions), or set AWS_REGION (or AWS_DEFAULT_REGION) or a region in your AWS profile',
    );
  });
});

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('aws-cli parity: region and endpoint from the environment and the shared config', () => {
  const credentialLines = [`aws_access_key_id = ${FAKE_CREDENTIALS.accessKeyId}`, `aws_secret_access_key = ${FAKE_CREDENTIALS.secretAccessKey}`];

  async function configEnv(name: string, lines: string[]): Promise<NodeJS.ProcessEnv> {
    const config = join(dir, name);
    await writeFile(config, [...lines, ''].join('\n'));
    return { ...bareEnv(), AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials') };
  }

  it('takes the region from AWS_DEFAULT_REGION, after AWS_REGION, and says so', async () => {
    const env = { ...motoEnv(), AWS_ENDPOINT_URL: motoEndpoint(), AWS_REGION: undefined, AWS_DEFAULT_REGION: region };
    const result = await lbcheck(['snapshot', '--output', 'default-region.json'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`lbcheck: ${region} (${MOTO_ACCOUNT}): 2 load balancers`);
    expect(result.stderr).toContain(`; region from AWS_DEFAULT_REGION, AWS at ${motoEndpoint()} (AWS_ENDPOINT_URL)\n`);
    expect((await readSnapshot(join(dir, 'default-region.json'))).scopes.map((s) => s.region)).toEqual([region]);

    const both = await lbcheck(['snapshot', '--output', 'both-regions.json', '--quiet'], { ...env, AWS_REGION: otherRegion });
    expect(both).toMatchObject({ code: 0, stderr: '' });
    expect((await readSnapshot(join(dir, 'both-regions.json'))).scopes.map((s) => s.region)).toEqual([otherRegion]);
  });

  it("sends every call of --profile P to P's endpoint_url (the SDK reads it only for the default profile)", async () => {
    const env = await configEnv('aws-config-endpoint', ['[default]', 'region = us-east-1', '[profile local]', `region = ${region}`, `endpoint_url = ${motoEndpoint()}`, ...credentialLines]);
    const result = await lbcheck(['snapshot', '--profile', 'local', '--output', 'profile-endpoint.json'], env);
    expect(result.stderr).toContain(`lbcheck: ${region} (${MOTO_ACCOUNT}, profile local): 2 load balancers`);
    expect(result.stderr).toContain(`; region from profile local, AWS at ${motoEndpoint()} (endpoint_url of profile local)\n`);
    expect(result.code).toBe(0);
    const inventory = await readSnapshot(join(dir, 'profile-endpoint.json'));
    expect(inventory.scopes[0]?.loadBalancers.map((lb) => lb.arn).sort()).toEqual([alb.arn, classic.arn].sort());
  });

  it("sends a role_arn profile's AssumeRole to the profile's endpoint, and audits with the role's credentials", async () => {
    const roleAccount = '111122223333';
    const env = await configEnv('aws-config-role', [
      '[profile source]',
      ...credentialLines,
      '[profile auditor]',
      `role_arn = arn:aws:iam::${roleAccount}:role/lbcheck-read-only`,
      'source_profile = source',
      `region = ${region}`,
      `endpoint_url = ${motoEndpoint()}`,
    ]);
    const result = await lbcheck(['snapshot', '--profile', 'auditor', '--output', 'role.json'], env);
    expect(result.stderr).toContain(`lbcheck: ${region} (${roleAccount}, profile auditor): `);
    expect(result.code).toBe(0);
    const inventory = await readSnapshot(join(dir, 'role.json'));
    // moto answers GetCallerIdentity with the assumed role's account: the calls were signed with the role's credentials.
    expect(inventory.scopes.map((s) => [s.account, s.profile])).toEqual([[roleAccount, 'auditor']]);
    expect(inventory.stats.apiCalls).toMatchObject({ AssumeRole: 1, GetCallerIdentity: 1 });
  });

  it("fails a role_arn profile whose STS endpoint does not answer with one line naming that endpoint", async () => {
    const port = await deadPort();
    const env = await configEnv('aws-config-dead-sts', [
      '[profile source]',
      ...credentialLines,
      '[profile auditor]',
      'role_arn = arn:aws:iam::111122223333:role/lbcheck-read-only',
      'source_profile = source',
      `region = ${region}`,
      `endpoint_url = ${motoEndpoint()}`,
    ]);
    const result = await lbcheck(['snapshot', '--profile', 'auditor', '--output', 'dead-sts.json'], { ...env, AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${port}` });
    expectOneErrorLine(result, `lbcheck: error: cannot reach AWS at http://127.0.0.1:${port} (AWS_ENDPOINT_URL_STS): connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('names the service-specific endpoint (AWS_ENDPOINT_URL_<SERVICE>) whose calls failed, not the generic one', async () => {
    const port = await deadPort();
    const env = { ...motoEnv(), AWS_ENDPOINT_URL: motoEndpoint(), AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: `http://127.0.0.1:${port}` };
    const result = await lbcheck(['audit', '--region', region, '--format', 'json', '--output', 'elbv2-dead.json'], env);
    expect(result.code).toBe(2);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('lbcheck: error: '));
    expect(errors).toEqual([
      `lbcheck: error: load balancers could not be listed in ${region}, so the audit is incomplete: Application/Network/Gateway Load Balancers ` +
        `(elasticloadbalancing:DescribeLoadBalancers in ${region}): cannot reach AWS at http://127.0.0.1:${port} (AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2): connect ECONNREFUSED 127.0.0.1:${port}`,
    ]);
  });
});

describe('credentials in an echoed URL', () => {
  it('are redacted from a flag value echoed in an error', async () => {
    const result = await lbcheck(['snapshot', '--region', region, '--endpoint-url', 'ftp://deploy:s3cret@mirror.example/x?sig=s3cret', '--output', 'x.json']);
    expectOneErrorLine(result, 'lbcheck: error: --endpoint-url must be an http:// or https:// URL, got "ftp://***@mirror.example/x?sig=***"');
  });

  it('are redacted from the endpoint named in errors, progress and --debug', async () => {
    const port = await deadPort();
    const env = { ...motoEnv(), AWS_ENDPOINT_URL: `http://127.0.0.1:${port}/?X-Amz-Signature=s3cret` };
    const result = await lbcheck(['snapshot', '--region', region, '--output', 'dead.json', '--debug'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`lbcheck: error: cannot reach AWS at http://127.0.0.1:${port}/?X-Amz-Signature=*** (AWS_ENDPOINT_URL): `);
    expect(result.stderr).not.toContain('s3cret');
  });
});
