import assert from "node:assert/strict";
import { FileSource, MemorySource } from "../root/mod.ts";
import { testFiles } from "../../tests/support/testdata.ts";
import { dqmClassicImporter, latestCycles, parseScalarXml, splitQTestName } from "./mod.ts";
import type { MEEntry } from "../store/me_entry.ts";

const RUN_SUMMARY_PATH = /^DQMData\/Run (\d+)\/([^/]+)\/Run summary\/(.+)$/;

/**
 * What the spec's normalisation (spec/formats.md §3.1) makes of JSROOT's key
 * list: `DQMData/Run N/<sub>/Run summary/<rest>` → `<sub>/<rest>`, highest
 * cycle, TObjString scalars by their fake-XML name.
 */
function expectedFromKeys(
  keys: [string, number, string][],
): Map<string, { kind: string; value?: string }> {
  const best = new Map<string, [number, string]>();
  for (const [path, cycle, cls] of keys) {
    if (cls === "TDirectory" || cls === "TDirectoryFile") continue;
    const prev = best.get(path);
    if (!prev || cycle > prev[0]) best.set(path, [cycle, cls]);
  }
  const out = new Map<string, { kind: string; value?: string }>();
  for (const [path, [, cls]] of best) {
    const m = RUN_SUMMARY_PATH.exec(path);
    if (!m) continue;
    // A scalar's key name is fake XML, whose closing tag contains a "/".
    const xml = cls === "TObjString"
      ? /^(?:(.*)\/)?<([^>]+)>([ifs])=(.*)<\/\2>$/.exec(m[3]!)
      : null;
    if (xml) {
      const dir = xml[1] ? `${m[2]}/${xml[1]}` : m[2];
      const kind = { i: "Int", f: "Float", s: "String" }[xml[3] as "i" | "f" | "s"];
      out.set(`${dir}/${xml[2]}`, { kind, value: xml[4]!.replace(/^"(.*)"$/, "$1") });
    } else {
      out.set(`${m[2]}/${m[3]}`, { kind: cls });
    }
  }
  return out;
}

async function importPath(path: string, run = 1): Promise<MEEntry[]> {
  const source = await FileSource.open(path);
  try {
    const result = await dqmClassicImporter.importFile(source, { dataset: "/A/B/C", run, lumi: 0 });
    assert.deepEqual([...result.lists.keys()], [`${run}:0`]);
    assert.deepEqual(result.warnings, []);
    return result.lists.get(`${run}:0`)!;
  } finally {
    source.close();
  }
}

for (const file of testFiles(["dqm-legacy"])) {
  const expected = expectedFromKeys(file.expected.keys);
  if (expected.size === 0) continue;
  Deno.test(`dqmClassicImporter.importFile() imports the MEs of ${file.name} by the spec's rule`, async () => {
    const entries = await importPath(file.path);
    const actual = new Map(
      entries.map((
        e,
      ) => [e.path, e.value === undefined ? { kind: e.kind } : { kind: e.kind, value: e.value }]),
    );
    assert.deepEqual(new Map([...actual].sort()), new Map([...expected].sort()));
  });
}

Deno.test("dqmClassicImporter.importFile() browses files without the DQM layout", async () => {
  const byName = new Map(testFiles().map((f) => [f.name, f]));
  const reference = await importPath(byName.get("Reference.root")!.path);
  assert.ok(
    reference.some((e) => e.path === "SiStrip/Tracks/NumberOfTracks_CKFTk" && e.kind === "TH1F"),
  );
  assert.equal(reference.length, 26);
  const hcal = await importPath(byName.get("HcalRecHitValidationHB_ref.root")!.path);
  assert.ok(hcal.every((e) => e.path.startsWith("HcalRecHitTask/")));
  const cosmics = await importPath(byName.get("csc_reference_cosmics.root")!.path);
  assert.deepEqual(cosmics.map((e) => e.path), ["CSC/Summary/CSC_Reporting"]);
  const nested = await importPath(byName.get("tdir_complicated.root")!.path);
  assert.deepEqual(nested.map((e) => e.path).sort(), [
    "a",
    "b",
    "mydir/Events",
    "mydir/c",
    "mydir/d",
    "mydir/mysubdir/e",
    "mydir/mysubdir/f",
  ]);
});

