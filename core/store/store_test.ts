import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { decodeMEList, encodeMEList } from "./melist_blob.ts";
import { type MEEntry, MEList } from "./melist.ts";
import { SCHEMA_VERSION } from "./schema.ts";
import { type SampleRegistration, Store, type StoredMEList } from "./store.ts";

const DS = "/ZeroBias/Run2018B-PromptReco-v1/DQMIO";

function sample(
  run: number,
  lumi = 0,
  extra: Partial<SampleRegistration> = {},
): SampleRegistration {
  return { dataset: DS, run, lumi, file: `/data/R${run}.root`, fileformat: 1, ...extra };
}

function stored(...paths: string[]): StoredMEList {
  const list = new MEList(
    paths.map((path): MEEntry => ({ path, kind: "TH1F", seek: 1, offset: 0, size: -1 })),
  );
  return { ...encodeMEList(list), count: list.count };
}

function throwsWith(fn: () => unknown, cls: ErrorConstructor, text: string): void {
  assert.throws(fn, (e: unknown) => e instanceof cls && e.message.includes(text));
}

async function withTempDir(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "store_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
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

Deno.test("Store.open() creates a WAL database from an empty file and re-opens it", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/state.sqlite`;
    const store = Store.open(path);
    assert.equal(store.isEmpty(), true);
    store.register([sample(1)]);
    store.close();
    store.close();
    const raw = new DatabaseSync(path);
    assert.deepEqual({ ...raw.prepare("PRAGMA journal_mode").get() }, { journal_mode: "wal" });
    assert.deepEqual({ ...raw.prepare("PRAGMA user_version").get() }, {
      user_version: SCHEMA_VERSION,
    });
    raw.close();
    const again = Store.open(path);
    assert.equal(again.getSample({ dataset: DS, run: 1, lumi: 0 })?.file, "/data/R1.root");
    again.close();
  });
});

Deno.test("Store.open() refuses a database with a newer schema version", async () => {
  await withTempDir((dir) => {
    const raw = new DatabaseSync(`${dir}/new.sqlite`);
    raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    throwsWith(
      () => Store.open(`${dir}/new.sqlite`),
      RangeError,
      "is newer than this build supports",
    );
    throwsWith(
      () => Store.open(`${dir}/missing/dir/x.sqlite`),
      Error,
      `Cannot open store "${dir}/missing/dir/x.sqlite"`,
    );
  });
});

Deno.test(
  "Store.register() inserts samples and reads them back",
  withStore((store) => {
    assert.equal(store.register([sample(317182), sample(317182, 5), sample(317183)]), 3);
    assert.equal(store.register([]), 0);
    assert.deepEqual(store.getSample({ dataset: DS, run: 317182, lumi: 5 }), {
      dataset: DS,
      run: 317182,
      lumi: 5,
      file: "/data/R317182.root",
      fileformat: 1,
      registered: 1_700_000_000_000,
      melistId: null,
      importError: null,
    });
    assert.equal(store.getSample({ dataset: DS, run: 1, lumi: 0 }), undefined);
    assert.equal(store.isEmpty(), false);
  }),
);

Deno.test(
  "Store.register() resets the ME list when the file changes",
  withStore((store) => {
    const key = { dataset: DS, run: 1, lumi: 0 };
    store.register([sample(1)]);
    store.saveMELists("/data/R1.root", 1, DS, new Map([["1:0", stored("A/x")]]));
    store.setImportError(key, "/data/R1.root", "old");
    assert.notEqual(store.getSample(key)?.melistId, null);
    store.register([sample(1, 0, { file: "/data/other.root", fileformat: 2 })]);
    const after = store.getSample(key)!;
    assert.deepEqual([after.file, after.fileformat, after.melistId, after.importError], [
      "/data/other.root",
      2,
      null,
      null,
    ]);
    assert.equal(store.counts().melists, 0);
  }),
);

Deno.test(
  "Store.register() resets the ME list when the same file is registered again",
  withStore((store) => {
    const key = { dataset: "/Global/Online/ALL", run: 0, lumi: 0 };
    const live = { ...key, file: "/data/pb/live.pb", fileformat: 3 };
    store.register([live]);
    store.saveMELists(live.file, 3, key.dataset, new Map([["0:0", stored("A/x")]]));
    const first = store.getSample(key)!;
    store.register([live]);
    const second = store.getSample(key)!;
    assert.equal(second.melistId, null);
    assert.ok(second.registered > first.registered);
  }),
);

Deno.test(
  "Store.register() writes nothing when one sample is malformed",
  withStore((store) => {
    throwsWith(
      () => store.register([sample(1), sample(-2)]),
      TypeError,
      "Cannot register sample 1: run must be",
    );
    throwsWith(() => store.register([sample(1, 0.5)]), TypeError, "lumi must be an integer");
    throwsWith(
      () => store.register([sample(1, 0, { file: "" })]),
      TypeError,
      "file must be a non-empty string",
    );
    throwsWith(
      () => store.register([sample(1, 0, { fileformat: 1.5 })]),
      TypeError,
      "fileformat must be an integer",
    );
    assert.equal(store.isEmpty(), true);
  }),
);

Deno.test("Store.register() rolls back the whole batch when one insert fails", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/abort.sqlite`;
    const store = Store.open(path);
    store.register([sample(1)]);
    const raw = new DatabaseSync(path);
    raw.exec(
      "CREATE TRIGGER no_run_3 BEFORE INSERT ON samples WHEN new.run = 3 BEGIN SELECT RAISE(ABORT, 'run 3 refused'); END",
    );
    raw.close();
    const gen = store.generation;
    throwsWith(
      () => store.register([sample(2), sample(3)]),
      Error,
      `Cannot register 2 samples in "${path}": run 3 refused`,
    );
    assert.deepEqual(store.latestRuns(""), [1]);
    assert.equal(store.generation, gen);
    store.close();
  });
});

