import assert from "node:assert/strict";
import { startApp } from "../tests/support/app_fixture.ts";
import { testFiles } from "../tests/support/testdata.ts";

const legacy = testFiles(["dqm-legacy"]);
const GEM = legacy.find((f) => f.name.startsWith("DQM_V0001_GEM"))!;
const DATASET = "/GEM/Run2022-v1/DQMIO";

async function withGem(fn: (t: Awaited<ReturnType<typeof startApp>>) => Promise<void>) {
  const t = await startApp();
  try {
    await Deno.copyFile(GEM.path, `${t.root}/gem.root`);
    assert.equal(
      (await t.register([{
        dataset: DATASET,
        run: 344518,
        lumi: 0,
        file: `${t.root}/gem.root`,
        fileformat: 1,
      }])).status,
      201,
    );
    await fn(t);
  } finally {
    await t.close();
  }
}

Deno.test("GET /api/v1/archive lists sub-folders with ME counts, then MEs in order", async () => {
  await withGem(async (t) => {
    const root = await t.getJson(`/api/v1/archive/344518${DATASET}/`);
    assert.equal(root.status, 200);
    assert.deepEqual(root.body.data, [{ subdir: "GEM", me_count: 626 }]);
    const gem = await t.getJson(`/api/v1/archive/344518${DATASET}/GEM`);
    const names = gem.body.data.map((e: { subdir?: string }) => e.subdir);
    assert.deepEqual(names, [...names].sort());
    assert.equal(
      gem.body.data.reduce((n: number, e: { me_count: number }) => n + e.me_count, 0),
      626,
    );
    const info = await t.getJson(`/api/v1/archive/344518${DATASET}/GEM/EventInfo/`);
    const summary = info.body.data.find((e: { name?: string }) => e.name === "reportSummary");
    assert.deepEqual(summary, {
      name: "reportSummary",
      path: "GEM/EventInfo/reportSummary",
      layout: null,
      qtstatuses: [],
      kind: "Float",
      value: "0.1666666716337204",
    });
    const map = info.body.data.find((e: { name?: string }) => e.name === "reportSummaryMap");
    assert.equal(map.kind, "TH2F");
    const objects = info.body.data.filter((e: { name?: string }) => e.name).map((
      e: { name: string },
    ) => e.name);
    assert.deepEqual(objects, [...objects].sort());
  });
});

Deno.test("GET /api/v1/archive accepts run:lumi, ';' separators and the legacy route", async () => {
  await withGem(async (t) => {
    const plain = await t.getJson(`/api/v1/archive/344518${DATASET}/GEM/EventInfo`);
    const lumi0 = await t.getJson(
      `/api/v1/archive/344518:0${DATASET}/GEM/EventInfo?search=report;notOlderThan=1`,
    );
    assert.equal(lumi0.status, 200);
    assert.ok(lumi0.body.data.length > 0 && lumi0.body.data.length < plain.body.data.length);
    const legacyRoute = await t.getJson(`/data/json/archive/344518${DATASET}/GEM/EventInfo`);
    assert.deepEqual(legacyRoute.body.contents, plain.body.data);
  });
});

Deno.test("GET /api/v1/archive search is a case-insensitive regex matched anywhere in the name", async () => {
  await withGem(async (t) => {
    const res = await t.getJson(`/api/v1/archive/344518${DATASET}/GEM/EventInfo?search=SUMMARY`);
    const names = res.body.data.map((e: { name: string }) => e.name);
    assert.ok(names.includes("reportSummary") && names.includes("reportSummaryMap"));
    const dirs = await t.getJson(`/api/v1/archive/344518${DATASET}/GEM?search=^digi_occ`);
    for (const d of dirs.body.data) assert.ok(d.me_count > 0);
    const bad = await t.getJson(`/api/v1/archive/344518${DATASET}/GEM?search=(`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /Invalid search/);
  });
});

Deno.test("GET /api/v1/archive answers 404 for unknown samples, 200 [] for unknown folders, 400 for bad runs", async () => {
  await withGem(async (t) => {
    const missing = await t.getJson(`/api/v1/archive/1${DATASET}/GEM`);
    assert.equal(missing.status, 404);
    assert.match(missing.body.message, /Cannot find sample/);
    assert.deepEqual((await t.getJson(`/api/v1/archive/344518${DATASET}/NoSuchFolder`)).body, {
      data: [],
    });
    for (const run of ["abc", "1:2:3", "-5", "12:x"]) {
      const res = await t.getJson(`/api/v1/archive/${run}${DATASET}/GEM`);
      assert.equal(res.status, 400, run);
      assert.match(res.body.message, /Invalid run/);
    }
    assert.equal((await t.getJson("/api/v1/archive/344518/onlytwo/parts")).status, 400);
    assert.equal(
      (await t.getJson(`/api/v1/archive/344518${DATASET}/GEM?notOlderThan=yesterday`)).status,
      400,
    );
  });
});

