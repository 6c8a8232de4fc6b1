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

Deno.test("Store serves a reader thread while another thread writes (WAL)", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/threads.sqlite`;
    const writer = Store.open(path);
    writer.register([sample(1)]);
    const worker = new Worker(new URL("./_store_worker_fixture.ts", import.meta.url), {
      type: "module",
    });
    try {
      const done = new Promise<{ counts: number[]; error?: string }>((resolve) =>
        worker.onmessage = (e) => resolve(e.data)
      );
      worker.postMessage({ path, reads: 3000 });
      for (let batch = 0; batch < 50; batch++) {
        writer.register(Array.from({ length: 20 }, (_, k) => sample(1000 + batch, k + 1)));
        await new Promise((r) => setTimeout(r, 1));
      }
      const { counts, error } = await done;
      assert.equal(error, undefined);
      assert.ok(counts.every((n, i) => n >= 1 && n <= 1001 && (i === 0 || n >= counts[i - 1]!)));
      assert.equal(counts.every((n) => (n - 1) % 20 === 0), true);
    } finally {
      worker.terminate();
      writer.close();
    }
  });
});

Deno.test("Store.open() reports a file that is not a database", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/junk.sqlite`;
    await Deno.writeTextFile(
      path,
      "this is not a database, just text that is long enough ".repeat(100),
    );
    throwsWith(
      () => Store.open(path),
      Error,
      `Cannot open store "${path}": file is not a database`,
    );
  });
});

Deno.test(
  "Store never reuses the id of a released ME list",
  withStore((store) => {
    store.register([sample(1)]);
    store.saveMELists("/data/R1.root", 1, DS, new Map([["1:0", stored("A/x")]]));
    const first = store.getSample({ dataset: DS, run: 1, lumi: 0 })!.melistId!;
    store.register([sample(1)]);
    assert.equal(store.loadMEList(first), undefined);
    store.saveMELists("/data/R1.root", 1, DS, new Map([["1:0", stored("A/y")]]));
    assert.ok(store.getSample({ dataset: DS, run: 1, lumi: 0 })!.melistId! > first);
  }),
);

Deno.test("Store.retiredFiles() lists protobuf snapshots no sample uses any more", () => {
  const store = Store.open(":memory:");
  const live = { dataset: "/Global/Online/ALL", run: 355100, lumi: 0 };
  store.register([{ ...live, file: "/pb/a.pb", fileformat: 3 }]);
  store.register([{ ...live, file: "/pb/b.pb", fileformat: 3 }]);
  store.register([{ ...live, run: 1, file: "/root/x.root", fileformat: 1 }]);
  store.register([{ ...live, run: 1, file: "/root/y.root", fileformat: 1 }]);
  const future = Date.now() + 60_000;
  assert.deepEqual(store.retiredFiles(future).map((r) => r.file), ["/pb/a.pb"]);
  assert.equal(store.retiredFiles(0).length, 0);
  // Registered again: alive, no longer retired.
  store.register([{ ...live, file: "/pb/a.pb", fileformat: 3 }]);
  assert.deepEqual(store.retiredFiles(future).map((r) => r.file), ["/pb/b.pb"]);
  store.forgetRetired("/pb/b.pb");
  assert.deepEqual(store.retiredFiles(future), []);
  store.close();
});
