/**
 * Runs `each` on every item, at most `limit` at a time, results in the
 * items' order. A slot is refilled as soon as it frees, so one slow call
 * does not hold back a whole batch.
 */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  each: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      results[i] = await each(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  return results;
}
