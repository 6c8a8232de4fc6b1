/**
 * @module
 * Writes DQMIO files (FileFormat 2, spec `formats.md` §3.2) the way CMSSW's
 * `DQMRootOutputModule` does: a `cms::edm::GUID` string key; a TTree
 * `Indices` (Run, Lumi, ProcessHistoryIndex, BeginTime, EndTime, Type,
 * FirstIndex, LastIndex); 14 type trees (Ints … TH2Is) with branches
 * FullName (std::string), Flags (UInt_t) and Value (Long64_t, Double_t,
 * std::string, or the histogram object through a TBranchObject); and a
 * `MetaData` directory with the ProcessHistories and ParameterSets trees.
 *
 * At each end of lumisection the lumi's MEs are filled into their type
 * trees, then one Indices entry per type that received MEs, in type order,
 * with inclusive and consecutive First/LastIndex (kNoTypesStored for a lumi
 * without MEs); at the end of the run the run-level MEs follow under
 * Lumi = 0. Baskets are written as they fill, so memory stays bounded by
 * one lumisection's MEs (plus the manifest, if kept).
 *
 * Data in, bytes out: nothing here touches the file system.
 */

import type { RootObject } from "../root/models/types.ts";
import { type CompressionAlgorithm, compressionSetting, type XzEncoder } from "./compression.ts";
import {
  type Choice,
  DQMIO_TREES,
  DQMIO_TYPES,
  type DqmioType,
  dqmioTypeOf,
  kNoTypesStored,
  materialize,
  selectMEs,
} from "./_dqmio_mes.ts";
import { writeMetaData } from "./_dqmio_metadata.ts";
import { LumiRefiller } from "./_dqmio_refill.ts";
import type { LegacyME, ScalarME } from "./legacy.ts";
import { type DirectoryHandle, TFileWriter } from "./tfile_writer.ts";
import { type BranchSpec, type EntryValue, type TreeSummary, TreeWriter } from "./ttree.ts";

export { DQMIO_TREES, DQMIO_TYPES, type DqmioType, kNoTypesStored };

/** Options of {@link writeDqmioFile}. */
export interface DqmioOptions {
  /** Run number. */
  run: number;
  /** Number of lumisections, numbered from `firstLumi`. */
  lumis: number;
  /** Generated MEs per lumisection, or a function returning a lumisection's MEs. */
  mesPerLumi: number | ((lumi: number) => LegacyME[]);
  /** Run-level MEs written under Lumi = 0 (default: as many as per lumisection). */
  perRunMEs?: number | (() => LegacyME[]);
  /** Types to generate (default all 14); other generated MEs are converted or skipped. */
  types?: readonly DqmioType[];
  /** First lumisection number (default 1). */
  firstLumi?: number;
  /** Lumisections written without MEs (one kNoTypesStored Indices entry each). */
  emptyLumis?: readonly number[];
  /** `"zlib"` (default), `"lzma"`, `"lz4"`, `"zstd"` or `"none"`. */
  compression?: CompressionAlgorithm;
  /** Compression level 0–9 (default per algorithm, zlib 1). */
  level?: number;
  /** LZMA only: an external .xz encoder. */
  xzEncoder?: XzEncoder;
  /** fBasketSize of every Indices and type-tree branch (default: CMSSW's 32000, 128 KiB for objects). */
  basketSize?: number;
  /** Generator seed: ME names, classes and binning (default 1). */
  seed?: number;
  /**
   * Content seed (default `seed`). Lumisection MEs are generated once from
   * it, then refilled with fresh contents each lumisection (seeded by it
   * and the lumi number); run-level MEs use it directly.
   */
  contentSeed?: number;
  /** Name stored in the top key (default `DQM_V0001_R<9-digit run>__Global__DQMIO.root`). */
  fileName?: string;
  /** Key timestamps and the run's start time (default 2024-01-01T00:00:00Z). */
  datime?: Date;
  /** What the manifest keeps per ME: values and objects (default), paths only, or nothing. */
  manifest?: "objects" | "paths" | "none";
}

/** One ME as written. */
export interface DqmioManifestME {
  path: string;
  /** Type index 0–13 (the tree `DQMIO_TREES[type]`). */
  type: number;
  /** Entry number in its type tree. */
  entry: number;
  /** The scalar value or the histogram object (manifest "objects" only). */
  value?: number | bigint | string | RootObject;
}

