/**
 * @module
 * Argument checks and small SQL helpers of the store. Every check runs before
 * a transaction starts, so a malformed request writes nothing.
 */

import type { SampleKey, SampleRegistration, StoredMEList } from "./sample.ts";

/** `%…%` LIKE pattern matching `s` literally (backslash escapes `\`, `%`, `_`). */
export function likeSubstring(s: string): string {
  return `%${String(s).replace(/[\\%_]/g, "\\$&")}%`;
}

export function checkLimit(limit: number | undefined, fallback: number): number {
  const l = limit ?? fallback;
  if (!Number.isSafeInteger(l) || l < -1) {
    throw new TypeError(`Cannot search: limit must be an integer ≥ 0 (got ${l})`);
  }
  return l;
}

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

export function checkKey(key: SampleKey, action: string): void {
  const problem = keyProblem(key);
  if (problem !== undefined) throw new TypeError(`${action}: ${problem}`);
}

export function checkRegistration(s: SampleRegistration, i: number): void {
  const problem = keyProblem(s) ??
    (typeof s.file !== "string" || s.file === "" ? "file must be a non-empty string" : undefined) ??
    (Number.isSafeInteger(s.fileformat)
      ? undefined
      : `fileformat must be an integer (got ${s.fileformat})`);
  if (problem !== undefined) throw new TypeError(`Cannot register sample ${i}: ${problem}`);
}

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
