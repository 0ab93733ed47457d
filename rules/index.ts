/**
 * The explicit, sorted registry of every rule. One import per rule file; the file
 * name is the rule id. test/unit/registry.test.ts keeps this list, the files, the
 * docs and the tests in step.
 */
import { validateRegistry } from '../src/engine/registry.js';
import type { Rule } from '../src/engine/types.js';
import accessLogsDisabled from './access-logs-disabled.js';
import albInvalidHeaderFieldsNotDropped from './alb-invalid-header-fields-not-dropped.js';
import azWithoutHealthyTargets from './az-without-healthy-targets.js';
import certificateDiffersBetweenAddresses from './certificate-differs-between-addresses.js';
import certificateNearExpiry from './certificate-near-expiry.js';
import classicConnectionDrainingDisabled from './classic-connection-draining-disabled.js';
import crossZoneLoadBalancingDisabled from './cross-zone-load-balancing-disabled.js';
import deletionProtectionDisabled from './deletion-protection-disabled.js';
import desyncMitigationMonitor from './desync-mitigation-monitor.js';
import dnsAddressSlow from './dns-address-slow.js';
import dnsAddressUnreachable from './dns-address-unreachable.js';
import healthCheckMatcherAcceptsErrors from './health-check-matcher-accepts-errors.js';
import healthCheckSlowFailureDetection from './health-check-slow-failure-detection.js';
import healthCheckTimeoutNotBelowInterval from './health-check-timeout-not-below-interval.js';
import httpListenerWithoutHttpsRedirect from './http-listener-without-https-redirect.js';
import idleTimeoutExceedsTargetKeepalive from './idle-timeout-exceeds-target-keepalive.js';
import internetFacingSubnetWithoutIgwRoute from './internet-facing-subnet-without-igw-route.js';
import lbSecurityGroupBlocksListener from './lb-security-group-blocks-listener.js';
import loadBalancerWithoutListener from './load-balancer-without-listener.js';
import networkAclBlocksTraffic from './network-acl-blocks-traffic.js';
import singleAzLoadBalancer from './single-az-load-balancer.js';
import subnetTooSmallToScale from './subnet-too-small-to-scale.js';
import targetGroupWithoutHealthyTargets from './target-group-without-healthy-targets.js';
import targetSecurityGroupBlocksLb from './target-security-group-blocks-lb.js';
import targetsInUnservedAz from './targets-in-unserved-az.js';
import tlsListenerPolicyNotRecommended from './tls-listener-policy-not-recommended.js';
import tlsListenerWeakPolicy from './tls-listener-weak-policy.js';
import unevenAzCapacity from './uneven-az-capacity.js';

export const rules: readonly Rule[] = [
  accessLogsDisabled,
  albInvalidHeaderFieldsNotDropped,
  azWithoutHealthyTargets,
  certificateDiffersBetweenAddresses,
  certificateNearExpiry,
  classicConnectionDrainingDisabled,
  crossZoneLoadBalancingDisabled,
  deletionProtectionDisabled,
  desyncMitigationMonitor,
  dnsAddressSlow,
  dnsAddressUnreachable,
  healthCheckMatcherAcceptsErrors,
  healthCheckSlowFailureDetection,
  healthCheckTimeoutNotBelowInterval,
  httpListenerWithoutHttpsRedirect,
  idleTimeoutExceedsTargetKeepalive,
  internetFacingSubnetWithoutIgwRoute,
  lbSecurityGroupBlocksListener,
  loadBalancerWithoutListener,
  networkAclBlocksTraffic,
  singleAzLoadBalancer,
  subnetTooSmallToScale,
  targetGroupWithoutHealthyTargets,
  targetSecurityGroupBlocksLb,
  targetsInUnservedAz,
  tlsListenerPolicyNotRecommended,
  tlsListenerWeakPolicy,
  unevenAzCapacity,
];

let validated: readonly Rule[] | undefined;

/** Every registered rule, in registry order (sorted by id), checked once (src/engine/registry.ts). */
export function allRules(): readonly Rule[] {
  validated ??= validateRegistry(rules);
  return validated;
}
