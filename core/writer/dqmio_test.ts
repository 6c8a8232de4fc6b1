import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { errorMatching } from "../../tests/support/compare.ts";
import { histogramSummary } from "../../tests/support/jsroot_dump.ts";
import type { RootObject, TH1, TProfile } from "../root/models/types.ts";
import {
  DQMIO_TREES,
  DQMIO_TYPES,
  type DqmioManifest,
  type DqmioOptions,
  kNoTypesStored,
  writeDqmioFile,
} from "./dqmio.ts";
import { makeTH1, makeTH3 } from "./histograms.ts";
import { fill } from "./fill.ts";
import { generateMEs } from "./generate.ts";
import { LumiRefiller } from "./_dqmio_refill.ts";
import { captureConsole, type JsrootAny, jsrootOpen, jsrootRows } from "./_test_helpers.ts";

const INDICES_BRANCHES = [
  "Run",
  "Lumi",
  "ProcessHistoryIndex",
  "BeginTime",
  "EndTime",
  "Type",
  "FirstIndex",
  "LastIndex",
];

/** Reads every type tree with JSROOT and checks each entry against the manifest. */
async function assertTypeTreesMatch(file: JsrootAny, manifest: DqmioManifest): Promise<void> {
  const byTree = DQMIO_TREES.map(() => [] as DqmioManifest["transitions"][number]["mes"]);
  for (const t of manifest.transitions) for (const me of t.mes) byTree[me.type]!.push(me);
  for (const [type, name] of DQMIO_TREES.entries()) {
    const expected = byTree[type]!.sort((a, b) => a.entry - b.entry);
    const { tree, rows } = await jsrootRows(file, name, ["FullName", "Flags", "Value"]);
    strictEqual(tree.fEntries, expected.length, `${name} entries`);
    strictEqual(rows.length, expected.length, `${name} rows read`);
    rows.forEach((row, i) => {
      const me = expected[i]!;
      const where = `${name}[${i}] ${me.path}`;
      strictEqual(me.entry, i, where);
      strictEqual(row.FullName, me.path, where);
      strictEqual(row.Flags, 0, where);
      if (type === 0) strictEqual(row.Value, Number(me.value), where);
      else if (type <= 2) strictEqual(row.Value, me.value, where);
      else {
        strictEqual(row.Value._typename, DQMIO_TYPES[type], where);
        deepStrictEqual(histogramSummary(row.Value), histogramSummary(me.value), where);
      }
    });
  }
}

const SMALL: DqmioOptions = {
  run: 345678,
  lumis: 3,
  mesPerLumi: 300,
  perRunMEs: 100,
  basketSize: 2000,
  emptyLumis: [2],
  seed: 11,
};

