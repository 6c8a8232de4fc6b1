/**
 * @module
 * Trends: one number of an ME followed over the runs of a dataset, what the
 * classic GUI's strip charts showed and the new GUI lost (spec/frontend.md
 * §2.6). For each run the ME's object is read and reduced to a quantity:
 *
 * - `value`: a scalar ME's number (reportSummary, rates, …);
 * - `mean`, `rms`: the x mean and standard deviation from ROOT's stored
 *   sums (`fTsumwx/fTsumw`, as `TH1::GetMean`/`GetStdDev` with the default
 *   statistics), or from the bin contents when the sums are empty; `mean`
 *   from stored sums carries its error `rms/√neff`, neff = `fTsumw²/fTsumw2`;
 * - `entries`: `fEntries`;
 * - `integral`: the sum of the bin contents without under- and overflow;
 * - `min`, `max`: the smallest and largest bin content.
 *
 * Runs without the ME, or whose object has no such number, are listed apart.
 */

import type { RootObject } from "../root/mod.ts";
import type { DQMService } from "./dqm_service.ts";
import type { MEObjects } from "./me_objects.ts";

/** The numbers a trend can follow. */
export const TREND_QUANTITIES = [
  "value",
  "mean",
  "rms",
  "entries",
  "integral",
  "min",
  "max",
] as const;
/** One of {@linkcode TREND_QUANTITIES}. */
export type TrendQuantity = typeof TREND_QUANTITIES[number];

/** One run's (or lumisection's) number. */
export interface TrendPoint {
  run: number;
  /** With `by: "lumi"`: the lumisection. */
  lumi?: number;
  value: number;
  /** Statistical error, where there is one (`mean`). */
  error?: number;
}

/** A trend. */
export interface Trend {
  dataset: string;
  path: string;
  quantity: TrendQuantity;
  /** "run": one point per run (per-run samples); "lumi": per lumisection of one run. */
  by: "run" | "lumi";
  /** Ascending by run (or lumisection). */
  points: TrendPoint[];
  /** Runs (or lumisections) where the ME is absent or has no such number, ascending. */
  missing: number[];
  /** Runs (or lumisections) whose file could not be read, with the reason (a damaged file). */
  failed: { run: number; lumi?: number; message: string }[];
}

const SCALAR_KINDS = new Set(["Int", "Float"]);

type Axis = { fNbins?: number; fXmin?: number; fXmax?: number; fXbins?: number[] };

function nbins(axis: unknown): number {
  const n = (axis as Axis | undefined)?.fNbins;
  return typeof n === "number" && n > 0 ? n : 1;
}

function dimensions(h: RootObject): number {
  const cls = String(h._typename);
  if (cls.startsWith("TH3") || cls === "TProfile3D") return 3;
  return cls.startsWith("TH2") || cls === "TProfile2D" ? 2 : 1;
}

/** Calls `visit(content, xBin)` for every in-range cell, any dimension. */
function eachCell(h: RootObject, visit: (content: number, x: number) => void): void {
  const cells = h.fArray as ArrayLike<number> | undefined;
  if (!cells) return;
  const dims = dimensions(h);
  const nx = nbins(h.fXaxis);
  const ny = dims > 1 ? nbins(h.fYaxis) : 1;
  const nz = dims > 2 ? nbins(h.fZaxis) : 1;
  for (let z = dims > 2 ? 1 : 0; z <= (dims > 2 ? nz : 0); z++) {
    for (let y = dims > 1 ? 1 : 0; y <= (dims > 1 ? ny : 0); y++) {
      for (let x = 1; x <= nx; x++) {
        const v = cells[x + (nx + 2) * (y + (ny + 2) * z)];
        if (typeof v === "number") visit(v, x);
      }
    }
  }
}

/** Contents of the in-range bins. */
function inRange(h: RootObject): number[] {
  const out: number[] = [];
  eachCell(h, (v) => out.push(v));
  return out;
}

/** x of the centre of bin `i` (1-based). */
function centre(axis: Axis, i: number): number {
  const edges = axis.fXbins;
  if (edges && edges.length > i) return (edges[i - 1]! + edges[i]!) / 2;
  const lo = axis.fXmin ?? 0;
  const hi = axis.fXmax ?? 1;
  return lo + (i - 0.5) * (hi - lo) / nbins(axis);
}

/** x moments from the bin contents (when the stored sums are empty), any dimension. */
function binMoments(h: RootObject): { sw: number; swx: number; swx2: number } {
  const axis = (h.fXaxis ?? {}) as Axis;
  let sw = 0;
  let swx = 0;
  let swx2 = 0;
  eachCell(h, (w, i) => {
    const x = centre(axis, i);
    sw += w;
    swx += w * x;
    swx2 += w * x * x;
  });
  return { sw, swx, swx2 };
}

