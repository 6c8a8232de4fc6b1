/**
 * @module
 * Byte sources with positioned reads. A `Source` knows nothing about ROOT: it
 * hands out byte ranges of a file or of a buffer. Everything above it reads
 * through `read(start, length)`, so a big file is never read whole.
 *
 * This is one of the few modules allowed to touch `Deno.*` (STYLE rule 5).
 */

/** Random-access bytes. */
export interface Source {
  /** Name used in error messages (the file path for files). */
  readonly name: string;
  /** Total size in bytes. */
  readonly size: number;
  /**
   * Read `length` bytes at `start`. Fewer bytes come back only at the end of the
   * source; a range starting beyond the end throws `RangeError`.
   */
  read(start: number, length: number): Promise<Uint8Array>;
  /** Release the underlying handle. Idempotent. */
  close(): void;
}

/**
 * A source over bytes held in memory.
 *
 * @example Read a slice
 * ```ts
 * import { MemorySource } from "./source.ts";
 * const src = new MemorySource(new Uint8Array([1, 2, 3, 4]), "mem");
 * const bytes = await src.read(1, 2);
 * if (bytes[0] !== 2 || bytes.length !== 2) throw new Error("bad read");
 * ```
 */
export class MemorySource implements Source {
  readonly name: string;
  readonly #bytes: Uint8Array;

  /**
   * @param bytes the whole content
   * @param name name for error messages
   */
  constructor(bytes: Uint8Array, name = "<memory>") {
    this.#bytes = bytes;
    this.name = name;
  }

  /** Size of the buffer. */
  get size(): number {
    return this.#bytes.length;
  }

  /** Returns a view (no copy) of the requested range, clamped at the end. */
  read(start: number, length: number): Promise<Uint8Array> {
    checkRange(this, start, length);
    return Promise.resolve(
      this.#bytes.subarray(start, Math.min(start + length, this.#bytes.length)),
    );
  }

  /** Nothing to release. */
  close(): void {}
}

/**
 * A source over a local file, read with positioned reads. Reads on one handle
 * are serialised (seek + read must not interleave); separate `FileSource`s may
 * read the same file concurrently.
 *
 * @example Open a file and read its first four bytes
 * ```ts ignore
 * import { FileSource } from "./source.ts";
 * const src = await FileSource.open("../shared/testdata/root-histos/TH2_5.root");
 * console.log(new TextDecoder().decode(await src.read(0, 4))); // "root"
 * src.close();
 * ```
 */
export class FileSource implements Source {
  readonly name: string;
  readonly size: number;
  /** Modification time in ms since the epoch, or 0 when unknown. */
  readonly mtime: number;
  #file: Deno.FsFile | null;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(file: Deno.FsFile, name: string, size: number, mtime: number) {
    // private: construction must go through the async open(), which stats the file.
    this.#file = file;
    this.name = name;
    this.size = size;
    this.mtime = mtime;
  }

  /**
   * Open a file for reading.
   *
   * @param path file path
   * @returns the source; close it when done
   */
  static async open(path: string): Promise<FileSource> {
    const file = await Deno.open(path, { read: true });
    try {
      const info = await file.stat();
      if (!info.isFile) throw new TypeError(`Cannot open "${path}": not a regular file`);
      return new FileSource(file, path, info.size, info.mtime?.getTime() ?? 0);
    } catch (error) {
      file.close();
      throw error;
    }
  }

  /** Read a range; concurrent calls queue on this handle. */
  read(start: number, length: number): Promise<Uint8Array> {
    checkRange(this, start, length);
    const run = this.#queue.then(() => this.#readNow(start, Math.min(length, this.size - start)));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #readNow(start: number, length: number): Promise<Uint8Array> {
    const file = this.#file;
    if (file === null) throw new TypeError(`Cannot read "${this.name}": source is closed`);
    const out = new Uint8Array(length);
    await file.seek(start, Deno.SeekMode.Start);
    let done = 0;
    while (done < length) {
      const n = await file.read(out.subarray(done));
      if (n === null || n === 0) break;
      done += n;
    }
    return done === length ? out : out.subarray(0, done);
  }

  /** Close the file handle. */
  close(): void {
    if (this.#file !== null) {
      this.#file.close();
      this.#file = null;
    }
  }
}

function checkRange(source: Source, start: number, length: number): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(length) || start < 0 || length < 0) {
    throw new RangeError(
      `Cannot read "${source.name}": invalid range (start ${start}, length ${length})`,
    );
  }
  if (start > source.size) {
    throw new RangeError(
      `Cannot read "${source.name}": offset ${start} is beyond the end of the file (size ${source.size})`,
    );
  }
}
