/**
 * @module
 * Fills histograms the way ROOT's `Fill` and `SetBinContent` do, so that the
 * statistics ROOT keeps beside the bin contents (fEntries, fTsumw, fTsumw2,
 * fTsumwx, ..., fSumw2, profile bin entries) stay consistent with them.
 *
 * Conventions follow ROOT (`TH1::Fill`, `TAxis::FindFixBin`): bin 0 is the
 * underflow and bin n+1 the overflow; cell index = binx + (nx+2)*(biny +
 * (ny+2)*binz); under- and overflow entries count in fEntries and the cells
 * but not in the fTsumw* sums (TH1::fgStatOverflows is off by default); a
 * fill with a weight other than 1 switches on fSumw2 (`TH1::Sumw2`), or
 * fBinSumw2 for profiles.
 *
 * This module is browser compatible.
 */

import type { TAxis, TH1, TH2, TH3, TProfile, TProfile2D } from "../root/models/types.ts";

/**
 * The bin of `x` on `axis`: 0 underflow, nbins+1 overflow (and NaN), as
 * `TAxis::FindFixBin`.
 *
 * @param axis the axis
 * @param x the coordinate
 * @returns the bin number
 *
 * @example Fixed and variable bins
 * ```ts
 * import { makeAxis } from "./histograms.ts";
 * import { findBin } from "./fill.ts";
 *
 * if (findBin(makeAxis("xaxis", { nbins: 4, min: 0, max: 4 }), 2.5) !== 3) throw new Error();
 * if (findBin(makeAxis("xaxis", { edges: [0, 1, 10] }), 5) !== 2) throw new Error();
 * ```
 */
export function findBin(axis: TAxis, x: number): number {
  if (x < axis.fXmin) return 0;
  if (!(x < axis.fXmax)) return axis.fNbins + 1;
  const edges = axis.fXbins;
  if (edges.length === 0) {
    return 1 + Math.trunc(axis.fNbins * (x - axis.fXmin) / (axis.fXmax - axis.fXmin));
  }
  let lo = 0, hi = edges.length - 1; // largest i with edges[i] <= x
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! <= x) lo = mid;
    else hi = mid;
  }
  return lo + 1;
}

/**
 * Adds `w` to a cell. Integer classes truncate the weight and saturate like
 * `TH1C/TH1S/TH1I::AddBinContent` (at ±127, ±32767, ±INT_MAX); the cell
 * array's type tells the class, which keeps this hot path free of string work.
 */
function addToCell(h: TH1, cell: number, w: number): void {
  const a = h.fArray;
  if (a instanceof Float32Array || a instanceof Float64Array || Array.isArray(a)) {
    a[cell] = a[cell]! + w;
    return;
  }
  const limit = a instanceof Int8Array ? 127 : a instanceof Int16Array ? 32767 : 2147483647;
  a[cell] = Math.max(-limit, Math.min(limit, a[cell]! + Math.trunc(w)));
}

/** A weighted fill switches fSumw2 on, seeded with |contents| (`TH1::Sumw2`). */
function addSumw2(h: TH1, cell: number, w: number): void {
  if (h.fSumw2.length === 0 && w !== 1) h.fSumw2 = Float64Array.from(h.fArray, Math.abs);
  if (h.fSumw2.length) (h.fSumw2 as number[])[cell]! += w * w;
}

const inRange = (axis: TAxis, bin: number) => bin >= 1 && bin <= axis.fNbins;

/**
 * `TH1::Fill(x, w)` for any 1D histogram class.
 *
 * @param h the histogram
 * @param x coordinate
 * @param w weight (default 1)
 * @returns the cell filled
 */
export function fill(h: TH1, x: number, w = 1): number {
  h.fEntries++;
  const bin = findBin(h.fXaxis, x);
  addSumw2(h, bin, w);
  addToCell(h, bin, w);
  if (inRange(h.fXaxis, bin)) {
    h.fTsumw += w;
    h.fTsumw2 += w * w;
    h.fTsumwx += w * x;
    h.fTsumwx2 += w * x * x;
  }
  return bin;
}

/**
 * `TH2::Fill(x, y, w)` for any 2D histogram class.
 *
 * @param h the histogram
 * @param x x coordinate
 * @param y y coordinate
 * @param w weight (default 1)
 * @returns the cell filled
 */
export function fill2(h: TH2, x: number, y: number, w = 1): number {
  h.fEntries++;
  const bx = findBin(h.fXaxis, x), by = findBin(h.fYaxis, y);
  const cell = by * (h.fXaxis.fNbins + 2) + bx;
  addSumw2(h, cell, w);
  addToCell(h, cell, w);
  if (inRange(h.fXaxis, bx) && inRange(h.fYaxis, by)) {
    h.fTsumw += w;
    h.fTsumw2 += w * w;
    h.fTsumwx += w * x;
    h.fTsumwx2 += w * x * x;
    h.fTsumwy += w * y;
    h.fTsumwy2 += w * y * y;
    h.fTsumwxy += w * x * y;
  }
  return cell;
}

