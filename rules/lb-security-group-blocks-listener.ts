import { authorizeCommand, clientsOf, evaluateSecurityGroups, transportsOf, type Clients, type SecurityGroupEvaluation, type TransportProtocol } from '../src/engine/network.js';
import { describeLoadBalancer, loadBalancerResource } from '../src/engine/targets.js';
import { ANY_IPV4, cidrContains } from '../src/inventory/cidr.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import type { Listener, LoadBalancer, Scope } from '../src/inventory/model.js';
import { flat } from '../src/engine/text.js';

/** Whether a gap ("a.b.c.d/n" or "first-last") starts inside a client CIDR. */
function cidrOverlapsRange(clientCidr: string, gap: string): boolean {
  const first = gap.split(/[-/]/)[0] ?? '';
  return cidrContains(clientCidr, first);
}

/** " (they admit it only from 10.0.0.0/8, addresses no internet client has)" when CIDR rules matched the port but admit no client. */
function privateOnly(considered: readonly { source: string }[]): string {
  const sources = [...new Set(considered.map((c) => c.source))];
  return sources.length ? ` (they admit it only from ${sources.join(', ')}, addresses no internet client has)` : '';
}

export default defineRule({
  meta: {
    id: 'lb-security-group-blocks-listener',
    title: "Load balancer security groups do not admit the listener port from its clients",
    defaultSeverity: 'error',
    category: 'reachability',
    source: 'config',
    appliesTo: ['application', 'network', 'classic'],
    requires: ['listeners', 'securityGroups', 'prefixLists', 'prefixListEntries', 'vpcs'],
    description:
      "For each listener of a load balancer that has security groups (ALB, Classic LB in a VPC, NLB created with security groups), checks that the union of the groups' inbound rules admits the listener port and protocol (TCP; UDP for UDP listeners; both for TCP_UDP) from all of its clients. Clients are anywhere (0.0.0.0/0, plus ::/0 for dualstack; only ::/0 for dualstack-without-public-ipv4) for internet-facing load balancers; for internal ones, the clientCidrs of .lbcheck.yml, else the VPC's CIDRs (an assumption: an internal LB serves its own VPC). Rules match on protocol 'all' or the same protocol and a port range holding the port; CIDR rules and resolved prefix lists must together cover every client range: a narrower range only partly admits (warning), and admitting only private or other special-purpose ranges (say the VPC's own CIDR) to an internet-facing LB admits no client at all (error). A rule referencing another security group cannot be judged for internal clients (info); an unresolvable prefix list makes the result unknown (warning), never a certain block. NLBs without security groups are skipped: nothing on the LB filters traffic.",
    rationale:
      'A listener its security group does not admit looks like a dead load balancer from outside: connections time out with no response and no log line, while the LB, its targets and its health checks all look fine in the console.',
    remediation: {
      text: "Add an inbound rule for the listener port from the clients' CIDRs (0.0.0.0/0 and ::/0 for a public LB) to one of the load balancer's security groups.",
      cli: 'aws ec2 authorize-security-group-ingress --group-id sg-0123 --protocol tcp --port 443 --cidr 0.0.0.0/0\naws ec2 authorize-security-group-ingress --group-id sg-0123 --ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,Ipv6Ranges=[{CidrIpv6=::/0}]',
      iac: 'resource "aws_vpc_security_group_ingress_rule" "https" {\n  security_group_id = aws_security_group.lb.id\n  ip_protocol       = "tcp"\n  from_port         = 443\n  to_port           = 443\n  cidr_ipv4         = "0.0.0.0/0"\n}',
    },
    references: [
      { title: 'Security groups for your Application Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html' },
      { title: 'Update the security groups for your Network Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html' },
      { title: 'Configure security groups for your Classic Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-vpc-security-groups.html' },
      { title: 'Security group rules', url: 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html' },
    ],
  },
  check({ scope, index, settings }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      if (lb.kind === 'gateway' || lb.securityGroupIds.length === 0) continue;
      const clients = clientsOf(index, lb, settings.clientCidrs);
      // No client range at all (an internal LB outside any VPC lbcheck read): nothing to compare with.
      if (clients.cidrs.length === 0) continue;
      // Index loops: they run for every load balancer, mostly before they are optimised, where for-of allocates per element.
      for (let l = 0; l < lb.listeners.length; l++) {
        const listener = lb.listeners[l] as Listener;
        const protocols = transportsOf(listener.protocol);
        for (let p = 0; p < protocols.length; p++) {
          const protocol = protocols[p] as TransportProtocol;
          const result = evaluateSecurityGroups(index, lb.securityGroupIds, 'ingress', { protocol, port: listener.port }, { cidrs: clients.cidrs, securityGroupIds: [] });
          if (result.verdict === 'allowed') continue;
          findings.push(listenerFinding(scope, lb, clients, listener, protocol, result));
        }
      }
    }
    return findings;
  },
});

