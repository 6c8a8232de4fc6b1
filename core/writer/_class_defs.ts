/**
 * @module
 * Member layouts (StreamerInfo element lists) of the classes the writer
 * emits, at the versions ROOT 6.24+ writes. They were read off the
 * `TStreamerInfo` records of real ROOT 6 files (for example
 * `DQM_V0001_GEM_R000344518.root`, ROOT 6.24/07, and `uproot-issue412.root`,
 * ROOT 6.18/00), and `streamer_infos_test.ts` checks every entry, including
 * the checksums we compute from it, against those files.
 *
 * Type codes are ROOT's `TVirtualStreamerInfo::EReadWrite` values: 1 char,
 * 2 short, 3 int, 5 float, 6 counter (an int used as an array length),
 * 8 double, 12 unsigned short, 13 unsigned int, 15 bits (unsigned int),
 * 18 bool; +40 (`kOffsetP`) for a counted basic pointer `T* //[n]`;
 * 61 `kObject`, 62 `kAny`, 63 `kObjectp` ("->" pointer, never null),
 * 64 `kObjectP` (nullable pointer), 65 `kTString`, 66 `kTObject`,
 * 67 `kTNamed`, 0 `kBase`, 500 `kStreamer` (an STL container). The TTree
 * family lives in `_tree_class_defs.ts`.
 */

import { TREE_CLASS_DEFS } from "./_tree_class_defs.ts";

/** One StreamerInfo element, by TStreamerElement subclass. */
export type ElementDef =
  /** TStreamerBase: a base class; `type` 66/67 for TObject/TNamed, else 0. */
  | { kind: "base"; name: string; title: string; type: 0 | 66 | 67 }
  /** TStreamerBasicType: a number; `typeName` as ROOT normalises it. */
  | { kind: "basic"; name: string; title: string; type: number; typeName: string }
  /** TStreamerString: a TString member. */
  | { kind: "string"; name: string; title: string }
  /** TStreamerObject (61) or TStreamerObjectAny (62): an object member streamed in place. */
  | { kind: "object" | "any"; name: string; title: string; typeName: string; size: number }
  /** TStreamerObjectPointer (63 "->" or 64): a pointer to an object. */
  | { kind: "pointer"; name: string; title: string; type: 63 | 64; typeName: string }
  /** TStreamerBasicPointer: `T* //[countName]`, counted by a member of `countClass`. */
  | {
    kind: "basicPointer";
    name: string;
    title: string;
    type: number;
    typeName: string;
    countName: string;
    countClass: string;
  }
  /** TStreamerSTL (type 500, kStreamer): an STL container; `stlType` 1 is vector. */
  | {
    kind: "stl";
    name: string;
    title: string;
    typeName: string;
    size: number;
    stlType: number;
    ctype: number;
  };

/** A class layout: `ClassDef` version and elements in streaming order. */
export interface ClassDef {
  version: number;
  /** The class title (the `ClassDef` comment), used as the base-element title. */
  title: string;
  elements: ElementDef[];
  /**
   * Members the class dictionary knows but its custom `Streamer` skips, as
   * `[name, typeName]`. They are not streamed and not listed, yet ROOT's
   * checksum (taken from the dictionary) covers them.
   */
  checksumOnly?: [string, string][];
}

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
const str = (name: string, title: string): ElementDef => ({ kind: "string", name, title });
const double = (name: string, title: string) => basic(name, title, 8, "double");
/** In-memory sizes ROOT records for member objects (64-bit build). */
const SIZEOF_TARRAYD = 24;
const SIZEOF_TAXIS = 216;
const arrayD = (name: string, title: string): ElementDef => ({
  kind: "any",
  name,
  title,
  typeName: "TArrayD",
  size: SIZEOF_TARRAYD,
});

/** Element type, type code and title word of each TArray flavour. */
const ARRAYS = {
  C: ["char", 1, "chars"],
  S: ["short", 2, "shorts"],
  I: ["int", 3, "32 bit integers"],
  F: ["float", 5, "floats"],
  D: ["double", 8, "doubles"],
} as const;
const ARRAY_TITLES = { C: "chars", S: "shorts", I: "ints", F: "floats", D: "doubles" } as const;
const PRECISION_TITLES = {
  C: "one char per channel",
  S: "one short per channel",
  I: "one 32 bits integer per channel",
  F: "one float per channel",
  D: "one double per channel",
} as const;

const TNAMED_TITLE = "The basis for a named object (name, title)";

