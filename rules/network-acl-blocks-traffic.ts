import { clientsOf, EPHEMERAL_PORTS, evaluateNetworkAcl, transportsOf, type AclEvaluation, type AclFlow, type Clients, type PortRange, type TransportProtocol } from '../src/engine/network.js';
import {
  describeLoadBalancer,
  loadBalancerResource,
  networkLoadBalancerGroups,
  subnetCidrsOf,
  subnetsOf,
  targetEndpointsOf,
  targetEndpointsOfGroup,
  targetPeers,
  type IpFamily,
  type LoadBalancerNode,
  type TargetEndpoint,
} from '../src/engine/targets.js';
import { getOrCreate, TupleMap } from '../src/engine/memo.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import type { InventoryIndex } from '../src/inventory/indexes.js';
import type { LoadBalancer, NetworkAcl, Subnet, TargetGroup } from '../src/inventory/model.js';
import { flat } from '../src/engine/text.js';

type Purpose = 'client-inbound' | 'client-return' | 'lb-to-target' | 'lb-return' | 'target-inbound' | 'target-return';

const EFFECT: Record<Purpose, string> = {
  'client-inbound': 'clients cannot connect to the listener',
  'client-return': 'responses to clients are dropped on the way out (network ACLs are stateless)',
  'lb-to-target': 'the load balancer cannot reach its targets in those subnets',
  'lb-return': "the targets' replies never get back to the load balancer (network ACLs are stateless)",
  'target-inbound': 'the targets do not receive traffic or health checks from the load balancer',
  'target-return': "the targets' replies to the load balancer are dropped (network ACLs are stateless)",
};

interface Group {
  acl: NetworkAcl;
  purpose: Purpose;
  protocol: TransportProtocol;
  ports: PortRange;
  /** The subnets whose use of the ACL needs the flow, each once. */
  subnetsOfAcl: string[];
  /** Each peer CIDR once: the first label it came with, and the evaluation. */
  peers: { cidr: string; label: string; evaluation: AclEvaluation }[];
}

/** One kind of flow through one ACL (the purpose fixes the direction) and the evaluation for each peer: shared by every load balancer. */
interface FlowKind {
  evaluations: Map<string, AclEvaluation>;
}

const DIRECTION: Record<Purpose, AclFlow['direction']> = {
  'client-inbound': 'inbound',
  'client-return': 'outbound',
  'lb-to-target': 'outbound',
  'lb-return': 'inbound',
  'target-inbound': 'inbound',
  'target-return': 'outbound',
};

/** One flow through one ACL for one peer, evaluated: what a load balancer's traffic adds to its groups, the same for every load balancer that needs it. */
interface FlowStep {
  kind: FlowKind;
  acl: NetworkAcl;
  /** The subnet whose use of the ACL needs the flow. */
  aclSubnet: string;
  purpose: Purpose;
  protocol: TransportProtocol;
  ports: PortRange;
  peerCidr: string;
  /** How messages name the peer; one of the load balancer's nodes is named after it ("ALB web subnet-1a"). */
  label: string;
  ofLoadBalancer: boolean;
  evaluation: AclEvaluation;
}

function portsText(ports: PortRange): string {
  return ports.from === ports.to ? String(ports.from) : `${ports.from}-${ports.to}`;
}

/** A rule number below the first deny that decided the flow and not yet used in that direction. */
function freeRuleNumber(acl: NetworkAcl, egress: boolean, evaluations: readonly AclEvaluation[]): number {
  const denies = evaluations.flatMap((e) => e.decidingEntries.filter((d) => d.action === 'deny').map((d) => d.ruleNumber));
  const used = new Set(acl.entries.filter((e) => e.egress === egress).map((e) => e.ruleNumber));
  for (let n = Math.min(...denies, 32767) - 1; n >= 1; n--) if (!used.has(n)) return n;
  return 1;
}

