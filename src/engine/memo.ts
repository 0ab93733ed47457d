/**
 * Rules evaluate the same security groups or network ACL flows for many targets and load
 * balancers: `memoizeBy` computes each distinct input once per rule run, keyed by a string
 * the caller builds from what the result depends on.
 */
export function memoizeBy<A extends unknown[], R>(key: (...args: A) => string, compute: (...args: A) => R): (...args: A) => R {
  const results = new Map<string, R>();
  return (...args: A): R => {
    const k = key(...args);
    if (results.has(k)) return results.get(k) as R;
    const result = compute(...args);
    results.set(k, result);
    return result;
  };
}
