/**
 * `lbcheck audit --role-arn ... --role-arn ...` end to end: the flags reach the collector, each
 * finding names its account, and a role that cannot be assumed (the AWS-limits proxy answers its
 * AssumeRole with AccessDenied; moto would let anyone in) is in notChecked while the other account
 * is audited, and the run exits 2 with one line, as a failed listing does (contract).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsLimitsProxy } from '../support/aws-limits-proxy.js';
import { MOTO_REGIONS, motoEndpoint, motoEnv } from '../support/moto.js';
import { scenario } from '../support/scenario.js';
import { runCli } from './cli-support.js';

const region = MOTO_REGIONS.cliMultiAccount;
const AUDITED = '220000000001';
const DENIED = '220000000002';
const roleArn = (account: string) => `arn:aws:iam::${account}:role/lbcheck-audit`;

interface JsonReport {
  scope: { accounts: string[] };
  findings: { ruleId: string; resource: { arn: string; account: string } }[];
  notChecked: { what: string; why: string; account?: string; call?: string }[];
}

describe('audit --role-arn', () => {
  const proxy = new AwsLimitsProxy({ upstream: motoEndpoint(), deny: (call) => call.action === 'AssumeRole' && call.params.get('RoleArn') === roleArn(DENIED) });
  let endpoint: string;
  let nlbArn: string;

  beforeAll(async () => {
    endpoint = await proxy.start();
    const s = await scenario(region, AUDITED);
    const vpc = await s.vpc({ cidr: '10.41.0.0/16' });
    nlbArn = (await s.nlb({ subnets: [await s.subnet(vpc, { cidr: '10.41.1.0/24', az: `${region}a` })] })).arn;
  });
  afterAll(() => proxy.stop());

  it('audits the account it can assume, lists the other in notChecked, and exits 2 naming it', async () => {
    const args = ['audit', '--region', region, '--endpoint-url', endpoint, '--no-pace', '--rule', 'single-az-load-balancer', '--format', 'json'];
    const result = await runCli([...args, '--role-arn', roleArn(AUDITED), '--role-arn', roleArn(DENIED), '--external-id', 'ext-1'], { env: motoEnv() });
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.map((finding) => [finding.ruleId, finding.resource.account, finding.resource.arn])).toEqual([['single-az-load-balancer', AUDITED, nlbArn]]);
    expect(report.scope.accounts).toEqual([AUDITED]);
    expect(report.notChecked).toMatchObject([{ account: DENIED, call: 'sts:AssumeRole', why: expect.stringMatching(/^AccessDenied: .* is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::220000000002:role\/lbcheck-audit$/) }]);
    expect(result.stderr).toContain(`lbcheck: error: load balancers could not be listed in account ${DENIED}, so the audit is incomplete: everything in account ${DENIED} (role lbcheck-audit): cannot assume ${roleArn(DENIED)}: AccessDenied`);
    expect(result.code).toBe(2);
  });

  it('refuses --external-id without a role in one line, exit 2', async () => {
    const result = await runCli(['audit', '--region', region, '--external-id', 'ext-1'], { env: motoEnv() });
    expect(result.stderr.trim()).toBe('lbcheck: error: --external-id needs --role-arn or --org-role');
    expect(result.code).toBe(2);
  });
});
