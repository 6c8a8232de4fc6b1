/**
 * @module
 * The hot loops behind `RootBranch`: locating the values of an entry and
 * checking its length, decoding big-endian numbers into Float64Array or
 * BigInt arrays, and finding a string entry's bytes (spec/formats.md §1.1,
 * §2.4). Private to core/root.
 */

import { kByteCountMask } from "./cursor.ts";
import { NUMBER_SIZES, type NumberKind } from "./models/tarray.ts";

/** Element kinds of basic leaves (the cursor's number kinds). */
export type Kind = NumberKind;

/** Bytes per element of each kind. */
export const KIND_SIZE = NUMBER_SIZES;

/** A number codec, as `_leaf.ts` works it out. */
export interface NumberLayout {
  kind: Kind;
  /** Values per entry, or -1 when the count varies. */
  perEntry: number;
  /** Per-entry prefix: none, a 1-byte presence flag, or a vector's bc+version+count. */
  header: "none" | "flag" | "vector";
}

/**
 * Where the values of one entry are: `[start, count]` of its values in the
 * payload, after any per-entry header, checked against the entry's length.
 *
 * @param view the basket payload
 * @param start entry start (payload coordinates)
 * @param end entry end
 * @param codec the branch's number codec
 * @returns value start and value count, or an error text
 */
export function entryValues(
  view: DataView,
  start: number,
  end: number,
  codec: NumberLayout,
): [number, number] | string {
  const size = KIND_SIZE[codec.kind];
  let at = start;
  if (codec.header === "flag") {
    // A `T* //[n]` member: one "present" byte, then the values (none when 0).
    if (end === start) return [start, 0];
    at += 1;
  } else if (codec.header === "vector") {
    if (end - start < 10) return `entry of ${end - start} bytes is too short for a vector`;
    const bc = view.getUint32(start);
    const n = view.getInt32(start + 6);
    if (!(bc & kByteCountMask) || (bc & ~kByteCountMask) !== end - start - 4) {
      return `vector byte count 0x${bc.toString(16)} does not match the entry length ${
        end - start
      }`;
    }
    if (n < 0 || n * size !== end - start - 10) {
      return `vector of ${n} elements does not fill its ${end - start - 10} bytes`;
    }
    return [start + 10, n];
  }
  const bytes = end - at;
  if (bytes < 0 || bytes % size) {
    return `entry of ${end - start} bytes is not a whole number of ${size}-byte values`;
  }
  const n = bytes / size;
  if (codec.perEntry >= 0 && n !== codec.perEntry) {
    return `entry holds ${n} values, the leaf says ${codec.perEntry}`;
  }
  return [at, n];
}

/**
 * Decode `n` big-endian values of one kind into a Float64Array (64-bit
 * integers are exact up to 2^53). This is the hot loop of `readNumbers`;
 * DataView reads are what V8 compiles best here (see tools/bench/tree.ts).
 *
 * @param view the bytes
 * @param pos first byte
 * @param n number of values
 * @param kind element kind
 * @param out destination
 * @param at first index in `out`
 */
export function decodeInto(
  view: DataView,
  pos: number,
  n: number,
  kind: Kind,
  out: Float64Array,
  at: number,
): void {
  DECODERS[kind](view, pos, n, out, at);
}

type Decoder = (view: DataView, pos: number, n: number, out: Float64Array, at: number) => void;

/**
 * One loop per kind, each its own function so V8 keeps every loop
 * monomorphic (one switch around all of them ran 2-4x slower once several
 * kinds had been seen).
 */
const DECODERS: Record<Kind, Decoder> = {
  f64: (view, pos, n, out, at) => {
    for (let i = 0; i < n; i++) out[at + i] = view.getFloat64(pos + 8 * i);
  },
  f32: (view, pos, n, out, at) => {
    for (let i = 0; i < n; i++) out[at + i] = view.getFloat32(pos + 4 * i);
  },
  i32: (view, pos, n, out, at) => {
    for (let i = 0; i < n; i++) out[at + i] = view.getInt32(pos + 4 * i);
  },
  u32: (view, pos, n, out, at) => {
    for (let i = 0; i < n; i++) out[at + i] = view.getUint32(pos + 4 * i);
  },
  i64: (view, pos, n, out, at) => {
    for (let i = 0; i < n; i++) {
      const p = pos + 8 * i;
      out[at + i] = view.getInt32(p) * 4294967296 + view.getUint32(p + 4);
    }
  },
  u64: (view, pos, n, out, at) => {
    for (let i = 0; i < n; i++) {
      const p = pos + 8 * i;
      out[at + i] = view.getUint32(p) * 4294967296 + view.getUint32(p + 4);
    }
  },
  i16: (view, pos, n, out, at) => {
    for (let i = 0; i < n; i++) out[at + i] = view.getInt16(pos + 2 * i);
  },
  u16: (view, pos, n, out, at) => {
    for (let i = 0; i < n; i++) out[at + i] = view.getUint16(pos + 2 * i);
  },
  i8: (view, pos, n, out, at) => {
    for (let i = 0; i < n; i++) out[at + i] = view.getInt8(pos + i);
  },
  u8: (view, pos, n, out, at) => {
    for (let i = 0; i < n; i++) out[at + i] = view.getUint8(pos + i);
  },
  bool: (view, pos, n, out, at) => {
    for (let i = 0; i < n; i++) out[at + i] = view.getUint8(pos + i) ? 1 : 0;
  },
};

/**
 * Decode `n` integer values exactly, as BigInts.
 *
 * @param view the bytes
 * @param pos first byte
 * @param n number of values
 * @param kind an integer kind
 * @param out destination (BigInt64Array for signed kinds, BigUint64Array for unsigned)
 * @param at first index in `out`
 */
export function decodeBigInto(
  view: DataView,
  pos: number,
  n: number,
  kind: Kind,
  out: BigInt64Array | BigUint64Array,
  at: number,
): void {
  if (kind === "i64") {
    for (let i = 0; i < n; i++) out[at + i] = view.getBigInt64(pos + 8 * i);
  } else if (kind === "u64") {
    for (let i = 0; i < n; i++) out[at + i] = view.getBigUint64(pos + 8 * i);
  } else {
    const tmp = new Float64Array(n);
    decodeInto(view, pos, n, kind, tmp, 0);
    for (let i = 0; i < n; i++) out[at + i] = BigInt(tmp[i]!);
  }
}

/**
 * Decode a string entry: a TString (`u8 n`, or `0xFF` + `i32 n`, then n
 * bytes) that fills the entry exactly, optionally behind the 6-byte byte
 * count + version header `std::string` members carry.
 *
 * @param bytes the payload
 * @param view a DataView over it
 * @param start entry start
 * @param end entry end
 * @param header whether a bc+version header may precede the string
 * @returns the string's byte range `[from, to)`, or an error text
 */
export function stringRange(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  header: "none" | "optional",
): [number, number] | string {
  let at = start;
  if (header === "optional" && end - start >= 7) {
    const bc = view.getUint32(start);
    if (bc & kByteCountMask && (bc & ~kByteCountMask) === end - start - 4) at += 6;
  }
  if (at >= end) return `entry of ${end - start} bytes has no string length`;
  let n = bytes[at]!;
  at += 1;
  if (n === 255) {
    if (at + 4 > end) return "long string length is cut off";
    n = view.getInt32(at);
    at += 4;
  }
  if (n < 0 || at + n !== end) {
    return `string of ${n} bytes does not fill the entry (${end - at} bytes left)`;
  }
  return [at, end];
}
