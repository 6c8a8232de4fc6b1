/**
 * @module
 * Deterministic generation of realistic DQM monitor elements for tests,
 * benchmarks and the server's demo data: gaussian and exponential TH1F/TH1D,
 * variable-binned spectra, labelled error counters, TH2F/TH2S blobs,
 * profiles, a labelled reportSummaryMap per subsystem, and Int/Float/String
 * scalars (iRun, iEvent, reportSummary, hostName, ...), spread over the
 * folder trees of fifteen CMS subsystems. The same options always give the
 * same MEs, so files written from them are byte-identical.
 *
 * This module is browser compatible.
 */

import type { RootObject, TH1, TH2 } from "../root/models/types.ts";
import {
  ERROR_LABELS,
  HOSTS,
  PT_EDGES,
  QTESTS,
  QUANTITIES_1D,
  type SubsystemDef,
  SUBSYSTEMS,
} from "./_catalog.ts";
import { Random } from "./_random.ts";
import { fill, fill2, fill3, fillProfile, fillProfile2D, setBinContent } from "./fill.ts";
import { makeTH1, makeTH2, makeTH3, makeTProfile, makeTProfile2D } from "./histograms.ts";
import type { LegacyME, QTestResult, ScalarME } from "./legacy.ts";

/** Options of {@link generateMEs}. */
export interface GenerateOptions {
  /** Number of MEs to generate (quality-test results and flags are extra). */
  count: number;
  /** Seed; the same seed gives the same MEs. */
  seed: number;
  /** Run number for the iRun scalars (default 1). */
  run?: number;
  /**
   * Seed of the contents only (default: `seed`). Files generated with the same
   * `seed` and different `contentSeed`s hold the same MEs (names, classes,
   * binning) with different contents, as successive runs do.
   */
  contentSeed?: number;
  /** Largest number of fills per 1D histogram (default 1000; 2D get twice as many). */
  maxEntries?: number;
}

/** MEs every subsystem starts with, in its EventInfo folder. */
const EVENT_INFO = [
  "iRun",
  "reportSummaryMap",
  "reportSummary",
  "iEvent",
  "iLumiSection",
  "processName",
  "hostName",
  "processTimeStamp",
] as const;
/** dqm::qstatus codes (spec §3.1). */
const QSTATUS = { OK: 100, WARNING: 200, ERROR: 300 } as const;
/** Fewest fills of a generated histogram. */
const MIN_ENTRIES = 20;

type Quantity = (typeof QUANTITIES_1D)[number];

/** Per-subsystem generation state: how many MEs it has produced so far. */
interface SubsystemState {
  def: SubsystemDef;
  produced: number;
}

/**
 * Generates `count` MEs, round-robin over the subsystems so that any count
 * covers several of them; each subsystem first gets its EventInfo MEs, then
 * histograms and scalars in its folders.
 *
 * @param opts count, seed, run and size settings
 * @returns the MEs, ready for `writeLegacyDqmFile`
 * @throws {TypeError} for a negative or non-integer count
 *
 * @example Generate a small, reproducible set
 * ```ts
 * import { generateMEs } from "./generate.ts";
 *
 * const a = generateMEs({ count: 50, seed: 7 });
 * const b = generateMEs({ count: 50, seed: 7 });
 * if (a.length !== 50 || a[20]!.path !== b[20]!.path) throw new Error("not reproducible");
 * ```
 */
export function generateMEs(opts: GenerateOptions): LegacyME[] {
  const { count, seed } = opts;
  if (!Number.isInteger(count) || count < 0) {
    throw new TypeError(`Cannot generate ${count} MEs: expected a non-negative integer`);
  }
  const run = opts.run ?? 1;
  const maxEntries = Math.max(MIN_ENTRIES, opts.maxEntries ?? 1000);
  const contentSeed = opts.contentSeed ?? seed;
  const states: SubsystemState[] = SUBSYSTEMS.map((def) => ({ def, produced: 0 }));
  const out: LegacyME[] = [];
  for (let i = 0; i < count; i++) {
    const s = states[i % states.length]!;
    const k = s.produced++;
    const infoCount = EVENT_INFO.length + s.def.parts.length;
    out.push(
      k < infoCount ? eventInfoME(new Random(mixSeed(contentSeed, i)), s.def, k, run) : folderME(
        new Random(mixSeed(seed, i)),
        new Random(mixSeed(contentSeed, i) ^ 0x5bd1e995),
        s.def,
        k - infoCount,
        maxEntries,
      ),
    );
  }
  return out;
}

