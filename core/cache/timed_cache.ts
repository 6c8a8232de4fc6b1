/**
 * @module
 * An LRU of computed values with in-flight sharing and the `notOlderThan`
 * freshness rule the original documented but did not implement
 * (spec/api.md §3.1, §12.1–2):
 *
 * - the key never includes `notOlderThan`, so live-mode requests with ever
 *   newer timestamps reuse one entry instead of filling the cache;
 * - an entry is returned only if its computation started at or after
 *   `notOlderThan` (epoch seconds), otherwise it is recomputed and replaced;
 * - concurrent calls for one key share one computation;
 * - failures are never cached (the waiters of that computation all receive
 *   the same rejection), and results the caller marks as negative
 *   (`cacheIf`) are not kept either;
 * - an optional generation hook (`() => store.generation`) drops every entry
 *   made before the data changed.
 *
 * This module is browser compatible.
 */

/** Options of a {@linkcode TimedCache}. */
export interface TimedCacheOptions {
  /** Most entries kept; the least recently used is evicted beyond it. */
  maxEntries: number;
  /** Entries older than this are recomputed (default: no age limit). */
  maxAgeMs?: number;
  /** Clock in ms since the epoch (default `Date.now`). */
  now?: () => number;
  /** When its value changes, every entry made before is dropped. */
  generation?: () => number;
}

/** Options of one {@linkcode TimedCache.get} call. */
export interface TimedGetOptions<V> {
  /** Epoch seconds: only a value computed at or after this time is acceptable. 0 = no limit. */
  notOlderThan?: number;
  /** Keep the result only if this returns true (e.g. `(v) => v !== undefined`). */
  cacheIf?: (value: V) => boolean;
}

/** Counters for monitoring. */
export interface TimedCacheStats {
  /** Calls answered by a stored or in-flight entry. */
  hits: number;
  /** Calls that started a computation. */
  misses: number;
  /** Entries currently held (including in-flight ones). */
  size: number;
}

interface Entry<V> {
  readonly promise: Promise<V>;
  /** When the computation started: the age of the data it read. */
  readonly startedAt: number;
}

/**
 * An LRU cache of (asynchronously) computed values with `notOlderThan`.
 * Keys are compared like `Map` keys: use strings or numbers for composite keys.
 *
 * @example Share, reuse, refresh
 * ```ts
 * import { TimedCache } from "./timed_cache.ts";
 * let t = 1_000_000;
 * const cache = new TimedCache<string, number>({ maxEntries: 100, now: () => t });
 * let calls = 0;
 * const compute = () => Promise.resolve(++calls);
 * const [a, b] = await Promise.all([cache.get("k", compute), cache.get("k", compute)]);
 * if (a !== 1 || b !== 1) throw new Error("not shared");
 * t += 5_000; // 5 s later a client wants data not older than 2 s ago:
 * if (await cache.get("k", compute, { notOlderThan: t / 1000 - 2 }) !== 2) throw new Error("stale");
 * ```
 */
export class TimedCache<K, V> {
  readonly #map = new Map<K, Entry<V>>();
  readonly #maxEntries: number;
  readonly #maxAgeMs: number | undefined;
  readonly #now: () => number;
  readonly #generation: (() => number) | undefined;
  #seenGeneration: number | undefined;
  #hits = 0;
  #misses = 0;

  /**
   * @param options size limit, optional age limit, clock and generation hook
   * @throws {TypeError} for a size limit below 1 or a negative age
   */
  constructor(options: TimedCacheOptions) {
    if (!Number.isSafeInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new TypeError(
        `Cannot create cache: maxEntries must be an integer ≥ 1 (got ${options.maxEntries})`,
      );
    }
    if (options.maxAgeMs !== undefined && !(options.maxAgeMs >= 0)) {
      throw new TypeError(`Cannot create cache: maxAgeMs must be ≥ 0 (got ${options.maxAgeMs})`);
    }
    this.#maxEntries = options.maxEntries;
    this.#maxAgeMs = options.maxAgeMs;
    this.#now = options.now ?? Date.now;
    this.#generation = options.generation;
    this.#seenGeneration = options.generation?.();
  }

