/**
 * @module
 * TBasket: the record that holds a branch's entry data (spec/formats.md §2.3;
 * ROOT tree/tree/src/TBasket.cxx `TBasket::Streamer`, `ReadBasketBuffers`).
 *
 * A basket is a TKey whose header carries a few more fields, so TBasket has
 * no version header of its own in front: `TBasket::Streamer` starts with
 * `TKey::Streamer`. On disk the key header is followed by the (compressed)
 * entry data; a basket not yet flushed when its TTree was written is
 * *embedded* in the branch's `fBaskets` array, carrying its entry offsets and
 * its raw buffer inline. Both start with the fields `readBasketFields` reads.
 */

import type { ObjectReader } from "../buffer.ts";
import type { Cursor } from "../cursor.ts";
import { kLargeVersion } from "../directory.ts";
import type { RootObject } from "./types.ts";

/** TBasket::EIOBits::kGenerateOffsetMap: offsets are stored as sizes, or not at all (TBasket.h). */
export const kGenerateOffsetMap = 1;
/** TBasket::EIOBits::kSupported: the IO bits ROOT 6.20+ knows; others mean "refuse" (TBasket.h). */
const kSupportedIOBits = kGenerateOffsetMap;
/** Flag values >= 80: the writer left the offset map out, to be generated from the leaf (TBasket.cxx). */
export const kMustGenerateOffsets = 80;
/** Flag 21..39: entry offsets carry a displacement in their top byte (TBasket.cxx, kDisplacementMask). */
const kDisplacementMask = 0xff000000;

/** The TBasket-specific key-header fields (after the TKey header, inside fKeyLen). */
export interface BasketFields {
  /** TBasket class version (2 or 3). */
  fBasketVersion: number;
  /** Buffer capacity when the basket was written. */
  fBufferSize: number;
  /** Entry-offset capacity, or the fixed entry size when the branch has no offsets. */
  fNevBufSize: number;
  /** Optional IO feature bits (ROOT >= 6.20; 0 when absent). */
  fIOBits: number;
  /** Number of entries in the basket. */
  fNevBuf: number;
  /** End of the entry data, measured from the key start. */
  fLast: number;
  /** Streaming flag: 0 header only, +80 offsets not stored, %10==2 no offsets, >10 buffer follows, >40 displacements follow. */
  flag: number;
}

/**
 * Read the TBasket fields that follow the TKey header (TBasket::Streamer,
 * reading branch): `u16 version, i32 fBufferSize, i32 fNevBufSize` (negative:
 * a `u8 fIOBits` follows), `i32 fNevBuf, i32 fLast, u8 flag`.
 *
 * @param c cursor just after the TKey header
 * @returns the fields
 */
export function readBasketFields(c: Cursor): BasketFields {
  const start = c.pos;
  // TBasket writes its version bare (TBuffer::WriteVersion without byte count).
  const fBasketVersion = c.u16();
  const fBufferSize = c.i32();
  let fNevBufSize = c.i32();
  let fIOBits = 0;
  if (fNevBufSize < 0) {
    fNevBufSize = -fNevBufSize;
    fIOBits = c.u8();
    // Bit 7 is reserved as a corruption guard; unknown bits mean a newer writer's critical feature.
    if (!fIOBits || fIOBits & 0x80 || fIOBits & ~kSupportedIOBits) {
      throw c.error("Cannot read basket header", `unsupported fIOBits 0x${fIOBits.toString(16)}`);
    }
  }
  const fNevBuf = c.i32();
  const fLast = c.i32();
  const flag = c.u8();
  if (fNevBuf < 0 || fLast < 0 || fBufferSize < 0) {
    throw c.error(
      "Cannot read basket header",
      `inconsistent fields (fNevBuf ${fNevBuf}, fLast ${fLast}, fBufferSize ${fBufferSize})`,
      start,
    );
  }
  return { fBasketVersion, fBufferSize, fNevBufSize, fIOBits, fNevBuf, fLast, flag };
}