function eventInfoME(rng: Random, def: SubsystemDef, k: number, run: number): LegacyME {
  const base = `${def.name}/EventInfo`;
  const scalar = (name: string, value: ScalarME): LegacyME => ({
    path: `${base}/${name}`,
    value,
  });
  const which = EVENT_INFO[k];
  switch (which) {
    case "iRun":
      return scalar(which, { kind: "Int", value: run });
    case "reportSummaryMap":
      return { path: `${base}/${which}`, value: summaryMap(rng, def) };
    case "reportSummary":
      return scalar(which, { kind: "Float", value: Math.fround(rng.uniform(0.85, 1)) });
    case "iEvent":
      return scalar(which, { kind: "Int", value: rng.int(1, 2_000_000_000) });
    case "iLumiSection":
      return scalar(which, { kind: "Int", value: rng.int(1, 2500) });
    case "processName":
      return scalar(which, { kind: "String", value: def.name });
    case "hostName":
      return scalar(which, { kind: "String", value: rng.pick(HOSTS) });
    case "processTimeStamp":
      return scalar(which, { kind: "Float", value: 1.7e9 + rng.uniform(0, 3e7) });
    default: {
      const part = def.parts[k - EVENT_INFO.length]!;
      return {
        path: `${base}/reportSummaryContents/${part}`,
        value: { kind: "Float", value: Math.fround(rng.uniform(0.8, 1)) },
      };
    }
  }
}

/** A reportSummaryMap: labelled axes, one SetBinContent per bin (fractions, -1 = no data). */
function summaryMap(rng: Random, def: SubsystemDef): TH2 {
  const h = makeTH2("TH2F", {
    name: "reportSummaryMap",
    title: `${def.name} Report Summary Map`,
    x: { nbins: def.mapX.length, min: 0, max: def.mapX.length, labels: def.mapX },
    y: { nbins: def.mapY.length, min: 0, max: def.mapY.length, labels: def.mapY },
  });
  const nx = def.mapX.length;
  for (let by = 1; by <= def.mapY.length; by++) {
    for (let bx = 1; bx <= nx; bx++) {
      const v = rng.next() < 0.05 ? -1 : Math.min(1, rng.uniform(0.7, 1.1));
      setBinContent(h, by * (nx + 2) + bx, v);
    }
  }
  return h;
}

/** A per-ME seed: ME i of a file depends only on (seed, i). */
function mixSeed(seed: number, i: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(i + 1, 0xc2b2ae35)) >>> 0;
}

function entries(rng: Random, max: number): number {
  return Math.round(Math.exp(rng.uniform(Math.log(MIN_ENTRIES), Math.log(max))));
}

/** A value of a 1D quantity, drawn from its shape. */
function sample(rng: Random, q: Quantity): number {
  const width = q.max - q.min;
  switch (q.shape) {
    case "gaus":
      return rng.gaussian((q.min + q.max) / 2 + width * 0.02, width / 8);
    case "exp":
      return q.min + rng.exponential(width / 6);
    default:
      return q.min + width * rng.next() ** 1.1;
  }
}

