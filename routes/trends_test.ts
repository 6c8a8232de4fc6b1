import assert from "node:assert/strict";
import { startApp } from "../tests/support/app_fixture.ts";
import { type LegacyME, writeLegacyDqmFile } from "../core/writer/legacy.ts";
import { makeTH1, makeTH2 } from "../core/writer/histograms.ts";
import { fill, setBinContent } from "../core/writer/fill.ts";
import { writeDqmioFile } from "../core/writer/dqmio.ts";

const DATASET = "/Trend/Run2026A-v1/DQMIO";
const RUNS = [10, 11, 12, 13, 14];

/** What run `r` fills into Pixel/charge: known values, so mean and RMS are known exactly. */
function fills(run: number): number[] {
  return Array.from({ length: 20 + run }, (_, i) => ((i * 7 + run) % 40) / 4 + 0.125);
}

function mes(run: number): LegacyME[] {
  const h = makeTH1("TH1F", { name: "charge", x: { nbins: 40, min: 0, max: 10 } });
  for (const x of fills(run)) fill(h, x);
  const out: LegacyME[] = [
    { path: "Pixel/EventInfo/reportSummary", value: { kind: "Float", value: 0.9 + run / 1000 } },
  ];
  if (run !== 13) out.push({ path: "Pixel/charge", value: h });
  // A summary map filled cell by cell (no stored sums): 2×2 bins over x in [0, 2).
  const map = makeTH2("TH2F", {
    name: "map",
    x: { nbins: 2, min: 0, max: 2 },
    y: { nbins: 2, min: 0, max: 2 },
  });
  for (const [x, y, w] of mapCells(run)) setBinContent(map, x + 4 * y, w);
  out.push({ path: "Pixel/EventInfo/reportSummaryMap", value: map });
  return out;
}

/** Cells of the map: [x bin, y bin, content] (cell index x + (nx + 2)·y). */
function mapCells(run: number): [number, number, number][] {
  return [[1, 1, 1], [2, 1, run / 10], [1, 2, 0.5], [2, 2, 0.25]];
}

function meanAndRms(xs: number[]): [number, number] {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return [mean, Math.sqrt(variance)];
}

async function withRuns(fn: (t: Awaited<ReturnType<typeof startApp>>) => Promise<void>) {
  const t = await startApp();
  try {
    const items = [];
    for (const run of RUNS) {
      const file = `${t.root}/run${run}.root`;
      let bytes = writeLegacyDqmFile({ run, mes: mes(run) });
      if (run === 14) bytes = bytes.slice(0, Math.floor(bytes.length * 0.6)); // damaged copy
      await Deno.writeFile(file, bytes);
      items.push({ dataset: DATASET, run, lumi: 0, file, fileformat: 1 });
    }
    assert.equal((await t.register(items)).status, 201);
    await fn(t);
  } finally {
    await t.close();
  }
}

Deno.test("GET /api/v1/trend follows a histogram's mean, rms and entries over runs", async () => {
  await withRuns(async (t) => {
    const res = await t.getJson(`/api/v1/trend${DATASET}/Pixel/charge`);
    assert.equal(res.status, 200);
    assert.equal(res.body.quantity, "mean", "histograms default to the mean");
    assert.deepEqual(res.body.points.map((p: { run: number }) => p.run), [10, 11, 12]);
    for (const p of res.body.points) {
      const [mean, rms] = meanAndRms(fills(p.run));
      assert.ok(Math.abs(p.value - mean) < 1e-9, `run ${p.run}: ${p.value} vs ${mean}`);
      assert.ok(Math.abs(p.error - rms / Math.sqrt(fills(p.run).length)) < 1e-9);
    }
    assert.deepEqual(res.body.missing, [13], "run 13 lacks the ME");
    assert.equal(res.body.failed.length, 1);
    assert.equal(res.body.failed[0].run, 14);
    assert.match(res.body.failed[0].message, /run14\.root/, "the damaged file is named");

    const rms = await t.getJson(`/api/v1/trend${DATASET}/Pixel/charge?quantity=rms&run=11-12`);
    assert.deepEqual(
      rms.body.points.map((p: { run: number; value: number }) => [p.run, p.value.toFixed(9)]),
      [11, 12].map((r) => [r, meanAndRms(fills(r))[1].toFixed(9)]),
    );
    const entries = await t.getJson(`/api/v1/trend${DATASET}/Pixel/charge?quantity=entries`);
    assert.deepEqual(
      entries.body.points.map((p: { value: number }) => p.value),
      [10, 11, 12].map((r) => fills(r).length),
    );
    const integral = await t.getJson(`/api/v1/trend${DATASET}/Pixel/charge?quantity=integral`);
    assert.deepEqual(
      integral.body.points.map((p: { value: number }) => p.value),
      [10, 11, 12].map((r) => fills(r).length),
    );
    const latest = await t.getJson(`/api/v1/trend${DATASET}/Pixel/charge?limit=2`);
    assert.deepEqual(latest.body.points, [], "the latest two runs: 13 lacks it, 14 is damaged");
    assert.deepEqual(latest.body.missing, [13]);
  });
});

