/**
 * --max-time and answers that are not AWS's: the AWS-limits proxy in front of moto holds a
 * picked call (accepts it, never answers) and the audit's signal is aborted once that call is
 * in flight, so the abort, not a per-call deadline, is what ends it; no wall clock is asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit, type AuditOptions } from '../../src/audit.js';
import { CallDeadlineError, MAX_TIME_REASON } from '../../src/errors.js';
import { runCli } from '../cli/cli-support.js';
import { AwsLimitsProxy, type AwsCall } from '../support/aws-limits-proxy.js';
import { MOTO_REGIONS, motoCollectOptions, motoEndpoint, motoEnv } from '../support/moto.js';
import { scenario } from '../support/scenario.js';

const region = MOTO_REGIONS.auditLimits;

beforeAll(async () => {
  const s = await scenario(region);
  const vpc = await s.vpc({ cidr: '10.60.0.0/16' });
  const a = await s.subnet(vpc, { cidr: '10.60.1.0/24', az: `${region}a` });
  const b = await s.subnet(vpc, { cidr: '10.60.2.0/24', az: `${region}b` });
  // No internet gateway: with its subnets read, each LB is an internet-facing-subnet-without-igw-route error.
  await s.alb({ subnets: [a, b] });
  await s.alb({ subnets: [a, b] });
});

/** A proxy in front of moto that holds the calls `held` picks and aborts `controller` (as --max-time does) when the first arrives. */
async function holdingProxy(held: (call: AwsCall) => boolean, controller?: AbortController): Promise<{ proxy: AwsLimitsProxy; url: string }> {
  const proxy = new AwsLimitsProxy({
    upstream: motoEndpoint(),
    throttle: () => false,
    answer: (call) => (held(call) ? 'hold' : undefined),
    onCall: (call) => {
      if (held(call)) controller?.abort(new CallDeadlineError(MAX_TIME_REASON));
    },
  });
  return { proxy, url: await proxy.start() };
}

function auditThrough(url: string, signal: AbortSignal): AuditOptions {
  return { source: { kind: 'aws', collect: { ...motoCollectOptions([region]), endpointUrl: url } }, signal };
}

describe('--max-time reached while collecting', () => {
  let proxies: AwsLimitsProxy[] = [];
  afterAll(async () => {
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    proxies = [];
  });

  it('ends the calls in flight, reports what was collected, and runs no rule on what was not', async () => {
    const controller = new AbortController();
    const { proxy, url } = await holdingProxy((call) => call.action === 'DescribeSubnets', controller);
    proxies.push(proxy);
    const { stopped, report, nothingChecked } = await runAudit(auditThrough(url, controller.signal));
    expect(stopped).toEqual({ regions: [region], endpoint: url, loadBalancers: 2 });
    expect(nothingChecked).toBe(false);
    expect(report.notChecked).toContainEqual(expect.objectContaining({ call: 'ec2:DescribeSubnets', why: MAX_TIME_REASON, region }));
    // Subnets were never read: no routing verdict, a could-not-check warning instead.
    expect(report.findings.filter((f) => f.ruleId === 'internet-facing-subnet-without-igw-route' && f.severity === 'error')).toEqual([]);
    expect(report.findings.some((f) => f.ruleId === 'internet-facing-subnet-without-igw-route' && f.severity === 'warning')).toBe(true);
  });

  it('with nothing answered, reports the region as not collected instead of failing on the endpoint', async () => {
    const controller = new AbortController();
    const { proxy, url } = await holdingProxy(() => true, controller);
    proxies.push(proxy);
    const { stopped, report, nothingChecked } = await runAudit(auditThrough(url, controller.signal));
    expect(stopped).toEqual({ regions: [region], endpoint: url, loadBalancers: 0 });
    expect(nothingChecked).toBe(true);
    expect(report.notChecked).toEqual([{ what: `region ${region}`, why: MAX_TIME_REASON, region }]);
  });

  it('lbcheck audit --max-time exits 2 with one line naming the endpoint and the region, after the report', async () => {
    const { proxy, url } = await holdingProxy((call) => call.action === 'DescribeSubnets');
    proxies.push(proxy);
    const result = await runCli(['audit', '--endpoint-url', url, '--region', region, '--no-pace', '--format', 'json', '--max-time', '3s'], { env: motoEnv() });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n').filter((line) => line.startsWith('lbcheck: error'));
    const where = `${region} \\(${url.replaceAll('.', '\\.')}\\)`;
    // Under load the listing itself may still be in flight at 3 s: then nothing was collected there.
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^lbcheck: error: --max-time 3s reached while collecting ${where}: (2 load balancers not fully checked|nothing collected there)$`))]);
    const report = JSON.parse(result.stdout) as { notChecked: { why: string }[] };
    expect(report.notChecked.some((gap) => gap.why === MAX_TIME_REASON)).toBe(true);
  });
});

describe('--max-time', () => {
  it('is refused without a unit, with one line', async () => {
    const result = await runCli(['audit', '--snapshot', 'none.json', '--max-time', '90'], {});
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^lbcheck: error: .*--max-time must be a whole number with a unit/)]);
  });
});

describe('an HTTP 200 that is not an answer', () => {
  let proxy: AwsLimitsProxy | undefined;
  afterAll(async () => proxy?.stop());

  /** Audits the scenario through a proxy in front of moto that answers `action` with HTTP 200 and `body`. */
  async function auditAnswering(action: string, body: string) {
    await proxy?.stop();
    proxy = new AwsLimitsProxy({
      upstream: motoEndpoint(),
      throttle: () => false,
      answer: (call) => (call.action === action && call.family !== 'elb' ? { status: 200, body } : undefined),
    });
    const url = await proxy.start();
    return runAudit({ source: { kind: 'aws', collect: { ...motoCollectOptions([region]), endpointUrl: url } } });
  }

  for (const [what, body] of [
    ['an empty body', ''],
    ['garbage', '\u0000\u0001 not xml'],
    ['HTML', '<html>proxy error</html>'],
  ] as const) {
    it(`with ${what} to the load-balancer listing is a failed listing, not an account without load balancers`, async () => {
      const { failedListings } = await auditAnswering('DescribeLoadBalancers', body);
      expect(failedListings).toEqual([
        expect.objectContaining({
          call: 'elasticloadbalancing:DescribeLoadBalancers',
          why: `could not read the answer to DescribeLoadBalancers: HTTP 200 with ${body ? 'a body that is not a DescribeLoadBalancersResponse' : 'an empty body'}`,
          region,
        }),
      ]);
    });
  }

  it('with an empty body to another call, that call could not be read', async () => {
    const { failedListings, report } = await auditAnswering('DescribeSubnets', '');
    expect(failedListings).toEqual([]);
    expect(report.notChecked).toContainEqual(
      expect.objectContaining({ call: 'ec2:DescribeSubnets', why: 'could not read the answer to DescribeSubnets: HTTP 200 with an empty body' }),
    );
  });
});
