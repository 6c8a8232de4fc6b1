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

export { ROOT_VERSION_CODE };

/** Options of a {@link TFileWriter}. */
export interface TFileWriterOptions {
  /** Name stored in the top directory key (ROOT stores the path given to `TFile::Open`). */
  fileName?: string;
  /** File title. */
  title?: string;
  /** `"zlib"` (default) or `"none"`. */
  compression?: "zlib" | "none";
  /** zlib level 0–9 (default 1, CMSSW's fCompress 101). */
  level?: number;
  /** Timestamp of every key and directory (default 2024-01-01T00:00:00Z, for reproducible bytes). */
  datime?: Date;
  /** Seed of the directory UUIDs (default 0). */
  uuidSeed?: number;
  /**
   * Refuse to grow the file beyond this many bytes (default and upper bound
   * {@link MAX_SMALL_FILE_SIZE}, the limit of the 32-bit format).
   */
  maxFileSize?: number;
}

/** Options of {@link TFileWriter.put}. */
export interface PutOptions {
  /** Key name; default the object's fName (TNamed) or fString (TObjString). */
  name?: string;
  /** Key title; default the object's fTitle, or ROOT's class title for TObjString. */
  title?: string;
}

/** Where and how a key was written. */
export interface KeyInfo {
  /** Offset of the record (the key's fSeekKey). */
  seekKey: number;
  /** Cycle number given by the directory (1 for the first key of a name). */
  cycle: number;
}

/** A directory of the file being written; obtained from {@link TFileWriter.root} or `mkdir`. */
export interface DirectoryHandle {
  /** Directory name ("" for the top directory). */
  readonly name: string;
  /** Slash-separated path from the top directory ("" for the top directory). */
  readonly path: string;
}

interface Dir extends DirectoryHandle {
  title: string;
  parent: Dir | null;
  /** The directory's key record and the offset of the TDirectory fields in it. */
  record: Uint8Array;
  recordAt: number;
  seekDir: number;
  nbytesName: number;
  uuidIndex: number;
  /** Key headers in KeysList order, and cycles seen per name. */
  keys: { name: string; header: Uint8Array }[];
  cycles: Map<string, number>;
  children: Map<string, Dir>;
  seekKeys: number;
  nbytesKeys: number;
}

/** ROOT starts the large-file format here (`TFile::kStartBigFile`); this writer stops. */
export const MAX_SMALL_FILE_SIZE = 2_000_000_000;
/** TFree version; the one free segment reaches from fEND to `kStartBigFile`, as ROOT leaves it. */
const FREE_VERSION = 1;
/** TObjString's class title, which ROOT uses as its key title (TObject::GetTitle). */
const TOBJSTRING_TITLE = "Collectable string class";
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
  #opts: Required<Omit<TFileWriterOptions, "compression" | "level">>;
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
    this.#compression = compressionSettings(opts.compression, opts.level);
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

  /**
   * Writes the StreamerInfo record, the KeysLists, the FreeSegments record
   * and the header, and returns the file.
   *
   * @returns the complete file
   * @throws {RangeError} when the file would outgrow the 32-bit format
   */
  close(): Uint8Array {
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
    const out = new Uint8Array(this.#end);
    let p = 0;
    for (const c of this.#chunks) {
      out.set(c, p);
      p += c.length;
    }
    this.#chunks = [];
    return out;
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
    const limit = this.#opts.maxFileSize;
    if (seekKey + nbytes > limit) {
      throw new RangeError(
        `Cannot write key "${name}" at offset ${seekKey} in "${this.#opts.fileName}": ` +
          `the file would exceed ${limit} bytes` +
          (limit === MAX_SMALL_FILE_SIZE ? " (the limit of the 32-bit small-file format)" : ""),
      );
    }
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

function newDir(name: string, path: string, title: string, parent: Dir | null, uuid: number): Dir {
  return {
    name,
    path,
    title,
    parent,
    record: new Uint8Array(0),
    recordAt: 0,
    seekDir: 0,
    nbytesName: 0,
    uuidIndex: uuid,
    keys: [],
    cycles: new Map(),
    children: new Map(),
    seekKeys: 0,
    nbytesKeys: 0,
  };
}

function defaultName(obj: RootObject): string {
  const name = typeof obj.fName === "string"
    ? obj.fName
    : typeof obj.fString === "string"
    ? obj.fString
    : "";
  if (!name) throw new TypeError(`Cannot write a "${obj._typename}" without a name`);
  return name;
}

function defaultTitle(obj: RootObject): string {
  if (typeof obj.fTitle === "string") return obj.fTitle;
  return obj._typename === "TObjString" ? TOBJSTRING_TITLE : "";
}

/** Directories in pre-order (the top directory first). */
function allDirs(top: Dir): Dir[] {
  const out: Dir[] = [];
  const visit = (d: Dir) => {
    out.push(d);
    d.children.forEach(visit);
  };
  visit(top);
  return out;
}
