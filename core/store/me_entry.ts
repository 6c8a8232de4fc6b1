/**
 * @module
 * What an importer reports for one monitor element, the columnar form an
 * `MEList` keeps, and the checks both go through. Shared by the
 * list and its blob codec.
 *
 * This module is browser compatible.
 */

import { compareUtf8 } from "./compare_utf8.ts";

/** One quality-test result attached to an ME (CMSSW `dqm::qstatus` codes in `status`). */
export interface QTestResult {
  /** Quality-test name, e.g. "ContentsWithinExpected". */
  name: string;
  /** 30 OTHER, 50 DISABLED, 60 INVALID, 70 INSUF_STAT, 90 DID_NOT_RUN, 100 OK, 200 WARNING, 300 ERROR. */
  status: number;
  /** The test's numeric result. */
  result: number;
  /** Algorithm name. */
  algorithm: string;
  /** Human-readable message. */
  message: string;
}

/** One monitor element as an importer reports it. */
export interface MEEntry {
  /** Normalised ME path, "Subsystem/dir/name" (no leading slash). */
  path: string;
  /** ROOT class name ("TH1F", "TProfile2D", any class) or "Int" | "Float" | "String". */
  kind: string;
  /** Legacy: TKey offset; DQMIO: basket key offset; protobuf: message offset; 0 if none. */
  seek: number;
  /** DQMIO: entry start inside the decompressed basket; 0 otherwise. */
  offset: number;
  /** DQMIO/protobuf: byte length; -1 when unknown. */
  size: number;
  /** Scalar value as text, when known at import ("42", "0.98", "text"). */
  value?: string;
  /** The ME carries CMSSW's efficiency flag. */
  efficiency?: boolean;
  /** Attached quality-test results. */
  qtests?: QTestResult[];
}

/** Flag bit: the ME carries the efficiency flag. */
export const ME_FLAG_EFFICIENCY = 1;
/** Flag bit: the ME has a scalar value (`values` holds it). */
export const ME_FLAG_VALUE = 2;
/** Flag bit: the ME has quality-test results (`qtests` holds them). */
export const ME_FLAG_QTESTS = 4;
const KNOWN_FLAGS = ME_FLAG_EFFICIENCY | ME_FLAG_VALUE | ME_FLAG_QTESTS;

/** Most distinct kinds one list may hold (kinds are stored as u16 indices). */
export const MAX_KINDS = 0x10000;

/**
 * The columnar form of an ME list, shared with the blob codec. Arrays are
 * indexed by entry; `kinds` is the class-name table `kindIndex` points into.
 */
export interface MEColumns {
  /** Paths in strictly increasing UTF-8 byte order. */
  readonly paths: readonly string[];
  /** Distinct kind names. */
  readonly kinds: readonly string[];
  /** Per entry: index into `kinds`. */
  readonly kindIndex: Uint16Array;
  /** Per entry: seek. */
  readonly seek: Float64Array;
  /** Per entry: offset. */
  readonly offset: Float64Array;
  /** Per entry: size. */
  readonly size: Float64Array;
  /** Per entry: `ME_FLAG_*` bits. */
  readonly flags: Uint8Array;
  /** Scalar values by entry index (exactly the entries with `ME_FLAG_VALUE`). */
  readonly values: ReadonlyMap<number, string>;
  /** Quality tests by entry index (exactly the entries with `ME_FLAG_QTESTS`), sorted by name. */
  readonly qtests: ReadonlyMap<number, readonly QTestResult[]>;
}

/**
 * Why a path cannot be stored.
 *
 * @param path the candidate path
 * @returns the problem, or undefined if the path is acceptable
 */
export function pathProblem(path: unknown): string | undefined {
  if (typeof path !== "string") return `path is a ${typeof path}, not a string`;
  if (path === "") return "path is empty";
  if (path.includes("\n")) return "path contains a newline";
  if (path.includes("\0")) return "path contains NUL";
  if (!path.isWellFormed()) return "path contains a lone surrogate";
  return undefined;
}

/**
 * Check one importer entry.
 *
 * @param e the entry
 * @throws {TypeError} naming the path and the problem
 */
export function checkEntry(e: MEEntry): void {
  const where = () => `Cannot add ME ${JSON.stringify(e?.path)}`;
  const problem = e === null || typeof e !== "object"
    ? "entry is not an object"
    : pathProblem(e.path) ??
      entryFieldProblem(e);
  if (problem !== undefined) throw new TypeError(`${where()}: ${problem}`);
}

