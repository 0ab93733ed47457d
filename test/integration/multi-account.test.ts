/**
 * Audits of several accounts against moto: --role-arn (one account per role), --org-role (every
 * ACTIVE account of an organization built with the SDK, listed a page at a time), and a role that
 * cannot be assumed. moto lets anyone assume any role and keeps each account's resources apart;
 * the AWS-limits proxy in front of it answers AssumeRole of one role with AWS's AccessDenied.
 * Each account has one fault: an NLB enabled in one AZ (single-az-load-balancer).
 */
import { CloseAccountCommand, CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit, type AuditResult } from '../../src/audit.js';
import type { CollectOptions } from '../../src/aws/collect.js';
import { rules } from '../../rules/index.js';
import { AwsLimitsProxy, type AwsCall } from '../support/aws-limits-proxy.js';
import type { Progress } from '../../src/progress.js';
import { MOTO_REGIONS, motoAccountCredentials, motoCollectOptions, motoEndpoint } from '../support/moto.js';
import { scenario, type LoadBalancerRef } from '../support/scenario.js';

const region = MOTO_REGIONS.multiAccount;
const SINGLE_AZ = rules.filter((rule) => rule.meta.id === 'single-az-load-balancer');
const ROLE = 'lbcheck-audit';
const ACCOUNTS = { first: '210000000001', second: '210000000002', unassumable: '210000000003', management: '210000000100' };
const roleArn = (account: string) => `arn:aws:iam::${account}:role/${ROLE}`;

/** An account's one fault: an NLB enabled in a single AZ. */
async function singleAzNlb(account: string): Promise<LoadBalancerRef> {
  const s = await scenario(region, account);
  const vpc = await s.vpc({ cidr: '10.40.0.0/16' });
  const a = await s.subnet(vpc, { cidr: '10.40.1.0/24', az: `${region}a` });
  return s.nlb({ subnets: [a] });
}

function audit(collect: Partial<CollectOptions>, progress?: Progress): Promise<AuditResult> {
  return runAudit({ source: { kind: 'aws', collect: { ...motoCollectOptions([region]), ...collect } }, rules: SINGLE_AZ }, progress);
}

const findingsByAccount = (result: AuditResult) => result.report.findings.map((finding) => [finding.resource.account, finding.resource.arn]).sort();

describe('multi-account audits', () => {
  const nlbs = new Map<string, LoadBalancerRef>();
  const assumeRoleCalls: AwsCall[] = [];
  const proxy = new AwsLimitsProxy({
    upstream: motoEndpoint(),
    deny: (call) => call.action === 'AssumeRole' && call.params.get('RoleArn') === roleArn(ACCOUNTS.unassumable),
    onCall: (call) => {
      if (call.action === 'AssumeRole') assumeRoleCalls.push(call);
    },
  });
  let proxyUrl: string;

  beforeAll(async () => {
    proxyUrl = await proxy.start();
    for (const account of [ACCOUNTS.first, ACCOUNTS.second, ACCOUNTS.unassumable]) nlbs.set(account, await singleAzNlb(account));
  });
  afterAll(() => proxy.stop());

  it('--role-arn: audits each role\'s account, and every finding names its account', async () => {
    const result = await audit({ roleArns: [roleArn(ACCOUNTS.first), roleArn(ACCOUNTS.second)] });
    expect(findingsByAccount(result)).toEqual([
      [ACCOUNTS.first, nlbs.get(ACCOUNTS.first)?.arn],
      [ACCOUNTS.second, nlbs.get(ACCOUNTS.second)?.arn],
    ]);
    expect(result.report.scope.accounts).toEqual([ACCOUNTS.first, ACCOUNTS.second]);
    // One session per account, shared by that account's clients.
    expect(result.report.stats.apiCalls.AssumeRole).toBe(2);
    expect(result.report.notChecked).toEqual([]);
    expect(result.failedListings).toEqual([]);
  });

  it('two roles into one account: the account is checked once, and the warning names both roles', async () => {
    const warnings: string[] = [];
    const other = `arn:aws:iam::${ACCOUNTS.first}:role/lbcheck-other`;
    const result = await audit({ roleArns: [other, roleArn(ACCOUNTS.first)] }, { step: () => {}, debug: () => {}, warn: (line) => warnings.push(line) });
    expect(findingsByAccount(result)).toEqual([[ACCOUNTS.first, nlbs.get(ACCOUNTS.first)?.arn]]);
    expect(warnings).toEqual([`role lbcheck-other reaches account ${ACCOUNTS.first} in ${region}, already collected with role ${ROLE}: checked once`]);
  });

  it('a role that cannot be assumed is one notChecked entry for its account; the other accounts are audited, and the run counts as a failed listing (exit 2)', async () => {
    const result = await audit({ endpointUrl: proxyUrl, roleArns: [roleArn(ACCOUNTS.first), roleArn(ACCOUNTS.unassumable)] });
    expect(findingsByAccount(result)).toEqual([[ACCOUNTS.first, nlbs.get(ACCOUNTS.first)?.arn]]);
    const denied = {
      what: `everything in account ${ACCOUNTS.unassumable} (role ${ROLE}): cannot assume ${roleArn(ACCOUNTS.unassumable)}`,
      why: `AccessDenied: User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: sts:AssumeRole on resource: ${roleArn(ACCOUNTS.unassumable)}`,
      account: ACCOUNTS.unassumable,
      call: 'sts:AssumeRole',
    };
    expect(result.report.notChecked).toEqual([{ ...denied, rules: [] }]);
    expect(result.failedListings).toEqual([denied]);
    expect(result.nothingChecked).toBe(false);
  });

  it('--org-role: lists the organization\'s ACTIVE accounts page by page and assumes the role in each, with the external id', async () => {
    const management = await motoAccountCredentials(ACCOUNTS.management);
    const organizations = new OrganizationsClient({ endpoint: motoEndpoint(), region: 'us-east-1', credentials: management });
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const member = async (name: string) => {
      const out = await organizations.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
      const id = out.CreateAccountStatus?.AccountId;
      if (!id) throw new Error(`moto created no account ${name}`);
      return id;
    };
    const [a, b, closed] = [await member('team-a'), await member('team-b'), await member('closed')];
    await organizations.send(new CloseAccountCommand({ AccountId: closed }));
    organizations.destroy();
    nlbs.set(a, await singleAzNlb(a));
    nlbs.set(b, await singleAzNlb(b));
    nlbs.set(closed, await singleAzNlb(closed));
    assumeRoleCalls.length = 0;

    const result = await audit({ endpointUrl: proxyUrl, orgRole: ROLE, externalId: 'org-audit-7', credentials: async () => management, pageSize: 1 });

    expect(findingsByAccount(result)).toEqual([
      [a, nlbs.get(a)?.arn],
      [b, nlbs.get(b)?.arn],
    ].sort());
    // The management account is a member too (nothing built there); the closed one is not audited.
    expect(result.report.scope.accounts).toEqual([ACCOUNTS.management, a, b].sort());
    expect(result.report.stats.apiCalls.ListAccounts).toBe(4);
    expect(assumeRoleCalls.map((call) => [call.params.get('RoleArn'), call.params.get('ExternalId'), call.params.get('RoleSessionName')]).sort()).toEqual(
      [ACCOUNTS.management, a, b].sort().map((account) => [roleArn(account), 'org-audit-7', 'lbcheck']),
    );
    expect(result.report.notChecked).toEqual([]);
  });
});
