/**
 * @module
 * TArray* and bulk reads of big-endian number arrays. TArrayC/S/I/L/F/D are
 * streamed without a version header: `i32 n` then n elements (TArrayF.cxx
 * `TArrayF::Streamer`; spec/formats.md §1.1).
 */

import type { Cursor } from "../cursor.ts";

/** Element kinds of ROOT's basic types, keyed by what the cursor reads. */
export type NumberKind =
  | "i8"
  | "u8"
  | "i16"
  | "u16"
  | "i32"
  | "u32"
  | "i64"
  | "u64"
  | "f32"
  | "f64"
  | "bool";

/** Bytes per element of each kind. */
export const NUMBER_SIZES: Readonly<Record<NumberKind, number>> = {
  i8: 1,
  u8: 1,
  bool: 1,
  i16: 2,
  u16: 2,
  i32: 4,
  u32: 4,
  f32: 4,
  i64: 8,
  u64: 8,
  f64: 8,
};

/** Typed-array results per kind (64-bit integers become Float64Array, exact to 2^53). */
export type NumberArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

/**
 * Read `n` big-endian numbers of one kind into a typed array.
 *
 * @param c cursor
 * @param kind element kind
 * @param n element count
 * @returns the values
 */
export function readNumbers(c: Cursor, kind: NumberKind, n: number): NumberArray {
  const size = NUMBER_SIZES[kind];
  if (!Number.isInteger(n) || n < 0) throw c.error("Cannot read array", `invalid length ${n}`);
  c.need(n * size, `array of ${n} ${kind}`);
  const v = c.view;
  let p = c.pos;
  c.pos += n * size;
  switch (kind) {
    case "u8":
    case "bool":
      return c.bytes.slice(p, p + n);
    case "i8":
      return new Int8Array(c.bytes.slice(p, p + n).buffer);
    case "i16": {
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++, p += 2) out[i] = v.getInt16(p);
      return out;
    }
    case "u16": {
      const out = new Uint16Array(n);
      for (let i = 0; i < n; i++, p += 2) out[i] = v.getUint16(p);
      return out;
    }
    case "i32": {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++, p += 4) out[i] = v.getInt32(p);
      return out;
    }
    case "u32": {
      const out = new Uint32Array(n);
      for (let i = 0; i < n; i++, p += 4) out[i] = v.getUint32(p);
      return out;
    }
    case "f32": {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++, p += 4) out[i] = v.getFloat32(p);
      return out;
    }
    case "f64": {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++, p += 8) out[i] = v.getFloat64(p);
      return out;
    }
    case "i64": {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++, p += 8) out[i] = v.getInt32(p) * 4294967296 + v.getUint32(p + 4);
      return out;
    }
    case "u64": {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++, p += 8) out[i] = v.getUint32(p) * 4294967296 + v.getUint32(p + 4);
      return out;
    }
  }
}

/** Element kind of each TArray class. */
export const TARRAY_KINDS: Record<string, NumberKind> = {
  TArrayC: "i8",
  TArrayS: "i16",
  TArrayI: "i32",
  TArrayL: "i64",
  TArrayL64: "i64",
  TArrayF: "f32",
  TArrayD: "f64",
};

/**
 * Read a headerless TArray: `i32 n` then n elements.
 *
 * @param c cursor
 * @param kind element kind
 * @returns the elements
 */
export function readTArray(c: Cursor, kind: NumberKind): NumberArray {
  const n = c.i32();
  if (n < 0) throw c.error("Cannot read TArray", `negative length ${n}`, c.pos - 4);
  return readNumbers(c, kind, n);
}
