/**
 * @module
 * The buffer reader under every ROOT decoder. Big-endian by default (ROOT
 * writes every on-disk and TBufferFile number big-endian, spec/formats.md
 * §1.1); position is explicit and every read is bounds-checked, so a
 * truncated or corrupt buffer raises `RootFormatError` instead of reading
 * garbage.
 */

import { RootFormatError } from "./errors.ts";

/** ROOT's TBufferFile constants (TBufferFile.cxx; spec/formats.md appendix A). */
export const kByteCountMask = 0x40000000;
/** Marks a class reference in an object slot. */
export const kClassMask = 0x80000000;
/** A class name follows (first use of a class in this buffer). */
export const kNewClassTag = 0xffffffff;
/** Tags count from buffer start + 2 (TBufferIO::kMapOffset). */
export const kMapOffset = 2;
/** Bit in a version word: the collection was streamed member-wise. */
export const kStreamedMemberWise = 0x4000;

const DECODER = new TextDecoder("utf-8");
const LATIN1 = new TextDecoder("latin1");

/** What the cursor reports in its errors. */
export interface CursorContext {
  /** File name for messages. */
  filePath: string;
  /**
   * Absolute file offset of `bytes[0]`, when the bytes are a verbatim slice of
   * the file; -1 when they are decompressed (then `recordOffset` locates them).
   */
  fileOffset: number;
  /** File offset of the record (TKey) the bytes belong to, for messages. */
  recordOffset: number;
}

/**
 * A positioned big-endian reader over a byte buffer.
 *
 * `origin` is the position that `bytes[0]` had in the buffer ROOT originally
 * wrote: TBufferFile object and class tags count from there (for a TKey
 * payload that is the key start, so `origin = fKeyLen`, spec/formats.md §1.3).
 *
 * @example Read a big-endian u32 and a TString
 * ```ts
 * import { Cursor } from "./cursor.ts";
 * const c = new Cursor(new Uint8Array([0, 0, 1, 0, 2, 104, 105]));
 * if (c.u32() !== 256 || c.tstring() !== "hi") throw new Error("bad decode");
 * ```
 */
export class Cursor {
  /** The bytes being read. */
  readonly bytes: Uint8Array;
  /** DataView over `bytes`. */
  readonly view: DataView;
  /** Current read position, relative to `bytes[0]`. */
  pos: number;
  /** Position of `bytes[0]` in the writer's buffer (TBufferFile tags count from it). */
  origin: number;
  /** Location info for errors. */
  readonly context: CursorContext;
  /** Classes being decoded, outermost first (for error breadcrumbs). */
  readonly breadcrumbs: string[] = [];

