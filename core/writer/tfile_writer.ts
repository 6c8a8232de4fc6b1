/**
 * @module
 * Writes a ROOT file in memory, record by record, in the small-file (32-bit
 * seek) format (spec `formats.md` §1.2–§1.7): TFile header, top directory
 * record, subdirectory records, object keys, then at {@link TFileWriter.close}
 * the StreamerInfo record, every directory's KeysList and the FreeSegments
 * record. Records are laid out in the order ROOT writes them, and every key's
 * fSeekKey points at itself.
 *
 * Data in, bytes out: nothing here touches the file system.
 */

import type { RootObject } from "../root/models/types.ts";
import {
  compressionSetting,
  type CompressionSettings,
  compressionSettings,
  zipPayload,
} from "./compression.ts";
import { writeObject } from "./objects.ts";
import { writeStreamerInfoList } from "./streamer_infos.ts";
import { TBufferWriter, tstringSize } from "./tbuffer_writer.ts";
import {
  BEGIN,
  DIRECTORY_RECORD_SIZE,
  fillDirectoryRecord,
  fillFileHeader,
  keyLength,
  patchKeySizes,
  ROOT_VERSION_CODE,
  writeKeyHeader,
} from "./_records.ts";
import { datimeOf, uuidBytes } from "./_time_uuid.ts";
import {
  allDirs,
  defaultName,
  defaultTitle,
  type Dir,
  type DirectoryHandle,
  newDir,
} from "./_tfile_dirs.ts";

import type { KeyInfo, PutOptions, RecordPlace, TFileWriterOptions } from "./_tfile_types.ts";

export { ROOT_VERSION_CODE };
export type { DirectoryHandle, KeyInfo, PutOptions, RecordPlace, TFileWriterOptions };

/** ROOT starts the large-file format here (`TFile::kStartBigFile`); this writer stops. */
export const MAX_SMALL_FILE_SIZE = 2_000_000_000;
/** TFree version; the one free segment reaches from fEND to `kStartBigFile`, as ROOT leaves it. */
const FREE_VERSION = 1;
const DEFAULT_DATIME = new Date(Date.UTC(2024, 0, 1));

/**
 * Builds a ROOT file in memory.
 *
 * @example Write one TObjString into a subdirectory
 * ```ts
 * import { TFileWriter } from "./tfile_writer.ts";
 *
 * const f = new TFileWriter({ fileName: "demo.root" });
 * const dir = f.mkdir(f.root, "notes");
 * f.put(dir, { _typename: "TObjString", fUniqueID: 0, fBits: 0, fString: "hello" });
 * const bytes = f.close();
 * if (new TextDecoder().decode(bytes.subarray(0, 4)) !== "root") throw new Error("bad magic");
 * ```
 */
export class TFileWriter {
  #opts: Required<Omit<TFileWriterOptions, "compression" | "level" | "xzEncoder">>;
  #compression: CompressionSettings;
  #datime: number;
  #chunks: Uint8Array[] = [];
  #end = BEGIN;
  #w = new TBufferWriter();
  #classes = new Set<string>();
  #top: Dir;
  #dirCount = 1;
  #closed = false;

