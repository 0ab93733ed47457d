import rule from '../../../rules/lb-security-group-blocks-listener.js';
import { healthyWorld, listener, sgRule, tcp } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

type World = ReturnType<typeof healthyWorld>;
/** The world with only the ALB, whose group sg-lb gets the given inbound rules. */
function albWith(ingress: ReturnType<typeof tcp>[], change: (w: World) => void = () => {}) {
  const w = healthyWorld();
  w.lbGroup.ingress = ingress;
  w.scope.loadBalancers = [w.alb];
  change(w);
  return w.scope;
}
const w0 = healthyWorld();

ruleTester(rule).run({
  valid: [
    { name: 'listeners open to anywhere', scope: healthyWorld().scope },
    { name: 'a port range holding the listener port', scope: albWith([tcp('400-500', '0.0.0.0/0')]) },
    { name: "protocol 'all' admits every port", scope: albWith([sgRule('all', 0, '0.0.0.0/0')]) },
    { name: 'two half ranges together cover anywhere', scope: albWith([tcp(443, '0.0.0.0/1'), tcp(443, '128.0.0.0/1')]) },
    {
      name: 'a prefix list that resolves to anywhere',
      scope: albWith([tcp(443, 'pl-1')], (w) => {
        w.scope.prefixLists = [{ id: 'pl-1', name: 'everyone', cidrs: ['0.0.0.0/0'] }];
      }),
    },
    {
      name: 'dualstack with both ::/0 and 0.0.0.0/0',
      scope: albWith([tcp(443, '0.0.0.0/0', '::/0')], (w) => {
        w.alb.ipAddressType = 'dualstack';
      }),
    },
    {
      name: "an internal LB admitting its VPC's CIDR (the default assumption)",
      scope: albWith([tcp(443, '10.0.0.0/8')], (w) => {
        w.alb.scheme = 'internal';
      }),
    },
    {
      name: 'an internal LB admitting the configured client CIDRs',
      scope: albWith([tcp(443, '192.168.0.0/16')], (w) => {
        w.alb.scheme = 'internal';
      }),
      settings: { clientCidrs: ['192.168.10.0/24'] },
    },
    {
      name: 'an NLB without security groups is skipped (nothing on the LB filters)',
      scope: (() => {
        const w = healthyWorld();
        w.scope.securityGroups = [];
        w.scope.loadBalancers = [w.nlb];
        return w.scope;
      })(),
    },
    {
      name: 'a UDP listener on an NLB with security groups, admitted over UDP',
      scope: (() => {
        const w = healthyWorld();
        w.nlb.securityGroupIds = ['sg-lb'];
        w.nlb.listeners = [listener({ port: 53, protocol: 'UDP' })];
        w.lbGroup.ingress = [sgRule('udp', 53, '0.0.0.0/0')];
        w.scope.loadBalancers = [w.nlb];
        return w.scope;
      })(),
    },
    {
      name: 'a QUIC listener (HTTP/3 over UDP) admitted over UDP',
      scope: (() => {
        const w = healthyWorld();
        w.nlb.securityGroupIds = ['sg-lb'];
        w.nlb.listeners = [listener({ port: 443, protocol: 'QUIC' })];
        w.lbGroup.ingress = [sgRule('udp', 443, '0.0.0.0/0')];
        w.scope.loadBalancers = [w.nlb];
        return w.scope;
      })(),
    },
  ],
  invalid: [
    {
      name: 'no rule for the listener port',
      scope: albWith([tcp(80, '0.0.0.0/0')]),
      expect: [
        {
          resourceArn: w0.alb.arn,
          discriminator: 'tcp/443',
          messageIncludes: "ALB web's security groups (sg-lb) do not admit TCP 443 from its clients (anywhere (internet-facing)), so connections to the listener time out", fixIncludes: 'aws ec2 authorize-security-group-ingress --group-id sg-lb --protocol tcp --port 443 --cidr 0.0.0.0/0',
          evidence: { listenerPort: 443, clients: ['0.0.0.0/0'], rulesConsidered: [], notAdmitted: ['0.0.0.0/0'] },
        },
      ],
    },
    {
      name: 'a narrower public CIDR only partly admits an internet-facing listener',
      scope: albWith([tcp(443, '52.0.0.0/8')]),
      expect: [
        {
          resourceArn: w0.alb.arn,
          severity: 'warning',
          messageIncludes: ['admit TCP 443 from only part of its clients', '0.0.0.0-51.255.255.255, 53.0.0.0-255.255.255.255 cannot connect'], fixIncludes: 'If that is not intended, run aws ec2 authorize-security-group-ingress --group-id sg-lb --protocol tcp --port 443 --cidr 0.0.0.0/0',
          evidence: { rulesConsidered: [{ groupId: 'sg-lb', protocol: 'tcp', ports: '443', source: '52.0.0.0/8' }] },
        },
      ],
    },
    {
      name: "admitting only private ranges (the VPC's own CIDR) to an internet-facing listener admits no client: an error",
      scope: albWith([tcp(443, '10.0.0.0/16'), tcp(443, '192.168.0.0/16')]),
      expect: [
        {
          resourceArn: w0.alb.arn,
          severity: 'error',
          messageIncludes: "do not admit TCP 443 from its clients (anywhere (internet-facing)) (they admit it only from 10.0.0.0/16, 192.168.0.0/16, addresses no internet client has), so connections to the listener time out",
        },
      ],
    },
    {
      name: 'a TCP_QUIC listener needs both TCP and UDP admitted',
      scope: (() => {
        const w = healthyWorld();
        w.nlb.securityGroupIds = ['sg-lb'];
        w.nlb.listeners = [listener({ port: 443, protocol: 'TCP_QUIC' })];
        w.lbGroup.ingress = [tcp(443, '0.0.0.0/0')];
        w.scope.loadBalancers = [w.nlb];
        return w.scope;
      })(),
      expect: [{ resourceArn: w0.nlb.arn, discriminator: 'udp/443', messageIncludes: 'do not admit UDP 443', evidence: { listenerProtocol: 'TCP_QUIC', protocol: 'udp' } }],
    },
    {
      name: 'a UDP rule does not admit a TCP listener',
      scope: albWith([sgRule('udp', 443, '0.0.0.0/0')]),
      expect: [{ resourceArn: w0.alb.arn, messageIncludes: 'do not admit TCP 443', evidence: { rulesConsidered: [] } }],
    },
    {
      name: 'dualstack without ::/0 blocks every IPv6 client',
      scope: albWith([tcp(443, '0.0.0.0/0')], (w) => {
        w.alb.ipAddressType = 'dualstack';
      }),
      expect: [{ resourceArn: w0.alb.arn, messageIncludes: 'do not admit TCP 443 from ::/0', fixIncludes: 'Ipv6Ranges=[{CidrIpv6=::/0}]', evidence: { clients: ['0.0.0.0/0', '::/0'], notAdmitted: ['::/0'] } }],
    },
    {
      name: 'an unresolvable prefix list makes the result unknown, not a certain block',
      scope: albWith([tcp(443, 'pl-missing')]),
      expect: [{ resourceArn: w0.alb.arn, severity: 'warning', messageIncludes: 'pl-missing could not be resolved, so the listener may be blocked', evidence: { unresolved: ['pl-missing'] } }],
    },
    {
      name: 'an internal LB admitting only another security group: lbcheck cannot tell',
      scope: albWith([tcp(443, 'sg-clients')], (w) => {
        w.alb.scheme = 'internal';
      }),
      expect: [{ resourceArn: w0.alb.arn, severity: 'info', messageIncludes: 'admit TCP 443 only from security group(s) sg-clients and not from all of 10.0.0.0/16', evidence: { otherGroupReferences: ['sg-clients'] } }],
    },
    {
      name: 'an internal LB that does not admit the configured clients',
      scope: albWith([tcp(443, '10.0.0.0/16')], (w) => {
        w.alb.scheme = 'internal';
      }),
      settings: { clientCidrs: ['172.16.0.0/12'] },
      expect: [{ resourceArn: w0.alb.arn, messageIncludes: 'from its clients (clientCidrs in the config file)', evidence: { clientsSource: 'clientCidrs in the config file' } }],
    },
    {
      name: 'a Classic LB whose group lost its port 80 rule, and one of its groups missing from the inventory',
      scope: (() => {
        const w = healthyWorld();
        w.lbGroup.ingress = [tcp(443, '0.0.0.0/0')];
        w.classic.securityGroupIds = ['sg-lb', 'sg-gone'];
        w.scope.loadBalancers = [w.classic];
        return w.scope;
      })(),
      expect: [{ resourceArn: w0.classic.arn, severity: 'warning', discriminator: 'tcp/80', messageIncludes: 'sg-gone could not be resolved', evidence: { unresolved: ['sg-gone'] } }],
    },
  ],
});
