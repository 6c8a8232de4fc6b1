/**
 * @module
 * Writes legacy ("DQM classic", FileFormat 1) DQM ROOT files (spec
 * `formats.md` §3.1): every monitor element (ME) of run N lives under
 * `DQMData/Run N/<Subsystem>/Run summary/<folders>/`. Histograms are keys of
 * their own class; scalar MEs, efficiency flags and quality-test results are
 * TObjString keys whose key name is the whole XML-like string, e.g.
 * `<iRun>i=123</iRun>`, so a reader can list them without decompressing.
 *
 * Data in, bytes out: nothing here touches the file system.
 */

import type { RootObject, TObjString } from "../root/models/types.ts";
import { formatG17 } from "./_format.ts";
import { type DirectoryHandle, TFileWriter } from "./tfile_writer.ts";

/** A scalar ME: Int (64-bit in CMSSW), Float (double) or String. */
export type ScalarME =
  | { kind: "Int"; value: number | bigint }
  | { kind: "Float"; value: number }
  | { kind: "String"; value: string };

/** A quality-test result attached to an ME. */
export interface QTestResult {
  /** QTest name, e.g. "ContentsXRange"; written after the ME name and a dot. */
  name: string;
  /** dqm::qstatus code: 100 OK, 200 WARNING, 300 ERROR, 50 DISABLED, 60 INVALID, 70 INSUF_STAT, 90 DID_NOT_RUN. */
  status: number;
  /** Test result, usually in [0, 1]. */
  result: number;
  /** Algorithm name. */
  algorithm: string;
  /** Free text; may contain ":". */
  message: string;
}

/** One monitor element to write. */
export interface LegacyME {
  /** "Subsystem/folder/.../name": the subsystem, the folders below "Run summary", the ME name. */
  path: string;
  /** A histogram (any class `objects.ts` writes) or a scalar. */
  value: RootObject | ScalarME;
  /** Quality-test results, written as extra TObjString keys next to the ME. */
  qtests?: QTestResult[];
  /** Marks an efficiency plot: writes an `<name>e=1</name>` key. */
  efficiency?: boolean;
}

/** Options of {@link writeLegacyDqmFile}. */
export interface LegacyFileOptions {
  /** Run number, used in the "Run N" folder and the default file name. */
  run: number;
  /** The MEs, written in this order. */
  mes: LegacyME[];
  /** `"zlib"` (default) or `"none"`. */
  compression?: "zlib" | "none";
  /** zlib level 0–9 (default 1, as CMSSW writes). */
  level?: number;
  /** Name stored in the top key; default {@link legacyFileName}(run). */
  fileName?: string;
  /** Timestamp of every key (default 2024-01-01T00:00:00Z, for reproducible bytes). */
  datime?: Date;
}

/** ROOT's TObjString key title (TObject::GetTitle returns the class title). */
const TOBJSTRING_TITLE = "Collectable string class";
/** fBits of the TObjStrings CMSSW writes (stack objects: kNotDeleted only). */
const BITS_STACK = 0x02000000;
/** Characters that would break the `<name>...</name>` encoding of names (spec §6.7). */
const BAD_NAME = /[<>/]/;

/**
 * The conventional file name: `DQM_V0001_R<9-digit run>__<dataset parts>.root`.
 *
 * @param run run number
 * @param dataset "/Primary/Processed/Tier" (default "/Global/CMSSW_X_Y_Z/RECO")
 * @returns the file name
 */
export function legacyFileName(run: number, dataset = "/Global/CMSSW_X_Y_Z/RECO"): string {
  const parts = dataset.split("/").filter((p) => p !== "");
  return `DQM_V0001_R${String(run).padStart(9, "0")}__${parts.join("__")}.root`;
}

function checkName(name: string, what: string): void {
  if (name === "" || BAD_NAME.test(name)) {
    throw new TypeError(
      `Cannot write ${what} "${name}": names must be non-empty without <, > or /`,
    );
  }
}

/**
 * The key name of a scalar ME: `<name>i=…</name>`, `<name>f=<%.17g></name>`
 * or `<name>s=…</name>` (spec §3.1). Int values are written in full (CMSSW's
 * LegacyIOHelper would truncate them to 32 bits, spec §6.13).
 *
 * @param name ME name (last path segment)
 * @param s the scalar
 * @returns the key name, which is also the TObjString's value
 * @throws {TypeError} for a bad name or a non-integer Int
 *
 * @example
 * ```ts
 * import { scalarKeyName } from "./legacy.ts";
 *
 * if (scalarKeyName("reportSummary", { kind: "Float", value: 0.5 }) !==
 *   "<reportSummary>f=0.5</reportSummary>") throw new Error("bad encoding");
 * ```
 */
