/**
 * @module
 * Chooses the monitor elements of a generated DQMIO file and produces
 * their contents per lumisection, on top of `generate.ts` (whose `seed`
 * fixes names, classes and binning and whose `contentSeed` fixes contents).
 *
 * The DQMIO type of an ME is its index in the 14 type trees (spec
 * `formats.md` §3.2). `generateMEs` produces 13 of the 14 classes; TH2I is
 * obtained by converting every other TH2S, and when the caller restricts
 * the types, an ME of a disallowed class becomes a sibling of the same
 * family (TH1F ↔ TH1S/TH1D/TH1I, TH2F ↔ TH2S/TH2D/TH2I, Int ↔ Float ↔
 * String) or is skipped. When a group has at least as many MEs as allowed
 * types, every allowed type is guaranteed to occur: missing types are
 * taken from further down the generated stream, replacing MEs of the most
 * common type.
 *
 * This module is browser compatible.
 */

import type { BinArray, RootObject, TH1 } from "../root/models/types.ts";
import { generateMEs } from "./generate.ts";
import type { LegacyME, ScalarME } from "./legacy.ts";

/** The 14 DQMIO type trees, by type index (CMSSW `DQMServices/FwkIO/plugins/format.h`). */
export const DQMIO_TREES = [
  "Ints",
  "Floats",
  "Strings",
  "TH1Fs",
  "TH1Ss",
  "TH1Ds",
  "TH2Fs",
  "TH2Ss",
  "TH2Ds",
  "TH3Fs",
  "TProfiles",
  "TProfile2Ds",
  "TH1Is",
  "TH2Is",
] as const;

/** The ME kind stored in each type tree, by type index. */
export const DQMIO_TYPES = [
  "Int",
  "Float",
  "String",
  "TH1F",
  "TH1S",
  "TH1D",
  "TH2F",
  "TH2S",
  "TH2D",
  "TH3F",
  "TProfile",
  "TProfile2D",
  "TH1I",
  "TH2I",
] as const;

/** A DQMIO ME kind: a scalar kind or a histogram class. */
export type DqmioType = (typeof DQMIO_TYPES)[number];

/** Indices/Type of a lumisection without MEs (CMSSW `kNoTypesStored`). */
export const kNoTypesStored = 1000;

const TYPE_INDEX = new Map<string, number>(DQMIO_TYPES.map((t, i) => [t, i]));
/** Families whose members convert into one another. */
const FAMILIES: readonly (readonly DqmioType[])[] = [
  ["Int", "Float", "String"],
  ["TH1F", "TH1S", "TH1D", "TH1I"],
  ["TH2F", "TH2S", "TH2D", "TH2I"],
];

/**
 * The DQMIO type index of an ME, or -1 when DQMIO has no tree for it.
 *
 * @param me the ME
 * @returns 0–13, or -1
 */
export function dqmioTypeOf(me: LegacyME): number {
  const v = me.value;
  const name = "kind" in v ? (v as ScalarME).kind : (v as RootObject)._typename;
  return TYPE_INDEX.get(name) ?? -1;
}

function familyOf(type: number): readonly DqmioType[] | undefined {
  return FAMILIES.find((f) => f.includes(DQMIO_TYPES[type]!));
}

function cells(cls: string, from: BinArray): BinArray {
  const n = from.length;
  const round = (lim: number) => (_: unknown, i: number) =>
    Math.max(-lim, Math.min(lim, Math.round(from[i]!)));
  switch (cls.at(-1)) {
    case "S":
      return Int16Array.from({ length: n }, round(32767));
    case "I":
      return Int32Array.from({ length: n }, round(2147483647));
    case "F":
      return Float32Array.from(from);
    default:
      return Float64Array.from(from);
  }
}

/**
 * Converts an ME to another type of its family: histograms change cell
 * precision (integer cells are rounded), scalars change kind.
 *
 * @param me the ME
 * @param type the target type index
 * @returns the converted ME (the input when it already has that type)
 * @throws {TypeError} when the types are not of one family
 */
