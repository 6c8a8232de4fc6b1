import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { errorMatching } from "../../tests/support/compare.ts";
import { makeAxis, makeTH1, makeTH2, makeTH3, makeTProfile, makeTProfile2D } from "./histograms.ts";

Deno.test("makeAxis() uses ROOT 6 default attributes", () => {
  const a = makeAxis("xaxis", { nbins: 10, min: -1, max: 1, title: "x [cm]" });
  deepStrictEqual(
    [a.fName, a.fTitle, a.fNdivisions, a.fLabelFont, a.fLabelSize, a.fTitleOffset, a.fBits],
    ["xaxis", "x [cm]", 510, 42, 0.035, 1, 0x03000000],
  );
  deepStrictEqual([a.fNbins, a.fXmin, a.fXmax, a.fXbins.length, a.fLabels], [10, -1, 1, 0, null]);
  strictEqual(makeAxis("yaxis").fTitleOffset, 0);
  deepStrictEqual([makeAxis("zaxis").fNbins, makeAxis("zaxis").fXmax], [1, 1]);
});

Deno.test("makeAxis() takes variable edges and labels", () => {
  const v = makeAxis("xaxis", { edges: [0, 1, 5, 20] });
  deepStrictEqual([v.fNbins, v.fXmin, v.fXmax, Array.from(v.fXbins)], [3, 0, 20, [0, 1, 5, 20]]);
  const l = makeAxis("xaxis", { nbins: 2, min: 0, max: 2, labels: ["a", "b"] });
  strictEqual(l.fBits2, 3, "kAlphanumeric | kCanExtend once every bin has a label");
  deepStrictEqual(l.fLabels!.arr.map((o) => [o.fUniqueID, o.fString]), [[1, "a"], [2, "b"]]);
  strictEqual(l.fLabels!._typename, "THashList");
  strictEqual(makeAxis("xaxis", { nbins: 3, min: 0, max: 3, labels: ["a"] }).fBits2, 0);
});

Deno.test("makeAxis() rejects inconsistent binning", () => {
  throws(
    () => makeAxis("xaxis", { nbins: 0, min: 0, max: 1 }),
    errorMatching(TypeError, "bad binning"),
  );
  throws(
    () => makeAxis("xaxis", { nbins: 2, min: 1, max: 1 }),
    errorMatching(TypeError, "bad binning"),
  );
  throws(
    () => makeAxis("xaxis", { edges: [0, 2, 1] }),
    errorMatching(TypeError, "edges must increase"),
  );
  throws(
    () => makeAxis("xaxis", { nbins: 1, min: 0, max: 1, labels: ["a", "b"] }),
    errorMatching(TypeError, "2 labels for 1 bins"),
  );
});

Deno.test("makeTH1() / makeTH2() / makeTH3() size cells with under- and overflow", () => {
  const spec = {
    name: "h",
    x: { nbins: 4, min: 0, max: 1 },
    y: { nbins: 3, min: 0, max: 1 },
    z: { nbins: 2, min: 0, max: 1 },
  };
  strictEqual(makeTH1("TH1F", spec).fNcells, 6);
  strictEqual(makeTH2("TH2F", spec).fNcells, 30);
  strictEqual(makeTH3("TH3F", spec).fNcells, 120);
  deepStrictEqual(
    (["TH1C", "TH1S", "TH1I", "TH1F", "TH1D"] as const).map((c) =>
      makeTH1(c, spec).fArray.constructor.name
    ),
    ["Int8Array", "Int16Array", "Int32Array", "Float32Array", "Float64Array"],
  );
  const h = makeTH1("TH1F", spec);
  deepStrictEqual(
    [
      h.fLineColor,
      h.fFillStyle,
      h.fBarWidth,
      h.fMaximum,
      h.fMinimum,
      h.fStatOverflows,
      h.fSumw2.length,
    ],
    [602, 1001, 1000, -1111, -1111, 2, 0],
  );
  strictEqual(makeTH2("TH2F", spec).fScalefactor, 1);
});

Deno.test("makeTProfile() and makeTProfile2D() allocate ROOT's profile arrays", () => {
  const p = makeTProfile({ name: "p", x: { nbins: 5, min: 0, max: 1 } }, { ymin: -1, ymax: 1 });
  deepStrictEqual(
    [
      p._typename,
      p.fArray.length,
      p.fSumw2.length,
      p.fBinEntries.length,
      p.fBinSumw2.length,
      p.fYmin,
      p.fYmax,
    ],
    ["TProfile", 7, 7, 7, 0, -1, 1],
  );
  strictEqual(p.fArray instanceof Float64Array, true);
  const p2 = makeTProfile2D({
    name: "p",
    x: { nbins: 2, min: 0, max: 1 },
    y: { nbins: 2, min: 0, max: 1 },
  });
  deepStrictEqual([p2._typename, p2.fNcells, p2.fBinEntries.length, p2.fErrorMode], [
    "TProfile2D",
    16,
    16,
    0,
  ]);
});