const defs: Record<string, ClassDef> = {
  TObject: {
    version: 1,
    title: "Basic ROOT object",
    elements: [
      basic("fUniqueID", "object unique identifier", 13, "unsigned int"),
      basic("fBits", "bit field status word", 15, "unsigned int"),
    ],
  },
  TString: { version: 2, title: "Basic string class", elements: [] },
  TNamed: {
    version: 1,
    title: TNAMED_TITLE,
    elements: [
      base("TObject", "Basic ROOT object", 66),
      str("fName", "object identifier"),
      str("fTitle", "object title"),
    ],
  },
  TObjString: {
    version: 1,
    title: "Collectable string class",
    elements: [base("TObject", "Basic ROOT object", 66), str("fString", "wrapped TString")],
  },
  TCollection: {
    version: 3,
    title: "Collection abstract base class",
    elements: [
      base("TObject", "Basic ROOT object", 66),
      str("fName", "name of the collection"),
      basic("fSize", "number of elements in collection", 3, "int"),
    ],
  },
  TSeqCollection: {
    version: 0,
    title: "Sequenceable collection ABC",
    elements: [base("TCollection", "Collection abstract base class")],
    checksumOnly: [["fSorted", "bool"]],
  },
  TList: {
    version: 5,
    title: "Doubly linked list",
    elements: [base("TSeqCollection", "Sequenceable collection ABC")],
  },
  THashList: {
    version: 0,
    title: "Doubly linked list with hashtable for lookup",
    elements: [base("TList", "Doubly linked list")],
    checksumOnly: [["fTable", "THashTable*"]],
  },
  TAttLine: {
    version: 2,
    title: "Line attributes",
    elements: [
      basic("fLineColor", "line color", 2, "short"),
      basic("fLineStyle", "line style", 2, "short"),
      basic("fLineWidth", "line width", 2, "short"),
    ],
  },
  TAttFill: {
    version: 2,
    title: "Fill area attributes",
    elements: [
      basic("fFillColor", "Fill area color", 2, "short"),
      basic("fFillStyle", "Fill area style", 2, "short"),
    ],
  },
  TAttMarker: {
    version: 2,
    title: "Marker attributes",
    elements: [
      basic("fMarkerColor", "Marker color index", 2, "short"),
      basic("fMarkerStyle", "Marker style", 2, "short"),
      basic("fMarkerSize", "Marker size", 5, "float"),
    ],
  },
  TAtt3D: { version: 1, title: "3D attributes", elements: [] },
  TAttAxis: {
    version: 4,
    title: "Axis attributes",
    elements: [
      basic("fNdivisions", "Number of divisions(10000*n3 + 100*n2 + n1)", 3, "int"),
      basic("fAxisColor", "Color of the line axis", 2, "short"),
      basic("fLabelColor", "Color of labels", 2, "short"),
      basic("fLabelFont", "Font for labels", 2, "short"),
      basic("fLabelOffset", "Offset of labels", 5, "float"),
      basic("fLabelSize", "Size of labels", 5, "float"),
      basic("fTickLength", "Length of tick marks", 5, "float"),
      basic("fTitleOffset", "Offset of axis title", 5, "float"),
      basic("fTitleSize", "Size of axis title", 5, "float"),
      basic("fTitleColor", "Color of axis title", 2, "short"),
      basic("fTitleFont", "Font for axis title", 2, "short"),
    ],
  },
  TAxis: {
    version: 10,
    title: "Axis class",
    elements: [
      base("TNamed", TNAMED_TITLE, 67),
      base("TAttAxis", "Axis attributes"),
      basic("fNbins", "Number of bins", 3, "int"),
      double("fXmin", "low edge of first bin"),
      double("fXmax", "upper edge of last bin"),
      arrayD("fXbins", "Bin edges array in X"),
      basic("fFirst", "first bin to display", 3, "int"),
      basic("fLast", "last bin to display", 3, "int"),
      basic("fBits2", "second bit status word", 12, "unsigned short"),
      basic("fTimeDisplay", "on/off displaying time values instead of numerics", 18, "bool"),
      str("fTimeFormat", "Date&time format, ex: 09/12/99 12:34:00"),
      {
        kind: "pointer",
        name: "fLabels",
        title: "List of labels",
        type: 64,
        typeName: "THashList*",
      },
      {
        kind: "pointer",
        name: "fModLabs",
        title: "List of modified labels",
        type: 64,
        typeName: "TList*",
      },
    ],
  },
  TArray: {
    version: 1,
    title: "Abstract array base class",
    elements: [basic("fN", "Number of array elements", 6, "int")],
  },
  TH1: {
    version: 8,
    title: "1-Dim histogram base class",
    elements: [
      base("TNamed", TNAMED_TITLE, 67),
      base("TAttLine", "Line attributes"),
      base("TAttFill", "Fill area attributes"),
      base("TAttMarker", "Marker attributes"),
      basic("fNcells", "number of bins(1D), cells (2D) +U/Overflows", 3, "int"),
      ...["X", "Y", "Z"].map((a): ElementDef => ({
        kind: "object",
        name: `f${a}axis`,
        title: `${a} axis descriptor`,
        typeName: "TAxis",
        size: SIZEOF_TAXIS,
      })),
      basic("fBarOffset", "(1000*offset) for bar charts or legos", 2, "short"),
      basic("fBarWidth", "(1000*width) for bar charts or legos", 2, "short"),
      double("fEntries", "Number of entries"),
      double("fTsumw", "Total Sum of weights"),
      double("fTsumw2", "Total Sum of squares of weights"),
      double("fTsumwx", "Total Sum of weight*X"),
      double("fTsumwx2", "Total Sum of weight*X*X"),
      double("fMaximum", "Maximum value for plotting"),
      double("fMinimum", "Minimum value for plotting"),
      double("fNormFactor", "Normalization factor"),
      arrayD("fContour", "Array to display contour levels"),
      arrayD("fSumw2", "Array of sum of squares of weights"),
      str("fOption", "histogram options"),
      {
        kind: "pointer",
        name: "fFunctions",
        title: "->Pointer to list of functions (fits and user)",
        type: 63,
        typeName: "TList*",
      },
      basic("fBufferSize", "fBuffer size", 6, "int"),
      {
        kind: "basicPointer",
        name: "fBuffer",
        title: "[fBufferSize] entry buffer",
        type: 48, // kOffsetP (40) + kDouble (8)
        typeName: "double*",
        countName: "fBufferSize",
        countClass: "TH1",
      },
      basic("fBinStatErrOpt", "option for bin statistical errors", 3, "TH1::EBinErrorOpt"),
      basic(
        "fStatOverflows",
        "per object flag to use under/overflows in statistics",
        3,
        "TH1::EStatOverflows",
      ),
    ],
  },
  TH2: {
    version: 5,
    title: "2-Dim histogram base class",
    elements: [
      base("TH1", "1-Dim histogram base class"),
      double("fScalefactor", "Scale factor"),
      double("fTsumwy", "Total Sum of weight*Y"),
      double("fTsumwy2", "Total Sum of weight*Y*Y"),
      double("fTsumwxy", "Total Sum of weight*X*Y"),
    ],
  },
  TH3: {
    version: 6,
    title: "3-Dim histogram base class",
    elements: [
      base("TH1", "1-Dim histogram base class"),
      base("TAtt3D", "3D attributes"),
      double("fTsumwy", "Total Sum of weight*Y"),
      double("fTsumwy2", "Total Sum of weight*Y*Y"),
      double("fTsumwxy", "Total Sum of weight*X*Y"),
      double("fTsumwz", "Total Sum of weight*Z"),
      double("fTsumwz2", "Total Sum of weight*Z*Z"),
      double("fTsumwxz", "Total Sum of weight*X*Z"),
      double("fTsumwyz", "Total Sum of weight*Y*Z"),
    ],
  },
};

