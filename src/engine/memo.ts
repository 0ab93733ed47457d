/**
 * Rules evaluate the same security groups, route tables and network ACL flows for many targets
 * and load balancers: these keep each result once, keyed by the objects it depends on.
 */

/**
 * The value kept under `key`, made by `create` and kept on first use (a Map, WeakMap or TupleMap).
 * `create` gets the key, so a function of the key alone is passed as it is, with no closure made per call.
 */
export function getOrCreate<K, V>(store: { get(key: K): V | undefined; set(key: K, value: V): unknown }, key: K, create: (key: K) => V): V {
  let value = store.get(key);
  if (value === undefined) {
    value = create(key);
    store.set(key, value);
  }
  return value;
}

/** Something kept per inventory index (a cache of results over its scope): made on first use, gone with the index. */
export function perIndex<I extends object, V>(create: () => V): (index: I) => V {
  const values = new WeakMap<I, V>();
  return (index) => getOrCreate(values, index, create);
}

/**
 * A result that depends only on a scope's inventory and one object of it (a target group, a
 * route table): worked out once per inventory index, whichever rule asks first, and keyed by the
 * object itself, so a lookup builds no string. The results go with the index.
 */
export function memoizePerIndex<I extends object, K extends object, R>(compute: (index: I, key: K) => R): (index: I, key: K) => R {
  const resultsOf = perIndex<I, Map<K, R>>(() => new Map());
  return (index, key) => {
    const results = resultsOf(index);
    // One lookup for the usual hit (called hundreds of thousands of times); has() only tells a kept undefined from a miss.
    const known = results.get(key);
    if (known !== undefined || results.has(key)) return known as R;
    const result = compute(index, key);
    results.set(key, result);
    return result;
  };
}

/**
 * memoizePerIndex for a result that depends on a few values of a scope (objects by identity, strings
 * and numbers by value): kept in a TupleMap per inventory index, so a lookup builds no key string and
 * no closure. A result is never undefined (null may be kept: "nothing to report").
 */
export function memoizePerIndexTuple<I extends object, K extends readonly unknown[], R extends object | null>(compute: (index: I, ...key: K) => R): (index: I, ...key: K) => R {
  const resultsOf = perIndex<I, TupleMap<K, R>>(() => new TupleMap());
  return (index, ...key) => {
    const results = resultsOf(index);
    const known = results.get(key);
    if (known !== undefined) return known;
    const result = compute(index, ...key);
    results.set(key, result);
    return result;
  };
}

/**
 * A map keyed by a fixed-length tuple of values (objects by identity, strings and numbers by
 * value), kept as nested Maps: a lookup in a hot loop builds no key string.
 */
export class TupleMap<K extends readonly unknown[], V> {
  private readonly root = new Map<unknown, unknown>();

  // Index loops: get is inlined into many hot callers, and an index loop is a fraction of the optimised code for-of makes there.
  get(key: K): V | undefined {
    let node: unknown = this.root;
    for (let i = 0; i < key.length; i++) {
      node = (node as Map<unknown, unknown>).get(key[i]);
      if (node === undefined) return undefined;
    }
    return node as V;
  }

  set(key: K, value: V): void {
    let node = this.root;
    for (let i = 0; i < key.length - 1; i++) {
      let next = node.get(key[i]) as Map<unknown, unknown> | undefined;
      if (!next) {
        next = new Map();
        node.set(key[i], next);
      }
      node = next;
    }
    node.set(key[key.length - 1], value);
  }
}