Deno.test("writeDqmioFile() lays out Indices, the 14 type trees, MetaData and the GUID as CMSSW does", async () => {
  const { bytes, manifest } = writeDqmioFile(SMALL);
  const [, messages] = await captureConsole(async () => {
    const file = await jsrootOpen(bytes);
    deepStrictEqual(
      file.fKeys.map((k: JsrootAny) => [k.fClassName, k.fName, k.fCycle]),
      [
        ["string", "cms::edm::GUID", 1],
        ["TDirectory", "MetaData", 1],
        ["TTree", "Indices", 1],
        ...DQMIO_TREES.map((n) => ["TTree", n, 1]),
        ["TList", "StreamerInfo", 1],
      ],
    );
    const meta = await file.readDirectory("MetaData");
    deepStrictEqual(meta.fKeys.map((k: JsrootAny) => k.fName), [
      "ProcessHistories",
      "ParameterSets",
    ]);
    const infos = new Set(file.fStreamerInfos.arr.map((si: JsrootAny) => si.fName));
    for (
      const c of ["TTree", "TBranch", "TBranchElement", "TBranchObject", "TLeafObject", "TH2I"]
    ) {
      ok(infos.has(c), `StreamerInfo of ${c}`);
    }
    const ints = await file.readObject("Ints");
    strictEqual(ints.fTitle, "Ints");
    const [fullName, flags, value] = ints.fBranches.arr;
    deepStrictEqual(
      [fullName._typename, fullName.fClassName, fullName.fID, fullName.fStreamerType],
      ["TBranchElement", "string", -1, -1],
    );
    deepStrictEqual([flags._typename, flags.fTitle, flags.fLeaves.arr[0].fIsUnsigned], [
      "TBranch",
      "Flags/i",
      true,
    ]);
    deepStrictEqual([value.fTitle, value.fLeaves.arr[0]._typename], ["Value/L", "TLeafL"]);
    const floats = await file.readObject("Floats");
    strictEqual(floats.fBranches.arr[2].fLeaves.arr[0]._typename, "TLeafD");
    const strings = await file.readObject("Strings");
    strictEqual(strings.fBranches.arr[2].fClassName, "string");
    for (const [type, name] of DQMIO_TREES.entries()) {
      if (type < 3) continue;
      const v = (await file.readObject(name)).fBranches.arr[2];
      deepStrictEqual(
        [v._typename, v.fClassName, v.fLeaves.arr[0]._typename, v.fLeaves.arr[0].fTitle],
        ["TBranchObject", DQMIO_TYPES[type], "TLeafObject", DQMIO_TYPES[type]],
      );
      strictEqual(v.fLeaves.arr[0].fVirtual, true);
    }
    const idx = await file.readObject("Indices");
    deepStrictEqual(
      idx.fBranches.arr.map((b: JsrootAny) => b.fTitle),
      [
        "Run/i",
        "Lumi/i",
        "ProcessHistoryIndex/i",
        "BeginTime/l",
        "EndTime/l",
        "Type/i",
        "FirstIndex/l",
        "LastIndex/l",
      ],
    );
    const ph = await jsrootRows(file, "MetaData/ProcessHistories", ["Index", "ProcessName"]);
    deepStrictEqual(ph.rows.map((r) => r.ProcessName), ["HLT", "RECO"]);
    const ps = await jsrootRows(file, "MetaData/ParameterSets", ["ParameterSetBlob"]);
    ok(ps.rows.every((r) => r.ParameterSetBlob.startsWith("<@")));
    await assertTypeTreesMatch(file, manifest);
  });
  deepStrictEqual(messages, [], "JSROOT prints no warning or error");
  const guidKey = new TextDecoder().decode(bytes).indexOf("cms::edm::GUID");
  ok(guidKey > 0);
  ok(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/.test(manifest.guid));
});

Deno.test("writeDqmioFile() Indices entries, read by JSROOT, follow DQMRootOutputModule's rules", async () => {
  const { bytes, manifest } = writeDqmioFile(SMALL);
  const { rows } = await jsrootRows(await jsrootOpen(bytes), "Indices", INDICES_BRANCHES);
  deepStrictEqual(
    rows.map((r) => [r.Run, r.Lumi, r.Type, r.FirstIndex, r.LastIndex]),
    manifest.indices.map((r) => [r.run, r.lumi, r.type, r.firstIndex, r.lastIndex]),
  );
  deepStrictEqual(
    rows.map((r) => [BigInt(r.BeginTime), BigInt(r.EndTime), r.ProcessHistoryIndex]),
    manifest.indices.map((r) => [r.beginTime, r.endTime, 0]),
  );
  // Lumis in order, the run (Lumi 0) last; types ascending within a transition.
  deepStrictEqual([...new Set(rows.map((r) => r.Lumi))], [1, 2, 3, 0]);
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]!.Lumi === rows[i - 1]!.Lumi) ok(rows[i]!.Type > rows[i - 1]!.Type);
  }
  // The empty lumisection has one kNoTypesStored entry with a 0–0 range.
  deepStrictEqual(
    rows.filter((r) => r.Lumi === 2).map((r) => [r.Type, r.FirstIndex, r.LastIndex]),
    [
      [kNoTypesStored, 0, 0],
    ],
  );
  // Inclusive ranges, consecutive per type, covering each type tree from 0 to its last entry.
  for (const [type, name] of DQMIO_TREES.entries()) {
    const ranges = rows.filter((r) => r.Type === type).map((r) => [r.FirstIndex, r.LastIndex]);
    let next = 0;
    for (const [first, last] of ranges) {
      strictEqual(first, next, `${name} range starts after the previous one`);
      ok(last! >= first!);
      next = last! + 1;
    }
    strictEqual(next, manifest.trees.find((t) => t.name === name)!.entries, name);
  }
});

