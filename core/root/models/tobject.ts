/**
 * @module
 * Readers for TObject, TNamed, TObjString and the TAtt* attribute bases
 * (spec/formats.md §1.9.1–1.9.4; ROOT core/base/src/TObject.cxx
 * `TObject::Streamer`, TAttLine.cxx, TAttFill.cxx, TAttMarker.cxx).
 */

import type { ClassReader, ObjectReader } from "../buffer.ts";
import type { RootObject } from "./types.ts";

/** TObject::kIsReferenced: a u16 process-ID index follows fBits. */
export const kIsReferenced = 0x10;

/**
 * Read TObject's members (after its bare version): fUniqueID, fBits and the
 * optional PID word.
 *
 * @param r object reader
 * @param obj object being filled
 */
export function readTObjectMembers(r: ObjectReader, obj: RootObject): void {
  obj.fUniqueID = r.c.u32();
  const bits = r.c.u32();
  obj.fBits = bits;
  if (bits & kIsReferenced) r.c.u16();
}

/**
 * Read a TObject base: its version (bare or counted) then the members.
 *
 * @param r object reader
 * @param obj object being filled
 */
export function readTObjectBase(r: ObjectReader, obj: RootObject): void {
  r.c.version();
  readTObjectMembers(r, obj);
}

const readTObject: ClassReader = (r, obj) => readTObjectMembers(r, obj);

/** TNamed v1: TObject, fName, fTitle. */
const readTNamedv1: ClassReader = (r, obj) => {
  readTObjectBase(r, obj);
  obj.fName = r.c.tstring();
  obj.fTitle = r.c.tstring();
};

/** TObjString v1: TObject, fString. */
const readTObjStringv1: ClassReader = (r, obj) => {
  readTObjectBase(r, obj);
  obj.fString = r.c.tstring();
};

/** TAttLine v1/v2: i16 colour, style, width. */
const readTAttLinev2: ClassReader = (r, obj) => {
  obj.fLineColor = r.c.i16();
  obj.fLineStyle = r.c.i16();
  obj.fLineWidth = r.c.i16();
};

/** TAttFill v1/v2: i16 colour, style. */
const readTAttFillv2: ClassReader = (r, obj) => {
  obj.fFillColor = r.c.i16();
  obj.fFillStyle = r.c.i16();
};

/** TAttMarker v2/v3: i16 colour, i16 style, f32 size. */
const readTAttMarkerv2: ClassReader = (r, obj) => {
  obj.fMarkerColor = r.c.i16();
  obj.fMarkerStyle = r.c.i16();
  obj.fMarkerSize = r.c.f32();
};

/** TAtt3D v1 has no members. */
const readTAtt3Dv1: ClassReader = () => {};

/** Hand-written readers of this module, by class and version. */
export const OBJECT_READERS: Record<string, Record<number, ClassReader>> = {
  TObject: { 0: readTObject, 1: readTObject },
  TNamed: { 1: readTNamedv1 },
  TObjString: { 1: readTObjStringv1 },
  TAttLine: { 1: readTAttLinev2, 2: readTAttLinev2 },
  TAttFill: { 1: readTAttFillv2, 2: readTAttFillv2 },
  TAttMarker: { 2: readTAttMarkerv2, 3: readTAttMarkerv2 },
  TAtt3D: { 1: readTAtt3Dv1 },
};
