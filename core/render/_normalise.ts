/**
 * @module
 * Brings a decoded object of any class version to the member set of the
 * ROOT 6 version `core/writer` writes: members that older versions lack get
 * the value ROOT 6's constructors give them (ROOT reads an old version the
 * same way: members absent from the stored streamer keep their constructor
 * values), and fFunctions keeps only objects the daemon can decode.
 *
 * This module is browser compatible.
 */

import { RootFormatError } from "../root/errors.ts";
import type { RootObject, TList } from "../root/models/types.ts";
import { DAEMON_CLASS_VERSIONS } from "./_versions.ts";

type Defaults = Record<string, () => unknown>;

const empty = () => new Float64Array(0);

/** TObject (TObject.cxx constructor). */
const OBJECT: Defaults = {
  fUniqueID: () => 0,
  fBits: () => 0x03000000, // kNotDeleted | kIsOnHeap
};

/** TNamed (TNamed.h constructor). */
const NAMED: Defaults = {
  ...OBJECT,
  fName: () => "",
  fTitle: () => "",
};

/** TAttAxis defaults (TAttAxis::ResetAttAxis), then TAxis members added over time (TAxis.h). */
const AXIS: Defaults = {
  ...NAMED,
  fNdivisions: () => 510,
  fAxisColor: () => 1,
  fLabelColor: () => 1,
  fLabelFont: () => 62,
  fLabelOffset: () => 0.005,
  fLabelSize: () => 0.04,
  fTickLength: () => 0.03,
  fTitleOffset: () => 1,
  fTitleSize: () => 0.04,
  fTitleColor: () => 1,
  fTitleFont: () => 62,
  fXbins: empty,
  fFirst: () => 0,
  fLast: () => 0,
  fBits2: () => 0,
  fTimeDisplay: () => false,
  fTimeFormat: () => "",
  fLabels: () => null,
  fModLabs: () => null,
};

/** TH1 members with constructor defaults (TH1::Build, TAttLine/Fill/Marker). */
const TH1: Defaults = {
  ...NAMED,
  fLineColor: () => 1,
  fLineStyle: () => 1,
  fLineWidth: () => 1,
  fFillColor: () => 0,
  fFillStyle: () => 1001,
  fMarkerColor: () => 1,
  fMarkerStyle: () => 1,
  fMarkerSize: () => 1,
  fBarOffset: () => 0,
  fBarWidth: () => 1000,
  fEntries: () => 0,
  fTsumw: () => 0,
  fTsumw2: () => 0,
  fTsumwx: () => 0,
  fTsumwx2: () => 0,
  fMaximum: () => -1111,
  fMinimum: () => -1111,
  fNormFactor: () => 0,
  fContour: empty,
  fSumw2: empty,
  fOption: () => "",
  fBufferSize: () => 0,
  fBuffer: empty,
  fBinStatErrOpt: () => 0, // TH1::kNormal
  fStatOverflows: () => 2, // TH1::EStatOverflows::kNeutral
};

const TH2: Defaults = {
  ...TH1,
  fScalefactor: () => 1,
  fTsumwy: () => 0,
  fTsumwy2: () => 0,
  fTsumwxy: () => 0,
};
const TH3: Defaults = {
  ...TH1,
  fTsumwy: () => 0,
  fTsumwy2: () => 0,
  fTsumwxy: () => 0,
  fTsumwz: () => 0,
  fTsumwz2: () => 0,
  fTsumwxz: () => 0,
  fTsumwyz: () => 0,
};
const PROFILE: Defaults = {
  ...TH1,
  fBinEntries: empty,
  fErrorMode: () => 0,
  fYmin: () => 0,
  fYmax: () => 0,
  fTsumwy: () => 0,
  fTsumwy2: () => 0,
  fBinSumw2: empty,
};
const PROFILE2D: Defaults = {
  ...TH2,
  fBinEntries: empty,
  fErrorMode: () => 0,
  fZmin: () => 0,
  fZmax: () => 0,
  fTsumwz: () => 0,
  fTsumwz2: () => 0,
  fBinSumw2: empty,
};

