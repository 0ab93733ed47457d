import rule from '../../../rules/internet-facing-subnet-without-igw-route.js';
import { healthyWorld, internetGateway, route, routeTable, scopeOf, subnet, vpc, alb, classic } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

/** The healthy world with only the ALB left, so findings are about it alone. */
function albOnly(change: (w: ReturnType<typeof healthyWorld>) => void = () => {}) {
  const w = healthyWorld();
  change(w);
  w.scope.loadBalancers = [w.alb];
  return w;
}

const albArn = albOnly().alb.arn;

ruleTester(rule).run({
  valid: [
    { name: 'public subnets with an explicit route table to an attached IGW', scope: healthyWorld().scope },
    {
      name: 'a subnet without an explicit association falls back to a main table that routes to the IGW',
      scope: albOnly((w) => {
        w.publicRoutes.subnetIds = ['subnet-a'];
        w.mainRoutes.routes.push(route('0.0.0.0/0', 'internet-gateway', 'igw-1'));
      }).scope,
    },
    {
      name: 'an internal load balancer in private subnets is never checked',
      scope: albOnly((w) => {
        w.alb.scheme = 'internal';
        w.publicRoutes.routes.pop();
      }).scope,
    },
    {
      name: 'dualstack with both default routes to the IGW',
      scope: albOnly((w) => {
        w.alb.ipAddressType = 'dualstack';
        w.publicRoutes.routes.push(route('::/0', 'internet-gateway', 'igw-1'));
      }).scope,
    },
    {
      name: 'dualstack-without-public-ipv4 needs only ::/0 (its nodes have no public IPv4)',
      scope: albOnly((w) => {
        w.alb.ipAddressType = 'dualstack-without-public-ipv4';
        w.publicRoutes.routes = [route('::/0', 'internet-gateway', 'igw-1')];
      }).scope,
    },
    {
      name: 'longest prefix: 0.0.0.0/1 and 128.0.0.0/1 to the IGW together cover the internet',
      scope: albOnly((w) => {
        w.publicRoutes.routes = [route('10.0.0.0/16', 'local', 'local'), route('0.0.0.0/1', 'internet-gateway', 'igw-1'), route('128.0.0.0/1', 'internet-gateway', 'igw-1')];
      }).scope,
    },
    {
      name: 'longest prefix: /1 routes to the IGW win over a default route to a NAT gateway',
      scope: albOnly((w) => {
        w.publicRoutes.routes = [route('0.0.0.0/0', 'nat-gateway', 'nat-1'), route('0.0.0.0/1', 'internet-gateway', 'igw-1'), route('128.0.0.0/1', 'internet-gateway', 'igw-1')];
      }).scope,
    },
    {
      name: 'more specific routes for private ranges (a corporate network over a transit gateway) take no internet client away',
      scope: albOnly((w) => {
        w.publicRoutes.routes.push(route('10.0.0.0/8', 'transit-gateway', 'tgw-1'), route('192.168.0.0/16', 'vpc-peering', 'pcx-1'));
      }).scope,
    },
    {
      name: 'dualstack: ::/1 and 8000::/1 to the IGW cover ::/0',
      scope: albOnly((w) => {
        w.alb.ipAddressType = 'dualstack';
        w.publicRoutes.routes.push(route('::/1', 'internet-gateway', 'igw-1'), route('8000::/1', 'internet-gateway', 'igw-1'));
      }).scope,
    },
    {
      name: 'an IGW whose attachment state reads "attached" counts as attached',
      scope: albOnly((w) => {
        w.igw.attachments = [{ vpcId: 'vpc-1', state: 'attached' }];
      }).scope,
    },
  ],
  invalid: [
    {
      name: 'a Classic LB in EC2-Classic has no subnets: skipped, and said so',
      scope: scopeOf({ loadBalancers: [classic({ name: 'ec2classic', vpcId: undefined, subnets: [], zones: [{ zoneName: 'us-east-1a' }] })] }),
      expect: [
        {
          resourceArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/ec2classic',
          severity: 'info',
          discriminator: 'no-vpc',
          messageIncludes: 'Classic LB ec2classic is not in a VPC (EC2-Classic), so it has no subnets or route tables to check',
        },
      ],
    },
    {
      name: 'main table fallback without a default route',
      scope: albOnly((w) => {
        w.publicRoutes.subnetIds = ['subnet-a'];
      }).scope,
      expect: [
        {
          resourceArn: albArn,
          resourceType: 'application',
          discriminator: 'subnet-b',
          messageIncludes: ['Subnet subnet-b (us-east-1b) of internet-facing ALB web', 'has no 0.0.0.0/0 route (the main route table rtb-main)'], fixIncludes: 'Associate subnet-b with route table rtb-public, which reaches the internet: aws ec2 associate-route-table --route-table-id rtb-public --subnet-id subnet-b',
          evidence: { routeTableId: 'rtb-main', routeTableVia: 'main', problems: [{ destination: '0.0.0.0/0', problem: 'no-default-route' }], internetGatewaysAttachedToVpc: ['igw-1'] },
        },
      ],
    },
    {
      name: 'explicit table whose default route goes to a NAT gateway',
      scope: albOnly((w) => {
        const natTable = routeTable({ id: 'rtb-nat', subnetIds: ['subnet-b'], routes: [route('10.0.0.0/16', 'local', 'local'), route('0.0.0.0/0', 'nat-gateway', 'nat-1')] });
        w.publicRoutes.subnetIds = ['subnet-a'];
        w.scope.routeTables.push(natTable);
      }).scope,
      expect: [
        {
          resourceArn: albArn,
          discriminator: 'subnet-b',
          messageIncludes: 'sends 0.0.0.0/0 to nat-gateway nat-1, not to an internet gateway (route table rtb-nat)', fixIncludes: 'Move subnet-b to route table rtb-public, which reaches the internet: aws ec2 replace-route-table-association --association-id <the association of subnet-b with rtb-nat> --route-table-id rtb-public',
          evidence: { routeTableVia: 'explicit', routes: [{ destination: '10.0.0.0/16', target: 'local:local', state: 'active' }, { destination: '0.0.0.0/0', target: 'nat-gateway:nat-1', state: 'active' }] },
        },
      ],
    },
    {
      name: 'default routes to a transit gateway and to an ENI do not count',
      scope: albOnly((w) => {
        w.publicRoutes.subnetIds = [];
        w.scope.routeTables.push(
          routeTable({ id: 'rtb-tgw', subnetIds: ['subnet-a'], routes: [route('0.0.0.0/0', 'transit-gateway', 'tgw-1')] }),
          routeTable({ id: 'rtb-eni', subnetIds: ['subnet-b'], routes: [route('0.0.0.0/0', 'network-interface', 'eni-1')] }),
        );
      }).scope,
      expect: [
        { resourceArn: albArn, discriminator: 'subnet-a', messageIncludes: 'transit-gateway tgw-1, not to an internet gateway' },
        { resourceArn: albArn, discriminator: 'subnet-b', messageIncludes: 'network-interface eni-1, not to an internet gateway' },
      ],
    },
    {
      name: 'no table of the VPC reaches the internet: add the route, with a caution about the main table',
      scope: albOnly((w) => {
        w.publicRoutes.subnetIds = [];
        w.publicRoutes.routes.pop();
        w.alb.availabilityZones = [w.alb.availabilityZones[0]!];
      }).scope,
      expect: [
        {
          resourceArn: albArn,
          discriminator: 'subnet-a',
          fixIncludes: ['Run aws ec2 create-route --route-table-id rtb-main --destination-cidr-block 0.0.0.0/0 --gateway-id igw-1', "(the VPC's main table: the change applies to every subnet without its own route table"],
        },
      ],
    },
    {
      name: 'dualstack with neither default route: both commands',
      scope: albOnly((w) => {
        w.alb.ipAddressType = 'dualstack';
        w.publicRoutes.routes.pop();
        w.alb.availabilityZones = [w.alb.availabilityZones[0]!];
      }).scope,
      expect: [
        {
          resourceArn: albArn,
          messageIncludes: 'has no 0.0.0.0/0 route (route table rtb-public) and has no ::/0 route (route table rtb-public)', fixIncludes: 'create-route --route-table-id rtb-public --destination-cidr-block 0.0.0.0/0 --gateway-id igw-1 and aws ec2 create-route --route-table-id rtb-public --destination-ipv6-cidr-block ::/0 --gateway-id igw-1',
        },
      ],
    },
    {
      name: 'a blackhole route to a deleted IGW',
      scope: albOnly((w) => {
        w.publicRoutes.routes[1] = route('0.0.0.0/0', 'internet-gateway', 'igw-gone', 'blackhole');
        w.scope.internetGateways = [];
      }).scope,
      expect: [
        { resourceArn: albArn, discriminator: 'subnet-a', messageIncludes: 'igw-gone, a blackhole route', fixIncludes: 'igw-<attached to the VPC>', evidence: { problems: [{ problem: 'blackhole' }] } },
        { resourceArn: albArn, discriminator: 'subnet-b', messageIncludes: 'a blackhole route' },
      ],
    },
    {
      name: 'an IGW attached to another VPC',
      scope: albOnly((w) => {
        w.scope.internetGateways = [internetGateway('igw-1', 'vpc-other'), internetGateway('igw-2')];
      }).scope,
      expect: [
        {
          resourceArn: albArn,
          discriminator: 'subnet-a',
          messageIncludes: "sends 0.0.0.0/0 to internet-gateway igw-1, which is attached to vpc-other, not to this subnet's VPC", fixIncludes: '--gateway-id igw-2',
          evidence: { problems: [{ problem: 'gateway-attached-to-other-vpc' }] },
        },
        { resourceArn: albArn, discriminator: 'subnet-b', messageIncludes: 'attached to vpc-other' },
      ],
    },
    {
      name: 'an IGW attached to no VPC',
      scope: albOnly((w) => {
        w.scope.internetGateways = [internetGateway('igw-1', '')];
        w.alb.availabilityZones = [w.alb.availabilityZones[0]!];
      }).scope,
      expect: [{ resourceArn: albArn, messageIncludes: "igw-1, which is not attached to this subnet's VPC", evidence: { problems: [{ problem: 'gateway-not-attached-to-vpc' }] } }],
    },
    {
      name: 'longest prefix: 0.0.0.0/1 to the IGW leaves 128.0.0.0/1 with no route',
      scope: albOnly((w) => {
        w.publicRoutes.routes = [route('10.0.0.0/16', 'local', 'local'), route('0.0.0.0/1', 'internet-gateway', 'igw-1')];
        w.alb.availabilityZones = [w.alb.availabilityZones[0]!];
      }).scope,
      expect: [
        {
          resourceArn: albArn,
          messageIncludes: 'sends only 0.0.0.0/1 of 0.0.0.0/0 to igw-1 and has no route for 128.0.0.0/1 (route table rtb-public)', fixIncludes: 'create-route --route-table-id rtb-public --destination-cidr-block 0.0.0.0/0 --gateway-id igw-1',
          evidence: { problems: [{ problem: 'no-default-route' }] },
        },
      ],
    },
    {
      name: 'longest prefix: a default route to the IGW under /1 routes to a NAT gateway reaches nothing',
      scope: albOnly((w) => {
        w.publicRoutes.routes.push(route('0.0.0.0/1', 'nat-gateway', 'nat-1'), route('128.0.0.0/1', 'nat-gateway', 'nat-1'));
        w.alb.availabilityZones = [w.alb.availabilityZones[0]!];
      }).scope,
      expect: [
        {
          resourceArn: albArn,
          messageIncludes: 'sends 0.0.0.0/1 to nat-gateway nat-1, not to an internet gateway and sends 128.0.0.0/1 to nat-gateway nat-1',
          fixIncludes: 'replace-route --route-table-id rtb-public --destination-cidr-block 0.0.0.0/1 --gateway-id igw-1',
        },
      ],
    },
    {
      name: 'a more specific public route to a VPN gateway is a narrow exception: a warning naming the range',
      scope: albOnly((w) => {
        w.publicRoutes.routes.push(route('198.51.99.0/24', 'virtual-private-gateway', 'vgw-1'));
        w.alb.availabilityZones = [w.alb.availabilityZones[0]!];
      }).scope,
      expect: [
        {
          resourceArn: albArn,
          severity: 'warning',
          discriminator: 'subnet-a/exceptions',
          messageIncludes: 'reaches the internet gateway but sends 198.51.99.0/24 to virtual-private-gateway vgw-1, not to an internet gateway (route table rtb-public), so clients in 198.51.99.0/24 get no answer',
        },
      ],
    },
    {
      name: 'dualstack without ::/0 fires on IPv6 only',
      scope: albOnly((w) => {
        w.alb.ipAddressType = 'dualstack';
        w.scope.loadBalancers = [w.alb];
        w.alb.availabilityZones = [w.alb.availabilityZones[0]!];
      }).scope,
      expect: [{ resourceArn: albArn, discriminator: 'subnet-a', messageIncludes: 'has no ::/0 route', evidence: { ipAddressType: 'dualstack', problems: [{ destination: '::/0' }] } }],
    },
    {
      name: 'a Classic LB in a VPC is checked too, and a subnet that no longer exists is skipped',
      scope: (() => {
        const lb = classic({ name: 'legacy', subnets: ['subnet-x', 'subnet-gone'] });
        return scopeOf({ loadBalancers: [lb], vpcs: [vpc()], subnets: [subnet({ id: 'subnet-x' })], routeTables: [routeTable({ id: 'rtb-main', isMain: true })] });
      })(),
      expect: [
        { resourceArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/legacy', resourceType: 'classic', discriminator: 'subnet-x', messageIncludes: 'Classic LB legacy' },
      ],
    },
    {
      name: 'an NLB in a subnet with no route table at all',
      scope: (() => {
        const lb = alb({ name: 'lonely', subnets: ['subnet-x'] });
        return scopeOf({ loadBalancers: [lb], vpcs: [vpc()], subnets: [subnet({ id: 'subnet-x' })] });
      })(),
      expect: [{ resourceArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/lonely/50dc6c495c0c9188', messageIncludes: 'has no route table in the inventory', evidence: { problems: [{ problem: 'no-route-table' }] } }],
    },
  ],
});
