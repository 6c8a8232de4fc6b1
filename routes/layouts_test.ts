import assert from "node:assert/strict";
import { startApp } from "../tests/support/app_fixture.ts";
import { type LegacyME, writeLegacyDqmFile } from "../core/writer/legacy.ts";
import { makeTH2 } from "../core/writer/histograms.ts";
import { Layouts, parseLayoutFile } from "../core/service/layouts.ts";

const DATASET = "/Layouts/Run2026A-v1/DQMIO";

function map(name: string): LegacyME["value"] {
  return makeTH2("TH2F", {
    name,
    x: { nbins: 2, min: 0, max: 2 },
    y: { nbins: 2, min: 0, max: 2 },
  });
}

const LAYOUTS = new Layouts([
  parseLayoutFile(
    "summary.json",
    JSON.stringify({
      scope: "all",
      layouts: [
        ...["Pixel", "Strip", "Absent"].map((s) => ({
          name: "Summaries",
          source: `${s}/EventInfo/reportSummaryMap`,
          destination: "Summary/reportSummaryMap",
          draw: { zmin: 0, zmax: 1 },
        })),
        // Destinations that are a real ME or a real folder: the real one wins.
        {
          name: "Clash",
          source: "Pixel/EventInfo/reportSummaryMap",
          destination: "Strip/EventInfo/reportSummaryMap",
        },
        {
          name: "Clash",
          source: "Pixel/EventInfo/reportSummaryMap",
          destination: "Strip/EventInfo",
        },
      ],
    }),
  ),
  parseLayoutFile(
    "shift.json",
    JSON.stringify({
      scope: "offline",
      dqmitems: {
        "Pixel/Layouts/00 - Pixel shift": [[{
          path: "Pixel/EventInfo/reportSummaryMap",
          description: "call the DOC below 0.9",
          overlays: ["Strip/EventInfo/reportSummaryMap"],
        }]],
      },
    }),
  ),
]);

async function withLayouts(fn: (t: Awaited<ReturnType<typeof startApp>>) => Promise<void>) {
  const t = await startApp({ layouts: LAYOUTS });
  try {
    const file = `${t.root}/layouts.root`;
    const fail = {
      name: "Range",
      status: 300,
      result: 0,
      algorithm: "ContentsRange",
      message: "m",
    };
    await Deno.writeFile(
      file,
      writeLegacyDqmFile({
        run: 1,
        mes: [
          { path: "Pixel/EventInfo/reportSummaryMap", value: map("a"), qtests: [fail] },
          { path: "Strip/EventInfo/reportSummaryMap", value: map("b") },
        ],
      }),
    );
    const res = await t.register([{ dataset: DATASET, run: 7, lumi: 0, file, fileformat: 1 }]);
    assert.equal(res.status, 201);
    await fn(t);
  } finally {
    await t.close();
  }
}

Deno.test("GET /api/v1/archive merges layouts: virtual folders, counts, source paths, draw", async () => {
  await withLayouts(async (t) => {
    const root = await t.getJson(`/api/v1/archive/7${DATASET}/`);
    assert.deepEqual(root.body.data, [
      { subdir: "Pixel", me_count: 2, failing: 2 },
      { subdir: "Strip", me_count: 1, failing: 0 },
      { subdir: "Summary", me_count: 2, failing: 1 },
    ], "a layout whose source the sample lacks is left out");
    const summary = await t.getJson(`/api/v1/archive/7${DATASET}/Summary`);
    assert.deepEqual(summary.body.data, [
      {
        name: "reportSummaryMap",
        path: "Pixel/EventInfo/reportSummaryMap",
        layout: "Summaries",
        draw: { zmin: 0, zmax: 1 },
        description: "",
        qtstatuses: [300],
        kind: "TH2F",
        qtests: [{
          name: "Range",
          status: 300,
          result: 0,
          algorithm: "ContentsRange",
          message: "m",
        }],
      },
      {
        name: "reportSummaryMap",
        path: "Strip/EventInfo/reportSummaryMap",
        layout: "Summaries",
        draw: { zmin: 0, zmax: 1 },
        description: "",
        qtstatuses: [],
        kind: "TH2F",
      },
    ]);
    const shift = await t.getJson(`/api/v1/archive/7${DATASET}/Pixel/Layouts`);
    assert.deepEqual(shift.body.data[0].overlays, ["Strip/EventInfo/reportSummaryMap"]);
    assert.equal(shift.body.data[0].description, "call the DOC below 0.9");
    assert.equal(shift.body.data[0].layout, "00 - Pixel shift");

    const failing = await t.getJson(`/api/v1/archive/7${DATASET}/Summary?qt=error`);
    assert.deepEqual(failing.body.data.map((e: { path: string }) => e.path), [
      "Pixel/EventInfo/reportSummaryMap",
    ]);
    const searched = await t.getJson(`/api/v1/archive/7${DATASET}/?search=^nothing`);
    assert.deepEqual(searched.body.data, []);
    const strip = await t.getJson(`/api/v1/archive/7${DATASET}/Strip`);
    assert.deepEqual(strip.body.data, [{ subdir: "EventInfo", me_count: 1, failing: 0 }]);
    const stripInfo = await t.getJson(`/api/v1/archive/7${DATASET}/Strip/EventInfo`);
    assert.deepEqual(stripInfo.body.data.map((e: { layout: string | null }) => e.layout), [null]);
  });
});

Deno.test("GET /api/v1/search finds layout entries by their virtual path", async () => {
  await withLayouts(async (t) => {
    const res = await t.getJson(`/api/v1/search/7${DATASET}?q=${encodeURIComponent("^summary/")}`);
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.data.map((e: { name: string; path: string; layout: string }) => [
        e.name,
        e.path,
        e.layout,
      ]),
      [
        ["Summary/reportSummaryMap", "Pixel/EventInfo/reportSummaryMap", "Summaries"],
        ["Summary/reportSummaryMap", "Strip/EventInfo/reportSummaryMap", "Summaries"],
      ],
    );
    assert.equal(res.body.total, 2);
    const below = await t.getJson(`/api/v1/search/7${DATASET}/Summary?q=map&qt=error`);
    assert.deepEqual(below.body.data.map((e: { name: string }) => e.name), ["reportSummaryMap"]);
  });
});

Deno.test("GET /api/v1/layouts lists a layout's entries once each", async () => {
  await withLayouts(async (t) => {
    const res = await t.getJson("/api/v1/layouts?name=Summaries");
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data, [
      { source: "Pixel/EventInfo/reportSummaryMap", destination: "Summary/reportSummaryMap" },
      { source: "Strip/EventInfo/reportSummaryMap", destination: "Summary/reportSummaryMap" },
      { source: "Absent/EventInfo/reportSummaryMap", destination: "Summary/reportSummaryMap" },
    ]);
    assert.deepEqual((await t.getJson("/api/v1/layouts")).body, { data: [] });
    assert.deepEqual((await t.getJson("/api/v1/layouts?name=nope")).body, { data: [] });
  });
});
