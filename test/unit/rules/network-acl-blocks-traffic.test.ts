import rule from '../../../rules/network-acl-blocks-traffic.js';
import { aclEntry, healthyWorld, networkAcl, target } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

type World = ReturnType<typeof healthyWorld>;
type Entry = ReturnType<typeof aclEntry>;

/** The world with only `pick`, and custom ACLs on the public (LB) and app (target) subnets. */
function withAcls(pick: 'alb' | 'nlb', publicEntries: Entry[], appEntries: Entry[], change: (w: World) => void = () => {}) {
  const w = healthyWorld();
  w.scope.loadBalancers = [w[pick]];
  w.scope.networkAcls.push(
    networkAcl({ id: 'acl-public', subnetIds: ['subnet-a', 'subnet-b'], entries: publicEntries }),
    networkAcl({ id: 'acl-app', subnetIds: ['subnet-app-a', 'subnet-app-b'], entries: appEntries }),
  );
  change(w);
  return w.scope;
}

/** What a correct public subnet ACL for the ALB (HTTPS 443, targets on 8080) needs. */
function publicAcl(): Entry[] {
  return [
    aclEntry(100, 'inbound', 'allow', '0.0.0.0/0', 'tcp', 443),
    aclEntry(110, 'inbound', 'allow', '10.0.0.0/16', 'tcp', '1024-65535'),
    aclEntry(32767, 'inbound', 'deny', '0.0.0.0/0'),
    aclEntry(100, 'outbound', 'allow', '0.0.0.0/0', 'tcp', '1024-65535'),
    aclEntry(110, 'outbound', 'allow', '10.0.0.0/16', 'tcp', 8080),
    aclEntry(32767, 'outbound', 'deny', '0.0.0.0/0'),
  ];
}
function appAcl(): Entry[] {
  return [
    aclEntry(100, 'inbound', 'allow', '10.0.0.0/16', 'tcp', 8080),
    aclEntry(32767, 'inbound', 'deny', '0.0.0.0/0'),
    aclEntry(100, 'outbound', 'allow', '10.0.0.0/16', 'tcp', '1024-65535'),
    aclEntry(32767, 'outbound', 'deny', '0.0.0.0/0'),
  ];
}
const w0 = healthyWorld();