export default defineRule({
  meta: {
    id: 'network-acl-blocks-traffic',
    title: "A network ACL on the load balancer's or the targets' subnets blocks its traffic",
    defaultSeverity: 'error',
    category: 'reachability',
    source: 'config',
    appliesTo: ['application', 'network', 'classic'],
    requires: ['listeners', 'targetGroups', 'targetGroupAttributes', 'targetHealth', 'instances', 'subnets', 'networkAcls', 'vpcs'],
    description:
      "Network ACLs are stateless: each direction of a connection is checked on its own, entries are evaluated in ascending rule number, the first entry that matches a packet decides, and what no entry matches is denied (the '*' rule). For each load balancer this rule evaluates, exactly, every flow its traffic needs: on the LB subnets' ACL, inbound listener port from the clients and outbound ephemeral ports 1024-65535 back to them; outbound target ports (in the target group's protocols) and health-check ports (always TCP) to each target subnet and inbound ephemeral ports from it; on each target subnet's ACL, inbound target and health-check ports from each LB subnet and outbound ephemeral ports back (and, for an NLB with client IP preservation, the same to and from the clients of the target group's IP family: a dualstack NLB translates the other family's clients to its own addresses). Traffic within one subnet does not cross an ACL and is not checked. Clients are as in lb-security-group-blocks-listener (anywhere for internet-facing). Partial coverage is evaluated precisely over the whole address and port range: a flow entirely denied is an error; a flow denied only for some addresses or ports (e.g. a deny entry for one block of addresses, or only 32768-65535 allowed for return traffic) is a warning that names the denied part.",
    rationale:
      'A network ACL that drops one leg of a connection makes the load balancer look dead or flaky with nothing in its logs: SYNs time out, or replies are dropped so connections hang. Because ACLs are stateless, forgetting the ephemeral return ports is the classic mistake, and an ACL shared by several subnets can break an AZ nobody was looking at.',
    remediation: {
      text: "Add allow entries, numbered below any deny that matches, for the listener port from clients, the ephemeral ports 1024-65535 back to them, and the target and ephemeral ports between the LB's and the targets' subnets.",
      cli: 'aws ec2 create-network-acl-entry --network-acl-id acl-0123 --ingress --rule-number 100 --protocol tcp --port-range From=443,To=443 --cidr-block 0.0.0.0/0 --rule-action allow\naws ec2 create-network-acl-entry --network-acl-id acl-0123 --egress --rule-number 100 --protocol tcp --port-range From=1024,To=65535 --cidr-block 0.0.0.0/0 --rule-action allow',
      iac: 'resource "aws_network_acl_rule" "ephemeral_out" {\n  network_acl_id = aws_network_acl.public.id\n  rule_number    = 100\n  egress         = true\n  protocol       = "tcp"\n  rule_action    = "allow"\n  cidr_block     = "0.0.0.0/0"\n  from_port      = 1024\n  to_port        = 65535\n}',
    },
    references: [
      { title: 'Control subnet traffic with network access control lists', url: 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html' },
      { title: 'Configure network ACLs for your Classic Load Balancer (recommended rules, ephemeral ports 1024-65535)', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-vpc-network-acls.html' },
      { title: 'Network ACLs for Network Load Balancer targets', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-register-targets.html#network-acls' },
      { title: 'Troubleshoot your Network Load Balancer: a network ACL does not allow traffic', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-troubleshooting.html' },
    ],
  },
  // Client IP preservation (a target group attribute) decides who reaches an NLB's targets; other groups' attributes are not read.
  needs: { targetGroupAttributes: networkLoadBalancerGroups },
  check({ scope, index, settings }) {
    const findings: RuleFinding[] = [];
    const flows = new AclFlows(index);
    for (const lb of scope.loadBalancers) {
      if (lb.kind === 'gateway' || !lb.vpcId) continue;
      // Most load balancers pass every flow: ask that leg by leg first, and collect and group the flows only for one that fails.
      if (flows.eachLeg(lb, settings.clientCidrs, legAllowed)) continue;
      const steps: (readonly FlowStep[])[] = [];
      flows.eachLeg(lb, settings.clientCidrs, (leg) => steps.push(leg.steps) > 0);
      findings.push(...groupFindings(lb, scope, groupsOf(lb, steps)));
    }
    return findings;
  },
});

/** A flow there and its replies back (the steps), and whether the ACLs allow all of it: what most load balancers need to know. */
interface Leg {
  steps: readonly FlowStep[];
  allowed: boolean;
}

/** The visitor that asks whether every leg is allowed: one function, not a closure made for every load balancer. */
function legAllowed(leg: Leg): boolean {
  return leg.allowed;
}

function legOf(steps: readonly FlowStep[]): Leg {
  return { steps, allowed: steps.every((step) => step.evaluation.verdict === 'allowed') };
}

/**
 * The flows each leg of a load balancer's traffic needs through the ACLs, evaluated once per run:
 * load balancers share subnets, ACLs and target ports, so each leg is the same for every load
 * balancer it comes up for (looked up without building a key).
 */
class AclFlows {
  private readonly flowKinds = new TupleMap<readonly [NetworkAcl, Purpose, TransportProtocol, number, number], FlowKind>();
  private readonly clientLegs = new TupleMap<readonly [Subnet, TransportProtocol, number, string], Leg>();
  private readonly nodeLegs = new TupleMap<readonly [Subnet, Subnet, IpFamily, TransportProtocol, number], Leg>();
  private readonly preservedLegs = new TupleMap<readonly [Subnet, TransportProtocol, number, string], Leg>();

  constructor(private readonly index: InventoryIndex) {}

  /**
   * Hands every leg a load balancer needs to `visit`, in the order they first come up (the order
   * of the findings), until it answers false; true when it never did. Index loops: this runs for
   * every load balancer, mostly before it is optimised, where for-of allocates per element.
   */
  eachLeg(lb: LoadBalancer, clientCidrs: readonly string[], visit: (leg: Leg) => boolean): boolean {
    const index = this.index;
    // Subnets and ACLs were read (the runner saw to it): every subnet of a VPC has an ACL, its own or the default.
    const clients = clientsOf(index, lb, clientCidrs);
    const lbSubnets = subnetsOf(index, lb);
    for (let s = 0; s < lbSubnets.length; s++) {
      const lbSubnet = lbSubnets[s] as Subnet;
      const acl = index.networkAclOf(lbSubnet.id);
      if (!acl) continue;
      for (let l = 0; l < lb.listeners.length; l++) {
        const { protocol: listenerProtocol, port } = lb.listeners[l] as LoadBalancer['listeners'][number];
        const protocols = transportsOf(listenerProtocol);
        for (let p = 0; p < protocols.length; p++) {
          for (let c = 0; c < clients.cidrs.length; c++) if (!visit(this.clientLeg(lbSubnet, acl, protocols[p] as TransportProtocol, port, clients.cidrs[c] as string))) return false;
        }
      }
    }
    if (lb.kind === 'classic') return this.eachTargetLeg(lb, undefined, aclClassesOf(index, targetEndpointsOf(index, lb)), clients, visit);
    const groups = index.targetGroupsOf(lb);
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g] as TargetGroup;
      if (!this.eachTargetLeg(lb, group, aclClassesOf(index, targetEndpointsOfGroup(index, group)), clients, visit)) return false;
    }
    return true;
  }

  /** The legs between a load balancer and the targets of one group (or its registered instances), class by class. */
  private eachTargetLeg(lb: LoadBalancer, group: TargetGroup | undefined, classes: readonly AclClass[], clients: Clients, visit: (leg: Leg) => boolean): boolean {
    if (classes.length === 0) return true;
    const peers = targetPeers(this.index, lb, group, clients);
    for (let k = 0; k < classes.length; k++) {
      const { subnet: targetSubnet, flows, trafficPort, trafficProtocols } = classes[k] as AclClass;
      for (let n = 0; n < peers.nodes.length; n++) {
        const node = peers.nodes[n] as LoadBalancerNode;
        if (node.subnet.id === targetSubnet.id) continue; // same subnet: no ACL in the path
        for (let f = 0; f < flows.length; f++) {
          const { protocol, port } = flows[f] as Flow;
          if (!visit(this.nodeLeg(node, targetSubnet, peers.family, protocol, port))) return false;
        }
      }
      // Clients whose address reaches the targets unchanged (client IP preservation, the target group's family);
      // clients a dualstack NLB translates come from the nodes, which the flows above cover.
      const targetAcl = this.index.networkAclOf(targetSubnet.id);
      if (!targetAcl) continue;
      for (let c = 0; c < peers.preservedClients.length; c++) {
        for (let p = 0; p < trafficProtocols.length; p++) {
          if (!visit(this.preservedLeg(targetSubnet, targetAcl, trafficProtocols[p] as TransportProtocol, trafficPort, peers.preservedClients[c] as string))) return false;
        }
      }
    }
    return true;
  }

  // Each leg looked up first and made on a miss by its own method: a closure here would allocate on every lookup.

  /** Clients to the listener on a load balancer subnet's ACL, and the replies back to them. */
  private clientLeg(subnet: Subnet, acl: NetworkAcl, protocol: TransportProtocol, port: number, cidr: string): Leg {
    const key = [subnet, protocol, port, cidr] as const;
    return this.clientLegs.get(key) ?? this.keep(this.clientLegs, key, this.newClientLeg(subnet, acl, protocol, port, cidr));
  }

  private newClientLeg(subnet: Subnet, acl: NetworkAcl, protocol: TransportProtocol, port: number, cidr: string): Leg {
    return legOf([
      this.step(acl, subnet.id, 'client-inbound', protocol, { from: port, to: port }, cidr, 'clients'),
      this.step(acl, subnet.id, 'client-return', protocol, EPHEMERAL_PORTS, cidr, 'clients'),
    ]);
  }

  /** A load balancer node to a target subnet and back, on the node's ACL and on the target subnet's. */
  private nodeLeg(node: LoadBalancerNode, targetSubnet: Subnet, family: IpFamily, protocol: TransportProtocol, port: number): Leg {
    const key = [node.subnet, targetSubnet, family, protocol, port] as const;
    return this.nodeLegs.get(key) ?? this.keep(this.nodeLegs, key, this.newNodeLeg(node, targetSubnet, family, protocol, port));
  }

  private newNodeLeg(node: LoadBalancerNode, targetSubnet: Subnet, family: IpFamily, protocol: TransportProtocol, port: number): Leg {
    const lbAcl = this.index.networkAclOf(node.subnet.id);
    const targetAcl = this.index.networkAclOf(targetSubnet.id);
    const single = { from: port, to: port };
    const steps: FlowStep[] = [];
    // The load balancer reaches the target over the target group's IP family: IPv6 subnets and target groups too.
    for (const cidr of lbAcl ? subnetCidrsOf(targetSubnet, family) : []) {
      const label = `target subnet ${targetSubnet.id}`;
      steps.push(this.step(lbAcl as NetworkAcl, node.subnet.id, 'lb-to-target', protocol, single, cidr, label), this.step(lbAcl as NetworkAcl, node.subnet.id, 'lb-return', protocol, EPHEMERAL_PORTS, cidr, label));
    }
    for (const cidr of targetAcl ? node.cidrs : []) {
      const label = `subnet ${node.subnet.id}`;
      steps.push(this.step(targetAcl as NetworkAcl, targetSubnet.id, 'target-inbound', protocol, single, cidr, label, true), this.step(targetAcl as NetworkAcl, targetSubnet.id, 'target-return', protocol, EPHEMERAL_PORTS, cidr, label, true));
    }
    return legOf(steps);
  }

  /** Preserved clients to a target subnet's ACL, and the replies back to them. */
  private preservedLeg(subnet: Subnet, acl: NetworkAcl, protocol: TransportProtocol, port: number, cidr: string): Leg {
    const key = [subnet, protocol, port, cidr] as const;
    return this.preservedLegs.get(key) ?? this.keep(this.preservedLegs, key, this.newPreservedLeg(subnet, acl, protocol, port, cidr));
  }

  private newPreservedLeg(subnet: Subnet, acl: NetworkAcl, protocol: TransportProtocol, port: number, cidr: string): Leg {
    return legOf([
      this.step(acl, subnet.id, 'target-inbound', protocol, { from: port, to: port }, cidr, 'clients (client IP preservation)'),
      this.step(acl, subnet.id, 'target-return', protocol, EPHEMERAL_PORTS, cidr, 'clients (client IP preservation)'),
    ]);
  }

  private keep<K extends readonly unknown[]>(legs: TupleMap<K, Leg>, key: K, leg: Leg): Leg {
    legs.set(key, leg);
    return leg;
  }

  /** One flow through one ACL for one peer, evaluated once per (ACL, flow, peer). */
  private step(acl: NetworkAcl, aclSubnet: string, purpose: Purpose, protocol: TransportProtocol, ports: PortRange, peerCidr: string, label: string, ofLoadBalancer = false): FlowStep {
    const kind = getOrCreate(this.flowKinds, [acl, purpose, protocol, ports.from, ports.to], () => ({ evaluations: new Map() }));
    const evaluation = getOrCreate(kind.evaluations, peerCidr, () => evaluateNetworkAcl(acl, { direction: DIRECTION[purpose], protocol, ports, peerCidr }));
    return { kind, acl, aclSubnet, purpose, protocol, ports, peerCidr, label, ofLoadBalancer, evaluation };
  }
}

interface Flow {
  protocol: TransportProtocol;
  port: number;
}

/**
 * Targets of one target group (or a Classic LB's instances) that need the same flows: one subnet,
 * the same traffic and health-check ports (the group fixes who sends: IP family, nodes, client IP
 * preservation). Network ACLs belong to subnets and are stateless: they judge each packet by its
 * addresses, protocol and ports only, never by the instance, so every target of a class passes or
 * fails alike, and the rule checks the subnet's CIDRs, not the target's address.
 * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
 */
interface AclClass {
  subnet: Subnet;
  trafficPort: number;
  healthCheckPort: number | undefined;
  trafficProtocols: readonly TransportProtocol[];
  /** Traffic on the traffic port in the target group's protocols; health checks are always TCP (also for UDP groups). */
  flows: Flow[];
}

/** The classes of some targets, in the order they first come up (plain loops: this runs for every target group, mostly before it is optimised). */
function aclClassesOf(index: InventoryIndex, endpoints: readonly TargetEndpoint[]): AclClass[] {
  const classes: AclClass[] = [];
  for (let e = 0; e < endpoints.length; e++) {
    const endpoint = endpoints[e] as TargetEndpoint;
    const { trafficPort, healthCheckPort, trafficProtocols } = endpoint;
    if (!endpoint.subnetId || trafficPort === undefined) continue;
    const subnet = index.subnet(endpoint.subnetId);
    if (!subnet || hasClass(classes, subnet, trafficPort, healthCheckPort)) continue;
    classes.push({ subnet, trafficPort, healthCheckPort, trafficProtocols, flows: flowsOf(endpoint, trafficPort) });
  }
  return classes;
}

/** A class's flows, by push (as placeTargets in src/engine/targets.ts says why). */
function flowsOf(endpoint: TargetEndpoint, trafficPort: number): Flow[] {
  const flows: Flow[] = [];
  let tcpOnHealthCheckPort = false;
  const healthCheckPort = endpoint.healthCheckPort;
  for (let i = 0; i < endpoint.trafficProtocols.length; i++) {
    const protocol = endpoint.trafficProtocols[i] as TransportProtocol;
    flows.push({ protocol, port: trafficPort });
    if (protocol === 'tcp' && trafficPort === healthCheckPort) tcpOnHealthCheckPort = true;
  }
  if (endpoint.group?.healthCheck.enabled !== false && healthCheckPort !== undefined && !tcpOnHealthCheckPort) flows.push({ protocol: 'tcp', port: healthCheckPort });
  return flows;
}

function hasClass(classes: readonly AclClass[], subnet: Subnet, trafficPort: number, healthCheckPort: number | undefined): boolean {
  for (let c = 0; c < classes.length; c++) {
    const known = classes[c] as AclClass;
    if (known.subnet === subnet && known.trafficPort === trafficPort && known.healthCheckPort === healthCheckPort) return true;
  }
  return false;
}

/** The flows of a load balancer grouped by ACL and kind of flow, each subnet and peer once, in the order they came up. */
function groupsOf(lb: LoadBalancer, steps: readonly (readonly FlowStep[])[]): Map<FlowKind, Group> {
  const groups = new Map<FlowKind, Group>();
  for (const list of steps) {
    for (const { kind, acl, aclSubnet, purpose, protocol, ports, peerCidr, label, ofLoadBalancer, evaluation } of list) {
      const group = getOrCreate(groups, kind, () => ({ acl, purpose, protocol, ports, subnetsOfAcl: [], peers: [] }));
      if (!group.subnetsOfAcl.includes(aclSubnet)) group.subnetsOfAcl.push(aclSubnet);
      if (!group.peers.some((peer) => peer.cidr === peerCidr)) group.peers.push({ cidr: peerCidr, label: ofLoadBalancer ? `${describeLoadBalancer(lb)} ${label}` : label, evaluation });
    }
  }
  return groups;
}

/**
 * The listener ports clients cannot connect on because of a client-side flow (the listener
 * port inbound, or the return ports of every listener of that protocol outbound); none for
 * the flows between the load balancer and its targets, which fail requests, not connections.
 */
function clientListenerPorts(lb: LoadBalancer, group: Group): number[] | undefined {
  if (group.purpose === 'client-inbound') return [group.ports.from];
  if (group.purpose !== 'client-return') return undefined;
  return lb.listeners.filter((listener) => transportsOf(listener.protocol).includes(group.protocol)).map((listener) => listener.port);
}

function groupFindings(lb: LoadBalancer, scope: Parameters<typeof loadBalancerResource>[1], groups: Map<FlowKind, Group>): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const group of groups.values()) {
    const failing = group.peers.filter((p) => p.evaluation.verdict !== 'allowed').map((p) => [p.cidr, p] as const);
    if (failing.length === 0) continue;
    const inbound = group.purpose === 'client-inbound' || group.purpose === 'lb-return' || group.purpose === 'target-inbound';
    const allDenied = failing.every(([, p]) => p.evaluation.verdict === 'denied');
    const port = `${group.protocol.toUpperCase()} ${portsText(group.ports)}`;
    const peers = failing.map(([cidr, p]) => `${p.label} (${cidr})`).join(', ');
    // 32767 is the '*' entry AWS adds to every ACL; reports of it read as "nothing allows this".
    const deciding = failing.flatMap(([, p]) => p.evaluation.decidingEntries.filter((d) => d.action === 'deny' && d.ruleNumber !== 32767));
    // Entries that allow only private ranges to internet clients decide nothing that matters: say so rather than "no entry allows it".
    const allowing = [...new Set(failing.flatMap(([, p]) => p.evaluation.decidingEntries.filter((d) => d.action === 'allow').map((d) => d.cidr)))];
    const decidedBy = deciding[0]
      ? `entry ${deciding[0].ruleNumber} denies ${deciding[0].cidr}`
      : allowing.length
        ? `it allows only ${allowing.join(', ')}, addresses no internet client has`
        : 'no entry allows it, so the default * entry denies it';
    const deniedParts = [...new Set(failing.flatMap(([, p]) => p.evaluation.denied))];
    const ruleNumber = freeRuleNumber(group.acl, !inbound, failing.map(([, p]) => p.evaluation));
    const firstPeer = failing[0]?.[0] ?? '0.0.0.0/0';
    const cidrFlag = firstPeer.includes(':') ? `--ipv6-cidr-block ${firstPeer}` : `--cidr-block ${firstPeer}`;
    const fix = `aws ec2 create-network-acl-entry --network-acl-id ${group.acl.id} ${inbound ? '--ingress' : '--egress'} --rule-number ${ruleNumber} --protocol ${group.protocol} --port-range From=${group.ports.from},To=${group.ports.to} ${cidrFlag} --rule-action allow`;
    const subnets = group.subnetsOfAcl.join(', ');
    const message = allDenied
      ? `Network ACL ${group.acl.id} (subnets ${subnets}) denies ${inbound ? 'inbound' : 'outbound'} ${port} ${inbound ? 'from' : 'to'} ${peers} (${decidedBy}), so ${EFFECT[group.purpose]} for ${describeLoadBalancer(lb)}.`
      : `Network ACL ${group.acl.id} (subnets ${subnets}) denies part of ${inbound ? 'inbound' : 'outbound'} ${port} ${inbound ? 'from' : 'to'} ${peers} (${deniedParts.slice(0, 3).join('; ')}), so for those ${EFFECT[group.purpose]} for ${describeLoadBalancer(lb)}.`;
    findings.push({
      resource: loadBalancerResource(lb, scope),
      message: flat(message),
      fix: flat(allDenied ? `Run ${fix}.` : `If that is not intended, run ${fix}.`),
      related: {
        loadBalancerArn: lb.arn,
        ...(clientListenerPorts(lb, group) && { listenerPorts: clientListenerPorts(lb, group) }),
        subnetIds: [...group.subnetsOfAcl],
        networkAclIds: [group.acl.id],
      },
      evidence: {
        networkAclId: group.acl.id,
        aclSubnetIds: [...group.subnetsOfAcl],
        purpose: group.purpose,
        direction: inbound ? 'inbound' : 'outbound',
        protocol: group.protocol,
        ports: portsText(group.ports),
        peers: failing.map(([cidr, p]) => ({ cidr, what: p.label, verdict: p.evaluation.verdict, decidingEntries: p.evaluation.decidingEntries, denied: p.evaluation.denied })),
        entries: group.acl.entries
          .filter((e) => e.egress === !inbound)
          .sort((a, b) => a.ruleNumber - b.ruleNumber)
          .map((e) => ({ ruleNumber: e.ruleNumber, action: e.action, protocol: e.protocol, cidr: e.cidrBlock ?? e.ipv6CidrBlock, ports: e.portRange ? `${e.portRange.from}-${e.portRange.to}` : 'all' })),
      },
      discriminator: `${group.acl.id}|${group.purpose}|${group.protocol}/${portsText(group.ports)}`,
      severity: allDenied ? undefined : 'warning',
    });
  }
  return findings;
}
