/**
 * @module
 * A generic class reader driven by TStreamerInfo (STYLE rule 12, step 2). The
 * file's StreamerInfo record lists, per class version, the members in
 * streaming order with a type code (TVirtualStreamerInfo::EReadWrite); this
 * module turns such a list into a `ClassReader`, cached under
 * `"{className}@v{version}"`. Layout facts: spec/formats.md §1.7, ROOT
 * io/io/src/TStreamerInfoReadBuffer.cxx.
 */

import type { ClassReader, ObjectReader } from "./buffer.ts";
import type { Cursor } from "./cursor.ts";
import { type NumberKind, readNumbers, TARRAY_KINDS } from "./models/tarray.ts";
import { readTObjectBase } from "./models/tobject.ts";
import type { RootObject } from "./models/types.ts";

/** One TStreamerElement as decoded from the file. */
export interface StreamerElement extends RootObject {
  fName: string;
  fTitle: string;
  fType: number;
  fSize: number;
  fArrayLength: number;
  fArrayDim: number;
  fTypeName: string;
  fXmin: number;
  fXmax: number;
  fFactor: number;
  fNbits?: number;
  fBaseVersion?: number;
  fCountName?: string;
  fSTLtype?: number;
  fCtype?: number;
}

/** One TStreamerInfo: a class version's member list. */
export interface StreamerInfo {
  name: string;
  version: number;
  checksum: number;
  elements: StreamerElement[];
}

// Type codes, TVirtualStreamerInfo::EReadWrite.
const kBase = 0;
const kOffsetL = 20;
const kOffsetP = 40;
const kCharStar = 7;
const kDouble32 = 9;
const kFloat16 = 19;
const kObject = 61;
const kAny = 62;
const kObjectp = 63;
const kObjectP = 64;
const kTString = 65;
const kTObject = 66;
const kTNamed = 67;
const kAnyp = 68;
const kAnyP = 69;
const kAnyPnoVT = 70;
const kSTLp = 71;
const kSTL = 300;
const kSTLstring = 365;
const kStreamer = 500;
const kStreamLoop = 501;
// ROOT::ESTLType
const kSTLvector = 1;

/** Basic type codes 1..19 → cursor kind. kLong/kULong are written as 64-bit. */
const BASIC: Record<number, NumberKind> = {
  1: "i8",
  2: "i16",
  3: "i32",
  4: "i64",
  5: "f32",
  6: "i32",
  8: "f64",
  10: "i8",
  11: "u8",
  12: "u16",
  13: "u32",
  14: "u64",
  15: "u32",
  16: "i64",
  17: "u64",
  18: "bool",
};

type MemberReader = (r: ObjectReader, obj: RootObject) => void;

/** One scalar of each kind, read straight from the cursor (no array allocation per member). */
const SCALAR: Record<Exclude<NumberKind, "bool">, (c: Cursor) => number> = {
  i8: (c) => c.i8(),
  u8: (c) => c.u8(),
  i16: (c) => c.i16(),
  u16: (c) => c.u16(),
  i32: (c) => c.i32(),
  u32: (c) => c.u32(),
  i64: (c) => c.i64(),
  u64: (c) => c.u64(),
  f32: (c) => c.f32(),
  f64: (c) => c.f64(),
};

/**
 * The streamer infos of one file, with readers built on demand.
 *
 * @example Look up a class version
 * ```ts
 * import { StreamerSet } from "./streamers.ts";
 * const set = new StreamerSet([]);
 * if (set.readerFor("TH1F", 3) !== undefined) throw new Error("empty set has no readers");
 * ```
 */
export class StreamerSet {
  readonly #infos = new Map<string, StreamerInfo>();
  readonly #byChecksum = new Map<string, StreamerInfo>();
  readonly #readers = new Map<string, ClassReader | null>();

  /** @param infos decoded TStreamerInfo records */
  constructor(infos: StreamerInfo[]) {
    for (const info of infos) {
      this.#infos.set(`${info.name}@v${info.version}`, info);
      this.#byChecksum.set(`${info.name}#${info.checksum >>> 0}`, info);
    }
  }

