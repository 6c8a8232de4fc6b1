/**
 * @module
 * The in-memory ME list of one sample: every monitor element an importer
 * found, sorted by path in UTF-8 byte order and held in columns (typed arrays
 * plus sparse maps), with binary search, prefix ranges and directory
 * listings that are computed per folder on first use and then remembered.
 *
 * Unlike the original's names blob (spec/api.md §4.2), quality-test results
 * and the efficiency flag are fields of their ME instead of extra `\0` lines,
 * so a path is exactly one ME.
 *
 * This module is browser compatible.
 */

import { compareNative, compareUtf8, hasHighUnits } from "./compare_utf8.ts";
import { FolderIndex, type FolderListing, nameOf } from "./_folder_index.ts";
import {
  checkColumns,
  checkEntry,
  ME_FLAG_EFFICIENCY,
  type MEColumns,
  type MEEntry,
  type QTestResult,
  toColumns,
} from "./me_entry.ts";

export { compareUtf8 } from "./compare_utf8.ts";
export type { FolderEntry, FolderListing } from "./_folder_index.ts";
export { folderKey } from "./_folder_index.ts";
export {
  MAX_KINDS,
  ME_FLAG_EFFICIENCY,
  ME_FLAG_QTESTS,
  ME_FLAG_VALUE,
  type MEColumns,
  type MEEntry,
  type QTestResult,
} from "./me_entry.ts";

const NO_QTESTS: readonly QTestResult[] = Object.freeze([]);

/** Quality-test levels a listing can be filtered by. */
export type QTLevel = "failing" | "error";

/** CMSSW dqm::qstatus: warning and error. */
const QT_WARNING = 200;
const QT_ERROR = 300;
const QT_LEVEL_STATUS: Record<QTLevel, number> = { failing: QT_WARNING, error: QT_ERROR };

