import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { openFile } from "jsroot/io";
import { errorMatching } from "../../tests/support/compare.ts";
import { jsrootSummary } from "../../tests/support/jsroot_dump.ts";
import { setBinContent } from "./fill.ts";
import { makeTH1, makeTH2 } from "./histograms.ts";
import { MAX_SMALL_FILE_SIZE, ROOT_VERSION_CODE, TFileWriter } from "./tfile_writer.ts";

interface Key {
  at: number;
  nbytes: number;
  version: number;
  objLen: number;
  keyLen: number;
  cycle: number;
  seekKey: number;
  seekPdir: number;
  className: string;
  name: string;
  title: string;
}

const decoder = new TextDecoder();

/** An independent reader of small-format key headers (spec §1.3). */
function readKey(b: Uint8Array, at: number): Key {
  const v = new DataView(b.buffer, b.byteOffset);
  let p = at + 26;
  const str = () => {
    let n = b[p++]!;
    if (n === 255) {
      n = v.getInt32(p);
      p += 4;
    }
    const s = decoder.decode(b.subarray(p, p + n));
    p += n;
    return s;
  };
  return {
    at,
    nbytes: v.getInt32(at),
    version: v.getInt16(at + 4),
    objLen: v.getInt32(at + 6),
    keyLen: v.getInt16(at + 14),
    cycle: v.getInt16(at + 16),
    seekKey: v.getInt32(at + 18),
    seekPdir: v.getInt32(at + 22),
    className: str(),
    name: str(),
    title: str(),
  };
}

function header(b: Uint8Array) {
  const v = new DataView(b.buffer, b.byteOffset);
  return {
    magic: decoder.decode(b.subarray(0, 4)),
    version: v.getInt32(4),
    begin: v.getInt32(8),
    end: v.getInt32(12),
    seekFree: v.getInt32(16),
    nbytesFree: v.getInt32(20),
    nfree: v.getInt32(24),
    nbytesName: v.getInt32(28),
    units: b[32],
    compress: v.getInt32(33),
    seekInfo: v.getInt32(37),
    nbytesInfo: v.getInt32(41),
  };
}

/** Every record from fBEGIN to fEND, in file order. */
function scan(b: Uint8Array): Key[] {
  const out: Key[] = [];
  for (let at = 100; at < header(b).end;) {
    const k = readKey(b, at);
    out.push(k);
    at += k.nbytes;
  }
  return out;
}

/** TDirectory fields of a directory record (spec §1.5). */
function directory(b: Uint8Array, at: number) {
  const v = new DataView(b.buffer, b.byteOffset);
  return {
    version: v.getUint16(at),
    nbytesKeys: v.getInt32(at + 10),
    nbytesName: v.getInt32(at + 14),
    seekDir: v.getInt32(at + 18),
    seekParent: v.getInt32(at + 22),
    seekKeys: v.getInt32(at + 26),
  };
}

function sampleFile(opts: ConstructorParameters<typeof TFileWriter>[0] = {}): Uint8Array {
  const f = new TFileWriter({ fileName: "sample.root", ...opts });
  const a = f.mkdir(f.root, "a");
  const b = f.mkdir(a, "b", "B title");
  const h = makeTH1("TH1F", { name: "h", title: "t", x: { nbins: 100, min: 0, max: 1 } });
  f.put(f.root, h);
  f.put(b, h);
  f.put(a, { _typename: "TObjString", fUniqueID: 0, fBits: 0, fString: "<x>i=1</x>" });
  f.put(f.mkdir(f.root, "c"), h, { name: "renamed" });
  return f.close();
}

Deno.test("TFileWriter.close() writes a header whose pointers hit the right records", () => {
  const bytes = sampleFile();
  const h = header(bytes);
  deepStrictEqual(
    { magic: h.magic, version: h.version, begin: h.begin, end: h.end, units: h.units },
    { magic: "root", version: ROOT_VERSION_CODE, begin: 100, end: bytes.length, units: 4 },
  );
  strictEqual(h.compress, 101);
  const info = readKey(bytes, h.seekInfo);
  deepStrictEqual(
    [info.className, info.name, info.title, info.nbytes],
    ["TList", "StreamerInfo", "Doubly linked list", h.nbytesInfo],
  );
  const free = readKey(bytes, h.seekFree);
  deepStrictEqual([free.className, free.name, free.nbytes, h.nfree], [
    "TFile",
    "sample.root",
    h.nbytesFree,
    1,
  ]);
  strictEqual(h.seekFree + h.nbytesFree, h.end, "FreeSegments is the last record");
  const v = new DataView(bytes.buffer);
  deepStrictEqual([
    v.getInt32(h.seekFree + free.keyLen + 2),
    v.getInt32(h.seekFree + free.keyLen + 6),
  ], [
    h.end,
    MAX_SMALL_FILE_SIZE,
  ]);
  const top = readKey(bytes, 100);
  strictEqual(h.nbytesName, top.keyLen + 1 + "sample.root".length + 1);
});