  /**
   * @param bytes buffer to read
   * @param origin writer-buffer position of `bytes[0]`
   * @param context file name and offsets for error messages
   */
  constructor(bytes: Uint8Array, origin = 0, context: Partial<CursorContext> = {}) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = 0;
    this.origin = origin;
    this.context = { filePath: "", fileOffset: -1, recordOffset: -1, ...context };
  }

  /** Bytes left after the current position. */
  remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** Writer-buffer position of the current read position (for tags). */
  tagPos(): number {
    return this.origin + this.pos;
  }

  /**
   * Build a `RootFormatError` located at `at` (default: the current position).
   *
   * @param action what was being attempted
   * @param evidence what was found
   * @param at buffer position of the problem
   * @returns the error, for the caller to throw
   */
  error(action: string, evidence: string, at = this.pos): RootFormatError {
    const { filePath, fileOffset, recordOffset } = this.context;
    const offset = fileOffset >= 0 ? fileOffset + at : recordOffset;
    const where = fileOffset < 0 && recordOffset >= 0 ? ` (payload byte ${at} of the record)` : "";
    return new RootFormatError(action, evidence + where, {
      filePath,
      offset,
      breadcrumbs: [...this.breadcrumbs],
    });
  }

  /**
   * Throw unless `n` more bytes are available.
   *
   * @param n bytes needed
   * @param what what is about to be read, for the message
   */
  need(n: number, what = "data"): void {
    if (n < 0 || this.pos + n > this.bytes.length) {
      throw this.error(
        `Cannot read ${what}`,
        `buffer ends after ${this.remaining()} bytes, ${n} needed`,
      );
    }
  }

  /** Move to an absolute buffer position. */
  seek(pos: number): void {
    if (pos < 0 || pos > this.bytes.length) {
      throw this.error(
        "Cannot seek",
        `position ${pos} is outside the buffer (length ${this.bytes.length})`,
      );
    }
    this.pos = pos;
  }

  /** Skip `n` bytes. */
  skip(n: number): void {
    this.need(n, `${n} bytes to skip`);
    this.pos += n;
  }

  /** Unsigned byte. */
  u8(): number {
    this.need(1, "u8");
    return this.bytes[this.pos++]!;
  }

  /** Signed byte. */
  i8(): number {
    this.need(1, "i8");
    return this.view.getInt8(this.pos++);
  }

  /** Big-endian u16. */
  u16(): number {
    this.need(2, "u16");
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  /** Big-endian i16. */
  i16(): number {
    this.need(2, "i16");
    const v = this.view.getInt16(this.pos);
    this.pos += 2;
    return v;
  }

  /** Big-endian u32. */
  u32(): number {
    this.need(4, "u32");
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  /** Big-endian i32. */
  i32(): number {
    this.need(4, "i32");
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }

  /** Little-endian u32 (compression headers, protobuf side formats). */
  u32le(): number {
    this.need(4, "u32le");
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Big-endian i64 as a JS number (exact up to 2^53; ROOT seeks and counts fit). */
  i64(): number {
    this.need(8, "i64");
    const hi = this.view.getInt32(this.pos);
    const lo = this.view.getUint32(this.pos + 4);
    this.pos += 8;
    return hi * 4294967296 + lo;
  }

  /** Big-endian u64 as a JS number (exact up to 2^53). */
  u64(): number {
    this.need(8, "u64");
    const hi = this.view.getUint32(this.pos);
    const lo = this.view.getUint32(this.pos + 4);
    this.pos += 8;
    return hi * 4294967296 + lo;
  }

  /** Big-endian i64 as a BigInt (exact). */
  i64big(): bigint {
    this.need(8, "i64");
    const v = this.view.getBigInt64(this.pos);
    this.pos += 8;
    return v;
  }

  /** Big-endian IEEE float. */
  f32(): number {
    this.need(4, "f32");
    const v = this.view.getFloat32(this.pos);
    this.pos += 4;
    return v;
  }

  /** Big-endian IEEE double. */
  f64(): number {
    this.need(8, "f64");
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }

  /** A view of the next `n` bytes (no copy). */
  bytesView(n: number): Uint8Array {
    this.need(n, `${n} bytes`);
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /**
   * TString / std::string: `u8 n`, or `0xFF` then `i32 n`, then n bytes
   * (TBufferFile::ReadTString; spec/formats.md §1.1). Decoded as UTF-8 with a
   * Latin-1 fallback, since old files carry 8-bit titles.
   */
  tstring(): string {
    let n = this.u8();
    if (n === 255) {
      n = this.i32();
      if (n < 0) throw this.error("Cannot read string", `negative length ${n}`, this.pos - 4);
    }
    this.need(n, `string of ${n} bytes`);
    const raw = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return decodeText(raw);
  }

  /** A NUL-terminated string (class names after kNewClassTag). */
  cstring(maxLength = 1024): string {
    const start = this.pos;
    const end = this.bytes.indexOf(0, start);
    if (end < 0 || end - start > maxLength) {
      throw this.error("Cannot read class name", "no NUL terminator found", start);
    }
    this.pos = end + 1;
    return LATIN1.decode(this.bytes.subarray(start, end));
  }

  /**
   * A class version header (TBufferFile::ReadVersion): either a byte count
   * word with kByteCountMask set followed by `u16 version`, or a bare `u16`
   * (the cursor rewinds when the byte-count bit is absent).
   *
   * @returns the version, the byte count (0 if absent) and the position where
   *   the byte-counted region starts (after the count word)
   */
  version(): VersionHeader {
    const start = this.pos;
    this.need(2, "class version");
    let byteCount = 0;
    if (this.remaining() >= 6) {
      const word = this.view.getUint32(this.pos);
      if (word & kByteCountMask && !(word & kClassMask)) {
        byteCount = word & ~kByteCountMask;
        this.pos += 4;
      }
    }
    const version = this.u16();
    return { version, byteCount, start, countedFrom: byteCount ? start + 4 : start };
  }

  /**
   * Check that the object whose header is `header` ended where its byte count
   * says. On mismatch, throw (strict) or resync to the declared end and return
   * a warning (lenient; STYLE rule 19).
   *
   * @param header the header returned by `version()`
   * @param className class being decoded, for the message
   * @param strict throw instead of resyncing
   * @returns a warning string when a resync happened, else null
   */
  checkByteCount(header: VersionHeader, className: string, strict = false): string | null {
    if (!header.byteCount) return null;
    const end = header.countedFrom + header.byteCount;
    if (this.pos === end) return null;
    const what = `"${className}" v${header.version}`;
    const evidence = `byte count mismatch (expected ${header.byteCount}, read ${
      this.pos - header.countedFrom
    })`;
    if (strict || end > this.bytes.length || end < header.countedFrom) {
      throw this.error(`Cannot decode ${what}`, evidence, header.start);
    }
    this.pos = end;
    return `${what} at byte ${header.start}: ${evidence}, resynchronised`;
  }
}

/** Result of `Cursor.version()`. */
export interface VersionHeader {
  /** Class version. */
  version: number;
  /** Byte count of what follows the count word (0 when the header is bare). */
  byteCount: number;
  /** Buffer position of the header. */
  start: number;
  /** Buffer position the byte count counts from. */
  countedFrom: number;
}

/**
 * Decode bytes as UTF-8, falling back to Latin-1 when they are not valid UTF-8
 * (ROOT 5 files carry 8-bit titles such as "°").
 *
 * @param raw bytes
 * @returns the string
 */
export function decodeText(raw: Uint8Array): string {
  const n = raw.length;
  let ascii = true;
  for (let i = 0; i < n; i++) {
    if (raw[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    // Key names and titles are short: building the string directly is several
    // times faster than a TextDecoder call per string.
    if (n <= SHORT_STRING) return String.fromCharCode.apply(null, raw as unknown as number[]);
    return LATIN1.decode(raw);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    return LATIN1.decode(raw);
  }
}

/** Longest string built with String.fromCharCode (argument-count limits stay far away). */
const SHORT_STRING = 256;

export { DECODER as UTF8_DECODER };
