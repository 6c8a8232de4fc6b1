import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { errorMatching } from "../../tests/support/compare.ts";
import { fill, fill2, fill3, fillProfile, fillProfile2D, findBin, setBinContent } from "./fill.ts";
import { makeAxis, makeTH1, makeTH2, makeTH3, makeTProfile, makeTProfile2D } from "./histograms.ts";

Deno.test("findBin() follows TAxis::FindFixBin for fixed and variable bins", () => {
  const a = makeAxis("xaxis", { nbins: 4, min: 0, max: 2 });
  deepStrictEqual([-1, 0, 0.49, 0.5, 1.99, 2, NaN].map((x) => findBin(a, x)), [
    0,
    1,
    1,
    2,
    4,
    5,
    5,
  ]);
  const v = makeAxis("xaxis", { edges: [0, 1, 5, 20] });
  deepStrictEqual([-0.1, 0, 0.999, 1, 4.9, 5, 19.99, 20].map((x) => findBin(v, x)), [
    0,
    1,
    1,
    2,
    2,
    3,
    3,
    4,
  ]);
});

Deno.test("fill() counts under- and overflow as entries but not in the sums", () => {
  const h = makeTH1("TH1F", { name: "h", x: { nbins: 10, min: 0, max: 10 } });
  for (const x of [-5, 2.5, 2.5, 7, 11]) fill(h, x);
  deepStrictEqual([h.fEntries, h.fTsumw, h.fTsumw2, h.fTsumwx, h.fTsumwx2], [5, 3, 3, 12, 61.5]);
  deepStrictEqual(Array.from(h.fArray), [1, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0, 1]);
  strictEqual(h.fSumw2.length, 0);
});

Deno.test("fill() with a weight switches fSumw2 on, seeded with the contents (TH1::Sumw2)", () => {
  const h = makeTH1("TH1D", { name: "h", x: { nbins: 2, min: 0, max: 2 } });
  fill(h, 0.5);
  fill(h, 1.5, 3);
  deepStrictEqual(Array.from(h.fSumw2), [0, 1, 9, 0]);
  deepStrictEqual(Array.from(h.fArray), [0, 1, 3, 0]);
  deepStrictEqual([h.fEntries, h.fTsumw, h.fTsumw2, h.fTsumwx], [2, 4, 10, 5]);
});

Deno.test("fill() saturates integer cells like TH1C/TH1S::AddBinContent", () => {
  const c = makeTH1("TH1C", { name: "c", x: { nbins: 1, min: 0, max: 1 } });
  fill(c, 0.5, 100);
  fill(c, 0.5, 100);
  strictEqual(c.fArray[1], 127);
  const s = makeTH1("TH1S", { name: "s", x: { nbins: 1, min: 0, max: 1 } });
  fill(s, 0.5, -40000);
  strictEqual(s.fArray[1], -32767);
  const i = makeTH1("TH1I", { name: "i", x: { nbins: 1, min: 0, max: 1 } });
  fill(i, 0.5, 2.9);
  strictEqual(i.fArray[1], 2, "weights are truncated to integers");
});

Deno.test("fill2() and fill3() address cells as binx + (nx+2)*(biny + (ny+2)*binz)", () => {
  const h = makeTH2("TH2F", {
    name: "h",
    x: { nbins: 2, min: 0, max: 2 },
    y: { nbins: 3, min: 0, max: 3 },
  });
  strictEqual(fill2(h, 1.5, 2.5), 2 + 4 * 3);
  fill2(h, 0.5, 0.5, 2);
  fill2(h, 5, 0.5);
  deepStrictEqual(
    [h.fEntries, h.fTsumw, h.fTsumwx, h.fTsumwy, h.fTsumwxy, h.fTsumwy2],
    [3, 3, 2.5, 3.5, 1.5 * 2.5 + 2 * 0.25, 2.5 * 2.5 + 2 * 0.25],
  );
  const h3 = makeTH3("TH3F", {
    name: "h3",
    x: { nbins: 2, min: 0, max: 2 },
    y: { nbins: 2, min: 0, max: 2 },
    z: { nbins: 2, min: 0, max: 2 },
  });
  strictEqual(fill3(h3, 1.5, 0.5, 1.5), 2 + 4 * (1 + 4 * 2));
  deepStrictEqual([h3.fTsumwxz, h3.fTsumwyz, h3.fTsumwz2], [2.25, 0.75, 2.25]);
});

Deno.test("fill() statistics agree with the contents for unweighted fills", () => {
  const h = makeTH1("TH1F", { name: "h", x: { edges: [0, 1, 2, 4, 8] } });
  const xs = [0.5, 1.5, 3, 3.5, 7, 9, -1, 2.2];
  for (const x of xs) fill(h, x);
  const inRange = xs.filter((x) => x >= 0 && x < 8);
  let inside = 0;
  for (let b = 1; b <= 4; b++) inside += h.fArray[b]!;
  strictEqual(h.fTsumw, inside);
  strictEqual(h.fTsumwx / h.fTsumw, inRange.reduce((a, b) => a + b) / inRange.length);
});

Deno.test("fillProfile() keeps Σwy, Σwy², bin entries, and fBinSumw2 once weighted", () => {
  const p = makeTProfile({ name: "p", x: { nbins: 2, min: 0, max: 2 } });
  fillProfile(p, 0.5, 3);
  fillProfile(p, 0.5, 5);
  deepStrictEqual([p.fArray[1], p.fSumw2[1], p.fBinEntries[1], p.fBinSumw2.length], [8, 34, 2, 0]);
  fillProfile(p, 1.5, 2, 0.5);
  deepStrictEqual(Array.from(p.fBinSumw2), [0, 2, 0.25, 0]);
  deepStrictEqual([p.fArray[2], p.fSumw2[2], p.fBinEntries[2]], [1, 2, 0.5]);
  deepStrictEqual([p.fEntries, p.fTsumw, p.fTsumwy, p.fTsumwy2], [3, 2.5, 9, 36]);
  const r = makeTProfile({ name: "r", x: { nbins: 1, min: 0, max: 1 } }, { ymin: 0, ymax: 1 });
  strictEqual(fillProfile(r, 0.5, 2), -1);
  strictEqual(r.fEntries, 0);
});

Deno.test("fillProfile2D() keeps z sums per cell and x/y/z statistics", () => {
  const p = makeTProfile2D({
    name: "p",
    x: { nbins: 2, min: 0, max: 2 },
    y: { nbins: 2, min: 0, max: 2 },
  });
  const cell = fillProfile2D(p, 1.5, 0.5, 4, 2);
  strictEqual(cell, 2 + 4 * 1);
  deepStrictEqual([p.fArray[cell], p.fSumw2[cell], p.fBinEntries[cell], p.fBinSumw2[cell]], [
    8,
    32,
    2,
    4,
  ]);
  deepStrictEqual([p.fTsumwz, p.fTsumwz2, p.fTsumwxy], [8, 32, 1.5]);
});

Deno.test("setBinContent() counts an entry and resets fTsumw, as TH1::SetBinContent", () => {
  const h = makeTH2("TH2F", {
    name: "m",
    x: { nbins: 2, min: 0, max: 2 },
    y: { nbins: 2, min: 0, max: 2 },
  });
  fill2(h, 0.5, 0.5);
  setBinContent(h, 5, 0.75);
  setBinContent(h, 5, 0.5);
  deepStrictEqual([h.fArray[5], h.fEntries, h.fTsumw], [0.5, 3, 0]);
  throws(() => setBinContent(h, 16, 1), errorMatching(RangeError, 'Cannot set cell 16 of "m"'));
});
