import rule from '../../../rules/target-security-group-blocks-lb.js';
import { healthyWorld, target, tcp } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

type World = ReturnType<typeof healthyWorld>;
/** Only the load balancer `pick` keeps; sg-app gets `ingress`. */
function only(pick: 'alb' | 'nlb' | 'classic', ingress: ReturnType<typeof tcp>[], change: (w: World) => void = () => {}) {
  const w = healthyWorld();
  w.appGroup.ingress = ingress;
  w.scope.loadBalancers = [w[pick]];
  change(w);
  return w.scope;
}
const w0 = healthyWorld();

/** Gives the VPC and the LB subnets IPv6 CIDRs and makes the kept load balancer dualstack. */
function dualstack(w: World, pick: 'alb' | 'nlb'): void {
  w[pick].ipAddressType = 'dualstack';
  w.vpc.ipv6CidrBlocks = ['2600:1f18:0:100::/56'];
  w.subnetA.ipv6CidrBlocks = ['2600:1f18:0:101::/64'];
  w.subnetB.ipv6CidrBlocks = ['2600:1f18:0:102::/64'];
}

ruleTester(rule).run({
  valid: [
    { name: 'targets admit every load balancer', scope: healthyWorld().scope },
    { name: "targets admitting the ALB's security group", scope: only('alb', [tcp(8080, 'sg-lb')]) },
    { name: "targets admitting a CIDR that covers the ALB's subnets", scope: only('alb', [tcp('8000-9000', '10.0.0.0/16')]) },
    {
      name: 'a separate health-check port admitted too',
      scope: only('alb', [tcp(8080, 'sg-lb'), tcp(8081, 'sg-lb')], (w) => {
        w.albGroup.healthCheck.port = 8081;
      }),
    },
    {
      name: "an NLB without security groups and without client IP preservation: the LB subnets' CIDRs",
      scope: only('nlb', [tcp(8080, '10.0.1.0/24', '10.0.2.0/24')], (w) => {
        w.nlbGroup.attributes.preserveClientIp = false;
      }),
    },
    {
      name: 'health checks disabled: only the traffic port matters',
      scope: only('alb', [tcp(8080, 'sg-lb')], (w) => {
        w.albGroup.healthCheck = { enabled: false, port: 9999 };
      }),
    },
    { name: 'a Classic LB whose instances admit its security group', scope: only('classic', [tcp(8080, 'sg-lb')]) },
    {
      name: 'a terminated instance still registered has no security groups to judge',
      scope: only('alb', [tcp(8080, 'sg-lb')], (w) => {
        Object.assign(w.web2, { state: 'terminated', securityGroupIds: [], privateIpAddress: undefined });
        w.albGroup.targets[1]!.health = { state: 'unused', reason: 'Target.InvalidState' };
      }),
    },
    {
      name: 'a dualstack ALB reaches IPv4 targets from its subnets\' IPv4 CIDRs only: those are enough',
      scope: only('alb', [tcp(8080, '10.0.1.0/24', '10.0.2.0/24')], (w) => dualstack(w, 'alb')),
    },
    {
      name: 'a dualstack NLB preserving client IPs: IPv4 targets see IPv4 clients, and IPv6 clients translated to the LB subnets',
      scope: only('nlb', [tcp(8080, '0.0.0.0/0')], (w) => dualstack(w, 'nlb')),
    },
  ],
  invalid: [
    {
      name: 'targets admit another port only',
      scope: only('alb', [tcp(9090, 'sg-lb')]),
      expect: [
        {
          resourceArn: w0.albGroup.arn,
          resourceType: 'target-group',
          discriminator: `${w0.alb.arn}|traffic|tcp/8080|sg-app`,
          messageIncludes: 'The security groups (sg-app) of targets i-web1, i-web2 in target group web do not admit TCP 8080 from ALB web (its security group sg-lb or its subnets 10.0.1.0/24, 10.0.2.0/24)', fixIncludes: 'aws ec2 authorize-security-group-ingress --group-id sg-app --protocol tcp --port 8080 --source-group sg-lb',
          evidence: { check: 'traffic', port: 8080, targets: [{ id: 'i-web1', ip: '10.0.11.10', verdict: 'blocked' }, { id: 'i-web2', verdict: 'blocked' }], rulesConsidered: [] },
        },
      ],
    },
    {
      name: 'the health-check port is not admitted',
      scope: only('alb', [tcp(8080, 'sg-lb')], (w) => {
        w.albGroup.healthCheck.port = 8081;
      }),
      expect: [{ resourceArn: w0.albGroup.arn, discriminator: `${w0.alb.arn}|health-check|tcp/8081|sg-app`, messageIncludes: ['do not admit the health check on TCP 8081', 'so health checks fail'] }],
    },
    {
      name: "a CIDR covering only one of the LB's subnets partly admits it",
      scope: only('alb', [tcp(8080, '10.0.1.0/24')]),
      expect: [{ resourceArn: w0.albGroup.arn, severity: 'warning', messageIncludes: 'from all of its addresses', evidence: { notAdmitted: ['10.0.2.0/24'] } }],
    },
    {
      name: 'an NLB preserving client IPs needs the clients admitted, and health checks from its subnets',
      scope: only('nlb', [tcp(8080, '52.94.0.0/16')]),
      expect: [
        {
          resourceArn: w0.nlbGroup.arn,
          severity: 'warning',
          discriminator: `${w0.nlb.arn}|traffic|tcp/8080|sg-app`,
          messageIncludes: 'from the clients of NLB edge (anywhere (internet-facing); client IP preservation is on)',
        },
        { resourceArn: w0.nlbGroup.arn, discriminator: `${w0.nlb.arn}|health-check|tcp/8080|sg-app`, messageIncludes: 'the health check on TCP 8080 from NLB edge (its subnets 10.0.1.0/24, 10.0.2.0/24), so health checks fail' },
      ],
    },
    {
      name: "the ALB's security group does not allow outbound traffic to the targets",
      scope: only('alb', [tcp(8080, 'sg-lb')], (w) => {
        w.lbGroup.egress = [tcp(443, '0.0.0.0/0')];
      }),
      expect: [
        {
          resourceArn: w0.albGroup.arn,
          discriminator: `${w0.alb.arn}|lb-egress|tcp/8080|sg-lb`,
          messageIncludes: "ALB web's security groups (sg-lb) do not allow outbound TCP 8080 to targets i-web1, i-web2 of target group web", fixIncludes: 'aws ec2 authorize-security-group-egress --group-id sg-lb --ip-permissions IpProtocol=tcp,FromPort=8080,ToPort=8080,UserIdGroupPairs=[{GroupId=sg-app}]',
          evidence: { check: 'lb-egress', rulesConsidered: [] },
        },
      ],
    },
    {
      name: "egress to the targets' security group or their addresses is enough; to another group is not",
      scope: only('alb', [tcp(8080, 'sg-lb')], (w) => {
        w.lbGroup.egress = [tcp(8080, 'sg-app')];
        w.web2.securityGroupIds = ['sg-app2'];
        w.scope.securityGroups.push({ ...w.appGroup, id: 'sg-app2' });
      }),
      expect: [{ resourceArn: w0.albGroup.arn, messageIncludes: 'outbound TCP 8080 to targets i-web2 of target group web', evidence: { targets: [{ id: 'i-web2', securityGroupIds: ['sg-app2'] }] } }],
    },
    {
      name: "IP targets' own security groups cannot be seen: an info finding says so",
      scope: only('alb', [tcp(8080, 'sg-lb')], (w) => {
        w.albGroup.targetType = 'ip';
        w.albGroup.targets = [target('10.0.11.50', { port: 8080 })];
      }),
      expect: [{ resourceArn: w0.albGroup.arn, severity: 'info', messageIncludes: 'The security groups of IP targets 10.0.11.50 in target group web were not checked', evidence: { targets: [{ ip: '10.0.11.50', port: 8080, healthCheckPort: 8080 }] } }],
    },
    {
      name: 'NLB IP targets over TCP do not preserve client IPs by default: only the info finding about their unseen groups',
      scope: only('nlb', [tcp(8080, '10.0.1.0/24', '10.0.2.0/24')], (w) => {
        w.nlbGroup.targetType = 'ip';
        w.nlbGroup.attributes = { raw: {} };
        w.nlbGroup.targets = [target('10.0.11.20', { port: 8080 }), target('10.0.12.20', { port: 8080 })];
      }),
      expect: [
        {
          resourceArn: w0.nlbGroup.arn,
          severity: 'info',
          fixIncludes: "Make sure they admit NLB edge (its subnets 10.0.1.0/24, 10.0.2.0/24) on port 8080",
          evidence: { targets: [{ ip: '10.0.11.20' }, { ip: '10.0.12.20' }] },
        },
      ],
    },
    {
      name: 'an IPv6 target group behind a dualstack ALB is reached from the subnets\' IPv6 CIDRs',
      scope: only('alb', [tcp(8080, '10.0.1.0/24', '10.0.2.0/24')], (w) => {
        dualstack(w, 'alb');
        w.albGroup.ipAddressType = 'ipv6';
      }),
      expect: [
        {
          resourceArn: w0.albGroup.arn,
          messageIncludes: 'do not admit TCP 8080 from ALB web (its security group sg-lb or its subnets 2600:1f18:0:101::/64, 2600:1f18:0:102::/64)',
          evidence: { loadBalancerSubnetCidrs: ['2600:1f18:0:101::/64', '2600:1f18:0:102::/64'], notAdmitted: ['2600:1f18:0:101::/64', '2600:1f18:0:102::/64'] },
        },
      ],
    },
    {
      name: "a Classic LB's instances do not admit its instance port",
      scope: only('classic', [tcp(80, 'sg-lb')]),
      expect: [{ resourceArn: w0.classic.arn, resourceType: 'classic', discriminator: 'traffic|tcp/8080|sg-app', messageIncludes: 'The security groups (sg-app) of targets i-web1, i-web2 registered with Classic LB legacy do not admit TCP 8080 from Classic LB legacy' }],
    },
  ],
});
