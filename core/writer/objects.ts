/**
 * @module
 * Serialises decoded-object shapes (`core/root/models/types.ts`) back into
 * ROOT's TBufferFile bytes, at the class versions current ROOT 6 writes
 * (spec `formats.md` §1.9). The writers are a table keyed by class name
 * (STYLE rule 11); {@link writeObject} dispatches on `_typename`.
 *
 * Each writer emits exactly what the class's streamer would: its own
 * byte count and version, then bases and members in StreamerInfo order.
 * `streamer_infos.ts` describes the same layouts for readers.
 *
 * This module is browser compatible.
 */

import type {
  BinArray,
  RootObject,
  TAxis,
  TH1,
  TH2,
  TH3,
  TList,
  TNamed,
  TObject,
  TObjString,
  TProfile,
  TProfile2D,
  TProfile3D,
} from "../root/models/types.ts";
import { kIsReferenced, type TBufferWriter } from "./tbuffer_writer.ts";

/** Writes one object's streamer output (version header included). */
export type ObjectWriter = (w: TBufferWriter, obj: RootObject) => void;

/** Class versions written (spec §1.9; ROOT 6.24+ `ClassDef` versions). */
export const CLASS_VERSIONS: Readonly<Record<string, number>> = {
  TObject: 1,
  TNamed: 1,
  TObjString: 1,
  TList: 5,
  THashList: 5, // THashList streams through TList::Streamer, so it writes TList's version
  TAttLine: 2,
  TAttFill: 2,
  TAttMarker: 2,
  TAttAxis: 4,
  TAtt3D: 1,
  TAxis: 10,
  TH1: 8,
  TH2: 5,
  TH3: 6,
  TH1C: 3,
  TH1S: 3,
  TH1I: 3,
  TH1F: 3,
  TH1D: 3,
  TH2C: 4,
  TH2S: 4,
  TH2I: 4,
  TH2F: 4,
  TH2D: 4,
  TH3C: 4,
  TH3S: 4,
  TH3I: 4,
  TH3F: 4,
  TH3D: 4,
  TProfile: 7,
  TProfile2D: 8,
  TProfile3D: 8,
};

/** Element type of the TArray base of each histogram precision suffix. */
const ARRAY_KIND = { C: "i8", S: "i16", I: "i32", F: "f32", D: "f64" } as const;
type Precision = keyof typeof ARRAY_KIND;

function version(cls: string): number {
  return CLASS_VERSIONS[cls]!;
}

/**
 * TObject::Streamer: bare u16 version, fUniqueID, fBits (spec §1.9.1).
 * kIsReferenced is cleared: it would require a process-id slot we never use.
 */
export function writeTObject(w: TBufferWriter, o: TObject): void {
  w.u16(version("TObject")).u32(o.fUniqueID).u32(o.fBits & ~kIsReferenced);
}

/** TNamed v1: TObject, fName, fTitle (spec §1.9.2). */
export function writeTNamed(w: TBufferWriter, o: TNamed): void {
  w.versioned(version("TNamed"), () => {
    writeTObject(w, o);
    w.tstring(o.fName).tstring(o.fTitle);
  });
}

/** TObjString v1: TObject, fString (spec §1.9.3). */
export function writeTObjString(w: TBufferWriter, o: RootObject): void {
  const s = o as TObjString;
  w.versioned(version("TObjString"), () => {
    writeTObject(w, s);
    w.tstring(s.fString);
  });
}

/**
 * TList v5 (also THashList): TObject, name, count, then per element an
 * object slot and its option string as u8 length + bytes (spec §1.9.7).
 */
export function writeTList(w: TBufferWriter, o: RootObject): void {
  const list = o as TList;
  w.versioned(version("TList"), () => {
    writeTObject(w, list);
    w.tstring(list.name ?? "");
    w.i32(list.arr.length);
    list.arr.forEach((item, i) => {
      w.objectSlot(item._typename, () => writeObject(w, item));
      const opt = list.opt?.[i] ?? "";
      w.tstring(opt);
    });
  });
}

/** Writes an object slot holding `list` (or the null tag). */
function writeListSlot(w: TBufferWriter, list: TList | null): void {
  if (!list) w.objectSlot(null);
  else w.objectSlot(list._typename, () => writeTList(w, list));
}

/** TArray as a base or TStreamerObjectAny member: i32 n + values, no header (spec §1.1). */
function writeTArray(
  w: TBufferWriter,
  kind: "f32" | "f64" | "i8" | "i16" | "i32",
  a: ArrayLike<number>,
): void {
  w.i32(a.length).array(kind, a);
}

