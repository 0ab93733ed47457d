import { describe, expect, it } from 'vitest';
import rule from '../../../rules/dns-address-unreachable.js';
import igwRule from '../../../rules/internet-facing-subnet-without-igw-route.js';
import sgRule from '../../../rules/lb-security-group-blocks-listener.js';
import { runEngine } from '../../../src/engine/runner.js';
import type { RuleContext } from '../../../src/engine/types.js';
import type { ProbeReport } from '../../../src/inventory/probe-report.js';
import { inventoryOf } from '../../support/engine-fixtures.js';
import { contextOf, healthyWorld, REGION } from '../../support/fixtures.js';
import { address, ok, probeOf, refused, timeout } from '../../support/probe-fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const A = { az: `${REGION}a`, subnetId: 'subnet-a', networkInterfaceId: 'eni-a' };
const B = { az: `${REGION}b`, subnetId: 'subnet-b', networkInterfaceId: 'eni-b' };

function context(probe: ProbeReport, world = healthyWorld()): RuleContext {
  return { ...contextOf(world.scope), probe };
}

const w0 = healthyWorld();

ruleTester(rule).run({
  valid: [
    { name: 'no probe result', scope: w0.scope },
    { name: 'every address connects', scope: w0.scope, probe: probeOf(w0.alb, [address('3.1.1.1', [ok(12)], A), address('3.2.2.2', [ok(14)], B)]) },
  ],
  invalid: [
    {
      name: 'one address of an internet-facing ALB times out',
      scope: w0.scope,
      probe: probeOf(w0.alb, [address('3.1.1.1', [ok(12)], A), address('3.2.2.2', [timeout(), timeout()], B)]),
      expect: [
        {
          resourceArn: w0.alb.arn,
          discriminator: '3.2.2.2:443',
          messageIncludes: 'times out on port 443 in all 2 attempts',
          fixIncludes: 'Look at the node itself',
          related: { listenerPorts: [443], subnetIds: ['subnet-b'], networkInterfaceIds: ['eni-b'] },
        },
      ],
    },
  ],
});

