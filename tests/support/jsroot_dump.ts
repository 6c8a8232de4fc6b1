/**
 * @module
 * An independent reference reader built on JSROOT (the ROOT team's JavaScript
 * reader). {@link jsrootSummary} condenses a ROOT file into the JSON shape of
 * `../shared/testdata/expected/*.json`, which were produced by JSROOT 7.11.2,
 * so tests can compare our own reader (and our writer's output) with JSROOT on
 * any file.
 *
 * The rules, inferred from the expected files and checked against all of them
 * by `jsroot_dump_test.ts`:
 *
 * - `keys`: every key of the top directory in KeysList order, followed by the
 *   StreamerInfo key (JSROOT appends it to the top directory's `fKeys`); a
 *   directory key (`TDirectory*` class) is followed at once by its own keys,
 *   recursively. All cycles are listed.
 * - `objects`: one entry per key of a histogram class or `TObjString`, keyed
 *   `"path;cycle"`. Field order: `class, title, entries, x, ncells, sum,
 *   sumw2, first`, then `y` (2D and 3D), `z` (3D), then `binEntriesSum,
 *   errorMode` for profiles. Axis fields: `nbins, min, max`, then `edges`
 *   when the axis has variable bins, `labels` when it has alphanumeric labels,
 *   `title` when the axis title is non-empty.
 * - Numbers derived from bin data (`entries`, `sum`, `sumw2`, `first`,
 *   `edges`, `binEntriesSum`) are rounded to 12 significant digits
 *   (`Number(v.toPrecision(12))`); axis `min`/`max` are printed unrounded.
 */

import { openFile } from "jsroot/io";
import { version_id as JSROOT_VERSION } from "jsroot/core";

/** Summary of one axis. */
export interface AxisSummary {
  nbins: number;
  min: number;
  max: number;
  /** Bin edges, only for variable binning. */
  edges?: number[];
  /** `[bin, label]` pairs, only when the axis has alphanumeric labels. */
  labels?: [number, string][];
  /** Axis title, only when non-empty. */
  title?: string;
}

/** Summary of a histogram (any TH1/TH2/TH3/TProfile* class). */
export interface HistogramSummary {
  class: string;
  title: string;
  entries: number;
  x: AxisSummary;
  ncells: number;
  /** Sum of all cell contents, under- and overflow included. */
  sum: number;
  /** Sum of fSumw2 over all cells, null when fSumw2 is empty. */
  sumw2: number | null;
  /** The first 8 cell values. */
  first: number[];
  y?: AxisSummary;
  z?: AxisSummary;
  /** Profiles only: sum of fBinEntries. */
  binEntriesSum?: number;
  /** Profiles only: fErrorMode. */
  errorMode?: number;
}

/** Summary of a TObjString. */
export interface ObjStringSummary {
  class: "TObjString";
  value: string;
}

/** What JSROOT reads from one file: the shape of `testdata/expected/*.json`. */
export interface Summary {
  file: string;
  reader: string;
  /** TFile header fVersion (with the +1000000 of big files). */
  version: number;
  /** TFile header fCompress. */
  compression: number;
  /** `[path, cycle, class]` of every key, recursively, in key-list order. */
  keys: [string, number, string][];
  /** Keyed by `"path;cycle"`. */
  objects: Record<string, HistogramSummary | ObjStringSummary>;
}

// Loosely typed views of JSROOT's decoded objects (JSROOT ships no types for them).
// deno-lint-ignore no-explicit-any
type JsrootAny = any;

/** Number of significant digits kept for values derived from bin data. */
const SIGNIFICANT_DIGITS = 12;
/** How many leading cells the summary lists. */
const FIRST_CELLS = 8;

const HISTOGRAM_CLASS = /^(TH[123][CSILFD]?|TProfile(2D|3D)?)$/;

/** Rounds to {@link SIGNIFICANT_DIGITS} significant digits, the way the expected files do. */
function round(v: number): number {
  return Number(v.toPrecision(SIGNIFICANT_DIGITS));
}

function sumOf(arr: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < arr.length; i++) s += arr[i]!;
  return s;
}

function dimensionOf(className: string): number {
  if (className.startsWith("TH3") || className === "TProfile3D") return 3;
  if (className.startsWith("TH2") || className === "TProfile2D") return 2;
  return 1;
}

