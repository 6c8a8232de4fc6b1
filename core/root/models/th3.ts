/**
 * @module
 * Readers for the 3D histogram classes and TProfile3D at ROOT 6's class
 * versions (spec/formats.md §1.9.6; ROOT hist/hist/inc/TH3.h ClassDef(TH3,6),
 * TProfile3D.h ClassDef(TProfile3D,8)).
 */

import type { ClassReader } from "../buffer.ts";
import { concreteHistogram } from "./th1.ts";
import { readTArray } from "./tarray.ts";

/** TH3 v6: TH1, TAtt3D, then the y and z moments. */
const readTH3v6: ClassReader = (r, obj) => {
  const c = r.c;
  r.readBase("TH1", obj);
  r.readBase("TAtt3D", obj);
  obj.fTsumwy = c.f64();
  obj.fTsumwy2 = c.f64();
  obj.fTsumwxy = c.f64();
  obj.fTsumwz = c.f64();
  obj.fTsumwz2 = c.f64();
  obj.fTsumwxz = c.f64();
  obj.fTsumwyz = c.f64();
};

/** TProfile3D v8: TH3D, fBinEntries, fErrorMode, t range and moments, fBinSumw2. */
const readTProfile3Dv8: ClassReader = (r, obj) => {
  const c = r.c;
  r.readBase("TH3D", obj);
  obj.fBinEntries = readTArray(c, "f64");
  obj.fErrorMode = c.i32();
  obj.fTmin = c.f64();
  obj.fTmax = c.f64();
  obj.fTsumwt = c.f64();
  obj.fTsumwt2 = c.f64();
  obj.fBinSumw2 = readTArray(c, "f64");
};

/** Hand-written readers of this module, by class and version. */
export const TH3_READERS: Record<string, Record<number, ClassReader>> = {
  TH3: { 6: readTH3v6 },
  TH3C: { 4: concreteHistogram("TH3", "i8") },
  TH3S: { 4: concreteHistogram("TH3", "i16") },
  TH3I: { 4: concreteHistogram("TH3", "i32") },
  TH3F: { 4: concreteHistogram("TH3", "f32") },
  TH3D: { 4: concreteHistogram("TH3", "f64") },
  TProfile3D: { 8: readTProfile3Dv8 },
};
