import rule from '../../../rules/az-without-healthy-targets.js';
import { brokenWorld, forward, healthyWorld, nlb, target, targetGroup } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

type World = ReturnType<typeof healthyWorld>;
const w0 = healthyWorld();

/** An NLB "ips" with IP targets, cross-zone off. */
function withIpTargets(w: World, targets: ReturnType<typeof target>[]) {
  const lb = nlb({ name: 'ips' });
  const tg = targetGroup({ name: 'ips', targetType: 'ip', protocol: 'TCP', targets });
  forward(lb, tg, { protocol: 'TCP' });
  w.scope.loadBalancers = [lb];
  w.scope.targetGroups = [tg];
  return { lb, tg };
}
const ipLb = nlb({ name: 'ips' });
const ipTg = targetGroup({ name: 'ips' });

ruleTester(rule).run({
  valid: [
    { name: 'healthy targets in every AZ (NLB cross-zone off)', scope: healthyWorld().scope },
    {
      name: 'an ALB keeps cross-zone on unless the target group turns it off, so one empty AZ is fine',
      scope: brokenWorld((w) => {
        w.albGroup.targets = [target('i-web1', { port: 8080 })];
        w.scope.loadBalancers = [w.alb];
      }),
    },
    {
      name: 'a target group turning cross-zone on overrides the NLB default (off)',
      scope: brokenWorld((w) => {
        w.nlbGroup.attributes.crossZoneEnabled = true;
        w.nlbGroup.targets = [target('i-web1', { port: 8080 })];
      }),
    },
    {
      name: 'an NLB with cross-zone on at the LB and a target group that inherits it',
      scope: brokenWorld((w) => {
        w.nlb.attributes.crossZoneEnabled = true;
        w.nlbGroup.targets = [target('i-web1', { port: 8080 })];
      }),
    },
    {
      name: "an IP target outside the VPC ('all') serves every AZ",
      scope: brokenWorld((w) => {
        withIpTargets(w, [target('192.168.5.5', { availabilityZone: 'all' })]);
      }),
    },
    {
      name: 'IP targets placed by the subnet CIDR that holds them, one per AZ',
      scope: brokenWorld((w) => {
        withIpTargets(w, [target('10.0.11.20'), target('10.0.12.20')]);
      }),
    },
    {
      name: 'a target group with no healthy target anywhere is left to target-group-without-healthy-targets',
      scope: brokenWorld((w) => {
        w.nlbGroup.targets = [];
      }),
    },
    {
      name: 'a Classic LB with cross-zone on',
      scope: brokenWorld((w) => {
        w.classic.classic!.instances = [{ instanceId: 'i-web1', state: 'healthy' }];
        w.scope.loadBalancers = [w.classic];
      }),
    },
  ],
  invalid: [
    {
      name: 'NLB (cross-zone off by default) whose only target in us-east-1b is unhealthy',
      scope: brokenWorld((w) => {
        w.nlbGroup.targets[1]!.health = { state: 'unhealthy', reason: 'Target.FailedHealthChecks' };
      }),
      expect: [
        {
          resourceArn: w0.nlb.arn,
          discriminator: `us-east-1b:${w0.nlbGroup.arn}`,
          messageIncludes: [
            'NLB edge routes us-east-1b traffic only to us-east-1b targets (cross-zone off) but target group edge has no healthy target there (1 registered, none healthy)',
            "removes that AZ node's address from DNS",
            'clients with a cached answer still hit it',
            'DNS fails open and returns all of them',
          ],
          evidence: {
            availabilityZone: 'us-east-1b',
            crossZoneSource: 'load balancer attribute load_balancing.cross_zone.enabled=false',
            targetsInZone: [{ id: 'i-web2', state: 'unhealthy', zoneSource: 'instance i-web2' }],
            healthyTargetsByZone: { 'us-east-1a': ['i-web1'], 'us-east-1b': [] },
          },
        },
      ],
    },
    {
      name: 'an ALB target group that turns cross-zone off, with no target in us-east-1b',
      scope: brokenWorld((w) => {
        w.albGroup.attributes.crossZoneEnabled = false;
        w.albGroup.targets = [target('i-web1', { port: 8080 })];
      }),
      expect: [
        {
          resourceArn: w0.alb.arn,
          messageIncludes: 'ALB web routes us-east-1b traffic only to us-east-1b targets (cross-zone off) but target group web has no healthy target there (none registered)',
          evidence: { crossZoneSource: 'target group attribute load_balancing.cross_zone.enabled=false', targetsInZone: [] },
        },
      ],
    },
    {
      name: 'a target group turning cross-zone off overrides an NLB that has it on',
      scope: brokenWorld((w) => {
        w.nlb.attributes.crossZoneEnabled = true;
        w.nlbGroup.attributes.crossZoneEnabled = false;
        w.nlbGroup.targets = [target('i-web2', { port: 8080 })];
      }),
      expect: [{ resourceArn: w0.nlb.arn, discriminator: `us-east-1a:${w0.nlbGroup.arn}`, messageIncludes: 'no healthy target there (none registered)' }],
    },
    {
      name: 'IP targets without an AWS-reported AZ are placed by subnet CIDR',
      scope: brokenWorld((w) => {
        withIpTargets(w, [target('10.0.11.20')]);
      }),
      expect: [
        {
          resourceArn: ipLb.arn,
          discriminator: `us-east-1b:${ipTg.arn}`,
          messageIncludes: 'NLB ips routes us-east-1b traffic',
          evidence: { healthyTargetsByZone: { 'us-east-1a': ['10.0.11.20'], 'us-east-1b': [] } },
        },
      ],
    },
    {
      name: 'a Classic LB with cross-zone off and an unhealthy instance in us-east-1b',
      scope: brokenWorld((w) => {
        w.classic.attributes.crossZoneEnabled = false;
        w.classic.classic!.instances[1]!.state = 'unhealthy';
        w.scope.loadBalancers = [w.classic];
      }),
      expect: [
        {
          resourceArn: w0.classic.arn,
          discriminator: 'us-east-1b:instances',
          messageIncludes: 'Classic LB legacy routes us-east-1b traffic only to us-east-1b targets (cross-zone off) but it has no healthy target there',
          evidence: { crossZoneSource: 'Classic LB attribute CrossZoneLoadBalancing' },
        },
      ],
    },
    {
      name: 'a healthy target whose AZ is unknown lowers the finding to a warning that says so',
      scope: brokenWorld((w) => {
        w.nlbGroup.targets = [target('i-web1', { port: 8080 }), target('i-missing', { port: 8080 })];
      }),
      expect: [
        {
          resourceArn: w0.nlb.arn,
          severity: 'warning',
          messageIncludes: ['the AZ of 1 healthy target(s) is unknown (instance i-missing is not in the inventory)'],
          evidence: { healthyTargetsWithUnknownZone: [{ id: 'i-missing', why: 'instance i-missing is not in the inventory' }] },
        },
      ],
    },
  ],
});
