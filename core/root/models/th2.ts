/**
 * @module
 * Readers for the 2D histogram classes and TProfile2D at ROOT 6's class
 * versions (spec/formats.md §1.9.6; ROOT hist/hist/inc/TH2.h ClassDef(TH2,5),
 * TProfile2D.h ClassDef(TProfile2D,8)).
 */

import type { ClassReader } from "../buffer.ts";
import { concreteHistogram } from "./th1.ts";
import { readTArray } from "./tarray.ts";

/** TH2 v5: TH1, then fScalefactor and the y moments. */
const readTH2v5: ClassReader = (r, obj) => {
  const c = r.c;
  r.readBase("TH1", obj);
  obj.fScalefactor = c.f64();
  obj.fTsumwy = c.f64();
  obj.fTsumwy2 = c.f64();
  obj.fTsumwxy = c.f64();
};

/** TProfile2D v8: TH2D, fBinEntries, fErrorMode, z range and moments, fBinSumw2. */
const readTProfile2Dv8: ClassReader = (r, obj) => {
  const c = r.c;
  r.readBase("TH2D", obj);
  obj.fBinEntries = readTArray(c, "f64");
  obj.fErrorMode = c.i32();
  obj.fZmin = c.f64();
  obj.fZmax = c.f64();
  obj.fTsumwz = c.f64();
  obj.fTsumwz2 = c.f64();
  obj.fBinSumw2 = readTArray(c, "f64");
};

/** Hand-written readers of this module, by class and version. */
export const TH2_READERS: Record<string, Record<number, ClassReader>> = {
  TH2: { 5: readTH2v5 },
  TH2C: { 4: concreteHistogram("TH2", "i8") },
  TH2S: { 4: concreteHistogram("TH2", "i16") },
  TH2I: { 4: concreteHistogram("TH2", "i32") },
  TH2F: { 4: concreteHistogram("TH2", "f32") },
  TH2D: { 4: concreteHistogram("TH2", "f64") },
  TProfile2D: { 8: readTProfile2Dv8 },
};
