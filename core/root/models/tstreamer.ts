/**
 * @module
 * Readers for TStreamerInfo and the TStreamerElement family: the class
 * descriptions a ROOT file carries in its StreamerInfo record (spec/formats.md
 * §1.7; ROOT core/meta/src/TStreamerElement.cxx `Streamer` methods). These are
 * bootstrapped by hand because they describe everything else.
 */

import type { ClassReader } from "../buffer.ts";

/** TObject::fBits bit 6 on a TStreamerElement: the title carries a [min,max,nbits] range. */
const kHasRange = 1 << 6;
/** kUChar and kBool type codes (TVirtualStreamerInfo::EReadWrite). */
const kUChar = 11;
const kBool = 18;

/** TStreamerInfo v2–v9: TNamed, fCheckSum, fClassVersion, fElements (TObjArray slot). */
const readTStreamerInfo: ClassReader = (r, obj) => {
  r.readBase("TNamed", obj);
  obj.fCheckSum = r.c.u32();
  obj.fClassVersion = r.c.i32();
  obj.fElements = r.readObjectAny();
};

/**
 * TStreamerElement v1–v4: TNamed, type code, size, array shape, type name;
 * v3 stores the Double32 range explicitly, v4+ encodes it in the title.
 */
const readTStreamerElement: ClassReader = (r, obj, { version }) => {
  const c = r.c;
  r.readBase("TNamed", obj);
  obj.fType = c.i32();
  obj.fSize = c.i32();
  obj.fArrayLength = c.i32();
  obj.fArrayDim = c.i32();
  const nMax = version === 1 ? c.i32() : 5;
  if (nMax < 0 || nMax > 16) {
    throw c.error("Cannot read TStreamerElement", `fMaxIndex length ${nMax}`);
  }
  const maxIndex: number[] = [];
  for (let i = 0; i < nMax; i++) maxIndex.push(c.i32());
  obj.fMaxIndex = maxIndex;
  obj.fTypeName = c.tstring();
  if (obj.fType === kUChar && (obj.fTypeName === "Bool_t" || obj.fTypeName === "bool")) {
    obj.fType = kBool;
  }
  obj.fXmin = 0;
  obj.fXmax = 0;
  obj.fFactor = 0;
  if (version === 3) {
    obj.fXmin = c.f64();
    obj.fXmax = c.f64();
    obj.fFactor = c.f64();
  } else if (version > 3 && ((obj.fBits as number) & kHasRange)) {
    parseRange(obj as unknown as RangeFields);
  }
};

/** The members `parseRange` reads and fills. */
interface RangeFields {
  fTitle: string;
  fXmin: number;
  fXmax: number;
  fFactor: number;
  fNbits?: number;
}

/**
 * Parse the `[xmin,xmax(,nbits)]` range of a Double32_t/Float16_t member from
 * its title (TStreamerElement::GetRange; "pi" and "2pi" forms allowed).
 */
function parseRange(el: RangeFields): void {
  const m = /\[([^\]]*)\]/.exec(el.fTitle);
  const parts = m?.[1]?.split(",").map((s) => s.trim()) ?? [];
  if (parts.length < 2) return;
  const value = (s: string) => {
    const t = s.replace(/\s/g, "").toLowerCase();
    const pi = /^([+-]?[0-9.]*)\*?(2?)pi(\/([0-9.]+))?$/.exec(t);
    if (pi) {
      const k = pi[1] === "" || pi[1] === "+" ? 1 : pi[1] === "-" ? -1 : Number(pi[1]);
      return (k * (pi[2] ? 2 : 1) * Math.PI) / (pi[4] ? Number(pi[4]) : 1);
    }
    return Number(t);
  };
  const nbits = parts.length > 2 ? Math.min(32, Math.max(2, Number(parts[2]) || 32)) : 32;
  el.fXmin = value(parts[0]!);
  el.fXmax = value(parts[1]!);
  el.fNbits = nbits;
  const range = el.fXmax - el.fXmin;
  el.fFactor = range > 0 ? (nbits === 32 ? 0xffffffff : (1 << nbits) - 1) / range : 0;
}

/** TStreamerBase v3+: TStreamerElement then fBaseVersion. */
const readTStreamerBase: ClassReader = (r, obj, { version }) => {
  r.readBase("TStreamerElement", obj);
  obj.fBaseVersion = version > 2 ? r.c.i32() : 0;
};

/** TStreamerBasicPointer / TStreamerLoop: element, then the counter's version, name and class. */
const readTStreamerBasicPointer: ClassReader = (r, obj, { version }) => {
  if (version < 2) return;
  r.readBase("TStreamerElement", obj);
  obj.fCountVersion = r.c.i32();
  obj.fCountName = r.c.tstring();
  obj.fCountClass = r.c.tstring();
};

/** TStreamerSTL: element, container kind and content type. */
const readTStreamerSTL: ClassReader = (r, obj) => {
  r.readBase("TStreamerElement", obj);
  obj.fSTLtype = r.c.i32();
  obj.fCtype = r.c.i32();
};

/** TStreamerSTLstring: a TStreamerSTL. */
const readTStreamerSTLstring: ClassReader = (r, obj, { version }) => {
  if (version > 0) r.readBase("TStreamerSTL", obj);
};

/** The plain element subclasses add nothing to TStreamerElement. */
const readPlainElement: ClassReader = (r, obj, { version }) => {
  if (version > 1) r.readBase("TStreamerElement", obj);
};

const ANY_VERSION = (reader: ClassReader): Record<number, ClassReader> => {
  const table: Record<number, ClassReader> = {};
  for (let v = 0; v <= 12; v++) table[v] = reader;
  return table;
};

/** Hand-written readers of this module, by class and version. */
export const STREAMER_READERS: Record<string, Record<number, ClassReader>> = {
  TStreamerInfo: ANY_VERSION(readTStreamerInfo),
  TStreamerElement: ANY_VERSION(readTStreamerElement),
  TStreamerBase: ANY_VERSION(readTStreamerBase),
  TStreamerBasicPointer: ANY_VERSION(readTStreamerBasicPointer),
  TStreamerLoop: ANY_VERSION(readTStreamerBasicPointer),
  TStreamerSTL: ANY_VERSION(readTStreamerSTL),
  TStreamerSTLstring: ANY_VERSION(readTStreamerSTLstring),
  TStreamerBasicType: ANY_VERSION(readPlainElement),
  TStreamerObject: ANY_VERSION(readPlainElement),
  TStreamerObjectAny: ANY_VERSION(readPlainElement),
  TStreamerObjectPointer: ANY_VERSION(readPlainElement),
  TStreamerObjectAnyPointer: ANY_VERSION(readPlainElement),
  TStreamerString: ANY_VERSION(readPlainElement),
  TStreamerArtificial: ANY_VERSION(readPlainElement),
};
