/**
 * Access to the run's moto_server from a test file: its endpoint, fake credentials,
 * SDK clients pointed at it, and a region of the file's own so files do not see each
 * other's resources.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { mockClient } from 'aws-sdk-client-mock';
import { inject } from 'vitest';
import type { CollectOptions } from '../../src/aws/collect.js';

export const FAKE_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/** The env a child `lbcheck` process needs to talk to moto. */
export function motoEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: undefined,
    AWS_PROFILE: undefined,
  };
}

export function motoEndpoint(): string {
  return inject('motoEndpoint');
}

export interface MotoClients {
  endpoint: string;
  region: string;
  ec2: EC2Client;
  elbv2: ElasticLoadBalancingV2Client;
  elb: ElasticLoadBalancingClient;
}

/** `credentials`: another account's (motoAccountCredentials); default: moto's default account. */
export function motoClients(region: string, credentials: AwsCredentialIdentity = FAKE_CREDENTIALS): MotoClients {
  const endpoint = motoEndpoint();
  const config = { endpoint, region, credentials, maxAttempts: 2 };
  return {
    endpoint,
    region,
    ec2: new EC2Client(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    elb: new ElasticLoadBalancingClient(config),
  };
}

/**
 * Credentials in another moto account: moto lets anyone assume any role, and keeps each account's
 * resources apart by the account of the credentials that create or read them.
 */
export async function motoAccountCredentials(account: string, credentials: AwsCredentialIdentity = FAKE_CREDENTIALS): Promise<AwsCredentialIdentity> {
  const sts = new STSClient({ endpoint: motoEndpoint(), region: 'us-east-1', credentials });
  try {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/test-builder`, RoleSessionName: 'test' }));
    const { AccessKeyId, SecretAccessKey, SessionToken } = out.Credentials ?? {};
    if (!AccessKeyId || !SecretAccessKey) throw new Error(`moto gave no credentials for account ${account}`);
    return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, ...(SessionToken !== undefined && { sessionToken: SessionToken }) };
  } finally {
    sts.destroy();
  }
}

/**
 * The moto regions each test file builds in or reads. moto keeps its state per region, so
 * a region with one owner is never touched by another file and the files can run in
 * parallel against the one server. test/unit/moto-regions.test.ts checks that no region
 * has two owners and that every file that talks to moto takes its regions from here.
 */
export const MOTO_REGIONS = {
  collector: 'eu-central-2',
  collectorFailures: 'af-south-1',
  collectorPagination: 'ap-east-1',
  /** Collections paced to request buckets through the AWS-limits proxy: two regions, so two sets of buckets. */
  collectorPacing: ['us-west-2', 'eu-south-2'],
  /** More resources than one call may name: 21 tagged (DescribeTags: 20), 201 target instances (EC2 filter: 200 values). */
  collectorBatches: 'ap-southeast-3',
  /** --all-regions: DescribeRegions is mocked to name these two, which nothing builds in. */
  collectorRegions: ['us-east-2', 'eu-north-1'],
  iamPolicy: 'us-west-1',
  /** One clean scenario audited with each action iam-policy.json grants denied in turn. */
  denyOneAction: 'me-central-1',
  cliSnapshot: 'sa-east-1',
  cliSnapshotOtherProfile: 'eu-west-3',
  cliAudit: 'eu-south-1',
  cliAuditProbe: 'ca-central-1',
  cliBaseline: 'il-central-1',
  /** `lbcheck probe` placing addresses through ELB network interfaces. */
  locateAddresses: 'ap-south-2',
  /** `lbcheck probe` end to end, placing an address with the region and endpoint the audit would use. */
  cliProbe: 'ap-southeast-6',
  /** --max-time and odd answers: the AWS-limits proxy holds or garbles picked calls in front of moto. */
  auditLimits: 'eu-central-1',
  /** --lb / --tag: only the chosen load balancers are described (calls seen through the AWS-limits proxy). */
  collectorFilters: 'ap-northeast-1',
  /** Needs-driven collection: calls per API counted by the AWS-limits proxy for an audit, a --rule subset and snapshot --full. */
  collectorNeeds: 'ap-east-2',
  action: 'ap-southeast-5',
  /** The bench's minimum ELB call count against the calls the collector makes, on an account the bench builds. */
  benchMinimum: 'eu-west-1',
  /** --role-arn and --org-role: each account builds in it (moto keeps accounts apart too). */
  multiAccount: 'ap-southeast-7',
  cliMultiAccount: 'mx-central-1',
  rulesCore: {
    healthy: 'ap-southeast-1',
    routing: 'ap-southeast-2',
    mainTable: 'me-south-1',
    security: 'eu-west-2',
    health: 'ap-northeast-2',
    acl: 'ap-northeast-3',
    keepalive: 'ap-south-1',
  },
  rulesHardening: {
    hardened: 'ap-southeast-4',
    broken: 'ca-west-1',
  },
} as const;

/**
 * An aws-sdk-client-mock on `client` that passes every command on to moto, so a test can
 * override just the commands moto cannot answer the way it needs (AccessDenied, pages of
 * EC2 results, a mocked DescribeRegions) and leave the rest real.
 */
export function mockInFrontOfMoto<TClient extends { send: (...args: never[]) => unknown }>(client: TClient) {
  const target = client as unknown as Parameters<typeof mockClient>[0];
  const realSend = (client.send as (command: unknown) => Promise<unknown>).bind(client);
  const mock = mockClient(target);
  mock.send.callsFake((command: unknown) => realSend(command) as never);
  return mock;
}

/**
 * What every collectInventory call against the run's moto_server shares: its endpoint, fake credentials, no profiles,
 * 4 calls in flight, and no pacing (moto has no request limits; test/integration/collector-pacing.test.ts tests pacing).
 */
export function motoCollectOptions(regions: string[]): CollectOptions {
  return { regions, profiles: [], endpointUrl: motoEndpoint(), concurrency: 4, requestBuckets: false, credentials: async () => FAKE_CREDENTIALS };
}