Deno.test("GET /api/v1/trend of a map filled cell by cell uses its bin contents", async () => {
  await withRuns(async (t) => {
    const mean = await t.getJson(`/api/v1/trend${DATASET}/Pixel/EventInfo/reportSummaryMap`);
    assert.deepEqual(mean.body.points.map((p: { run: number }) => p.run), [10, 11, 12, 13]);
    for (const p of mean.body.points) {
      const cells = mapCells(p.run);
      const sw = cells.reduce((a, [, , w]) => a + w, 0);
      const swx = cells.reduce((a, [x, , w]) => a + w * (x - 0.5), 0); // bin x centres 0.5, 1.5
      assert.ok(Math.abs(p.value - swx / sw) < 1e-6, `run ${p.run}: ${p.value} vs ${swx / sw}`);
    }
    const max = await t.getJson(
      `/api/v1/trend${DATASET}/Pixel/EventInfo/reportSummaryMap?quantity=max&run=10`,
    );
    assert.equal(max.body.points[0].value, 1);
    const min = await t.getJson(
      `/api/v1/trend${DATASET}/Pixel/EventInfo/reportSummaryMap?quantity=min&run=12`,
    );
    assert.equal(min.body.points[0].value, 0.25);
    const integral = await t.getJson(
      `/api/v1/trend${DATASET}/Pixel/EventInfo/reportSummaryMap?quantity=integral&run=10`,
    );
    assert.ok(Math.abs(integral.body.points[0].value - 2.75) < 1e-6);
  });
});

Deno.test("GET /api/v1/trend follows a scalar's value; bad input is a 400", async () => {
  await withRuns(async (t) => {
    const res = await t.getJson(`/api/v1/trend${DATASET}/Pixel/EventInfo/reportSummary`);
    assert.equal(res.body.quantity, "value");
    assert.deepEqual(res.body.points.map((p: { run: number }) => p.run), [10, 11, 12, 13]);
    for (const p of res.body.points) assert.ok(Math.abs(p.value - (0.9 + p.run / 1000)) < 1e-12);
    const notScalar = await t.getJson(`/api/v1/trend${DATASET}/Pixel/charge?quantity=value`);
    assert.deepEqual(notScalar.body.points, []);
    assert.deepEqual(notScalar.body.missing, [10, 11, 12, 13]);
    for (
      const [query, message] of [
        ["/Pixel/charge?quantity=median", /Invalid query: quantity/],
        ["/Pixel/charge?limit=0", /Invalid limit/],
        ["/Pixel/charge?run=abc", /Invalid run/],
        ["", /Invalid ME path/],
      ] as const
    ) {
      const bad = await t.getJson(`/api/v1/trend${DATASET}${query}`);
      assert.equal(bad.status, 400, query);
      assert.match(bad.body.message, message);
    }
  });
});

Deno.test("GET /api/v1/trend?lumis=RUN follows the lumisections of one run (DQMIO)", async () => {
  const t = await startApp();
  try {
    const run = 355100;
    const perLumi = (lumi: number): LegacyME[] => {
      const h = makeTH1("TH1F", { name: "charge", x: { nbins: 40, min: 0, max: 10 } });
      for (const x of fills(lumi)) fill(h, x);
      return [
        { path: "Pixel/charge", value: h },
        { path: "Pixel/EventInfo/rate", value: { kind: "Float", value: lumi * 10 } },
      ];
    };
    const { bytes } = writeDqmioFile({
      run,
      lumis: 6,
      mesPerLumi: perLumi,
      perRunMEs: () => perLumi(100),
      emptyLumis: [4],
      types: ["TH1F", "Float"],
    });
    const file = `${t.root}/dqmio.root`;
    await Deno.writeFile(file, bytes);
    const dataset = "/Trend/Run2026A-PerLumi-v1/DQMIO";
    assert.equal(
      (await t.register([{ dataset, run, lumi: -1, file, fileformat: 2 }])).status,
      201,
    );
    const res = await t.getJson(
      `/api/v1/trend${dataset}/Pixel/charge?lumis=${run}&quantity=entries`,
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.by, "lumi");
    const lumis = (await t.getJson(`/api/v1/lumis/${run}${dataset}`)).body.filter((l: number) =>
      l > 0
    );
    const withMEs = lumis.filter((l: number) => l !== 4);
    assert.deepEqual(
      res.body.points.map((p: { lumi: number; value: number }) => [p.lumi, p.value]),
      withMEs.map((l: number) => [l, fills(l).length]),
    );
    assert.deepEqual(res.body.missing, lumis.includes(4) ? [4] : []);
    const rate = await t.getJson(
      `/api/v1/trend${dataset}/Pixel/EventInfo/rate?lumis=${run}&limit=2`,
    );
    assert.deepEqual(
      rate.body.points.map((p: { lumi: number; value: number }) => [p.lumi, p.value]),
      withMEs.slice(-2).map((l: number) => [l, l * 10]),
    );
    const bad = await t.getJson(`/api/v1/trend${dataset}/Pixel/charge?lumis=x`);
    assert.equal(bad.status, 400);
  } finally {
    await t.close();
  }
});
