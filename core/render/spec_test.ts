import { errorMatching } from "../../tests/support/compare.ts";
import { strictEqual, throws } from "node:assert/strict";
import { encodeOptionValue, specString } from "./spec.ts";
import type { RenderOptions } from "./types.ts";

const BASE: RenderOptions = { width: 266, height: 200, stats: true, norm: true, errors: false };

Deno.test("specString() sends only the size for the classic defaults", () => {
  strictEqual(specString(BASE), "h=200;w=266");
});

Deno.test("specString() follows the classic client's order", () => {
  strictEqual(
    specString({
      width: 600,
      height: 400,
      stats: false,
      norm: false,
      errors: true,
      xtype: "log",
      ytype: "lin",
      ztype: "log",
      xmin: 1,
      xmax: 2.5,
      ymin: -3,
      ymax: 1e-7,
      zmin: 1e21,
      zmax: 4,
      ref: "ratiooverlay",
      drawopts: "colz",
      reflabels: ["Run 1", "Run 2"],
    }),
    "h=400;w=600;showstats=0;norm=False;showerrbars=1;xtype=log;ytype=lin;ztype=log;" +
      "xmin=1;xmax=2.5;ymin=-3;ymax=1e-7;zmin=1e+21;zmax=4;ref=ratiooverlay;drawopts=colz;" +
      "reflabel1=Run 1;reflabel2=Run 2",
  );
});

Deno.test("specString() keeps a range of 0 and drops NaN and infinities", () => {
  strictEqual(
    specString({ ...BASE, xmin: 0, xmax: -0, ymin: NaN, ymax: Infinity, zmin: -Infinity, zmax: 0 }),
    "h=200;w=266;xmin=0;xmax=0;zmax=0",
  );
});

Deno.test("specString() sends every ref mode, object included", () => {
  for (const ref of ["object", "overlay", "ratiooverlay", "stacked"] as const) {
    strictEqual(specString({ ...BASE, ref }), `h=200;w=266;ref=${ref}`);
  }
});

Deno.test("specString() percent-encodes draw options and labels", () => {
  strictEqual(
    specString({ ...BASE, drawopts: "text,colz;e", reflabels: ["Run 316142:5", "", "a/b_c-d%"] }),
    "h=200;w=266;drawopts=text%2Ccolz%3Be;reflabel1=Run 316142%3A5;reflabel3=a%2Fb%5Fc%2Dd%25",
  );
  strictEqual(encodeOptionValue("µ+é"), "%C2%B5%2B%C3%A9");
  strictEqual(encodeOptionValue("Plain 09 az AZ"), "Plain 09 az AZ");
  strictEqual(encodeOptionValue("a\0b"), "ab");
});

Deno.test("specString() refuses sizes outside 1..4096, too many labels and unknown modes", () => {
  throws(
    () => specString({ ...BASE, width: 0 }),
    errorMatching(RangeError, "width must be an integer in 1..4096, got 0"),
  );
  throws(() => specString({ ...BASE, height: 4097 }), errorMatching(RangeError, "height"));
  throws(() => specString({ ...BASE, width: 2.5 }), errorMatching(RangeError, "width"));
  specString({ ...BASE, width: 4096, height: 1 });
  throws(
    () => specString({ ...BASE, reflabels: Array(10).fill("x") }),
    errorMatching(RangeError, "at most 9 reflabels"),
  );
  throws(
    () => specString({ ...BASE, ref: "side" as "object" }),
    errorMatching(TypeError, 'unknown ref mode "side"'),
  );
  throws(
    () => specString({ ...BASE, xtype: "def" as "lin" }),
    errorMatching(TypeError, 'xtype must be "lin" or "log"'),
  );
});
