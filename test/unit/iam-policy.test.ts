/**
 * iam-policy.json (the auditing role's: every account audited) lists exactly what the collector calls
 * there, and only read-only actions; iam-policy-caller.json (the caller's, for --role-arn and --org-role)
 * only sts:AssumeRole of the auditing role and organizations:ListAccounts. Together they list exactly
 * what lbcheck calls. Two independent checks: a static scan of the SDK commands and paginators imported
 * anywhere under src/ and rules/ (what the code can call), and the calls actually sent in a collection
 * and an organization's collection against moto, recorded by the call-counting middleware (what it does call).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { ApiCallCounter } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/aws/collect.js';
import { MOTO_REGIONS, motoAccountCredentials, motoCollectOptions, motoEndpoint } from '../support/moto.js';
import { scenario } from '../support/scenario.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const IAM_PREFIX: Record<string, string> = {
  '@aws-sdk/client-ec2': 'ec2',
  '@aws-sdk/client-elastic-load-balancing': 'elasticloadbalancing',
  '@aws-sdk/client-elastic-load-balancing-v2': 'elasticloadbalancing',
  '@aws-sdk/client-sts': 'sts',
  '@aws-sdk/client-organizations': 'organizations',
};
/** What only the caller of a multi-account audit calls: never in an audited account. */
const CALLER_ACTIONS = ['organizations:ListAccounts', 'sts:AssumeRole'];

interface Policy {
  Statement: { Effect: string; Action: string | string[]; Resource: string }[];
}
const READ_ONLY = /^[a-z0-9-]+:(Describe|List|Get)[A-Za-z0-9]+$/;

async function policy(file: string): Promise<Policy> {
  return JSON.parse(await readFile(join(ROOT, file), 'utf8')) as Policy;
}

