/**
 * @module
 * Readers for TH1 and its concrete 1D classes at ROOT 6's class versions
 * (spec/formats.md §1.9.6; ROOT hist/hist/inc/TH1.h ClassDef(TH1,8),
 * ClassDef(TH1F,3) ...). Older versions are decoded from the file's
 * streamer info instead.
 */

import type { ClassReader } from "../buffer.ts";
import { type NumberKind, readNumbers, readTArray } from "./tarray.ts";
import type { RootObject } from "./types.ts";

/**
 * TH1 v8 members, in streamer order: TNamed, TAttLine, TAttFill, TAttMarker,
 * fNcells, three TAxis, bar offset/width, the statistics, fContour and
 * fSumw2 (bare TArrayD), fOption, fFunctions (a `//->` member: the TList
 * body itself, no class tag, TStreamerInfo kObjectp), the fill buffer
 * (`i32 fBufferSize`, then a presence byte and the doubles), fBinStatErrOpt,
 * fStatOverflows.
 */
const readTH1v8: ClassReader = (r, obj) => {
  const c = r.c;
  r.readBase("TNamed", obj);
  r.readBase("TAttLine", obj);
  r.readBase("TAttFill", obj);
  r.readBase("TAttMarker", obj);
  obj.fNcells = c.i32();
  obj.fXaxis = r.readClass("TAxis");
  obj.fYaxis = r.readClass("TAxis");
  obj.fZaxis = r.readClass("TAxis");
  obj.fBarOffset = c.i16();
  obj.fBarWidth = c.i16();
  obj.fEntries = c.f64();
  obj.fTsumw = c.f64();
  obj.fTsumw2 = c.f64();
  obj.fTsumwx = c.f64();
  obj.fTsumwx2 = c.f64();
  obj.fMaximum = c.f64();
  obj.fMinimum = c.f64();
  obj.fNormFactor = c.f64();
  obj.fContour = readTArray(c, "f64");
  obj.fSumw2 = readTArray(c, "f64");
  obj.fOption = c.tstring();
  obj.fFunctions = r.readClass("TList");
  obj.fBufferSize = c.i32();
  // Double_t* fBuffer //[fBufferSize]: a presence byte, then the array.
  obj.fBuffer = c.u8() ? readNumbers(c, "f64", Math.max(0, obj.fBufferSize as number)) : [];
  obj.fBinStatErrOpt = c.i32();
  obj.fStatOverflows = c.i32();
};

/**
 * Reader of a concrete histogram class: its base class (TH1, TH2 or TH3) then
 * the bare TArray of cell contents.
 *
 * @param base base histogram class
 * @param kind element kind of the cell array
 * @returns the class reader
 */
export function concreteHistogram(base: string, kind: NumberKind): ClassReader {
  return (r, obj: RootObject) => {
    r.readBase(base, obj);
    obj.fArray = readTArray(r.c, kind);
  };
}

/** TProfile v7: TH1D, fBinEntries, fErrorMode, y range and moments, fBinSumw2. */
const readTProfilev7: ClassReader = (r, obj) => {
  const c = r.c;
  r.readBase("TH1D", obj);
  obj.fBinEntries = readTArray(c, "f64");
  obj.fErrorMode = c.i32();
  obj.fYmin = c.f64();
  obj.fYmax = c.f64();
  obj.fTsumwy = c.f64();
  obj.fTsumwy2 = c.f64();
  obj.fBinSumw2 = readTArray(c, "f64");
};

/** Hand-written readers of this module, by class and version. */
export const TH1_READERS: Record<string, Record<number, ClassReader>> = {
  TH1: { 8: readTH1v8 },
  TH1C: { 3: concreteHistogram("TH1", "i8") },
  TH1S: { 3: concreteHistogram("TH1", "i16") },
  TH1I: { 3: concreteHistogram("TH1", "i32") },
  TH1F: { 3: concreteHistogram("TH1", "f32") },
  TH1D: { 3: concreteHistogram("TH1", "f64") },
  TProfile: { 7: readTProfilev7 },
};
