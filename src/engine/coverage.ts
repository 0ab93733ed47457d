/** What an audit could not see, read from its notChecked entries. */
import type { NotChecked } from '../inventory/model.js';

/**
 * A listing of load balancers that failed, or a scope nothing could be read from (unreachable,
 * credentials refused, a role that could not be assumed): the audit cannot vouch for what it never saw.
 */
export function isFailedListing(entry: NotChecked): boolean {
  return /DescribeLoadBalancers|^region |^everything for |^account /.test(entry.what);
}