ruleTester(rule).run({
  valid: [
    { name: 'default network ACLs allow everything', scope: healthyWorld().scope },
    { name: 'tight ACLs that allow exactly what the ALB needs, both directions', scope: withAcls('alb', publicAcl(), appAcl()) },
    {
      name: 'targets in the LB subnets: traffic within a subnet crosses no ACL',
      scope: withAcls('alb', publicAcl().filter((e) => e.ruleNumber !== 110), appAcl(), (w) => {
        w.web1.subnetId = 'subnet-a';
        w.scope.loadBalancers[0]!.availabilityZones = [{ zoneName: 'us-east-1a', subnetId: 'subnet-a' }];
        w.web2.subnetId = 'subnet-a';
      }),
    },
    {
      name: 'a deny entry numbered after an allow that matches first does not matter',
      scope: withAcls('alb', [aclEntry(50, 'inbound', 'allow', '0.0.0.0/0', 'tcp', 443), aclEntry(60, 'inbound', 'deny', '0.0.0.0/0', 'tcp', 443), ...publicAcl()], appAcl()),
    },
    {
      name: 'a dualstack NLB preserving client IPs to IPv4 targets: IPv6 clients arrive translated, so the target ACL needs no IPv6 entries',
      scope: withAcls(
        'nlb',
        [aclEntry(100, 'inbound', 'allow', '0.0.0.0/0'), aclEntry(101, 'inbound', 'allow', '::/0'), aclEntry(100, 'outbound', 'allow', '0.0.0.0/0'), aclEntry(101, 'outbound', 'allow', '::/0')],
        [aclEntry(100, 'inbound', 'allow', '0.0.0.0/0', 'tcp', 8080), aclEntry(100, 'outbound', 'allow', '0.0.0.0/0', 'tcp', '1024-65535')],
        (w) => {
          w.nlb.ipAddressType = 'dualstack';
        },
      ),
    },
    {
      name: 'a UDP target group health-checked over TCP on another port: UDP on the traffic port, TCP on the health-check port',
      scope: withAcls(
        'nlb',
        [aclEntry(100, 'inbound', 'allow', '0.0.0.0/0'), aclEntry(100, 'outbound', 'allow', '0.0.0.0/0')],
        [
          aclEntry(100, 'inbound', 'allow', '0.0.0.0/0', 'udp', 53),
          aclEntry(110, 'inbound', 'allow', '10.0.0.0/16', 'tcp', 80),
          aclEntry(100, 'outbound', 'allow', '0.0.0.0/0', 'udp', '1024-65535'),
          aclEntry(110, 'outbound', 'allow', '10.0.0.0/16', 'tcp', '1024-65535'),
        ],
        (w) => {
          w.nlb.listeners = [{ ...w.nlb.listeners[0]!, port: 53, protocol: 'UDP' }];
          w.nlbGroup.protocol = 'UDP';
          w.nlbGroup.port = 53;
          w.nlbGroup.healthCheck = { enabled: true, protocol: 'TCP', port: 80 };
          w.nlbGroup.targets = w.nlbGroup.targets.map((t) => ({ ...t, port: 53 }));
        },
      ),
    },
  ],
  invalid: [
    {
      name: 'a deny entry before the allow blocks the listener',
      scope: withAcls('alb', [aclEntry(90, 'inbound', 'deny', '0.0.0.0/0', 'tcp', '400-500'), ...publicAcl()], appAcl()),
      expect: [
        {
          resourceArn: w0.alb.arn,
          discriminator: 'acl-public|client-inbound|tcp/443',
          messageIncludes: 'Network ACL acl-public (subnets subnet-a, subnet-b) denies inbound TCP 443 from clients (0.0.0.0/0) (entry 90 denies 0.0.0.0/0), so clients cannot connect to the listener for ALB web', fixIncludes: 'aws ec2 create-network-acl-entry --network-acl-id acl-public --ingress --rule-number 89 --protocol tcp --port-range From=443,To=443 --cidr-block 0.0.0.0/0 --rule-action allow',
          evidence: { purpose: 'client-inbound', direction: 'inbound', peers: [{ cidr: '0.0.0.0/0', verdict: 'denied', decidingEntries: [{ ruleNumber: 90, action: 'deny' }] }] },
        },
      ],
    },
    {
      name: 'return traffic to clients allowed only on 32768-65535 is a partial block',
      scope: withAcls('alb', publicAcl().map((e) => (e.egress && e.ruleNumber === 100 ? aclEntry(100, 'outbound', 'allow', '0.0.0.0/0', 'tcp', '32768-65535') : e)), appAcl()),
      expect: [
        {
          resourceArn: w0.alb.arn,
          severity: 'warning',
          discriminator: 'acl-public|client-return|tcp/1024-65535',
          messageIncludes: ['denies part of outbound TCP 1024-65535 to clients (0.0.0.0/0) (', 'ports 1024-32767', 'responses to clients are dropped'],
          evidence: { peers: [{ cidr: '0.0.0.0/0', verdict: 'partial' }] },
        },
      ],
    },
    {
      name: 'a blocklist entry for one range of clients is reported as partial',
      scope: withAcls('alb', [aclEntry(10, 'inbound', 'deny', '198.51.100.0/24'), ...publicAcl()], appAcl()),
      expect: [{ resourceArn: w0.alb.arn, severity: 'warning', messageIncludes: 'denies part of inbound TCP 443 from clients (0.0.0.0/0) (198.51.100.0/24 ports 443)', evidence: { peers: [{ verdict: 'partial', denied: ['198.51.100.0/24 ports 443'] }] } }],
    },
    {
      name: "the targets' ACL forgets the ephemeral return ports (stateless)",
      scope: withAcls('alb', publicAcl(), appAcl().filter((e) => !(e.egress && e.ruleNumber === 100))),
      expect: [
        {
          resourceArn: w0.alb.arn,
          discriminator: 'acl-app|target-return|tcp/1024-65535',
          messageIncludes: ['Network ACL acl-app (subnets subnet-app-a, subnet-app-b) denies outbound TCP 1024-65535 to ALB web subnet subnet-a (10.0.1.0/24), ALB web subnet subnet-b (10.0.2.0/24) (no entry allows it, so the default * entry denies it)', "the targets' replies to the load balancer are dropped"], fixIncludes: '--egress --rule-number 32766',
        },
      ],
    },
    {
      name: 'the LB subnets cannot send to the target port',
      scope: withAcls('alb', [aclEntry(90, 'outbound', 'deny', '10.0.0.0/8', 'tcp', 8080), ...publicAcl()], appAcl()),
      expect: [
        // Exact evaluation: the deny also covers return traffic to clients in 10.0.0.0/8 on port 8080.
        { resourceArn: w0.alb.arn, severity: 'warning', discriminator: 'acl-public|client-return|tcp/1024-65535', messageIncludes: '(10.0.0.0/8 ports 8080)' },
        {
          resourceArn: w0.alb.arn,
          discriminator: 'acl-public|lb-to-target|tcp/8080',
          messageIncludes: ['denies outbound TCP 8080 to target subnet subnet-app-a (10.0.11.0/24), target subnet subnet-app-b (10.0.12.0/24) (entry 90 denies 10.0.0.0/8)', 'the load balancer cannot reach its targets'],
        },
      ],
    },
    {
      name: 'an NLB preserving client IPs needs the target ACL to admit the clients',
      scope: withAcls(
        'nlb',
        [aclEntry(100, 'inbound', 'allow', '0.0.0.0/0'), aclEntry(100, 'outbound', 'allow', '0.0.0.0/0')],
        [...appAcl(), aclEntry(200, 'outbound', 'allow', '0.0.0.0/0', 'tcp', '1024-65535')],
      ),
      expect: [
        {
          resourceArn: w0.nlb.arn,
          severity: 'error',
          discriminator: 'acl-app|target-inbound|tcp/8080',
          messageIncludes: 'denies inbound TCP 8080 from clients (client IP preservation) (0.0.0.0/0) (it allows only 10.0.0.0/16, addresses no internet client has)',
        },
      ],
    },
    {
      name: 'an IPv6 target group: the load balancer reaches its targets over IPv6, so IPv4-only ACLs block it',
      scope: withAcls('alb', publicAcl(), appAcl(), (w) => {
        const v6: Record<string, string> = { 'subnet-a': '2600:1f18:1::/64', 'subnet-b': '2600:1f18:2::/64', 'subnet-app-a': '2600:1f18:11::/64', 'subnet-app-b': '2600:1f18:12::/64' };
        for (const subnet of w.scope.subnets) subnet.ipv6CidrBlocks = [v6[subnet.id] ?? ''];
        w.albGroup.ipAddressType = 'ipv6';
        w.albGroup.targetType = 'ip';
        w.albGroup.targets = [target('2600:1f18:11::10', { port: 8080 }), target('2600:1f18:12::10', { port: 8080 })];
      }),
      expect: [
        { resourceArn: w0.alb.arn, discriminator: 'acl-public|lb-to-target|tcp/8080', messageIncludes: 'denies outbound TCP 8080 to target subnet subnet-app-a (2600:1f18:11::/64)', fixIncludes: '--ipv6-cidr-block 2600:1f18:11::/64' },
        { resourceArn: w0.alb.arn, discriminator: 'acl-public|lb-return|tcp/1024-65535', messageIncludes: 'denies inbound TCP 1024-65535 from target subnet subnet-app-a (2600:1f18:11::/64)' },
        {
          resourceArn: w0.alb.arn,
          discriminator: 'acl-app|target-inbound|tcp/8080',
          messageIncludes: 'denies inbound TCP 8080 from ALB web subnet subnet-a (2600:1f18:1::/64), ALB web subnet subnet-b (2600:1f18:2::/64)',
          related: { networkAclIds: ['acl-app'], subnetIds: ['subnet-app-a', 'subnet-app-b'] },
        },
        { resourceArn: w0.alb.arn, discriminator: 'acl-app|target-return|tcp/1024-65535', messageIncludes: 'denies outbound TCP 1024-65535 to ALB web subnet subnet-a (2600:1f18:1::/64)' },
      ],
    },
  ],
});