  /** Number of class versions described. */
  get size(): number {
    return this.#infos.size;
  }

  /**
   * @param className class name
   * @param version class version
   * @returns the streamer info, if the file has one
   */
  info(className: string, version: number): StreamerInfo | undefined {
    return this.#infos.get(`${className}@v${version}`);
  }

  /**
   * The class version a checksum identifies, with its reader: foreign classes
   * (no ClassDef, e.g. `ROOT::TIOFeatures`) are written as version 0 plus
   * the checksum of their streamer info (TBufferFile::WriteVersion).
   *
   * @param className class name
   * @param checksum the class checksum found in the buffer
   * @returns the version and reader, or undefined when no streamer info has this checksum
   */
  readerForChecksum(
    className: string,
    checksum: number,
  ): { version: number; reader: ClassReader } | undefined {
    const info = this.#byChecksum.get(`${className}#${checksum >>> 0}`);
    const reader = info && this.readerFor(className, info.version);
    return info && reader ? { version: info.version, reader } : undefined;
  }

  /** All class versions described, as "name@vN". */
  keys(): string[] {
    return [...this.#infos.keys()];
  }

  /**
   * A reader for a class version, built from its streamer info and cached.
   *
   * @param className class name
   * @param version class version
   * @returns the reader, or undefined when the file does not describe it
   */
  readerFor(className: string, version: number): ClassReader | undefined {
    const key = `${className}@v${version}`;
    const cached = this.#readers.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const info = this.#infos.get(key);
    const reader = info ? buildReader(info) : null;
    this.#readers.set(key, reader);
    return reader ?? undefined;
  }
}

/**
 * Turn a decoded StreamerInfo list (the payload of the file's StreamerInfo
 * key) into `StreamerInfo` records, ignoring the schema-rule list at its end.
 *
 * @param list the decoded TList
 * @returns the class descriptions
 */
export function streamerInfosFromList(list: RootObject): StreamerInfo[] {
  const out: StreamerInfo[] = [];
  for (const item of (list.arr as (RootObject | null)[] | undefined) ?? []) {
    if (!item || item._typename !== "TStreamerInfo") continue;
    const elements =
      ((item.fElements as RootObject | null)?.arr as StreamerElement[] | undefined) ?? [];
    out.push({
      name: item.fName as string,
      version: item.fClassVersion as number,
      checksum: item.fCheckSum as number,
      elements: elements.filter((e): e is StreamerElement => e !== null),
    });
  }
  return out;
}

function buildReader(info: StreamerInfo): ClassReader {
  const members = info.elements.map(memberReader);
  return (r, obj) => {
    for (const read of members) read(r, obj);
  };
}

function memberReader(el: StreamerElement): MemberReader {
  const name = el.fName;
  const type = el.fType;
  if (el._typename === "TStreamerBase" || type === kBase) return baseReader(el);
  const basic = BASIC[type];
  if (basic) {
    if (basic === "bool") return (r, obj) => void (obj[name] = r.c.u8() !== 0);
    const scalar = SCALAR[basic];
    return (r, obj) => void (obj[name] = scalar(r.c));
  }
  if (type === kDouble32 || type === kFloat16) {
    return (r, obj) => void (obj[name] = readDouble32(r, el));
  }
  if (type > kOffsetL && type < kOffsetP) {
    const kind = BASIC[type - kOffsetL];
    const n = el.fArrayLength;
    if (kind) return (r, obj) => void (obj[name] = readNumbers(r.c, kind, n));
    if (type - kOffsetL === kDouble32 || type - kOffsetL === kFloat16) {
      return (r, obj) => void (obj[name] = Array.from({ length: n }, () => readDouble32(r, el)));
    }
  }
  if (type > kOffsetP && type < kOffsetP + 20) return pointerArrayReader(el);
  switch (type) {
    case kCharStar:
      return (r, obj) => {
        const n = r.c.i32();
        obj[name] = new TextDecoder().decode(r.c.bytesView(n));
      };
    case kTString:
      return (r, obj) => void (obj[name] = r.c.tstring());
    case kTObject:
      return (r, obj) => {
        const sub: RootObject = { _typename: "TObject" };
        readTObjectBase(r, sub);
        obj[name] = sub;
      };
    case kTNamed:
      return (r, obj) => void (obj[name] = r.readClass("TNamed"));
    case kObject:
    case kAny:
    case kObjectp:
    case kAnyp:
      // kObjectp/kAnyp are pointers marked `//->`: never null, streamed as the
      // object body itself, without a class tag (TStreamerInfoReadBuffer.cxx).
      return embeddedReader(el);
    case kObjectP:
    case kAnyP:
    case kAnyPnoVT:
      if (el.fArrayLength > 0) {
        return (r, obj) =>
          void (obj[name] = Array.from({ length: el.fArrayLength }, () => r.readObjectAny()));
      }
      return (r, obj) => void (obj[name] = r.readObjectAny());
    case kSTLstring:
      return (r, obj) => void (obj[name] = readStdString(r));
    case kSTL:
    case kSTLp:
      return stlReader(el);
    case kStreamLoop:
      return loopReader(el);
    case kStreamer:
      // STL members recorded as kStreamer (older infos) stream like kSTL ones.
      return el._typename.startsWith("TStreamerSTL") ? stlReader(el) : skipCounted(el);
  }
  return (r) => {
    throw r.c.error(
      `Cannot decode member "${name}"`,
      `unsupported streamer element type ${type} ("${el.fTypeName}")`,
    );
  };
}

function baseReader(el: StreamerElement): MemberReader {
  const base = el.fName;
  if (base === "TObject") return (r, obj) => readTObjectBase(r, obj);
  const arrayKind = TARRAY_KINDS[base];
  if (arrayKind) {
    // TArray bases are streamed bare; their fArray becomes the object's fArray.
    return (r, obj) => {
      const n = r.c.i32();
      obj.fArray = readNumbers(r.c, arrayKind, n);
    };
  }
  return (r, obj) => r.readBase(base, obj);
}

function embeddedReader(el: StreamerElement): MemberReader {
  const name = el.fName;
  const cls = el.fTypeName.replace(/\*$/, "");
  const arrayKind = TARRAY_KINDS[cls];
  const one: (r: ObjectReader) => unknown = arrayKind
    ? (r) => readNumbers(r.c, arrayKind, r.c.i32())
    : cls === "TString"
    ? (r) => r.c.tstring()
    : cls === "TObject"
    ? (r) => {
      const sub: RootObject = { _typename: "TObject" };
      readTObjectBase(r, sub);
      return sub;
    }
    : (r) => r.readClass(cls);
  if (el.fArrayLength > 1) {
    return (r, obj) => void (obj[name] = Array.from({ length: el.fArrayLength }, () => one(r)));
  }
  return (r, obj) => void (obj[name] = one(r));
}

/** `T* fX //[fN]`: a presence byte, then `obj[fCountName]` elements. */
function pointerArrayReader(el: StreamerElement): MemberReader {
  const name = el.fName;
  const countName = el.fCountName ?? "";
  const kind = BASIC[el.fType - kOffsetP];
  return (r, obj) => {
    const present = r.c.u8();
    const n = Number(obj[countName] ?? 0);
    if (!present) {
      obj[name] = [];
      return;
    }
    if (!Number.isInteger(n) || n < 0) {
      throw r.c.error(`Cannot read "${name}"`, `invalid count ${countName}=${n}`);
    }
    obj[name] = kind
      ? readNumbers(r.c, kind, n)
      : Array.from({ length: n }, () => readDouble32(r, el));
  };
}

/**
 * `T* fX //[fN]` of a class type (kStreamLoop): a byte count + version, then
 * `obj[fCountName]` objects streamed one after the other (TStreamerLoop).
 */
function loopReader(el: StreamerElement): MemberReader {
  const name = el.fName;
  const cls = el.fTypeName.replace(/\*$/, "");
  const countName = el.fCountName ?? "";
  return (r, obj) => {
    const h = r.c.version();
    const n = Number(obj[countName] ?? 0);
    if (!Number.isInteger(n) || n < 0 || n > r.c.remaining()) {
      throw r.c.error(`Cannot read "${name}"`, `invalid count ${countName}=${n}`);
    }
    obj[name] = Array.from(
      { length: n },
      () => cls === "TString" ? r.c.tstring() : r.readClass(cls),
    );
    const warning = r.c.checkByteCount(h, el.fTypeName);
    if (warning) r.warnings.push(warning);
  };
}

function readStdString(r: ObjectReader): string {
  return r.c.tstring();
}

/** STL members: byte count + version, then the content; vectors of numbers and strings are decoded. */
function stlReader(el: StreamerElement): MemberReader {
  const name = el.fName;
  const inner = /^(?:std::)?vector<\s*(.+?)\s*>$/.exec(el.fTypeName)?.[1];
  const numberKind = inner ? CPP_NUMBER_TYPES[inner] : undefined;
  if (el.fTypeName === "string" || el.fTypeName === "std::string") {
    return (r, obj) => {
      const h = r.c.version();
      obj[name] = r.c.tstring();
      r.c.checkByteCount(h, el.fTypeName, true);
    };
  }
  if (el.fSTLtype === kSTLvector && (numberKind || inner === "string" || inner === "std::string")) {
    return (r, obj) => {
      const h = r.c.version();
      const n = r.c.i32();
      obj[name] = numberKind
        ? readNumbers(r.c, numberKind, n)
        : Array.from({ length: n }, () => r.c.tstring());
      const warning = r.c.checkByteCount(h, el.fTypeName);
      if (warning) r.warnings.push(warning);
    };
  }
  return skipCounted(el);
}

const CPP_NUMBER_TYPES: Record<string, NumberKind> = {
  char: "i8",
  "unsigned char": "u8",
  short: "i16",
  "unsigned short": "u16",
  int: "i32",
  "unsigned int": "u32",
  long: "i64",
  "unsigned long": "u64",
  "long long": "i64",
  "unsigned long long": "u64",
  float: "f32",
  double: "f64",
  bool: "bool",
  "Int_t": "i32",
  "UInt_t": "u32",
  "Float_t": "f32",
  "Double_t": "f64",
  "Long64_t": "i64",
  "ULong64_t": "u64",
  "Short_t": "i16",
  "UShort_t": "u16",
  "Char_t": "i8",
  "UChar_t": "u8",
  "Bool_t": "bool",
};

/** Members with a custom streamer: skip by their byte count, record a warning. */
function skipCounted(el: StreamerElement): MemberReader {
  return (r, obj) => {
    const h = r.c.version();
    if (!h.byteCount) {
      throw r.c.error(
        `Cannot skip member "${el.fName}"`,
        `"${el.fTypeName}" has no byte count`,
        h.start,
      );
    }
    r.c.seek(h.countedFrom + h.byteCount);
    obj[el.fName] = null;
    r.warnings.push(`member "${el.fName}" ("${el.fTypeName}") skipped: custom streamer`);
  };
}

/**
 * Double32_t / Float16_t (TBufferFile::ReadDouble32, ReadWithFactor,
 * ReadWithNbits): with a range, a u32 scaled into [xmin, xmax]; with only a
 * bit count, a truncated float (u8 exponent + u16 mantissa); otherwise a float.
 */
function readDouble32(r: ObjectReader, el: StreamerElement): number {
  const c = r.c;
  if (el.fFactor > 0) return c.u32() / el.fFactor + el.fXmin;
  const nbits = el.fNbits ?? 0;
  if (nbits < 2 || nbits >= 32) return c.f32();
  const exp = c.u8();
  const man = c.u16();
  let bits = (exp << 23) | (man & ((1 << (nbits + 1)) - 1));
  bits <<= 23 - nbits;
  const f = new Float32Array(new Uint32Array([bits >>> 0]).buffer)[0]!;
  return (1 << (nbits + 1)) & man ? -f : f;
}
