/**
 * @module
 * An LRU bounded by total bytes, for decoded buffers: decompressed baskets,
 * blocks and object payloads, keyed like "{fileId}:{seekKey}". Unlike the
 * original's block caches (spec/api.md §12.28) it can expire entries, drop
 * every entry of one file by key prefix, and never caches a failed load.
 *
 * This module is browser compatible.
 */

/** Options of a {@linkcode ByteLRU}. */
export interface ByteLRUOptions<V> {
  /** Upper bound of the summed sizes of all entries. */
  maxBytes: number;
  /** Entries older than this are treated as absent (default: no age limit). */
  maxAgeMs?: number;
  /** Clock in ms since the epoch (default `Date.now`). */
  now?: () => number;
  /** Size of a value in bytes (default: its `byteLength`). */
  sizeOf?: (value: V) => number;
}

interface Slot<V> {
  readonly value: V;
  readonly bytes: number;
  readonly storedAt: number;
}

/**
 * A byte-bounded LRU of buffers.
 *
 * @example Evicts the least recently used entry
 * ```ts
 * import { ByteLRU } from "./byte_lru.ts";
 * const lru = new ByteLRU({ maxBytes: 10 });
 * lru.set("f1:100", new Uint8Array(4));
 * lru.set("f1:200", new Uint8Array(4));
 * lru.get("f1:100"); // now most recently used
 * lru.set("f2:100", new Uint8Array(4)); // evicts "f1:200"
 * if (lru.has("f1:200") || !lru.has("f1:100") || lru.bytes !== 8) throw new Error("eviction");
 * ```
 */
export class ByteLRU<V = Uint8Array> {
  readonly #map = new Map<string, Slot<V>>();
  readonly #loading = new Map<string, { promise?: Promise<V> }>();
  readonly #maxBytes: number;
  readonly #maxAgeMs: number | undefined;
  readonly #now: () => number;
  readonly #sizeOf: (value: V) => number;
  #bytes = 0;

  /**
   * @param options byte bound, optional age limit, clock and size function
   * @throws {TypeError} for a negative or non-integer byte bound
   */
  constructor(options: ByteLRUOptions<V>) {
    if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes < 0) {
      throw new TypeError(
        `Cannot create byte cache: maxBytes must be an integer ≥ 0 (got ${options.maxBytes})`,
      );
    }
    this.#maxBytes = options.maxBytes;
    this.#maxAgeMs = options.maxAgeMs;
    this.#now = options.now ?? Date.now;
    this.#sizeOf = options.sizeOf ?? ((v) => (v as { byteLength: number }).byteLength);
  }

  /** Summed size of all entries. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Number of entries. */
  get size(): number {
    return this.#map.size;
  }

  /** The byte bound. */
  get maxBytes(): number {
    return this.#maxBytes;
  }

  /**
   * @param key the key
   * @returns the value, made most recently used; undefined if absent or expired
   */
  get(key: string): V | undefined {
    const slot = this.#fresh(key);
    if (slot === undefined) return undefined;
    this.#map.delete(key);
    this.#map.set(key, slot);
    return slot.value;
  }

  /**
   * @param key the key
   * @returns whether a fresh entry exists (recency is not changed)
   */
  has(key: string): boolean {
    return this.#fresh(key) !== undefined;
  }

  /**
   * Store a value, replacing any entry under `key`, and evict least recently
   * used entries until the bound holds.
   *
   * @param key the key
   * @param value the value
   * @returns false (and nothing stored) when the value alone exceeds the bound
   * @throws {TypeError} when the size function gives a negative or non-finite size
   */
  set(key: string, value: V): boolean {
    const bytes = this.#sizeOf(value);
    if (!(Number.isFinite(bytes) && bytes >= 0)) {
      throw new TypeError(`Cannot cache "${key}": size must be a finite number ≥ 0 (got ${bytes})`);
    }
    this.delete(key);
    if (bytes > this.#maxBytes) return false;
    this.#map.set(key, { value, bytes, storedAt: this.#now() });
    this.#bytes += bytes;
    for (const [k, slot] of this.#map) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#map.delete(k);
      this.#bytes -= slot.bytes;
    }
    return true;
  }

  /**
   * The cached value, or the result of `load()` (stored if it fits).
   * Concurrent calls for one key share one load; a failed load is not
   * cached, and its waiters all receive the rejection.
   *
   * @param key the key
   * @param load produces the value
   * @returns the value
   */
  getOrLoad(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.get(key);
    if (cached !== undefined) return Promise.resolve(cached);
    const pending = this.#loading.get(key)?.promise;
    if (pending !== undefined) return pending;
    const record: { promise?: Promise<V> } = {};
    this.#loading.set(key, record);
    const promise = (async () => {
      try {
        const value = await load();
        // Store only if no delete/clear happened meanwhile: the source may have changed.
        if (this.#loading.get(key) === record) {
          this.#loading.delete(key);
          this.set(key, value);
        }
        return value;
      } catch (e) {
        if (this.#loading.get(key) === record) this.#loading.delete(key);
        throw e;
      }
    })();
    record.promise = promise;
    return promise;
  }

  /**
   * @param key the key
   * @returns whether an entry (or a pending load) was dropped
   */
  delete(key: string): boolean {
    const loading = this.#loading.delete(key);
    const slot = this.#map.get(key);
    if (slot === undefined) return loading;
    this.#map.delete(key);
    this.#bytes -= slot.bytes;
    return true;
  }

  /**
   * Drop every entry whose key starts with `prefix`, e.g. all blocks of a
   * file that changed ("{fileId}:").
   *
   * @param prefix the key prefix
   * @returns how many stored entries were dropped
   */
  deletePrefix(prefix: string): number {
    for (const k of this.#loading.keys()) if (k.startsWith(prefix)) this.#loading.delete(k);
    let n = 0;
    for (const [k, slot] of this.#map) {
      if (!k.startsWith(prefix)) continue;
      this.#map.delete(k);
      this.#bytes -= slot.bytes;
      n++;
    }
    return n;
  }

  /** Drop everything, including pending loads (their callers still get the result). */
  clear(): void {
    this.#map.clear();
    this.#loading.clear();
    this.#bytes = 0;
  }

  #fresh(key: string): Slot<V> | undefined {
    const slot = this.#map.get(key);
    if (slot === undefined) return undefined;
    if (this.#maxAgeMs !== undefined && this.#now() - slot.storedAt > this.#maxAgeMs) {
      this.#map.delete(key);
      this.#bytes -= slot.bytes;
      return undefined;
    }
    return slot;
  }
}
