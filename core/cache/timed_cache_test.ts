import assert from "node:assert/strict";
import { TimedCache } from "./timed_cache.ts";

function clock(start = 1_700_000_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

function deferred<T>() {
  return Promise.withResolvers<T>();
}

Deno.test("TimedCache.get() shares one computation between concurrent callers", async () => {
  const cache = new TimedCache<string, number>({ maxEntries: 10 });
  const d = deferred<number>();
  let calls = 0;
  const compute = () => (calls++, d.promise);
  const waiting = [cache.get("k", compute), cache.get("k", compute), cache.get("k", compute)];
  d.resolve(7);
  assert.deepEqual(await Promise.all(waiting), [7, 7, 7]);
  assert.equal(await cache.get("k", compute), 7);
  assert.equal(calls, 1);
  assert.deepEqual(cache.stats(), { hits: 3, misses: 1, size: 1 });
});

Deno.test("TimedCache.get() recomputes when the entry started before notOlderThan, under the same key", async () => {
  const c = clock();
  const cache = new TimedCache<string, number>({ maxEntries: 10, now: c.now });
  let calls = 0;
  const compute = () => ++calls;
  assert.equal(await cache.get("k", compute), 1);
  c.t += 10_000;
  const sec = c.t / 1000;
  assert.equal(await cache.get("k", compute, { notOlderThan: sec - 20 }), 1);
  assert.equal(await cache.get("k", compute, { notOlderThan: sec - 5 }), 2);
  assert.equal(await cache.get("k", compute, { notOlderThan: sec }), 2);
  for (let i = 0; i < 50; i++) await cache.get("k", compute, { notOlderThan: sec - i });
  assert.equal(cache.size, 1);
  assert.equal(await cache.get("k", compute, { notOlderThan: 0 }), 2);
  assert.equal(calls, 2);
});

Deno.test("TimedCache.get() does not join an in-flight computation older than notOlderThan", async () => {
  const c = clock();
  const cache = new TimedCache<string, string>({ maxEntries: 10, now: c.now });
  const slow = deferred<string>();
  const first = cache.get("k", () => slow.promise);
  c.t += 2_000;
  const second = cache.get("k", () => "fresh", { notOlderThan: c.t / 1000 - 1 });
  const third = cache.get("k", () => "unused");
  slow.resolve("stale");
  assert.deepEqual(await Promise.all([first, second, third]), ["stale", "fresh", "fresh"]);
  assert.equal(await cache.get("k", () => "unused"), "fresh");
});

Deno.test("TimedCache.get() treats a future notOlderThan as now", async () => {
  const c = clock();
  const cache = new TimedCache<string, number>({ maxEntries: 10, now: c.now });
  let calls = 0;
  const future = c.t / 1000 + 3600;
  const same = await Promise.all([
    cache.get("k", () => ++calls, { notOlderThan: future }),
    cache.get("k", () => ++calls, { notOlderThan: future }),
  ]);
  assert.deepEqual(same, [1, 1]);
  c.t += 1;
  assert.equal(await cache.get("k", () => ++calls, { notOlderThan: future }), 2);
  assert.equal(await cache.get("k", () => ++calls), 2);
});

Deno.test("TimedCache.get() does not cache failures, and all waiters get the same rejection", async () => {
  const cache = new TimedCache<string, number>({ maxEntries: 10 });
  const d = deferred<number>();
  const boom = new RangeError("Cannot read block: truncated");
  const a = cache.get("k", () => d.promise);
  const b = cache.get("k", () => Promise.resolve(0));
  d.reject(boom);
  const results = await Promise.allSettled([a, b]);
  assert.deepEqual(results.map((r) => r.status === "rejected" && r.reason), [boom, boom]);
  assert.equal(cache.size, 0);
  assert.equal(await cache.get("k", () => 5), 5);
  await assert.rejects(
    cache.get("s", () => {
      throw new TypeError("sync failure");
    }),
    TypeError,
  );
  assert.equal(cache.size, 1);
});

Deno.test("TimedCache.get() does not keep results rejected by cacheIf (spec §12.2)", async () => {
  const cache = new TimedCache<string, string | undefined>({ maxEntries: 10 });
  const d = deferred<string | undefined>();
  const notNull = { cacheIf: (v: string | undefined) => v !== undefined };
  const waiting = [cache.get("k", () => d.promise, notNull), cache.get("k", () => "x", notNull)];
  d.resolve(undefined);
  assert.deepEqual(await Promise.all(waiting), [undefined, undefined]);
  assert.equal(await cache.get("k", () => "imported", notNull), "imported");
  assert.equal(await cache.get("k", () => "again", notNull), "imported");
  assert.equal(
    await cache.get("t", () => "v", {
      cacheIf: () => {
        throw new Error("bad predicate");
      },
    }),
    "v",
  );
  assert.equal(cache.size, 1);
});

Deno.test("TimedCache.get() evicts the least recently used entry", async () => {
  const cache = new TimedCache<number, number>({ maxEntries: 3 });
  for (const k of [1, 2, 3]) await cache.get(k, () => k * 10);
  await cache.get(1, () => -1);
  await cache.get(4, () => 40);
  assert.equal(cache.size, 3);
  assert.equal(await cache.get(2, () => -2), -2);
  assert.equal(await cache.get(1, () => -1), 10);
});

Deno.test("TimedCache maxAgeMs expires entries", async () => {
  const c = clock();
  const cache = new TimedCache<string, number>({ maxEntries: 10, maxAgeMs: 3_600_000, now: c.now });
  let calls = 0;
  await cache.get("k", () => ++calls);
  c.t += 3_600_000;
  assert.equal(await cache.get("k", () => ++calls), 1);
  c.t += 1;
  assert.equal(await cache.get("k", () => ++calls), 2);
});

Deno.test("TimedCache generation hook drops entries made before a change", async () => {
  let generation = 5;
  const cache = new TimedCache<string, number>({ maxEntries: 10, generation: () => generation });
  let calls = 0;
  await cache.get("a", () => ++calls);
  await cache.get("b", () => ++calls);
  assert.equal(await cache.get("a", () => ++calls), 1);
  generation++;
  assert.equal(await cache.get("a", () => ++calls), 3);
  assert.equal(cache.size, 1);
});

Deno.test("TimedCache.invalidate() drops one key or all while in-flight waiters still resolve", async () => {
  const cache = new TimedCache<string, string>({ maxEntries: 10 });
  const slow = deferred<string>();
  const old = cache.get("k", () => slow.promise);
  await cache.get("other", () => "o");
  cache.invalidate("k");
  assert.equal(await cache.get("k", () => "new"), "new");
  slow.resolve("old");
  assert.equal(await old, "old");
  assert.equal(await cache.get("k", () => "unused"), "new");
  cache.invalidate();
  assert.equal(cache.size, 0);
  await cache.get("k", () => "x");
  cache.clear();
  assert.equal(cache.size, 0);
});

Deno.test("TimedCache rejects bad options and a bad notOlderThan with TypeError", async () => {
  assert.throws(() => new TimedCache({ maxEntries: 0 }), TypeError);
  assert.throws(() => new TimedCache({ maxEntries: 1, maxAgeMs: -1 }), TypeError);
  const cache = new TimedCache<string, number>({ maxEntries: 1 });
  await assert.rejects(
    cache.get("k", () => 1, { notOlderThan: -5 }),
    (e: unknown) =>
      e instanceof TypeError && e.message.includes("notOlderThan must be epoch seconds"),
  );
  await assert.rejects(cache.get("k", () => 1, { notOlderThan: NaN }), TypeError);
});