Deno.test("GET /api/v1/archive of a sample registered after a 404 works at once (no negative caching)", async () => {
  await withGem(async (t) => {
    assert.equal((await t.getJson(`/api/v1/archive/7${DATASET}/`)).status, 404);
    await t.register([{
      dataset: DATASET,
      run: 7,
      lumi: 0,
      file: `${t.root}/gem.root`,
      fileformat: 1,
    }]);
    assert.equal((await t.getJson(`/api/v1/archive/7${DATASET}/`)).status, 200);
  });
});

Deno.test("GET /api/v1/archive imports once for many concurrent requests of one sample", async () => {
  await withGem(async (t) => {
    const before = t.pool.stats.completed;
    const all = await Promise.all(
      Array.from({ length: 30 }, () => t.app.request(`/api/v1/archive/344518${DATASET}/GEM`)),
    );
    assert.ok(all.every((r) => r.status === 200));
    await Promise.all(all.map((r) => r.body?.cancel()));
    assert.equal(t.pool.stats.completed - before, 1);
  });
});

Deno.test("GET /api/v1/archive of a corrupt file answers 422 naming the file and offset; others keep working", async () => {
  await withGem(async (t) => {
    await t.getJson(`/api/v1/archive/344518${DATASET}/GEM`);
    const bytes = await Deno.readFile(GEM.path);
    const truncated = `${t.root}/truncated.root`;
    await Deno.writeFile(truncated, bytes.slice(0, Math.floor(bytes.length * 0.6)));
    const flipped = bytes.slice();
    for (let i = 100; i < 400; i++) flipped[i] = 0xff;
    await Deno.writeFile(`${t.root}/flipped.root`, flipped);
    await Deno.writeFile(`${t.root}/garbage.root`, new TextEncoder().encode("definitely not ROOT"));
    for (
      const [run, name] of [[1, "truncated.root"], [2, "flipped.root"], [
        3,
        "garbage.root",
      ]] as const
    ) {
      await t.register([{
        dataset: DATASET,
        run,
        lumi: 0,
        file: `${t.root}/${name}`,
        fileformat: 1,
      }]);
      const res = await t.getJson(`/api/v1/archive/${run}${DATASET}/`);
      assert.equal(res.status, 422, name);
      assert.match(res.body.message, new RegExp(`${name}`));
      assert.match(res.body.message, /at offset \d+/);
      // A second request is answered from the failure record, without re-parsing.
      const failedBefore = t.pool.stats.failed;
      assert.equal((await t.getJson(`/api/v1/archive/${run}${DATASET}/`)).status, 422);
      assert.equal(t.pool.stats.failed, failedBefore);
    }
    const good = await t.getJson(`/api/v1/archive/344518${DATASET}/GEM`);
    assert.equal(good.status, 200);
    assert.equal(t.store.samples({}).length, 4);
    assert.deepEqual(t.logged, []);
  });
});

Deno.test("GET /api/v1/archive answers 429 when the import queue is full", async () => {
  const t = await startApp({ pool: { workers: 1, maxPending: 2 } });
  try {
    const files = legacy.slice(0, 6);
    for (const [i, f] of files.entries()) {
      await Deno.copyFile(f.path, `${t.root}/${i}.root`);
      await t.register([{
        dataset: DATASET,
        run: i + 1,
        lumi: 0,
        file: `${t.root}/${i}.root`,
        fileformat: 1,
      }]);
    }
    const responses = await Promise.all(
      files.map((_, i) => t.app.request(`/api/v1/archive/${i + 1}${DATASET}/`)),
    );
    const statuses = responses.map((r) => r.status);
    await Promise.all(responses.map((r) => r.body?.cancel()));
    assert.ok(statuses.includes(429), String(statuses));
    assert.ok(statuses.includes(200), String(statuses));
    assert.equal(responses.find((r) => r.status === 429)!.headers.get("retry-after"), "1");
    // Once the queue drains, the refused samples import normally.
    for (let i = 0; i < files.length; i++) {
      assert.equal((await t.getJson(`/api/v1/archive/${i + 1}${DATASET}/`)).status, 200);
    }
  } finally {
    await t.close();
  }
});

for (const file of legacy) {
  Deno.test(`GET /api/v1/archive browses ${file.name} with counts matching the ME total`, async () => {
    const t = await startApp();
    try {
      await Deno.copyFile(file.path, `${t.root}/f.root`);
      await t.register([{
        dataset: DATASET,
        run: 1,
        lumi: 0,
        file: `${t.root}/f.root`,
        fileformat: 1,
      }]);
      let total = 0;
      const walk = async (folder: string): Promise<number> => {
        const res = await t.getJson(`/api/v1/archive/1${DATASET}/${folder}`);
        assert.equal(res.status, 200);
        let below = 0;
        for (const e of res.body.data) {
          if (e.subdir !== undefined) {
            const n = await walk(`${folder}${e.subdir}/`);
            assert.equal(n, e.me_count, `${folder}${e.subdir}`);
            below += n;
          } else {
            assert.equal(e.path, `${folder}${e.name}`);
            below++;
          }
        }
        return below;
      };
      total = await walk("");
      const sample = t.store.getSample({ dataset: DATASET, run: 1, lumi: 0 })!;
      assert.ok(sample.melistId !== null);
      assert.ok(total > 0);
    } finally {
      await t.close();
    }
  });
}
