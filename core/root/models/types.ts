/**
 * @module
 * Shapes of decoded ROOT objects. Members keep ROOT's names exactly (`fName`,
 * `fXaxis`, `fNbins`, `fSumw2`) and every object carries `_typename`, so the
 * objects line up with what ROOT's TBufferJSON and JSROOT produce (STYLE rule 9).
 *
 * Bin contents stay in typed arrays of the class's own precision
 * (`Float32Array` for TH1F, `Int16Array` for TH1S, ...); JSON conversion turns
 * them into plain arrays.
 */

/** Any decoded object: a `_typename` plus ROOT members. */
export interface RootObject {
  /** ROOT class name, e.g. "TH1F". */
  _typename: string;
  [member: string]: unknown;
}

/** An object of a class we have no reader for, skipped by its byte count (STYLE rule 12). */
export interface UnknownObject extends RootObject {
  /** Class version found in the buffer. */
  version: number;
  /** Byte count of the skipped body. */
  byteCount: number;
  /** Always true, to tell it apart from decoded objects. */
  _unknown: true;
}

/** TObject members. */
export interface TObject extends RootObject {
  fUniqueID: number;
  fBits: number;
}

/** TNamed members. */
export interface TNamed extends TObject {
  fName: string;
  fTitle: string;
}

/** TObjString members. */
export interface TObjString extends TObject {
  fString: string;
}

/** TList / THashList: elements and their per-element options. */
export interface TList extends TObject {
  name: string;
  arr: RootObject[];
  opt: string[];
}

/** Bin contents of any precision. */
export type BinArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | number[];

/** TAxis members (TNamed + TAttAxis + axis data). */
export interface TAxis extends TNamed {
  fNdivisions: number;
  fAxisColor: number;
  fLabelColor: number;
  fLabelFont: number;
  fLabelOffset: number;
  fLabelSize: number;
  fTickLength: number;
  fTitleOffset: number;
  fTitleSize: number;
  fTitleColor: number;
  fTitleFont: number;
  fNbins: number;
  fXmin: number;
  fXmax: number;
  /** Bin edges for variable binning (fNbins + 1 values), empty for fixed bins. */
  fXbins: Float64Array | number[];
  fFirst: number;
  fLast: number;
  fBits2: number;
  fTimeDisplay: boolean;
  fTimeFormat: string;
  /** Alphanumeric bin labels: TObjStrings whose fUniqueID is the bin number. */
  fLabels: TList | null;
  fModLabs: TList | null;
}

/** TH1 members shared by every histogram class. */
export interface TH1 extends TNamed {
  fLineColor: number;
  fLineStyle: number;
  fLineWidth: number;
  fFillColor: number;
  fFillStyle: number;
  fMarkerColor: number;
  fMarkerStyle: number;
  fMarkerSize: number;
  fNcells: number;
  fXaxis: TAxis;
  fYaxis: TAxis;
  fZaxis: TAxis;
  fBarOffset: number;
  fBarWidth: number;
  fEntries: number;
  fTsumw: number;
  fTsumw2: number;
  fTsumwx: number;
  fTsumwx2: number;
  fMaximum: number;
  fMinimum: number;
  fNormFactor: number;
  fContour: Float64Array | number[];
  fSumw2: Float64Array | number[];
  fOption: string;
  fFunctions: TList | null;
  fBufferSize: number;
  fBuffer: Float64Array | number[];
  fBinStatErrOpt: number;
  fStatOverflows: number;
  /** Cell contents, fNcells values including under- and overflow. */
  fArray: BinArray;
}

/** TH2 adds y moments. */
export interface TH2 extends TH1 {
  fScalefactor: number;
  fTsumwy: number;
  fTsumwy2: number;
  fTsumwxy: number;
}

/** TH3 adds y and z moments. */
export interface TH3 extends TH1 {
  fTsumwy: number;
  fTsumwy2: number;
  fTsumwxy: number;
  fTsumwz: number;
  fTsumwz2: number;
  fTsumwxz: number;
  fTsumwyz: number;
}

/** TProfile (a TH1D plus bin entries). */
export interface TProfile extends TH1 {
  fBinEntries: Float64Array | number[];
  fErrorMode: number;
  fYmin: number;
  fYmax: number;
  fTsumwy: number;
  fTsumwy2: number;
  fBinSumw2: Float64Array | number[];
}

/** TProfile2D (a TH2D plus bin entries). */
export interface TProfile2D extends TH2 {
  fBinEntries: Float64Array | number[];
  fErrorMode: number;
  fZmin: number;
  fZmax: number;
  fTsumwz: number;
  fTsumwz2: number;
  fBinSumw2: Float64Array | number[];
}

/** TProfile3D (a TH3D plus bin entries). */
export interface TProfile3D extends TH3 {
  fBinEntries: Float64Array | number[];
  fErrorMode: number;
  fTmin: number;
  fTmax: number;
  fTsumwt: number;
  fTsumwt2: number;
  fBinSumw2: Float64Array | number[];
}

/**
 * True when `obj` is a histogram (any TH1 descendant, including profiles).
 *
 * @param obj decoded object
 * @returns whether it has TH1 members
 */
export function isHistogram(obj: RootObject): obj is TH1 {
  return /^TH[123][CSIFDK]?$|^TProfile(2D|3D)?$|^TH2Poly$/.test(obj._typename) && "fArray" in obj;
}
