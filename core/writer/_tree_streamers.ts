/**
 * @module
 * Streams a TTree record (TTree v20 with its TBranch v13 /
 * TBranchElement v10 / TBranchObject v1 branches and TLeafI/L/D v1 /
 * TLeafElement v1 / TLeafObject v4 leaves) exactly as ROOT 6's
 * `WriteClassBuffer` does, in the member order of `_tree_class_defs.ts`.
 * Byte-level facts were read off `uproot-sample-6.20.04-uncompressed.root`
 * (an uncompressed ROOT 6.20 tree) and `uproot-issue-tbranch-of-th2.root`
 * (a CMSSW TBranchObject of TH2F):
 *
 * - fBranches and each branch's fLeaves hold object slots (byte count,
 *   class tag, object); the tree's fLeaves lists the same leaves again as
 *   object references, i.e. the position of each leaf's byte-count word
 *   (from the key start) plus kMapOffset (spec §1.8);
 * - fBaskets lists fWriteBasket+1 null slots: written baskets are on disk,
 *   and the empty write basket is nulled too (`TBranch::Streamer`);
 * - fMaxBaskets is max(fWriteBasket+1, 10) and the three basket arrays
 *   have that length, fBasketEntry[fWriteBasket] being the entry count;
 * - ROOT::TIOFeatures has no ClassDef, so its version word is 0 followed
 *   by its class checksum (`TBufferFile::WriteVersion` for foreign classes).
 *
 * This module is browser compatible.
 */

import type { BranchWriter } from "./branch.ts";
import { classChecksum } from "./streamer_infos.ts";
import { kMapOffset, type TBufferWriter } from "./tbuffer_writer.ts";

/** The tree-level facts the record needs besides its branches. */
export interface TreeRecord {
  name: string;
  title: string;
  entries: number;
  branches: readonly BranchWriter[];
  /** fCompress of every branch: the file's algorithm*100 + level. */
  compress: number;
}

/** TObject fBits: kIsOnHeap | kNotDeleted (0x03000000) and what each class adds. */
const BITS_HEAP = 0x03000000;
/** TTree: TObject::kMustCleanup (bit 3). */
const BITS_TREE = BITS_HEAP | 0x8;
/** The tree's fBranches owns its branches: TCollection::kIsOwner (bit 14). */
const BITS_OWNER = BITS_HEAP | 0x4000;
/** TBranch::kDoNotUseBufferMap (bit 22), cleared once an entry used the class map. */
const kDoNotUseBufferMap = 0x400000;
/** TBranchElement::kAddressSet (bit 20): CMSSW gives the branch an address. */
const kAddressSet = 0x100000;
/** TBranch::kAutoDelete (bit 15), set by TBranchObject's constructor. */
const kAutoDelete = 0x8000;
/** TTree defaults (TTree constructor, as ROOT 6 files show them). */
const TREE_DEFAULTS = {
  scanField: 25,
  defaultEntryOffsetLen: 1000,
  maxEntries: 1_000_000_000_000,
  autoSave: -300_000_000,
  autoFlush: -30_000_000,
  estimate: 1_000_000,
};
/** Class versions written (`_tree_class_defs.ts`). */
const V = {
  TTree: 20,
  TBranch: 13,
  TBranchElement: 10,
  TBranchObject: 1,
  TLeaf: 2,
  TLeafX: 1,
  TLeafObject: 4,
  TObjArray: 3,
  TNamed: 1,
  TAttLine: 2,
  TAttFill: 2,
  TAttMarker: 2,
};
/** ROOT's version of std::string's TClass (`RootClassVersion(string,2)` in core/base). */
const STRING_CLASS_VERSION = 2;
const MIN_MAX_BASKETS = 10;

function writeTNamed(w: TBufferWriter, bits: number, name: string, title: string): void {
  w.versioned(V.TNamed, () => {
    w.u16(1).u32(0).u32(bits);
    w.tstring(name).tstring(title);
  });
}

function writeObjArray(w: TBufferWriter, bits: number, n: number, items: () => void): void {
  w.versioned(V.TObjArray, () => {
    w.u16(1).u32(0).u32(bits); // TObject
    w.tstring(""); // fName
    w.i32(n).i32(0); // size, fLowerBound
    items();
  });
}

function writeIOFeatures(w: TBufferWriter): void {
  w.versioned(0, () => {
    w.u32(classChecksum("ROOT::TIOFeatures")).u8(0); // fIOBits
  });
}

