import assert from "node:assert/strict";
import {
  FileSource,
  type RootBranch,
  RootFile,
  RootFormatError,
  RootTree,
  type Source,
} from "./mod.ts";
import { histogramSummary } from "../../tests/support/jsroot_dump.ts";
import { testFiles } from "../../tests/support/testdata.ts";

const files = testFiles(["root-trees", "root-histos"]);
const pathOf = (name: string) => files.find((f) => f.name === name)!.path;

/** A source that records every read, to check which byte ranges a call touched. */
class SpySource implements Source {
  readonly reads: [number, number][] = [];
  constructor(readonly inner: Source) {}
  get name() {
    return this.inner.name;
  }
  get size() {
    return this.inner.size;
  }
  read(start: number, length: number) {
    this.reads.push([start, length]);
    return this.inner.read(start, length);
  }
  close() {
    this.inner.close();
  }
}

async function openTree(name: string, treePath: string, cycle = 1) {
  const spy = new SpySource(await FileSource.open(pathOf(name)));
  const file = await RootFile.open(spy);
  let key;
  for await (const w of file.walk()) {
    if (w.path === treePath && w.key.fCycle === cycle) key = w.key;
  }
  const tree = await RootTree.open(file, key!);
  return { spy, file, tree };
}

Deno.test("RootBranch.basketFor() finds the basket of every entry across many baskets", async () => {
  const { file, tree } = await openTree("uproot-sample-6.20.04-zlib.root", "sample");
  try {
    for (const name of ["n", "ai4", "Ai8", "str"]) {
      const b = tree.branch(name)!;
      assert.ok(b.baskets.length >= 5, `${name} has ${b.baskets.length} baskets`);
      for (let e = 0; e < b.entries; e++) {
        const basket = b.baskets[b.basketFor(e)]!;
        assert.ok(basket.firstEntry <= e && e < basket.firstEntry + basket.entryCount);
      }
      for (const bad of [-1, b.entries, 1.5]) assert.throws(() => b.basketFor(bad), RangeError);
    }
  } finally {
    file.close();
  }
});

Deno.test("RootBranch.readNumbers() reads ranges across basket boundaries like one whole read", async () => {
  const cases: [string, string, string][] = [
    ["uproot-HZZ-zlib.root", "events", "Muon_Px"],
    ["uproot-sample-5.23.02-zlib.root", "sample", "ai4"],
    ["uproot-sample-6.20.04-lzma.root", "sample", "Af8"],
    ["uproot-issue412.root", "test", "b1"],
  ];
  for (const [name, treePath, branch] of cases) {
    const { file, tree } = await openTree(name, treePath);
    try {
      const b = tree.branch(branch)!;
      const n = Math.min(b.entries, 40000);
      const whole = await b.readNumberArrays(0, n);
      for (const basket of b.baskets.slice(1, 6)) {
        const [first, last] = [basket.firstEntry - 1, Math.min(n, basket.firstEntry + 2)];
        if (last <= first) continue;
        const part = await b.readNumberArrays(first, last);
        const from = whole.offsets[first]!;
        assert.deepEqual(part.values, whole.values.slice(from, whole.offsets[last]));
        assert.deepEqual(
          Array.from(part.offsets, (o) => o + from),
          Array.from(whole.offsets.slice(first, last + 1)),
        );
      }
    } finally {
      file.close();
    }
  }
});

Deno.test("RootBranch.readNumbers() reads only the baskets that cover the range", async () => {
  const { spy, file, tree } = await openTree("uproot-issue412.root", "test");
  try {
    const b = tree.branch("b1")!;
    assert.equal(b.baskets.length, 100);
    const boundary = b.baskets[37]!.firstEntry;
    spy.reads.length = 0;
    const values = await b.readNumbers(boundary - 3, boundary + 3);
    assert.equal(values.length, 6);
    assert.deepEqual(spy.reads, [36, 37].map((i) => [b.baskets[i]!.seek, b.baskets[i]!.bytes]));
    const big = Math.max(...spy.reads.map(([, l]) => l));
    assert.ok(big < spy.size / 10, `a read of ${big} bytes`);
  } finally {
    file.close();
  }
});

Deno.test("RootBranch.readBigInts() matches readNumbers() on 64-bit leaves and types by signedness", async () => {
  const { file, tree } = await openTree("nanoAOD_2015_CMS_Open_Data_ttbar.root", "Events");
  try {
    const event = tree.branch("event")!;
    assert.equal(event.leafType, "ULong64_t");
    const exact = await event.readBigInts(0, event.entries);
    assert.ok(exact instanceof BigUint64Array);
    assert.deepEqual(
      Array.from(exact, Number),
      Array.from(await event.readNumbers(0, event.entries)),
    );
    const run = tree.branch("run")!;
    assert.equal(run.leafType, "UInt_t");
    assert.ok((await run.readBigInts(0, 3)) instanceof BigUint64Array);
    const pt = tree.branch("HTXS_Higgs_pt")!;
    await assert.rejects(pt.readBigInts(0, 1), TypeError);
  } finally {
    file.close();
  }
});