/**
 * `TH3::Fill(x, y, z, w)` for any 3D histogram class.
 *
 * @param h the histogram
 * @param x x coordinate
 * @param y y coordinate
 * @param z z coordinate
 * @param w weight (default 1)
 * @returns the cell filled
 */
export function fill3(h: TH3, x: number, y: number, z: number, w = 1): number {
  h.fEntries++;
  const bx = findBin(h.fXaxis, x), by = findBin(h.fYaxis, y), bz = findBin(h.fZaxis, z);
  const cell = bx + (h.fXaxis.fNbins + 2) * (by + (h.fYaxis.fNbins + 2) * bz);
  addSumw2(h, cell, w);
  addToCell(h, cell, w);
  if (inRange(h.fXaxis, bx) && inRange(h.fYaxis, by) && inRange(h.fZaxis, bz)) {
    h.fTsumw += w;
    h.fTsumw2 += w * w;
    h.fTsumwx += w * x;
    h.fTsumwx2 += w * x * x;
    h.fTsumwy += w * y;
    h.fTsumwy2 += w * y * y;
    h.fTsumwxy += w * x * y;
    h.fTsumwz += w * z;
    h.fTsumwz2 += w * z * z;
    h.fTsumwxz += w * x * z;
    h.fTsumwyz += w * y * z;
  }
  return cell;
}

/** Profile cell update shared by TProfile and TProfile2D (`TProfile::Fill`). */
function fillProfileCell(p: TProfile | TProfile2D, cell: number, v: number, w: number): void {
  (p.fArray as number[])[cell]! += w * v;
  (p.fSumw2 as number[])[cell]! += w * v * v;
  // A weighted fill switches fBinSumw2 on, seeded with the bin entries (TProfileHelper::Sumw2).
  if (p.fBinSumw2.length === 0 && w !== 1) p.fBinSumw2 = Float64Array.from(p.fBinEntries);
  if (p.fBinSumw2.length) (p.fBinSumw2 as number[])[cell]! += w * w;
  (p.fBinEntries as number[])[cell]! += w;
}

/**
 * `TProfile::Fill(x, y, w)`. Ignored (returns -1) when the profile has a y
 * range and `y` is outside it.
 *
 * @param p the profile
 * @param x coordinate
 * @param y value averaged per bin
 * @param w weight (default 1)
 * @returns the cell filled, or -1
 */
export function fillProfile(p: TProfile, x: number, y: number, w = 1): number {
  if (p.fYmin !== p.fYmax && !(y >= p.fYmin && y <= p.fYmax)) return -1;
  p.fEntries++;
  const bin = findBin(p.fXaxis, x);
  fillProfileCell(p, bin, y, w);
  if (inRange(p.fXaxis, bin)) {
    p.fTsumw += w;
    p.fTsumw2 += w * w;
    p.fTsumwx += w * x;
    p.fTsumwx2 += w * x * x;
    p.fTsumwy += w * y;
    p.fTsumwy2 += w * y * y;
  }
  return bin;
}

/**
 * `TProfile2D::Fill(x, y, z, w)`. Ignored (returns -1) when the profile has
 * a z range and `z` is outside it.
 *
 * @param p the profile
 * @param x x coordinate
 * @param y y coordinate
 * @param z value averaged per cell
 * @param w weight (default 1)
 * @returns the cell filled, or -1
 */
export function fillProfile2D(p: TProfile2D, x: number, y: number, z: number, w = 1): number {
  if (p.fZmin !== p.fZmax && !(z >= p.fZmin && z <= p.fZmax)) return -1;
  p.fEntries++;
  const bx = findBin(p.fXaxis, x), by = findBin(p.fYaxis, y);
  const cell = by * (p.fXaxis.fNbins + 2) + bx;
  fillProfileCell(p, cell, z, w);
  if (inRange(p.fXaxis, bx) && inRange(p.fYaxis, by)) {
    p.fTsumw += w;
    p.fTsumw2 += w * w;
    p.fTsumwx += w * x;
    p.fTsumwx2 += w * x * x;
    p.fTsumwy += w * y;
    p.fTsumwy2 += w * y * y;
    p.fTsumwxy += w * x * y;
    p.fTsumwz += w * z;
    p.fTsumwz2 += w * z * z;
  }
  return cell;
}

/**
 * `TH1::SetBinContent(cell, content)`: sets one cell, counts one entry and
 * zeroes fTsumw so that ROOT recomputes the statistics from the contents
 * (how DQM summary maps such as reportSummaryMap are filled).
 *
 * @param h any histogram (not a profile)
 * @param cell global cell index (see the module notes)
 * @param content the new content
 * @throws {RangeError} when the cell does not exist
 */
export function setBinContent(h: TH1, cell: number, content: number): void {
  if (!Number.isInteger(cell) || cell < 0 || cell >= h.fNcells) {
    throw new RangeError(`Cannot set cell ${cell} of "${h.fName}": it has ${h.fNcells} cells`);
  }
  h.fEntries++;
  h.fTsumw = 0;
  const a = h.fArray as number[];
  a[cell] = 0;
  addToCell(h, cell, content);
}
