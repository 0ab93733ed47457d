import { checkInternetRoute, checkTableInternetRoute, type InternetRouteCheck, type UnroutedAddresses } from '../src/engine/network.js';
import type { InventoryIndex } from '../src/inventory/indexes.js';
import { describeLoadBalancer, loadBalancerResource } from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import type { LoadBalancer, Route, Scope, Subnet } from '../src/inventory/model.js';
import { memoizePerIndexTuple } from '../src/engine/memo.js';
import { flat } from '../src/engine/text.js';

/** Which default routes an internet-facing LB needs: its nodes' public addresses are IPv4, IPv6, or both. */
const IPV4: readonly (4 | 6)[] = [4];
const IPV6: readonly (4 | 6)[] = [6];
const BOTH: readonly (4 | 6)[] = [4, 6];

function familiesNeeded(ipAddressType: LoadBalancer['ipAddressType']): readonly (4 | 6)[] {
  if (ipAddressType === 'dualstack') return BOTH;
  if (ipAddressType === 'dualstack-without-public-ipv4') return IPV6;
  return IPV4;
}

/** True when the subnet routes every public address of each family to the gateway, without exceptions: most subnets, which then have nothing to word. */
function reachesWholeInternet(index: InventoryIndex, subnet: Subnet, families: readonly (4 | 6)[]): boolean {
  for (let i = 0; i < families.length; i++) {
    const check = checkInternetRoute(index, subnet.id, subnet.vpcId, families[i] as 4 | 6);
    if (!check.ok || check.exceptions.length > 0) return false;
  }
  return true;
}

function tableText(check: InternetRouteCheck): string {
  return check.effective ? `${check.effective.via === 'main' ? 'the main route table' : 'route table'} ${check.effective.routeTable.id}` : '';
}

function routeDestination(route: Route): string {
  return route.destinationCidrBlock ?? route.destinationIpv6CidrBlock ?? route.destinationPrefixListId ?? '';
}

/** What one route (or the lack of one) does wrong: "sends 0.0.0.0/0 to nat-gateway nat-1, not to an internet gateway". */
function partText(part: UnroutedAddresses, addresses: string): string {
  const route = part.route;
  if (!route) return `has no route for ${addresses}`;
  const target = `${route.target.kind} ${route.target.id}`;
  const sends = `sends ${routeDestination(route)} to ${target}`;
  switch (part.problem) {
    case 'not-an-internet-gateway':
      return `${sends}, not to an internet gateway`;
    case 'blackhole':
      return `${sends}, a blackhole route (the gateway was deleted or detached)`;
    case 'gateway-not-in-inventory':
      return `${sends}, which is not in the inventory`;
    case 'gateway-attached-to-other-vpc':
      return `${sends}, which is attached to ${(part.gatewayVpcIds ?? []).join(', ')}, not to this subnet's VPC`;
    default:
      return `${sends}, which is not attached to this subnet's VPC`;
  }
}

/** The unreached (or excepted) addresses grouped by the route that decides them, one clause each. */
function partsText(parts: readonly UnroutedAddresses[]): string[] {
  const byRoute = new Map<Route | undefined, UnroutedAddresses[]>();
  for (const part of parts) byRoute.set(part.route, [...(byRoute.get(part.route) ?? []), part]);
  return [...byRoute.values()].map((group) => {
    const shown = group.slice(0, 3).map((p) => p.addresses).join(', ');
    return partText(group[0] as UnroutedAddresses, group.length > 3 ? `${shown} and ${group.length - 3} more ranges` : shown);
  });
}

function problemText(check: InternetRouteCheck): string {
  if (check.problem === 'no-route-table') return 'has no route table in the inventory (no explicit association and no main table for its VPC)';
  const table = tableText(check);
  // Nothing matches any public address: say it the way people think of it.
  if (check.internetRoutes.length === 0 && check.unreached.every((p) => !p.route)) return `has no ${check.destination} route (${table})`;
  const clauses = partsText(check.unreached);
  const reached = check.internetRoutes.length
    ? `sends only ${check.internetRoutes.map(routeDestination).join(', ')} of ${check.destination} to ${[...new Set(check.internetRoutes.map((r) => r.target.id))].join(', ')} and `
    : '';
  return `${reached}${clauses.join(' and ')} (${table})`;
}