Deno.test("RootBranch reads branches from baskets embedded in the TTree record", async () => {
  const { spy, file, tree } = await openTree("nanoAOD_2015_CMS_Open_Data_ttbar.root", "Events");
  try {
    const run = tree.branch("run")!;
    assert.deepEqual(run.baskets, [{
      seek: 0,
      bytes: 0,
      firstEntry: 0,
      entryCount: 200,
      embedded: true,
    }]);
    spy.reads.length = 0;
    const runs = await run.readNumbers(0, 200);
    assert.equal(spy.reads.length, 0);
    assert.ok(runs.every((r) => r === runs[0] && r > 0));
  } finally {
    file.close();
  }
  const old = await openTree("uproot-from-geant4.root", "HitStrips");
  try {
    const energy = old.tree.branch("Energy")!;
    assert.ok(energy.baskets[0]!.embedded);
    const basket = await energy.readBasket(0);
    assert.equal(basket.entryOffsets?.length, energy.entries);
    assert.equal((await energy.readNumbers(0, energy.entries)).length, energy.entries);
  } finally {
    old.file.close();
  }
});

Deno.test("RootBranch.readStrings() decodes TLeafC, TString and std::string entries", async () => {
  const { file, tree } = await openTree("uproot-small-evnt-tree-fullsplit.root", "tree");
  try {
    assert.equal(tree.branch("evt.StdStr")!.leafType, "string");
    assert.deepEqual(await tree.branch("evt.StdStr")!.readStrings(0, 3), [
      "std-000",
      "std-001",
      "std-002",
    ]);
    assert.equal(tree.branch("evt.Str")!.leafType, "TString");
    assert.deepEqual(await tree.branch("evt.Str")!.readStrings(98, 100), ["evt-098", "evt-099"]);
    await assert.rejects(tree.branch("evt.I32")!.readStrings(0, 1), TypeError);
  } finally {
    file.close();
  }
  const sample = await openTree("uproot-sample-6.20.04-zlib.root", "sample");
  try {
    const str = sample.tree.branch("str")!;
    assert.equal(str.leafType, "char*");
    assert.ok(str.baskets.length > 1);
    const all = await str.readStrings(0, str.entries);
    assert.deepEqual(all.slice(0, 3), ["hey-0", "hey-1", "hey-2"]);
    assert.equal(all.length, 30);
  } finally {
    sample.file.close();
  }
});

Deno.test("RootBranch.entryBytes() gives an entry's bytes and where it starts in its basket", async () => {
  const { file, tree } = await openTree("uproot-HZZ-zlib.root", "events");
  try {
    const njet = tree.branch("NJet")!;
    const fixed = await njet.entryBytes(10);
    assert.equal(fixed.offset, 40);
    assert.equal(fixed.bytes.length, 4);
    const px = tree.branch("Jet_Px")!;
    const counts = await njet.readNumbers(0, 20);
    for (let e = 0; e < 20; e++) {
      const { bytes, basket, offset } = await px.entryBytes(e);
      assert.equal(bytes.length, 4 * counts[e]!);
      assert.equal(offset, basket.entryOffsets![e]);
      assert.deepEqual(bytes, basket.payload.subarray(offset, offset + bytes.length));
    }
  } finally {
    file.close();
  }
});

Deno.test("RootBranch.readObject() decodes a TH2F stored whole in a TBranchObject entry", async () => {
  const { file, tree } = await openTree("uproot-issue-tbranch-of-th2.root", "g4SimHits/tree");
  try {
    const b = tree.branch("histogram")!;
    assert.equal(b.className, "TBranchObject");
    assert.equal(b.leafType, "TH2F");
    assert.equal(b.valueKind, "object");
    const { object, warnings } = await b.readObject(0);
    assert.deepEqual(warnings, []);
    // The same histogram is also stored under its own key; JSROOT's reading of it is the reference.
    const expected = files.find((f) => f.name === "uproot-issue-tbranch-of-th2.root")!.expected;
    assert.deepEqual(histogramSummary(object), expected.objects["g4SimHits/h;1"]);
    await assert.rejects(b.readNumbers(0, 1), TypeError);
  } finally {
    file.close();
  }
});

Deno.test("RootBranch reports a split parent without data as unreadable", async () => {
  const { file, tree } = await openTree("uproot-small-evnt-tree-fullsplit.root", "tree");
  try {
    const evt = tree.branch("evt")!;
    const p3 = tree.branch("evt.P3")!;
    for (const b of [evt, p3] as RootBranch[]) {
      assert.equal(b.baskets.length, 0);
      assert.equal(b.valueKind, b === evt ? "object" : null);
    }
    await assert.rejects(evt.readObject(0), RootFormatError);
    await assert.rejects(p3.readNumbers(0, 1), TypeError);
  } finally {
    file.close();
  }
});
