/**
 * @module
 * Hand-written TBranch readers. From class version 10 on, `TBranch::Streamer`
 * reads through the class's streamer info (`ReadClassBuffer`), so those
 * versions come from the file's TStreamerInfo (a hand-written v13 reader was
 * measured at only ~1.3x faster on a 1,479-branch tree, not worth a second
 * copy of the layout). Versions 6–9 (ROOT 3.x/4.x)
 * have a custom layout that the recorded streamer info does not describe
 * faithfully: counts and sizes are doubles, `fBasketEntry` is 32-bit, and the
 * "is present" byte of `fBasketSeek` selects 4- or 8-byte values (ROOT
 * tree/tree/src/TBranch.cxx `TBranch::Streamer`, "process old versions
 * before automatic schema evolution"; JSROOT io.mjs CustomStreamers.TBranch).
 */

import type { ClassReader, ObjectReader } from "../buffer.ts";

/** The `isArray` value of fBasketSeek that means 8-byte seeks (TBranch.cxx). */
const kSeekArray64 = 2;

/** Read `n` big-endian values of 4 or 8 bytes into a Float64Array (64-bit: exact to 2^53). */
function readInts(r: ObjectReader, n: number, width: 4 | 8): Float64Array {
  const c = r.c;
  c.need(n * width, `array of ${n} ${width}-byte integers`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = width === 4 ? c.i32() : c.i64();
  return out;
}

/**
 * TBranch v6–v9: TNamed, TAttFill (v8+), the basket bookkeeping as 32-bit
 * integers and doubles, fSplitLevel (v7+), the three TObjArrays, then
 * `fMaxBaskets` values of fBasketBytes (i32), fBasketEntry (i32) and
 * fBasketSeek (i32, or i64 when its flag byte is 2), and fFileName.
 */
const readTBranchOld: ClassReader = (r, obj, { version }) => {
  const c = r.c;
  r.readBase("TNamed", obj);
  if (version > 7) r.readBase("TAttFill", obj);
  obj.fCompress = c.i32();
  obj.fBasketSize = c.i32();
  obj.fEntryOffsetLen = c.i32();
  obj.fWriteBasket = c.i32();
  obj.fEntryNumber = c.i32();
  obj.fOffset = c.i32();
  const maxBaskets = c.i32();
  obj.fMaxBaskets = maxBaskets;
  if (version > 6) obj.fSplitLevel = c.i32();
  obj.fEntries = c.f64();
  obj.fTotBytes = c.f64();
  obj.fZipBytes = c.f64();
  obj.fBranches = r.readClass("TObjArray");
  obj.fLeaves = r.readClass("TObjArray");
  obj.fBaskets = r.readClass("TObjArray");
  // At least 4 + 4 + 4 bytes per basket follow (bytes, entry, seek).
  if (maxBaskets < 0 || maxBaskets * 12 > c.remaining()) {
    throw c.error("Cannot read TBranch", `impossible fMaxBaskets ${maxBaskets}`);
  }
  c.u8(); // isArray
  obj.fBasketBytes = readInts(r, maxBaskets, 4);
  c.u8(); // isArray
  obj.fBasketEntry = readInts(r, maxBaskets, 4);
  const seekWidth = c.u8() === kSeekArray64 ? 8 : 4;
  obj.fBasketSeek = readInts(r, maxBaskets, seekWidth);
  obj.fFileName = c.tstring();
};

/** Hand-written readers of this module, by class and version. */
export const TBRANCH_READERS: Record<string, Record<number, ClassReader>> = {
  TBranch: { 6: readTBranchOld, 7: readTBranchOld, 8: readTBranchOld, 9: readTBranchOld },
};