/** The routes to point at the gateway: those that send public addresses elsewhere; undefined stands for a missing default route. */
function routesToFix(check: InternetRouteCheck): (Route | undefined)[] {
  const routes = [...new Set(check.unreached.map((part) => part.route))];
  return routes.length ? routes : [check.route];
}

function routeCommand(table: string, igw: string, check: InternetRouteCheck, route: Route | undefined): string {
  const destination = route ?? { destinationCidrBlock: check.family === 4 ? check.destination : undefined, destinationIpv6CidrBlock: check.family === 6 ? check.destination : undefined };
  const flag = route?.destinationPrefixListId
    ? `--destination-prefix-list-id ${route.destinationPrefixListId}`
    : destination.destinationCidrBlock
      ? `--destination-cidr-block ${destination.destinationCidrBlock}`
      : `--destination-ipv6-cidr-block ${destination.destinationIpv6CidrBlock ?? ''}`;
  return `aws ec2 ${route ? 'replace-route' : 'create-route'} --route-table-id ${table} ${flag} --gateway-id ${igw}`;
}

/**
 * The fix: move the subnet onto a route table of its VPC that already reaches the internet
 * (the usual cause is a subnet left on the main table or on a private table), else add the
 * route. Changing the main table is named as such: every subnet without its own table uses it.
 */
function fixText(index: InventoryIndex, checks: readonly InternetRouteCheck[], subnetId: string, vpcId: string): string {
  const first = checks[0];
  if (!first) return '';
  const publicTable = index.scope.routeTables.find(
    (table) => table.vpcId === vpcId && table.id !== first.effective?.routeTable.id && checks.every((c) => checkTableInternetRoute(index, table, vpcId, c.family).ok),
  );
  if (publicTable) {
    return first.effective?.via === 'explicit'
      ? `Move ${subnetId} to route table ${publicTable.id}, which reaches the internet: aws ec2 replace-route-table-association --association-id <the association of ${subnetId} with ${first.effective.routeTable.id}> --route-table-id ${publicTable.id}.`
      : `Associate ${subnetId} with route table ${publicTable.id}, which reaches the internet: aws ec2 associate-route-table --route-table-id ${publicTable.id} --subnet-id ${subnetId}.`;
  }
  const igw = first.attachedGatewayIds[0] ?? 'igw-<attached to the VPC>';
  if (!first.effective) return `Associate ${subnetId} with a route table that sends ${first.destination} to ${igw}.`;
  const table = first.effective.routeTable.id;
  const commands = checks.flatMap((check) => routesToFix(check).map((route) => routeCommand(table, igw, check, route)));
  const caution = first.effective.via === 'main' ? ` (the VPC's main table: the change applies to every subnet without its own route table, so a separate public table for ${subnetId} may be safer)` : '';
  return `Run ${commands.join(' and ')}${caution}.`;
}

/**
 * What a subnet tells every internet-facing load balancer of one address type in it, all but the
 * load balancer's own parts: the message around its name, the fix, and the evidence, shared by
 * their findings (read, never changed). Made once per subnet and address type: thousands of load
 * balancers share a few dozen subnets, and most subnets have nothing to say (null).
 */
interface SubnetFinding {
  severity: 'warning' | undefined;
  discriminator: string;
  /** The message before and after the load balancer's name. */
  before: string;
  after: string;
  fix: string;
  /** Whether clients lose the node on every listener port (a failed route), not only some clients (exceptions). */
  onEveryListener: boolean;
  subnetIds: string[];
  routeTableIds: string[] | undefined;
  evidence: Record<string, unknown>;
}

