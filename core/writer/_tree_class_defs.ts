/**
 * @module
 * Member layouts of the TTree family at the versions ROOT 6.20+ writes:
 * TTree v20, TBranch v13, TBranchElement v10, TBranchObject v1,
 * TBranchRef v1, TLeaf v2, TLeafI/L/D v1, TLeafElement v1, TLeafObject v4,
 * ROOT::TIOFeatures v1, TObjArray v3 and TRefTable v3. They were read off
 * the StreamerInfo records of ROOT-written tree files
 * (`uproot-sample-6.20.04-zlib.root`, `tree_with_vector_string.root`,
 * `uproot-issue-tbranch-of-th2.root`), and `streamer_infos_test.ts`
 * compares every element and checksum with them. `_class_defs.ts` merges
 * this table into `CLASS_DEFS`; the type codes are explained there.
 */

import type { ClassDef, ElementDef } from "./_class_defs.ts";

const TNAMED_TITLE = "The basis for a named object (name, title)";
const TBRANCH_TITLE = "Branch descriptor";
const TLEAF_TITLE = "Leaf: description of a Branch data type";
/** In-memory sizes ROOT records for member objects (64-bit build). */
const SIZEOF_TOBJARRAY = 64;
const SIZEOF_TARRAY = 24;
const SIZEOF_TIOFEATURES = 1;
const SIZEOF_VECTOR = 24;

const base = (name: string, title: string, type: 0 | 66 | 67 = 0): ElementDef => ({
  kind: "base",
  name,
  title,
  type,
});
const basic = (name: string, title: string, type: number, typeName: string): ElementDef => ({
  kind: "basic",
  name,
  title,
  type,
  typeName,
});
const int = (name: string, title: string) => basic(name, title, 3, "int");
const long64 = (name: string, title: string) => basic(name, title, 16, "Long64_t");
const str = (name: string, title: string): ElementDef => ({ kind: "string", name, title });
const pointer = (name: string, title: string, typeName: string): ElementDef => ({
  kind: "pointer",
  name,
  title,
  type: 64,
  typeName,
});
const objArray = (name: string, title: string): ElementDef => ({
  kind: "object",
  name,
  title,
  typeName: "TObjArray",
  size: SIZEOF_TOBJARRAY,
});
const any = (name: string, title: string, typeName: string, size: number): ElementDef => ({
  kind: "any",
  name,
  title,
  typeName,
  size,
});
/** `T* //[count]` of class `countClass` (type: kOffsetP + element type). */
const counted = (
  name: string,
  title: string,
  type: number,
  typeName: string,
  countName: string,
  countClass: string,
): ElementDef => ({ kind: "basicPointer", name, title, type, typeName, countName, countClass });

/** TLeafI/L/D: TLeaf, then fMinimum and fMaximum of the leaf's type. */
function leafDef(type: number, typeName: string): ClassDef {
  return {
    version: 1,
    title: `A TLeaf for ${typeName === "int" ? "an Integer" : typeName} data type`,
    elements: [
      base("TLeaf", TLEAF_TITLE),
      basic("fMinimum", "Minimum value if leaf range is specified", type, typeName),
      basic("fMaximum", "Maximum value if leaf range is specified", type, typeName),
    ],
  };
}

