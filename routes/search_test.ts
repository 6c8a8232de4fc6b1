import assert from "node:assert/strict";
import { startApp } from "../tests/support/app_fixture.ts";
import { type LegacyME, writeLegacyDqmFile } from "../core/writer/legacy.ts";
import { makeTH1 } from "../core/writer/histograms.ts";

type App = Awaited<ReturnType<typeof startApp>>;

const DATASET = "/Search/Run2026A-v1/DQMIO";

function h1(name: string): LegacyME["value"] {
  return makeTH1("TH1F", { name, x: { nbins: 4, min: 0, max: 4 } });
}

function qt(status: number) {
  return {
    name: "XRange",
    status,
    result: status === 100 ? 1 : 0,
    algorithm: "ContentsXRange",
    message: "m",
  };
}

/** Pixel: 3 MEs (one warning), Pixel/Sub: 2 (one error), Strip: 2 (ok). */
function mes(): LegacyME[] {
  return [
    { path: "Pixel/charge", value: h1("charge"), qtests: [qt(100)] },
    { path: "Pixel/size", value: h1("size"), qtests: [qt(200)] },
    { path: "Pixel/Sub/eta", value: h1("eta"), qtests: [qt(300), qt(100)] },
    { path: "Pixel/Sub/phi", value: h1("phi") },
    { path: "Strip/charge", value: h1("charge"), qtests: [qt(100)] },
    { path: "Strip/noise", value: h1("noise") },
  ];
}

async function withSamples(fn: (t: App) => Promise<void>) {
  const t = await startApp();
  try {
    const file = `${t.root}/qt.root`;
    await Deno.writeFile(file, writeLegacyDqmFile({ run: 1, mes: mes() }));
    const rows: [string, number, number][] = [
      [DATASET, 100, 0],
      [DATASET, 101, 0],
      [DATASET, 105, 0],
      [DATASET, 105, 3],
      ["/Search/Run2026B-v1/DQMIO", 102, 0],
      ["/Other/Run2026A-v1/DQMIO", 103, 0],
    ];
    const res = await t.register(
      rows.map(([dataset, run, lumi]) => ({ dataset, run, lumi, file, fileformat: 1 })),
    );
    assert.equal(res.status, 201);
    await fn(t);
  } finally {
    await t.close();
  }
}

function keys(body: { data: { dataset: string; run: number; lumi: number }[] }): string[] {
  return body.data.map((s) => `${s.run}:${s.lumi} ${s.dataset}`);
}

Deno.test("GET /api/v1/find: substring, exact, regex; latest runs first; totals", async () => {
  await withSamples(async (t) => {
    const all = await t.getJson("/api/v1/find");
    assert.equal(all.status, 200);
    assert.deepEqual(keys(all.body), [
      `105:0 ${DATASET}`,
      "103:0 /Other/Run2026A-v1/DQMIO",
      "102:0 /Search/Run2026B-v1/DQMIO",
      `101:0 ${DATASET}`,
      `100:0 ${DATASET}`,
    ]);
    assert.equal(all.body.total, 5);
    assert.equal(all.body.truncated, false);

    const sub = await t.getJson("/api/v1/find?dataset=run2026a");
    assert.equal(sub.body.total, 4, "substring, case-insensitive");
    const exact = await t.getJson(`/api/v1/find?match=exact&dataset=${DATASET}`);
    assert.deepEqual(keys(exact.body), [
      `105:0 ${DATASET}`,
      `101:0 ${DATASET}`,
      `100:0 ${DATASET}`,
    ]);
    const exactPart = await t.getJson("/api/v1/find?match=exact&dataset=Search");
    assert.equal(exactPart.body.total, 0, "exact means the whole name");
    const re = await t.getJson(
      `/api/v1/find?match=regex&dataset=${encodeURIComponent("^/search/.*B-")}`,
    );
    assert.deepEqual(keys(re.body), ["102:0 /Search/Run2026B-v1/DQMIO"]);

    const limited = await t.getJson("/api/v1/find?limit=2");
    assert.equal(limited.body.data.length, 2);
    assert.equal(limited.body.total, 5);
    assert.equal(limited.body.truncated, true);
  });
});

Deno.test("GET /api/v1/find: run lists, ranges and bounds; the lumi rule", async () => {
  await withSamples(async (t) => {
    const runs = async (spec: string, extra = "") =>
      (await t.getJson(`/api/v1/find?run=${encodeURIComponent(spec)}${extra}`)).body.data.map((
        s: { run: number },
      ) => s.run);
    assert.deepEqual(await runs("100-101, 105"), [105, 101, 100]);
    assert.deepEqual(await runs(">=103"), [105, 103]);
    assert.deepEqual(await runs(">103"), [105]);
    assert.deepEqual(await runs("<=101"), [101, 100]);
    assert.deepEqual(await runs("<101"), [100]);
    assert.deepEqual(await runs(" 102 "), [102]);
    assert.deepEqual(await runs("", "&lumi=-1"), [105]);
    assert.deepEqual(await runs("105", "&lumi=3"), [105]);
    assert.deepEqual(await runs("105", "&lumi=all"), [105, 105]);
    assert.deepEqual(await runs("9999999999"), [], "beyond 32 bits: no match, not an error");
    assert.deepEqual(await runs(">4294967295"), []);
  });
});