for (const compression of ["zlib", "lzma", "lz4", "zstd", "none"] as const) {
  Deno.test(`writeDqmioFile() with ${compression} and 2000-byte baskets reads back, via JSROOT, every ME`, async () => {
    const { bytes, manifest } = writeDqmioFile({ ...SMALL, compression });
    const [, messages] = await captureConsole(async () => {
      const file = await jsrootOpen(bytes);
      strictEqual(file.fCompress, manifest.compression);
      await assertTypeTreesMatch(file, manifest);
    });
    deepStrictEqual(messages, []);
    const th1 = manifest.trees.find((t) => t.name === "TH1Fs")!;
    const baskets = Object.fromEntries(th1.branches.map((b) => [b.name, b.baskets]));
    ok(
      baskets.FullName! >= 2 && baskets.Value! >= 10,
      `several baskets: ${JSON.stringify(baskets)}`,
    );
  });
}

Deno.test("writeDqmioFile() gives lumisection MEs new contents each lumisection under the same names", () => {
  const { manifest } = writeDqmioFile({ ...SMALL, emptyLumis: [] });
  const [l1, l2] = manifest.transitions;
  deepStrictEqual(l1!.mes.map((m) => m.path), l2!.mes.map((m) => m.path));
  const histos = (t: typeof l1) => t!.mes.filter((m) => m.type >= 3 && m.type !== 6);
  const changed = histos(l1).filter((m, i) =>
    JSON.stringify(histogramSummary(m.value)) !==
      JSON.stringify(histogramSummary(histos(l2)[i]!.value))
  );
  ok(changed.length > histos(l1).length * 0.9, `${changed.length} of ${histos(l1).length} changed`);
  const lumiSection = (t: typeof l1) => t!.mes.find((m) => m.path.endsWith("/iLumiSection"))?.value;
  deepStrictEqual([lumiSection(l1), lumiSection(l2)], [1n, 2n]);
  const runPaths = new Set(manifest.transitions.at(-1)!.mes.map((m) => m.path));
  ok(l1!.mes.every((m) => !runPaths.has(m.path)), "run-level and lumi-level MEs differ");
});

Deno.test("writeDqmioFile() covers all 14 types from 14 MEs on, or only the types asked for", () => {
  const all = writeDqmioFile({ run: 1, lumis: 1, mesPerLumi: 14, perRunMEs: 14 });
  for (const t of all.manifest.transitions) {
    deepStrictEqual(new Set(t.mes.map((m) => m.type)), new Set(DQMIO_TREES.map((_, i) => i)));
  }
  const some = writeDqmioFile({ run: 1, lumis: 2, mesPerLumi: 30, types: ["Int", "TH1I", "TH3F"] });
  const used = new Set(some.manifest.indices.map((r) => DQMIO_TREES[r.type]));
  deepStrictEqual(used, new Set(["Ints", "TH1Is", "TH3Fs"]));
  ok(some.manifest.transitions[0]!.mes.length === 30);
});

Deno.test("writeDqmioFile() takes MEs from functions and rejects classes DQMIO cannot store", async () => {
  const h = makeTH1("TH1F", { name: "occupancy", x: { nbins: 10, min: 0, max: 10 } });
  for (let i = 0; i < 50; i++) fill(h, (i * 7) % 11);
  const { bytes, manifest } = writeDqmioFile({
    run: 9,
    lumis: 2,
    mesPerLumi: (lumi) => [
      { path: "Pixel/EventInfo/iLumiSection", value: { kind: "Int", value: lumi } },
      { path: "Pixel/Hits/occupancy", value: h },
    ],
    perRunMEs:
      () => [{ path: "Pixel/EventInfo/hostName", value: { kind: "String", value: "dqm-01" } }],
  });
  deepStrictEqual(
    manifest.indices.map((r) => [r.lumi, DQMIO_TREES[r.type], r.firstIndex, r.lastIndex]),
    [[1, "Ints", 0, 0], [1, "TH1Fs", 0, 0], [2, "Ints", 1, 1], [2, "TH1Fs", 1, 1], [
      0,
      "Strings",
      0,
      0,
    ]],
  );
  await assertTypeTreesMatch(await jsrootOpen(bytes), manifest);
  const th3d = makeTH3("TH3D", { name: "cube", x: { nbins: 2, min: 0, max: 1 } });
  throws(
    () => writeDqmioFile({ run: 1, lumis: 1, mesPerLumi: () => [{ path: "A/cube", value: th3d }] }),
    errorMatching(TypeError, 'Cannot write ME "A/cube" to DQMIO'),
  );
});

