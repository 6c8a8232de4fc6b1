/**
 * @module
 * Builds the StreamerInfo record's payload: a TList of `TStreamerInfo`
 * objects describing every class written to a file (spec `formats.md` §1.7),
 * so that JSROOT, uproot and ROOT itself can decode the objects. Layouts come
 * from `_class_defs.ts`; class checksums are computed here the way ROOT's
 * `TStreamerInfo::GetCheckSum` computes them, so ROOT accepts the records
 * without "different checksum" warnings.
 *
 * This module is browser compatible.
 */

import { CLASS_DEFS, type ElementDef } from "./_class_defs.ts";
import type { TBufferWriter } from "./tbuffer_writer.ts";

export { CLASS_DEFS, type ClassDef, type ElementDef } from "./_class_defs.ts";

/** `TStreamerInfo` class version written (ROOT 6). */
const STREAMER_INFO_VERSION = 9;
/** `TStreamerElement` class version (ROOT 6). */
const STREAMER_ELEMENT_VERSION = 4;
/** TObjArray class version. */
const OBJARRAY_VERSION = 3;
/** Per-subclass TStreamerElement versions, as ROOT 6 writes them. */
const ELEMENT_CLASSES: Record<ElementDef["kind"], [string, number]> = {
  base: ["TStreamerBase", 3],
  basic: ["TStreamerBasicType", 2],
  string: ["TStreamerString", 2],
  object: ["TStreamerObject", 2],
  any: ["TStreamerObjectAny", 2],
  pointer: ["TStreamerObjectPointer", 2],
  basicPointer: ["TStreamerBasicPointer", 2],
  stl: ["TStreamerSTL", 3],
};
/** fBits as ROOT writes them: kIsOnHeap | kNotDeleted (0x03000000), plus kIsCompiled (bit 16) on infos. */
const BITS_ELEMENT = 0x03000000;
const BITS_INFO = 0x03010000;
/** Collections created on the stack in `TFile::WriteStreamerInfo` lack kIsOnHeap. */
const BITS_STACK = 0x02000000;
/** In-memory sizes of basic types by type code (64-bit build), for fSize. */
const BASIC_SIZES: Record<number, number> = {
  1: 1,
  2: 2,
  3: 4,
  4: 8,
  5: 4,
  6: 4,
  8: 8,
  11: 1,
  12: 2,
  13: 4,
  14: 8,
  15: 4,
  16: 8,
  17: 8,
  18: 1,
};
/** ROOT types whose typeName names a real basic type, so `type == 3` is not an enum. */
const INT_TYPE_NAMES = new Set(["int", "Int_t"]);
/** sizeof(TString) and of a pointer on a 64-bit build. */
const SIZEOF_TSTRING = 24;
const SIZEOF_POINTER = 8;

function fold(id: number, s: string): number {
  for (let i = 0; i < s.length; i++) id = (Math.imul(id, 3) + s.charCodeAt(i)) >>> 0;
  return id;
}

const checksumCache = new Map<string, number>();

/**
 * The class checksum ROOT stores in `TStreamerInfo::fCheckSum`, computed
 * from a class layout as `TStreamerInfo::GetCheckSum(kLatestCheckSum)` does:
 * `id = id*3 + c` (unsigned 32-bit) over the class name; each base's name and
 * checksum; then per member an enum marker, the name, the type name and the
 * `[count]` of the comment.
 *
 * @param className a class described in `CLASS_DEFS`
 * @returns the unsigned 32-bit checksum
 * @throws {TypeError} when the class is unknown
 */
export function classChecksum(className: string): number {
  const cached = checksumCache.get(className);
  if (cached !== undefined) return cached;
  const def = CLASS_DEFS[className];
  if (!def) throw new TypeError(`Cannot compute checksum of class "${className}": unknown class`);
  let id = fold(0, className);
  for (const el of def.elements) {
    if (el.kind !== "base") continue;
    id = fold(id, el.name);
    id = (Math.imul(id, 3) + classChecksum(el.name)) >>> 0;
  }
  for (const el of def.elements) {
    if (el.kind === "base") continue;
    const typeName = elementTypeName(el);
    // An int-typed member whose type is not a basic type is an enum: ROOT adds 1.
    if (el.kind === "basic" && el.type === 3 && !INT_TYPE_NAMES.has(typeName)) {
      id = (Math.imul(id, 3) + 1) >>> 0;
    }
    id = fold(id, el.name);
    id = fold(id, typeName);
    const counter = /^\s*\[([^\]]*)\]/.exec(el.title);
    if (counter) id = fold(id, counter[1]!);
  }
  for (const [name, typeName] of def.checksumOnly ?? []) id = fold(fold(id, name), typeName);
  checksumCache.set(className, id);
  return id;
}

function elementTypeName(el: ElementDef): string {
  switch (el.kind) {
    case "base":
      return "BASE";
    case "string":
      return "TString";
    default:
      return el.typeName;
  }
}

