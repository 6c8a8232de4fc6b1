/**
 * @module
 * Builds TBasket records (spec `formats.md` §2.3): a key header in the
 * 64-bit layout ROOT 6 always uses for baskets (key version 1004: i64
 * fSeekKey and fSeekPdir), class `TBasket`, name = branch, title = tree,
 * cycle = basket number, then 19 basket fields inside fKeyLen (u16 version
 * 3, fBufferSize, fNevBufSize, fNevBuf, fLast, a flag byte), then the
 * payload: the entries and, for variable-size entries, `i32 fNevBuf+1`,
 * the entry offsets (from the key start) and a trailing 0. The payload is
 * compressed as a whole, without the 256-byte minimum of plain keys
 * (ROOT `TBasket::WriteBuffer`), and stored as is when that does not pay.
 *
 * Facts checked on `uproot-sample-6.20.04-uncompressed.root` (fixed and
 * variable-size baskets) and `uproot-issue-tbranch-of-th2.root` (a CMSSW
 * TBranchObject basket).
 *
 * This module is browser compatible.
 */

import { type CompressionSettings, zipPayload } from "./compression.ts";
import type { RecordPlace } from "./tfile_writer.ts";
import { TBufferWriter, tstringSize } from "./tbuffer_writer.ts";

/** TBasket class version ROOT 6 writes. */
export const BASKET_VERSION = 3;
/** TKey version of baskets: 4 + 1000 for 64-bit seeks (ROOT sets it for every basket). */
export const BASKET_KEY_VERSION = 1004;
/** Fixed part of a 64-bit key header: i32, i16, i32, u32, i16, i16, i64, i64 (spec §1.3). */
const KEY_FIXED_SIZE = 34;
/** The basket fields at the end of the key header (spec §2.3). */
export const BASKET_FIELDS_SIZE = 19;
const CLASS_NAME = "TBasket";

/**
 * fKeyLen of a basket of `branch` in `tree`.
 *
 * @param branch branch name (the key name)
 * @param tree tree name (the key title)
 * @returns the key header length, basket fields included
 */
export function basketKeyLength(branch: string, tree: string): number {
  return KEY_FIXED_SIZE + tstringSize(CLASS_NAME) + tstringSize(branch) + tstringSize(tree) +
    BASKET_FIELDS_SIZE;
}

/** What one basket holds. */
export interface BasketContent {
  /** Branch name (key name). */
  branch: string;
  /** Tree name (key title). */
  tree: string;
  /** Basket number in its branch (ROOT stores it as the key cycle). */
  cycle: number;
  /** fBufferSize: the branch's basket size, or fLast when the entries outgrew it. */
  bufferSize: number;
  /** fNevBufSize: capacity of the entry-offset table, or the entry size without one. */
  nevBufSize: number;
  /** fNevBuf: number of entries. */
  nevBuf: number;
  /** The entries' bytes. */
  data: Uint8Array;
  /** Start of each entry counted from the key start, or null for fixed-size entries. */
  offsets: ArrayLike<number> | null;
}

/** A basket record and its sizes. */
export interface BasketRecord {
  record: Uint8Array;
  keyLen: number;
  /** Uncompressed payload size (fObjLen). */
  objLen: number;
}

/**
 * Builds the complete record of one basket.
 *
 * @param place where the record goes (its own offset and its directory's)
 * @param b the basket
 * @param compression the file's compression settings
 * @returns the record and its key length and payload size
 *
 * @example A basket of three 4-byte entries, uncompressed
 * ```ts
 * import { basketKeyLength, buildBasketRecord } from "./basket.ts";
 *
 * const { record } = buildBasketRecord({ seekKey: 1000, seekPdir: 100, datime: 0 }, {
 *   branch: "Run", tree: "Indices", cycle: 0, bufferSize: 32000, nevBufSize: 4, nevBuf: 3,
 *   data: new Uint8Array(12), offsets: null,
 * }, { algorithm: "none", level: 0 });
 * if (record.length !== basketKeyLength("Run", "Indices") + 12) throw new Error("bad size");
 * ```
 */
export function buildBasketRecord(
  place: RecordPlace,
  b: BasketContent,
  compression: CompressionSettings,
): BasketRecord {
  const keyLen = basketKeyLength(b.branch, b.tree);
  let payload = b.data;
  if (b.offsets) {
    // The offset table: count (fNevBuf + 1), the offsets, then the unused last slot (0).
    const n = b.nevBuf;
    payload = new Uint8Array(b.data.length + 4 * (n + 2));
    payload.set(b.data);
    const v = new DataView(payload.buffer, b.data.length);
    v.setInt32(0, n + 1);
    for (let i = 0; i < n; i++) v.setInt32(4 + 4 * i, b.offsets[i]!);
  }
  const zipped = zipPayload(payload, compression, 0);
  const stored = zipped ?? payload;
  const w = new TBufferWriter(0, keyLen);
  w.i32(keyLen + stored.length).i16(BASKET_KEY_VERSION).i32(payload.length).u32(place.datime);
  w.i16(keyLen).i16(b.cycle).i64(place.seekKey).i64(place.seekPdir);
  w.tstring(CLASS_NAME).tstring(b.branch).tstring(b.tree);
  const last = keyLen + b.data.length;
  w.u16(BASKET_VERSION).i32(Math.max(b.bufferSize, last)).i32(b.nevBufSize).i32(b.nevBuf);
  w.i32(last).u8(0); // fLast (from the key start), flag 0: the header only
  const record = new Uint8Array(keyLen + stored.length);
  record.set(w.view());
  record.set(stored, keyLen);
  return { record, keyLen, objLen: payload.length };
}