function axisSummary(axis: JsrootAny): AxisSummary {
  const out: AxisSummary = { nbins: axis.fNbins, min: axis.fXmin, max: axis.fXmax };
  if (axis.fXbins && axis.fXbins.length > 0) {
    out.edges = Array.from(axis.fXbins as ArrayLike<number>, round);
  }
  const labels = axis.fLabels?.arr as JsrootAny[] | undefined;
  if (labels && labels.length > 0) {
    out.labels = labels.map((l) => [l.fUniqueID, l.fString] as [number, string]);
  }
  if (axis.fTitle) out.title = axis.fTitle;
  return out;
}

/**
 * Summarises one histogram as the `objects` entries of the expected files do.
 * Works on JSROOT's decoded objects and on our own object shapes alike
 * (`core/root/models/types.ts`), since both use ROOT's member names.
 *
 * @param h a TH1/TH2/TH3/TProfile* object
 * @returns its summary
 */
export function histogramSummary(h: JsrootAny): HistogramSummary {
  const cls: string = h._typename;
  const out: HistogramSummary = {
    class: cls,
    title: h.fTitle,
    entries: round(h.fEntries),
    x: axisSummary(h.fXaxis),
    ncells: h.fNcells,
    sum: round(sumOf(h.fArray)),
    sumw2: h.fSumw2 && h.fSumw2.length > 0 ? round(sumOf(h.fSumw2)) : null,
    first: Array.from(h.fArray.slice(0, FIRST_CELLS) as ArrayLike<number>, round),
  };
  const dim = dimensionOf(cls);
  if (dim >= 2) out.y = axisSummary(h.fYaxis);
  if (dim >= 3) out.z = axisSummary(h.fZaxis);
  if (cls.startsWith("TProfile")) {
    out.binEntriesSum = round(sumOf(h.fBinEntries));
    out.errorMode = h.fErrorMode;
  }
  return out;
}

/** Appends `dir`'s keys (and, recursively, its subdirectories' keys) to `keys`. */
async function walk(
  file: JsrootAny,
  dirKeys: JsrootAny[],
  prefix: string,
  keys: [string, number, string][],
): Promise<void> {
  for (const key of dirKeys) {
    const path = prefix + key.fName;
    keys.push([path, key.fCycle, key.fClassName]);
    if (key.fClassName.startsWith("TDirectory")) {
      const dir = await file.readDirectory(path, key.fCycle);
      await walk(file, dir.fKeys, path + "/", keys);
    }
  }
}

/**
 * Reads a ROOT file with JSROOT and summarises it in the shape of
 * `testdata/expected/*.json`.
 *
 * @param bytes the whole file
 * @param fileName the name to put in the `file` field
 * @returns the summary: header fields, every key, and a summary of each histogram and TObjString
 */
export async function jsrootSummary(bytes: Uint8Array, fileName: string): Promise<Summary> {
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes.buffer
    : bytes.slice().buffer;
  const file = await openFile(buffer);
  const keys: [string, number, string][] = [];
  await walk(file, file.fKeys, "", keys);
  const objects: Summary["objects"] = {};
  for (const [path, cycle, cls] of keys) {
    if (cls === "TObjString") {
      const obj = await file.readObject(path, cycle);
      objects[`${path};${cycle}`] = { class: "TObjString", value: obj.fString };
    } else if (HISTOGRAM_CLASS.test(cls)) {
      objects[`${path};${cycle}`] = histogramSummary(await file.readObject(path, cycle));
    }
  }
  return {
    file: fileName,
    reader: `jsroot ${JSROOT_VERSION}`,
    version: file.fVersion,
    compression: file.fCompress,
    keys,
    objects,
  };
}

/**
 * Formats a summary exactly as the files in `testdata/expected/` are laid out
 * (one key per line, one object per line).
 *
 * @param s the summary
 * @returns the text, ending with a newline
 */
export function formatSummary(s: Summary): string {
  const head = `{\n"file": ${JSON.stringify(s.file)}, "reader": ${
    JSON.stringify(s.reader)
  }, "version": ${s.version}, "compression": ${s.compression},\n`;
  const keys = s.keys.map((k) => JSON.stringify(k)).join(",\n");
  const objects = Object.entries(s.objects)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(",\n");
  return `${head}"keys": [\n${keys}\n],\n"objects": {\n${objects}\n}}\n`;
}