/** The fType, fSize pair ROOT records for an element. */
function elementTypeAndSize(el: ElementDef): [number, number] {
  switch (el.kind) {
    case "base":
      return [el.type, 0];
    case "basic":
      return [el.type, BASIC_SIZES[el.type] ?? 0];
    case "string":
      return [65, SIZEOF_TSTRING]; // kTString
    case "object":
      return [61, el.size]; // kObject
    case "any":
      return [62, el.size]; // kAny
    case "pointer":
      return [el.type, SIZEOF_POINTER];
    case "basicPointer":
      return [el.type, BASIC_SIZES[el.type - 40] ?? 0]; // element size, not pointer size
    case "stl":
      return [500, el.size]; // kStreamer
  }
}

/** Classes an element needs described too (bases and member object types). */
function elementDependencies(el: ElementDef): string[] {
  switch (el.kind) {
    case "base":
      return [el.name];
    case "string":
      return ["TString"];
    case "object":
    case "any":
    case "pointer":
      return [el.typeName.replace(/\*$/, "")];
    default:
      return [];
  }
}

/**
 * Orders `classes` and everything they depend on (bases, member classes)
 * the way ROOT lists them: each class before the classes it uses, each
 * class once.
 *
 * @param classes class names that were written
 * @returns the closure, in writing order, limited to classes in `CLASS_DEFS`
 */
export function streamerInfoClosure(classes: Iterable<string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !CLASS_DEFS[name]) return;
    seen.add(name);
    out.push(name);
    for (const el of CLASS_DEFS[name]!.elements) elementDependencies(el).forEach(visit);
  };
  for (const c of classes) visit(c);
  return out;
}

function writeNamedHeader(w: TBufferWriter, bits: number, name: string, title: string): void {
  w.versioned(1, () => {
    w.u16(1).u32(0).u32(bits); // TObject (spec §1.9.1)
    w.tstring(name).tstring(title);
  });
}

function writeElement(w: TBufferWriter, el: ElementDef): void {
  const [cls, ver] = ELEMENT_CLASSES[el.kind];
  w.objectSlot(cls, () => {
    w.versioned(ver, () => {
      const [type, size] = elementTypeAndSize(el);
      w.versioned(STREAMER_ELEMENT_VERSION, () => {
        writeNamedHeader(w, BITS_ELEMENT, el.name, el.title);
        w.i32(type).i32(size).i32(0).i32(0); // fType, fSize, fArrayLength, fArrayDim
        // fMaxIndex[5]; a TStreamerBase keeps its base's checksum in slot 1.
        w.i32(0).u32(el.kind === "base" ? classChecksum(el.name) : 0).i32(0).i32(0).i32(0);
        w.tstring(elementTypeName(el));
      });
      if (el.kind === "base") w.i32(CLASS_DEFS[el.name]!.version); // fBaseVersion
      if (el.kind === "basicPointer") {
        w.i32(CLASS_DEFS[el.countClass]!.version).tstring(el.countName).tstring(el.countClass);
      }
      if (el.kind === "stl") w.i32(el.stlType).i32(el.ctype); // fSTLtype, fCtype
    });
  });
}

/**
 * Writes one `TStreamerInfo` (v9) object slot: TNamed (class name), checksum,
 * class version, then a TObjArray of elements (spec §1.7).
 *
 * @param w destination buffer
 * @param className a class described in `CLASS_DEFS`
 */
export function writeStreamerInfo(w: TBufferWriter, className: string): void {
  const def = CLASS_DEFS[className];
  if (!def) throw new TypeError(`Cannot describe class "${className}": unknown class`);
  w.objectSlot("TStreamerInfo", () => {
    w.versioned(STREAMER_INFO_VERSION, () => {
      writeNamedHeader(w, BITS_INFO, className, "");
      w.u32(classChecksum(className)).i32(def.version);
      w.objectSlot("TObjArray", () => {
        w.versioned(OBJARRAY_VERSION, () => {
          w.u16(1).u32(0).u32(BITS_STACK); // TObject
          w.tstring(""); // fName
          w.i32(def.elements.length).i32(0); // count, fLowerBound
          for (const el of def.elements) writeElement(w, el);
        });
      });
    });
  });
}

/**
 * Writes the StreamerInfo TList (v5): one `TStreamerInfo` per class in the
 * closure of `classes`, each followed by an empty option (spec §1.7, §1.9.7).
 *
 * @param w destination buffer, positioned where the key payload starts
 * @param classes the classes written to the file
 * @returns the classes described, in order
 *
 * @example Describe the classes of a file holding one TH1F
 * ```ts
 * import { TBufferWriter } from "./tbuffer_writer.ts";
 * import { writeStreamerInfoList } from "./streamer_infos.ts";
 *
 * const described = writeStreamerInfoList(new TBufferWriter(), ["TH1F"]);
 * if (!described.includes("TAxis")) throw new Error("TAxis must be described");
 * ```
 */
export function writeStreamerInfoList(w: TBufferWriter, classes: Iterable<string>): string[] {
  const list = streamerInfoClosure(classes);
  w.versioned(5, () => {
    w.u16(1).u32(0).u32(BITS_STACK); // TObject
    w.tstring(""); // fName
    w.i32(list.length);
    for (const cls of list) {
      writeStreamerInfo(w, cls);
      w.u8(0); // empty option string
    }
  });
  return list;
}
