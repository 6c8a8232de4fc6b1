/**
 * @module
 * New contents for lumisection MEs without rebuilding them. CMSSW resets
 * lumi-scoped MEs at each lumisection and fills them again; this module
 * does the same to MEs that `generate.ts` built once: it zeroes a
 * histogram's cells and statistics and fills it again, through `fill.ts`,
 * with a fresh sample drawn from the original contents (cells chosen with
 * probability proportional to their content, positions uniform inside the
 * bin, profile values around the cell mean). Histograms filled by
 * `SetBinContent` (summary maps) get their fractions jittered instead, and
 * scalars get new values. The objects are updated in place, which keeps
 * generation cheap for 10,000 MEs per lumisection; callers that keep them
 * must copy them.
 *
 * This module is browser compatible.
 */

import type {
  RootObject,
  TAxis,
  TH1,
  TH2,
  TH3,
  TProfile,
  TProfile2D,
} from "../root/models/types.ts";
import { fill, fill2, fill3, fillProfile, fillProfile2D } from "./fill.ts";
import type { LegacyME, ScalarME } from "./legacy.ts";
import { Random } from "./_random.ts";

/** Statistics members zeroed by a reset (the ones `fill.ts` accumulates). */
const STATS = [
  "fEntries",
  "fTsumw",
  "fTsumw2",
  "fTsumwx",
  "fTsumwx2",
  "fTsumwy",
  "fTsumwy2",
  "fTsumwxy",
  "fTsumwz",
  "fTsumwz2",
  "fTsumwxz",
  "fTsumwyz",
] as const;
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
  const obj = h as unknown as Record<string, number>;
  for (const k of STATS) if (k in obj) obj[k] = 0;
  h.fArray.fill(0);
  h.fSumw2.fill(0);
  if (isProfile(h)) {
    (h as TProfile).fBinEntries.fill(0);
    (h as TProfile).fBinSumw2.fill(0);
  }
}

/** Draws `n` fills from the model into the (reset) histogram. */
function refill(h: TH1, m: Model, rng: Random, efficiency: boolean): void {
  const n = Math.max(1, Math.round(m.entries * rng.uniform(MIN_SCALE, MAX_SCALE)));
  const nx = h.fXaxis.fNbins + 2;
  const ny = h.fYaxis.fNbins + 2;
  const cls = h._typename;
  const weighted = h.fSumw2.length > 0 && !isProfile(h) && !/[SI]$/.test(cls);
  for (let k = 0; k < n; k++) {
    const u = rng.next() * m.total;
    let lo = 0, hi = m.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (m.cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    const cell = lo;
    const x = coordinate(h.fXaxis, cell % nx, rng.next());
    const w = weighted ? rng.uniform(0.5, 1.5) : 1;
    if (cls === "TProfile" || cls === "TProfile2D") {
      const mean = m.mean![cell]!;
      const v = efficiency ? (rng.next() < mean ? 1 : 0) : mean + m.sigma![cell]! * rng.gaussian();
      if (cls === "TProfile") fillProfile(h as TProfile, x, v);
      else {
        fillProfile2D(
          h as TProfile2D,
          x,
          coordinate(h.fYaxis, Math.floor(cell / nx), rng.next()),
          v,
        );
      }
    } else if (cls.startsWith("TH3")) {
      const y = coordinate(h.fYaxis, Math.floor(cell / nx) % ny, rng.next());
      fill3(h as TH3, x, y, coordinate(h.fZaxis, Math.floor(cell / (nx * ny)), rng.next()), w);
    } else if (cls.startsWith("TH2")) {
      fill2(h as TH2, x, coordinate(h.fYaxis, Math.floor(cell / nx), rng.next()), w);
    } else {
      fill(h, x, w);
    }
  }
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
