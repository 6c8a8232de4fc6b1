import assert from "node:assert/strict";
import { startApp } from "../tests/support/app_fixture.ts";
import { testFiles } from "../tests/support/testdata.ts";

const GEM = testFiles(["dqm-legacy"]).find((f) => f.name.startsWith("DQM_V0001_GEM"))!;
const good = (file: string) => ({
  dataset: "/GEM/Run2022-v1/DQMIO",
  run: 344518,
  lumi: 0,
  file,
  fileformat: 1,
});

Deno.test("POST /api/v1/register registers samples in one transaction and answers 201", async () => {
  const t = await startApp();
  try {
    const file = `${t.root}/gem.root`;
    await Deno.copyFile(GEM.path, file);
    const res = await t.register([good(file), { ...good(file), run: "344519", lumi: "0" }]);
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { registered: 2 });
    const { body } = await t.getJson("/api/v1/samples");
    assert.deepEqual(body.data.map((s: { run: number }) => s.run), [344519, 344518]);
  } finally {
    await t.close();
  }
});

Deno.test("POST /api/v1/register answers 400 naming the field for malformed input", async () => {
  const t = await startApp();
  try {
    const file = `${t.root}/gem.root`;
    await Deno.copyFile(GEM.path, file);
    const cases: [unknown, RegExp][] = [
      ["{not json", /not JSON/],
      [{ dataset: "/A/B/C" }, /expected a JSON array/],
      [[{ run: 1, lumi: 0, file, fileformat: 1 }], /\[0\]\.dataset/],
      [[{ ...good(file), run: -3 }], /\[0\]\.run: expected run >= 0/],
      [[{ ...good(file), run: "12a" }], /\[0\]\.run/],
      [[{ ...good(file), lumi: 1.5 }], /\[0\]\.lumi/],
      [[{ ...good(file), fileformat: 4 }], /\[0\]\.fileformat: expected 1, 2 or 3/],
      [[{ ...good(file), fileformat: "1" }], /\[0\]\.fileformat/],
      [[{ ...good(file), dataset: "noslash" }], /\[0\]\.dataset/],
      [[good(file), { ...good(file), file: 7 }], /\[1\]\.file/],
      [[{ ...good(file), extra: 1 }], /\[0\]/],
    ];
    for (const [body, message] of cases) {
      const res = await t.register(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match((await res.json()).message, message);
    }
    assert.equal(t.store.isEmpty(), true);
  } finally {
    await t.close();
  }
});

Deno.test("POST /api/v1/register refuses a file outside the data roots without opening it (403)", async () => {
  const t = await startApp();
  const outside = await Deno.makeTempDir();
  try {
    // A FIFO blocks whoever opens it for reading: a request that opened it would hang.
    const fifo = `${outside}/trap.root`;
    const mk = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assert.equal(mk.code, 0);
    for (
      const path of [fifo, `${t.root}/../../${outside.split("/").pop()}/trap.root`, "/etc/passwd"]
    ) {
      const res = await t.register([good(path)]);
      assert.equal(res.status, 403, path);
      assert.match((await res.json()).message, /outside every data root/);
    }
    await Deno.symlink(fifo, `${t.root}/link.root`);
    const res = await t.register([good(`${t.root}/link.root`)]);
    assert.equal(res.status, 403);
    assert.equal(t.store.isEmpty(), true);
  } finally {
    await t.close();
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("POST /api/v1/register answers 404 for a missing file and writes nothing", async () => {
  const t = await startApp();
  try {
    const file = `${t.root}/gem.root`;
    await Deno.copyFile(GEM.path, file);
    const res = await t.register([good(file), { ...good(`${t.root}/missing.root`), run: 2 }]);
    assert.equal(res.status, 404);
    assert.match((await res.json()).message, /missing\.root/);
    assert.equal(t.store.isEmpty(), true);
  } finally {
    await t.close();
  }
});

Deno.test("POST /api/v1/register requires the bearer token when one is configured (401)", async () => {
  const t = await startApp({ registerToken: "s3cret" });
  try {
    const file = `${t.root}/gem.root`;
    await Deno.copyFile(GEM.path, file);
    assert.equal((await t.register([good(file)])).status, 401);
    assert.equal((await t.register([good(file)], { authorization: "Bearer wrong" })).status, 401);
    assert.equal((await t.register([good(file)], { authorization: "Bearer s3cret" })).status, 201);
  } finally {
    await t.close();
  }
});

Deno.test("POST /api/v1/register with a new file replaces what a sample shows at once (fixes stale caches)", async () => {
  const t = await startApp();
  try {
    const [a, b] = testFiles(["root-histos"]).filter((f) =>
      ["TH2_5.root", "TH3D.root"].includes(f.name)
    );
    await Deno.copyFile(a!.path, `${t.root}/a.root`);
    await Deno.copyFile(b!.path, `${t.root}/b.root`);
    await t.register([good(`${t.root}/a.root`)]);
    const url = "/api/v1/archive/344518/GEM/Run2022-v1/DQMIO/";
    assert.deepEqual((await t.getJson(url)).body.data.map((o: { name: string }) => o.name), [
      "myTH2F",
    ]);
    await t.register([good(`${t.root}/b.root`)]);
    assert.deepEqual((await t.getJson(url)).body.data.map((o: { name: string }) => o.name), [
      "histogram",
    ]);
  } finally {
    await t.close();
  }
});
