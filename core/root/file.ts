/**
 * @module
 * A ROOT file opened for reading: the TFile header (small and big-file
 * variants), records (TKey + payload), directories and the StreamerInfo list
 * (spec/formats.md §1.2–1.7; ROOT io/io/src/TFile.cxx `TFile::Init`,
 * `ReadStreamerInfo`). All reads go through the `Source` with positioned
 * reads and a small block cache; a big file is never read whole.
 */

import { BlockCache } from "./_block_cache.ts";
import { ObjectReader } from "./buffer.ts";
import { unzipPayload } from "./compression.ts";
import { Cursor } from "./cursor.ts";
import {
  type DirectoryRecord,
  isDirectoryClass,
  readDirectoryRecord,
  readKey,
  readKeysList,
  type TKey,
} from "./directory.ts";
import { RootFormatError } from "./errors.ts";
import { BUILTIN_CLASSES, classResolver } from "./models/mod.ts";
import type { RootObject } from "./models/types.ts";
import type { Source } from "./source.ts";
import { streamerInfosFromList, StreamerSet } from "./streamers.ts";

/** TFile header fields (spec/formats.md §1.2). */
export interface FileHeader {
  /** File format version; the ROOT version code is `fVersion % 1000000`. */
  fVersion: number;
  /** Offset of the first record (100 in practice). */
  fBEGIN: number;
  /** Logical end of file. */
  fEND: number;
  fSeekFree: number;
  fNbytesFree: number;
  nfree: number;
  /** Key header + TNamed size of the top directory. */
  fNbytesName: number;
  fUnits: number;
  /** algorithm * 100 + level. */
  fCompress: number;
  fSeekInfo: number;
  fNbytesInfo: number;
}

/** Files at or above this version use 64-bit header pointers (TFile.cxx). */
export const kBigFileVersion = 1000000;
/** Bytes read to parse any header variant. */
const HEADER_READ = 80;
/** A key header is read with this many bytes first, then extended if longer. */
const KEY_PROBE = 512;

/** A directory: its record and its keys (all cycles, in file order). */
export interface Directory {
  /** Slash-separated path from the top ("" for the top directory). */
  path: string;
  /** The directory record. */
  record: DirectoryRecord;
  /** Keys in KeysList order. */
  keys: TKey[];
}

/** One entry of a recursive walk. */
export interface WalkEntry {
  /** Slash-separated path of the key ("dir/sub/name"). */
  path: string;
  /** The key. */
  key: TKey;
}

/**
 * A ROOT file.
 *
 * @example List the top-level keys of a file
 * ```ts ignore
 * import { FileSource, RootFile } from "./mod.ts";
 * const file = await RootFile.open(await FileSource.open("../shared/testdata/root-histos/TH2_5.root"));
 * console.log(file.top.keys.map((k) => k.fName)); // ["myTH2F", "StreamerInfo"]
 * file.close();
 * ```
 */
export class RootFile {
  /** The byte source. */
  readonly source: Source;
  /** The parsed header. */
  readonly header: FileHeader;
  readonly #cache: BlockCache;
  #top: Directory | null = null;
  #streamerKey: TKey | null = null;
  #streamers: Promise<StreamerSet> | null = null;

  private constructor(source: Source, cache: BlockCache, header: FileHeader) {
    // private: files are built by the async open(), which validates the header.
    this.source = source;
    this.#cache = cache;
    this.header = header;
  }

  /** The top directory. */
  get top(): Directory {
    if (this.#top === null) throw new TypeError(`Cannot use "${this.name}": file is not open`);
    return this.#top;
  }

  /** Name of the underlying source (the file path). */
  get name(): string {
    return this.source.name;
  }

  /**
   * Open a ROOT file: parse the header and the top directory's keys.
   *
   * @param source where the bytes are
   * @returns the file
   */
  static async open(source: Source): Promise<RootFile> {
    const cache = new BlockCache(source);
    const head = await cache.read(0, HEADER_READ);
    const c = new Cursor(head, 0, { filePath: source.name, fileOffset: 0 });
    if (head.length < 4 || String.fromCharCode(...head.subarray(0, 4)) !== "root") {
      throw new RootFormatError("Cannot open ROOT file", 'missing "root" magic at the start', {
        filePath: source.name,
        offset: 0,
      });
    }
    c.seek(4);
    const header = readHeader(c);
    if (
      header.fBEGIN < HEADER_READ - 30 || header.fBEGIN >= source.size || header.fNbytesName <= 0
    ) {
      throw c.error(
        "Cannot open ROOT file",
        `implausible header (fBEGIN ${header.fBEGIN}, size ${source.size})`,
        8,
      );
    }
    const file = new RootFile(source, cache, header);
    const record = await file.#readDirectoryRecordAt(
      header.fBEGIN + header.fNbytesName,
      header.fBEGIN,
    );
    file.#top = { path: "", record, keys: await file.#readKeysListOf(record) };
    if (header.fSeekInfo > 0) file.#streamerKey = await file.readKeyAt(header.fSeekInfo);
    return file;
  }