  /** @param opts file name, title, compression and reproducibility settings */
  constructor(opts: TFileWriterOptions = {}) {
    this.#opts = {
      fileName: opts.fileName ?? "output.root",
      title: opts.title ?? "",
      datime: opts.datime ?? DEFAULT_DATIME,
      uuidSeed: opts.uuidSeed ?? 0,
      maxFileSize: Math.min(opts.maxFileSize ?? MAX_SMALL_FILE_SIZE, MAX_SMALL_FILE_SIZE),
    };
    this.#compression = compressionSettings(opts.compression, opts.level, opts.xzEncoder);
    this.#datime = datimeOf(this.#opts.datime);
    this.#chunks.push(new Uint8Array(BEGIN)); // header, filled in by close()
    this.#top = this.#writeTopDirectory();
  }

  /** The top directory. */
  get root(): DirectoryHandle {
    return this.#top;
  }

  /**
   * Creates a subdirectory (or returns the existing one of that name) and
   * writes its key record, as `TDirectory::mkdir` does.
   *
   * @param parent the containing directory
   * @param name directory name, without "/"
   * @param title directory title (default: the name, as DQM files have it)
   * @returns the new directory
   * @throws {TypeError} for an empty name or one containing "/"
   */
  mkdir(parent: DirectoryHandle, name: string, title: string = name): DirectoryHandle {
    this.#checkOpen("mkdir");
    const p = parent as Dir;
    const existing = p.children.get(name);
    if (existing) return existing;
    if (name === "" || name.includes("/")) {
      throw new TypeError(
        `Cannot create directory "${name}" under "/${p.path}" in "${this.#opts.fileName}": ` +
          `invalid name (empty or containing "/")`,
      );
    }
    const dir = newDir(name, p.path ? `${p.path}/${name}` : name, title, p, this.#dirCount++);
    const { record, keyLen, seekKey } = this.#record("TDirectory", p, name, title, (w) => {
      w.bytes(new Uint8Array(DIRECTORY_RECORD_SIZE)); // filled in by close()
    }, false);
    Object.assign(dir, { record, recordAt: keyLen, seekDir: seekKey, nbytesName: keyLen });
    p.children.set(name, dir);
    return dir;
  }

  /**
   * Streams `obj` into a new key of `dir`. A name already present gets the
   * next cycle, and the new key goes before the older ones, as ROOT's
   * `TDirectoryFile::AppendKey` orders them.
   *
   * @param dir the directory
   * @param obj the object (any class `objects.ts` can write)
   * @param opts key name and title
   * @returns the key's offset and cycle
   * @throws {TypeError} when the object has no name or no writer
   * @throws {RangeError} when the file would outgrow the 32-bit format
   */
  put(dir: DirectoryHandle, obj: RootObject, opts: PutOptions = {}): KeyInfo {
    this.#checkOpen("put");
    const d = dir as Dir;
    const name = opts.name ?? defaultName(obj);
    const title = opts.title ?? defaultTitle(obj);
    this.#classes.add(obj._typename);
    const { cycle, seekKey } = this.#record(obj._typename, d, name, title, (w) => {
      writeObject(w, obj);
    }, true);
    return { cycle, seekKey };
  }

  /** Compression settings of the file, as its header's fCompress states them. */
  get compression(): CompressionSettings {
    return this.#compression;
  }

  /** The packed TDatime (spec §1.1) every key and directory of this file carries. */
  get datime(): number {
    return this.#datime;
  }

  /** Bytes written so far: the offset the next record gets. */
  get size(): number {
    return this.#end;
  }

  /**
   * Writes a key whose payload `write` streams into a buffer that already
   * holds the key header, so class and object tags count from the key start
   * as ROOT's do (spec §1.3). The payload is compressed like any object's,
   * and the key is listed in `dir` (next cycle for a repeated name).
   *
   * @param dir the directory
   * @param key class name, key name and title
   * @param write streams the payload
   * @returns the key's offset and cycle
   * @throws {RangeError} when the file would outgrow the 32-bit format
   *
   * @example A key holding a std::string, as CMSSW writes its file GUID
   * ```ts
   * import { TFileWriter } from "./tfile_writer.ts";
   *
   * const f = new TFileWriter();
   * f.putPayload(f.root, { className: "string", name: "cms::edm::GUID", title: "object title" }, (w) => {
   *   w.tstring("8F0C6E0A-8D26-4F5D-9A1B-2C3D4E5F6A7B");
   * });
   * if (f.close().length < 300) throw new Error("too short");
   * ```
   */
  putPayload(
    dir: DirectoryHandle,
    key: { className: string; name: string; title: string },
    write: (w: TBufferWriter) => void,
  ): KeyInfo {
    this.#checkOpen("putPayload");
    const { cycle, seekKey } = this.#record(
      key.className,
      dir as Dir,
      key.name,
      key.title,
      write,
      true,
    );
    return { cycle, seekKey };
  }

  /**
   * Adds classes to describe in the StreamerInfo record, for objects that
   * were streamed by {@link putPayload} or {@link appendRecord} rather than
   * by {@link put}. Classes the writer cannot describe are ignored, as ROOT
   * ignores classes without StreamerInfo (std::string).
   *
   * @param names class names
   */
  declareClasses(names: Iterable<string>): void {
    for (const n of names) this.#classes.add(n);
  }

  /**
   * Appends a record whose bytes the caller builds, for records whose key
   * header is not a plain TKey (TBasket, spec §2.3). The record is listed in
   * no KeysList, as baskets are not.
   *
   * @param dir the directory the record belongs to (its fSeekPdir)
   * @param build returns the whole record given where it goes
   * @returns the record's offset and size
   * @throws {RangeError} when the file would outgrow the 32-bit format
   */
  appendRecord(
    dir: DirectoryHandle,
    build: (place: RecordPlace) => Uint8Array,
  ): { seekKey: number; nbytes: number } {
    this.#checkOpen("appendRecord");
    const seekKey = this.#end;
    const record = build({ seekKey, seekPdir: (dir as Dir).seekDir, datime: this.#datime });
    this.#checkLimit(seekKey, record.length, "record");
    this.#chunks.push(record);
    this.#end += record.length;
    return { seekKey, nbytes: record.length };
  }

  /**
   * Like {@link close}, but returns the file as the list of its records in
   * order instead of one array, which saves a copy of very large files.
   *
   * @returns the chunks; their concatenation is the file
   */
  closeChunks(): Uint8Array[] {
    this.#finish();
    const chunks = this.#chunks;
    this.#chunks = [];
    return chunks;
  }

  /**
   * Writes the StreamerInfo record, the KeysLists, the FreeSegments record
   * and the header, and returns the file.
   *
   * @returns the complete file
   * @throws {RangeError} when the file would outgrow the 32-bit format
   */
  close(): Uint8Array {
    const chunks = this.closeChunks();
    const out = new Uint8Array(this.#end);
    let p = 0;
    for (const c of chunks) {
      out.set(c, p);
      p += c.length;
    }
    return out;
  }

  #finish(): void {
    this.#checkOpen("close");
    const top = this.#top;
    const classes = new Set([...this.#classes, ...this.#w.taggedClasses]);
    const info = this.#record(
      "TList",
      top,
      "StreamerInfo",
      "Doubly linked list",
      (w) => {
        writeStreamerInfoList(w, classes);
      },
      true,
      false,
    );
    const dirs = allDirs(top);
    for (const d of dirs) {
      const cls = d === top ? "TFile" : "TDirectory";
      const kl = this.#record(
        cls,
        d,
        d.name || this.#opts.fileName,
        d.title,
        (w) => {
          w.i32(d.keys.length);
          for (const k of d.keys) w.bytes(k.header);
        },
        false,
        false,
      );
      d.seekKeys = kl.seekKey;
      d.nbytesKeys = kl.nbytes;
    }
    const free = this.#record(
      "TFile",
      top,
      this.#opts.fileName,
      this.#opts.title,
      (w) => {
        const endAfter = this.#end + w.length + 10; // this record's size once the 10-byte TFree is in
        w.u16(FREE_VERSION).i32(endAfter).i32(MAX_SMALL_FILE_SIZE);
      },
      false,
      false,
    );
    for (const d of dirs) this.#fillDirectoryRecord(d);
    this.#fillHeader(info.seekKey, info.nbytes, free.seekKey, free.nbytes);
    this.#closed = true;
  }

  #checkLimit(seekKey: number, nbytes: number, what: string): void {
    const limit = this.#opts.maxFileSize;
    if (seekKey + nbytes > limit) {
      throw new RangeError(
        `Cannot write ${what} at offset ${seekKey} in "${this.#opts.fileName}": ` +
          `the file would exceed ${limit} bytes` +
          (limit === MAX_SMALL_FILE_SIZE ? " (the limit of the 32-bit small-file format)" : ""),
      );
    }
  }

  #checkOpen(action: string): void {
    if (this.#closed) {
      throw new TypeError(`Cannot ${action} in "${this.#opts.fileName}": the file is closed`);
    }
  }

  /**
   * Appends one record (key header + payload) at the end of the file.
   * `listed` adds the key to `dir`'s KeysList (objects and subdirectories).
   */
  #record(
    className: string,
    dir: Dir,
    name: string,
    title: string,
    payload: (w: TBufferWriter) => void,
    compress: boolean,
    listed = true,
  ): { record: Uint8Array; keyLen: number; seekKey: number; nbytes: number; cycle: number } {
    const keyLen = keyLength(className, name, title);
    const cycle = listed ? (dir.cycles.get(name) ?? 0) + 1 : 1;
    const seekKey = this.#end;
    // The key header goes into the same buffer, so class tags count from the key start (§1.3).
    const w = this.#w.reset(0);
    const datime = this.#datime;
    writeKeyHeader(w, { className, name, title, datime, cycle, seekKey, seekPdir: dir.seekDir });
    payload(w);
    const objLen = w.length - keyLen;
    const raw = w.view();
    const zipped = compress ? zipPayload(raw.subarray(keyLen), this.#compression) : null;
    const nbytes = keyLen + (zipped ? zipped.length : objLen);
    this.#checkLimit(seekKey, nbytes, `key "${name}"`);
    patchKeySizes(w, nbytes, objLen);
    const record = new Uint8Array(nbytes);
    record.set(raw.subarray(0, keyLen));
    record.set(zipped ?? raw.subarray(keyLen), keyLen);
    this.#chunks.push(record);
    this.#end += nbytes;
    if (listed) {
      dir.cycles.set(name, cycle);
      const entry = { name, header: record.slice(0, keyLen) };
      const older = cycle > 1 ? dir.keys.findIndex((k) => k.name === name) : -1;
      if (older >= 0) dir.keys.splice(older, 0, entry);
      else dir.keys.push(entry);
    }
    return { record, keyLen, seekKey, nbytes, cycle };
  }

  /** The record at fBEGIN: key, TNamed-like name and title, TDirectory fields (§1.2, §1.5). */
  #writeTopDirectory(): Dir {
    const { fileName, title } = this.#opts;
    // seekDir stays 0 while the top key is written: its fSeekPdir is 0 (spec §1.3).
    const top = newDir("", "", title, null, 0);
    const { record, keyLen } = this.#record(
      "TFile",
      top,
      fileName,
      title,
      (w) => {
        w.tstring(fileName).tstring(title);
        w.bytes(new Uint8Array(DIRECTORY_RECORD_SIZE));
      },
      false,
      false,
    );
    const nbytesName = keyLen + tstringSize(fileName) + tstringSize(title);
    Object.assign(top, { record, recordAt: nbytesName, seekDir: BEGIN, nbytesName });
    return top;
  }

  #fillDirectoryRecord(d: Dir): void {
    fillDirectoryRecord(d.record, d.recordAt, {
      datime: this.#datime,
      nbytesKeys: d.nbytesKeys,
      nbytesName: d.nbytesName,
      seekDir: d.seekDir,
      seekParent: d.parent ? d.parent.seekDir : 0,
      seekKeys: d.seekKeys,
      uuid: uuidBytes(this.#opts.uuidSeed, d.uuidIndex),
    });
  }

  #fillHeader(seekInfo: number, nbytesInfo: number, seekFree: number, nbytesFree: number): void {
    fillFileHeader(this.#chunks[0]!, {
      end: this.#end,
      seekFree,
      nbytesFree,
      nbytesName: this.#top.nbytesName,
      compress: compressionSetting(this.#compression),
      seekInfo,
      nbytesInfo,
      uuid: uuidBytes(this.#opts.uuidSeed, 0),
    });
  }
}
