import { describeLoadBalancer, loadBalancerResource } from '../src/engine/targets.js';
import { defineRule, type Finding, type RuleContext, type RuleFinding } from '../src/engine/types.js';
import type { LoadBalancer } from '../src/inventory/model.js';
import { acceptedConnection, addressRelated, CONNECT_FAILURES, locationEvidence, placeOf, probedLoadBalancers, relatedConfigFindings } from '../src/engine/probe-support.js';
import type { AttemptOutcome, ProbeAddress, ProbeAttempt, ProbeTarget } from '../src/inventory/probe-report.js';
import { flat } from '../src/engine/text.js';

const VERBS: Partial<Record<AttemptOutcome, string>> = {
  timeout: 'times out',
  refused: 'refuses connections',
  reset: 'resets connections',
  unreachable: 'is unreachable',
};

/** How a related config finding reads as the cause of an address's failure. */
function causeText(finding: Finding, address: ProbeAddress, port: number): string {
  const { related } = finding;
  switch (finding.ruleId) {
    case 'internet-facing-subnet-without-igw-route':
      return `its subnet ${address.subnetId ?? related.subnetIds?.[0] ?? ''} has no route to an internet gateway`;
    case 'network-acl-blocks-traffic':
      return `network ACL ${related.networkAclIds?.join(', ') ?? ''} on its subnet blocks the traffic`;
    case 'lb-security-group-blocks-listener':
      return `the load balancer's security groups ${related.securityGroupIds?.join(', ') ?? ''} do not admit port ${port} from everywhere`;
    default:
      return `a related finding says clients cannot connect on port ${port}`;
  }
}

/**
 * Errors that say this machine could not even try: no route for the address family (no
 * IPv6 here), or no buffer to send with. Facts about where lbcheck runs, not about the load
 * balancer. (Out of file descriptors, EMFILE/ENFILE, the probe never records as an attempt:
 * src/probe/descriptors.ts LOCAL_LIMIT_CODES, listed as not checked.)
 */
const LOCAL_ERRORS = /ENETUNREACH|EADDRNOTAVAIL|ENOBUFS/;

function failedLocally(attempt: ProbeAttempt): boolean {
  return attempt.outcome === 'unreachable' && LOCAL_ERRORS.test(attempt.error ?? '');
}

const NOTHING_ANSWERED = 'nothing lbcheck probed accepted a connection from this machine, so the fault may be this machine\'s own network access';

function explanation(related: readonly Finding[], address: ProbeAddress, port: number, nothingAnswered: boolean): string {
  if (related.length === 0 && nothingAnswered) return NOTHING_ANSWERED;
  if (related.length === 0) return 'no configuration finding explains it';
  return related
    .map((finding) => `${causeText(finding, address, port)} (${finding.ruleId})`)
    .filter((text, i, all) => all.indexOf(text) === i)
    .join('; ');
}

/** The fixes of the findings that explain the failure, else where to look. */
function fixOf(related: readonly Finding[], nothingAnswered: boolean, lb: LoadBalancer): string {
  // Each related fix is a sentence: joined as one, with a single full stop.
  if (related.length > 0) return `${[...new Set(related.map((finding) => finding.fix.replace(/\.$/, '')))].join('; then ')}.`;
  if (nothingAnswered) return 'Make sure this machine can reach the load balancers at all (firewall, proxy, VPN, internet access), then probe again.';
  return `Look at the node itself: its health in the AWS Health Dashboard, and routes and network ACLs outside this scope; disable the AZ on the load balancer until it is fixed (${
    lb.kind === 'classic' ? 'aws elb detach-load-balancer-from-subnets' : 'aws elbv2 set-subnets'
  }).`;
}

