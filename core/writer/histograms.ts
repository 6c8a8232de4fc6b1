/**
 * @module
 * Builds empty histogram objects (the shapes of `core/root/models/types.ts`)
 * with ROOT 6's default attributes, as ROOT's constructors do: axes (fixed or
 * variable bins, alphanumeric labels), cells of the class's precision,
 * profile arrays. `fill.ts` fills them.
 *
 * This module is browser compatible.
 */

import type {
  BinArray,
  TAxis,
  TH1,
  TH2,
  TH3,
  TList,
  TObjString,
  TProfile,
  TProfile2D,
} from "../root/models/types.ts";

/** Binning, labels and title of one axis. */
export interface AxisSpec {
  /** Number of bins, for fixed binning. */
  nbins?: number;
  /** Low edge, for fixed binning. */
  min?: number;
  /** High edge, for fixed binning. */
  max?: number;
  /** nbins+1 increasing bin edges, for variable binning (overrides nbins/min/max). */
  edges?: number[];
  /** Alphanumeric labels of bins 1, 2, ... (ROOT `SetBinLabel`). */
  labels?: string[];
  /** Axis title. */
  title?: string;
}

/** Name, title and axes of a histogram. */
export interface HistogramSpec {
  name: string;
  title?: string;
  x: AxisSpec;
  y?: AxisSpec;
  z?: AxisSpec;
}

/** 1D histogram classes, by cell precision (char, short, int, float, double). */
export type TH1Class = "TH1C" | "TH1S" | "TH1I" | "TH1F" | "TH1D";
/** 2D histogram classes. */
export type TH2Class = "TH2C" | "TH2S" | "TH2I" | "TH2F" | "TH2D";
/** 3D histogram classes. */
export type TH3Class = "TH3C" | "TH3S" | "TH3I" | "TH3F" | "TH3D";

/** TObject fBits of heap objects: kNotDeleted | kIsOnHeap. */
const BITS_HEAP = 0x03000000;
/** TCollection kUseRWLock (bit 16), set on a histogram's fFunctions list by ROOT 6. */
const BITS_FUNCTIONS = 0x03010000;
/** TAxis fBits2 kAlphanumeric | kCanExtend, set when every bin has a label. */
const AXIS_ALPHANUMERIC = 0x3;
/** TH1::kNeutral: follow the global under/overflow statistics setting (off). */
const STAT_OVERFLOWS_NEUTRAL = 2;
/** The "unset" marker of fMaximum and fMinimum. */
const UNSET = -1111;

/**
 * Builds an axis with ROOT 6's default attributes.
 *
 * @param name "xaxis", "yaxis" or "zaxis"
 * @param spec binning; absent means ROOT's dummy axis of one bin over [0, 1]
 * @returns the axis
 * @throws {TypeError} for inconsistent binning or more labels than bins
 */
export function makeAxis(name: string, spec: AxisSpec = { nbins: 1, min: 0, max: 1 }): TAxis {
  const edges = spec.edges ?? [];
  const nbins = edges.length ? edges.length - 1 : spec.nbins ?? 1;
  const min = edges.length ? edges[0]! : spec.min ?? 0;
  const max = edges.length ? edges[edges.length - 1]! : spec.max ?? 1;
  if (!(nbins >= 1) || !Number.isInteger(nbins) || !(max > min)) {
    throw new TypeError(`Cannot make axis "${name}": bad binning (${nbins} bins, ${min}..${max})`);
  }
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i]! > edges[i - 1]!)) {
      throw new TypeError(`Cannot make axis "${name}": edges must increase (at index ${i})`);
    }
  }
  const labels = spec.labels ?? [];
  if (labels.length > nbins) {
    throw new TypeError(`Cannot make axis "${name}": ${labels.length} labels for ${nbins} bins`);
  }
  // Attribute values are what ROOT 6 stores for a new axis under its default ("Modern") style,
  // as read from ROOT 6.24 files (e.g. fLabelFont 42, fLabelSize 0.035, y title offset 0).
  return {
    _typename: "TAxis",
    fUniqueID: 0,
    fBits: BITS_HEAP,
    fName: name,
    fTitle: spec.title ?? "",
    fNdivisions: 510,
    fAxisColor: 1,
    fLabelColor: 1,
    fLabelFont: 42,
    fLabelOffset: 0.005,
    fLabelSize: 0.035,
    fTickLength: 0.03,
    fTitleOffset: name === "yaxis" ? 0 : 1,
    fTitleSize: 0.035,
    fTitleColor: 1,
    fTitleFont: 42,
    fNbins: nbins,
    fXmin: min,
    fXmax: max,
    fXbins: Float64Array.from(edges),
    fFirst: 0,
    fLast: 0,
    fBits2: labels.length > 0 && labels.length === nbins ? AXIS_ALPHANUMERIC : 0,
    fTimeDisplay: false,
    fTimeFormat: "",
    fLabels: labels.length ? labelList(labels) : null,
    fModLabs: null,
  };
}