/**
 * One number of an object.
 *
 * @param obj the decoded object (a TObjString for scalars)
 * @param kind the ME's kind ("Int", "TH1F", …)
 * @param quantity what to take
 * @returns the number, or undefined when the object has none
 */
export function quantityOf(
  obj: RootObject,
  kind: string,
  quantity: TrendQuantity,
): { value: number; error?: number } | undefined {
  if (quantity === "value") {
    if (!SCALAR_KINDS.has(kind)) return undefined;
    const v = Number(obj.fString);
    return Number.isFinite(v) ? { value: v } : undefined;
  }
  if (!Array.isArray(obj.fArray) && !ArrayBuffer.isView(obj.fArray)) return undefined;
  switch (quantity) {
    case "entries":
      return typeof obj.fEntries === "number" ? { value: obj.fEntries } : undefined;
    case "integral":
      return { value: inRange(obj).reduce((a, b) => a + b, 0) };
    case "min":
    case "max": {
      const cells = inRange(obj);
      if (cells.length === 0) return undefined;
      return { value: quantity === "min" ? Math.min(...cells) : Math.max(...cells) };
    }
    case "mean":
    case "rms": {
      let sw = obj.fTsumw as number;
      let swx = obj.fTsumwx as number;
      let swx2 = obj.fTsumwx2 as number;
      const sw2 = obj.fTsumw2 as number;
      const stored = sw > 0;
      if (!stored) ({ sw, swx, swx2 } = binMoments(obj));
      if (!(sw > 0)) return undefined;
      const mean = swx / sw;
      const rms = Math.sqrt(Math.max(0, swx2 / sw - mean * mean));
      if (quantity === "rms") return { value: rms };
      // Without stored sums (cells set one by one) there is no statistical error to give.
      if (!stored || !(sw2 > 0)) return { value: mean };
      return { value: mean, error: rms / Math.sqrt((sw * sw) / sw2) };
    }
  }
}

/** Reads run by run with this many in flight. */
const CONCURRENCY = 4;

/**
 * Follow one ME over runs.
 *
 * @param service sample search
 * @param mes ME access
 * @param q dataset, ME path, quantity, run ranges (absent: the latest runs), most runs
 * @returns the points, ascending by run, and the runs without a number
 */
export async function trend(
  service: DQMService,
  mes: MEObjects,
  q: {
    dataset: string;
    path: string;
    quantity?: TrendQuantity;
    runs?: readonly (readonly [number, number])[];
    /** Follow the lumisections of this run instead of runs. */
    lumisOf?: number;
    limit: number;
  },
): Promise<Trend> {
  const byLumi = q.lumisOf !== undefined;
  const found = service.find({
    dataset: q.dataset,
    exact: true,
    runs: byLumi ? [[q.lumisOf!, q.lumisOf!]] : q.runs,
    lumi: byLumi ? -1 : 0,
    limit: byLumi ? 100_000 : q.limit,
  }).data;
  // Per lumisection: the last `limit` lumisections of the run.
  const samples = byLumi
    ? found.sort((a, b) => a.lumi - b.lumi).slice(-q.limit)
    : found.sort((a, b) => a.run - b.run);
  const key = (s: { run: number; lumi: number }) => byLumi ? s.lumi : s.run;
  const results: (TrendPoint | undefined)[] = new Array(samples.length);
  const failed: { run: number; lumi?: number; message: string }[] = [];
  let quantity = q.quantity;
  let next = 0;
  const work = async () => {
    while (next < samples.length) {
      const k = next++;
      const s = samples[k]!;
      try {
        const me = await mes.locate(s, q.path);
        quantity ??= SCALAR_KINDS.has(me.kind) ? "value" : "mean";
        const got = quantityOf(await mes.object(me), me.kind, quantity);
        if (got) {
          results[k] = byLumi ? { run: s.run, lumi: s.lumi, ...got } : { run: s.run, ...got };
        }
      } catch (error) {
        // One damaged file does not hide the other runs.
        if ((error as Error).name !== "ObjectNotFoundError") {
          const message = (error as Error).message;
          failed.push(byLumi ? { run: s.run, lumi: s.lumi, message } : { run: s.run, message });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, samples.length) }, work));
  return {
    dataset: q.dataset,
    path: q.path,
    quantity: quantity ?? "mean",
    by: byLumi ? "lumi" : "run",
    points: results.filter((p): p is TrendPoint => p !== undefined),
    missing: samples
      .filter((s, k) =>
        results[k] === undefined &&
        !failed.some((f) => f.run === s.run && f.lumi === (byLumi ? s.lumi : undefined))
      )
      .map(key),
    failed: failed.sort((a, b) => a.run - b.run || (a.lumi ?? 0) - (b.lumi ?? 0)),
  };
}