Deno.test("writeDqmioFile() returns the same bytes for the same options", () => {
  const a = writeDqmioFile({ ...SMALL, compression: "lz4" }).bytes;
  const b = writeDqmioFile({ ...SMALL, compression: "lz4" }).bytes;
  deepStrictEqual(a, b);
});

Deno.test("writeDqmioFile() rejects bad options with a TypeError naming the value", () => {
  throws(
    () => writeDqmioFile({ run: -1, lumis: 1, mesPerLumi: 1 }),
    errorMatching(TypeError, "run -1"),
  );
  throws(
    () => writeDqmioFile({ run: 1, lumis: 1.5, mesPerLumi: 1 }),
    errorMatching(TypeError, "1.5"),
  );
  throws(
    // deno-lint-ignore no-explicit-any
    () => writeDqmioFile({ run: 1, lumis: 1, mesPerLumi: 1, types: ["TH4F" as any] }),
    errorMatching(TypeError, '"TH4F"'),
  );
  throws(
    // deno-lint-ignore no-explicit-any
    () => writeDqmioFile({ run: 1, lumis: 1, mesPerLumi: 1, compression: "brotli" as any }),
    errorMatching(TypeError, '"brotli"'),
  );
});

Deno.test("writeDqmioFile() manifest modes keep objects, paths only or nothing", () => {
  const paths = writeDqmioFile({ ...SMALL, manifest: "paths" }).manifest;
  ok(
    paths.transitions[0]!.mes.length > 0 && paths.transitions[0]!.mes.every((m) => !("value" in m)),
  );
  const none = writeDqmioFile({ ...SMALL, manifest: "none" }).manifest;
  ok(none.transitions.every((t) => t.mes.length === 0));
  deepStrictEqual(none.indices, paths.indices);
  const objects = writeDqmioFile(SMALL).manifest;
  const th1 = objects.transitions[0]!.mes.find((m) => m.type === 3)!.value as RootObject as TH1;
  strictEqual(th1._typename, "TH1F");
});

Deno.test("LumiRefiller.refill() keeps each histogram's statistics consistent with its cells", () => {
  const mes = generateMEs({ count: 400, seed: 21, maxEntries: 300 });
  const refiller = new LumiRefiller(mes, 4);
  for (const lumi of [1, 2]) {
    for (const me of refiller.refill(lumi)) {
      if ("kind" in me.value) continue;
      const h = me.value as TH1;
      if (h.fTsumw === 0 && h.fEntries > 0 && !h._typename.startsWith("TProfile")) continue; // maps
      const nx = h.fXaxis.fNbins + 2, ny = h.fYaxis.fNbins + 2;
      const dim = /^TH2|TProfile2D/.test(h._typename) ? 2 : h._typename.startsWith("TH3") ? 3 : 1;
      const weights = h._typename.startsWith("TProfile") ? (h as TProfile).fBinEntries : h.fArray;
      let inRange = 0;
      for (let c = 0; c < weights.length; c++) {
        const bx = c % nx, by = Math.floor(c / nx) % ny, bz = Math.floor(c / (nx * ny));
        const inside = bx >= 1 && bx < nx - 1 && (dim < 2 || (by >= 1 && by < ny - 1)) &&
          (dim < 3 || (bz >= 1 && bz <= h.fZaxis.fNbins));
        if (inside) inRange += weights[c]!;
      }
      ok(Math.abs(inRange - h.fTsumw) < 1e-6 * Math.max(1, h.fTsumw), `${me.path} fTsumw`);
      ok(h.fEntries >= 1, me.path);
      if (h.fTsumw > 0) {
        const mean = h.fTsumwx / h.fTsumw;
        ok(mean >= h.fXaxis.fXmin && mean <= h.fXaxis.fXmax, `${me.path} mean inside the axis`);
      }
    }
  }
});