/** Leaf class, fLenType, unsignedness and title of a branch's single leaf. */
function leafOf(b: BranchWriter): { cls: string; lenType: number; unsigned: boolean } {
  const spec = b.spec;
  switch (spec.kind) {
    case "leaf":
      return {
        cls: spec.type === "D"
          ? "TLeafD"
          : spec.type === "i" || spec.type === "I"
          ? "TLeafI"
          : "TLeafL",
        lenType: spec.type === "i" || spec.type === "I" ? 4 : 8,
        unsigned: spec.type === "i" || spec.type === "l",
      };
    case "string":
      return { cls: "TLeafElement", lenType: 0, unsigned: false };
    case "object":
      // fLenType 4 is what CMSSW's TLeafObject carries (uproot-issue-tbranch-of-th2.root).
      return { cls: "TLeafObject", lenType: 4, unsigned: false };
  }
}

function writeLeaf(w: TBufferWriter, b: BranchWriter): void {
  const { cls, lenType, unsigned } = leafOf(b);
  const spec = b.spec;
  const title = spec.kind === "object" ? spec.className : spec.name;
  w.versioned(cls === "TLeafObject" ? V.TLeafObject : V.TLeafX, () => {
    w.versioned(V.TLeaf, () => {
      writeTNamed(w, BITS_HEAP, spec.name, title);
      w.i32(1).i32(lenType).i32(0); // fLen, fLenType, fOffset
      w.u8(0).u8(unsigned ? 1 : 0); // fIsRange, fIsUnsigned
      w.u32(0); // fLeafCount: null
    });
    // fMinimum/fMaximum stay 0: ROOT tracks them only for range (counter) leaves.
    if (cls === "TLeafI") w.i32(0).i32(0);
    else if (cls === "TLeafL") w.i64(0).i64(0);
    else if (cls === "TLeafD") w.f64(0).f64(0);
    else if (cls === "TLeafElement") w.i32(-1).i32(-1); // fID, fType (= fStreamerType)
    else w.u8(1); // TLeafObject fVirtual: the class name precedes each object
  });
}

function branchBits(b: BranchWriter): number {
  const base = BITS_HEAP | (b.usedMap ? 0 : kDoNotUseBufferMap);
  if (b.spec.kind === "string") return base | kAddressSet;
  if (b.spec.kind === "object") return base | kAutoDelete;
  return base;
}

/** TBranch v13; `leafPositions` collects each leaf slot's object tag. */
function writeTBranch(
  w: TBufferWriter,
  b: BranchWriter,
  compress: number,
  leafPositions: number[],
): void {
  const spec = b.spec;
  const nWritten = b.writeBasket;
  const maxBaskets = Math.max(nWritten + 1, MIN_MAX_BASKETS);
  w.versioned(V.TBranch, () => {
    const title = spec.kind === "leaf" ? `${spec.name}/${spec.type}` : spec.name;
    writeTNamed(w, branchBits(b), spec.name, title);
    w.versioned(V.TAttFill, () => w.i16(0).i16(1001));
    w.i32(compress).i32(b.basketSize).i32(b.entryOffsetLen).i32(nWritten);
    w.i64(b.entries); // fEntryNumber
    writeIOFeatures(w);
    w.i32(0).i32(maxBaskets).i32(0); // fOffset, fMaxBaskets, fSplitLevel
    w.i64(b.entries).i64(0).i64(b.totBytes).i64(b.zipBytes); // fEntries, fFirstEntry, sizes
    writeObjArray(w, BITS_HEAP, 0, () => {}); // fBranches
    writeObjArray(w, BITS_HEAP, 1, () => {
      leafPositions.push(w.length + kMapOffset);
      w.objectSlot(leafOf(b).cls, () => writeLeaf(w, b));
    });
    writeObjArray(w, BITS_HEAP, nWritten + 1, () => {
      for (let i = 0; i <= nWritten; i++) w.u32(0);
    });
    const pad = (values: number[], n: number) => {
      const out = values.slice(0, n);
      while (out.length < n) out.push(0);
      return out;
    };
    w.u8(1).array("i32", pad(b.basketBytes, maxBaskets));
    w.u8(1);
    for (const e of pad(b.basketEntry, maxBaskets)) w.i64(e);
    w.u8(1);
    for (const s of pad(b.basketSeek, maxBaskets)) w.i64(s);
    w.tstring(""); // fFileName: baskets are in this file
  });
}

