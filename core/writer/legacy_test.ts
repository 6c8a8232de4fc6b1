import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { errorMatching } from "../../tests/support/compare.ts";
import { histogramSummary, jsrootSummary } from "../../tests/support/jsroot_dump.ts";
import { formatG17 } from "./_format.ts";
import { fill, fillProfile } from "./fill.ts";
import { makeTH1, makeTH2, makeTProfile } from "./histograms.ts";
import {
  efficiencyKeyName,
  legacyFileName,
  type LegacyME,
  qtestKeyName,
  scalarKeyName,
  writeLegacyDqmFile,
} from "./legacy.ts";

Deno.test("formatG17() matches C printf %.17g", () => {
  // Expected strings produced by C's printf (through Python's % operator).
  const cases: [number, string][] = [
    [0.1666666716337204, "0.1666666716337204"],
    [1628531679.5199361, "1628531679.5199361"],
    [-1, "-1"],
    [0, "0"],
    [1e20, "1e+20"],
    [1.5e-5, "1.5e-05"],
    [0.0001, "0.0001"],
    [1.2345678901234568e17, "1.2345678901234568e+17"],
    [0.1, "0.10000000000000001"],
    [1e16, "10000000000000000"],
    [12345678901234567, "12345678901234568"],
    [-2.5e-300, "-2.5e-300"],
    [5e-324, "4.9406564584124654e-324"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [0.00012345, "0.00012344999999999999"],
    [100, "100"],
    [0.9999999999999999, "0.99999999999999989"],
    [123.456, "123.456"],
    [NaN, "nan"],
    [-Infinity, "-inf"],
  ];
  for (const [x, s] of cases) strictEqual(formatG17(x), s, String(x));
});

Deno.test("scalarKeyName() encodes Int, Float and String MEs (spec §3.1)", () => {
  strictEqual(scalarKeyName("iRun", { kind: "Int", value: 344518 }), "<iRun>i=344518</iRun>");
  strictEqual(
    scalarKeyName("iEvent", { kind: "Int", value: 9007199254740993n }),
    "<iEvent>i=9007199254740993</iEvent>",
  );
  strictEqual(
    scalarKeyName("reportSummary", { kind: "Float", value: Math.fround(1 / 6) }),
    "<reportSummary>f=0.1666666716337204</reportSummary>",
  );
  strictEqual(
    scalarKeyName("hostName", { kind: "String", value: "lxplus755.cern.ch" }),
    "<hostName>s=lxplus755.cern.ch</hostName>",
  );
  throws(
    () => scalarKeyName("n", { kind: "Int", value: 1.5 }),
    errorMatching(TypeError, "1.5 is not an integer"),
  );
  throws(
    () => scalarKeyName("a<b", { kind: "Int", value: 1 }),
    errorMatching(TypeError, 'scalar ME "a<b"'),
  );
});

Deno.test("qtestKeyName() and efficiencyKeyName() follow the legacy encoding", () => {
  strictEqual(
    qtestKeyName("chi2", {
      name: "ContentsXRange",
      status: 300,
      result: 0.25,
      algorithm: "ContentsXRange",
      message: "range: 0:10 exceeded",
    }),
    "<chi2.ContentsXRange>qr=st:300:0.25:ContentsXRange:range: 0:10 exceeded</chi2.ContentsXRange>",
  );
  strictEqual(efficiencyKeyName("eff_pt"), "<eff_pt>e=1</eff_pt>");
});

Deno.test("legacyFileName() builds DQM_V0001_R<run>__<dataset>.root", () => {
  strictEqual(legacyFileName(357538), "DQM_V0001_R000357538__Global__CMSSW_X_Y_Z__RECO.root");
  strictEqual(legacyFileName(1, "/A/B/DQMIO"), "DQM_V0001_R000000001__A__B__DQMIO.root");
});

function sampleMEs(): LegacyME[] {
  const h = makeTH1("TH1F", {
    name: "ntracks",
    title: "Tracks",
    x: { nbins: 20, min: 0, max: 20 },
  });
  for (let i = 0; i < 100; i++) fill(h, (i * 7) % 23);
  const eff = makeTProfile({ name: "eff_eta", x: { nbins: 5, min: -2.5, max: 2.5 } });
  for (let i = 0; i < 30; i++) fillProfile(eff, -2.4 + i / 6, i % 3 ? 1 : 0);
  const map = makeTH2("TH2F", {
    name: "reportSummaryMap",
    x: { nbins: 2, min: 0, max: 2, labels: ["EB-", "EB+"] },
    y: { nbins: 1, min: 0, max: 1, labels: ["Status"] },
  });
  return [
    {
      path: "Pixel/Tracks/ntracks",
      value: h,
      qtests: [
        {
          name: "MeanWithin",
          status: 100,
          result: 1,
          algorithm: "MeanWithinExpected",
          message: "ok",
        },
        { name: "XRange", status: 200, result: 0.5, algorithm: "ContentsXRange", message: "a: b" },
      ],
    },
    { path: "Pixel/Tracks/Eff/eff_eta", value: eff, efficiency: true },
    { path: "Pixel/EventInfo/reportSummaryMap", value: map },
    { path: "Pixel/EventInfo/iRun", value: { kind: "Int", value: 123456 } },
    { path: "Pixel/EventInfo/reportSummary", value: { kind: "Float", value: 0.95 } },
    { path: "Ecal/EventInfo/hostName", value: { kind: "String", value: "dqm-01" } },
  ];
}

Deno.test("writeLegacyDqmFile() lays MEs out as DQMData/Run N/<Subsystem>/Run summary/...", async () => {
  const mes = sampleMEs();
  const s = await jsrootSummary(writeLegacyDqmFile({ run: 123456, mes }), "x.root");
  const R = "DQMData/Run 123456";
  deepStrictEqual(s.keys, [
    ["DQMData", 1, "TDirectory"],
    [R, 1, "TDirectory"],
    [`${R}/Pixel`, 1, "TDirectory"],
    [`${R}/Pixel/Run summary`, 1, "TDirectory"],
    [`${R}/Pixel/Run summary/Tracks`, 1, "TDirectory"],
    [`${R}/Pixel/Run summary/Tracks/ntracks`, 1, "TH1F"],
    [
      `${R}/Pixel/Run summary/Tracks/<ntracks.MeanWithin>qr=st:100:1:MeanWithinExpected:ok</ntracks.MeanWithin>`,
      1,
      "TObjString",
    ],
    [
      `${R}/Pixel/Run summary/Tracks/<ntracks.XRange>qr=st:200:0.5:ContentsXRange:a: b</ntracks.XRange>`,
      1,
      "TObjString",
    ],
    [`${R}/Pixel/Run summary/Tracks/Eff`, 1, "TDirectory"],
    [`${R}/Pixel/Run summary/Tracks/Eff/eff_eta`, 1, "TProfile"],
    [`${R}/Pixel/Run summary/Tracks/Eff/<eff_eta>e=1</eff_eta>`, 1, "TObjString"],
    [`${R}/Pixel/Run summary/EventInfo`, 1, "TDirectory"],
    [`${R}/Pixel/Run summary/EventInfo/reportSummaryMap`, 1, "TH2F"],
    [`${R}/Pixel/Run summary/EventInfo/<iRun>i=123456</iRun>`, 1, "TObjString"],
    [
      `${R}/Pixel/Run summary/EventInfo/<reportSummary>f=0.94999999999999996</reportSummary>`,
      1,
      "TObjString",
    ],
    [`${R}/Ecal`, 1, "TDirectory"],
    [`${R}/Ecal/Run summary`, 1, "TDirectory"],
    [`${R}/Ecal/Run summary/EventInfo`, 1, "TDirectory"],
    [`${R}/Ecal/Run summary/EventInfo/<hostName>s=dqm-01</hostName>`, 1, "TObjString"],
    ["StreamerInfo", 1, "TList"],
  ]);
  for (const [path, , cls] of s.keys) {
    if (cls === "TObjString") {
      deepStrictEqual(s.objects[`${path};1`], {
        class: "TObjString",
        value: path.slice(path.indexOf("<")),
      });
    }
  }
  deepStrictEqual(
    s.objects[`${R}/Pixel/Run summary/Tracks/ntracks;1`],
    histogramSummary(mes[0]!.value),
  );
  deepStrictEqual(
    s.objects[`${R}/Pixel/Run summary/EventInfo/reportSummaryMap;1`],
    histogramSummary(mes[2]!.value),
  );
  strictEqual(s.compression, 101);
});

Deno.test("writeLegacyDqmFile() names the top key after the file and honours compression", async () => {
  const bytes = writeLegacyDqmFile({ run: 7, mes: sampleMEs(), compression: "none" });
  const s = await jsrootSummary(bytes, "x.root");
  strictEqual(s.compression, 0);
  const nameLen = bytes[100 + 26 + 1 + "TFile".length]!;
  strictEqual(
    new TextDecoder().decode(bytes.subarray(100 + 26 + 7, 100 + 26 + 7 + nameLen)),
    legacyFileName(7),
  );
});

Deno.test("writeLegacyDqmFile() rejects malformed paths and runs", () => {
  const v = { kind: "Int", value: 1 } as const;
  throws(
    () => writeLegacyDqmFile({ run: 1, mes: [{ path: "iRun", value: v }] }),
    errorMatching(TypeError, 'Cannot write ME "iRun": expected "Subsystem/.../name"'),
  );
  throws(
    () => writeLegacyDqmFile({ run: 1, mes: [{ path: "A//iRun", value: v }] }),
    errorMatching(TypeError, 'ME "A//iRun"'),
  );
  throws(
    () => writeLegacyDqmFile({ run: -1, mes: [] }),
    errorMatching(TypeError, "run -1 is not a non-negative integer"),
  );
});