function writeTAttLine(w: TBufferWriter, h: TH1): void {
  w.versioned(version("TAttLine"), () => {
    w.i16(h.fLineColor).i16(h.fLineStyle).i16(h.fLineWidth);
  });
}

function writeTAttFill(w: TBufferWriter, h: TH1): void {
  w.versioned(version("TAttFill"), () => {
    w.i16(h.fFillColor).i16(h.fFillStyle);
  });
}

function writeTAttMarker(w: TBufferWriter, h: TH1): void {
  w.versioned(version("TAttMarker"), () => {
    w.i16(h.fMarkerColor).i16(h.fMarkerStyle).f32(h.fMarkerSize);
  });
}

/**
 * TAxis v10: TNamed, TAttAxis v4, binning, display fields, then the label
 * lists as object slots (spec §1.9.4, §1.9.5).
 */
export function writeTAxis(w: TBufferWriter, a: TAxis): void {
  w.versioned(version("TAxis"), () => {
    writeTNamed(w, a);
    w.versioned(version("TAttAxis"), () => {
      w.i32(a.fNdivisions).i16(a.fAxisColor).i16(a.fLabelColor).i16(a.fLabelFont);
      w.f32(a.fLabelOffset).f32(a.fLabelSize).f32(a.fTickLength);
      w.f32(a.fTitleOffset).f32(a.fTitleSize).i16(a.fTitleColor).i16(a.fTitleFont);
    });
    w.i32(a.fNbins).f64(a.fXmin).f64(a.fXmax);
    writeTArray(w, "f64", a.fXbins);
    w.i32(a.fFirst).i32(a.fLast).u16(a.fBits2).u8(a.fTimeDisplay ? 1 : 0);
    w.tstring(a.fTimeFormat);
    writeListSlot(w, a.fLabels);
    writeListSlot(w, a.fModLabs);
  });
}

/** TH1 v8 body, in StreamerInfo order (spec §1.9.6). */
function writeTH1Base(w: TBufferWriter, h: TH1): void {
  w.versioned(version("TH1"), () => {
    writeTNamed(w, h);
    writeTAttLine(w, h);
    writeTAttFill(w, h);
    writeTAttMarker(w, h);
    w.i32(h.fNcells);
    writeTAxis(w, h.fXaxis);
    writeTAxis(w, h.fYaxis);
    writeTAxis(w, h.fZaxis);
    w.i16(h.fBarOffset).i16(h.fBarWidth);
    w.f64(h.fEntries).f64(h.fTsumw).f64(h.fTsumw2).f64(h.fTsumwx).f64(h.fTsumwx2);
    w.f64(h.fMaximum).f64(h.fMinimum).f64(h.fNormFactor);
    writeTArray(w, "f64", h.fContour);
    writeTArray(w, "f64", h.fSumw2);
    w.tstring(h.fOption);
    // fFunctions is a "->" pointer (TStreamerObjectPointer, type 63): ROOT streams
    // the TList in place, without byte count or class tag of a slot.
    writeTList(w, h.fFunctions ?? emptyList());
    const buffer = h.fBuffer ?? [];
    w.i32(h.fBufferSize);
    // fBuffer is a counted basic pointer `//[fBufferSize]`: one "present" byte, then data (§1.1).
    if (h.fBufferSize > 0 && buffer.length >= h.fBufferSize) {
      w.u8(1).array("f64", Array.from(buffer).slice(0, h.fBufferSize));
    } else {
      w.u8(0);
    }
    w.i32(h.fBinStatErrOpt).i32(h.fStatOverflows);
  });
}

/** fBits of a histogram's fFunctions list in ROOT 6: heap bits plus kUseRWLock (bit 16). */
const BITS_FUNCTIONS = 0x03010000;

function emptyList(): TList {
  return { _typename: "TList", fUniqueID: 0, fBits: BITS_FUNCTIONS, name: "", arr: [], opt: [] };
}

function checkCells(h: TH1, arr: BinArray): void {
  if (arr.length !== h.fNcells) {
    throw new TypeError(
      `Cannot write "${h._typename}" "${h.fName}": fArray has ${arr.length} cells, fNcells is ${h.fNcells}`,
    );
  }
}

function writeTH2Base(w: TBufferWriter, h: TH2): void {
  w.versioned(version("TH2"), () => {
    writeTH1Base(w, h);
    w.f64(h.fScalefactor).f64(h.fTsumwy).f64(h.fTsumwy2).f64(h.fTsumwxy);
  });
}

