import assert from "node:assert/strict";
import { ByteLRU } from "./byte_lru.ts";

const buf = (n: number) => new Uint8Array(n);

Deno.test("ByteLRU.set() evicts least recently used entries until the byte bound holds", () => {
  const lru = new ByteLRU({ maxBytes: 100 });
  lru.set("f:1", buf(40));
  lru.set("f:2", buf(40));
  assert.equal(lru.get("f:1")?.length, 40);
  lru.set("f:3", buf(50));
  assert.deepEqual([lru.has("f:1"), lru.has("f:2"), lru.has("f:3")], [true, false, true]);
  assert.equal(lru.bytes, 90);
  lru.set("f:4", buf(100));
  assert.deepEqual([lru.size, lru.bytes], [1, 100]);
});

Deno.test("ByteLRU.set() refuses a value larger than the bound and replaces existing entries", () => {
  const lru = new ByteLRU({ maxBytes: 10 });
  assert.equal(lru.set("a", buf(8)), true);
  assert.equal(lru.set("a", buf(3)), true);
  assert.equal(lru.bytes, 3);
  assert.equal(lru.set("a", buf(11)), false);
  assert.deepEqual([lru.size, lru.bytes, lru.get("a")], [0, 0, undefined]);
  assert.equal(lru.maxBytes, 10);
});

Deno.test("ByteLRU.deletePrefix() drops every entry of one file", () => {
  const lru = new ByteLRU({ maxBytes: 1000 });
  for (const k of ["f1:10", "f1:20", "f10:10", "f2:10"]) lru.set(k, buf(10));
  assert.equal(lru.deletePrefix("f1:"), 2);
  assert.deepEqual([lru.has("f10:10"), lru.has("f2:10"), lru.bytes], [true, true, 20]);
  assert.equal(lru.delete("f2:10"), true);
  assert.equal(lru.delete("f2:10"), false);
  lru.clear();
  assert.deepEqual([lru.size, lru.bytes], [0, 0]);
});

Deno.test("ByteLRU maxAgeMs expires entries on access", () => {
  let t = 1000;
  const lru = new ByteLRU({ maxBytes: 100, maxAgeMs: 60_000, now: () => t });
  lru.set("a", buf(5));
  t += 60_000;
  assert.equal(lru.has("a"), true);
  t += 1;
  assert.equal(lru.get("a"), undefined);
  assert.equal(lru.bytes, 0);
});

Deno.test("ByteLRU.getOrLoad() shares one load and does not cache failures", async () => {
  const lru = new ByteLRU({ maxBytes: 100 });
  let loads = 0;
  const gate = Promise.withResolvers<Uint8Array>();
  const load = () => (loads++, gate.promise);
  const both = Promise.all([lru.getOrLoad("b:1", load), lru.getOrLoad("b:1", load)]);
  gate.resolve(buf(9));
  const [x, y] = await both;
  assert.equal(x, y);
  assert.equal(loads, 1);
  assert.equal(await lru.getOrLoad("b:1", load), x);
  const err = new RangeError("Cannot inflate basket: bad header");
  const failing = () => Promise.reject(err);
  const settled = await Promise.allSettled([
    lru.getOrLoad("b:2", failing),
    lru.getOrLoad("b:2", failing),
  ]);
  assert.deepEqual(settled.map((s) => s.status === "rejected" && s.reason), [err, err]);
  assert.equal(lru.has("b:2"), false);
  assert.equal((await lru.getOrLoad("b:2", () => Promise.resolve(buf(2)))).length, 2);
});

Deno.test("ByteLRU.getOrLoad() does not store a load invalidated meanwhile", async () => {
  const lru = new ByteLRU({ maxBytes: 100 });
  const gate = Promise.withResolvers<Uint8Array>();
  const pending = lru.getOrLoad("f:1", () => gate.promise);
  assert.equal(lru.deletePrefix("f:"), 0);
  gate.resolve(buf(4));
  assert.equal((await pending).length, 4);
  assert.equal(lru.has("f:1"), false);
});

Deno.test("ByteLRU sizeOf measures other values and rejects bad sizes", () => {
  const lru = new ByteLRU<string>({ maxBytes: 10, sizeOf: (s) => s.length * 2 });
  lru.set("a", "abc");
  assert.equal(lru.bytes, 6);
  const bad = new ByteLRU<string>({ maxBytes: 10, sizeOf: () => NaN });
  assert.throws(
    () => bad.set("k", "v"),
    (e: unknown) => e instanceof TypeError && e.message.includes('Cannot cache "k"'),
  );
  assert.throws(() => new ByteLRU({ maxBytes: -1 }), TypeError);
});
