/**
 * @module
 * Caches of the DQM GUI server.
 *
 * - {@linkcode TimedCache}: computed results (sample lists, directory
 *   listings, decoded ME lists, rendered images) in an LRU with in-flight
 *   sharing, `notOlderThan` freshness, no caching of failures or of results
 *   the caller marks negative, and invalidation on store generation changes;
 * - {@linkcode ByteLRU}: decoded buffers (baskets, blocks) bounded by bytes.
 *
 * This module is browser compatible.
 *
 * @example A listing cache that follows the store
 * ```ts
 * import { TimedCache } from "./mod.ts";
 * let generation = 1; // stands in for () => store.generation
 * const listings = new TimedCache<string, string[] | undefined>({ maxEntries: 200, generation: () => generation });
 * const list = (sample: string) => listings.get(sample, () => (generation > 1 ? ["a"] : undefined), {
 *   cacheIf: (v) => v !== undefined, // "not imported yet" is not remembered
 * });
 * if ((await list("317182")) !== undefined) throw new Error("expected nothing yet");
 * generation++; // a register() happened
 * if ((await list("317182"))?.[0] !== "a") throw new Error("expected the new listing");
 * ```
 */

export { ByteLRU, type ByteLRUOptions } from "./byte_lru.ts";
export {
  TimedCache,
  type TimedCacheOptions,
  type TimedCacheStats,
  type TimedGetOptions,
} from "./timed_cache.ts";
