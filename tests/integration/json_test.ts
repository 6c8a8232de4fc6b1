import assert from "node:assert/strict";
import { makeSVG, parse } from "jsroot";
import { dqmClassicImporter } from "../../core/importers/mod.ts";
import { FileSource, RootFile } from "../../core/root/mod.ts";
import { startApp } from "../support/app_fixture.ts";
import { histogramSummary } from "../support/jsroot_dump.ts";
import { diff } from "../support/root_summary.ts";
import { testFiles } from "../support/testdata.ts";

const DATASET = "/Json/Test-v1/ROOT";
const unquote = (s: string) => s.replaceAll('"', "");

/** ME path → raw key path;cycle, by matching the importer's seeks with the file's keys. */
async function mePaths(
  path: string,
): Promise<Map<string, { key: string; kind: string; value?: string }>> {
  const source = await FileSource.open(path);
  try {
    const file = await RootFile.open(source);
    const bySeek = new Map<number, string>();
    for await (const { path: p, key } of file.walk()) {
      bySeek.set(key.fSeekKey, `${unquote(p)};${key.fCycle}`);
    }
    const { lists } = await dqmClassicImporter.importFile(source, {
      dataset: DATASET,
      run: 1,
      lumi: 0,
    });
    const out = new Map<string, { key: string; kind: string; value?: string }>();
    for (const e of [...lists.values()][0]!) {
      out.set(e.path, { key: bySeek.get(e.seek)!, kind: e.kind, value: e.value });
    }
    return out;
  } finally {
    source.close();
  }
}

/** JSON has no NaN: our JSON writes NaN cells as null; the summary wants them back as NaN. */
function nullsToNaN<T extends Record<string, unknown>>(object: T): T {
  for (const member of ["fArray", "fSumw2", "fBinEntries"]) {
    const values = object[member];
    if (Array.isArray(values)) {
      object[member as keyof T] = values.map((v) => v ?? NaN) as T[keyof T];
    }
  }
  return object;
}

for (const file of testFiles()) {
  const expectedObjects = Object.keys(file.expected.objects).length;
  if (expectedObjects === 0) continue;
  Deno.test(`GET /api/v1/json serves every histogram of ${file.name} as JSROOT reads it, and JSROOT draws it`, async () => {
    const t = await startApp();
    try {
      await Deno.copyFile(file.path, `${t.root}/f.root`);
      assert.equal(
        (await t.register([{
          dataset: DATASET,
          run: 1,
          lumi: 0,
          file: `${t.root}/f.root`,
          fileformat: 1,
        }])).status,
        201,
      );
      const problems: string[] = [];
      let checked = 0;
      for (const [me, { key, kind, value }] of await mePaths(file.path)) {
        const expected = file.expected.objects[key] as Record<string, unknown> | undefined;
        const res = await t.app.request(
          `/api/v1/json/1${DATASET}/${me.split("/").map(encodeURIComponent).join("/")}`,
        );
        if (!expected) {
          await res.body?.cancel();
          continue;
        }
        if (res.status !== 200) {
          problems.push(`${me}: HTTP ${res.status} ${await res.text()}`);
          continue;
        }
        const json = await res.json();
        assert.deepEqual(json.dqmProperties, { efficiency: false });
        const object = parse(JSON.stringify(json));
        if (value !== undefined) {
          // A scalar ME comes back as a TObjString holding its value.
          if (object.fString !== value) {
            problems.push(`${me}: scalar ${object.fString} != ${value}`);
          }
        } else if (kind === "TObjString") {
          problems.push(...diff({ class: "TObjString", value: object.fString }, expected, 0, me));
        } else {
          problems.push(...diff(histogramSummary(nullsToNaN(object)), expected, 1e-9, me));

          const svg = await makeSVG({ object, width: 266, height: 200 });
          if (!svg.startsWith("<svg")) problems.push(`${me}: JSROOT drew no SVG`);
        }
        checked++;
      }
      assert.deepEqual(problems.slice(0, 10), []);
      assert.ok(checked > 0);
    } finally {
      await t.close();
    }
  });
}

Deno.test("GET /api/v1/json answers 404 with the closest names, ETag and 304", async () => {
  const t = await startApp();
  try {
    const gem = testFiles(["dqm-legacy"]).find((f) => f.name.startsWith("DQM_V0001_GEM"))!;
    await Deno.copyFile(gem.path, `${t.root}/g.root`);
    await t.register([{
      dataset: DATASET,
      run: 7,
      lumi: 0,
      file: `${t.root}/g.root`,
      fileformat: 1,
    }]);
    const missing = await t.getJson(`/api/v1/json/7${DATASET}/GEM/EventInfo/reportSumaryMap`);
    assert.equal(missing.status, 404);
    assert.match(missing.body.message, /closest: "GEM\/EventInfo\/reportSummaryMap"/);
    const url = `/api/v1/json/7${DATASET}/GEM/EventInfo/reportSummaryMap`;
    const first = await t.app.request(url);
    assert.equal(first.status, 200);
    const etag = first.headers.get("etag")!;
    assert.match(etag, /^W\/"[0-9a-f]+"$/);
    await first.body?.cancel();
    assert.equal((await t.app.request(url, { headers: { "if-none-match": etag } })).status, 304);
    const scalar = await t.getJson(`/jsrootfairy/archive/7${DATASET}/GEM/EventInfo/iRun`);
    assert.deepEqual(scalar.body, {
      _typename: "TObjString",
      fUniqueID: 0,
      fBits: 0,
      fString: "344518",
      dqmProperties: { efficiency: false },
    });
    const overlay = await t.getJson(
      `/api/v1/json_overlay?obj=archive/7${DATASET}/GEM/EventInfo/reportSummaryMap;obj=archive/7${DATASET}/GEM/EventInfo/iRun`,
    );
    assert.equal(overlay.body.objects.length, 2);
    assert.equal(overlay.body.objects[0]._typename, "TH2F");
    assert.equal((await t.getJson("/api/v1/json_overlay")).status, 400);
    assert.equal((await t.getJson(`/api/v1/json_overlay?obj=archive/7${DATASET}`)).status, 400);
  } finally {
    await t.close();
  }
});