Deno.test("GET /api/v1/find: bad input is a 400 naming the field", async () => {
  await withSamples(async (t) => {
    const cases: [string, RegExp][] = [
      ["run=abc", /Invalid run: cannot read "abc"/],
      ["run=10-5", /Invalid run: range "10-5" ends before it starts/],
      ["run=<0", /Invalid run: "<0" matches no run/],
      ["match=fuzzy", /Invalid query: match/],
      ["lumi=-2", /Invalid query: lumi/],
      ["limit=0", /Invalid limit/],
      ["limit=20000", /Invalid limit/],
      ["match=regex&dataset=(", /Invalid dataset: /],
      ["match=regex&dataset=" + encodeURIComponent("(.*a)*"), /Invalid dataset: a repeated group/],
    ];
    for (const [query, message] of cases) {
      const res = await t.getJson(`/api/v1/find?${query}`);
      assert.equal(res.status, 400, query);
      assert.match(res.body.message, message, query);
    }
  });
});

Deno.test("GET /api/v1/archive: failing counts per folder, qt=failing|error filters", async () => {
  await withSamples(async (t) => {
    const root = await t.getJson(`/api/v1/archive/100${DATASET}/`);
    assert.deepEqual(root.body.data, [
      { subdir: "Pixel", me_count: 4, failing: 2 },
      { subdir: "Strip", me_count: 2, failing: 0 },
    ]);
    const failing = await t.getJson(`/api/v1/archive/100${DATASET}/?qt=failing`);
    assert.deepEqual(failing.body.data, [{ subdir: "Pixel", me_count: 2, failing: 2 }]);
    const pixel = await t.getJson(`/api/v1/archive/100${DATASET}/Pixel?qt=error`);
    assert.deepEqual(pixel.body.data, [{ subdir: "Sub", me_count: 1, failing: 1 }]);
    const sub = await t.getJson(`/api/v1/archive/100${DATASET}/Pixel/Sub?qt=failing`);
    assert.deepEqual(sub.body.data.map((e: { name: string }) => e.name), ["eta"]);
    assert.deepEqual(sub.body.data[0].qtstatuses, [300, 100]);
    const errors = await t.getJson(`/api/v1/archive/100${DATASET}/?qt=error`);
    assert.deepEqual(errors.body.data, [{ subdir: "Pixel", me_count: 1, failing: 1 }]);
    const searched = await t.getJson(`/api/v1/archive/100${DATASET}/?search=^(s|c)`);
    assert.deepEqual(searched.body.data, [
      { subdir: "Pixel", me_count: 2, failing: 1 },
      { subdir: "Strip", me_count: 1, failing: 0 },
    ]);
    const bad = await t.getJson(`/api/v1/archive/100${DATASET}/?qt=bad`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /Invalid qt: expected "failing" or "error", got "bad"/);
  });
});

Deno.test("GET /api/v1/search: regex over full paths below a folder, qt, limit, total", async () => {
  await withSamples(async (t) => {
    const all = await t.getJson(`/api/v1/search/100${DATASET}?q=CHARGE`);
    assert.equal(all.status, 200);
    assert.deepEqual(all.body.data.map((e: { path: string }) => e.path), [
      "Pixel/charge",
      "Strip/charge",
    ]);
    assert.deepEqual(all.body.data[0].name, "Pixel/charge", "named relative to the folder");
    assert.equal(all.body.total, 2);
    assert.equal(all.body.truncated, false);

    const below = await t.getJson(
      `/api/v1/search/100${DATASET}/Pixel?q=${encodeURIComponent("sub/")}`,
    );
    assert.deepEqual(below.body.data.map((e: { name: string }) => e.name), ["Sub/eta", "Sub/phi"]);
    const failing = await t.getJson(`/api/v1/search/100${DATASET}?q=&qt=failing`);
    assert.deepEqual(failing.body.data.map((e: { path: string }) => e.path), [
      "Pixel/Sub/eta",
      "Pixel/size",
    ]);
    const limited = await t.getJson(`/api/v1/search/100${DATASET}?q=.&limit=2`);
    assert.equal(limited.body.data.length, 2);
    assert.equal(limited.body.total, 6);
    assert.equal(limited.body.truncated, true);
    const none = await t.getJson(`/api/v1/search/100${DATASET}/Nowhere?q=x`);
    assert.deepEqual(none.body, { data: [], total: 0, truncated: false });

    for (
      const [query, message] of [
        ["q=(", /Invalid q: /],
        ["q=" + encodeURIComponent("(a+)+$"), /Invalid q: a repeated group that itself repeats/],
        ["q=a&limit=0", /Invalid limit/],
        ["q=a&limit=9999", /Invalid limit/],
        ["q=a&qt=warn", /Invalid qt/],
      ] as const
    ) {
      const res = await t.getJson(`/api/v1/search/100${DATASET}?${query}`);
      assert.equal(res.status, 400, query);
      assert.match(res.body.message, message);
    }
    const missing = await t.getJson(`/api/v1/search/999${DATASET}?q=a`);
    assert.equal(missing.status, 404);
  });
});