function subnetFinding(index: InventoryIndex, subnet: Subnet, ipAddressType: LoadBalancer['ipAddressType']): SubnetFinding | null {
  const families = familiesNeeded(ipAddressType);
  if (reachesWholeInternet(index, subnet, families)) return null;
  const checks = families.map((family) => checkInternetRoute(index, subnet.id, subnet.vpcId, family));
  const failed = checks.filter((check) => !check.ok);
  const first = failed[0];
  if (!first) {
    const exceptions = checks.flatMap((check) => check.exceptions);
    return exceptions.length ? exceptionFinding(index, subnet, checks, exceptions) : null;
  }
  const effective = first.effective;
  return {
    severity: undefined,
    discriminator: subnet.id,
    before: `Subnet ${subnet.id} (${subnet.availabilityZone}) of internet-facing `,
    after: ` ${failed.map(problemText).join(' and ')}, so clients that resolve the ${subnet.availabilityZone} address time out.`,
    fix: fixText(index, failed, subnet.id, subnet.vpcId),
    onEveryListener: true,
    subnetIds: [subnet.id],
    routeTableIds: effective && [effective.routeTable.id],
    evidence: {
      subnetId: subnet.id,
      availabilityZone: subnet.availabilityZone,
      vpcId: subnet.vpcId,
      ipAddressType,
      routeTableId: effective?.routeTable.id,
      routeTableVia: effective?.via,
      routes: effective?.routeTable.routes.map((r) => ({
        destination: r.destinationCidrBlock ?? r.destinationIpv6CidrBlock ?? r.destinationPrefixListId,
        target: `${r.target.kind}:${r.target.id}`,
        state: r.state,
      })),
      problems: failed.map((check) => ({ destination: check.destination, problem: check.problem, route: check.route })),
      internetGatewaysAttachedToVpc: first.attachedGatewayIds,
    },
  };
}

/**
 * More specific routes that send a few public ranges elsewhere (a partner network over a VPN,
 * a corporate range over a transit gateway) while the rest reaches the gateway: clients in
 * those ranges get no answer, which may be intended. A warning that names them.
 */
function exceptionFinding(index: InventoryIndex, subnet: Subnet, checks: readonly InternetRouteCheck[], exceptions: readonly UnroutedAddresses[]): SubnetFinding {
  const table = checks[0] ? tableText(checks[0]) : '';
  const routeTableId = checks[0]?.effective?.routeTable.id;
  return {
    severity: 'warning',
    discriminator: `${subnet.id}/exceptions`,
    before: `Subnet ${subnet.id} (${subnet.availabilityZone}) of internet-facing `,
    after: ` reaches the internet gateway but ${partsText(exceptions).join(' and ')} (${table}), so clients in ${exceptions.slice(0, 3).map((e) => e.addresses).join(', ')} get no answer from the ${subnet.availabilityZone} address.`,
    fix: flat(`If they are meant to reach the load balancer, route those ranges to the internet gateway in ${routeTableId ?? 'the subnet\'s route table'}.`),
    // Only some clients lose this node: not a cause a probe from here is traced to.
    onEveryListener: false,
    subnetIds: [subnet.id],
    routeTableIds: routeTableId === undefined ? undefined : [routeTableId],
    evidence: {
      subnetId: subnet.id,
      availabilityZone: subnet.availabilityZone,
      routeTableId,
      exceptions: exceptions.map((e) => ({ addresses: e.addresses, problem: e.problem, route: e.route })),
    },
  };
}

/** The subnet's finding for load balancers of this address type, worked out once per index on first use. */
const subnetFindingOf: (index: InventoryIndex, subnet: Subnet, ipAddressType: LoadBalancer['ipAddressType']) => SubnetFinding | null = memoizePerIndexTuple(subnetFinding);

