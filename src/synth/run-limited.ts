/**
 * Runs work items with at most `limit` in flight, in order of the list; after an abort
 * no new item starts and the abort is what the caller sees.
 */
export async function runLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      if (signal?.aborted) return;
      const item = items[next++]!;
      try {
        await work(item);
      } catch (e) {
        failure ??= { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  signal?.throwIfAborted();
  if (failure) throw failure.error;
}