  /**
   * Read a key header at a file offset and check that it points to itself.
   *
   * @param seek file offset of the key
   * @returns the key
   */
  async readKeyAt(seek: number): Promise<TKey> {
    let bytes = await this.#cache.read(seek, KEY_PROBE);
    let c = new Cursor(bytes, 0, { filePath: this.name, fileOffset: seek });
    if (bytes.length >= 16) {
      const keyLen = c.view.getInt16(14);
      if (keyLen > bytes.length) {
        bytes = await this.#cache.read(seek, keyLen);
        c = new Cursor(bytes, 0, { filePath: this.name, fileOffset: seek });
      }
    }
    const key = readKey(c);
    if (key.fSeekKey !== seek) {
      throw c.error(
        "Cannot read key",
        `fSeekKey is ${key.fSeekKey}, expected its own offset ${seek}`,
        0,
      );
    }
    return key;
  }

  /**
   * Read and decompress the payload of a record.
   *
   * @param key the record's key
   * @returns the payload, exactly `fObjLen` bytes
   */
  async readPayload(key: TKey): Promise<Uint8Array> {
    const start = key.fSeekKey + key.fKeyLen;
    const stored = key.fNbytes - key.fKeyLen;
    const end = key.fSeekKey + key.fNbytes;
    if (end > this.source.size || stored < 0) {
      throw new RootFormatError(
        `Cannot read "${key.fName}" (${key.fClassName})`,
        `record [${key.fSeekKey}, ${end}) runs past the end of the file (size ${this.source.size})`,
        { filePath: this.name, offset: key.fSeekKey },
      );
    }
    const bytes = await this.#cache.read(start, stored);
    return unzipPayload(bytes, key.fObjLen, { filePath: this.name, offset: start });
  }

  /**
   * List a subdirectory given its key.
   *
   * @param key a key of class TDirectory/TDirectoryFile
   * @param path path of the directory, for the result
   * @returns the directory
   */
  async readDirectory(key: TKey, path: string): Promise<Directory> {
    const record = await this.#readDirectoryRecordAt(key.fSeekKey + key.fKeyLen, key.fSeekKey);
    return { path, record, keys: await this.#readKeysListOf(record) };
  }

  /** The key of the StreamerInfo record (not part of any KeysList), if the file has one. */
  get streamerInfoKey(): TKey | null {
    return this.#streamerKey;
  }

  /**
   * Walk every key recursively, depth first, in KeysList order (all cycles),
   * the order JSROOT lists them in. A walk from the top ends with the
   * StreamerInfo key, as JSROOT lists it.
   *
   * @param dir directory to start from (default: the top)
   * @returns an async iterator of keys with their paths
   */
  async *walk(dir: Directory = this.top): AsyncGenerator<WalkEntry> {
    const seen = new Set<number>([dir.record.fSeekKeys]);
    yield* this.#walk(dir, seen, 0);
    if (dir === this.top && this.#streamerKey) {
      yield { path: this.#streamerKey.fName, key: this.#streamerKey };
    }
  }

  async *#walk(dir: Directory, seen: Set<number>, depth: number): AsyncGenerator<WalkEntry> {
    for (const key of dir.keys) {
      const path = dir.path ? `${dir.path}/${key.fName}` : key.fName;
      yield { path, key };
      if (isDirectoryClass(key.fClassName)) {
        const sub = await this.readDirectory(key, path);
        if (seen.has(sub.record.fSeekKeys) || depth > 100) {
          throw new RootFormatError(
            `Cannot walk directory "${path}"`,
            "directory tree contains a cycle",
            {
              filePath: this.name,
              offset: key.fSeekKey,
            },
          );
        }
        seen.add(sub.record.fSeekKeys);
        yield* this.#walk(sub, seen, depth + 1);
      }
    }
  }

  /**
   * The file's streamer infos (read once, on first use).
   *
   * @returns the streamer set (empty if the file has none)
   */
  streamers(): Promise<StreamerSet> {
    this.#streamers ??= this.#readStreamers();
    return this.#streamers;
  }

  async #readStreamers(): Promise<StreamerSet> {
    const key = this.#streamerKey;
    if (key === null) return new StreamerSet([]);
    const payload = await this.readPayload(key);
    const c = new Cursor(payload, key.fKeyLen, {
      filePath: this.name,
      fileOffset: key.fObjLen === key.fNbytes - key.fKeyLen ? key.fSeekKey + key.fKeyLen : -1,
      recordOffset: key.fSeekKey,
    });
    const reader = new ObjectReader(c, BUILTIN_CLASSES);
    const list = reader.readClass("TList");
    return new StreamerSet(streamerInfosFromList(list));
  }

