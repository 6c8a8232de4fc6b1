/**
 * @module
 * TTree reading benchmarks (core/root tree.ts, branch.ts, basket.ts), ours
 * next to JSROOT reading the same branches of the same files:
 *
 * - decoding a TTree record (NanoAODv5: 1,479 branches);
 * - reading every value of a 64-bit integer branch with 100 baskets
 *   (uproot-issue412 `b1`, 1,000,000 entries) and of 150 float branches of
 *   NanoAODv5 (1,000 entries each, scalars and counted arrays);
 * - the TH2F objects of a TBranchObject (uproot-issue-tbranch-of-th2);
 * - decoding 100,000 `std::string` entries of a synthetic basket.
 *
 * Then the hot loops that could move to WASM (DESIGN.md: "TTree basket and
 * string-array decoding"): big-endian f64/i64/f32 values and i32 entry
 * offsets into a Float64Array/Int32Array, 1 M values each, against the bare
 * cost of copying the same bytes into a WebAssembly memory and the result
 * back out, which any WASM kernel pays on top of its own work. That floor
 * alone takes 40–65% of the JS loops' time, leaving a kernel little room to
 * do its own conversion and still win; a prototype C kernel
 * (bswap loops built with the flags of wasm/build.ts, copies included)
 * measured 199 Mvalues/s for f64 and 200 for i64, several times slower than
 * the DataView loops. So the loops stay in TypeScript and wasm/ is unchanged.
 *
 * Run standalone: `deno run -A tools/bench/tree.ts`.
 */

import { openFile } from "jsroot/io";
import { treeProcess, TSelector } from "jsroot/tree";
import {
  FileSource,
  MemorySource,
  readBasket,
  type RootBranch,
  RootFile,
  RootTree,
} from "../../core/root/mod.ts";
import { decodeText } from "../../core/root/cursor.ts";
import { decodeInto, stringRange } from "../../core/root/_decode.ts";
import { TESTDATA_DIR } from "../../tests/support/testdata.ts";
import { type BenchRow, formatRows, median, row } from "./_rows.ts";

// deno-lint-ignore no-explicit-any
type JsrootAny = any;