/** Members without which an object cannot be drawn, so they have no default. */
const REQUIRED = ["fNcells", "fXaxis", "fYaxis", "fZaxis", "fArray"];

function defaultsOf(className: string): Defaults | null {
  if (className === "TObjString") return { ...NAMED, fString: () => "" };
  if (className === "TProfile") return PROFILE;
  if (className === "TProfile2D") return PROFILE2D;
  if (/^TH1[CSIFD]$/.test(className)) return TH1;
  if (/^TH2[CSIFD]$/.test(className)) return TH2;
  if (/^TH3[CSIFD]$/.test(className)) return TH3;
  return null;
}

function notDecoded(what: string, obj: RootObject | null | undefined): RootFormatError {
  const version = obj && "version" in obj ? ` v${obj.version}` : "";
  return new RootFormatError(
    `Cannot prepare "${what}" for rendering`,
    obj
      ? `"${obj._typename}"${version} was not decoded (no reader or streamer info for this class version)`
      : "member is missing",
  );
}

function fill(obj: RootObject, defaults: Defaults): RootObject {
  const out: RootObject = { ...obj };
  for (const [key, make] of Object.entries(defaults)) {
    if (out[key] === undefined) out[key] = make();
  }
  return out;
}

/** A list keeping only (non-null) objects of classes the daemon decodes, normalised. */
function normaliseList(list: TList, className = list._typename): TList {
  const arr: RootObject[] = [];
  const opt: string[] = [];
  (list.arr ?? []).forEach((item, i) => {
    if (!item || !(item._typename in DAEMON_CLASS_VERSIONS) || item._unknown) return;
    arr.push(item._typename === "TObjString" ? fill(item, defaultsOf("TObjString")!) : item);
    opt.push(list.opt?.[i] ?? "");
  });
  return {
    ...(fill(list, OBJECT) as TList),
    _typename: className,
    name: list.name ?? "",
    arr,
    opt,
  };
}

function normaliseAxis(owner: string, axis: unknown): RootObject {
  const a = axis as RootObject | null | undefined;
  if (!a || a._unknown) throw notDecoded(`${owner} axis`, a);
  const out = fill(a, AXIS);
  if (out.fLabels) out.fLabels = normaliseList(out.fLabels as TList);
  if (out.fModLabs) out.fModLabs = normaliseList(out.fModLabs as TList);
  return out;
}

/**
 * Throw unless the daemon can draw objects of this class.
 *
 * @param className ROOT class name
 * @throws {TypeError} for any other class than TH1/TH2/TH3 (any precision), TProfile, TProfile2D, TObjString
 */
export function checkRenderable(className: string): void {
  if (defaultsOf(className)) return;
  throw new TypeError(
    `Cannot render class "${className}": the render daemon draws TH1, TH2, TH3 (C/S/I/F/D), TProfile, TProfile2D and TObjString only`,
  );
}

/**
 * Copy a decoded object with every member the ROOT 6 writer needs.
 *
 * @param obj a decoded TH1/TH2/TH3/TProfile/TProfile2D/TObjString of any version
 * @returns a normalised shallow copy (arrays are shared, not copied)
 * @throws {TypeError} for a class the daemon cannot draw
 * @throws {RootFormatError} when the object or a member was not decoded
 */
export function normaliseForDaemon(obj: RootObject): RootObject {
  if (obj._unknown) throw notDecoded(obj._typename, obj);
  checkRenderable(obj._typename);
  const out = fill(obj, defaultsOf(obj._typename)!);
  if (obj._typename === "TObjString") return out;
  for (const key of REQUIRED) {
    if (out[key] === undefined || out[key] === null) {
      throw new RootFormatError(
        `Cannot prepare "${obj._typename}" "${out.fName}" for rendering`,
        `member ${key} is missing`,
      );
    }
  }
  for (const key of ["fXaxis", "fYaxis", "fZaxis"]) {
    out[key] = normaliseAxis(`${obj._typename} ${key}`, out[key]);
  }
  const functions = out.fFunctions as TList | null | undefined;
  out.fFunctions = functions && !functions._unknown
    ? normaliseList(functions, "TList")
    : normaliseList({ _typename: "TList", name: "", arr: [], opt: [] } as unknown as TList);
  return out;
}