export function scalarKeyName(name: string, s: ScalarME): string {
  checkName(name, "scalar ME");
  let v: string;
  switch (s.kind) {
    case "Int":
      if (typeof s.value === "number" && !Number.isInteger(s.value)) {
        throw new TypeError(`Cannot write Int ME "${name}": ${s.value} is not an integer`);
      }
      v = `i=${s.value.toString()}`;
      break;
    case "Float":
      v = `f=${formatG17(s.value)}`;
      break;
    case "String":
      v = `s=${s.value}`;
      break;
  }
  return `<${name}>${v}</${name}>`;
}

/**
 * The key name of a quality-test result:
 * `<name.qtest>qr=st:<status>:<%.17g result>:<algorithm>:<message></name.qtest>`.
 *
 * @param meName ME name
 * @param q the result
 * @returns the key name
 */
export function qtestKeyName(meName: string, q: QTestResult): string {
  checkName(meName, "ME");
  checkName(q.name, "quality test");
  const tag = `${meName}.${q.name}`;
  const body = `qr=st:${q.status}:${formatG17(q.result)}:${q.algorithm}:${q.message}`;
  return `<${tag}>${body}</${tag}>`;
}

/**
 * The key name of an efficiency flag: `<name>e=1</name>`.
 *
 * @param meName ME name
 * @returns the key name
 */
export function efficiencyKeyName(meName: string): string {
  checkName(meName, "ME");
  return `<${meName}>e=1</${meName}>`;
}

function objString(text: string): TObjString {
  return { _typename: "TObjString", fUniqueID: 0, fBits: BITS_STACK, fString: text };
}

function isScalar(v: RootObject | ScalarME): v is ScalarME {
  return "kind" in v && !("_typename" in v);
}

/**
 * Writes a legacy DQM file holding `mes` for one run.
 *
 * @param opts run, MEs, compression and naming options
 * @returns the file bytes
 * @throws {TypeError} for a malformed ME path or name, or an unwritable object
 * @throws {RangeError} when the file would exceed the 32-bit format's 2 GB
 *
 * @example Write one histogram and two scalars
 * ```ts
 * import { makeTH1 } from "./histograms.ts";
 * import { writeLegacyDqmFile } from "./legacy.ts";
 *
 * const bytes = writeLegacyDqmFile({
 *   run: 123,
 *   mes: [
 *     { path: "Pixel/Tracks/ntracks", value: makeTH1("TH1F", { name: "ntracks", x: { nbins: 10, min: 0, max: 10 } }) },
 *     { path: "Pixel/EventInfo/iRun", value: { kind: "Int", value: 123 } },
 *     { path: "Pixel/EventInfo/hostName", value: { kind: "String", value: "dqm-01" } },
 *   ],
 * });
 * if (bytes.length < 1000) throw new Error("suspiciously small file");
 * ```
 */
export function writeLegacyDqmFile(opts: LegacyFileOptions): Uint8Array {
  const { run } = opts;
  if (!Number.isInteger(run) || run < 0) {
    throw new TypeError(`Cannot write legacy DQM file: run ${run} is not a non-negative integer`);
  }
  const f = new TFileWriter({
    fileName: opts.fileName ?? legacyFileName(run),
    compression: opts.compression,
    level: opts.level,
    datime: opts.datime,
  });
  const runDir = f.mkdir(f.mkdir(f.root, "DQMData"), `Run ${run}`);
  const folders = new Map<string, DirectoryHandle>();
  const folderOf = (parts: string[]): DirectoryHandle => {
    const key = parts.join("/");
    let dir = folders.get(key);
    if (dir) return dir;
    // "<Subsystem>/Run summary/<folders...>" (spec §3.1)
    dir = f.mkdir(f.mkdir(runDir, parts[0]!), "Run summary");
    for (const p of parts.slice(1)) dir = f.mkdir(dir, p);
    folders.set(key, dir);
    return dir;
  };
  for (const me of opts.mes) {
    const parts = me.path.split("/");
    if (parts.length < 2 || parts.some((p) => p === "")) {
      throw new TypeError(`Cannot write ME "${me.path}": expected "Subsystem/.../name"`);
    }
    const name = parts.pop()!;
    const dir = folderOf(parts);
    if (isScalar(me.value)) {
      const key = scalarKeyName(name, me.value);
      f.put(dir, objString(key), { name: key, title: TOBJSTRING_TITLE });
    } else {
      checkName(name, "ME");
      f.put(dir, me.value, { name });
    }
    if (me.efficiency) {
      const key = efficiencyKeyName(name);
      f.put(dir, objString(key), { name: key, title: TOBJSTRING_TITLE });
    }
    for (const q of me.qtests ?? []) {
      const key = qtestKeyName(name, q);
      f.put(dir, objString(key), { name: key, title: TOBJSTRING_TITLE });
    }
  }
  return f.close();
}