async function policyActions(file = 'iam-policy.json'): Promise<string[]> {
  return (await policy(file)).Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

/** Both policies: what lbcheck may call anywhere. */
async function allPolicyActions(): Promise<string[]> {
  return [...(await policyActions()), ...(await policyActions('iam-policy-caller.json'))];
}

/** Actions lbcheck's code can call: `XCommand` and `paginateX` imported from an AWS SDK client anywhere under src/ or rules/. */
async function importedActions(): Promise<Set<string>> {
  const files = [
    ...(await readdir(join(ROOT, 'src'), { recursive: true })).map((f) => join('src', f)),
    ...(await readdir(join(ROOT, 'rules'), { recursive: true })).map((f) => join('rules', f)),
  ];
  const actions = new Set<string>();
  for (const file of files) {
    if (!file.endsWith('.ts')) continue;
    const source = await readFile(join(ROOT, file), 'utf8');
    // Only named imports are read below: any other way to reach a client (namespace, default, dynamic, require) would slip past this check.
    const named = source.match(/import\s*(?:type\s*)?\{[^}]*\}\s*from\s*'@aws-sdk\/client-[a-z0-9-]+'/g) ?? [];
    const any = source.match(/['"`]@aws-sdk\/client-[a-z0-9-]+['"`]/g) ?? [];
    if (any.length !== named.length) throw new Error(`${file} reaches an AWS SDK client other than by \`import { ... } from '@aws-sdk/client-...'\`: iam-policy.test.ts cannot see what it calls`);
    for (const match of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(@aws-sdk\/client-[a-z0-9-]+)'/g)) {
      const [, names = '', module = ''] = match;
      const prefix = IAM_PREFIX[module];
      if (!prefix) throw new Error(`${file} imports ${module}, which iam-policy.test.ts does not know: add its IAM prefix`);
      for (const raw of names.split(',')) {
        const name = raw.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0] ?? '';
        const command = /^([A-Z]\w+)Command$/.exec(name)?.[1];
        const paginated = /^paginate([A-Z]\w+)$/.exec(name)?.[1];
        if (command ?? paginated) actions.add(`${prefix}:${command ?? paginated}`);
      }
    }
  }
  return actions;
}

/** A moto account of this file's own, whose organization no other test sees. */
const ORGANIZATION_MANAGEMENT_ACCOUNT = '210000000200';

describe('iam-policy.json and iam-policy-caller.json', () => {
  it('allows only read-only actions, on every resource, with nothing else in it', async () => {
    const actions = await policyActions();
    expect(actions.filter((action) => !READ_ONLY.test(action))).toEqual([]);
    expect(actions).toEqual([...actions].sort());
    expect(new Set(actions).size).toBe(actions.length);
    expect((await policy('iam-policy.json')).Statement.map((s) => [s.Effect, s.Resource])).toEqual([['Allow', '*']]);
  });

  it('gives the caller only AssumeRole of the auditing role and ListAccounts', async () => {
    expect((await policy('iam-policy-caller.json')).Statement.map((s) => [s.Effect, s.Action, s.Resource])).toEqual([
      ['Allow', 'sts:AssumeRole', 'arn:aws:iam::*:role/lbcheck-audit'],
      ['Allow', 'organizations:ListAccounts', '*'],
    ]);
  });

  it('lists exactly the operations the code imports from the SDK, read-only apart from the caller\'s AssumeRole', async () => {
    const imported = await importedActions();
    expect([...imported].filter((action) => !READ_ONLY.test(action))).toEqual(['sts:AssumeRole']);
    expect([...imported].sort()).toEqual((await allPolicyActions()).sort());
    expect((await policyActions()).filter((action) => CALLER_ACTIONS.includes(action))).toEqual([]);
  });

  describe('against the calls a collection actually sends', () => {
    const counter = new ApiCallCounter();
    const region = MOTO_REGIONS.iamPolicy;

    beforeAll(async () => {
      // Every code path that calls AWS: ALB with a rule, NLB with a TCP listener, Classic, a prefix list, instance targets,
      // and the TLS policies of an HTTPS ALB listener (DescribeSSLPolicies) and an HTTPS Classic listener (DescribeLoadBalancerPolicies).
      const s = await scenario(region);
      const vpc = await s.vpc({ cidr: '10.30.0.0/16' });
      const a = await s.subnet(vpc, { cidr: '10.30.1.0/24', az: `${region}a` });
      const b = await s.subnet(vpc, { cidr: '10.30.2.0/24', az: `${region}b` });
      const list = await s.prefixList({ cidrs: ['203.0.113.0/24'] });
      const sg = await s.securityGroup(vpc, { ingress: [{ port: 443, prefixListId: list }] });
      const instance = await s.instance(a, { securityGroups: [sg] });
      const alb = await s.alb({ subnets: [a, b], securityGroups: [sg] });
      const tg = await s.targetGroup(vpc, { port: 8080 });
      await s.register(tg, [instance]);
      const listener = await s.listener(alb, { port: 80, protocol: 'HTTP', targetGroup: tg });
      await s.listenerRule(listener, { priority: 5, pathPattern: '/x', targetGroup: tg });
      const certificateArn = await s.acmCertificate('iam.example.com');
      await s.listener(alb, { port: 443, protocol: 'HTTPS', certificateArn, sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09', targetGroup: tg });
      const nlb = await s.nlb({ subnets: [a] });
      await s.listener(nlb, { port: 443, protocol: 'TCP', targetGroup: await s.targetGroup(vpc, { port: 443, protocol: 'TCP' }) });
      await s.classic({
        subnets: [a],
        listeners: [
          { port: 80, instancePort: 8080 },
          { port: 443, protocol: 'HTTPS', instancePort: 8080, instanceProtocol: 'HTTP', certificateArn, sslNegotiation: { 'Protocol-TLSv1.2': 'true' } },
        ],
        instances: [instance],
      });
      await collectInventory({
        ...motoCollectOptions([region]),
        counter,
      });
      // And an organization's audit (--org-role): the caller lists the accounts and assumes the role in each.
      const management = await motoAccountCredentials(ORGANIZATION_MANAGEMENT_ACCOUNT);
      const organizations = new OrganizationsClient({ endpoint: motoEndpoint(), region: 'us-east-1', credentials: management });
      await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
      organizations.destroy();
      await collectInventory({ ...motoCollectOptions([region]), orgRole: 'lbcheck-audit', credentials: async () => management, counter });
    });

    it('sends only actions the policies allow', async () => {
      const allowed = new Set(await allPolicyActions());
      const sent = Object.keys(counter.byAction).sort();
      expect(sent.filter((action) => !allowed.has(action))).toEqual([]);
      // The scenario reaches every regional call; only DescribeRegions (--all-regions) is not exercised here.
      expect(sent).toEqual([...allowed].filter((action) => action !== 'ec2:DescribeRegions').sort());
    });
  });
});
