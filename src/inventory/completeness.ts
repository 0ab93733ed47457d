/**
 * What the collector could not read, per scope: each failed call is an `Unread` entry
 * naming its collection. These helpers name the collection a call reads and say how
 * completely a scope's collection was read.
 */
import type { Collection, Scope } from './model.js';

/** The collection each AWS call reads (IAM action names; Classic and elbv2 share theirs). */
export const COLLECTION_OF_CALL: Readonly<Record<string, Collection>> = {
  'elasticloadbalancing:DescribeLoadBalancers': 'loadBalancers',
  'elasticloadbalancing:DescribeTargetGroups': 'targetGroups',
  'elasticloadbalancing:DescribeListeners': 'listeners',
  'elasticloadbalancing:DescribeRules': 'listenerRules',
  'elasticloadbalancing:DescribeListenerAttributes': 'listenerAttributes',
  'elasticloadbalancing:DescribeLoadBalancerAttributes': 'loadBalancerAttributes',
  'elasticloadbalancing:DescribeTargetGroupAttributes': 'targetGroupAttributes',
  'elasticloadbalancing:DescribeTargetHealth': 'targetHealth',
  'elasticloadbalancing:DescribeInstanceHealth': 'targetHealth',
  'elasticloadbalancing:DescribeTags': 'tags',
  'ec2:DescribeVpcs': 'vpcs',
  'ec2:DescribeSubnets': 'subnets',
  'ec2:DescribeRouteTables': 'routeTables',
  'ec2:DescribeInternetGateways': 'internetGateways',
  'ec2:DescribeEgressOnlyInternetGateways': 'egressOnlyInternetGateways',
  'ec2:DescribeNatGateways': 'natGateways',
  'ec2:DescribeSecurityGroups': 'securityGroups',
  'ec2:DescribeNetworkAcls': 'networkAcls',
  'ec2:DescribeNetworkInterfaces': 'networkInterfaces',
  'ec2:DescribeInstances': 'instances',
  'ec2:DescribeManagedPrefixLists': 'prefixLists',
  'ec2:GetManagedPrefixListEntries': 'prefixListEntries',
  'elasticloadbalancing:DescribeSSLPolicies': 'tlsPolicies',
  'elasticloadbalancing:DescribeLoadBalancerPolicies': 'tlsPolicies',
};

export function collectionOfCall(call: string): Collection | undefined {
  return COLLECTION_OF_CALL[call];
}

/** How completely a scope's collection was read: `fully`, `partly` (some calls or pages failed), or `none`. */
export function readState(scope: Pick<Scope, 'unread'>, collection: Collection): 'fully' | 'partly' | 'none' {
  const gaps = scope.unread.filter((gap) => gap.collection === collection);
  if (gaps.length === 0) return 'fully';
  return gaps.some((gap) => gap.resources === undefined && gap.read === 'none') ? 'none' : 'partly';
}
