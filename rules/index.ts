/**
 * The explicit, sorted registry of every rule. One import per rule file; the file
 * name is the rule id. test/unit/registry.test.ts keeps this list, the files, the
 * docs and the tests in step.
 */
import { validateRegistry } from '../src/engine/registry.js';
import type { Rule } from '../src/engine/types.js';
import azWithoutHealthyTargets from './az-without-healthy-targets.js';
import dnsAddressSlow from './dns-address-slow.js';
import dnsAddressUnreachable from './dns-address-unreachable.js';
import idleTimeoutExceedsTargetKeepalive from './idle-timeout-exceeds-target-keepalive.js';
import internetFacingSubnetWithoutIgwRoute from './internet-facing-subnet-without-igw-route.js';
import lbSecurityGroupBlocksListener from './lb-security-group-blocks-listener.js';
import networkAclBlocksTraffic from './network-acl-blocks-traffic.js';
import singleAzLoadBalancer from './single-az-load-balancer.js';
import targetGroupWithoutHealthyTargets from './target-group-without-healthy-targets.js';
import targetSecurityGroupBlocksLb from './target-security-group-blocks-lb.js';

export const rules: readonly Rule[] = [
  azWithoutHealthyTargets,
  dnsAddressSlow,
  dnsAddressUnreachable,
  idleTimeoutExceedsTargetKeepalive,
  internetFacingSubnetWithoutIgwRoute,
  lbSecurityGroupBlocksListener,
  networkAclBlocksTraffic,
  singleAzLoadBalancer,
  targetGroupWithoutHealthyTargets,
  targetSecurityGroupBlocksLb,
];

let validated: readonly Rule[] | undefined;

/** Every registered rule, in registry order (sorted by id), checked once (src/engine/registry.ts). */
export function allRules(): readonly Rule[] {
  validated ??= validateRegistry(rules);
  return validated;
}