Deno.test("Store.register() reports a failed write instead of success (spec §12.17)", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/s.sqlite`;
    const store = Store.open(path, { busyTimeoutMs: 20 });
    const other = new DatabaseSync(path);
    other.exec("BEGIN IMMEDIATE");
    try {
      throwsWith(
        () => store.register([sample(1)]),
        Error,
        `Cannot register 1 samples in "${path}": database is locked`,
      );
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    assert.equal(store.isEmpty(), true);
    assert.equal(store.register([sample(1)]), 1);
    store.close();
  });
});

Deno.test("Store readers see the last commit while another connection writes (WAL)", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/wal.sqlite`;
    const writer = Store.open(path);
    const reader = Store.open(path);
    const raw = new DatabaseSync(path);
    try {
      writer.register([sample(1)]);
      const gen = reader.generation;
      raw.exec("BEGIN IMMEDIATE");
      raw.prepare(
        "INSERT INTO samples (dataset, run, lumi, file, fileformat, registered) VALUES (?, 2, 0, 'f', 1, 0)",
      )
        .run(DS);
      assert.deepEqual(reader.latestRuns(""), [1]);
      assert.equal(reader.generation, gen);
      raw.exec("COMMIT");
      assert.deepEqual(reader.latestRuns(""), [2, 1]);
      assert.notEqual(reader.generation, gen);
      writer.register([sample(3)]);
      assert.deepEqual(reader.latestRuns(""), [3, 2, 1]);
    } finally {
      raw.close();
      writer.close();
      reader.close();
    }
  });
});

Deno.test(
  "Store.generation changes on register and saveMELists",
  withStore((store) => {
    const g0 = store.generation;
    store.register([sample(1)]);
    const g1 = store.generation;
    assert.notEqual(g1, g0);
    assert.equal(store.generation, g1);
    store.saveMELists("/data/R1.root", 1, DS, new Map([["1:0", stored("A/x")]]));
    assert.notEqual(store.generation, g1);
  }),
);

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

Deno.test(
  "Store.saveMELists() deduplicates identical lists by hash",
  withStore((store) => {
    store.register([sample(1), sample(2)]);
    store.saveMELists("/data/R1.root", 1, DS, new Map([["1:0", stored("A/x", "A/y")]]));
    store.saveMELists("/data/R2.root", 1, DS, new Map([["2:0", stored("A/y", "A/x")]]));
    const a = store.getSample({ dataset: DS, run: 1, lumi: 0 })!;
    const b = store.getSample({ dataset: DS, run: 2, lumi: 0 })!;
    assert.equal(a.melistId, b.melistId);
    assert.equal(store.counts().melists, 1);
    const blobs = store.loadMEList(a.melistId!)!;
    assert.equal(decodeMEList(blobs.names, blobs.infos).path(1), "A/y");
    assert.equal(store.loadMEList(12345), undefined);
  }),
);

Deno.test(
  "Store.saveMELists() leaves a sample re-registered with another file alone",
  withStore((store) => {
    store.register([sample(1)]);
    store.register([sample(1, 0, { file: "/data/new.root" })]);
    assert.equal(store.saveMELists("/data/R1.root", 1, DS, new Map([["1:0", stored("A/x")]])), 0);
    assert.equal(store.getSample({ dataset: DS, run: 1, lumi: 0 })?.melistId, null);
    assert.equal(store.counts().melists, 0);
  }),
);

