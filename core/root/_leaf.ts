/**
 * @module
 * How one entry of a branch is laid out in a basket, worked out from the
 * branch's class, its leaves and (for split members) the parent class's
 * streamer info, and the loops that decode entries into numbers, strings and
 * objects. Private to core/root; `branch.ts` is the public face.
 *
 * Layouts (spec/formats.md §2.4; ROOT tree/tree/src/TLeaf*.cxx
 * `ReadBasket`, TBranchElement.cxx `ReadLeaves*`, io/io/src/
 * TStreamerInfoReadBuffer.cxx; uproot interpretation/identify.py):
 *
 * - TBranch + TLeafI/L/D/F/S/B/O/G: `fLen` big-endian values per entry, or,
 *   with a leaf count, a variable number of them (the entry-offset table gives
 *   the size);
 * - TBranch + TLeafC, TBranchElement of a TString member: a TString (`u8 n`,
 *   or `0xFF` + `i32 n`, then n bytes);
 * - TBranchElement of `std::string` (top level or member): the same, possibly
 *   behind a 6-byte byte-count + version header;
 * - TBranchElement of a basic member: the value(s); of a `T* //[n]` member: a
 *   1-byte "present" flag, then the values;
 * - TBranchElement of `vector<T>`: byte count + version, `i32 n`, n values;
 * - TBranchObject: `u8 L` + class name + NUL when the leaf is virtual, then
 *   the object's Streamer output.
 */

import type { Kind, NumberLayout } from "./_decode.ts";
import type { StreamerElement, StreamerSet } from "./streamers.ts";

/** How an entry's bytes are laid out. */
export type EntryCodec =
  | ({ type: "number" } & NumberLayout)
  | { type: "string"; header: "none" | "optional" }
  | {
    type: "object";
    className: string;
    /** TLeafObject::fVirtual: the class name precedes each object. */
    virtual: boolean;
    /**
     * Class version of the members when the entry carries no version header
     * (a whole object in a TBranchElement is streamed member by member,
     * TBranchElement::FillLeavesMember); -1 when the entry is a full
     * `Streamer` output with its own header (TBranchObject).
     */
    bareVersion: number;
  }
  | { type: "none"; reason: string };

/** What the codec builder needs to know about a branch. */
export interface BranchShape {
  className: string;
  name: string;
  /** TBranchObject/TBranchElement fClassName. */
  objectClass: string;
  classVersion: number;
  id: number;
  type: number;
  streamerType: number;
  leaves: LeafShape[];
}

/** What the codec builder needs to know about a leaf. */
export interface LeafShape {
  className: string;
  name: string;
  title: string;
  len: number;
  isUnsigned: boolean;
  hasCount: boolean;
  virtual: boolean;
}

/** TLeaf classes with one basic element type: [signed, unsigned] kinds and type names. */
const LEAF_KINDS: Record<string, [Kind, Kind, string, string]> = {
  TLeafB: ["i8", "u8", "Char_t", "UChar_t"],
  TLeafS: ["i16", "u16", "Short_t", "UShort_t"],
  TLeafI: ["i32", "u32", "Int_t", "UInt_t"],
  TLeafL: ["i64", "u64", "Long64_t", "ULong64_t"],
  // Long_t is streamed as 64 bits (TBufferFile::WriteLong).
  TLeafG: ["i64", "u64", "Long_t", "ULong_t"],
  TLeafF: ["f32", "f32", "Float_t", "Float_t"],
  TLeafD: ["f64", "f64", "Double_t", "Double_t"],
  TLeafO: ["bool", "bool", "Bool_t", "Bool_t"],
};

/** Basic streamer type codes (TVirtualStreamerInfo::EReadWrite) → kind; kLong/kULong are 64-bit. */
const BASIC_KINDS: Record<number, [Kind, string]> = {
  1: ["i8", "Char_t"],
  2: ["i16", "Short_t"],
  3: ["i32", "Int_t"],
  4: ["i64", "Long_t"],
  5: ["f32", "Float_t"],
  6: ["i32", "Int_t"],
  8: ["f64", "Double_t"],
  11: ["u8", "UChar_t"],
  12: ["u16", "UShort_t"],
  13: ["u32", "UInt_t"],
  14: ["u64", "ULong_t"],
  15: ["u32", "UInt_t"],
  16: ["i64", "Long64_t"],
  17: ["u64", "ULong64_t"],
  18: ["bool", "Bool_t"],
};
const kOffsetL = 20;
const kOffsetP = 40;
const kTString = 65;
const kSTL = 300;
const kSTLstring = 365;
const kUChar = 11;
const kBool = 18;

/** C++ spellings of element types inside `vector<...>`. */
const CPP_KINDS: Record<string, Kind> = {
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
  "Char_t": "i8",
  "UChar_t": "u8",
  "Short_t": "i16",
  "UShort_t": "u16",
  "Int_t": "i32",
  "UInt_t": "u32",
  "Long_t": "i64",
  "ULong_t": "u64",
  "Long64_t": "i64",
  "ULong64_t": "u64",
  "Float_t": "f32",
  "Double_t": "f64",
  "Bool_t": "bool",
};

const STRING_CLASSES = new Set(["string", "std::string", "basic_string<char>"]);

/**
 * The streamer element a split TBranchElement member refers to: `fID`
 * indexes the parent class's elements, but not always exactly, so the name
 * decides (as JSROOT's findBrachStreamerElement does).
 *
 * @param b the branch
 * @param streamers the file's streamer infos
 * @returns the element, or undefined
 */