export default defineRule({
  meta: {
    id: 'internet-facing-subnet-without-igw-route',
    title: 'Internet-facing load balancer subnet has no route to an internet gateway',
    defaultSeverity: 'error',
    category: 'reachability',
    source: 'config',
    appliesTo: ['application', 'network', 'classic'],
    requires: ['subnets', 'routeTables', 'internetGateways'],
    description:
      "For every subnet of an internet-facing load balancer, finds the subnet's effective route table (its explicit association, else the VPC's main table) and checks that every public address of the internet (0.0.0.0/0; ::/0 as well for dualstack; only ::/0 for dualstack-without-public-ipv4) is sent to an active route to an internet gateway attached to the same VPC. Routing is longest-prefix match, so a default route counts, and so do routes such as 0.0.0.0/1 + 128.0.0.0/1 that together cover the internet; a more specific route elsewhere wins over them. A route to a NAT gateway, transit gateway, network interface or peering connection does not count: none of them carries inbound connections from the internet. Routes for addresses no internet client has (private, shared, link-local and other special-purpose ranges; IPv6 outside 2000::/3), the VPC's local route and gateway endpoint prefix lists (S3, DynamoDB) take no client away. More specific public routes elsewhere that take at most a /8 (IPv6: a /16) in all while the rest reaches the gateway are reported as a warning naming the ranges (a partner network over a VPN may be intended); more is an error. A gateway attached to another VPC is named with that VPC. Internal load balancers are never checked; Classic load balancers in EC2-Classic have no subnets and are skipped.",
    rationale:
      "DNS for the load balancer returns one address per enabled AZ. Clients that pick the address of a node whose subnet cannot reach the internet send SYNs that are never answered, and hang until their connect timeout while other clients work: the failure looks intermittent and is often blamed on the application or the database.",
    remediation: {
      text: "Add a default route to the VPC's internet gateway in the subnet's route table, or associate the subnet with the public route table the LB's other subnets use. If the subnet is meant to be private, move the load balancer to a public subnet in that AZ.",
      cli: 'aws ec2 create-route --route-table-id rtb-0123 --destination-cidr-block 0.0.0.0/0 --gateway-id igw-0123\naws ec2 associate-route-table --route-table-id rtb-public --subnet-id subnet-0123',
      iac: 'resource "aws_route" "public_default" {\n  route_table_id         = aws_route_table.public.id\n  destination_cidr_block = "0.0.0.0/0"\n  gateway_id             = aws_internet_gateway.main.id\n}',
    },
    references: [
      { title: 'Subnets for your Application Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer' },
      { title: 'Configure route tables (main and custom route tables)', url: 'https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html' },
      { title: 'Enable internet access for a VPC using an internet gateway', url: 'https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html' },
      { title: 'EC2 API Route: a blackhole state means the target is not available (e.g. the gateway is not attached to the VPC)', url: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Route.html' },
    ],
  },
  check({ scope, index }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      if (lb.scheme !== 'internet-facing' || lb.kind === 'gateway') continue;
      // EC2-Classic load balancers have no VPC and no subnets: there is no route table to check, and we say so.
      if (!lb.vpcId) {
        findings.push({
          resource: loadBalancerResource(lb, scope),
          message: flat(`${describeLoadBalancer(lb)} is not in a VPC (EC2-Classic), so it has no subnets or route tables to check.`),
          fix: 'Migrate it to a load balancer in a VPC: AWS retired EC2-Classic.',
          related: { loadBalancerArn: lb.arn },
          evidence: { vpcId: null, availabilityZones: lb.availabilityZones.map((z) => z.zoneName), problem: 'not-in-a-vpc' },
          discriminator: 'no-vpc',
          severity: 'info',
        });
        continue;
      }
      // Index loop: it runs for every load balancer, mostly before it is optimised, where for-of allocates per element.
      for (let z = 0; z < lb.availabilityZones.length; z++) {
        const zone = lb.availabilityZones[z] as LoadBalancer['availabilityZones'][number];
        if (!zone.subnetId) continue;
        // The subnets were read (the runner saw to it): one that is not there was deleted, and AWS drops the zone with it.
        const subnet = index.subnet(zone.subnetId);
        if (!subnet) continue;
        const found = subnetFindingOf(index, subnet, lb.ipAddressType);
        if (found) findings.push(loadBalancerFinding(scope, lb, found));
      }
    }
    return findings;
  },
});

/** A subnet's finding for one load balancer in it: its name in the message, its resource and related resources. */
function loadBalancerFinding(scope: Scope, lb: LoadBalancer, found: SubnetFinding): RuleFinding {
  return {
    resource: loadBalancerResource(lb, scope),
    message: flat(`${found.before}${describeLoadBalancer(lb)}${found.after}`),
    fix: found.fix,
    related: {
      loadBalancerArn: lb.arn,
      // Every listener: the node in this subnet cannot be reached on any port.
      ...(found.onEveryListener && { listenerPorts: lb.listeners.map((listener) => listener.port) }),
      subnetIds: found.subnetIds,
      ...(found.routeTableIds && { routeTableIds: found.routeTableIds }),
    },
    evidence: found.evidence,
    discriminator: found.discriminator,
    severity: found.severity,
  };
}
