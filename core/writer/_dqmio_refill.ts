/**
 * @module
 * New contents for lumisection MEs without rebuilding them. CMSSW resets
 * lumi-scoped MEs at each lumisection and fills them again; this module
 * does the same to MEs that `generate.ts` built once: it zeroes a
 * histogram's cells and statistics and fills it again, with `fill.ts`'s
 * arithmetic, with a fresh sample drawn from the original contents (cells chosen with
 * probability proportional to their content, positions uniform inside the
 * bin, profile values around the cell mean). Histograms filled by
 * `SetBinContent` (summary maps) get their fractions jittered instead, and
 * scalars get new values. The objects are updated in place, which keeps
 * generation cheap for 10,000 MEs per lumisection; callers that keep them
 * must copy them.
 *
 * This module is browser compatible.
 */

import type { RootObject, TAxis, TH1, TH3, TProfile, TProfile2D } from "../root/models/types.ts";
import type { LegacyME, ScalarME } from "./legacy.ts";
import { Random } from "./_random.ts";

/** Fills of a lumisection relative to the model's entries. */
const MIN_SCALE = 0.6, MAX_SCALE = 1.4;

/** What is kept per histogram: cumulative cell weights and per-cell spread (profiles). */
interface Model {
  cdf: Float64Array;
  total: number;
  entries: number;
  mean?: Float64Array;
  sigma?: Float64Array;
}

/** Coordinate inside bin `i` of `axis` (under/overflow just outside the range). */
function coordinate(axis: TAxis, i: number, u: number): number {
  const n = axis.fNbins;
  if (i <= 0) return axis.fXmin - 1e-9 * Math.abs(axis.fXmax - axis.fXmin) - 1e-12;
  if (i > n) return axis.fXmax;
  const edges = axis.fXbins;
  const lo = edges.length ? edges[i - 1]! : axis.fXmin + (i - 1) * (axis.fXmax - axis.fXmin) / n;
  const hi = edges.length ? edges[i]! : axis.fXmin + i * (axis.fXmax - axis.fXmin) / n;
  return lo + (0.01 + 0.98 * u) * (hi - lo);
}

function isProfile(h: RootObject): boolean {
  return h._typename === "TProfile" || h._typename === "TProfile2D";
}

function buildModel(h: TH1): Model {
  const profile = isProfile(h);
  const weights = profile ? (h as TProfile).fBinEntries : h.fArray;
  const cdf = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) cdf[i] = total += Math.max(0, weights[i]!);
  const model: Model = { cdf, total, entries: h.fEntries };
  if (profile) {
    const p = h as TProfile;
    model.mean = new Float64Array(weights.length);
    model.sigma = new Float64Array(weights.length);
    for (let i = 0; i < weights.length; i++) {
      const n = p.fBinEntries[i]!;
      if (n <= 0) continue;
      const m = p.fArray[i]! / n;
      model.mean[i] = m;
      model.sigma[i] = Math.sqrt(Math.max(0, p.fSumw2[i]! / n - m * m));
    }
  }
  return model;
}

function reset(h: TH1): void {
  // Named stores (not a keyed loop): the MEs come in many shapes, keyed access goes megamorphic.
  h.fEntries =
    h.fTsumw =
    h.fTsumw2 =
    h.fTsumwx =
    h.fTsumwx2 =
      0;
  const m = h as Partial<TH3 & TProfile2D>;
  if (m.fTsumwy !== undefined) m.fTsumwy = m.fTsumwy2 = 0;
  if (m.fTsumwxy !== undefined) m.fTsumwxy = 0;
  if (m.fTsumwz !== undefined) m.fTsumwz = m.fTsumwz2 = 0;
  if (m.fTsumwxz !== undefined) m.fTsumwxz = m.fTsumwyz = 0;
  h.fArray.fill(0);
  h.fSumw2.fill(0);
  if (isProfile(h)) {
    (h as TProfile).fBinEntries.fill(0);
    (h as TProfile).fBinSumw2.fill(0);
  }
}

