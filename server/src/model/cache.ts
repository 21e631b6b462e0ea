/** Every bounded cache made (each is made once, at module level: the list does not grow with input). */
const everyCache: BoundedCache<unknown, unknown>[] = [];

/**
 * Bounded caches: the language server keeps running while reviewers edit patches, and every
 * edited patch is a new policy content; the oldest entries go first.
 */
export class BoundedCache<K, V> {
  private entries = new Map<K, V>();

  constructor(readonly limit: number) {
    everyCache.push(this as BoundedCache<unknown, unknown>);
  }

  /** Keeps the `keep` most recently used entries. */
  trim(keep: number): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= keep) break;
      this.entries.delete(key);
    }
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value as K;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Keeps in each bounded cache the most recently used `share` of its limit (at least one entry):
 * the language server's analysis process, idle after a burst of documents, gives back what the
 * older ones left (a cache is only a shortcut: an entry it lost is computed again).
 */
export function trimCaches(share: number): void {
  for (const cache of everyCache) cache.trim(Math.max(1, Math.ceil(cache.limit * share)));
}