Deno.test("TFileWriter records tile the file and every fSeekKey points at itself", () => {
  const bytes = sampleFile();
  const records = scan(bytes);
  const dirs = new Set(
    records.filter((k) => /^T(File|Directory)$/.test(k.className)).map((k) => k.at),
  );
  let end = 100;
  for (const k of records) {
    strictEqual(k.at, end, `record "${k.name}" follows the previous one`);
    strictEqual(k.seekKey, k.at, `fSeekKey of "${k.name}"`);
    strictEqual(k.version, 4);
    strictEqual(
      k.at === 100 ? k.seekPdir === 0 : dirs.has(k.seekPdir),
      true,
      `fSeekPdir of "${k.name}"`,
    );
    end = k.at + k.nbytes;
  }
  strictEqual(end, bytes.length);
  deepStrictEqual(records.map((k) => k.className), [
    "TFile", // top directory
    "TDirectory", // a
    "TDirectory", // a/b
    "TH1F",
    "TH1F",
    "TObjString",
    "TDirectory", // c
    "TH1F",
    "TList", // StreamerInfo
    "TFile", // top KeysList
    "TDirectory", // KeysLists of a, a/b, c
    "TDirectory",
    "TDirectory",
    "TFile", // FreeSegments
  ]);
});

Deno.test("TFileWriter directory records point at their key, parent and KeysList", () => {
  const bytes = sampleFile();
  const h = header(bytes);
  const records = scan(bytes);
  const top = directory(bytes, 100 + h.nbytesName);
  deepStrictEqual([top.version, top.seekDir, top.seekParent, top.nbytesName], [
    5,
    100,
    0,
    h.nbytesName,
  ]);
  const check = (dirAt: number, recordAt: number, parent: number, name: string) => {
    const d = directory(bytes, recordAt);
    strictEqual(d.seekDir, dirAt, `fSeekDir of "${name}"`);
    strictEqual(d.seekParent, parent, `fSeekParent of "${name}"`);
    const kl = readKey(bytes, d.seekKeys);
    deepStrictEqual([kl.name, kl.nbytes, kl.seekPdir], [name, d.nbytesKeys, dirAt]);
    const v = new DataView(bytes.buffer);
    const n = v.getInt32(d.seekKeys + kl.keyLen);
    const listed: Key[] = [];
    for (let p = d.seekKeys + kl.keyLen + 4, i = 0; i < n; i++) {
      const k = readKey(bytes, p);
      deepStrictEqual(
        bytes.subarray(p, p + k.keyLen),
        bytes.subarray(k.seekKey, k.seekKey + k.keyLen),
        `KeysList entry "${k.name}" copies the record's key header`,
      );
      listed.push(k);
      p += k.keyLen;
    }
    return listed.map((k) => k.name);
  };
  deepStrictEqual(check(100, 100 + h.nbytesName, 0, "sample.root"), ["a", "h", "c"]);
  const a = records.find((k) => k.name === "a" && k.className === "TDirectory")!;
  strictEqual(directory(bytes, a.at + a.keyLen).nbytesName, a.keyLen);
  deepStrictEqual(check(a.at, a.at + a.keyLen, 100, "a"), ["b", "<x>i=1</x>"]);
  const b = records.find((k) => k.name === "b")!;
  strictEqual(b.title, "B title");
  deepStrictEqual(check(b.at, b.at + b.keyLen, a.at, "b"), ["h"]);
});

Deno.test("TFileWriter output is read by JSROOT with every key, title and cycle", async () => {
  const s = await jsrootSummary(sampleFile(), "sample.root");
  deepStrictEqual(s.keys, [
    ["a", 1, "TDirectory"],
    ["a/b", 1, "TDirectory"],
    ["a/b/h", 1, "TH1F"],
    ["a/<x>i=1</x>", 1, "TObjString"],
    ["h", 1, "TH1F"],
    ["c", 1, "TDirectory"],
    ["c/renamed", 1, "TH1F"],
    ["StreamerInfo", 1, "TList"],
  ]);
  deepStrictEqual(s.objects["a/<x>i=1</x>;1"], { class: "TObjString", value: "<x>i=1</x>" });
  const f = await openFile(sampleFile().buffer);
  strictEqual(f.fKeys.find((k: { fName: string }) => k.fName === "h").fTitle, "t");
});

