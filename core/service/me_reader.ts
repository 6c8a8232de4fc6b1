/**
 * @module
 * Reading one monitor element's object from its file at render or JSON time.
 * Keeps recently used files open (their header and streamer infos parsed
 * once), re-opens a file that changed on disk, and caches decompressed
 * payloads in a byte-bounded LRU so a plot drawn again does not touch the
 * disk or inflate anything.
 */

import { ByteLRU } from "../cache/mod.ts";
import type { TKey } from "../root/directory.ts";
import { decodeObject, RootFile } from "../root/file.ts";
import type { RootObject } from "../root/models/types.ts";
import { FileSource } from "../root/source.ts";
import type { RootTree } from "../root/tree.ts";
import { openTypeTree } from "../importers/dqm_io.ts";
import { gunzipSnapshot, readPbHisto } from "../importers/protobuf.ts";
import { ObjectReader } from "../root/buffer.ts";
import { Cursor } from "../root/cursor.ts";
import { RootFormatError } from "../root/errors.ts";
import { classResolver } from "../root/models/mod.ts";
import { StreamerSet } from "../root/streamers.ts";

/** Protobuf snapshots carry no streamer infos: objects are at ROOT 6's class versions. */
const NO_STREAMERS = new StreamerSet([]);

/** A stored object as its file holds it: the decompressed key payload. */
export interface RawObject {
  /** The key's class, e.g. "TH1F". */
  className: string;
  /** Decompressed payload (the object body, starting with its version header). */
  payload: Uint8Array;
  /**
   * Writer-buffer position of payload byte 0: TBufferFile tags in the payload
   * count from there (fKeyLen for a key payload; basket fKeyLen + entry offset
   * for a DQMIO object).
   */
  origin: number;
  /** The file's streamer infos. */
  streamers: StreamerSet;
  /** The file, for messages. */
  filePath: string;
}

interface OpenFile {
  file: RootFile;
  /** DQMIO type trees, opened on first use. */
  trees: Map<number, Promise<RootTree>>;
  mtime: number;
  size: number;
  checkedAt: number;
  users: number;
  closing: boolean;
}

/** Options of `MEReader`. */
export interface MEReaderOptions {
  /** Files kept open (default 64). */
  maxOpenFiles?: number;
  /** Budget of cached payloads (default 256 MiB). */
  payloadCacheBytes?: number;
  /** How long a file's size and mtime are trusted before being checked again (default 2 s). */
  statIntervalMs?: number;
  /** Clock in ms. */
  now?: () => number;
}

/**
 * Reads ME objects from registered files.
 *
 * @example
 * ```ts ignore
 * const reader = new MEReader();
 * const raw = await reader.legacyRaw("/data/DQM_V0001_R000123456__A__B__C.root", 4242);
 * console.log(raw.className, raw.payload.length);
 * ```
 */
export class MEReader {
  readonly #files = new Map<string, Promise<OpenFile>>();
  readonly #payloads: ByteLRU<{ key: TKey; payload: Uint8Array }>;
  readonly #maxOpen: number;
  readonly #statMs: number;
  readonly #now: () => number;

