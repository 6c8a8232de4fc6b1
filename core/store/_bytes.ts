/**
 * @module
 * Little-endian byte writer and bounds-checked reader for the ME list infos
 * payload. The reader throws `RangeError` on any read past the end, so a
 * truncated or corrupt payload fails fast instead of producing garbage.
 */

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder("utf-8", { fatal: true });

/** A growable little-endian byte writer. */
export class ByteWriter {
  #buf: Uint8Array;
  #view: DataView;
  #pos = 0;

  /** @param capacity initial capacity in bytes */
  constructor(capacity = 1024) {
    this.#buf = new Uint8Array(capacity);
    this.#view = new DataView(this.#buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#pos;
  }

  /** @returns a view of the written bytes */
  bytes(): Uint8Array {
    return this.#buf.subarray(0, this.#pos);
  }

  /** The DataView over the buffer; fetch it again after any write that may grow it. */
  get view(): DataView {
    return this.#view;
  }

  /**
   * Claim `n` bytes to fill through {@linkcode ByteWriter.view}.
   *
   * @param n byte count
   * @returns the position of the first claimed byte
   */
  reserve(n: number): number {
    return this.#reserve(n);
  }

  /** Make room for `n` more bytes; returns the write position. */
  #reserve(n: number): number {
    const at = this.#pos;
    if (at + n > this.#buf.length) {
      const grown = new Uint8Array(Math.max(this.#buf.length * 2, at + n));
      grown.set(this.#buf.subarray(0, at));
      this.#buf = grown;
      this.#view = new DataView(grown.buffer);
    }
    this.#pos = at + n;
    return at;
  }

  /** @param v byte */
  u8(v: number): void {
    this.#buf[this.#reserve(1)] = v;
  }

  /** @param v unsigned 16-bit */
  u16(v: number): void {
    this.#view.setUint16(this.#reserve(2), v, true);
  }

  /** @param v unsigned 32-bit */
  u32(v: number): void {
    this.#view.setUint32(this.#reserve(4), v, true);
  }

  /** @param v signed 32-bit */
  i32(v: number): void {
    this.#view.setInt32(this.#reserve(4), v, true);
  }

  /** @param v float64 */
  f64(v: number): void {
    this.#view.setFloat64(this.#reserve(8), v, true);
  }

  /** @param bytes raw bytes */
  raw(bytes: Uint8Array): void {
    this.#buf.set(bytes, this.#reserve(bytes.length));
  }

  /** Write a u32 byte length and the UTF-8 bytes of `s`. */
  str(s: string): void {
    const max = s.length * 3;
    const lenAt = this.#reserve(4 + max);
    const { written } = ENCODER.encodeInto(s, this.#buf.subarray(lenAt + 4, lenAt + 4 + max));
    this.#view.setUint32(lenAt, written, true);
    this.#pos = lenAt + 4 + written;
  }
}

/** A bounds-checked little-endian reader. */
export class ByteReader {
  readonly #buf: Uint8Array;
  readonly #view: DataView;
  readonly #what: string;
  #pos = 0;

  /**
   * @param buf the payload
   * @param what names the payload in error messages
   */
  constructor(buf: Uint8Array, what: string) {
    this.#buf = buf;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.#what = what;
  }

  /** Current position. */
  get pos(): number {
    return this.#pos;
  }

  /** Bytes left. */
  remaining(): number {
    return this.#buf.length - this.#pos;
  }

  /** Claim `n` bytes; returns their start. */
  take(n: number): number {
    const at = this.#pos;
    if (n > this.#buf.length - at) {
      throw new RangeError(
        `Cannot decode ${this.#what}: truncated at byte ${at} (need ${n} more, have ${
          this.#buf.length - at
        })`,
      );
    }
    this.#pos = at + n;
    return at;
  }

  /** @returns a byte */
  u8(): number {
    return this.#buf[this.take(1)]!;
  }

  /** @returns an unsigned 16-bit value */
  u16(): number {
    return this.#view.getUint16(this.take(2), true);
  }

  /** @returns an unsigned 32-bit value */
  u32(): number {
    return this.#view.getUint32(this.take(4), true);
  }

  /** @returns a signed 32-bit value */
  i32(): number {
    return this.#view.getInt32(this.take(4), true);
  }

  /** @returns a float64 */
  f64(): number {
    return this.#view.getFloat64(this.take(8), true);
  }

  /** @returns `n` bytes (a view) */
  raw(n: number): Uint8Array {
    const at = this.take(n);
    return this.#buf.subarray(at, at + n);
  }

  /** Read a u32 byte length and that many UTF-8 bytes. */
  str(): string {
    const n = this.u32();
    const at = this.take(n);
    try {
      return DECODER.decode(this.#buf.subarray(at, at + n));
    } catch (e) {
      throw new SyntaxError(`Cannot decode ${this.#what}: invalid UTF-8 in string at byte ${at}`, {
        cause: e,
      });
    }
  }

  /** The DataView over the payload, for column loops (use with `take`). */
  get view(): DataView {
    return this.#view;
  }
}
