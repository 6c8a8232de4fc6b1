import assert from "node:assert/strict";
import { type SampleRegistration, Store } from "./store.ts";

const DS = "/ZeroBias/Run2018B-PromptReco-v1/DQMIO";

function sample(
  run: number,
  lumi = 0,
  extra: Partial<SampleRegistration> = {},
): SampleRegistration {
  return { dataset: DS, run, lumi, file: `/data/R${run}.root`, fileformat: 1, ...extra };
}

function throwsWith(fn: () => unknown, cls: ErrorConstructor, text: string): void {
  assert.throws(fn, (e: unknown) => e instanceof cls && e.message.includes(text));
}

function withStore(fn: (store: Store) => void): () => void {
  return () => {
    let t = 1_700_000_000_000;
    const store = Store.open(":memory:", { now: () => t++ });
    try {
      fn(store);
    } finally {
      store.close();
    }
  };
}

Deno.test(
  "Store.samples() matches run as a substring of the decimal run number",
  withStore((store) => {
    store.register([sample(317182), sample(317183), sample(7), sample(1317)]);
    assert.deepEqual(store.samples({ run: "3171" }).map((s) => s.run), [317183, 317182]);
    assert.deepEqual(store.samples({ run: "7" }).map((s) => s.run), [317183, 317182, 1317, 7]);
    assert.deepEqual(store.samples({ run: "%" }), []);
    assert.deepEqual(store.samples({ run: "" }).length, 4);
  }),
);

Deno.test(
  "Store.samples() matches dataset case-insensitively with literal % and _",
  withStore((store) => {
    store.register([
      sample(1, 0, { dataset: "/ZeroBias/Run2018A-v1/DQMIO" }),
      sample(1, 0, { dataset: "/Zero_Bias/100%/DQMIO" }),
      sample(1, 0, { dataset: "/Other/X/DQMIO" }),
    ]);
    assert.deepEqual(store.samples({ dataset: "zerobias" }).map((s) => s.dataset), [
      "/ZeroBias/Run2018A-v1/DQMIO",
    ]);
    assert.deepEqual(store.samples({ dataset: "o_B" }).map((s) => s.dataset), [
      "/Zero_Bias/100%/DQMIO",
    ]);
    assert.deepEqual(store.samples({ dataset: "0%/" }).map((s) => s.dataset), [
      "/Zero_Bias/100%/DQMIO",
    ]);
    assert.deepEqual(store.samples({ dataset: "%" }).length, 1);
    assert.deepEqual(store.samples({ dataset: "\\" }), []);
  }),
);

Deno.test(
  "Store.samples() lumi: 0 per-run, -1 all lumis, n exactly n (not a substring), below -1 both",
  withStore((store) => {
    store.register([sample(1), sample(1, 5), sample(1, 15), sample(1, 50), sample(2, 105)]);
    const lumis = (lumi?: number) => store.samples({ lumi }).map((s) => `${s.run}:${s.lumi}`);
    assert.deepEqual(lumis(), ["1:0"]);
    assert.deepEqual(lumis(0), ["1:0"]);
    assert.deepEqual(lumis(-1), ["2:105", "1:5", "1:15", "1:50"]);
    assert.deepEqual(lumis(5), ["1:5"]);
    assert.deepEqual(lumis(-2), ["2:105", "1:0", "1:5", "1:15", "1:50"]);
    throwsWith(() => store.samples({ lumi: 1.5 }), TypeError, "lumi must be an integer");
  }),
);

Deno.test(
  "Store.samples() orders by dataset, run descending, lumi and honours limit",
  withStore((store) => {
    store.register([
      sample(1, 0, { dataset: "/B/x/y" }),
      sample(1),
      sample(3),
      sample(2),
      sample(9, 0, { dataset: "/A/x/y" }),
    ]);
    assert.deepEqual(store.samples({}).map((s) => `${s.dataset}@${s.run}`), [
      "/A/x/y@9",
      "/B/x/y@1",
      `${DS}@3`,
      `${DS}@2`,
      `${DS}@1`,
    ]);
    assert.equal(store.samples({ limit: 2 }).length, 2);
    throwsWith(() => store.samples({ limit: 1.5 }), TypeError, "limit must be an integer");
  }),
);

Deno.test(
  "Store.datasets() returns distinct matching names in byte order",
  withStore((store) => {
    store.register([
      sample(1, 0, { dataset: "/b/X_1/c" }),
      sample(2, 0, { dataset: "/b/X_1/c" }),
      sample(1, 0, { dataset: "/a/XY1/c" }),
    ]);
    assert.deepEqual(store.datasets(""), ["/a/XY1/c", "/b/X_1/c"]);
    assert.deepEqual(store.datasets("x_"), ["/b/X_1/c"]);
    assert.deepEqual(store.datasets("", 1), ["/a/XY1/c"]);
  }),
);

Deno.test(
  "Store.latestRuns() returns distinct runs newest first, including live run 0",
  withStore((store) => {
    store.register([sample(0), sample(355100), sample(355100, 3), sample(355099), sample(100)]);
    assert.deepEqual(store.latestRuns(""), [355100, 355099, 100, 0]);
    assert.deepEqual(store.latestRuns("0", 2), [355100, 355099]);
    assert.deepEqual(store.latestRuns("99"), [355099]);
  }),
);

Deno.test(
  "Store.lumis() lists lumis ascending, including 0 for a per-run sample",
  withStore((store) => {
    store.register([sample(1, 3), sample(1), sample(1, 2), sample(2, 1)]);
    assert.deepEqual(store.lumis(DS, 1), [0, 2, 3]);
    assert.deepEqual(store.lumis(DS + "/", 1), []);
  }),
);