function labelList(labels: string[]): TList {
  const arr: TObjString[] = labels.map((fString, i) => ({
    _typename: "TObjString",
    fUniqueID: i + 1, // the bin number (TAxis::SetBinLabel)
    fBits: BITS_HEAP,
    fString,
  }));
  return {
    _typename: "THashList",
    fUniqueID: 0,
    fBits: BITS_HEAP,
    name: "",
    arr,
    opt: arr.map(() => ""),
  };
}

function newCells(cls: string, n: number): BinArray {
  switch (cls.at(-1)) {
    case "C":
      return new Int8Array(n);
    case "S":
      return new Int16Array(n);
    case "I":
      return new Int32Array(n);
    case "F":
      return new Float32Array(n);
    default:
      return new Float64Array(n);
  }
}

function baseHistogram(cls: string, spec: HistogramSpec, dim: 1 | 2 | 3): TH1 {
  const fXaxis = makeAxis("xaxis", spec.x);
  const fYaxis = makeAxis("yaxis", dim >= 2 ? spec.y ?? {} : undefined);
  const fZaxis = makeAxis("zaxis", dim === 3 ? spec.z ?? {} : undefined);
  const fNcells = (fXaxis.fNbins + 2) * (dim >= 2 ? fYaxis.fNbins + 2 : 1) *
    (dim === 3 ? fZaxis.fNbins + 2 : 1);
  const functions: TList = {
    _typename: "TList",
    fUniqueID: 0,
    fBits: BITS_FUNCTIONS,
    name: "",
    arr: [],
    opt: [],
  };
  // Line colour 602 (kBlue+2), fill style 1001 (solid), bar width 1000 (1000*width): the
  // values TH1's constructor and ROOT 6's default style give every histogram (spec §1.9.6).
  return {
    _typename: cls,
    fUniqueID: 0,
    fBits: BITS_HEAP,
    fName: spec.name,
    fTitle: spec.title ?? "",
    fLineColor: 602,
    fLineStyle: 1,
    fLineWidth: 1,
    fFillColor: 0,
    fFillStyle: 1001,
    fMarkerColor: 1,
    fMarkerStyle: 1,
    fMarkerSize: 1,
    fNcells,
    fXaxis,
    fYaxis,
    fZaxis,
    fBarOffset: 0,
    fBarWidth: 1000,
    fEntries: 0,
    fTsumw: 0,
    fTsumw2: 0,
    fTsumwx: 0,
    fTsumwx2: 0,
    fMaximum: UNSET,
    fMinimum: UNSET,
    fNormFactor: 0,
    fContour: new Float64Array(0),
    fSumw2: new Float64Array(0),
    fOption: "",
    fFunctions: functions,
    fBufferSize: 0,
    fBuffer: new Float64Array(0),
    fBinStatErrOpt: 0,
    fStatOverflows: STAT_OVERFLOWS_NEUTRAL,
    fArray: newCells(cls, fNcells),
  };
}