describe('dns-address-unreachable', () => {
  it('does not fire when every address connects', () => {
    const world = healthyWorld();
    const probe = probeOf(world.alb, [address('3.1.1.1', [ok(12), ok(13)], A), address('3.2.2.2', [ok(14), ok(11)], B)]);
    expect(rule.check(context(probe, world))).toEqual([]);
  });

  it('does not fire without a probe result, or for a target that was skipped', () => {
    const world = healthyWorld();
    expect(rule.check(contextOf(world.scope))).toEqual([]);
    const skipped = probeOf(world.alb, [address('10.0.1.5', [timeout()], A)], { skipped: 'internal load balancer: not reachable from outside its VPC' });
    expect(rule.check(context(skipped, world))).toEqual([]);
  });

  it('fires for the one address of an internet-facing ALB that times out, with its AZ, subnet and ENI', () => {
    const world = healthyWorld();
    const probe = probeOf(world.alb, [address('3.1.1.1', [ok(12), ok(13)], A), address('3.2.2.2', [timeout(), timeout()], B)]);
    const [finding, ...rest] = rule.check(context(probe, world));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      resource: { arn: world.alb.arn, type: 'application', name: 'web', region: REGION },
      severity: 'error',
      discriminator: '3.2.2.2:443',
      message: `IP 3.2.2.2 of ALB web in ${REGION}b (subnet subnet-b) times out on port 443 in all 2 attempts; no configuration finding explains it.`,
      fix: expect.stringContaining('Look at the node itself'),
      related: { loadBalancerArn: world.alb.arn, listenerPorts: [443], subnetIds: ['subnet-b'], networkInterfaceIds: ['eni-b'] },
      evidence: {
        ip: '3.2.2.2',
        availabilityZone: `${REGION}b`,
        subnetId: 'subnet-b',
        networkInterfaceId: 'eni-b',
        port: 443,
        failedAttempts: 2,
        totalAttempts: 2,
        attempts: [timeout(), timeout()],
        siblingAddresses: ['3.1.1.1'],
        relatedFindings: [],
        nothingAcceptedFromHere: false,
      },
    });
  });

  it('says to check this machine first when no address of any load balancer connected', () => {
    const world = healthyWorld();
    const probe = probeOf(world.alb, [address('3.1.1.1', [timeout()], A), address('3.2.2.2', [timeout()], B)]);
    const findings = rule.check(context(probe, world));
    expect(findings.map((f) => [f.severity, f.discriminator, f.evidence.nothingAcceptedFromHere])).toEqual([
      ['error', '3.1.1.1:443', true],
      ['error', '3.2.2.2:443', true],
    ]);
    expect(findings[0]?.message).toBe(
      `IP 3.1.1.1 of ALB web in ${REGION}a (subnet subnet-a) times out on port 443 in its one attempt; nothing lbcheck probed accepted a connection from this machine, so the fault may be this machine's own network access.`,
    );
    expect(findings[0]?.fix).toBe('Make sure this machine can reach the load balancers at all (firewall, proxy, VPN, internet access), then probe again.');
  });

  it('is a warning when the address fails only some attempts (an intermittent node)', () => {
    const world = healthyWorld();
    const probe = probeOf(world.alb, [address('3.1.1.1', [ok(12), ok(13), ok(12)], A), address('3.2.2.2', [ok(12), refused('3.2.2.2'), ok(14)], B)]);
    const findings = rule.check(context(probe, world));
    expect(findings.map((f) => [f.severity, f.discriminator, f.message])).toEqual([
      ['warning', '3.2.2.2:443', `IP 3.2.2.2 of ALB web in ${REGION}b (subnet subnet-b) refuses connections on port 443 in 1 of 3 attempts; no configuration finding explains it.`],
    ]);
  });

  it('links the config finding about the same subnet: the incident of the guide', () => {
    const world = healthyWorld();
    // subnet-b loses its route to the internet gateway: it falls back to the main table, which has none.
    world.publicRoutes.subnetIds = ['subnet-a'];
    const probe = probeOf(world.alb, [address('3.1.1.1', [ok(12)], A), address('3.2.2.2', [timeout()], B)]);
    const result = runEngine({ inventory: inventoryOf([world.scope]), rules: [igwRule, rule], probe });
    const config = result.findings.find((f) => f.ruleId === 'internet-facing-subnet-without-igw-route' && f.resource.arn === world.alb.arn);
    const probeFinding = result.findings.find((f) => f.ruleId === 'dns-address-unreachable');
    expect(config?.evidence.subnetId).toBe('subnet-b');
    expect(probeFinding?.message).toBe(
      `IP 3.2.2.2 of ALB web in ${REGION}b (subnet subnet-b) times out on port 443 in its one attempt; its subnet subnet-b has no route to an internet gateway (internet-facing-subnet-without-igw-route).`,
    );
    expect(probeFinding?.evidence.relatedFindings).toEqual([{ ruleId: config?.ruleId, fingerprint: config?.fingerprint, message: config?.message }]);
  });

  it('links a security group that drops the listener port, not "firewall, proxy, VPN", even when nothing answered', () => {
    const world = healthyWorld();
    // sg-lb admits 80 but not 443: every address of the ALB times out on 443, and so does everything else probed.
    world.lbGroup.ingress = world.lbGroup.ingress.filter((rule) => rule.fromPort !== 443);
    const probe = probeOf(world.alb, [address('3.1.1.1', [timeout()], A), address('3.2.2.2', [timeout()], B)]);
    const result = runEngine({ inventory: inventoryOf([world.scope]), rules: [sgRule, rule], probe });
    const config = result.findings.find((f) => f.ruleId === 'lb-security-group-blocks-listener' && f.resource.arn === world.alb.arn);
    const probeFindings = result.findings.filter((f) => f.ruleId === 'dns-address-unreachable');
    expect(config?.related).toMatchObject({ listenerPorts: [443], securityGroupIds: ['sg-lb'] });
    expect(probeFindings.map((f) => f.message)).toEqual([
      `IP 3.1.1.1 of ALB web in ${REGION}a (subnet subnet-a) times out on port 443 in its one attempt; the load balancer's security groups sg-lb do not admit port 443 from everywhere (lb-security-group-blocks-listener).`,
      `IP 3.2.2.2 of ALB web in ${REGION}b (subnet subnet-b) times out on port 443 in its one attempt; the load balancer's security groups sg-lb do not admit port 443 from everywhere (lb-security-group-blocks-listener).`,
    ]);
    for (const finding of probeFindings) {
      expect(finding.fix).toBe(config?.fix);
      expect(finding.fix).not.toMatch(/firewall|proxy|VPN/);
    }
  });

  it('leaves an internal LB nothing here could reach alone, but fires when a sibling connected', () => {
    const world = healthyWorld();
    world.alb.scheme = 'internal';
    const unreachable = probeOf(world.alb, [address('10.0.1.5', [timeout()], A), address('10.0.2.5', [timeout()], B)]);
    expect(rule.check(context(unreachable, world))).toEqual([]);
    const halfReachable = probeOf(world.alb, [address('10.0.1.5', [ok(2)], A), address('10.0.2.5', [timeout()], B)]);
    expect(rule.check(context(halfReachable, world)).map((f) => f.discriminator)).toEqual(['10.0.2.5:443']);
  });

  it('does not hold an IPv6 address this machine has no route to against the LB', () => {
    const world = healthyWorld();
    world.alb.ipAddressType = 'dualstack';
    const noRoute = { outcome: 'unreachable' as const, error: 'connect ENETUNREACH 2600:1f18::1:443 - Local (:::0)' };
    const probe = probeOf(world.alb, [address('3.1.1.1', [ok(12)], A), address('2600:1f18::1', [noRoute], A)]);
    expect(rule.check(context(probe, world))).toEqual([]);
  });

  // Out of file descriptors (EMFILE) never reaches the rule: the probe lists those attempts as not made (test/probe/descriptors.test.ts).
  it('does not count attempts this machine could not make (no buffer space) against the LB', () => {
    const world = healthyWorld();
    const noSocket = { outcome: 'unreachable' as const, error: 'connect ENOBUFS 3.2.2.2:443 - Local (undefined:undefined)' };
    const allLocal = probeOf(world.alb, [address('3.1.1.1', [ok(12)], A), address('3.2.2.2', [noSocket, noSocket], B)]);
    expect(rule.check(context(allLocal, world))).toEqual([]);
    const mixed = probeOf(world.alb, [address('3.1.1.1', [ok(12)], A), address('3.2.2.2', [noSocket, timeout(), ok(15)], B)]);
    const [finding, ...rest] = rule.check(context(mixed, world));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: 'warning', evidence: { failedAttempts: 1, totalAttempts: 2 } });
    expect(finding?.message).toContain('times out on port 443 in 1 of 2 attempts');
  });

  it('does not count TLS or HTTP errors: the address accepted the connection', () => {
    const world = healthyWorld();
    const probe = probeOf(world.alb, [
      address('3.1.1.1', [{ outcome: 'http-error', connectMs: 10, firstByteMs: 30, status: 503, error: 'HTTP 503' }], A),
      address('3.2.2.2', [{ outcome: 'tls-error', connectMs: 10, error: 'wrong version number' }], B),
    ]);
    expect(rule.check(context(probe, world))).toEqual([]);
  });
});