function writeBranch(w: TBufferWriter, b: BranchWriter, compress: number, leaves: number[]): void {
  const spec = b.spec;
  if (spec.kind === "leaf") {
    writeTBranch(w, b, compress, leaves);
  } else if (spec.kind === "object") {
    w.versioned(V.TBranchObject, () => {
      writeTBranch(w, b, compress, leaves);
      w.tstring(spec.className);
    });
  } else {
    w.versioned(V.TBranchElement, () => {
      writeTBranch(w, b, compress, leaves);
      w.tstring("string").tstring("").tstring(""); // fClassName, fParentName, fClonesName
      // fCheckSum: ROOT records its in-memory std::string StreamerInfo's checksum, which it
      // never writes to files and which depends on the C++ library; 0 makes ROOT look the
      // info up by class version, as it does for std::string anyway.
      w.u32(0).i16(STRING_CLASS_VERSION);
      // fID -1 (top-level, unsplit), fType -1 (custom streamer), fStreamerType -1, fMaximum 0
      w.i32(-1).i32(-1).i32(-1).i32(0);
      w.u32(0).u32(0); // fBranchCount, fBranchCount2: null
    });
  }
}

function branchClass(b: BranchWriter): string {
  return b.spec.kind === "leaf"
    ? "TBranch"
    : b.spec.kind === "object"
    ? "TBranchObject"
    : "TBranchElement";
}

/**
 * Streams a TTree (v20) with all its members into `w`, which must hold the
 * key header from position 0 so that object tags count from the key start.
 *
 * @param w destination, positioned after the key header
 * @param t the tree's name, title, entry count, branches and compression
 */
export function writeTTree(w: TBufferWriter, t: TreeRecord): void {
  const totBytes = t.branches.reduce((s, b) => s + b.totBytes, 0);
  const zipBytes = t.branches.reduce((s, b) => s + b.zipBytes, 0);
  w.versioned(V.TTree, () => {
    writeTNamed(w, BITS_TREE, t.name, t.title);
    w.versioned(V.TAttLine, () => w.i16(602).i16(1).i16(1));
    w.versioned(V.TAttFill, () => w.i16(0).i16(1001));
    w.versioned(V.TAttMarker, () => w.i16(1).i16(1).f32(1));
    w.i64(t.entries).i64(totBytes).i64(zipBytes);
    w.i64(0).i64(0); // fSavedBytes, fFlushedBytes: never auto-saved or auto-flushed
    w.f64(1); // fWeight
    w.i32(0).i32(TREE_DEFAULTS.scanField).i32(0); // fTimerInterval, fScanField, fUpdate
    w.i32(TREE_DEFAULTS.defaultEntryOffsetLen).i32(0); // fDefaultEntryOffsetLen, fNClusterRange
    w.i64(TREE_DEFAULTS.maxEntries).i64(TREE_DEFAULTS.maxEntries); // fMaxEntries, fMaxEntryLoop
    w.i64(0).i64(TREE_DEFAULTS.autoSave).i64(TREE_DEFAULTS.autoFlush); // fMaxVirtualSize, ...
    w.i64(TREE_DEFAULTS.estimate);
    w.u8(0).u8(0); // fClusterRangeEnd, fClusterSize: [fNClusterRange = 0], absent
    writeIOFeatures(w);
    const leaves: number[] = [];
    writeObjArray(w, BITS_OWNER, t.branches.length, () => {
      for (const b of t.branches) {
        w.objectSlot(branchClass(b), () => writeBranch(w, b, t.compress, leaves));
      }
    });
    writeObjArray(w, BITS_HEAP, leaves.length, () => {
      for (const tag of leaves) w.u32(tag); // references to the leaves streamed above
    });
    w.u32(0); // fAliases
    w.i32(0).i32(0); // fIndexValues, fIndex: empty TArrayD, TArrayI
    w.u32(0).u32(0).u32(0).u32(0); // fTreeIndex, fFriends, fUserInfo, fBranchRef
  });
}

/** Classes a tree record streams, for the file's StreamerInfo record. */
export const TREE_CLASSES = [
  "TTree",
  "TBranch",
  "TBranchElement",
  "TBranchObject",
  "TLeafI",
  "TLeafL",
  "TLeafD",
  "TLeafElement",
  "TLeafObject",
];