function entryFieldProblem(e: MEEntry): string | undefined {
  if (typeof e.kind !== "string" || e.kind === "" || !e.kind.isWellFormed()) {
    return "kind must be a non-empty string";
  }
  for (const field of ["seek", "offset", "size"] as const) {
    if (typeof e[field] !== "number" || !Number.isFinite(e[field])) {
      return `${field} must be a finite number`;
    }
  }
  if (e.value !== undefined && (typeof e.value !== "string" || !e.value.isWellFormed())) {
    return "value must be a well-formed string";
  }
  if (e.efficiency !== undefined && typeof e.efficiency !== "boolean") {
    return "efficiency must be a boolean";
  }
  if (e.qtests !== undefined) {
    if (!Array.isArray(e.qtests)) return "qtests must be an array";
    for (const q of e.qtests) {
      const problem = qtestProblem(q);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

/**
 * Why a quality-test result cannot be stored.
 *
 * @param q the result
 * @returns the problem, or undefined if it is acceptable
 */
export function qtestProblem(q: QTestResult): string | undefined {
  if (q === null || typeof q !== "object") return "qtest is not an object";
  for (const field of ["name", "algorithm", "message"] as const) {
    if (typeof q[field] !== "string" || !q[field].isWellFormed()) {
      return `qtest ${field} must be a well-formed string`;
    }
  }
  if (!Number.isInteger(q.status) || q.status !== (q.status | 0)) {
    return "qtest status must be a 32-bit integer";
  }
  if (typeof q.result !== "number") return "qtest result must be a number";
  return undefined;
}

/**
 * Turn checked, sorted, de-duplicated entries into columns.
 *
 * @param entries the entries
 * @returns fresh columns (kinds table in first-seen order)
 * @throws {TypeError} when there are more than {@linkcode MAX_KINDS} kinds
 */
export function toColumns(entries: readonly MEEntry[]): MEColumns {
  const n = entries.length;
  const kinds: string[] = [];
  const kindIds = new Map<string, number>();
  const c = {
    paths: new Array<string>(n),
    kinds,
    kindIndex: new Uint16Array(n),
    seek: new Float64Array(n),
    offset: new Float64Array(n),
    size: new Float64Array(n),
    flags: new Uint8Array(n),
    values: new Map<number, string>(),
    qtests: new Map<number, readonly QTestResult[]>(),
  };
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    c.paths[i] = e.path;
    let k = kindIds.get(e.kind);
    if (k === undefined) {
      if (kinds.length === MAX_KINDS) {
        throw new TypeError(
          `Cannot add ME ${JSON.stringify(e.path)}: more than ${MAX_KINDS} kinds`,
        );
      }
      k = kinds.push(e.kind) - 1;
      kindIds.set(e.kind, k);
    }
    c.kindIndex[i] = k;
    c.seek[i] = e.seek;
    c.offset[i] = e.offset;
    c.size[i] = e.size;
    let flags = e.efficiency ? ME_FLAG_EFFICIENCY : 0;
    if (e.value !== undefined) {
      flags |= ME_FLAG_VALUE;
      c.values.set(i, e.value);
    }
    if (e.qtests !== undefined && e.qtests.length > 0) {
      flags |= ME_FLAG_QTESTS;
      c.qtests.set(i, freezeQTests(e.qtests));
    }
    c.flags[i] = flags;
  }
  return c;
}

/**
 * Copy, sort by name (UTF-8 order) and freeze quality-test results.
 *
 * @param qtests the results
 * @returns a frozen sorted copy
 */
export function freezeQTests(qtests: readonly QTestResult[]): readonly QTestResult[] {
  const copy = qtests.map((q) =>
    Object.freeze({
      name: q.name,
      status: q.status,
      result: q.result,
      algorithm: q.algorithm,
      message: q.message,
    })
  );
  return Object.freeze(copy.sort((a, b) => compareUtf8(a.name, b.name)));
}

/**
 * One linear pass over decoded or hand-made columns.
 *
 * @param c the columns
 * @param cmp the comparison valid for these paths
 * @param pathsChecked the caller has already rejected newlines, NUL and lone
 *   surrogates for all paths at once (the decoder checks the whole text)
 * @returns the first problem found, or undefined
 */
export function checkColumns(
  c: MEColumns,
  cmp: (a: string, b: string) => number,
  pathsChecked: boolean,
): string | undefined {
  const n = c.paths.length;
  for (const col of ["kindIndex", "seek", "offset", "size", "flags"] as const) {
    if (c[col].length !== n) return `column ${col} has ${c[col].length} entries, expected ${n}`;
  }
  if (c.kinds.length > MAX_KINDS) return `too many kinds (${c.kinds.length})`;
  for (const k of c.kinds) if (typeof k !== "string" || k === "") return "a kind name is empty";
  const kinds = c.kinds.length;
  let values = 0;
  let qtests = 0;
  let prev = "";
  for (let i = 0; i < n; i++) {
    const p = c.paths[i]!;
    const problem = pathsChecked ? (p === "" ? "path is empty" : undefined) : pathProblem(p);
    if (problem !== undefined) return `entry ${i}: ${problem}`;
    if (i > 0 && cmp(prev, p) >= 0) {
      return `paths out of order at entry ${i} (${JSON.stringify(p)} after ${
        JSON.stringify(prev)
      })`;
    }
    prev = p;
    if (c.kindIndex[i]! >= kinds) return `entry ${i}: kind index ${c.kindIndex[i]} out of range`;
    if (
      !Number.isFinite(c.seek[i]) || !Number.isFinite(c.offset[i]) || !Number.isFinite(c.size[i])
    ) {
      return `entry ${i}: seek, offset and size must be finite`;
    }
    const f = c.flags[i]!;
    if (f === 0 || f === ME_FLAG_EFFICIENCY) continue;
    if ((f & ~KNOWN_FLAGS) !== 0) return `entry ${i}: unknown flag bits 0x${f.toString(16)}`;
    if ((f & ME_FLAG_VALUE) !== 0) {
      if (!c.values.has(i)) return `entry ${i}: value flag set but no value`;
      values++;
    }
    if ((f & ME_FLAG_QTESTS) !== 0) {
      if (!c.qtests.has(i)) return `entry ${i}: qtest flag set but no qtests`;
      qtests++;
    }
  }
  if (values !== c.values.size) return `${c.values.size - values} values without a value flag`;
  if (qtests !== c.qtests.size) return `${c.qtests.size - qtests} qtest lists without a qtest flag`;
  return undefined;
}