Deno.test("TFileWriter.put() gives a repeated name the next cycle, listed before the older ones", async () => {
  const f = new TFileWriter();
  const h = makeTH1("TH1D", { name: "h", x: { nbins: 1, min: 0, max: 1 } });
  deepStrictEqual(f.put(f.root, h).cycle, 1);
  f.put(f.root, { ...h, fName: "g" });
  deepStrictEqual(f.put(f.root, { ...h, fEntries: 5 }).cycle, 2);
  strictEqual(f.put(f.root, h).cycle, 3);
  const s = await jsrootSummary(f.close(), "x.root");
  deepStrictEqual(s.keys.map(([p, c]) => `${p};${c}`), [
    "h;3",
    "h;2",
    "h;1",
    "g;1",
    "StreamerInfo;1",
  ]);
  strictEqual((s.objects["h;2"] as { entries: number }).entries, 5);
});

Deno.test("TFileWriter stores payloads uncompressed with compression none and below 257 bytes", () => {
  const none = sampleFile({ compression: "none" });
  strictEqual(header(none).compress, 0);
  for (const k of scan(none)) strictEqual(k.objLen, k.nbytes - k.keyLen, k.name);
  const zipped = scan(sampleFile({ level: 9 }));
  strictEqual(header(sampleFile({ level: 9 })).compress, 109);
  const str = zipped.find((k) => k.className === "TObjString")!;
  strictEqual(str.objLen, str.nbytes - str.keyLen, "a small TObjString stays raw");
  const hist = zipped.find((k) => k.className === "TH1F")!;
  strictEqual(hist.objLen > hist.nbytes - hist.keyLen, true, "a TH1F is compressed");
});

Deno.test("TFileWriter splits a payload over 16 MiB into ZL blocks that JSROOT reads back", async () => {
  const h = makeTH2("TH2D", {
    name: "big",
    x: { nbins: 1500, min: 0, max: 1 },
    y: { nbins: 1500, min: 0, max: 1 },
  });
  for (let c = 0; c < h.fNcells; c += 7) setBinContent(h, c, (c % 1013) * 0.25);
  const f = new TFileWriter();
  f.put(f.root, h);
  const bytes = f.close();
  const k = scan(bytes).find((r) => r.name === "big")!;
  strictEqual(k.objLen > 0xffffff, true);
  const blocks: [string, number, number][] = [];
  for (let p = k.at + k.keyLen; p < k.at + k.nbytes;) {
    const c = bytes[p + 3]! | bytes[p + 4]! << 8 | bytes[p + 5]! << 16;
    const u = bytes[p + 6]! | bytes[p + 7]! << 8 | bytes[p + 8]! << 16;
    blocks.push([decoder.decode(bytes.subarray(p, p + 2)), bytes[p + 2]!, u]);
    p += 9 + c;
  }
  deepStrictEqual(blocks, [["ZL", 8, 0xffffff], ["ZL", 8, k.objLen - 0xffffff]]);
  const back = await (await openFile(bytes.buffer)).readObject("big");
  strictEqual(back.fArray.length, h.fNcells);
  deepStrictEqual(Array.from(back.fArray as Float64Array), Array.from(h.fArray as Float64Array));
  strictEqual(back.fEntries, h.fEntries);
});

Deno.test("TFileWriter.close() returns the same bytes for the same input", () => {
  deepStrictEqual(sampleFile(), sampleFile());
  const other = sampleFile({ datime: new Date(Date.UTC(2030, 5, 1)) });
  strictEqual(other.length, sampleFile().length);
});

Deno.test("TFileWriter.put() refuses to grow the file past the 32-bit limit", () => {
  const f = new TFileWriter({ fileName: "limit.root", maxFileSize: 4000 });
  const h = makeTH1("TH1F", { name: "h", x: { nbins: 10, min: 0, max: 1 } });
  throws(() => {
    for (let i = 0; i < 100; i++) f.put(f.root, { ...h, fName: `h${i}` });
  }, errorMatching(RangeError, 'in "limit.root": the file would exceed 4000 bytes'));
});

Deno.test("TFileWriter rejects bad names, unknown classes and use after close", () => {
  const f = new TFileWriter({ fileName: "bad.root" });
  throws(() => f.mkdir(f.root, "a/b"), errorMatching(TypeError, 'directory "a/b"'));
  throws(() => f.mkdir(f.root, ""), errorMatching(TypeError, "invalid name"));
  throws(
    () => f.put(f.root, { _typename: "TTree", fName: "t" }),
    errorMatching(TypeError, 'Cannot write class "TTree"'),
  );
  throws(
    () => f.put(f.root, { _typename: "TObjString", fUniqueID: 0, fBits: 0, fString: "" }),
    errorMatching(TypeError, "without a name"),
  );
  const h = makeTH1("TH1F", { name: "h", x: { nbins: 2, min: 0, max: 1 } });
  throws(
    () => f.put(f.root, { ...h, fArray: new Float32Array(3) }),
    errorMatching(TypeError, "fArray has 3 cells, fNcells is 4"),
  );
  f.close();
  throws(
    () => f.put(f.root, h),
    errorMatching(TypeError, 'Cannot put in "bad.root": the file is closed'),
  );
});
