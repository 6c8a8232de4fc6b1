import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { openFile } from "jsroot/io";
import { assertMatchesSource, errorMatching } from "../../tests/support/compare.ts";
import type { RootObject } from "../root/models/types.ts";
import { fill, fill2, fill3, fillProfile, fillProfile2D } from "./fill.ts";
import { makeTH1, makeTH2, makeTH3, makeTProfile, makeTProfile2D } from "./histograms.ts";
import { writeObject } from "./objects.ts";
import { TBufferWriter } from "./tbuffer_writer.ts";
import { TFileWriter } from "./tfile_writer.ts";
import { TESTDATA_URL as TESTDATA } from "../../tests/support/testdata.ts";

/** Real files whose histograms use the class versions we write (ROOT 6.22 and later). */
const CURRENT_VERSION_FILES = [
  "dqm-legacy/DQM_V0001_GEM_R000344518.root",
  "dqm-legacy/DQM_V0001_R000357538__Global__CMSSW_X_Y_Z__RECO.root",
  "root-histos/TestGEMCSCSegmentHistograms.root",
  "root-histos/TH2_5.root",
  "root-histos/TH3D.root",
  "root-histos/th3i_parseTH_test.root",
  "root-histos/uproot-issue-227a.root",
  "root-histos/uproot-issue-888.root",
  "root-histos/uproot-issue38c.root",
];
const WRITABLE = /^(TH[123][CSIFD]|TProfile(2D)?|TObjString)$/;

// deno-lint-ignore no-explicit-any
type JsrootAny = any;

/** The uncompressed payload of a key (spec §1.6), read without our reader. */
function payloadOf(bytes: Uint8Array, k: JsrootAny): Uint8Array {
  const raw = bytes.subarray(k.fSeekKey + k.fKeylen, k.fSeekKey + k.fNbytes);
  if (k.fObjlen <= k.fNbytes - k.fKeylen) return raw;
  const out = new Uint8Array(k.fObjlen);
  for (let p = 0, q = 0; p < raw.length;) {
    const c = raw[p + 3]! | raw[p + 4]! << 8 | raw[p + 5]! << 16;
    const block = inflateSync(raw.subarray(p + 9, p + 9 + c));
    out.set(block, q);
    q += block.length;
    p += 9 + c;
  }
  return out;
}

Deno.test("writeObject() re-serialises real ROOT 6 objects, as decoded by JSROOT, byte for byte", async () => {
  const counts: Record<string, number> = {};
  for (const rel of CURRENT_VERSION_FILES) {
    const bytes = await Deno.readFile(new URL(rel, TESTDATA));
    const f = await openFile(bytes.slice().buffer);
    const walk = async (keys: JsrootAny[], prefix: string): Promise<void> => {
      for (const k of keys) {
        const path = prefix + k.fName;
        if (k.fClassName.startsWith("TDirectory")) {
          await walk((await f.readDirectory(path, k.fCycle)).fKeys, `${path}/`);
        } else if (WRITABLE.test(k.fClassName)) {
          // Class tags count from the key start, so the buffer starts at fKeylen (§1.3).
          const w = new TBufferWriter(k.fKeylen);
          writeObject(w, await f.readObject(path, k.fCycle));
          deepStrictEqual(w.finish(), payloadOf(bytes, k), `${rel}: ${path};${k.fCycle}`);
          counts[k.fClassName] = (counts[k.fClassName] ?? 0) + 1;
        }
      }
    };
    await walk(f.fKeys, "");
  }
  for (
    const cls of [
      "TH1F",
      "TH2F",
      "TH2S",
      "TH2D",
      "TH3D",
      "TH3I",
      "TProfile",
      "TProfile2D",
      "TObjString",
    ]
  ) {
    strictEqual((counts[cls] ?? 0) > 0, true, `${cls} covered`);
  }
  strictEqual(Object.values(counts).reduce((a, b) => a + b) > 1000, true);
});

function everyClassFilled(): RootObject[] {
  const out: RootObject[] = [];
  const x = { nbins: 5, min: -1, max: 1, title: "x", labels: ["a", "b", "c", "d", "e"] };
  const y = { edges: [0, 1, 3, 10], title: "y" };
  const z = { nbins: 2, min: 0, max: 2 };
  for (const p of ["C", "S", "I", "F", "D"] as const) {
    const h1 = makeTH1(`TH1${p}`, { name: `h1${p}`, title: `1D ${p}`, x });
    const h2 = makeTH2(`TH2${p}`, { name: `h2${p}`, x, y });
    const h3 = makeTH3(`TH3${p}`, { name: `h3${p}`, x, y, z });
    for (let i = 0; i < 50; i++) {
      const w = p === "D" ? 0.5 + (i % 3) : 1;
      fill(h1, Math.sin(i), w);
      fill2(h2, Math.sin(i), 5 * Math.cos(i) + 4, w);
      fill3(h3, Math.sin(i), i % 11, (i % 5) / 2, w);
    }
    out.push(h1, h2, h3);
  }
  const p1 = makeTProfile({ name: "p1", x: { edges: [0, 0.5, 2, 4] } }, { ymin: -5, ymax: 5 });
  const p2 = makeTProfile2D({ name: "p2", x, y });
  for (let i = 0; i < 50; i++) {
    fillProfile(p1, (i % 8) / 2, Math.cos(i) * 6, i % 4 === 0 ? 2 : 1);
    fillProfile2D(p2, Math.sin(i), i % 9, i * 0.1);
  }
  out.push(p1, p2);
  out.push({
    _typename: "TNamed",
    fUniqueID: 0,
    fBits: 0x03000000,
    fName: "named",
    fTitle: "a TNamed",
  });
  out.push({
    _typename: "TList",
    fUniqueID: 0,
    fBits: 0x03000000,
    name: "list",
    arr: [
      { _typename: "TObjString", fUniqueID: 7, fBits: 0x03000000, fString: "one" },
      { _typename: "TNamed", fUniqueID: 0, fBits: 0x03000000, fName: "two", fTitle: "" },
      { _typename: "TObjString", fUniqueID: 0, fBits: 0x03000000, fString: "three" },
    ],
    opt: ["", "same", ""],
  });
  return out;
}

Deno.test("writeObject() output of every supported class reads back in JSROOT member for member", async () => {
  const objects = everyClassFilled();
  const f = new TFileWriter();
  objects.forEach((o, i) => f.put(f.root, o, { name: `o${i}` }));
  const file = await openFile(f.close().buffer);
  for (const [i, o] of objects.entries()) {
    const back = await file.readObject(`o${i}`);
    strictEqual(back._typename, o._typename);
    assertMatchesSource(back, o, `${o._typename} o${i}`);
  }
});

Deno.test("writeObject() writes class back-references for repeated list element classes", () => {
  const list = everyClassFilled().at(-1)!;
  const w = new TBufferWriter();
  writeObject(w, list);
  const text = new TextDecoder("latin1").decode(w.finish());
  strictEqual(text.split("TObjString\0").length, 2, "the class name is written once");
});

Deno.test("writeObject() rejects unknown classes and inconsistent cell counts", () => {
  const w = new TBufferWriter();
  throws(() => writeObject(w, { _typename: "TGraph" }), errorMatching(TypeError, 'class "TGraph"'));
  const h = makeTH1("TH1F", { name: "h", x: { nbins: 3, min: 0, max: 1 } });
  throws(
    () => writeObject(w, { ...h, fNcells: 4 }),
    errorMatching(TypeError, 'Cannot write "TH1F" "h": fArray has 5 cells, fNcells is 4'),
  );
});