  /**
   * Decode the object stored under a key, using hand-written readers and the
   * file's streamer infos. Classes we cannot decode come back as an
   * `UnknownObject` placeholder.
   *
   * @param key the object's key
   * @returns the object and any recoverable decoding warnings
   */
  async readObject(key: TKey): Promise<{ object: RootObject; warnings: string[] }> {
    const payload = await this.readPayload(key);
    return decodeObject(payload, key.fClassName, {
      origin: key.fKeyLen,
      streamers: await this.streamers(),
      filePath: this.name,
      recordOffset: key.fSeekKey,
      fileOffset: key.fObjLen === key.fNbytes - key.fKeyLen ? key.fSeekKey + key.fKeyLen : -1,
      keyObject: true,
    });
  }

  /** Close the underlying source. */
  close(): void {
    this.source.close();
  }

  async #readDirectoryRecordAt(offset: number, keySeek: number): Promise<DirectoryRecord> {
    const bytes = await this.#cache.read(offset, 64);
    const record = readDirectoryRecord(
      new Cursor(bytes, 0, { filePath: this.name, fileOffset: offset }),
    );
    if (record.fSeekDir !== keySeek && record.fSeekDir !== 0) {
      throw new RootFormatError(
        "Cannot read directory",
        `fSeekDir is ${record.fSeekDir}, expected the directory key at ${keySeek}`,
        { filePath: this.name, offset },
      );
    }
    return record;
  }

  async #readKeysListOf(record: DirectoryRecord): Promise<TKey[]> {
    if (record.fSeekKeys === 0) return [];
    // Read the record as TDirectoryFile::ReadKeys does: fNbytesKeys raw bytes
    // (a KeysList is never compressed, and some writers leave its own
    // fSeekKey/fObjLen at 0), then the header, `i32 nkeys` and the key headers.
    const bytes = await this.#cache.read(record.fSeekKeys, record.fNbytesKeys);
    const c = new Cursor(bytes, 0, { filePath: this.name, fileOffset: record.fSeekKeys });
    if (bytes.length < record.fNbytesKeys) {
      throw c.error(
        "Cannot read keys list",
        `record of ${record.fNbytesKeys} bytes runs past the end of the file`,
        0,
      );
    }
    readKey(c);
    return readKeysList(c);
  }
}

/** Options of `decodeObject`. */
export interface DecodeOptions {
  /** Writer-buffer position of payload byte 0 (fKeyLen for key payloads, 0 for protobuf). */
  origin: number;
  /** Streamer infos to fall back on. */
  streamers?: StreamerSet;
  /** File name for errors. */
  filePath?: string;
  /** Record offset for errors. */
  recordOffset?: number;
  /** File offset of byte 0 when the payload is stored uncompressed. */
  fileOffset?: number;
  /**
   * The payload is a TKey's object: map it at tag 1 before reading, as
   * TKey::ReadObj does, so members can refer back to it.
   */
  keyObject?: boolean;
}

/**
 * Decode one class body from a buffer.
 *
 * @param payload the bytes
 * @param className the class stored
 * @param opts position base and streamers
 * @returns the object and recoverable warnings
 */
export function decodeObject(
  payload: Uint8Array,
  className: string,
  opts: DecodeOptions,
): { object: RootObject; warnings: string[] } {
  const c = new Cursor(payload, opts.origin, {
    filePath: opts.filePath ?? "",
    fileOffset: opts.fileOffset ?? -1,
    recordOffset: opts.recordOffset ?? -1,
  });
  const reader = new ObjectReader(c, classResolver(opts.streamers));
  const object = opts.keyObject ? reader.readKeyObject(className) : reader.readClass(className);
  return { object, warnings: reader.warnings };
}

function readHeader(c: Cursor): FileHeader {
  const fVersion = c.i32();
  const big = fVersion >= kBigFileVersion;
  const fBEGIN = c.i32();
  const fEND = big ? c.i64() : c.i32();
  const fSeekFree = big ? c.i64() : c.i32();
  const fNbytesFree = c.i32();
  const nfree = c.i32();
  const fNbytesName = c.i32();
  const fUnits = c.u8();
  const fCompress = c.i32();
  const fSeekInfo = big ? c.i64() : c.i32();
  const fNbytesInfo = c.i32();
  return {
    fVersion,
    fBEGIN,
    fEND,
    fSeekFree,
    fNbytesFree,
    nfree,
    fNbytesName,
    fUnits,
    fCompress,
    fSeekInfo,
    fNbytesInfo,
  };
}
