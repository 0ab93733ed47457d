import { describeLoadBalancer, loadBalancerResource, subnetIdsOf } from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { flat } from '../src/engine/text.js';

/** AWS: an ALB's (and Classic LB's) subnets need "at least 8 free IP addresses" to scale. */
export const MIN_FREE_ADDRESSES = 8;
/**
 * lbcheck's margin: twice AWS's minimum. A scaling load balancer adds nodes (new network
 * interfaces) before it removes old ones, and other resources in the subnet (instances, Lambda
 * ENIs, endpoints) take addresses too, so a subnet just above 8 is one scaling event or one
 * deployment away from blocking the next.
 */
export const WARN_FREE_ADDRESSES = 16;

export default defineRule({
  meta: {
    id: 'subnet-too-small-to-scale',
    title: 'Subnet of an ALB or Classic LB has too few free IP addresses for the load balancer to scale',
    defaultSeverity: 'warning',
    category: 'resilience',
    source: 'config',
    requires: ['subnets'],
    appliesTo: ['application', 'classic'],
    description: `For each subnet of an Application or Classic Load Balancer, reads AvailableIpAddressCount (returned by DescribeSubnets, which the audit makes anyway: no extra AWS call) and reports an error when fewer than ${MIN_FREE_ADDRESSES} addresses are free (AWS's stated minimum) and a warning when fewer than ${WARN_FREE_ADDRESSES} are (lbcheck's margin: twice the minimum, because a scaling load balancer adds nodes before it removes old ones and other resources share the subnet). Network and Gateway Load Balancers keep one fixed address per AZ and are not checked. Subnets that were not collected are left alone.`,
    rationale:
      'An ALB or Classic LB scales by adding nodes, each a network interface with an address in every enabled subnet. When a subnet has no free addresses, scaling fails in that AZ: under a traffic spike the load balancer cannot grow, requests queue and fail with 503s, and AWS may be unable to replace a failed node. It shows only under load, when it is hardest to fix.',
    remediation: {
      text: `Free addresses in the subnet (move other resources out), or move the load balancer to a larger subnet: AWS asks for at least a /27 with ${MIN_FREE_ADDRESSES} free addresses; a dedicated /24 per AZ for load balancers leaves room.`,
      cli: 'aws ec2 create-subnet --vpc-id vpc-0123 --availability-zone us-east-1a --cidr-block 10.0.64.0/24\naws elbv2 set-subnets --load-balancer-arn arn:aws:elasticloadbalancing:...:loadbalancer/app/web/0123 --subnets subnet-new-a subnet-new-b',
    },
    references: [
      { title: 'Application Load Balancers: subnets for your load balancer ("at least a /27 bitmask ... and at least 8 free IP addresses")', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer' },
      { title: 'Classic Load Balancers in a VPC: subnets', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-manage-subnets.html' },
    ],
  },
  check({ scope, index }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      if (lb.kind !== 'application' && lb.kind !== 'classic') continue;
      for (const subnetId of subnetIdsOf(lb)) {
        const subnet = index.subnet(subnetId);
        const free = subnet?.availableIpAddressCount;
        if (free === undefined || free >= WARN_FREE_ADDRESSES) continue;
        const belowMinimum = free < MIN_FREE_ADDRESSES;
        findings.push({
          resource: loadBalancerResource(lb, scope),
          message: flat(`Subnet ${subnetId} (${subnet?.availabilityZone ?? 'AZ unknown'}${subnet?.cidrBlock ? `, ${subnet.cidrBlock}` : ''}) of ${describeLoadBalancer(lb)} has ${free} free IP addresses, ${belowMinimum ? `below the ${MIN_FREE_ADDRESSES} AWS requires` : `under lbcheck's margin of ${WARN_FREE_ADDRESSES}`}, so the load balancer ${belowMinimum ? 'cannot' : 'may not'} scale in that AZ under load.`),
          fix: flat(`Free addresses there or move it to a larger subnet (aws ${lb.kind === 'classic' ? 'elb attach-load-balancer-to-subnets' : 'elbv2 set-subnets'}).`),
          related: { loadBalancerArn: lb.arn, subnetIds: [subnetId] },
          evidence: { subnetId, availabilityZone: subnet?.availabilityZone, cidrBlock: subnet?.cidrBlock, availableIpAddressCount: free, minimum: MIN_FREE_ADDRESSES, warnBelow: WARN_FREE_ADDRESSES },
          discriminator: subnetId,
          severity: belowMinimum ? 'error' : 'warning',
        });
      }
    }
    return findings;
  },
});