export function memberElement(b: BranchShape, streamers: StreamerSet): StreamerElement | undefined {
  if (b.className !== "TBranchElement" || b.id < 0) return undefined;
  const elements = streamers.info(b.objectClass, b.classVersion)?.elements;
  if (!elements) return undefined;
  let name = b.name;
  const bracket = name.indexOf("[");
  if (bracket > 0) name = name.slice(0, bracket);
  name = name.slice(name.lastIndexOf(".") + 1);
  const matches = (e: StreamerElement | undefined) => e !== undefined && e.fName === name;
  return matches(elements[b.id]) ? elements[b.id] : elements.find(matches);
}

/**
 * The C++ type of one entry's value, for `RootBranch.leafType`.
 *
 * @param b the branch
 * @param streamers the file's streamer infos
 * @returns a type name such as "UInt_t", "string", "TH1F" or "vector<float>"
 */
export function leafTypeOf(b: BranchShape, streamers: StreamerSet): string {
  if (b.className === "TBranchObject") return b.objectClass || (b.leaves[0]?.title ?? "");
  if (b.className === "TBranchElement") {
    if (b.id < 0) return b.objectClass;
    const element = memberElement(b, streamers);
    if (element) return element.fTypeName.replace(/\*$/, "");
    return BASIC_KINDS[b.streamerType % kOffsetL]?.[1] ?? b.objectClass;
  }
  return b.leaves.map(leafTypeName).join(":");
}

function leafTypeName(leaf: LeafShape): string {
  if (leaf.className === "TLeafC") return "char*";
  const k = LEAF_KINDS[leaf.className];
  if (k) return leaf.isUnsigned ? k[3] : k[2];
  if (leaf.className === "TLeafObject") return leaf.title;
  return leaf.className;
}

/**
 * Work out how a branch's entries are laid out.
 *
 * @param b the branch
 * @param streamers the file's streamer infos
 * @returns the codec, or a `none` codec saying why the branch cannot be decoded
 */
export function codecFor(b: BranchShape, streamers: StreamerSet): EntryCodec {
  if (b.className === "TBranchObject") {
    const leaf = b.leaves[0];
    const className = b.objectClass || (leaf?.title ?? "");
    return { type: "object", className, virtual: leaf?.virtual ?? true, bareVersion: -1 };
  }
  if (b.className === "TBranchElement") return elementCodec(b, streamers);
  if (b.leaves.length !== 1) {
    return { type: "none", reason: `branch has ${b.leaves.length} leaves (a leaf list)` };
  }
  const leaf = b.leaves[0]!;
  if (leaf.className === "TLeafC") return { type: "string", header: "none" };
  const kinds = LEAF_KINDS[leaf.className];
  if (!kinds) return { type: "none", reason: `leaf class "${leaf.className}" is not supported` };
  const kind = leaf.isUnsigned ? kinds[1] : kinds[0];
  return { type: "number", kind, perEntry: leaf.hasCount ? -1 : leaf.len, header: "none" };
}

function elementCodec(b: BranchShape, streamers: StreamerSet): EntryCodec {
  const st = b.streamerType;
  if (b.id < 0) {
    // A whole object, string or collection at the top of the branch.
    if (STRING_CLASSES.has(b.objectClass)) return { type: "string", header: "optional" };
    if (b.objectClass === "TString") return { type: "string", header: "none" };
    const inner = vectorElement(b.objectClass);
    if (inner !== undefined) {
      const kind = CPP_KINDS[inner];
      return kind
        ? { type: "number", kind, perEntry: -1, header: "vector" }
        : { type: "none", reason: `"${b.objectClass}" is not a vector of numbers` };
    }
    if (b.type === 0 && b.objectClass) {
      return {
        type: "object",
        className: b.objectClass,
        virtual: false,
        bareVersion: b.classVersion,
      };
    }
    return { type: "none", reason: `branch of type ${b.type} holds no data of its own` };
  }
  const element = memberElement(b, streamers);
  const typeName = element?.fTypeName ?? "";
  if (st === kTString) return { type: "string", header: "none" };
  if ((st === kSTL || st === kSTLstring) && STRING_CLASSES.has(typeName)) {
    return { type: "string", header: "optional" };
  }
  if (st === kSTL) {
    const kind = CPP_KINDS[vectorElement(typeName) ?? ""];
    if (kind) return { type: "number", kind, perEntry: -1, header: "vector" };
  }
  let basic = st;
  let perEntry = 1;
  let header: "none" | "flag" = "none";
  if (st > kOffsetL && st < kOffsetP) {
    basic = st - kOffsetL;
    perEntry = Math.max(1, b.leaves[0]?.len ?? 1);
  } else if (st > kOffsetP && st < kOffsetP + kOffsetL) {
    basic = st - kOffsetP;
    perEntry = -1;
    header = "flag";
  }
  // Bool_t members are recorded as kUChar in older streamer infos.
  if (basic === kUChar && (typeName === "Bool_t" || typeName === "bool")) basic = kBool;
  const k = BASIC_KINDS[basic];
  if (!k) return { type: "none", reason: `streamer type ${st} ("${typeName}") is not supported` };
  return { type: "number", kind: k[0], perEntry, header };
}

function vectorElement(className: string): string | undefined {
  return /^(?:std::)?vector<\s*(.+?)\s*>$/.exec(className)?.[1];
}
