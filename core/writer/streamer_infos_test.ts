import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { openFile } from "jsroot/io";
import { errorMatching } from "../../tests/support/compare.ts";
import { CLASS_DEFS, classChecksum, streamerInfoClosure } from "./streamer_infos.ts";
import { TFileWriter } from "./tfile_writer.ts";
import type { RootObject } from "../root/models/types.ts";
import { makeTH1, makeTH2, makeTH3, makeTProfile, makeTProfile2D } from "./histograms.ts";
import { TESTDATA_URL as TESTDATA } from "../../tests/support/testdata.ts";

/** ROOT 6 files whose StreamerInfo records describe the classes we write. */
const REFERENCE_FILES = [
  "dqm-legacy/DQM_V0001_GEM_R000344518.root", // ROOT 6.24/07, written by CMSSW
  "root-trees/uproot-issue412.root", // ROOT 6.18/00, every TH* flavour
  "root-trees/uproot-issue-tbranch-of-th2.root", // ROOT 6.18/04, TArray, TArrayF, TArrayD
  "root-histos/uproot-issue-227b.root", // ROOT 6.22/06, TH3, TProfile3D
  "root-histos/th3i_parseTH_test.root", // ROOT 6.32/20
  "root-trees/uproot-sample-6.20.04-zlib.root", // ROOT 6.20/04: TTree, TBranch, TLeafI/L/D, TObjArray
  "root-trees/tree_with_vector_string.root", // TLeafElement
];

// deno-lint-ignore no-explicit-any
type Info = any;

async function referenceInfos(): Promise<Map<string, Info>> {
  const out = new Map<string, Info>();
  for (const rel of REFERENCE_FILES) {
    const f = await openFile((await Deno.readFile(new URL(rel, TESTDATA))).buffer);
    for (const si of f.fStreamerInfos.arr as Info[]) {
      if (si._typename === "TStreamerInfo" && !out.has(si.fName)) out.set(si.fName, si);
    }
  }
  return out;
}

/** The fields of a decoded TStreamerElement that describe the layout. */
function elementFields(e: Info) {
  return {
    class: e._typename,
    name: e.fName,
    title: e.fTitle,
    type: e.fType,
    size: e.fSize,
    typeName: e.fTypeName,
    maxIndex: Array.from(e.fMaxIndex as ArrayLike<number>),
    baseVersion: e.fBaseVersion,
    countName: e.fCountName,
    countClass: e.fCountClass,
    countVersion: e.fCountVersion,
  };
}

Deno.test("classChecksum() equals the checksums ROOT 6 wrote for every class it describes", async () => {
  const ref = await referenceInfos();
  let compared = 0;
  for (const name of Object.keys(CLASS_DEFS)) {
    const si = ref.get(name);
    if (!si || si.fClassVersion !== CLASS_DEFS[name]!.version) continue;
    strictEqual(classChecksum(name), si.fCheckSum >>> 0, name);
    compared++;
  }
  strictEqual(compared >= 37, true, `only ${compared} classes compared`);
});

Deno.test("classChecksum() of TArrayC/S/I equals the base checksums ROOT recorded in TH1C/S/I", async () => {
  const ref = await referenceInfos();
  for (const p of ["C", "S", "I"]) {
    const base = ref.get(`TH1${p}`).fElements.arr[1];
    strictEqual(base.fName, `TArray${p}`);
    strictEqual(classChecksum(`TArray${p}`), base.fMaxIndex[1] >>> 0);
  }
});

/** One object of every class the writer knows, so that every layout gets described. */
function everyClass(): RootObject[] {
  const spec = { name: "h", x: { nbins: 2, min: 0, max: 2, labels: ["a", "b"] } };
  const out: RootObject[] = [];
  for (const p of ["C", "S", "I", "F", "D"] as const) {
    out.push({ ...makeTH1(`TH1${p}`, spec), fName: `h1${p}` });
    out.push({ ...makeTH2(`TH2${p}`, spec), fName: `h2${p}` });
    out.push({ ...makeTH3(`TH3${p}`, spec), fName: `h3${p}` });
  }
  out.push(makeTProfile({ ...spec, name: "p1" }), makeTProfile2D({ ...spec, name: "p2" }));
  const h3 = makeTH3("TH3D", { ...spec, name: "p3" });
  out.push({
    ...h3,
    _typename: "TProfile3D",
    fSumw2: new Float64Array(h3.fNcells),
    fBinEntries: new Float64Array(h3.fNcells),
    fErrorMode: 0,
    fTmin: 0,
    fTmax: 0,
    fTsumwt: 0,
    fTsumwt2: 0,
    fBinSumw2: new Float64Array(0),
  });
  return out;
}

Deno.test("writeStreamerInfoList() records decode, via JSROOT, to ROOT 6's own element lists", async () => {
  const ref = await referenceInfos();
  const f = new TFileWriter();
  for (const obj of everyClass()) f.put(f.root, obj);
  f.declareClasses(Object.keys(CLASS_DEFS)); // the TTree family is streamed by dqmio.ts, not put()
  const written = await openFile(f.close().buffer);
  const ours = new Map<string, Info>();
  for (const si of written.fStreamerInfos.arr as Info[]) ours.set(si.fName, si);
  deepStrictEqual([...ours.keys()].sort(), Object.keys(CLASS_DEFS).sort());
  let compared = 0;
  for (const [name, mine] of ours) {
    const theirs = ref.get(name);
    if (!theirs || theirs.fClassVersion !== CLASS_DEFS[name]!.version) continue;
    strictEqual(mine.fClassVersion, theirs.fClassVersion, name);
    strictEqual(mine.fCheckSum >>> 0, theirs.fCheckSum >>> 0, name);
    deepStrictEqual(
      mine.fElements.arr.map(elementFields),
      theirs.fElements.arr.map(elementFields),
      name,
    );
    compared++;
  }
  strictEqual(compared, Object.keys(CLASS_DEFS).length - 3, "all but TArrayC/S/I compared");
});

Deno.test("streamerInfoClosure() lists each class before the classes it uses, once", () => {
  const list = streamerInfoClosure(["TProfile", "TH1F"]);
  deepStrictEqual(list.slice(0, 4), ["TProfile", "TH1D", "TH1", "TNamed"]);
  strictEqual(new Set(list).size, list.length);
  for (const c of ["TAxis", "TAttAxis", "THashList", "TList", "TArrayD", "TArrayF", "TString"]) {
    strictEqual(list.includes(c), true, c);
  }
});

Deno.test("classChecksum() rejects classes it cannot describe", () => {
  throws(() => classChecksum("TGraph"), errorMatching(TypeError, 'class "TGraph"'));
});