/** One Indices entry. */
export interface DqmioIndexRow {
  run: number;
  lumi: number;
  processHistoryIndex: number;
  beginTime: bigint;
  endTime: bigint;
  type: number;
  firstIndex: number;
  lastIndex: number;
}

/** What a DQMIO file holds, for tests to compare a reader's output with. */
export interface DqmioManifest {
  fileName: string;
  run: number;
  /** The `cms::edm::GUID` key's value. */
  guid: string;
  /** The file header's fCompress. */
  compression: number;
  /**
   * Per transition (each lumisection, then the run as lumi 0): its MEs in
   * the order written (by type, then by path), with their entry numbers.
   */
  transitions: { lumi: number; beginTime: bigint; endTime: bigint; mes: DqmioManifestME[] }[];
  /** The Indices entries, in order. */
  indices: DqmioIndexRow[];
  /** Every tree written: entries and baskets per branch. */
  trees: TreeSummary[];
}

/** Fills per histogram in a lumisection (a lumi is ~23 s of data) and in the whole run. */
const LUMI_MAX_ENTRIES = 200;
const RUN_MAX_ENTRIES = 1000;
/** LHC lumisection length: 2^18 orbits of 88.924 µs. */
const LUMI_SECONDS = 23.31;
/** CMSSW's Value basket size for object trees (`m_tree->Branch(kValueBranch, &ptr, 128*1024, 0)`). */
const OBJECT_BASKET_SIZE = 128 * 1024;
const DEFAULT_BASKET_SIZE = 32000;

/** Indices branches: UInt_t Run, Lumi, ProcessHistoryIndex, Type; ULong64_t times and range. */
const INDICES_BRANCHES: BranchSpec[] = [
  { kind: "leaf", name: "Run", type: "i" },
  { kind: "leaf", name: "Lumi", type: "i" },
  { kind: "leaf", name: "ProcessHistoryIndex", type: "i" },
  { kind: "leaf", name: "BeginTime", type: "l" },
  { kind: "leaf", name: "EndTime", type: "l" },
  { kind: "leaf", name: "Type", type: "i" },
  { kind: "leaf", name: "FirstIndex", type: "l" },
  { kind: "leaf", name: "LastIndex", type: "l" },
];

function typeTreeBranches(type: number): BranchSpec[] {
  const value: BranchSpec = type === 0
    ? { kind: "leaf", name: "Value", type: "L" }
    : type === 1
    ? { kind: "leaf", name: "Value", type: "D" }
    : type === 2
    ? { kind: "string", name: "Value" }
    : { kind: "object", name: "Value", className: DQMIO_TYPES[type]! };
  return [{ kind: "string", name: "FullName" }, { kind: "leaf", name: "Flags", type: "i" }, value];
}

/** edm::Timestamp value: seconds in the high 32 bits, microseconds in the low ones. */
function timestamp(seconds: number): bigint {
  const s = Math.floor(seconds);
  return (BigInt(s) << 32n) | BigInt(Math.round((seconds - s) * 1e6));
}

/** A derived seed, so that each lumisection gets its own contents. */
function mix(seed: number, k: number): number {
  return (Math.imul(seed ^ 0x27d4eb2f, 0x165667b1) + Math.imul(k + 7, 0x9e3779b1)) >>> 0;
}

function entryValue(me: LegacyME): EntryValue {
  if (!("kind" in me.value)) return me.value as RootObject;
  const s = me.value as ScalarME;
  return s.kind === "Int" ? BigInt(s.value) : s.value;
}

/**
 * Writes a DQMIO file and describes what it holds.
 *
 * @param opts run, lumisections, MEs, types, compression, basket size, seeds
 * @returns the file and its manifest
 * @throws {TypeError} for bad options or MEs of a class DQMIO cannot store
 *
 * @example Three lumisections of 30 MEs each, zlib
 * ```ts
 * import { writeDqmioFile } from "./dqmio.ts";
 *
 * const { bytes, manifest } = writeDqmioFile({ run: 1, lumis: 3, mesPerLumi: 30, perRunMEs: 10 });
 * if (manifest.transitions.length !== 4 || bytes.length < 1000) throw new Error("bad file");
 * ```
 */