Deno.test(
  "Store.saveMELists() registers new (run, lumi) pairs of a file as samples",
  withStore((store) => {
    const file = "/data/dqmio.root";
    store.register([sample(5, 1, { file, fileformat: 2 })]);
    const lists = new Map([["5:1", stored("A/x")], ["5:2", stored("A/y")], ["6:1", stored("A/x")]]);
    assert.equal(store.saveMELists(file, 2, DS, lists), 3);
    assert.deepEqual(store.lumis(DS, 5), [1, 2]);
    const added = store.getSample({ dataset: DS, run: 6, lumi: 1 })!;
    assert.deepEqual([added.file, added.fileformat], [file, 2]);
    assert.equal(added.melistId, store.getSample({ dataset: DS, run: 5, lumi: 1 })!.melistId);
    assert.equal(store.counts().melists, 2);
  }),
);

Deno.test(
  "Store.saveMELists() checks keys and lists before writing",
  withStore((store) => {
    throwsWith(
      () => store.saveMELists("/f", 1, DS, new Map([["1-0", stored("A")]])),
      TypeError,
      'key must be "run:lumi"',
    );
    throwsWith(
      () => store.saveMELists("/f", 1, DS, new Map([["1:0", { ...stored("A"), hash: "x" }]])),
      TypeError,
      "hash must be 64 lowercase hex digits",
    );
    assert.equal(store.isEmpty(), true);
  }),
);

Deno.test(
  "Store.setImportError() records the error for the same file and saveMELists() clears it",
  withStore((store) => {
    const key = { dataset: DS, run: 1, lumi: 0 };
    store.register([sample(1)]);
    store.setImportError(key, "/data/other.root", "ignored");
    assert.equal(store.getSample(key)?.importError, null);
    store.setImportError(key, "/data/R1.root", "Cannot read key at offset 100");
    assert.equal(store.getSample(key)?.importError, "Cannot read key at offset 100");
    store.saveMELists("/data/R1.root", 1, DS, new Map([["1:0", stored("A/x")]]));
    assert.equal(store.getSample(key)?.importError, null);
  }),
);

Deno.test(
  "Store keeps a shared ME list until its last sample lets go of it",
  withStore((store) => {
    store.register([sample(1), sample(2)]);
    store.saveMELists("/data/R1.root", 1, DS, new Map([["1:0", stored("A/x")]]));
    store.saveMELists("/data/R2.root", 1, DS, new Map([["2:0", stored("A/x")]]));
    store.register([sample(1)]);
    assert.equal(store.counts().melists, 1);
    store.saveMELists("/data/R2.root", 1, DS, new Map([["2:0", stored("A/z")]]));
    assert.deepEqual(store.counts(), { samples: 2, melists: 1 });
  }),
);

Deno.test("Store.garbageCollect() deletes lists that no sample references", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/gc.sqlite`;
    const store = Store.open(path);
    store.register([sample(1)]);
    store.saveMELists("/data/R1.root", 1, DS, new Map([["1:0", stored("A/x")]]));
    const raw = new DatabaseSync(path);
    raw.prepare(
      "INSERT INTO melists (hash, names, infos, count) VALUES ('h1', x'00', x'00', 0), ('h2', x'00', x'00', 0)",
    )
      .run();
    raw.close();
    assert.equal(store.garbageCollect(), 2);
    assert.equal(store.garbageCollect(), 0);
    assert.deepEqual(store.counts(), { samples: 1, melists: 1 });
    store.close();
  });
});

Deno.test(
  "Store round-trips a 100,000-entry ME list",
  withStore((store) => {
    const entries: MEEntry[] = [];
    for (let i = 0; i < 100_000; i++) {
      entries.push({
        path: `S${i % 9}/F${i % 101}/h${i}`,
        kind: "TH1F",
        seek: i,
        offset: 0,
        size: -1,
      });
    }
    const list = new MEList(entries);
    store.register([sample(1)]);
    store.saveMELists(
      "/data/R1.root",
      1,
      DS,
      new Map([["1:0", { ...encodeMEList(list), count: list.count }]]),
    );
    const blobs = store.loadMEList(store.getSample({ dataset: DS, run: 1, lumi: 0 })!.melistId!)!;
    const back = decodeMEList(blobs.names, blobs.infos);
    assert.equal(back.count, 100_000);
    assert.equal(back.seek(back.indexOf("S4/F4/h4")), 4);
  }),
);
