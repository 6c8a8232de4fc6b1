/**
 * @module
 * A big-endian growable byte buffer that writes ROOT's TBufferFile framing:
 * byte counts, class versions, class tags and class back-references
 * (spec `formats.md` §1.1 and §1.8).
 *
 * One writer produces one ROOT record (key header + object) or one bare
 * object. Positions used for class tags count from the start of the buffer
 * plus an optional `origin`, which is how ROOT numbers them: a key payload's
 * tags count from the start of the key header (§1.3 "Position base").
 *
 * This module is browser compatible.
 */

/** Marks a word as a byte count (ROOT `kByteCountMask`, spec §1.8). */
export const kByteCountMask = 0x40000000;
/** Marks a word as a reference to an already written class (ROOT `kClassMask`). */
export const kClassMask = 0x80000000;
/** Announces a class name written in full (ROOT `kNewClassTag`). */
export const kNewClassTag = 0xffffffff;
/** Added to buffer offsets so that 0 stays the null tag (ROOT `kMapOffset`). */
export const kMapOffset = 2;
/** TObject `kIsReferenced`: when set, TObject::Streamer appends a u16 pid (spec §1.9.1). */
export const kIsReferenced = 0x10;
/** Largest byte count that fits beside `kByteCountMask` (30 bits). */
const MAX_BYTE_COUNT = 0x3fffffff;
/** TString lengths from 255 up use the long form (spec §1.1). */
const TSTRING_LONG_FORM = 255;
const INITIAL_CAPACITY = 4096;

const encoder = new TextEncoder();

/** UTF-8 length of `s`, or -1 when it is plain ASCII (then it is `s.length`). */
function nonAsciiLength(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) return encoder.encode(s).length;
  }
  return -1;
}

/**
 * Number of bytes `s` takes as a TString (length prefix included).
 *
 * @param s the string
 * @returns its size in a TBufferFile
 */
export function tstringSize(s: string): number {
  const utf8 = nonAsciiLength(s);
  const n = utf8 < 0 ? s.length : utf8;
  return n < TSTRING_LONG_FORM ? 1 + n : 5 + n;
}

/**
 * Writes big-endian primitives and TBufferFile framing into a growing buffer.
 *
 * @example Frame a TObjString by hand
 * ```ts
 * import { TBufferWriter } from "./tbuffer_writer.ts";
 *
 * const w = new TBufferWriter();
 * w.objectSlot("TObjString", () => {
 *   const start = w.startVersion(1);
 *   w.u16(1).u32(0).u32(0); // bare TObject
 *   w.tstring("hello");
 *   w.endVersion(start);
 * });
 * const bytes = w.finish();
 * if (bytes[4] !== 0xff) throw new Error("expected a new class tag");
 * ```
 */
export class TBufferWriter {
  #buf: Uint8Array;
  #view: DataView;
  #pos = 0;
  #origin: number;
  #classTags = new Map<string, number>();
  #everTagged = new Set<string>();

  /**
   * @param origin position of this buffer's first byte in ROOT's numbering of
   *   class tags (0 when the key header is written into the same buffer)
   * @param capacity initial capacity in bytes
   */
  constructor(origin = 0, capacity = INITIAL_CAPACITY) {
    this.#origin = origin;
    this.#buf = new Uint8Array(capacity);
    this.#view = new DataView(this.#buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#pos;
  }

  /** Every class name written in a class tag since construction (kept across {@link reset}). */
  get taggedClasses(): ReadonlySet<string> {
    return this.#everTagged;
  }

  /**
   * Forgets everything written, keeping the allocated memory.
   *
   * @param origin the new tag origin
   * @returns this writer
   */
  reset(origin = 0): this {
    this.#pos = 0;
    this.#origin = origin;
    this.#classTags.clear();
    return this;
  }

