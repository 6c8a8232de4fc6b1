/**
 * @module
 * Fixed-layout pieces of a small-format ROOT file, written at known offsets:
 * the TKey header (spec `formats.md` §1.3), the TDirectory record (§1.5) and
 * the TFile header (§1.2). `tfile_writer.ts` decides what goes where.
 */

import type { TBufferWriter } from "./tbuffer_writer.ts";
import { tstringSize } from "./tbuffer_writer.ts";

/** ROOT file format version written: ROOT 6.24/06 (the TFile header's fVersion, spec §1.2). */
export const ROOT_VERSION_CODE = 62406;
/** Offset of the first record (fBEGIN, spec §1.2). */
export const BEGIN = 100;
/** TKey class version for 32-bit seeks (spec §1.3). */
const KEY_VERSION = 4;
/** Fixed part of a small key header: 18 bytes of fields + two 32-bit seeks (spec §1.3). */
const KEY_FIXED_SIZE = 26;
/** Offsets of the key fields patched once the payload is known (spec §1.3). */
const KEY_NBYTES_AT = 0;
const KEY_OBJLEN_AT = 6;
/** TDirectory record version written for 32-bit seeks (spec §1.5). */
const DIRECTORY_VERSION = 5;
/** TDirectory record: 30 bytes of fields, 18 of UUID, 12 spare for 64-bit seeks (spec §1.5). */
export const DIRECTORY_RECORD_SIZE = 60;
/** ROOT's TUUID streamer version. */
const UUID_VERSION = 1;

/** The fields of a key header that are known before the payload. */
export interface KeyFields {
  className: string;
  name: string;
  title: string;
  datime: number;
  cycle: number;
  seekKey: number;
  seekPdir: number;
}

/**
 * @param className key class name
 * @param name key name
 * @param title key title
 * @returns fKeyLen of a small key with these strings
 */
export function keyLength(className: string, name: string, title: string): number {
  return KEY_FIXED_SIZE + tstringSize(className) + tstringSize(name) + tstringSize(title);
}

/**
 * Writes a small-format key header with fNbytes and fObjLen left 0; see
 * {@link patchKeySizes}.
 *
 * @param w destination, positioned at the record start
 * @param k the header fields
 */
export function writeKeyHeader(w: TBufferWriter, k: KeyFields): void {
  const keyLen = keyLength(k.className, k.name, k.title);
  w.i32(0).i16(KEY_VERSION).i32(0).u32(k.datime).i16(keyLen).i16(k.cycle);
  w.i32(k.seekKey).i32(k.seekPdir).tstring(k.className).tstring(k.name).tstring(k.title);
}

/**
 * Fills in fNbytes and fObjLen of a key header written by {@link writeKeyHeader}.
 *
 * @param w the writer holding the header at offset 0
 * @param nbytes record size as stored
 * @param objLen uncompressed payload size
 */
export function patchKeySizes(w: TBufferWriter, nbytes: number, objLen: number): void {
  w.patchI32(KEY_NBYTES_AT, nbytes);
  w.patchI32(KEY_OBJLEN_AT, objLen);
}

/** TDirectory record fields (spec §1.5). */
export interface DirectoryFields {
  datime: number;
  nbytesKeys: number;
  nbytesName: number;
  seekDir: number;
  seekParent: number;
  seekKeys: number;
  uuid: Uint8Array;
}

/**
 * Writes the TDirectory record at `at` inside `record` (the 12 spare bytes stay 0).
 *
 * @param record the directory's record bytes
 * @param at offset of the TDirectory fields in it
 * @param d the fields
 */
export function fillDirectoryRecord(record: Uint8Array, at: number, d: DirectoryFields): void {
  const v = new DataView(record.buffer, record.byteOffset + at, DIRECTORY_RECORD_SIZE);
  v.setUint16(0, DIRECTORY_VERSION);
  v.setUint32(2, d.datime); // fDatimeC
  v.setUint32(6, d.datime); // fDatimeM
  v.setInt32(10, d.nbytesKeys);
  v.setInt32(14, d.nbytesName);
  v.setInt32(18, d.seekDir);
  v.setInt32(22, d.seekParent);
  v.setInt32(26, d.seekKeys);
  v.setUint16(30, UUID_VERSION);
  record.set(d.uuid, at + 32);
}

/** TFile header fields (spec §1.2). */
export interface FileHeaderFields {
  end: number;
  seekFree: number;
  nbytesFree: number;
  nbytesName: number;
  compress: number;
  seekInfo: number;
  nbytesInfo: number;
  uuid: Uint8Array;
}

/**
 * Writes the small-format TFile header into the first {@link BEGIN} bytes.
 *
 * @param h the header bytes (at least 63 long)
 * @param f the fields
 */
export function fillFileHeader(h: Uint8Array, f: FileHeaderFields): void {
  const v = new DataView(h.buffer, h.byteOffset, h.length);
  h.set([0x72, 0x6f, 0x6f, 0x74]); // "root"
  v.setInt32(4, ROOT_VERSION_CODE);
  v.setInt32(8, BEGIN);
  v.setInt32(12, f.end);
  v.setInt32(16, f.seekFree);
  v.setInt32(20, f.nbytesFree);
  v.setInt32(24, 1); // nfree: the one gap from fEND to kStartBigFile
  v.setInt32(28, f.nbytesName);
  h[32] = 4; // fUnits: 32-bit seeks
  v.setInt32(33, f.compress);
  v.setInt32(37, f.seekInfo);
  v.setInt32(41, f.nbytesInfo);
  v.setUint16(45, UUID_VERSION);
  h.set(f.uuid, 47);
}
