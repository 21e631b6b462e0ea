/** Every bounded cache made (each is made once, at module level: the list does not grow with input). */
const everyCache: BoundedCache<unknown, unknown>[] = [];
/** Every memo table made (each once, at module level, as the caches). */
const everyMemo: MemoTable<object, unknown>[] = [];

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
 * Short names of long texts (a config part's permission tables: 8 KB of JSON, in every policy's,
 * system's and comparison's key, escaped again at each level it was nested in). A name is never
 * given to two texts: `name` returns the same name for the same text while the text is among the
 * `limit` named last (each `name` of it counts as a use), and a text forgotten gets a new name
 * (a key made with the old one is then only a cache miss, as a layout's id is in machine.ts).
 * Not trimmed with the caches (trimCaches): a trim would rename the kernels' own tables, and a
 * patched policy would then no longer share their systems and steps.
 */
export class ContentNames {
  private names = new Map<string, string>();
  private made = 0;

  constructor(
    private readonly prefix: string,
    readonly limit: number,
  ) {}

  name(text: string): string {
    let name = this.names.get(text);
    if (name !== undefined) this.names.delete(text);
    else name = `${this.prefix}${(this.made++).toString(36)}`;
    this.names.set(text, name);
    if (this.names.size > this.limit) this.names.delete(this.names.keys().next().value as string);
    return name;
  }

  get size(): number {
    return this.names.size;
  }
}

/**
 * A memo of a pure function of an object (a state's key, an observation's text): what it holds
 * lives as long as its key, as in a WeakMap, and can be computed again. A trim (trimCaches) starts
 * it anew: V8 never shrinks a WeakMap's table, and a burst of documents left the analysis
 * process's memos 7 MB of tables whose keys had mostly gone.
 */
export class MemoTable<K extends object, V> {
  private table = new WeakMap<K, V>();

  constructor() {
    everyMemo.push(this as unknown as MemoTable<object, unknown>);
  }

  get(key: K): V | undefined {
    return this.table.get(key);
  }

  set(key: K, value: V): void {
    this.table.set(key, value);
  }

  /** Forgets every entry (each is computed again when asked for). */
  clear(): void {
    this.table = new WeakMap();
  }
}

/**
 * Keeps in each bounded cache the most recently used `share` of its limit (at least one entry):
 * the language server's analysis process, idle after a burst of documents, gives back what the
 * older ones left (a cache is only a shortcut: an entry it lost is computed again), and every
 * memo table starts anew.
 */
export function trimCaches(share: number): void {
  for (const cache of everyCache) cache.trim(Math.max(1, Math.ceil(cache.limit * share)));
  for (const memo of everyMemo) memo.clear();
}