  /**
   * The value for `key`: a fresh enough stored or in-flight one, or the
   * result of a new `compute(key)` (which replaces the entry). A
   * `notOlderThan` in the future means "now": the value must be computed by
   * this call (or by one that started in the same millisecond).
   *
   * @param key the key
   * @param compute makes the value; may return it or a promise
   * @param options `notOlderThan` (epoch seconds) and `cacheIf`
   * @returns the value, or the computation's rejection
   * @throws {TypeError} (as a rejection) for a negative or non-finite `notOlderThan`
   */
  get(key: K, compute: (key: K) => V | Promise<V>, options: TimedGetOptions<V> = {}): Promise<V> {
    const { notOlderThan, cacheIf } = options;
    if (notOlderThan !== undefined && !(Number.isFinite(notOlderThan) && notOlderThan >= 0)) {
      return Promise.reject(
        new TypeError(
          `Cannot read cache: notOlderThan must be epoch seconds ≥ 0 (got ${notOlderThan})`,
        ),
      );
    }
    this.#checkGeneration();
    const now = this.#now();
    const found = this.#map.get(key);
    if (found !== undefined && found.startedAt >= this.#threshold(now, notOlderThan)) {
      this.#hits++;
      this.#map.delete(key);
      this.#map.set(key, found);
      return found.promise;
    }
    this.#misses++;
    const { promise, resolve, reject } = Promise.withResolvers<V>();
    const entry: Entry<V> = { promise, startedAt: now };
    this.#map.delete(key);
    this.#map.set(key, entry);
    while (this.#map.size > this.#maxEntries) this.#map.delete(this.#map.keys().next().value!);
    // Registered before any caller's handlers, so the entry is settled
    // (kept or dropped) by the time the first waiter resumes.
    promise.then(
      (value) => {
        if (cacheIf !== undefined && !keeps(cacheIf, value)) this.#drop(key, entry);
      },
      () => this.#drop(key, entry),
    );
    try {
      Promise.resolve(compute(key)).then(resolve, reject);
    } catch (e) {
      reject(e);
    }
    return promise;
  }

  /**
   * Drop one entry, or every entry when called without a key. Callers
   * already waiting on a dropped in-flight computation still get its result.
   *
   * @param key the key to drop; omit to drop all
   */
  invalidate(...key: [] | [K]): void {
    if (key.length === 0) this.#map.clear();
    else this.#map.delete(key[0]);
  }

  /** Drop every entry. */
  clear(): void {
    this.#map.clear();
  }

  /** Number of entries (stored and in flight). */
  get size(): number {
    return this.#map.size;
  }

  /** @returns hit and miss counters and the current size */
  stats(): TimedCacheStats {
    return { hits: this.#hits, misses: this.#misses, size: this.#map.size };
  }

  /** The oldest acceptable start time, in ms. */
  #threshold(now: number, notOlderThan: number | undefined): number {
    let threshold = this.#maxAgeMs === undefined ? -Infinity : now - this.#maxAgeMs;
    if (notOlderThan) threshold = Math.max(threshold, Math.min(notOlderThan * 1000, now));
    return threshold;
  }

  #checkGeneration(): void {
    if (this.#generation === undefined) return;
    const g = this.#generation();
    if (g !== this.#seenGeneration) {
      this.#seenGeneration = g;
      this.#map.clear();
    }
  }

  /** Remove `entry` unless a newer computation replaced it meanwhile. */
  #drop(key: K, entry: Entry<V>): void {
    if (this.#map.get(key) === entry) this.#map.delete(key);
  }
}

/** A throwing `cacheIf` counts as "do not keep"; callers still get the value. */
function keeps<V>(cacheIf: (value: V) => boolean, value: V): boolean {
  try {
    return cacheIf(value);
  } catch {
    return false;
  }
}