function writeTH3Base(w: TBufferWriter, h: TH3): void {
  w.versioned(version("TH3"), () => {
    writeTH1Base(w, h);
    w.versioned(version("TAtt3D"), () => {});
    w.f64(h.fTsumwy).f64(h.fTsumwy2).f64(h.fTsumwxy);
    w.f64(h.fTsumwz).f64(h.fTsumwz2).f64(h.fTsumwxz).f64(h.fTsumwyz);
  });
}

/** Writer for TH{dim}{precision}: the dimension's base, then the bare TArray of cells. */
function histogramWriter(dim: 1 | 2 | 3, p: Precision): ObjectWriter {
  const cls = `TH${dim}${p}`;
  const base = dim === 1 ? writeTH1Base : dim === 2 ? writeTH2Base : writeTH3Base;
  return (w, obj) => {
    const h = obj as TH3 & TH2;
    checkCells(h, h.fArray);
    w.versioned(version(cls), () => {
      base(w, h);
      writeTArray(w, ARRAY_KIND[p], h.fArray);
    });
  };
}

const writeTH1DBody = histogramWriter(1, "D");
const writeTH2DBody = histogramWriter(2, "D");
const writeTH3DBody = histogramWriter(3, "D");

function writeTProfile(w: TBufferWriter, obj: RootObject): void {
  const h = obj as TProfile;
  w.versioned(version("TProfile"), () => {
    writeTH1DBody(w, h);
    writeTArray(w, "f64", h.fBinEntries);
    w.i32(h.fErrorMode).f64(h.fYmin).f64(h.fYmax).f64(h.fTsumwy).f64(h.fTsumwy2);
    writeTArray(w, "f64", h.fBinSumw2);
  });
}

function writeTProfile2D(w: TBufferWriter, obj: RootObject): void {
  const h = obj as TProfile2D;
  w.versioned(version("TProfile2D"), () => {
    writeTH2DBody(w, h);
    writeTArray(w, "f64", h.fBinEntries);
    w.i32(h.fErrorMode).f64(h.fZmin).f64(h.fZmax).f64(h.fTsumwz).f64(h.fTsumwz2);
    writeTArray(w, "f64", h.fBinSumw2);
  });
}

function writeTProfile3D(w: TBufferWriter, obj: RootObject): void {
  const h = obj as TProfile3D;
  w.versioned(version("TProfile3D"), () => {
    writeTH3DBody(w, h);
    writeTArray(w, "f64", h.fBinEntries);
    w.i32(h.fErrorMode).f64(h.fTmin).f64(h.fTmax).f64(h.fTsumwt).f64(h.fTsumwt2);
    writeTArray(w, "f64", h.fBinSumw2);
  });
}

/** The writers, keyed by class name. */
export const OBJECT_WRITERS: Readonly<Record<string, ObjectWriter>> = {
  TNamed: (w, o) => writeTNamed(w, o as TNamed),
  TObjString: writeTObjString,
  TList: writeTList,
  THashList: writeTList,
  TProfile: writeTProfile,
  TProfile2D: writeTProfile2D,
  TProfile3D: writeTProfile3D,
  ...Object.fromEntries(
    ([1, 2, 3] as const).flatMap((dim) =>
      (Object.keys(ARRAY_KIND) as Precision[]).map((p) => [
        `TH${dim}${p}`,
        histogramWriter(dim, p),
      ])
    ),
  ),
};

/**
 * Writes `obj`'s streamer output (its own byte count and version first),
 * choosing the writer by `_typename`.
 *
 * @param w destination buffer
 * @param obj the object; members use ROOT's names (`core/root/models/types.ts`)
 * @throws {TypeError} when the class has no writer or the object is inconsistent
 *
 * @example Serialise a TObjString
 * ```ts
 * import { TBufferWriter } from "./tbuffer_writer.ts";
 * import { writeObject } from "./objects.ts";
 *
 * const w = new TBufferWriter();
 * writeObject(w, { _typename: "TObjString", fUniqueID: 0, fBits: 0, fString: "hi" });
 * // byte count (4) + version (2) + TObject (10) + TString (3)
 * if (w.length !== 19) throw new Error(`unexpected size ${w.length}`);
 * ```
 */
export function writeObject(w: TBufferWriter, obj: RootObject): void {
  const writer = OBJECT_WRITERS[obj._typename];
  if (!writer) {
    throw new TypeError(
      `Cannot write class "${obj._typename}": no writer (supported: ${
        Object.keys(OBJECT_WRITERS).join(", ")
      })`,
    );
  }
  writer(w, obj);
}