/** A basket embedded in a branch's `fBaskets` (decoded by `readEmbeddedTBasket`). */
export interface EmbeddedBasket extends RootObject, BasketFields {
  _typename: "TBasket";
  fNbytes: number;
  /** TKey version (> 1000: 64-bit seeks). */
  fVersion: number;
  fObjLen: number;
  fKeyLen: number;
  fCycle: number;
  fSeekKey: number;
  fSeekPdir: number;
  fClassName: string;
  fName: string;
  fTitle: string;
  /** Entry starts from the key start, `fNevBuf` values; null for fixed-size entries. */
  fEntryOffset: Int32Array | null;
  /** Original entry positions when entries were moved (flag > 40), else null. */
  fDisplacement: Int32Array | null;
  /** The basket buffer `[0, fLast)`, key header included; null for header-only baskets. */
  fBuffer: Uint8Array | null;
}

/** Read `i32 n` then n big-endian i32 (TBuffer::ReadArray of Int_t). */
function readIntArray(c: Cursor, what: string): Int32Array {
  const n = c.i32();
  if (n < 0 || n * 4 > c.remaining()) {
    throw c.error(`Cannot read ${what}`, `impossible length ${n}`, c.pos - 4);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = c.view.getInt32(c.pos + 4 * i);
  c.pos += 4 * n;
  return out;
}

/**
 * TBasket inside a TObjArray slot (TBasket::Streamer, reading branch): the
 * TKey header fields, the basket fields, then, depending on `flag`, the entry
 * offsets (`ReadArray`), the displacements and `fLast` buffer bytes (the
 * buffer starts with a copy of the key header, so entries start at fKeyLen).
 *
 * @param r object reader positioned at the TKey header (TBasket has no version header in front)
 * @param obj the object to fill; it becomes an `EmbeddedBasket`
 */
export function readEmbeddedTBasket(r: ObjectReader, obj: RootObject): void {
  const c = r.c;
  const b = obj as EmbeddedBasket;
  const start = c.pos;
  // TKey::Streamer. Unlike a key on disk, an unflushed basket has fNbytes 0
  // and fSeekKey 0, so the on-disk consistency checks of readKey do not apply.
  b.fNbytes = c.i32();
  b.fVersion = c.i16();
  b.fObjLen = c.i32();
  c.u32(); // fDatime
  b.fKeyLen = c.i16();
  b.fCycle = c.i16();
  const large = b.fVersion > kLargeVersion;
  b.fSeekKey = large ? c.i64() : c.i32();
  b.fSeekPdir = large ? c.i64() : c.i32();
  b.fClassName = c.tstring();
  b.fName = c.tstring();
  b.fTitle = c.tstring();
  Object.assign(b, readBasketFields(c));
  b.fEntryOffset = null;
  b.fDisplacement = null;
  b.fBuffer = null;
  if (b.fKeyLen <= 0 || (b.fKeyLen > b.fLast && b.flag !== 0)) {
    throw c.error(
      "Cannot read embedded basket",
      `fKeyLen ${b.fKeyLen} does not fit fLast ${b.fLast}`,
      start,
    );
  }
  const flag = b.flag;
  if (flag === 0) return;
  if (flag >= kMustGenerateOffsets) {
    throw c.error(
      "Cannot read embedded basket",
      "its entry offsets must be generated from the leaf (TIOFeatures kGenerateOffsetMap), which is not supported",
      start,
    );
  }
  if (flag % 10 !== 2) {
    if (b.fNevBuf) {
      const offsets = readIntArray(c, "basket entry offsets");
      if (flag > 20 && flag < 40) {
        for (let i = 0; i < offsets.length; i++) offsets[i] = offsets[i]! & ~kDisplacementMask;
      }
      b.fEntryOffset = offsets;
    }
    if (flag > 40) b.fDisplacement = readIntArray(c, "basket displacements");
  }
  if (flag === 1 || flag > 10) {
    // v > 1: ReadFastArray(buf, fLast); v1: ReadArray (i32 n first).
    const n = b.fBasketVersion > 1 ? b.fLast : c.i32();
    if (n < b.fKeyLen || n > c.remaining()) {
      throw c.error("Cannot read embedded basket", `buffer of ${n} bytes does not fit`, c.pos);
    }
    b.fBuffer = c.bytesView(n);
  }
}

/** Readers of classes streamed without a version header, by class name. */
export const HEADERLESS_TREE_READERS: Record<string, (r: ObjectReader, obj: RootObject) => void> = {
  TBasket: readEmbeddedTBasket,
};