  /**
   * Forgets the classes tagged so far but keeps the bytes, as
   * `TBuffer::ResetMap` does before each entry a TBranch fills: every
   * basket entry starts its own class map (ROOT `TBranch::FillImpl`).
   *
   * @returns how many classes the map held (ROOT's `GetMapCount` test)
   */
  resetClassMap(): number {
    const n = this.#classTags.size;
    this.#classTags.clear();
    return n;
  }

  #ensure(n: number): void {
    const need = this.#pos + n;
    if (need <= this.#buf.length) return;
    let cap = this.#buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(0, this.#pos));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  /**
   * Writes an unsigned byte.
   *
   * @param v the value
   * @returns this writer
   */
  u8(v: number): this {
    this.#ensure(1);
    this.#buf[this.#pos++] = v;
    return this;
  }

  /**
   * Writes a big-endian u16.
   *
   * @param v the value
   * @returns this writer
   */
  u16(v: number): this {
    this.#ensure(2);
    this.#view.setUint16(this.#pos, v);
    this.#pos += 2;
    return this;
  }

  /**
   * Writes a big-endian i16.
   *
   * @param v the value
   * @returns this writer
   */
  i16(v: number): this {
    this.#ensure(2);
    this.#view.setInt16(this.#pos, v);
    this.#pos += 2;
    return this;
  }

  /**
   * Writes a big-endian u32.
   *
   * @param v the value
   * @returns this writer
   */
  u32(v: number): this {
    this.#ensure(4);
    this.#view.setUint32(this.#pos, v >>> 0);
    this.#pos += 4;
    return this;
  }

  /**
   * Writes a big-endian i32.
   *
   * @param v the value
   * @returns this writer
   */
  i32(v: number): this {
    this.#ensure(4);
    this.#view.setInt32(this.#pos, v);
    this.#pos += 4;
    return this;
  }

  /**
   * Writes a big-endian i64.
   *
   * @param v the value
   * @returns this writer
   */
  i64(v: number | bigint): this {
    this.#ensure(8);
    this.#view.setBigInt64(this.#pos, BigInt(v));
    this.#pos += 8;
    return this;
  }

  /**
   * Writes a big-endian f32.
   *
   * @param v the value
   * @returns this writer
   */
  f32(v: number): this {
    this.#ensure(4);
    this.#view.setFloat32(this.#pos, v);
    this.#pos += 4;
    return this;
  }

  /**
   * Writes a big-endian f64.
   *
   * @param v the value
   * @returns this writer
   */
  f64(v: number): this {
    this.#ensure(8);
    this.#view.setFloat64(this.#pos, v);
    this.#pos += 8;
    return this;
  }

  /**
   * Copies raw bytes.
   *
   * @param b the bytes
   * @returns this writer
   */
  bytes(b: Uint8Array): this {
    this.#ensure(b.length);
    this.#buf.set(b, this.#pos);
    this.#pos += b.length;
    return this;
  }

  /**
   * Writes a TString: u8 length, or 255 then an i32 length, then the UTF-8
   * bytes (spec §1.1).
   *
   * @param s the string
   * @returns this writer
   */
  tstring(s: string): this {
    const utf8 = nonAsciiLength(s);
    const n = utf8 < 0 ? s.length : utf8;
    if (n < TSTRING_LONG_FORM) this.u8(n);
    else this.u8(TSTRING_LONG_FORM).i32(n);
    if (utf8 >= 0) return this.bytes(encoder.encode(s));
    // Plain ASCII (nearly every ROOT name): copy the code units, no encoder call.
    this.#ensure(n);
    const buf = this.#buf;
    let p = this.#pos;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.#pos = p;
    return this;
  }

  /**
   * Writes numbers as a big-endian array of one element type, without any
   * length prefix (ROOT `WriteFastArray`).
   *
   * @param kind element type
   * @param values the values; integer kinds truncate towards zero
   * @returns this writer
   */
  array(kind: "f32" | "f64" | "i8" | "i16" | "i32", values: ArrayLike<number>): this {
    const size = kind === "f64" ? 8 : kind === "i8" ? 1 : kind === "i16" ? 2 : 4;
    const n = values.length;
    this.#ensure(n * size);
    const v = this.#view;
    let p = this.#pos;
    switch (kind) {
      case "f64":
        for (let i = 0; i < n; i++, p += 8) v.setFloat64(p, values[i]!);
        break;
      case "f32":
        for (let i = 0; i < n; i++, p += 4) v.setFloat32(p, values[i]!);
        break;
      case "i32":
        for (let i = 0; i < n; i++, p += 4) v.setInt32(p, values[i]!);
        break;
      case "i16":
        for (let i = 0; i < n; i++, p += 2) v.setInt16(p, values[i]!);
        break;
      case "i8":
        for (let i = 0; i < n; i++, p += 1) v.setInt8(p, values[i]!);
        break;
    }
    this.#pos = p;
    return this;
  }

  /**
   * Starts a versioned block: reserves the byte-count word and writes the
   * u16 class version (ROOT `WriteVersion(cl, kTRUE)`, spec §1.8).
   *
   * @param version class version
   * @returns the position to pass to {@link endVersion}
   */
  startVersion(version: number): number {
    const start = this.#pos;
    this.u32(0).u16(version);
    return start;
  }

  /**
   * Fills in the byte count reserved at `start`: the number of bytes after
   * the byte-count word, or'ed with `kByteCountMask` (ROOT `SetByteCount`).
   *
   * @param start the value returned by {@link startVersion} or {@link objectSlot}
   */
  endVersion(start: number): void {
    const count = this.#pos - start - 4;
    if (count > MAX_BYTE_COUNT) {
      throw new RangeError(
        `Cannot write byte count at offset ${start}: ${count} bytes exceed the 30-bit limit`,
      );
    }
    this.#view.setUint32(start, (count | kByteCountMask) >>> 0);
  }

  /**
   * Writes a class-versioned block: byte count, version, then `body`.
   *
   * @param version class version
   * @param body writes the members
   * @returns this writer
   */
  versioned(version: number, body: () => void): this {
    const start = this.startVersion(version);
    body();
    this.endVersion(start);
    return this;
  }

  /**
   * Writes the class part of an object slot: the full name after
   * `kNewClassTag` the first time, a `kClassMask` back-reference after that
   * (ROOT `TBufferFile::WriteClass`).
   *
   * @param className ROOT class name
   * @returns this writer
   */
  classTag(className: string): this {
    const known = this.#classTags.get(className);
    if (known !== undefined) return this.u32((known | kClassMask) >>> 0);
    // The class is registered at the tag word's position + kMapOffset (spec §1.8).
    this.#classTags.set(className, this.#origin + this.#pos + kMapOffset);
    this.#everTagged.add(className);
    this.u32(kNewClassTag);
    this.bytes(encoder.encode(className));
    return this.u8(0); // class names are NUL-terminated (spec §1.1)
  }

  /**
   * Writes an object slot as `WriteObjectAny` does: byte count, class tag,
   * then the object's own streamer output (spec §1.8). `null` writes the
   * null tag.
   *
   * @param className ROOT class name, or null for a null pointer
   * @param body writes the object (usually starting with its own version)
   * @returns this writer
   */
  objectSlot(className: string | null, body?: () => void): this {
    if (className === null) return this.u32(0);
    const start = this.#pos;
    this.u32(0);
    this.classTag(className);
    body?.();
    this.endVersion(start);
    return this;
  }

  /**
   * Overwrites a big-endian i32 at an earlier position.
   *
   * @param pos byte position
   * @param v value
   */
  patchI32(pos: number, v: number): void {
    this.#view.setInt32(pos, v);
  }

  /** @returns a view of the bytes written so far (valid until the next write) */
  view(): Uint8Array {
    return this.#buf.subarray(0, this.#pos);
  }

  /** @returns a copy of the bytes written so far */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#pos);
  }
}
