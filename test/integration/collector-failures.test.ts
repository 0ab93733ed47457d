/**
 * What the collector does when calls fail: AccessDenied on one call (aws-sdk-client-mock,
 * everything else from moto), throttling through the AWS-limits proxy in front of moto
 * (so the SDK's real adaptive retries run), no credentials, and an unreachable endpoint.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DescribeLoadBalancerAttributesCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2ServiceException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetCallerIdentityCommand, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiCallCounter, type AwsClients } from '../../src/aws/clients.js';
import { collectInventory, type CollectOptions } from '../../src/aws/collect.js';
import { LbcheckError } from '../../src/errors.js';
import { AwsLimitsProxy } from '../support/aws-limits-proxy.js';
import { MOTO_REGIONS, mockInFrontOfMoto, motoCollectOptions, motoEndpoint } from '../support/moto.js';
import { MOTO_ACCOUNT, scenario, type LoadBalancerRef } from '../support/scenario.js';

const region = MOTO_REGIONS.collectorFailures;
let alb: LoadBalancerRef;
let tg: string;
let subnets: string[];

function options(overrides: Partial<CollectOptions> = {}): CollectOptions {
  return {
    ...motoCollectOptions([region]),
    ...overrides,
  };
}

/** Makes `client` answer `command` with `error` and pass every other command to moto. */
function failOnly(client: AwsClients[keyof AwsClients], command: unknown, error: Error): void {
  const mock = mockInFrontOfMoto(client);
  mock.on(command as Parameters<typeof mock.on>[0]).rejects(error);
}

beforeAll(async () => {
  const s = await scenario(region);
  const vpc = await s.vpc({ cidr: '10.50.0.0/16' });
  const a = await s.subnet(vpc, { cidr: '10.50.1.0/24', az: `${region}a` });
  const b = await s.subnet(vpc, { cidr: '10.50.2.0/24', az: `${region}b` });
  subnets = [a, b];
  const instance = await s.instance(a);
  alb = await s.alb({ subnets });
  tg = await s.targetGroup(vpc, { port: 8080 });
  await s.register(tg, [instance]);
  await s.listener(alb, { port: 80, protocol: 'HTTP', targetGroup: tg });
});