export default defineRule({
  meta: {
    id: 'dns-address-unreachable',
    title: 'A resolved address of a load balancer does not accept connections',
    defaultSeverity: 'error',
    category: 'reachability',
    source: 'probe',
    appliesTo: ['application', 'network', 'classic'],
    // What the probe measured stands on its own; an address the network interfaces do not place is said to be unplaced.
    requires: [],
    description:
      "With --probe, lbcheck resolves every load balancer's DNS name and connects to every address on every listener port, several times. This rule fires for each address where an attempt did not connect (timeout, refused, reset, unreachable) while the check expected it to: the LB is internet-facing, or it is internal and a sibling address connected (so lbcheck runs where the LB's clients are). It is an error when every attempt failed and a warning when only some did (an intermittent node). Internal LBs that nothing could reach from here are reported as skipped, not as findings; an attempt this machine could not make (no IPv6 route, ENETUNREACH) is not held against the LB, and one it had no file descriptor for (EMFILE) is listed as not checked. The message names the address's AZ, subnet and network interface, and the config findings on that subnet that explain the failure; when no address of any load balancer connected at all, it says to check this machine's own network access first.",
    rationale:
      "DNS hands each client one of the LB's node addresses. When one node is broken, the clients that pick it hang until their connect timeout while everyone else works, and tools such as curl move on to the next address and hide it. The result looks like an intermittent application problem and is often blamed on the backend or the database.",
    remediation: {
      text: "Fix the AZ the failing address lives in: give its subnet a default route to the internet gateway (internet-facing), let its network ACL and the LB's security groups admit the listener port and the ephemeral return ports, or disable that AZ on the LB until it is fixed.",
      cli: 'aws ec2 describe-network-interfaces --filters Name=addresses.association.public-ip,Values=IP\naws ec2 create-route --route-table-id rtb-0123 --destination-cidr-block 0.0.0.0/0 --gateway-id igw-0123',
    },
    references: [
      { title: 'Availability Zones and load balancer nodes', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html#availability-zones' },
      { title: 'Troubleshoot your Application Load Balancers: the load balancer does not respond', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html' },
      { title: 'Connect to the internet using an internet gateway', url: 'https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html' },
    ],
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    // When not one address of any load balancer connected, the likeliest fault is this machine's own
    // network: the findings still stand (one LB may really be down), but they say so.
    const nothingAnswered = !(ctx.probe?.targets ?? []).some((target) => target.addresses.some(acceptedConnection));
    for (const { lb, target } of probedLoadBalancers(ctx)) {
      const reachedFromHere = target.addresses.some(acceptedConnection);
      if (lb.scheme === 'internal' && !reachedFromHere) continue;
      for (const address of target.addresses) {
        const tested = address.attempts.filter((attempt) => !failedLocally(attempt));
        const failures = tested.filter((attempt) => CONNECT_FAILURES.has(attempt.outcome));
        if (failures.length === 0) continue;
        findings.push(unreachableFinding(ctx, lb, target, address, failures.length, tested.length, nothingAnswered));
      }
    }
    return findings;
  },
});

function unreachableFinding(
  ctx: RuleContext,
  lb: LoadBalancer,
  target: ProbeTarget,
  address: ProbeAddress,
  failed: number,
  total: number,
  nothingAnswered: boolean,
): RuleFinding {
  const outcomes = [...new Set(address.attempts.filter((a) => CONNECT_FAILURES.has(a.outcome) && !failedLocally(a)).map((a) => a.outcome))];
  const verb = outcomes.map((outcome) => VERBS[outcome] ?? outcome).join(' and ');
  const related = relatedConfigFindings(ctx, lb, address, target.port);
  const share = total === 1 ? 'in its one attempt' : failed === total ? `in all ${total} attempts` : `in ${failed} of ${total} attempts`;
  return {
    resource: loadBalancerResource(lb, ctx.scope),
    message: flat(`IP ${address.ip} of ${describeLoadBalancer(lb)} ${placeOf(address)} ${verb} on port ${target.port} ${share}; ${explanation(related, address, target.port, nothingAnswered)}.`),
    fix: fixOf(related, nothingAnswered, lb),
    related: addressRelated(lb, address, target.port),
    evidence: {
      ...locationEvidence(address),
      host: target.host,
      port: target.port,
      protocol: target.protocol,
      scheme: lb.scheme,
      failedAttempts: failed,
      totalAttempts: total,
      attempts: address.attempts,
      siblingAddresses: target.addresses.filter((other) => other !== address).map((other) => other.ip),
      relatedFindings: related.map((finding) => ({ ruleId: finding.ruleId, fingerprint: finding.fingerprint, message: finding.message })),
      nothingAcceptedFromHere: nothingAnswered,
    },
    discriminator: `${address.ip}:${target.port}`,
    severity: failed === total ? 'error' : 'warning',
  };
}
