import { describeLoadBalancer, loadBalancerResource } from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { addressRelated, locationEvidence, placeOf, probedLoadBalancers } from '../src/engine/probe-support.js';
import { median } from '../src/engine/stats.js';
import { flat } from '../src/engine/text.js';

/** Slower than this many times the siblings' median... */
export const SLOW_FACTOR = 3;
/** ...and by at least this much, so loopback-fast siblings do not turn jitter into findings. */
export const SLOW_MARGIN_MS = 100;

const round = (ms: number) => Math.round(ms * 10) / 10;

export default defineRule({
  meta: {
    id: 'dns-address-slow',
    title: 'One resolved address of a load balancer connects far slower than the others',
    defaultSeverity: 'warning',
    category: 'reachability',
    source: 'probe',
    appliesTo: ['application', 'network', 'classic'],
    // What the probe measured stands on its own; an address the network interfaces do not place is said to be unplaced.
    requires: [],
    description: `With --probe, compares the TCP connect times of the addresses one LB name resolves to, on each listener port. For each address it takes the median connect time over its attempts that connected, and the median of the other addresses' medians; it fires when the address is more than ${SLOW_FACTOR}× slower than its siblings and at least ${SLOW_MARGIN_MS} ms slower. Only addresses of the same IP family are compared (IPv4 and IPv6 take different paths), and at least two of them must have connected. Timeouts are not "slow": dns-address-unreachable reports them.`,
    rationale:
      'All nodes of a load balancer should be equally close to a client. One node that connects far slower points to a congested or impaired AZ, a long network path (a route through another region or a firewall appliance), or packet loss that forces SYN retransmits: a share of clients see slow requests that do not show in the LB\'s averages.',
    remediation: {
      text: "Look at the AZ of the slow address: its route table (a detour through an appliance or NAT), its network ACL, and the AWS Health Dashboard for that AZ. Compare from another network to tell a path problem near the client from one in AWS. If the AZ is impaired, disable it on the LB until it recovers.",
      cli: 'lbcheck probe NAME --port 443 --attempts 10',
    },
    references: [
      { title: 'How Elastic Load Balancing works: Availability Zones and load balancer nodes', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html' },
      { title: 'Availability Zones for your Application Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-subnets.html' },
    ],
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const { lb, target } of probedLoadBalancers(ctx)) {
      const timed = target.addresses.flatMap((address) => {
        const connectTimes = address.attempts.flatMap((attempt) => (attempt.connectMs === undefined ? [] : [attempt.connectMs]));
        const value = median(connectTimes);
        return value === undefined ? [] : [{ address, connectTimes, median: value }];
      });
      for (const entry of timed) {
        // IPv4 and IPv6 take different paths from the client: an address is compared with siblings of its own family.
        const siblings = timed.filter((other) => other !== entry && other.address.family === entry.address.family);
        if (siblings.length === 0) continue;
        const siblingMedian = median(siblings.map((other) => other.median)) as number;
        if (entry.median <= SLOW_FACTOR * siblingMedian || entry.median - siblingMedian < SLOW_MARGIN_MS) continue;
        const ratio = siblingMedian > 0 ? `${Math.round(entry.median / siblingMedian)}×` : 'far';
        findings.push({
          resource: loadBalancerResource(lb, ctx.scope),
          message: flat(`IP ${entry.address.ip} of ${describeLoadBalancer(lb)} ${placeOf(entry.address)} connects on port ${target.port} in a median ${round(entry.median)} ms, ${ratio} slower than its siblings' ${round(siblingMedian)} ms; clients that resolve it get slow connections.`),
          fix: flat(`Look at ${entry.address.az ?? 'its AZ'}: its route table (a detour through an appliance or NAT), its network ACL and the AWS Health Dashboard; compare from another network with lbcheck probe ${target.host} --port ${target.port} --attempts 10, and disable the AZ on the load balancer if it is impaired.`),
          related: addressRelated(lb, entry.address, target.port),
          evidence: {
            ...locationEvidence(entry.address),
            host: target.host,
            port: target.port,
            medianConnectMs: round(entry.median),
            connectMs: entry.connectTimes,
            siblingMedianConnectMs: round(siblingMedian),
            siblings: siblings.map((other) => ({ ip: other.address.ip, availabilityZone: other.address.az, medianConnectMs: round(other.median) })),
            thresholds: { factor: SLOW_FACTOR, marginMs: SLOW_MARGIN_MS },
          },
          discriminator: `${entry.address.ip}:${target.port}`,
          severity: undefined,
        });
      }
    }
    return findings;
  },
});