/** Median milliseconds of `runs` calls after two warm-up calls. */
async function timeMs(fn: () => unknown, runs = 7): Promise<number> {
  await fn();
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

async function openTree(name: string, tree: string) {
  const path = `${TESTDATA_DIR}root-trees/${name}`;
  const file = await RootFile.open(await FileSource.open(path));
  const key = file.top.keys.find((k) => k.fName === tree)!;
  return { path, file, key, tree: await RootTree.open(file, key) };
}

/** Read branches with JSROOT's treeProcess, one value per entry and branch. */
async function jsrootRead(tree: JsrootAny, names: string[]): Promise<number> {
  const selector = new TSelector();
  names.forEach((n, i) => selector.addBranch(n, `b${i}`));
  let count = 0;
  selector.Process = () => void count++;
  await treeProcess(tree, selector);
  return count;
}

async function benchDecodeTree(): Promise<BenchRow[]> {
  const { path, file, key } = await openTree("NanoAODv5_sample.root", "Events");
  const ours = await timeMs(() => RootTree.open(file, key));
  const jsroot = await openFile(path);
  const theirs = await timeMs(() => jsroot.readObject("Events"));
  file.close();
  return [
    row("TTree record, 1,479 branches: ours (RootTree.open)", ours, "ms"),
    row("TTree record, 1,479 branches: JSROOT readObject", theirs, "ms"),
  ];
}

async function benchNumbers(): Promise<BenchRow[]> {
  const big = await openTree("uproot-issue412.root", "test");
  const b1 = big.tree.branch("b1")!;
  const ours = await timeMs(() => b1.readNumbers(0, b1.entries), 5);
  const jsTree = await (await openFile(big.path)).readObject("test");
  const theirs = await timeMs(() => jsrootRead(jsTree, ["b1"]), 3);
  big.file.close();

  const nano = await openTree("NanoAODv5_sample.root", "Events");
  const floats = flat(nano.tree.branches).filter((b) => b.leafType === "Float_t").slice(0, 150);
  const oursF = await timeMs(async () => {
    for (const b of floats) await b.readNumbers(0, b.entries);
  }, 5);
  const jsNano = await (await openFile(nano.path)).readObject("Events");
  const theirsF = await timeMs(() => jsrootRead(jsNano, floats.map((b) => b.name)), 3);
  nano.file.close();
  return [
    row("1 M Long64_t in 100 baskets: ours (readNumbers)", ours, "ms"),
    row("1 M Long64_t in 100 baskets: JSROOT treeProcess", theirs, "ms"),
    row("150 Float_t branches x 1,000 entries: ours", oursF, "ms"),
    row("150 Float_t branches x 1,000 entries: JSROOT treeProcess", theirsF, "ms"),
  ];
}

function flat(branches: RootBranch[]): RootBranch[] {
  return branches.flatMap((b) => [b, ...flat(b.branches)]);
}

async function benchObjects(): Promise<BenchRow[]> {
  const path = `${TESTDATA_DIR}root-trees/uproot-issue-tbranch-of-th2.root`;
  const file = await RootFile.open(await FileSource.open(path));
  let key;
  for await (const w of file.walk()) if (w.path === "g4SimHits/tree") key = w.key;
  const th2 = (await RootTree.open(file, key!)).branch("histogram")!;
  const ours = await timeMs(() => th2.readObject(0), 15);
  const jsTree = await (await openFile(path)).readObject("g4SimHits/tree");
  const theirs = await timeMs(() => jsrootRead(jsTree, ["histogram"]), 15);
  file.close();
  return [
    row("TH2F (100x100) from a TBranchObject entry: ours (readObject)", ours, "ms"),
    row("TH2F (100x100) from a TBranchObject entry: JSROOT treeProcess", theirs, "ms"),
  ];
}

/** A basket record of `n` std::string entries ("ME/path/number i") at offset 100. */
function stringBasket(n: number): { source: MemorySource; bytes: number } {
  const enc = new TextEncoder();
  const parts = Array.from({ length: n }, (_, i) => enc.encode(`Pixel/Layer${i % 4}/charge_${i}`));
  const dataLen = parts.reduce((s, p) => s + 1 + p.length, 0);
  const keyLen = 34 + 3 + 7 + 8 + 5 + 19;
  const objLen = dataLen + 4 * (n + 2);
  const rec = new Uint8Array(keyLen + objLen);
  const v = new DataView(rec.buffer);
  v.setInt32(0, rec.length);
  v.setInt16(4, 1004);
  v.setInt32(6, objLen);
  v.setInt16(14, keyLen);
  v.setBigInt64(18, 100n);
  let p = 34;
  for (const s of ["TBasket", "FullName", "TH1Fs"]) {
    rec[p++] = s.length;
    rec.set(enc.encode(s), p);
    p += s.length;
  }
  v.setUint16(p, 3);
  v.setInt32(p + 6, n + 1);
  v.setInt32(p + 10, n);
  v.setInt32(p + 14, keyLen + dataLen);
  let at = keyLen;
  let table = keyLen + dataLen + 4;
  v.setInt32(table - 4, n + 1);
  for (const s of parts) {
    v.setInt32(table, at);
    table += 4;
    rec[at++] = s.length;
    rec.set(s, at);
    at += s.length;
  }
  const file = new Uint8Array(100 + rec.length);
  file.set(rec, 100);
  return { source: new MemorySource(file, "strings.root"), bytes: rec.length };
}

async function benchStrings(): Promise<BenchRow[]> {
  const n = 100000;
  const { source, bytes } = stringBasket(n);
  const info = { seek: 100, bytes, firstEntry: 0, entryCount: n, embedded: false };
  const ctx = { filePath: source.name, branch: "FullName", index: 0, entryOffsetLen: n + 1 };
  const ms = await timeMs(async () => {
    const basket = await readBasket(source, info, ctx);
    const view = new DataView(basket.payload.buffer, basket.payload.byteOffset);
    const out: string[] = new Array(n);
    for (let k = 0; k < n; k++) {
      const start = basket.entryOffsets![k]!;
      const end = k + 1 < n ? basket.entryOffsets![k + 1]! : basket.border;
      const r = stringRange(basket.payload, view, start, end, "optional") as [number, number];
      out[k] = decodeText(basket.payload.subarray(r[0], r[1]));
    }
    return out;
  });
  return [
    row("100,000 std::string entries of one basket (offsets + decode)", n / ms / 1000, "M/s"),
  ];
}

/** JS hot loops against the copy-in/copy-out floor of any WASM kernel. */
function benchHotLoops(): BenchRow[] {
  const n = 1 << 20;
  const src = new Uint8Array(8 * n).map((_, i) => (i * 2654435761) >>> 24);
  const view = new DataView(src.buffer);
  const out = new Float64Array(n);
  const offsets = new Int32Array(n);
  const memory = new WebAssembly.Memory({ initial: Math.ceil((16 * n) / 65536) + 1 });
  const copyFloor = (size: number) => () => {
    new Uint8Array(memory.buffer, 0, size * n).set(src.subarray(0, size * n));
    out.set(new Float64Array(memory.buffer, 8 * n, n));
  };
  const rate = (f: () => void) => {
    const times: number[] = [];
    for (let i = 0; i < 25; i++) {
      const t = performance.now();
      f();
      times.push(performance.now() - t);
    }
    return n / median(times) / 1000;
  };
  return [
    row(
      "f64 big-endian -> Float64Array (DataView loop)",
      rate(() => decodeInto(view, 0, n, "f64", out, 0)),
      "Mvalues/s",
    ),
    row(
      "i64 big-endian -> Float64Array (DataView loop)",
      rate(() => decodeInto(view, 0, n, "i64", out, 0)),
      "Mvalues/s",
    ),
    row(
      "f32 big-endian -> Float64Array (DataView loop)",
      rate(() => decodeInto(view, 0, n, "f32", out, 0)),
      "Mvalues/s",
    ),
    row(
      "i32 entry offsets -> Int32Array (DataView loop)",
      rate(() => {
        for (let i = 0; i < n; i++) offsets[i] = view.getInt32(4 * i) - 72;
      }),
      "Mvalues/s",
    ),
    row(
      "WASM floor: copy 8-byte values in and doubles out, no work",
      rate(copyFloor(8)),
      "Mvalues/s",
    ),
    row(
      "WASM floor: copy 4-byte values in and doubles out, no work",
      rate(copyFloor(4)),
      "Mvalues/s",
    ),
  ];
}

/**
 * Every TTree benchmark row.
 *
 * @returns the rows
 */
export async function benchTree(): Promise<BenchRow[]> {
  return [
    ...await benchDecodeTree(),
    ...await benchNumbers(),
    ...await benchObjects(),
    ...await benchStrings(),
    ...benchHotLoops(),
  ];
}

if (import.meta.main) {
  console.log(formatRows(await benchTree()));
}