export function writeDqmioFile(opts: DqmioOptions): { bytes: Uint8Array; manifest: DqmioManifest } {
  const { chunks, size, manifest } = writeDqmioChunks(opts);
  const bytes = new Uint8Array(size);
  let p = 0;
  for (const c of chunks) {
    bytes.set(c, p);
    p += c.length;
  }
  return { bytes, manifest };
}

/**
 * Like {@link writeDqmioFile}, but returns the file as its records in order
 * (saving one copy of multi-gigabyte files).
 *
 * @param opts as for {@link writeDqmioFile}
 * @returns the chunks, their total size and the manifest
 */
export function writeDqmioChunks(
  opts: DqmioOptions,
): { chunks: Uint8Array[]; size: number; manifest: DqmioManifest } {
  const g = prepare(opts);
  const f = new TFileWriter({
    fileName: g.fileName,
    title: "1", // CMSSW passes "1", the DQMIO format version, as the file title
    compression: opts.compression,
    level: opts.level,
    xzEncoder: opts.xzEncoder,
    datime: g.datime,
    uuidSeed: g.seed,
  });
  // CMSSW writes the GUID first, at file opening (`m_file->WriteObject(&guid, kCmsGuid)`).
  const guid = makeGuid(g.seed);
  f.putPayload(
    f.root,
    { className: "string", name: "cms::edm::GUID", title: "object title" },
    (w) => {
      w.tstring(guid);
    },
  );
  const basket = (spec: BranchSpec) =>
    opts.basketSize ?? (spec.kind === "object" ? OBJECT_BASKET_SIZE : DEFAULT_BASKET_SIZE);
  const indices = new TreeWriter(f, f.root, "Indices", INDICES_BRANCHES, basket);
  const trees = DQMIO_TREES.map((name, t) =>
    new TreeWriter(f, f.root, name, typeTreeBranches(t), basket)
  );
  const manifest: DqmioManifest = {
    fileName: g.fileName,
    run: opts.run,
    guid,
    compression: 0,
    transitions: [],
    indices: [],
    trees: [],
  };
  const t0 = g.datime.getTime() / 1000;
  const writeTransition = (lumi: number, mes: LegacyME[], begin: bigint, end: bigint) => {
    const byType: LegacyME[][] = DQMIO_TREES.map(() => []);
    for (const me of mes) {
      const t = dqmioTypeOf(me);
      if (t < 0) {
        throw new TypeError(`Cannot write ME "${me.path}" to DQMIO: no type tree for its class`);
      }
      byType[t]!.push(me);
    }
    const listed: DqmioManifestME[] = [];
    let rows = 0;
    byType.forEach((group, t) => {
      if (group.length === 0) return;
      const tree = trees[t]!;
      const first = tree.entries;
      for (const me of group) {
        if (g.keep !== "none") {
          const item: DqmioManifestME = { path: me.path, type: t, entry: tree.entries };
          // Lumisection MEs are refilled in place: the manifest keeps a copy.
          if (g.keep === "objects") {
            item.value = structuredClone(entryValue(me)) as DqmioManifestME["value"];
          }
          listed.push(item);
        }
        tree.fill([me.path, 0, entryValue(me)]); // Flags: new CMSSW writes 0
      }
      addRow(lumi, begin, end, t, first, tree.entries - 1);
      rows++;
    });
    // A lumisection without MEs still gets an entry (DQMRootOutputModule::writeLuminosityBlock).
    if (rows === 0 && lumi !== 0) addRow(lumi, begin, end, kNoTypesStored, 0, 0);
    manifest.transitions.push({ lumi, beginTime: begin, endTime: end, mes: listed });
  };
  const addRow = (
    lumi: number,
    b: bigint,
    e: bigint,
    type: number,
    first: number,
    last: number,
  ) => {
    const row: DqmioIndexRow = {
      run: opts.run,
      lumi,
      processHistoryIndex: 0,
      beginTime: b,
      endTime: e,
      type,
      firstIndex: first,
      lastIndex: last,
    };
    manifest.indices.push(row);
    indices.fill([opts.run, lumi, 0, b, e, type, first, last]);
  };
  for (let k = 0; k < opts.lumis; k++) {
    const lumi = g.firstLumi + k;
    const begin = timestamp(t0 + k * LUMI_SECONDS);
    const end = timestamp(t0 + (k + 1) * LUMI_SECONDS);
    writeTransition(lumi, g.empty.has(lumi) ? [] : g.lumiMEs(lumi), begin, end);
  }
  writeTransition(0, g.runMEs(), timestamp(t0), timestamp(t0 + opts.lumis * LUMI_SECONDS));
  // End of file: the MetaData directory, then TFile::Write writes every tree in creation order.
  const meta: DirectoryHandle = f.mkdir(f.root, "MetaData");
  const metaTrees = writeMetaData(f, meta, g.seed);
  manifest.trees.push(indices.finish(), ...trees.map((t) => t.finish()));
  manifest.trees.push(...metaTrees.map((t) => t.finish()));
  manifest.compression = compressionSetting(f.compression);
  const chunks = f.closeChunks();
  return { chunks, size: chunks.reduce((s, c) => s + c.length, 0), manifest };
}