/** ME j of a subsystem folder; `st` decides what it is (name, class, binning), `rng` its contents. */
function folderME(
  st: Random,
  rng: Random,
  def: SubsystemDef,
  j: number,
  maxEntries: number,
): LegacyME {
  const folder = def.folders[j % def.folders.length]!;
  const q = QUANTITIES_1D[j % QUANTITIES_1D.length]!;
  const r = st.next();
  let value: RootObject | ScalarME;
  let name: string;
  let efficiency = false;
  if (r < 0.38) {
    name = `${q.name}_${j}`;
    value = oneD(st, rng, "TH1F", name, q, entries(rng, maxEntries), 1);
  } else if (r < 0.46) {
    name = `${q.name}_weighted_${j}`;
    value = oneD(st, rng, "TH1D", name, q, entries(rng, maxEntries), 0.5);
  } else if (r < 0.48) {
    name = `${q.name}_counts_${j}`;
    value = oneD(st, rng, st.pick(["TH1S", "TH1I"] as const), name, q, entries(rng, maxEntries), 1);
  } else if (r < 0.53) {
    name = `ptSpectrum_${j}`;
    const h = makeTH1("TH1F", {
      name,
      title: "p_{T} spectrum",
      x: { edges: PT_EDGES, title: "p_{T} [GeV]" },
    });
    const n = entries(rng, maxEntries);
    for (let e = 0; e < n; e++) fill(h, rng.exponential(12));
    value = h;
  } else if (r < 0.56) {
    name = `errorTypes_${j}`;
    const nb = ERROR_LABELS.length;
    const h = makeTH1("TH1F", {
      name,
      title: "Error types",
      x: { nbins: nb, min: 0, max: nb, labels: ERROR_LABELS },
    });
    const n = entries(rng, maxEntries);
    for (let e = 0; e < n; e++) fill(h, Math.min(nb - 1, Math.floor(rng.exponential(0.7))) + 0.5);
    value = h;
  } else if (r < 0.72) {
    name = `${q.name}_vs_phi_${j}`;
    value = blob(
      st,
      rng,
      st.next() < 0.85 ? "TH2F" : "TH2S",
      name,
      q,
      entries(rng, 2 * maxEntries),
    );
  } else if (r < 0.73) {
    name = `${q.name}_vs_phi_double_${j}`;
    value = blob(st, rng, "TH2D", name, q, entries(rng, 2 * maxEntries));
  } else if (r < 0.83) {
    efficiency = st.next() < 0.2;
    name = efficiency ? `eff_vs_eta_${j}` : `${q.name}_vs_eta_${j}`;
    const p = makeTProfile({
      name,
      title: `${efficiency ? "Efficiency" : q.title} vs #eta`,
      x: { nbins: 25, min: -2.5, max: 2.5, title: "#eta" },
    });
    const n = entries(rng, maxEntries);
    for (let e = 0; e < n; e++) {
      const x = rng.uniform(-2.5, 2.5);
      fillProfile(p, x, efficiency ? (rng.next() < 0.95 - 0.02 * x * x ? 1 : 0) : sample(rng, q));
    }
    value = p;
  } else if (r < 0.85) {
    name = `${q.name}_map_${j}`;
    const p = makeTProfile2D({
      name,
      title: `Mean ${q.title}`,
      x: { nbins: 10, min: -2.5, max: 2.5, title: "#eta" },
      y: { nbins: 12, min: -3.1416, max: 3.1416, title: "#phi" },
    });
    const n = entries(rng, maxEntries);
    for (let e = 0; e < n; e++) {
      fillProfile2D(p, rng.uniform(-2.5, 2.5), rng.uniform(-3.1416, 3.1416), sample(rng, q));
    }
    value = p;
  } else if (r < 0.855) {
    name = `position3D_${j}`;
    const h = makeTH3("TH3F", {
      name,
      title: "Hit position",
      x: { nbins: 6, min: -30, max: 30, title: "x [cm]" },
      y: { nbins: 6, min: -30, max: 30, title: "y [cm]" },
      z: { nbins: 8, min: -60, max: 60, title: "z [cm]" },
    });
    const n = entries(rng, maxEntries);
    for (let e = 0; e < n; e++) {
      fill3(h, rng.gaussian(0, 10), rng.gaussian(0, 10), rng.gaussian(0, 25));
    }
    value = h;
  } else {
    const kind = st.pick(["Int", "Float", "String"] as const);
    name = `${kind === "Int" ? "nEvents" : kind === "Float" ? "rate" : "status"}_${j}`;
    value = kind === "Int"
      ? { kind, value: rng.int(0, 10_000_000) }
      : kind === "Float"
      ? { kind, value: rng.exponential(100) }
      : { kind, value: rng.pick(["GOOD", "BAD", "UNKNOWN", "STANDBY"]) };
  }
  const me: LegacyME = { path: `${def.name}/${folder}/${name}`, value };
  if (efficiency) me.efficiency = true;
  if (!("kind" in value) && st.next() < 0.1) me.qtests = qtests(rng);
  return me;
}

function oneD(
  st: Random,
  rng: Random,
  cls: "TH1F" | "TH1D" | "TH1S" | "TH1I",
  name: string,
  q: Quantity,
  n: number,
  weightSpread: number,
): TH1 {
  const h = makeTH1(cls, {
    name,
    title: q.title,
    x: { nbins: st.pick([40, 50, 60, 100, 200]), min: q.min, max: q.max, title: q.axis },
  });
  for (let e = 0; e < n; e++) {
    fill(
      h,
      sample(rng, q),
      weightSpread === 1 ? 1 : rng.uniform(1 - weightSpread, 1 + weightSpread),
    );
  }
  return h;
}

function blob(
  st: Random,
  rng: Random,
  cls: "TH2F" | "TH2S" | "TH2D",
  name: string,
  q: Quantity,
  n: number,
): TH2 {
  const h = makeTH2(cls, {
    name,
    title: `${q.title} vs #phi`,
    x: { nbins: st.pick([20, 36, 50]), min: q.min, max: q.max, title: q.axis },
    y: { nbins: st.pick([18, 24, 32]), min: -3.1416, max: 3.1416, title: "#phi [rad]" },
  });
  const rho = st.uniform(-0.5, 0.5);
  for (let e = 0; e < n; e++) {
    const x = sample(rng, q);
    const g = rng.gaussian();
    const y = 1.2 * (rho * (2 * (x - q.min) / (q.max - q.min) - 1) + Math.sqrt(1 - rho * rho) * g);
    fill2(h, x, y);
  }
  return h;
}

function qtests(rng: Random): QTestResult[] {
  const n = rng.int(1, 2);
  const out: QTestResult[] = [];
  for (let i = 0; i < n; i++) {
    const t = QTESTS[(rng.int(0, QTESTS.length - 1) + i) % QTESTS.length]!;
    const roll = rng.next();
    const status = roll < 0.8 ? QSTATUS.OK : roll < 0.9 ? QSTATUS.WARNING : QSTATUS.ERROR;
    const result = status === QSTATUS.OK ? rng.uniform(0.95, 1) : rng.uniform(0, 0.9);
    const message = status === QSTATUS.OK
      ? `${t.name}: test passed`
      : `${t.name}: ${Math.round((1 - result) * 100)}% of bins outside range: check thresholds`;
    if (!out.some((o) => o.name === t.name)) {
      out.push({ name: t.name, status, result, algorithm: t.algorithm, message });
    }
  }
  return out;
}