/** The finding for a listener port the load balancer's security groups do not (fully) admit its clients on: made only for one (most load balancers have none), outside the loop over them. */
function listenerFinding(scope: Scope, lb: LoadBalancer, clients: Clients, listener: Listener, protocol: TransportProtocol, result: SecurityGroupEvaluation): RuleFinding {
  const resource = loadBalancerResource(lb, scope);
  const groups = lb.securityGroupIds.join(', ');
  const port = `${protocol.toUpperCase()} ${listener.port}`;
  const evidence = {
    listenerPort: listener.port,
    listenerProtocol: listener.protocol,
    protocol,
    securityGroupIds: lb.securityGroupIds,
    clients: clients.cidrs,
    clientsSource: clients.source,
    rulesConsidered: result.considered,
    notAdmitted: result.notAdmitted,
    otherGroupReferences: result.otherGroupReferences,
    unresolved: result.unresolved,
  };
  // Name a client CIDR the groups do not fully admit (a gap such as 0.0.0.0-9.255.255.255 is not a CIDR AWS takes).
  const firstGap = clients.cidrs.find((c) => result.notAdmitted.some((gap) => cidrOverlapsRange(c, gap))) ?? clients.cidrs[0] ?? ANY_IPV4;
  const fix = authorizeCommand('ingress', lb.securityGroupIds[0] ?? '<security group>', protocol, listener.port, { cidr: firstGap });
  const discriminator = `${protocol}/${listener.port}`;
  const related = { loadBalancerArn: lb.arn, listenerPorts: [listener.port], securityGroupIds: lb.securityGroupIds };
  if (lb.scheme === 'internal' && result.otherGroupReferences.length > 0) {
    return {
      resource,
      message: flat(`${describeLoadBalancer(lb)}'s security groups (${groups}) admit ${port} only from security group(s) ${result.otherGroupReferences.join(', ')} and not from all of ${clients.cidrs.join(', ')}; lbcheck cannot tell whether your clients are in those groups.`),
      fix: 'Check that your clients are in those groups, or set clientCidrs in .lbcheck.yml so lbcheck checks them by address.',
      // Not known to block anyone: not a cause a probe failure could be traced to.
      related: { loadBalancerArn: lb.arn, securityGroupIds: lb.securityGroupIds },
      evidence,
      discriminator,
      severity: 'info',
    };
  }
  if (result.verdict === 'unknown') {
    return {
      resource,
      message: flat(`${describeLoadBalancer(lb)}'s security groups (${groups}) do not admit ${port} from ${result.notAdmitted.join(', ')} with the rules lbcheck could read, and ${result.unresolved.join(', ')} could not be resolved, so the listener may be blocked.`),
      fix: flat(`Check ${result.unresolved.join(', ')} and, if needed, run ${fix}.`),
      related,
      evidence,
      discriminator,
      severity: 'warning',
    };
  }
  // A whole client range left out (say ::/0 on a dualstack LB) is a block for those clients, not a narrowing.
  const wholeRangesBlocked = clients.cidrs.filter((c) => result.notAdmitted.includes(c));
  const partial = result.verdict === 'partial' && wholeRangesBlocked.length === 0;
  if (result.verdict === 'partial' && !partial) {
    return {
      resource,
      message: flat(`${describeLoadBalancer(lb)}'s security groups (${groups}) do not admit ${port} from ${wholeRangesBlocked.join(', ')}, so those clients' connections to the listener time out.`),
      fix: flat(`Run ${authorizeCommand('ingress', lb.securityGroupIds[0] ?? '<security group>', protocol, listener.port, { cidr: wholeRangesBlocked[0] ?? ANY_IPV4 })}.`),
      related,
      evidence,
      discriminator,
      severity: undefined,
    };
  }
  return {
    resource,
    message: flat(
      partial
        ? `${describeLoadBalancer(lb)}'s security groups (${groups}) admit ${port} from only part of its clients (${clients.source}): ${result.notAdmitted.slice(0, 3).join(', ')} cannot connect.`
        : `${describeLoadBalancer(lb)}'s security groups (${groups}) do not admit ${port} from its clients (${clients.source})${privateOnly(result.considered)}, so connections to the listener time out.`,
    ),
    fix: flat(partial ? `If that is not intended, run ${fix}.` : `Run ${fix}.`),
    related,
    evidence,
    discriminator,
    severity: partial ? 'warning' : undefined,
  };
}