// TArrayC/S/I/F/D and TH{1,2,3}{C,S,I,F,D}: generated from one pattern each.
for (const [p, [typeName, type, words]] of Object.entries(ARRAYS)) {
  const key = p as keyof typeof ARRAYS;
  defs[`TArray${p}`] = {
    version: 1,
    title: `Array of ${ARRAY_TITLES[key]}`,
    elements: [
      base("TArray", "Abstract array base class"),
      {
        kind: "basicPointer",
        name: "fArray",
        title: `[fN] Array of fN ${words}`,
        type: 40 + type, // kOffsetP + element type
        typeName: `${typeName}*`,
        countName: "fN",
        countClass: "TArray",
      },
    ],
  };
  for (const dim of [1, 2, 3]) {
    defs[`TH${dim}${p}`] = {
      version: dim === 1 ? 3 : 4,
      title: `${dim}-Dim histograms (${PRECISION_TITLES[key]})`,
      elements: [
        base(`TH${dim}`, defs[`TH${dim}`]!.title),
        base(`TArray${p}`, `Array of ${ARRAY_TITLES[key]}`),
      ],
    };
  }
}

const profileCommon = (axis: string): ElementDef[] => [
  arrayD("fBinEntries", "number of entries per bin"),
  basic("fErrorMode", "Option to compute errors", 3, "EErrorType"),
  double(`f${axis}min`, `Lower limit in ${axis} (if set)`),
  double(`f${axis}max`, `Upper limit in ${axis} (if set)`),
  double(`fTsumw${axis.toLowerCase()}`, `Total Sum of weight*${axis}`),
  double(`fTsumw${axis.toLowerCase()}2`, `Total Sum of weight*${axis}*${axis}`),
  arrayD("fBinSumw2", "Array of sum of squares of weights per bin"),
];

defs.TProfile = {
  version: 7,
  title: "Profile histogram class",
  elements: [base("TH1D", defs.TH1D!.title), ...profileCommon("Y")],
};
defs.TProfile2D = {
  version: 8,
  title: "Profile2D histogram class",
  elements: [base("TH2D", defs.TH2D!.title), ...profileCommon("Z")],
};
defs.TProfile3D = {
  version: 8,
  title: "Profile3D histogram class",
  elements: [base("TH3D", defs.TH3D!.title), ...profileCommon("T")],
};

Object.assign(defs, TREE_CLASS_DEFS);

/** Layouts of every class the writer can describe, keyed by class name. */
export const CLASS_DEFS: Readonly<Record<string, ClassDef>> = defs;
