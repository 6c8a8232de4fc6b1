/**
 * @module
 * Test support for the DQMIO writer: reading trees back with JSROOT (the
 * ROOT team's reader, independent of ours), catching JSROOT's console
 * warnings, walking a file's records and decoding basket payloads.
 */

import { inflateSync, zstdDecompressSync } from "node:zlib";
import { openFile } from "jsroot/io";
import { treeProcess, TSelector } from "jsroot/tree";
import { loadDecoders } from "../../wasm/mod.ts";

// Loosely typed views of JSROOT's objects (JSROOT ships no types for them).
// deno-lint-ignore no-explicit-any
export type JsrootAny = any;

/**
 * Runs `body` with console.warn, console.error and console.log captured.
 *
 * @param body the code to watch
 * @returns its result and every message it printed
 */
export async function captureConsole<T>(body: () => Promise<T>): Promise<[T, string[]]> {
  const messages: string[] = [];
  const saved = { warn: console.warn, error: console.error, log: console.log };
  for (const k of ["warn", "error", "log"] as const) {
    console[k] = (...args: unknown[]) => messages.push(`${k}: ${args.join(" ")}`);
  }
  try {
    return [await body(), messages];
  } finally {
    Object.assign(console, saved);
  }
}

/**
 * Opens a file held in memory with JSROOT.
 *
 * @param bytes the file
 * @returns JSROOT's TFile
 */
export function jsrootOpen(bytes: Uint8Array): Promise<JsrootAny> {
  return openFile(bytes.slice().buffer);
}

/**
 * Reads every entry of some branches of a tree with JSROOT's `treeProcess`.
 *
 * @param file JSROOT's TFile
 * @param treePath tree name (with directory)
 * @param branches branch names
 * @returns the tree object and one object per entry, keyed by branch name
 */
export async function jsrootRows(
  file: JsrootAny,
  treePath: string,
  branches: string[],
): Promise<{ tree: JsrootAny; rows: Record<string, JsrootAny>[] }> {
  const tree = await file.readObject(treePath);
  const rows: Record<string, JsrootAny>[] = [];
  if (tree.fEntries > 0) {
    const selector = new TSelector();
    for (const b of branches) selector.addBranch(b);
    selector.Process = function (this: JsrootAny) {
      const row: Record<string, JsrootAny> = {};
      for (const b of branches) row[b] = this.tgtobj[b];
      rows.push(row);
    };
    await treeProcess(tree, selector);
  }
  return { tree, rows };
}

/** A key header (small or 64-bit layout, spec §1.3) and, for baskets, the basket fields (§2.3). */
export interface RawKey {
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
  basket?: {
    version: number;
    bufferSize: number;
    nevBufSize: number;
    nevBuf: number;
    last: number;
    flag: number;
  };
}

/**
 * Parses the key header at `at`.
 *
 * @param b the file
 * @param at offset of the record
 * @returns the key
 */
export function readRawKey(b: Uint8Array, at: number): RawKey {
  const v = new DataView(b.buffer, b.byteOffset);
  const version = v.getInt16(at + 4);
  const big = version > 1000;
  let p = at + (big ? 34 : 26);
  const str = () => {
    let n = b[p++]!;
    if (n === 255) {
      n = v.getInt32(p);
      p += 4;
    }
    const s = new TextDecoder().decode(b.subarray(p, p + n));
    p += n;
    return s;
  };
  const key: RawKey = {
    at,
    nbytes: v.getInt32(at),
    version,
    objLen: v.getInt32(at + 6),
    keyLen: v.getInt16(at + 14),
    cycle: v.getInt16(at + 16),
    seekKey: big ? Number(v.getBigInt64(at + 18)) : v.getInt32(at + 18),
    seekPdir: big ? Number(v.getBigInt64(at + 26)) : v.getInt32(at + 22),
    className: str(),
    name: str(),
    title: str(),
  };
  if (key.className === "TBasket") {
    key.basket = {
      version: v.getUint16(p),
      bufferSize: v.getInt32(p + 2),
      nevBufSize: v.getInt32(p + 6),
      nevBuf: v.getInt32(p + 10),
      last: v.getInt32(p + 14),
      flag: b[p + 18]!,
    };
  }
  return key;
}

/**
 * Every record from fBEGIN to fEND of a small-format file, in file order.
 *
 * @param b the file
 * @returns the keys
 */
export function scanRecords(b: Uint8Array): RawKey[] {
  const end = new DataView(b.buffer, b.byteOffset).getInt32(12);
  const out: RawKey[] = [];
  for (let at = 100; at < end;) {
    const k = readRawKey(b, at);
    out.push(k);
    if (k.nbytes <= 0) throw new Error(`record at ${at} has size ${k.nbytes}`);
    at += k.nbytes;
  }
  return out;
}

const decoders = await loadDecoders();

/**
 * Decompresses a record's payload, whatever the algorithm (spec §1.6).
 *
 * @param b the file
 * @param k the record's key
 * @returns exactly fObjLen bytes
 */
export function recordPayload(b: Uint8Array, k: RawKey): Uint8Array {
  const stored = b.subarray(k.at + k.keyLen, k.at + k.nbytes);
  if (stored.length >= k.objLen) return stored.subarray(0, k.objLen);
  const out = new Uint8Array(k.objLen);
  let i = 0, o = 0;
  while (o < k.objLen) {
    const tag = String.fromCharCode(stored[i]!, stored[i + 1]!);
    const c = stored[i + 3]! | (stored[i + 4]! << 8) | (stored[i + 5]! << 16);
    const u = stored[i + 6]! | (stored[i + 7]! << 8) | (stored[i + 8]! << 16);
    const body = stored.subarray(i + 9, i + 9 + c);
    const block = tag === "ZL"
      ? inflateSync(body)
      : tag === "ZS"
      ? zstdDecompressSync(body)
      : tag === "XZ"
      ? decoders.xzDecompress(body, u)
      : decoders.lz4DecompressBlock(body.subarray(8), u);
    if (block.length !== u) throw new Error(`${tag} block gave ${block.length} bytes, not ${u}`);
    out.set(block, o);
    o += u;
    i += 9 + c;
  }
  return out;
}