export function convertME(me: LegacyME, type: number): LegacyME {
  const from = dqmioTypeOf(me);
  if (from === type) return me;
  const target = DQMIO_TYPES[type]!;
  if (!familyOf(from)?.includes(target)) {
    throw new TypeError(
      `Cannot convert ME "${me.path}" from ${
        DQMIO_TYPES[from] ?? "?"
      } to ${target}: not one family`,
    );
  }
  if ("kind" in me.value) {
    const s = me.value as ScalarME;
    const num = s.kind === "String" ? s.value.length : Number(s.value);
    const value: ScalarME = target === "Int"
      ? { kind: "Int", value: Math.round(num) }
      : target === "Float"
      ? { kind: "Float", value: num }
      : { kind: "String", value: String(s.value) };
    return { ...me, value };
  }
  const h = me.value as TH1;
  return { ...me, value: { ...h, _typename: target, fArray: cells(target, h.fArray) } };
}

/** One chosen ME: its index in the generated stream and its DQMIO type. */
export interface Choice {
  index: number;
  type: number;
}

/** The chosen MEs of a file: a per-lumi group and a per-run group, with distinct paths. */
export interface Selection {
  lumi: Choice[];
  run: Choice[];
  /** How many MEs must be generated to reach every chosen index. */
  span: number;
}

/** The type a candidate becomes, or -1 to skip it. */
function targetType(me: LegacyME, index: number, allowed: ReadonlySet<number>): number {
  let t = dqmioTypeOf(me);
  if (t < 0) return -1;
  // TH2I is never generated: every other TH2S becomes one.
  const th2i = TYPE_INDEX.get("TH2I")!;
  if (t === TYPE_INDEX.get("TH2S") && index % 2 === 1 && allowed.has(th2i)) t = th2i;
  if (allowed.has(t)) return t;
  const siblings = familyOf(t)?.filter((s) => allowed.has(TYPE_INDEX.get(s)!)) ?? [];
  return siblings.length ? TYPE_INDEX.get(siblings[index % siblings.length]!)! : -1;
}

/**
 * Picks `lumiCount` per-lumi MEs, then `runCount` per-run MEs, from the ME
 * stream of `seed`, keeping only (or converting to) the allowed types.
 *
 * @param seed the generator seed (names, classes, binning)
 * @param lumiCount MEs per lumisection
 * @param runCount MEs written once for the run
 * @param allowed type indices allowed (all 14 by default)
 * @returns the choices
 * @throws {RangeError} when the allowed types cannot be produced
 */
export function selectMEs(
  seed: number,
  lumiCount: number,
  runCount: number,
  allowed: ReadonlySet<number> = new Set(DQMIO_TYPES.map((_, i) => i)),
): Selection {
  const total = lumiCount + runCount;
  let count = Math.ceil(total * 1.2) + 64;
  let stream = generateMEs({ count, seed, maxEntries: 20 });
  let next = 0;
  /** The next usable candidate of the stream (any allowed type, or exactly `want`). */
  const take = (want = -1): Choice => {
    for (;;) {
      while (next >= stream.length) {
        if (count > 64 * (total + 1000)) {
          throw new RangeError(`Cannot generate MEs of types ${[...allowed].join(", ")}`);
        }
        count *= 2;
        stream = generateMEs({ count, seed, maxEntries: 20 });
      }
      const index = next++;
      const type = targetType(stream[index]!, index, allowed);
      if (type >= 0 && (want < 0 || type === want)) return { index, type };
    }
  };
  const lumi = Array.from({ length: lumiCount }, () => take());
  const run = Array.from({ length: runCount }, () => take());
  for (const group of [lumi, run]) {
    if (group.length < allowed.size) continue;
    for (const t of allowed) {
      if (group.some((c) => c.type === t)) continue;
      const counts = new Map<number, number>();
      for (const c of group) counts.set(c.type, (counts.get(c.type) ?? 0) + 1);
      const common = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
      const victim = group.findLastIndex((c) => c.type === common);
      group[victim] = take(t);
    }
  }
  const span = Math.max(0, ...lumi.map((c) => c.index + 1), ...run.map((c) => c.index + 1));
  return { lumi, run, span };
}

/**
 * The contents of chosen MEs: generates the stream with a content seed and
 * converts each chosen ME to its type, sorted by path as CMSSW's DQMStore
 * lists them.
 *
 * @param choices which MEs
 * @param opts generator seed, content seed, run number and fills per histogram
 * @returns the MEs
 */
export function materialize(
  choices: readonly Choice[],
  opts: { seed: number; contentSeed: number; run: number; maxEntries: number },
): LegacyME[] {
  if (choices.length === 0) return [];
  const span = Math.max(...choices.map((c) => c.index)) + 1;
  const stream = generateMEs({ count: span, ...opts });
  return choices.map((c) => convertME(stream[c.index]!, c.type))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