/**
 * Builds an empty 1D histogram (TH1C/S/I/F/D), as `new TH1F(name, title, ...)`.
 *
 * @param cls the class
 * @param spec name, title and x axis
 * @returns the histogram
 *
 * @example Fill a TH1F and read back its statistics
 * ```ts
 * import { makeTH1 } from "./histograms.ts";
 * import { fill } from "./fill.ts";
 *
 * const h = makeTH1("TH1F", { name: "pt", x: { nbins: 10, min: 0, max: 10 } });
 * fill(h, 2.5);
 * fill(h, 12); // overflow: counts as an entry, not in the sums
 * if (h.fEntries !== 2 || h.fTsumwx !== 2.5 || h.fArray[3] !== 1) throw new Error("bad fill");
 * ```
 */
export function makeTH1(cls: TH1Class, spec: HistogramSpec): TH1 {
  return baseHistogram(cls, spec, 1);
}

/**
 * Builds an empty 2D histogram (TH2C/S/I/F/D).
 *
 * @param cls the class
 * @param spec name, title, x and y axes
 * @returns the histogram
 */
export function makeTH2(cls: TH2Class, spec: HistogramSpec): TH2 {
  const h = baseHistogram(cls, spec, 2);
  return { ...h, fScalefactor: 1, fTsumwy: 0, fTsumwy2: 0, fTsumwxy: 0 };
}

/**
 * Builds an empty 3D histogram (TH3C/S/I/F/D).
 *
 * @param cls the class
 * @param spec name, title, x, y and z axes
 * @returns the histogram
 */
export function makeTH3(cls: TH3Class, spec: HistogramSpec): TH3 {
  const h = baseHistogram(cls, spec, 3);
  return {
    ...h,
    fTsumwy: 0,
    fTsumwy2: 0,
    fTsumwxy: 0,
    fTsumwz: 0,
    fTsumwz2: 0,
    fTsumwxz: 0,
    fTsumwyz: 0,
  };
}

/**
 * Builds an empty TProfile. Like ROOT's constructor it allocates fSumw2 (the
 * sum of w·y² per bin) and fBinEntries; fBinSumw2 stays empty until a
 * weighted fill.
 *
 * @param spec name, title and x axis
 * @param range optional y range: fills with y outside [ymin, ymax] are ignored
 * @returns the profile
 */
export function makeTProfile(spec: HistogramSpec, range: { ymin: number; ymax: number } = {
  ymin: 0,
  ymax: 0,
}): TProfile {
  const h = baseHistogram("TProfile", spec, 1);
  return {
    ...h,
    fArray: new Float64Array(h.fNcells),
    fSumw2: new Float64Array(h.fNcells),
    fBinEntries: new Float64Array(h.fNcells),
    fErrorMode: 0, // kERRORMEAN
    fYmin: range.ymin,
    fYmax: range.ymax,
    fTsumwy: 0,
    fTsumwy2: 0,
    fBinSumw2: new Float64Array(0),
  };
}

/**
 * Builds an empty TProfile2D.
 *
 * @param spec name, title, x and y axes
 * @param range optional z range: fills with z outside [zmin, zmax] are ignored
 * @returns the profile
 */
export function makeTProfile2D(spec: HistogramSpec, range: { zmin: number; zmax: number } = {
  zmin: 0,
  zmax: 0,
}): TProfile2D {
  const h = makeTH2("TH2D", spec);
  return {
    ...h,
    _typename: "TProfile2D",
    fSumw2: new Float64Array(h.fNcells),
    fBinEntries: new Float64Array(h.fNcells),
    fErrorMode: 0,
    fZmin: range.zmin,
    fZmax: range.zmax,
    fTsumwz: 0,
    fTsumwz2: 0,
    fBinSumw2: new Float64Array(0),
  };
}
