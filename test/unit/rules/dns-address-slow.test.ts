import { describe, expect, it } from 'vitest';
import rule from '../../../rules/dns-address-slow.js';
import type { RuleContext } from '../../../src/engine/types.js';
import type { ProbeReport } from '../../../src/inventory/probe-report.js';
import { contextOf, healthyWorld, REGION } from '../../support/fixtures.js';
import { address, ok, probeOf, timeout } from '../../support/probe-fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const A = { az: `${REGION}a`, subnetId: 'subnet-a' };
const B = { az: `${REGION}b`, subnetId: 'subnet-b' };
const C = { az: `${REGION}c`, subnetId: 'subnet-c' };

function context(probe: ProbeReport, world = healthyWorld()): RuleContext {
  return { ...contextOf(world.scope), probe };
}

const w0 = healthyWorld();

ruleTester(rule).run({
  valid: [
    { name: 'no probe result', scope: w0.scope },
    {
      name: 'every address about as fast as its siblings',
      scope: w0.scope,
      probe: probeOf(w0.alb, [address('3.1.1.1', [ok(20)], A), address('3.2.2.2', [ok(24)], B), address('3.3.3.3', [ok(30)], C)]),
    },
  ],
  invalid: [
    {
      name: 'one address far slower than its siblings',
      scope: w0.scope,
      probe: probeOf(w0.alb, [address('3.1.1.1', [ok(20), ok(22)], A), address('3.2.2.2', [ok(24), ok(19)], B), address('3.3.3.3', [ok(400), ok(420)], C)]),
      expect: [
        {
          resourceArn: w0.alb.arn,
          discriminator: '3.3.3.3:443',
          messageIncludes: 'IP 3.3.3.3 of ALB web',
          fixIncludes: `lbcheck probe ${w0.alb.dnsName} --port 443`,
          related: { listenerPorts: [443], subnetIds: ['subnet-c'] },
        },
      ],
    },
  ],
});

describe('dns-address-slow', () => {
  it('fires for the address whose median connect is more than 3x and 100 ms slower than its siblings', () => {
    const world = healthyWorld();
    const probe = probeOf(world.alb, [
      address('3.1.1.1', [ok(20), ok(22), ok(21)], A),
      address('3.2.2.2', [ok(24), ok(19), ok(23)], B),
      address('3.3.3.3', [ok(400), ok(420), ok(30)], C),
    ]);
    const findings = rule.check(context(probe, world));
    expect(findings).toEqual([
      {
        resource: { arn: world.alb.arn, type: 'application', name: 'web', region: REGION, account: '123456789012' },
        discriminator: '3.3.3.3:443',
        message: `IP 3.3.3.3 of ALB web in ${REGION}c (subnet subnet-c) connects on port 443 in a median 400 ms, 18× slower than its siblings' 22 ms; clients that resolve it get slow connections.`,
        fix: `Look at ${REGION}c: its route table (a detour through an appliance or NAT), its network ACL and the AWS Health Dashboard; compare from another network with lbcheck probe ${world.alb.dnsName} --port 443 --attempts 10, and disable the AZ on the load balancer if it is impaired.`,
        related: { loadBalancerArn: world.alb.arn, listenerPorts: [443], subnetIds: ['subnet-c'] },
        evidence: {
          ip: '3.3.3.3',
          family: 4,
          availabilityZone: `${REGION}c`,
          subnetId: 'subnet-c',
          networkInterfaceId: undefined,
          host: world.alb.dnsName,
          port: 443,
          medianConnectMs: 400,
          connectMs: [400, 420, 30],
          siblingMedianConnectMs: 22,
          siblings: [
            { ip: '3.1.1.1', availabilityZone: `${REGION}a`, medianConnectMs: 21 },
            { ip: '3.2.2.2', availabilityZone: `${REGION}b`, medianConnectMs: 23 },
          ],
          thresholds: { factor: 3, marginMs: 100 },
        },
      },
    ]);
  });

  it('does not fire when the slow address is less than 100 ms slower (fast siblings, small absolute gap)', () => {
    const world = healthyWorld();
    const probe = probeOf(world.alb, [address('3.1.1.1', [ok(2)], A), address('3.2.2.2', [ok(3)], B), address('3.3.3.3', [ok(60)], C)]);
    expect(rule.check(context(probe, world))).toEqual([]);
  });

  it('does not fire when the address is 100 ms slower but less than 3x (a far-away client)', () => {
    const world = healthyWorld();
    const probe = probeOf(world.alb, [address('3.1.1.1', [ok(150)], A), address('3.2.2.2', [ok(160)], B), address('3.3.3.3', [ok(290)], C)]);
    expect(rule.check(context(probe, world))).toEqual([]);
  });

  it('compares an address only with siblings of its own IP family (a slower IPv6 path is not a slow node)', () => {
    const world = healthyWorld();
    world.alb.ipAddressType = 'dualstack';
    const probe = probeOf(world.alb, [
      address('3.1.1.1', [ok(20)], A),
      address('3.2.2.2', [ok(22)], B),
      address('3.3.3.3', [ok(21)], C),
      address('2600:1f18::a', [ok(300)], A),
      address('2600:1f18::b', [ok(310)], B),
      address('2600:1f18::c', [ok(1200)], C),
    ]);
    expect(rule.check(context(probe, world)).map((f) => [f.discriminator, f.evidence.siblingMedianConnectMs])).toEqual([['2600:1f18::c:443', 305]]);
  });

  it('needs two addresses that connected: a timeout is not slow, and one address has no siblings', () => {
    const world = healthyWorld();
    expect(rule.check(context(probeOf(world.alb, [address('3.1.1.1', [ok(500)], A), address('3.2.2.2', [timeout()], B)]), world))).toEqual([]);
    expect(rule.check(context(probeOf(world.alb, [address('3.1.1.1', [ok(500)], A)]), world))).toEqual([]);
  });
});
