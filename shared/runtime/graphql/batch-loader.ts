/**
 * A DataLoader-style loader, one per request: every `load` made while graphql-js resolves one
 * level of a list joins a single `loadMany` call (a BatchGetItem), and a key asked twice is
 * read once. Chunked to what one batch read takes.
 */
export interface BatchLoader<K, V> {
  load(key: K): Promise<V | undefined>;
}

/** BatchGetItem takes at most 100 keys. */
const MAX_BATCH = 100;

export const batchLoader = <K, V>(
  loadMany: (keys: readonly K[]) => Promise<ReadonlyMap<K, V>>,
): BatchLoader<K, V> => {
  const cache = new Map<K, Promise<V | undefined>>();
  let queue: { key: K; settle: (value: Promise<V | undefined>) => void }[] = [];

  const dispatch = () => {
    const batch = queue;
    queue = [];
    for (let start = 0; start < batch.length; start += MAX_BATCH) {
      const chunk = batch.slice(start, start + MAX_BATCH);
      const loaded = loadMany(chunk.map((entry) => entry.key));
      for (const entry of chunk) entry.settle(loaded.then((values) => values.get(entry.key)));
    }
  };

  return {
    load: (key) => {
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      // Resolvers of one list level run in one synchronous pass, after a promise settles: wait
      // for that pass to finish (DataLoader's scheduling), then read once.
      if (queue.length === 0) void Promise.resolve().then(() => process.nextTick(dispatch));
      const promise = new Promise<V | undefined>((resolve) => {
        queue.push({ key, settle: resolve });
      });
      cache.set(key, promise);
      return promise;
    },
  };
};

/** A per-request memo for reads that cannot be batched (one Query per key): each key once. */
export const memo = <K, V>(read: (key: K) => Promise<V>) => {
  const cache = new Map<K, Promise<V>>();
  return (key: K): Promise<V> => {
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const promise = read(key);
    cache.set(key, promise);
    return promise;
  };
};
