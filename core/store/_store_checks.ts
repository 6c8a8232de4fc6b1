/**
 * @module
 * Argument checks and small SQL helpers of the store. Every check runs before
 * a transaction starts, so a malformed request writes nothing.
 */

import type { SampleKey, SampleRegistration, StoredMEList } from "./sample.ts";

/**
 * @param s the text to find
 * @returns a `%…%` LIKE pattern (use with `ESCAPE '\'`) matching `s` literally
 */
export function likeSubstring(s: string): string {
  return `%${String(s).replace(/[\\%_]/g, "\\$&")}%`;
}

/**
 * @param limit the caller's limit
 * @param fallback used when `limit` is undefined (-1 = none, for SQLite)
 * @returns the LIMIT value
 * @throws {TypeError} unless `limit` is an integer ≥ 0
 */
export function checkLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new TypeError(`Cannot search: limit must be an integer ≥ 0 (got ${limit})`);
  }
  return limit;
}

/**
 * @param e anything thrown
 * @returns its message
 */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function keyProblem(k: SampleKey): string | undefined {
  if (k === null || typeof k !== "object") return "not an object";
  if (typeof k.dataset !== "string" || k.dataset === "") {
    return "dataset must be a non-empty string";
  }
  if (!Number.isSafeInteger(k.run) || k.run < 0) return `run must be an integer ≥ 0 (got ${k.run})`;
  if (!Number.isSafeInteger(k.lumi) || k.lumi < 0) {
    return `lumi must be an integer ≥ 0 (got ${k.lumi})`;
  }
  return undefined;
}

/**
 * @param key a sample key
 * @param action the message prefix, e.g. "Cannot get sample"
 * @throws {TypeError} for an empty dataset or a run or lumi that is not an integer ≥ 0
 */
export function checkKey(key: SampleKey, action: string): void {
  const problem = keyProblem(key);
  if (problem !== undefined) throw new TypeError(`${action}: ${problem}`);
}

/**
 * @param s a registration
 * @param i its position in the batch, for the message
 * @throws {TypeError} for a bad key, an empty file or a non-integer format
 */
export function checkRegistration(s: SampleRegistration, i: number): void {
  const problem = keyProblem(s) ??
    (typeof s.file !== "string" || s.file === "" ? "file must be a non-empty string" : undefined) ??
    (Number.isSafeInteger(s.fileformat)
      ? undefined
      : `fileformat must be an integer (got ${s.fileformat})`);
  if (problem !== undefined) throw new TypeError(`Cannot register sample ${i}: ${problem}`);
}

/**
 * @param key `${run}:${lumi}`
 * @param list the encoded list
 * @param at the file, format and dataset it belongs to
 * @returns the parsed run and lumi with the list
 * @throws {TypeError} for a bad key, file, format, blob, hash or count
 */
export function checkList(
  key: string,
  list: StoredMEList,
  at: { file: string; fileformat: number; dataset: string },
): { run: number; lumi: number; list: StoredMEList } {
  const action = `Cannot save ME list "${key}" of "${at.file}"`;
  const m = /^(\d{1,15}):(\d{1,15})$/.exec(key);
  if (m === null) throw new TypeError(`${action}: key must be "run:lumi"`);
  const run = Number(m[1]);
  const lumi = Number(m[2]);
  checkKey({ dataset: at.dataset, run, lumi }, action);
  if (typeof at.file !== "string" || at.file === "") {
    throw new TypeError(`${action}: file must be a non-empty string`);
  }
  if (!Number.isSafeInteger(at.fileformat)) {
    throw new TypeError(`${action}: fileformat must be an integer`);
  }
  if (!(list?.names instanceof Uint8Array) || !(list.infos instanceof Uint8Array)) {
    throw new TypeError(`${action}: names and infos must be Uint8Arrays`);
  }
  if (typeof list.hash !== "string" || !/^[0-9a-f]{64}$/.test(list.hash)) {
    throw new TypeError(`${action}: hash must be 64 lowercase hex digits`);
  }
  if (!Number.isSafeInteger(list.count) || list.count < 0) {
    throw new TypeError(`${action}: count must be an integer ≥ 0`);
  }
  return { run, lumi, list };
}
