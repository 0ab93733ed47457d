/**
 * Run async jobs with at most `limit` in flight, keeping results in input order.
 * The probe uses it so hundreds of addresses cannot exhaust file descriptors, while
 * a pool wide enough for every attempt keeps the whole probe at about one timeout.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, job: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await job(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