  /** @param options cache sizes */
  constructor(options: MEReaderOptions = {}) {
    this.#maxOpen = options.maxOpenFiles ?? 64;
    this.#statMs = options.statIntervalMs ?? 2000;
    this.#now = options.now ?? Date.now;
    this.#payloads = new ByteLRU({
      maxBytes: options.payloadCacheBytes ?? 256 * 1024 * 1024,
      sizeOf: (v) => v.payload.byteLength + 512,
    });
  }

  /**
   * The decompressed payload of the legacy-file object whose key is at `seek`.
   *
   * @param path the file
   * @param seek its TKey offset (from the ME list)
   * @returns the raw object
   */
  async legacyRaw(path: string, seek: number): Promise<RawObject> {
    return await this.#withFile(path, async (open) => {
      const cacheKey = `${path}\n${open.mtime}\n${open.size}:${seek}`;
      const { key, payload } = await this.#payloads.getOrLoad(cacheKey, async () => {
        const key = await open.file.readKeyAt(seek);
        return { key, payload: await open.file.readPayload(key) };
      });
      return {
        className: key.fClassName,
        payload,
        origin: key.fKeyLen,
        streamers: await open.file.streamers(),
        filePath: path,
      };
    });
  }

  /**
   * Decode the legacy-file object whose key is at `seek`.
   *
   * @param path the file
   * @param seek its TKey offset
   * @returns the object and recoverable decoding warnings
   */
  async legacyObject(
    path: string,
    seek: number,
  ): Promise<{ object: RootObject; warnings: string[] }> {
    const raw = await this.legacyRaw(path, seek);
    return decodeObject(raw.payload, raw.className, {
      origin: raw.origin,
      streamers: raw.streamers,
      filePath: path,
      keyObject: true,
    });
  }

  /**
   * The stored bytes of a DQMIO object ME: entry `entry` of the tree of type
   * `type` (spec/formats.md §2.4), class-name prefix removed.
   *
   * @param path the file
   * @param type DQMIO type id (the ME's `offset`)
   * @param entry entry number in the type tree (the ME's `seek`)
   * @returns the raw object
   */
  async dqmioRaw(path: string, type: number, entry: number): Promise<RawObject> {
    return await this.#withFile(path, async (open) => {
      let tree = open.trees.get(type);
      if (!tree) {
        tree = openTypeTree(open.file, type);
        open.trees.set(type, tree);
        tree.catch(() => open.trees.delete(type));
      }
      const cacheKey = `${path}\n${open.mtime}\n${open.size}:dqmio:${type}:${entry}`;
      const got = await this.#payloads.getOrLoad(cacheKey, async () => {
        const { className, body, origin } = await (await tree).branch("Value")!.objectBytes(entry);
        return { key: { fClassName: className, fKeyLen: origin } as TKey, payload: body };
      });
      return {
        className: got.key.fClassName,
        payload: got.payload,
        origin: got.key.fKeyLen,
        streamers: await open.file.streamers(),
        filePath: path,
      };
    });
  }

  /**
   * Decode a DQMIO object ME.
   *
   * @param path the file
   * @param type DQMIO type id
   * @param entry entry number in the type tree
   * @returns the object and recoverable decoding warnings
   */
  async dqmioObject(
    path: string,
    type: number,
    entry: number,
  ): Promise<{ object: RootObject; warnings: string[] }> {
    const raw = await this.dqmioRaw(path, type, entry);
    return decodeObject(raw.payload, raw.className, {
      origin: raw.origin,
      streamers: raw.streamers,
      filePath: path,
    });
  }

  /**
   * The stored bytes of a protobuf snapshot ME: the Histo message at `seek`
   * (`size` bytes; positions in the gunzipped content for a gzip snapshot),
   * its inflated object slot split into class name and object body.
   *
   * @param path the snapshot file
   * @param seek the ME's `seek`
   * @param size the ME's `size`
   * @param gzip the ME's `offset` is PB_GZIP_OFFSET
   * @returns the raw object (origin = position of the body in the slot)
   */
  async pbRaw(
    path: string,
    seek: number,
    size: number,
    gzip: boolean,
  ): Promise<RawObject & { slot: Uint8Array }> {
    const source = await FileSource.open(path);
    try {
      const version = `${path}\n${source.mtime}\n${source.size}`;
      const got = await this.#payloads.getOrLoad(`${version}:pb:${seek}`, async () => {
        const gunzipped = gzip
          ? () =>
            this.#payloads.getOrLoad(`${version}:gunzipped`, async () => ({
              key: { fClassName: "", fKeyLen: 0 } as TKey,
              payload: gunzipSnapshot(await source.read(0, source.size), path),
            })).then((g) => g.payload)
          : undefined;
        const histo = await readPbHisto(source, seek, size, gzip, gunzipped);
        return { key: { fClassName: histo.className, fKeyLen: 0 } as TKey, payload: histo.slot };
      });
      const slot = got.payload;
      // Slot = u32 byte count, u32 kNewClassTag, class name + NUL, then the body (spec/formats.md §1.8).
      const bodyStart = 8 + got.key.fClassName.length + 1;
      return {
        className: got.key.fClassName,
        payload: slot.subarray(bodyStart),
        origin: bodyStart,
        streamers: NO_STREAMERS,
        filePath: path,
        slot,
      };
    } finally {
      source.close();
    }
  }

  /**
   * Decode a protobuf snapshot ME (the object slot, read as TBufferFile::ReadObjectAny does).
   *
   * @param path the snapshot file
   * @param seek the ME's `seek`
   * @param size the ME's `size`
   * @param gzip the ME's `offset` is PB_GZIP_OFFSET
   * @returns the object
   */
  async pbObject(path: string, seek: number, size: number, gzip: boolean): Promise<RootObject> {
    const raw = await this.pbRaw(path, seek, size, gzip);
    const reader = new ObjectReader(
      new Cursor(raw.slot, 0, { filePath: path, recordOffset: seek }),
      classResolver(),
    );
    const object = reader.readObjectAny();
    if (!object) {
      throw new RootFormatError(
        "Cannot read snapshot object",
        "the stored object is a null pointer",
        { filePath: path, offset: seek },
      );
    }
    return object;
  }

  /** Close every open file. */
  close(): void {
    for (const [path, pending] of this.#files) {
      this.#files.delete(path);
      pending.then((f) => this.#release(f, true), () => {});
    }
  }

  async #withFile<T>(path: string, use: (f: OpenFile) => Promise<T>): Promise<T> {
    const open = await this.#open(path);
    open.users++;
    try {
      return await use(open);
    } finally {
      open.users--;
      if (open.closing && open.users === 0) open.file.close();
    }
  }

  async #open(path: string): Promise<OpenFile> {
    const pending = this.#files.get(path);
    if (pending) {
      const open = await pending.catch(() => null);
      if (open && !open.closing && (await this.#fresh(open, path))) {
        this.#files.delete(path);
        this.#files.set(path, pending);
        return open;
      }
      if (this.#files.get(path) === pending) {
        this.#files.delete(path);
        if (open) this.#release(open, true);
      }
    }
    const opening = (async () => {
      const source = await FileSource.open(path);
      try {
        const file = await RootFile.open(source);
        return {
          file,
          trees: new Map(),
          mtime: source.mtime,
          size: source.size,
          checkedAt: this.#now(),
          users: 0,
          closing: false,
        };
      } catch (error) {
        source.close();
        throw error;
      }
    })();
    this.#files.set(path, opening);
    opening.catch(() => {
      if (this.#files.get(path) === opening) this.#files.delete(path);
    });
    while (this.#files.size > this.#maxOpen) {
      const [oldest, old] = this.#files.entries().next().value!;
      this.#files.delete(oldest);
      old.then((f) => this.#release(f, true), () => {});
    }
    return await opening;
  }

  /** Whether an open file is still the file on disk (checked at most every statIntervalMs). */
  async #fresh(open: OpenFile, path: string): Promise<boolean> {
    const now = this.#now();
    if (now - open.checkedAt < this.#statMs) return true;
    try {
      const info = await Deno.stat(path);
      open.checkedAt = now;
      return info.size === open.size && (info.mtime?.getTime() ?? 0) === open.mtime;
    } catch {
      return false;
    }
  }

  #release(open: OpenFile, close: boolean): void {
    if (!close) return;
    open.closing = true;
    if (open.users === 0) open.file.close();
  }
}