describe('a call that is denied', () => {
  it('becomes a notChecked entry naming the operation, region and error; the rest is collected', async () => {
    const denied = new ElasticLoadBalancingV2ServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message: `User: arn:aws:iam::${MOTO_ACCOUNT}:user/auditor is not authorized to perform: elasticloadbalancing:DescribeTargetHealth`,
    });
    const inventory = await collectInventory(options({ onClients: (clients) => failOnly(clients.elbv2, DescribeTargetHealthCommand, denied) }));
    expect(inventory.notChecked).toEqual([
      {
        what: `targets and target health of ${tg} (elasticloadbalancing:DescribeTargetHealth in ${region})`,
        why: `AccessDenied: User: arn:aws:iam::${MOTO_ACCOUNT}:user/auditor is not authorized to perform: elasticloadbalancing:DescribeTargetHealth`,
        region,
        account: MOTO_ACCOUNT,
        call: 'elasticloadbalancing:DescribeTargetHealth',
      },
    ]);
    const scope = inventory.scopes[0];
    const group = scope?.targetGroups.find((g) => g.arn === tg);
    // Unknown targets are recorded as unread for that group, never an empty list that reads as "no targets".
    expect(group).toMatchObject({ targets: [], port: 8080 });
    expect(scope?.unread).toEqual([
      {
        collection: 'targetHealth',
        read: 'none',
        call: 'elasticloadbalancing:DescribeTargetHealth',
        why: `AccessDenied: User: arn:aws:iam::${MOTO_ACCOUNT}:user/auditor is not authorized to perform: elasticloadbalancing:DescribeTargetHealth`,
        resources: [tg],
      },
    ]);
    expect(scope?.loadBalancers.find((l) => l.arn === alb.arn)?.listeners[0]?.defaultTargetGroupArns).toEqual([tg]);
    expect(scope?.subnets.map((s) => s.id).sort()).toEqual([...subnets].sort());
  });

  it('leaves an idle timeout it could not read unknown rather than the default', async () => {
    const denied = new ElasticLoadBalancingV2ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'no' });
    const inventory = await collectInventory(options({ onClients: (clients) => failOnly(clients.elbv2, DescribeLoadBalancerAttributesCommand, denied) }));
    const collected = inventory.scopes[0]?.loadBalancers.find((l) => l.arn === alb.arn);
    // The other attributes keep AWS's defaults: every rule that reads them requires loadBalancerAttributes, which unread below marks as not read for this LB.
    expect(collected?.attributes).toEqual({ idleTimeoutSeconds: undefined, crossZoneEnabled: true, deletionProtection: false, accessLogsEnabled: false, dropInvalidHeaderFields: false, desyncMitigationMode: 'defensive', raw: {} });
    const call = 'elasticloadbalancing:DescribeLoadBalancerAttributes';
    expect(inventory.notChecked).toEqual([{ what: `attributes of ${alb.arn} (${call} in ${region})`, why: 'AccessDenied: no', region, account: MOTO_ACCOUNT, call }]);
    expect(inventory.scopes[0]?.unread).toEqual([{ collection: 'loadBalancerAttributes', read: 'none', call, why: 'AccessDenied: no', resources: [alb.arn] }]);
  });

  it('leaves the account unknown when STS is denied, and collects the region anyway', async () => {
    const denied = new STSServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'explicit deny' });
    const inventory = await collectInventory(options({ onClients: (clients) => failOnly(clients.sts, GetCallerIdentityCommand, denied) }));
    expect(inventory.scopes[0]?.account).toBe('unknown');
    expect(inventory.scopes[0]?.loadBalancers.map((l) => l.arn)).toEqual([alb.arn]);
    expect(inventory.notChecked).toEqual([
      { what: `the account id (sts:GetCallerIdentity in ${region})`, why: 'AccessDenied: explicit deny', region, account: 'unknown', call: 'sts:GetCallerIdentity' },
    ]);
  });

  it('fails with one line when every listing is denied', async () => {
    const denied = (name: string) =>
      new ElasticLoadBalancingV2ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: `not authorized to perform ${name}` });
    const run = collectInventory(
      options({
        onClients: (clients) => {
          mockClient(clients.elbv2 as never).onAnyCommand().rejects(denied('elbv2'));
          mockClient(clients.elb as never).onAnyCommand().rejects(denied('elb'));
        },
      }),
    );
    await expect(run).rejects.toThrow(LbcheckError);
    await expect(run).rejects.toThrow(
      `nothing could be collected: Application/Network/Gateway Load Balancers (elasticloadbalancing:DescribeLoadBalancers in ${region}): AccessDenied: not authorized to perform elbv2`,
    );
  });
});

describe('throttling', () => {
  const proxies: AwsLimitsProxy[] = [];
  afterAll(async () => {
    for (const proxy of proxies) await proxy.stop();
  });

  it('is retried by the SDK, and the call counts once however many attempts it took', async () => {
    const proxy = new AwsLimitsProxy({ upstream: motoEndpoint(), throttle: (action, nth) => action === 'DescribeSubnets' && nth <= 2 });
    proxies.push(proxy);
    const inventory = await collectInventory(options({ endpointUrl: await proxy.start() }));
    expect(proxy.seen.filter((a) => a === 'DescribeSubnets')).toHaveLength(3);
    expect(inventory.stats.apiCalls.DescribeSubnets).toBe(1);
    expect(inventory.notChecked).toEqual([]);
    expect(inventory.scopes[0]?.subnets.map((s) => s.id).sort()).toEqual([...subnets].sort());
  });

  it('beyond the retries becomes a notChecked entry, and the rest is collected', async () => {
    const proxy = new AwsLimitsProxy({ upstream: motoEndpoint(), throttle: (action) => action === 'DescribeTargetGroupAttributes' });
    proxies.push(proxy);
    const inventory = await collectInventory(options({ endpointUrl: await proxy.start(), maxAttempts: 3 }));
    expect(proxy.seen.filter((a) => a === 'DescribeTargetGroupAttributes')).toHaveLength(3);
    expect(inventory.notChecked).toEqual([
      {
        what: `attributes of ${tg} (elasticloadbalancing:DescribeTargetGroupAttributes in ${region})`,
        why: 'Throttling: Rate exceeded',
        region,
        account: MOTO_ACCOUNT,
        call: 'elasticloadbalancing:DescribeTargetGroupAttributes',
      },
    ]);
    expect(inventory.scopes[0]?.unread).toEqual([
      { collection: 'targetGroupAttributes', read: 'none', call: 'elasticloadbalancing:DescribeTargetGroupAttributes', why: 'Throttling: Rate exceeded', resources: [tg] },
    ]);
    const group = inventory.scopes[0]?.targetGroups.find((g) => g.arn === tg);
    expect(group?.targets.map((t) => t.health.state)).toEqual(['healthy']);
  });
});

