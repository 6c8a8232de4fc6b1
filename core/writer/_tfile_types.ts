/**
 * @module
 * Option and result types of `tfile_writer.ts` (re-exported there).
 *
 * This module is browser compatible.
 */

import type { CompressionAlgorithm, XzEncoder } from "./compression.ts";

/** Options of a `TFileWriter`. */
export interface TFileWriterOptions {
  /** Name stored in the top directory key (ROOT stores the path given to `TFile::Open`). */
  fileName?: string;
  /** File title. */
  title?: string;
  /** `"zlib"` (default), `"lzma"`, `"lz4"`, `"zstd"` or `"none"`. */
  compression?: CompressionAlgorithm;
  /** Level 0–9 (default: zlib 1, CMSSW's fCompress 101; lzma 4; lz4 4; zstd 5). */
  level?: number;
  /** LZMA only: an external .xz encoder used instead of the built-in one. */
  xzEncoder?: XzEncoder;
  /** Timestamp of every key and directory (default 2024-01-01T00:00:00Z, for reproducible bytes). */
  datime?: Date;
  /** Seed of the directory UUIDs (default 0). */
  uuidSeed?: number;
  /**
   * Refuse to grow the file beyond this many bytes (default and upper bound
   * `MAX_SMALL_FILE_SIZE`, the limit of the 32-bit format).
   */
  maxFileSize?: number;
}

/** Options of `TFileWriter.put`. */
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

/** Where `TFileWriter.appendRecord` places a record. */
export interface RecordPlace {
  /** Offset of the record: its fSeekKey. */
  seekKey: number;
  /** Offset of the containing directory's key: its fSeekPdir. */
  seekPdir: number;
  /** The packed TDatime of the file's keys. */
  datime: number;
}