/** Number of elements of a sorted array below `value`. */
function lowerIndex(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Entries sorted by path in UTF-8 order, one per path (the last given wins).
 * Without code units ≥ U+D800, UTF-16 order is UTF-8 order and the
 * comparator-free `sort()` does it twice as fast as a comparator.
 */
function sortUnique(input: readonly MEEntry[], high: boolean): MEEntry[] {
  const byPath = new Map<string, MEEntry>();
  for (const e of input) byPath.set(e.path, e);
  const paths = [...byPath.keys()];
  if (high) paths.sort(compareUtf8);
  else paths.sort();
  return paths.map((p) => byPath.get(p)!);
}

/**
 * The ME list of one sample, sorted by path in UTF-8 byte order.
 *
 * Duplicate paths: when an importer reports the same path twice, the entry
 * given later wins (a re-read ME replaces the earlier one), so every path
 * appears once. Quality tests of an ME are kept sorted by name.
 *
 * @example Look up and list
 * ```ts
 * import { MEList } from "./melist.ts";
 * const list = new MEList([
 *   { path: "Pixel/EventInfo/reportSummary", kind: "Float", seek: 0, offset: 0, size: -1, value: "0.98" },
 *   { path: "Pixel/Tracks/charge", kind: "TH1F", seek: 1000, offset: 0, size: -1 },
 *   { path: "Pixel/Tracks/sub/eta", kind: "TH1F", seek: 2000, offset: 0, size: -1 },
 * ]);
 * const i = list.indexOf("Pixel/Tracks/charge");
 * if (list.kind(i) !== "TH1F" || list.seek(i) !== 1000) throw new Error("lookup failed");
 * const { dirs, objects } = list.list("Pixel/Tracks");
 * if (dirs[0]?.name !== "sub" || dirs[0].count !== 1 || objects[0] !== i) throw new Error("list failed");
 * ```
 */
export class MEList {
  #paths: readonly string[] = [];
  #kinds: readonly string[] = [];
  #kindIndex: Uint16Array = new Uint16Array(0);
  #seek: Float64Array = new Float64Array(0);
  #offset: Float64Array = new Float64Array(0);
  #size: Float64Array = new Float64Array(0);
  #flags: Uint8Array = new Uint8Array(0);
  #values: ReadonlyMap<number, string> = new Map();
  #qtests: ReadonlyMap<number, readonly QTestResult[]> = new Map();
  #compare: (a: string, b: string) => number = compareNative;
  #index: FolderIndex | undefined;
  readonly #failing = new Map<QTLevel, Int32Array>();

  /**
   * Build a list from importer entries, in any order.
   *
   * @param entries the MEs; a later entry replaces an earlier one with the same path
   * @throws {TypeError} for a path that is empty, not well-formed UTF-16, or
   *   holds "\n" or NUL, and for non-finite numbers or a bad kind, value or qtest
   */
  constructor(entries: Iterable<MEEntry> = []) {
    const input = Array.isArray(entries) ? entries as readonly MEEntry[] : Array.from(entries);
    if (input.length === 0) return;
    let high = false;
    for (const e of input) {
      checkEntry(e);
      if (!high && hasHighUnits(e.path)) high = true;
    }
    const cmp = high ? compareUtf8 : compareNative;
    let ordered = true;
    for (let i = 1; i < input.length && ordered; i++) {
      ordered = cmp(input[i - 1]!.path, input[i]!.path) < 0;
    }
    this.#init(toColumns(ordered ? input : sortUnique(input, high)), cmp);
  }

  /**
   * Wrap columns that are already sorted and de-duplicated (the blob decoder
   * uses this to skip sorting). The arrays are taken over, not copied.
   *
   * @param columns the columns; checked in one linear pass
   * @param checked set by a caller that has already checked all paths at once
   *   (the decoder tests the whole names text): `highUnits` tells whether any
   *   path has a code unit ≥ U+D800, and per-path newline, NUL and surrogate
   *   checks are skipped
   * @returns the list
   * @throws {TypeError} when the columns are inconsistent or out of order
   */
  static fromColumns(columns: MEColumns, checked?: { highUnits: boolean }): MEList {
    const high = checked ? checked.highUnits : columns.paths.some(hasHighUnits);
    const cmp = high ? compareUtf8 : compareNative;
    const problem = checkColumns(columns, cmp, checked !== undefined);
    if (problem !== undefined) throw new TypeError(`Cannot build ME list: ${problem}`);
    const list = new MEList();
    list.#init(columns, cmp);
    return list;
  }

  #init(c: MEColumns, compare: (a: string, b: string) => number): void {
    this.#paths = c.paths;
    this.#kinds = c.kinds;
    this.#kindIndex = c.kindIndex;
    this.#seek = c.seek;
    this.#offset = c.offset;
    this.#size = c.size;
    this.#flags = c.flags;
    this.#values = c.values;
    this.#qtests = c.qtests;
    this.#compare = compare;
  }

  /** Number of MEs. */
  get count(): number {
    return this.#paths.length;
  }

  /**
   * The internal columns (no copy; do not modify), for the blob encoder.
   *
   * @returns the columns
   */
  columns(): MEColumns {
    return {
      paths: this.#paths,
      kinds: this.#kinds,
      kindIndex: this.#kindIndex,
      seek: this.#seek,
      offset: this.#offset,
      size: this.#size,
      flags: this.#flags,
      values: this.#values,
      qtests: this.#qtests,
    };
  }

  /**
   * The ME path.
   *
   * @param i entry index (RangeError when out of range)
   * @returns the ME path
   */
  path(i: number): string {
    return this.#paths[this.#check(i)]!;
  }

  /**
   * The ROOT class name or "Int" | "Float" | "String".
   *
   * @param i entry index (RangeError when out of range)
   * @returns the ROOT class name or "Int" | "Float" | "String"
   */
  kind(i: number): string {
    return this.#kinds[this.#kindIndex[this.#check(i)]!]!;
  }

  /**
   * The seek (see {@linkcode MEEntry.seek}).
   *
   * @param i entry index (RangeError when out of range)
   * @returns the seek (see {@linkcode MEEntry.seek})
   */
  seek(i: number): number {
    return this.#seek[this.#check(i)]!;
  }

  /**
   * The offset (see {@linkcode MEEntry.offset}).
   *
   * @param i entry index (RangeError when out of range)
   * @returns the offset (see {@linkcode MEEntry.offset})
   */
  offset(i: number): number {
    return this.#offset[this.#check(i)]!;
  }

  /**
   * The byte size, -1 when unknown.
   *
   * @param i entry index (RangeError when out of range)
   * @returns the byte size, -1 when unknown
   */
  size(i: number): number {
    return this.#size[this.#check(i)]!;
  }

  /**
   * The scalar value as text, if known.
   *
   * @param i entry index (RangeError when out of range)
   * @returns the scalar value as text, if known
   */
  value(i: number): string | undefined {
    return this.#values.get(this.#check(i));
  }

  /**
   * Whether the ME carries the efficiency flag.
   *
   * @param i entry index (RangeError when out of range)
   * @returns whether the ME carries the efficiency flag
   */
  efficiency(i: number): boolean {
    return (this.#flags[this.#check(i)]! & ME_FLAG_EFFICIENCY) !== 0;
  }

  /**
   * The quality-test results, sorted by name (frozen).
   *
   * @param i entry index (RangeError when out of range)
   * @returns the quality-test results, sorted by name (frozen)
   */
  qtests(i: number): readonly QTestResult[] {
    return this.#qtests.get(this.#check(i)) ?? NO_QTESTS;
  }

  /**
   * @param i entry index
   * @returns the ME name, the last segment of its path
   */
  name(i: number): string {
    return nameOf(this.#paths[this.#check(i)]!);
  }

  /**
   * All fields of one entry as a fresh object.
   *
   * @param i entry index
   * @returns the entry (optional fields only when set)
   */
  entry(i: number): MEEntry {
    const e: MEEntry = {
      path: this.path(i),
      kind: this.kind(i),
      seek: this.#seek[i]!,
      offset: this.#offset[i]!,
      size: this.#size[i]!,
    };
    const value = this.#values.get(i);
    if (value !== undefined) e.value = value;
    if (this.efficiency(i)) e.efficiency = true;
    const qtests = this.#qtests.get(i);
    if (qtests !== undefined) e.qtests = qtests.map((q) => ({ ...q }));
    return e;
  }

  /**
   * Find an ME by exact path (binary search in UTF-8 byte order).
   *
   * @param path the ME path
   * @returns its index, or -1 if absent
   */
  indexOf(path: string): number {
    const i = this.#lowerBound(path);
    return i < this.#paths.length && this.#paths[i] === path ? i : -1;
  }

  /**
   * The index range of all paths starting with `prefix` (a string prefix: use
   * "A/B/" to get the MEs below folder A/B).
   *
   * @param prefix the prefix; "" gives the whole list
   * @returns `[first, end)`; `first === end` when nothing matches
   */
  prefixRange(prefix: string): [number, number] {
    const paths = this.#paths;
    const first = this.#lowerBound(prefix);
    // Paths ≥ prefix that start with it come before all others ≥ prefix.
    let lo = first;
    let hi = paths.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (paths[mid]!.startsWith(prefix)) lo = mid + 1;
      else hi = mid;
    }
    return [first, lo];
  }

  /**
   * List one folder: its immediate sub-folders with the number of MEs below
   * each, and the MEs directly in it. The first listing of a folder walks
   * only its direct MEs and binary-searches over each sub-folder's block
   * (O(k + c log n)); later listings of it are a lookup. With a filter, the
   * MEs below the folder are scanned (the filter is a function, so its
   * results cannot be remembered here; cache listings by search upstream).
   *
   * @param folder "" for the root, or "A/B" with or without a trailing "/"
   * @param filter keeps MEs whose name (last path segment) it accepts; applies
   *   to the objects and to the sub-folder counts (sub-folders left with no ME are omitted)
   * @returns `dirs` and `objects` (entry indices), both in UTF-8 byte order of names
   */
  list(folder: string, filter?: (name: string, i: number) => boolean): FolderListing {
    return this.#folders().list(folder, filter);
  }

  /** Whether any ME carries a quality-test result. */
  get hasQTests(): boolean {
    return this.#qtests.size > 0;
  }

  /**
   * Whether an ME has a quality test at `level` or worse: "failing" is a
   * warning (status 200) or an error (300), "error" an error only.
   *
   * @param i entry index
   * @param level "failing" or "error"
   * @returns true when one of its results is that bad
   */
  isFailing(i: number, level: QTLevel): boolean {
    const qtests = this.#qtests.get(this.#check(i));
    if (qtests === undefined) return false;
    const min = QT_LEVEL_STATUS[level];
    return qtests.some((q) => q.status >= min && q.status <= QT_ERROR);
  }

  /**
   * How many MEs with index in `[first, end)` are failing at `level`, by
   * binary search in the sorted indices of failing MEs (made once per level).
   *
   * @param first first index of the range
   * @param end end of the range (exclusive)
   * @param level "failing" or "error"
   * @returns the count
   */
  failingIn(first: number, end: number, level: QTLevel): number {
    let sorted = this.#failing.get(level);
    if (sorted === undefined) {
      const found: number[] = [];
      for (const i of this.#qtests.keys()) if (this.isFailing(i, level)) found.push(i);
      sorted = Int32Array.from(found).sort();
      this.#failing.set(level, sorted);
    }
    return lowerIndex(sorted, end) - lowerIndex(sorted, first);
  }

  #folders(): FolderIndex {
    return this.#index ??= new FolderIndex(this.#paths, (prefix) => this.#lowerBound(prefix));
  }

  #lowerBound(path: string): number {
    const paths = this.#paths;
    const cmp = this.#compare;
    let lo = 0;
    let hi = paths.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(paths[mid]!, path) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #check(i: number): number {
    if (i >>> 0 !== i || i >= this.#paths.length) {
      throw new RangeError(
        `Cannot read ME list entry ${i}: index out of range (count ${this.#paths.length})`,
      );
    }
    return i;
  }
}