/** The TTree family's layouts, keyed by class name. */
export const TREE_CLASS_DEFS: Record<string, ClassDef> = {
  "ROOT::TIOFeatures": {
    version: 1,
    title: "",
    elements: [basic("fIOBits", "", 11, "unsigned char")],
  },
  TObjArray: {
    version: 3,
    title: "An array of objects",
    elements: [
      base("TSeqCollection", "Sequenceable collection ABC"),
      int("fLowerBound", "Lower bound of the array"),
      int("fLast", "Last element in array containing an object"),
    ],
  },
  TTree: {
    version: 20,
    title: "Tree descriptor (the main ROOT I/O class)",
    elements: [
      base("TNamed", TNAMED_TITLE, 67),
      base("TAttLine", "Line attributes"),
      base("TAttFill", "Fill area attributes"),
      base("TAttMarker", "Marker attributes"),
      long64("fEntries", "Number of entries"),
      long64("fTotBytes", "Total number of bytes in all branches before compression"),
      long64("fZipBytes", "Total number of bytes in all branches after compression"),
      long64("fSavedBytes", "Number of autosaved bytes"),
      long64("fFlushedBytes", "Number of auto-flushed bytes"),
      basic("fWeight", "Tree weight (see TTree::SetWeight)", 8, "double"),
      int("fTimerInterval", "Timer interval in milliseconds"),
      int("fScanField", "Number of runs before prompting in Scan"),
      int("fUpdate", "Update frequency for EntryLoop"),
      int("fDefaultEntryOffsetLen", "Initial Length of fEntryOffset table in the basket buffers"),
      basic(
        "fNClusterRange",
        "Number of Cluster range in addition to the one defined by 'AutoFlush'",
        6,
        "int",
      ),
      long64("fMaxEntries", "Maximum number of entries in case of circular buffers"),
      long64("fMaxEntryLoop", "Maximum number of entries to process"),
      long64("fMaxVirtualSize", "Maximum total size of buffers kept in memory"),
      long64(
        "fAutoSave",
        "Autosave tree when fAutoSave entries written or -fAutoSave (compressed) bytes produced",
      ),
      long64(
        "fAutoFlush",
        "Auto-flush tree when fAutoFlush entries written or -fAutoFlush (compressed) bytes produced",
      ),
      long64("fEstimate", "Number of entries to estimate histogram limits"),
      counted(
        "fClusterRangeEnd",
        "[fNClusterRange] Last entry of a cluster range.",
        56,
        "Long64_t*",
        "fNClusterRange",
        "TTree",
      ),
      counted(
        "fClusterSize",
        "[fNClusterRange] Number of entries in each cluster for a given range.",
        56,
        "Long64_t*",
        "fNClusterRange",
        "TTree",
      ),
      any(
        "fIOFeatures",
        "IO features to define for newly-written baskets and branches.",
        "ROOT::TIOFeatures",
        SIZEOF_TIOFEATURES,
      ),
      objArray("fBranches", "List of Branches"),
      objArray("fLeaves", "Direct pointers to individual branch leaves"),
      pointer("fAliases", "List of aliases for expressions based on the tree branches.", "TList*"),
      any("fIndexValues", "Sorted index values", "TArrayD", SIZEOF_TARRAY),
      any("fIndex", "Index of sorted values", "TArrayI", SIZEOF_TARRAY),
      pointer("fTreeIndex", "Pointer to the tree Index (if any)", "TVirtualIndex*"),
      pointer("fFriends", "pointer to list of friend elements", "TList*"),
      pointer("fUserInfo", "pointer to a list of user objects associated to this Tree", "TList*"),
      pointer("fBranchRef", "Branch supporting the TRefTable (if any)", "TBranchRef*"),
    ],
  },
  TBranch: {
    version: 13,
    title: TBRANCH_TITLE,
    elements: [
      base("TNamed", TNAMED_TITLE, 67),
      base("TAttFill", "Fill area attributes"),
      int("fCompress", "Compression level and algorithm"),
      int("fBasketSize", "Initial Size of  Basket Buffer"),
      int("fEntryOffsetLen", "Initial Length of fEntryOffset table in the basket buffers"),
      int("fWriteBasket", "Last basket number written"),
      long64("fEntryNumber", "Current entry number (last one filled in this branch)"),
      any(
        "fIOFeatures",
        "IO features for newly-created baskets.",
        "ROOT::TIOFeatures",
        SIZEOF_TIOFEATURES,
      ),
      int("fOffset", "Offset of this branch"),
      basic("fMaxBaskets", "Maximum number of Baskets so far", 6, "int"),
      int("fSplitLevel", "Branch split level"),
      long64("fEntries", "Number of entries"),
      long64("fFirstEntry", "Number of the first entry in this branch"),
      long64("fTotBytes", "Total number of bytes in all leaves before compression"),
      long64("fZipBytes", "Total number of bytes in all leaves after compression"),
      objArray("fBranches", "-> List of Branches of this branch"),
      objArray("fLeaves", "-> List of leaves of this branch"),
      objArray("fBaskets", "-> List of baskets of this branch"),
      counted(
        "fBasketBytes",
        "[fMaxBaskets] Length of baskets on file",
        43,
        "int*",
        "fMaxBaskets",
        "TBranch",
      ),
      counted(
        "fBasketEntry",
        "[fMaxBaskets] Table of first entry in each basket",
        56,
        "Long64_t*",
        "fMaxBaskets",
        "TBranch",
      ),
      counted(
        "fBasketSeek",
        "[fMaxBaskets] Addresses of baskets on file",
        56,
        "Long64_t*",
        "fMaxBaskets",
        "TBranch",
      ),
      str(
        "fFileName",
        'Name of file where buffers are stored ("" if in same file as Tree header)',
      ),
    ],
  },
  TBranchElement: {
    version: 10,
    title: "Branch in case of an object",
    elements: [
      base("TBranch", TBRANCH_TITLE),
      str("fClassName", "Class name of referenced object"),
      str("fParentName", "Name of parent class"),
      str("fClonesName", "Name of class in TClonesArray (if any)"),
      basic("fCheckSum", "CheckSum of class", 13, "unsigned int"),
      basic("fClassVersion", "Version number of class", 2, "short"),
      int("fID", "element serial number in fInfo"),
      int("fType", "branch type"), // ROOT 6.18's title; 6.22+ capitalise it
      int("fStreamerType", "branch streamer type"),
      int("fMaximum", "Maximum entries for a TClonesArray or variable array"),
      pointer("fBranchCount", "pointer to primary branchcount branch", "TBranchElement*"),
      pointer("fBranchCount2", "pointer to secondary branchcount branch", "TBranchElement*"),
    ],
  },
  TBranchObject: {
    version: 1,
    title: "Branch in case of an object",
    elements: [
      base("TBranch", TBRANCH_TITLE),
      str("fClassName", "Class name of referenced object"),
    ],
  },
  TBranchRef: {
    version: 1,
    title: "to support referenced objects on other branches",
    elements: [
      base("TBranch", TBRANCH_TITLE),
      pointer("fRefTable", "pointer to the TRefTable", "TRefTable*"),
    ],
  },
  TRefTable: {
    version: 3,
    title: "Table of referenced objects during an I/O operation",
    elements: [
      base("TObject", "Basic ROOT object", 66),
      int("fSize", "dummy for backward compatibility"),
      pointer(
        "fParents",
        "array of Parent objects  (eg TTree branch) holding the referenced objects",
        "TObjArray*",
      ),
      pointer("fOwner", "Object owning this TRefTable", "TObject*"),
      {
        kind: "stl",
        name: "fProcessGUIDs",
        title: "UUIDs of TProcessIDs used in fParentIDs",
        typeName: "vector<string>",
        size: SIZEOF_VECTOR,
        stlType: 1, // ROOT::kSTLvector
        ctype: 61, // kObject: the element is a class (std::string)
      },
    ],
  },
  TLeaf: {
    version: 2,
    title: TLEAF_TITLE,
    elements: [
      base("TNamed", TNAMED_TITLE, 67),
      int("fLen", "Number of fixed length elements in the leaf's data."),
      int("fLenType", "Number of bytes for this data type"),
      int("fOffset", "Offset in ClonesArray object (if one)"),
      // ROOT 6.18's title; 6.20+ append "This is equivalent to being a 'leafcount'. ..."
      basic("fIsRange", "(=kTRUE if leaf has a range, kFALSE otherwise)", 18, "bool"),
      basic("fIsUnsigned", "(=kTRUE if unsigned, kFALSE otherwise)", 18, "bool"),
      pointer(
        "fLeafCount",
        "Pointer to Leaf count if variable length (we do not own the counter)",
        "TLeaf*",
      ),
    ],
  },
  TLeafI: leafDef(3, "int"),
  TLeafL: leafDef(16, "Long64_t"),
  TLeafD: leafDef(8, "double"),
  TLeafElement: {
    version: 1,
    title: "Leaf for a general object derived from TObject.",
    elements: [
      base("TLeaf", TLEAF_TITLE),
      int("fID", "element serial number in fInfo"),
      int("fType", "leaf type"),
    ],
  },
  TLeafObject: {
    version: 4,
    title: "Leaf for a general object derived from TObject.",
    elements: [
      base("TLeaf", TLEAF_TITLE),
      basic(
        "fVirtual",
        "Support for polymorphism, when set classname is written with object.",
        18,
        "bool",
      ),
    ],
  },
};