Deno.test("dqmClassicImporter.importFile() keeps the highest cycle of a key", async () => {
  const file = testFiles().find((f) => f.name === "csc_reference_cosmics.root")!;
  const [entry] = await importPath(file.path);
  const cycles = file.expected.keys.filter(([p]) => p.endsWith("CSC_Reporting"));
  assert.equal(cycles.length, 2);
  const source = await FileSource.open(file.path);
  try {
    const { RootFile } = await import("../root/mod.ts");
    const root = await RootFile.open(source);
    const key = await root.readKeyAt(entry!.seek);
    assert.equal(key.fCycle, 2);
  } finally {
    source.close();
  }
});

Deno.test("dqmClassicImporter.importFile() honours the registered lumisection (fixes forced lumi 0)", async () => {
  const file = testFiles(["dqm-legacy"]).find((f) => f.name.startsWith("DQM_V0001_GEM"))!;
  const source = await FileSource.open(file.path);
  try {
    const result = await dqmClassicImporter.importFile(source, {
      dataset: "/A/B/C",
      run: 344518,
      lumi: 7,
    });
    assert.deepEqual([...result.lists.keys()], ["344518:7"]);
  } finally {
    source.close();
  }
});

Deno.test("dqmClassicImporter.canImport() recognises the ROOT magic", () => {
  assert.equal(dqmClassicImporter.canImport(new TextEncoder().encode("root\0\0")), true);
  assert.equal(dqmClassicImporter.canImport(new Uint8Array([0x0a, 0x10])), false);
});

Deno.test("dqmClassicImporter.importFile() rejects a non-ROOT file with RootFormatError", async () => {
  const { RootFormatError } = await import("../root/mod.ts");
  await assert.rejects(
    dqmClassicImporter.importFile(new MemorySource(new Uint8Array(100), "zeros.root"), {
      dataset: "/A/B/C",
      run: 1,
      lumi: 0,
    }),
    RootFormatError,
  );
});

Deno.test("parseScalarXml() decodes every fake-XML form", () => {
  assert.deepEqual(parseScalarXml("<iRun>i=344518</iRun>"), {
    type: "Int",
    name: "iRun",
    value: "344518",
  });
  assert.deepEqual(parseScalarXml("<r>f=0.1666666716337204</r>"), {
    type: "Float",
    name: "r",
    value: "0.1666666716337204",
  });
  assert.deepEqual(parseScalarXml('<CMSSW>s="CMSSW_7_5_0"</CMSSW>'), {
    type: "String",
    name: "CMSSW",
    value: "CMSSW_7_5_0",
  });
  assert.deepEqual(parseScalarXml("<h>s=a<b</h>"), { type: "String", name: "h", value: "a<b" });
  assert.deepEqual(parseScalarXml("<h>e=1</h>"), { type: "Efficiency", name: "h" });
  assert.deepEqual(parseScalarXml("<h>t=7</h>"), { type: "Tag", name: "h", value: "7" });
  assert.deepEqual(
    parseScalarXml("<h.KS>qr=st:300:0.25:Comp2RefKolmogorov:KS test: p=0.01</h.KS>"),
    {
      type: "QTest",
      name: "h.KS",
      qtest: {
        name: "",
        status: 300,
        result: 0.25,
        algorithm: "Comp2RefKolmogorov",
        message: "KS test: p=0.01",
      },
    },
  );
  assert.equal(parseScalarXml("DQMPATCH:0"), null);
  assert.equal(parseScalarXml("<a>x</b>"), null);
  assert.equal(parseScalarXml("<a>qr=bad</a>"), null);
});

Deno.test("splitQTestName() prefers the longest existing ME name before a dot", () => {
  const mes = new Set(["eff.vs.eta", "hits"]);
  assert.deepEqual(splitQTestName("eff.vs.eta.XrangeWithin", (n) => mes.has(n)), [
    "eff.vs.eta",
    "XrangeWithin",
  ]);
  assert.deepEqual(splitQTestName("hits.Mean.Within", (n) => mes.has(n)), ["hits", "Mean.Within"]);
  assert.deepEqual(splitQTestName("other.test", () => false), ["other", "test"]);
  assert.equal(splitQTestName("nodot", () => false), null);
});

Deno.test("latestCycles() keeps one key per name, the highest cycle", () => {
  const key = (fName: string, fCycle: number) =>
    ({ fName, fCycle }) as Parameters<typeof latestCycles>[0][number];
  assert.deepEqual(
    latestCycles([key("a", 1), key("b", 1), key("a", 3), key("a", 2)]).map((k) =>
      `${k.fName};${k.fCycle}`
    ),
    [
      "a;3",
      "b;1",
    ],
  );
});