/** A loopback HTTP server that accepts requests and answers none (or only after `answerAfterMs`, with an empty 200). */
async function silentEndpoint(answerAfterMs?: number): Promise<{ url: string; close: () => Promise<void> }> {
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((_request, response) => {
    if (answerAfterMs === undefined) return;
    const timer = setTimeout(() => response.end(), answerAfterMs);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    for (const timer of timers) clearTimeout(timer);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { url, close };
}

describe('nothing reachable', () => {
  it('an unreachable endpoint fails with one line naming it', async () => {
    // A port that was just free: nothing listens there.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const run = collectInventory(options({ endpointUrl: `http://127.0.0.1:${port}`, regions: [region, 'eu-west-1'] }));
    await expect(run).rejects.toThrow(new RegExp(`^cannot reach AWS at http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  });

  it('an endpoint that accepts connections and never answers ends at the deadline with one line naming it', async () => {
    const { url, close } = await silentEndpoint();
    try {
      const run = collectInventory(options({ endpointUrl: url, timeouts: { connectMs: 200, responseMs: 300, callMs: 1_000 } }));
      await expect(run).rejects.toThrow(new RegExp(`^cannot reach AWS at ${url.replaceAll('.', '\\.')}: sts:GetCallerIdentity: no answer within (0\\.3|1) s$`));
    } finally {
      await close();
    }
  });

  it('an endpoint that answers after the deadline ends at the deadline too', async () => {
    const { url, close } = await silentEndpoint(2_000);
    try {
      const run = collectInventory(options({ endpointUrl: url, maxAttempts: 1, timeouts: { connectMs: 200, responseMs: 10_000, callMs: 500 } }));
      await expect(run).rejects.toThrow(new RegExp(`^cannot reach AWS at ${url.replaceAll('.', '\\.')}: sts:GetCallerIdentity: no answer within 0\\.5 s$`));
    } finally {
      await close();
    }
  });

  it('credentials AWS refuses fail with one line, without trying every other call', async () => {
    const invalid = new STSServiceException({
      name: 'InvalidClientTokenId',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message: 'The security token included in the request is invalid.',
    });
    const counter = new ApiCallCounter();
    const run = collectInventory(options({ counter, onClients: (clients) => failOnly(clients.sts, GetCallerIdentityCommand, invalid) }));
    await expect(run).rejects.toThrow('AWS rejected the credentials: InvalidClientTokenId: The security token included in the request is invalid.');
    expect(counter.byAction).toEqual({});
  });

  it('missing credentials fail with one line saying how to provide them', async () => {
    const missing = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    const run = collectInventory(options({ credentials: async () => Promise.reject(missing) }));
    await expect(run).rejects.toThrow(
      'no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or log in with aws sso login (Could not load credentials from any providers)',
    );
  });

  it('missing credentials of a named --profile fail with one line about that profile', async () => {
    const missing = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    const run = collectInventory(options({ profiles: ['audit-ro'], credentials: async () => Promise.reject(missing) }));
    await expect(run).rejects.toThrow(
      new LbcheckError(
        'no AWS credentials for profile audit-ro: check it in ~/.aws/config and ~/.aws/credentials, or log in with aws sso login --profile audit-ro (Could not load credentials from any providers)',
      ),
    );
  });
});