/** Validated options and the ME sources they imply. */
function prepare(opts: DqmioOptions) {
  const { run, lumis } = opts;
  if (!Number.isInteger(run) || run < 0 || run > 0xffffffff) {
    throw new TypeError(`Cannot write DQMIO run ${run}: expected an unsigned 32-bit integer`);
  }
  if (!Number.isInteger(lumis) || lumis < 0) {
    throw new TypeError(`Cannot write ${lumis} lumisections: expected a non-negative integer`);
  }
  const firstLumi = opts.firstLumi ?? 1;
  if (!Number.isInteger(firstLumi) || firstLumi < 1 || firstLumi + lumis - 1 > 0xffffffff) {
    throw new TypeError(`Cannot start at lumisection ${firstLumi}: expected a positive integer`);
  }
  for (const t of opts.types ?? []) {
    if (!DQMIO_TYPES.includes(t)) {
      throw new TypeError(`Cannot write DQMIO type "${t}": known are ${DQMIO_TYPES.join(", ")}`);
    }
  }
  const seed = opts.seed ?? 1;
  const contentSeed = opts.contentSeed ?? seed;
  const allowed = new Set((opts.types ?? DQMIO_TYPES).map((t) => DQMIO_TYPES.indexOf(t)));
  const lumiCount = typeof opts.mesPerLumi === "number" ? opts.mesPerLumi : 0;
  const runOpt = opts.perRunMEs ?? lumiCount;
  const runCount = typeof runOpt === "number" ? runOpt : 0;
  for (const n of [lumiCount, runCount]) {
    if (!Number.isInteger(n) || n < 0) {
      throw new TypeError(`Cannot generate ${n} MEs: expected a non-negative integer`);
    }
  }
  const selection = lumiCount + runCount > 0 ? selectMEs(seed, lumiCount, runCount, allowed) : {
    lumi: [] as Choice[],
    run: [] as Choice[],
    span: 0,
  };
  const generated = (choices: Choice[], content: number, maxEntries: number) =>
    materialize(choices, { seed, contentSeed: content, run, maxEntries });
  let refiller: LumiRefiller | null = null;
  const lumiMEs = typeof opts.mesPerLumi === "function" ? opts.mesPerLumi : (lumi: number) => {
    // Built once; each lumisection then refills the same MEs (as CMSSW resets lumi MEs).
    refiller ??= new LumiRefiller(
      generated(selection.lumi, mix(contentSeed, 0), LUMI_MAX_ENTRIES),
      mix(contentSeed, 1),
    );
    return refiller.refill(lumi);
  };
  const runMEs = typeof runOpt === "function"
    ? runOpt
    : () => generated(selection.run, contentSeed, RUN_MAX_ENTRIES);
  return {
    seed,
    firstLumi,
    lumiMEs,
    runMEs,
    empty: new Set(opts.emptyLumis ?? []),
    keep: opts.manifest ?? "objects",
    datime: opts.datime ?? new Date(Date.UTC(2024, 0, 1)),
    fileName: opts.fileName ?? `DQM_V0001_R${String(run).padStart(9, "0")}__Global__DQMIO.root`,
  };
}

/** A deterministic upper-case GUID, as `edm::createGlobalIdentifier()` formats them. */
function makeGuid(seed: number): string {
  let x = mix(seed, 0x6775);
  const hex = Array.from({ length: 32 }, () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return (x >>> 28).toString(16);
  }).join("").toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}
