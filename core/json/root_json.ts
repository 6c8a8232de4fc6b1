/**
 * @module
 * Decoded ROOT objects as JSON in ROOT's TBufferJSON conventions, which
 * JSROOT's `parse()` reads and draws: `_typename` on every object, ROOT
 * member names, bin arrays as plain arrays including under/overflow cells,
 * collections as `{_typename: "TList", name, arr, opt}`, and an object met a
 * second time written as `{"$ref": N}`, N being its index in a depth-first
 * numbering of all objects (JSROOT core.mjs `parse`). The original needed the
 * ROOT daemon for this (spec/render.md §4); here it is made from our decoder.
 *
 * This module is browser compatible.
 */

import type { RootObject } from "../root/models/types.ts";

/** JSON-ready value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | {
  [key: string]: JsonValue;
};

/** Bookkeeping members of an `UnknownObject` placeholder, which are not ROOT members. */
const INTERNAL = new Set(["_unknown", "version", "byteCount"]);

/**
 * Convert a decoded object to TBufferJSON-style JSON.
 *
 * @param object decoded object (from core/root)
 * @returns a plain JSON value; `JSON.stringify` it to send
 *
 * @example A TObjString
 * ```ts
 * import { toRootJson } from "./root_json.ts";
 * const json = toRootJson({ _typename: "TObjString", fUniqueID: 0, fBits: 0, fString: "42" });
 * if (JSON.stringify(json) !== '{"_typename":"TObjString","fUniqueID":0,"fBits":0,"fString":"42"}') throw new Error();
 * ```
 */
export function toRootJson(object: RootObject): JsonValue {
  const seen = new Map<object, number>();
  return convert(object, seen);
}

function convert(value: unknown, seen: Map<object, number>): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "number":
      // JSON has no NaN or infinities; TBufferJSON-produced files carry none either.
      return Number.isFinite(value) ? value : null;
    case "string":
    case "boolean":
      return value;
    case "bigint":
      return Number(value);
    case "object":
      break;
    default:
      return null;
  }
  if (ArrayBuffer.isView(value)) return numberArray(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map((v) => convert(v, seen));
  const ref = seen.get(value as object);
  if (ref !== undefined) return { $ref: ref };
  seen.set(value as object, seen.size);
  const out: { [key: string]: JsonValue } = {};
  const obj = value as Record<string, unknown>;
  if (typeof obj._typename === "string") out._typename = obj._typename;
  const placeholder = obj._unknown === true;
  for (const key of Object.keys(obj)) {
    if (key === "_typename" || (placeholder && INTERNAL.has(key))) continue;
    out[key] = convert(obj[key], seen);
  }
  return out;
}

function numberArray(a: ArrayLike<number>): number[] {
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    out[i] = Number.isFinite(v) ? v : (null as unknown as number);
  }
  return out;
}
