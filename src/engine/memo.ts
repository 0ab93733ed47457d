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

/**
 * A result that depends only on a scope's inventory and one object of it (a target group, a
 * route table): worked out once per inventory index, whichever rule asks first, and keyed by the
 * object itself, so a lookup builds no string. The results go with the index.
 */
export function memoizePerIndex<I extends object, K extends object, R>(compute: (index: I, key: K) => R): (index: I, key: K) => R {
  const byIndex = new WeakMap<I, Map<K, R>>();
  return (index, key) => {
    let results = byIndex.get(index);
    if (!results) {
      results = new Map();
      byIndex.set(index, results);
    }
    if (results.has(key)) return results.get(key) as R;
    const result = compute(index, key);
    results.set(key, result);
    return result;
  };
}