/**
 * Draws fills from the model into the (reset) histogram. The cell updates
 * and statistics are those of `fill.ts` (`TH1::Fill` and friends), inlined
 * with local sums: the same code for thousands of differently shaped MEs
 * would otherwise make every property access megamorphic.
 */
function refill(h: TH1, m: Model, rng: Random, efficiency: boolean): void {
  const n = Math.max(1, Math.round(m.entries * rng.uniform(MIN_SCALE, MAX_SCALE)));
  const xa = h.fXaxis, ya = h.fYaxis, za = h.fZaxis;
  const nx = xa.fNbins + 2, ny = ya.fNbins + 2, nz = za.fNbins + 2;
  const cls = h._typename;
  const profile = m.mean !== undefined;
  const dim = cls === "TProfile2D" || cls.startsWith("TH2") ? 2 : cls.startsWith("TH3") ? 3 : 1;
  const arr = h.fArray as unknown as number[];
  const sumw2 = h.fSumw2 as unknown as number[];
  const hasSumw2 = sumw2.length > 0;
  const p = h as TProfile;
  const binEntries = p.fBinEntries as unknown as number[];
  const binSumw2 = p.fBinSumw2 as unknown as number[];
  const hasBinSumw2 = profile && binSumw2.length > 0;
  const weighted = hasSumw2 && !profile && !/[SI]$/.test(cls);
  let sw = 0, sw2 = 0, swx = 0, swx2 = 0, swy = 0, swy2 = 0, swxy = 0;
  let swz = 0, swz2 = 0, swxz = 0, swyz = 0;
  for (let k = 0; k < n; k++) {
    const u = rng.next() * m.total;
    let lo = 0, hi = m.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (m.cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    const cell = lo;
    const bx = cell % nx;
    const by = dim > 1 ? Math.floor(cell / nx) % ny : 0;
    const bz = dim > 2 ? Math.floor(cell / (nx * ny)) : 0;
    const x = coordinate(xa, bx, rng.next());
    const y = dim > 1 ? coordinate(ya, by, rng.next()) : 0;
    const z = dim > 2 ? coordinate(za, bz, rng.next()) : 0;
    const inside = bx >= 1 && bx < nx - 1 && (dim < 2 || (by >= 1 && by < ny - 1)) &&
      (dim < 3 || (bz >= 1 && bz < nz - 1));
    const w = weighted ? rng.uniform(0.5, 1.5) : 1;
    if (profile) {
      const mean = m.mean![cell]!;
      const v = efficiency ? (rng.next() < mean ? 1 : 0) : mean + m.sigma![cell]! * rng.gaussian();
      arr[cell] = arr[cell]! + w * v;
      sumw2[cell] = sumw2[cell]! + w * v * v;
      binEntries[cell] = binEntries[cell]! + w;
      if (hasBinSumw2) binSumw2[cell] = binSumw2[cell]! + w * w;
      if (!inside) continue;
      sw += w, sw2 += w * w, swx += w * x, swx2 += w * x * x;
      if (dim === 1) {
        swy += w * v, swy2 += w * v * v;
      } else {
        swy += w * y, swy2 += w * y * y, swxy += w * x * y, swz += w * v, swz2 += w * v * v;
      }
      continue;
    }
    arr[cell] = arr[cell]! + w;
    if (hasSumw2) sumw2[cell] = sumw2[cell]! + w * w;
    if (!inside) continue;
    sw += w, sw2 += w * w, swx += w * x, swx2 += w * x * x;
    if (dim > 1) swy += w * y, swy2 += w * y * y, swxy += w * x * y;
    if (dim > 2) swz += w * z, swz2 += w * z * z, swxz += w * x * z, swyz += w * y * z;
  }
  h.fEntries = n;
  h.fTsumw = sw, h.fTsumw2 = sw2, h.fTsumwx = swx, h.fTsumwx2 = swx2;
  const s = h as Partial<TH3 & TProfile2D>;
  if (dim > 1 || profile) s.fTsumwy = swy, s.fTsumwy2 = swy2;
  if (dim > 1) s.fTsumwxy = swxy;
  if (dim === 3 || cls === "TProfile2D") s.fTsumwz = swz, s.fTsumwz2 = swz2;
  if (dim === 3) s.fTsumwxz = swxz, s.fTsumwyz = swyz;
}

/**
 * Gives lumisection MEs fresh contents each time {@link LumiRefiller.refill} is called.
 *
 * @example
 * ```ts
 * import { generateMEs } from "./generate.ts";
 * import { LumiRefiller } from "./_dqmio_refill.ts";
 *
 * const r = new LumiRefiller(generateMEs({ count: 20, seed: 3 }), 9);
 * const a = JSON.stringify(r.refill(1).map((m) => m.value), (_k, v) => ArrayBuffer.isView(v) ? [...v as Float32Array] : v);
 * const b = JSON.stringify(r.refill(2).map((m) => m.value), (_k, v) => ArrayBuffer.isView(v) ? [...v as Float32Array] : v);
 * if (a === b) throw new Error("lumisections should differ");
 * ```
 */
export class LumiRefiller {
  readonly #mes: LegacyME[];
  readonly #models: (Model | null)[];
  readonly #scalars: (ScalarME | null)[];
  readonly #seed: number;

  /**
   * @param mes the MEs; their current contents become the sampling models
   * @param seed seed of the lumisection contents
   */
  constructor(mes: LegacyME[], seed: number) {
    this.#mes = mes;
    this.#seed = seed;
    this.#models = mes.map((me) => {
      if ("kind" in me.value) return null;
      const h = me.value as TH1;
      // SetBinContent-filled maps keep fTsumw 0: they are jittered, not resampled.
      return !isProfile(h) && h.fTsumw === 0 && h.fEntries > 0 ? null : buildModel(h);
    });
    this.#scalars = mes.map((me) => ("kind" in me.value ? { ...(me.value as ScalarME) } : null));
  }

  /**
   * Refills every ME for lumisection `lumi` (deterministic per lumi).
   *
   * @param lumi the lumisection number
   * @returns the same ME objects, with new contents
   */
  refill(lumi: number): LegacyME[] {
    const rng = new Random((Math.imul(this.#seed ^ 0x5851f42d, 0x4c957f2d) + lumi) >>> 0);
    this.#mes.forEach((me, i) => {
      const scalar = this.#scalars[i];
      if (scalar) {
        me.value = newScalar(me.path, scalar, lumi, rng);
        return;
      }
      const h = me.value as TH1;
      const model = this.#models[i];
      if (!model) {
        // A summary map: fractions move a little, "no data" (-1) cells stay.
        const a = h.fArray as number[];
        for (let c = 0; c < a.length; c++) {
          if (a[c]! > 0) a[c] = Math.min(1, Math.max(0, a[c]! * rng.uniform(0.97, 1.02)));
        }
        return;
      }
      reset(h);
      if (model.total > 0) refill(h, model, rng, /\/eff_/.test(me.path));
    });
    return this.#mes;
  }
}

function newScalar(path: string, s: ScalarME, lumi: number, rng: Random): ScalarME {
  switch (s.kind) {
    case "Int":
      return {
        kind: "Int",
        value: path.endsWith("/iLumiSection")
          ? lumi
          : Math.round(Number(s.value) * rng.uniform(0.9, 1.1)),
      };
    case "Float": {
      const v = s.value * rng.uniform(0.95, 1.05);
      return { kind: "Float", value: path.includes("reportSummary") ? Math.min(1, v) : v };
    }
    default:
      return s;
  }
}
