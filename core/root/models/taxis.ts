/**
 * @module
 * Readers for TAttAxis and TAxis (spec/formats.md §1.9.4–1.9.5; ROOT
 * hist/hist/inc/TAxis.h ClassDef(TAxis,10), core/base/inc/TAttAxis.h
 * ClassDef(TAttAxis,4)). Older versions go through the file's streamer info.
 */

import type { ClassReader } from "../buffer.ts";
import { readTArray } from "./tarray.ts";

/** TAttAxis v4: divisions, colours, fonts, offsets and sizes. */
const readTAttAxisv4: ClassReader = (r, obj) => {
  const c = r.c;
  obj.fNdivisions = c.i32();
  obj.fAxisColor = c.i16();
  obj.fLabelColor = c.i16();
  obj.fLabelFont = c.i16();
  obj.fLabelOffset = c.f32();
  obj.fLabelSize = c.f32();
  obj.fTickLength = c.f32();
  obj.fTitleOffset = c.f32();
  obj.fTitleSize = c.f32();
  obj.fTitleColor = c.i16();
  obj.fTitleFont = c.i16();
};

/**
 * TAxis v10: TNamed, TAttAxis, binning (fXbins holds variable edges), zoom
 * range, bits, time format, alphanumeric labels (a THashList of TObjString
 * whose fUniqueID is the bin number) and modified labels.
 */
const readTAxisv10: ClassReader = (r, obj) => {
  const c = r.c;
  r.readBase("TNamed", obj);
  r.readBase("TAttAxis", obj);
  obj.fNbins = c.i32();
  obj.fXmin = c.f64();
  obj.fXmax = c.f64();
  obj.fXbins = readTArray(c, "f64");
  obj.fFirst = c.i32();
  obj.fLast = c.i32();
  obj.fBits2 = c.u16();
  obj.fTimeDisplay = c.u8() !== 0;
  obj.fTimeFormat = c.tstring();
  obj.fLabels = r.readObjectAny();
  obj.fModLabs = r.readObjectAny();
};

/** Hand-written readers of this module, by class and version. */
export const AXIS_READERS: Record<string, Record<number, ClassReader>> = {
  TAttAxis: { 4: readTAttAxisv4 },
  TAxis: { 10: readTAxisv10 },
};
