/**
 * @module
 * TKey headers and TDirectory records (spec/formats.md §1.3, §1.5; ROOT
 * io/io/src/TKey.cxx `TKey::Streamer`, TDirectoryFile.cxx
 * `TDirectoryFile::Streamer` and `ReadKeys`).
 */

import { Cursor } from "./cursor.ts";

/** A TKey header: where a record is and what it holds. */
export interface TKey {
  /** Total record size on disk, header included (fNbytes). */
  fNbytes: number;
  /** Key class version; > 1000 means 64-bit seeks. */
  fVersion: number;
  /** Uncompressed payload length. */
  fObjLen: number;
  /** Packed TDatime. */
  fDatime: number;
  /** Header length (payload starts at fSeekKey + fKeyLen). */
  fKeyLen: number;
  /** Cycle number. */
  fCycle: number;
  /** Offset of this record in the file. */
  fSeekKey: number;
  /** Offset of the directory record that holds this key. */
  fSeekPdir: number;
  /** Class of the stored object. */
  fClassName: string;
  /** Object name. */
  fName: string;
  /** Object title. */
  fTitle: string;
}

/** Version above which TKey and TDirectory seeks are 64-bit (TKey.cxx: fVersion > 1000). */
export const kLargeVersion = 1000;
/** The top 16 bits of a 64-bit fSeekPdir carry a process-ID offset (TKey.cxx, kPidOffsetShift). */
const SEEK_MASK_HIGH = 0xffff;
/** Smallest possible key header: 18 fixed bytes + 4-byte seeks + 3 empty strings. */
export const MIN_KEY_HEADER = 29;

/**
 * Read a TKey header at the cursor (TKey::Streamer, reading branch).
 *
 * @param c cursor positioned at the key start
 * @returns the key header
 *
 * @example Decode a hand-made small key
 * ```ts
 * import { Cursor } from "./cursor.ts";
 * import { readKey } from "./directory.ts";
 * const b = new Uint8Array(29);
 * const v = new DataView(b.buffer);
 * v.setInt32(0, 29); v.setInt16(4, 4); v.setInt16(14, 29); v.setInt16(16, 1); v.setInt32(18, 100);
 * const key = readKey(new Cursor(b));
 * if (key.fSeekKey !== 100 || key.fClassName !== "") throw new Error("bad key");
 * ```
 */
export function readKey(c: Cursor): TKey {
  const start = c.pos;
  const fNbytes = c.i32();
  const fVersion = c.i16();
  const fObjLen = c.i32();
  const fDatime = c.u32();
  const fKeyLen = c.i16();
  const fCycle = c.i16();
  let fSeekKey: number;
  let fSeekPdir: number;
  if (fVersion > kLargeVersion) {
    fSeekKey = c.i64();
    fSeekPdir = maskPdir(c.i64());
  } else {
    fSeekKey = c.i32();
    fSeekPdir = c.i32();
  }
  const fClassName = c.tstring();
  const fName = c.tstring();
  const fTitle = c.tstring();
  // fKeyLen is not compared with the parsed header size: ROOT 5 renamed
  // "TDirectory" keys to "TDirectoryFile" without updating fKeyLen.
  if (fKeyLen <= 0 || fNbytes < fKeyLen || fObjLen < 0 || fSeekKey < 0 || fSeekPdir < 0) {
    throw c.error(
      "Cannot read key",
      `inconsistent header (fNbytes ${fNbytes}, fKeyLen ${fKeyLen}, fObjLen ${fObjLen}, fSeekKey ${fSeekKey})`,
      start,
    );
  }
  return {
    fNbytes,
    fVersion,
    fObjLen,
    fDatime,
    fKeyLen,
    fCycle,
    fSeekKey,
    fSeekPdir,
    fClassName,
    fName,
    fTitle,
  };
}

function maskPdir(seek: number): number {
  // Drop the PID offset kept in the top 16 bits (spec/formats.md §1.3).
  const high = Math.floor(seek / 2 ** 48);
  return high & SEEK_MASK_HIGH ? seek - high * 2 ** 48 : seek;
}

/** A TDirectory record: where its keys list is. */
export interface DirectoryRecord {
  /** Record version (> 1000: 64-bit seeks). */
  fVersion: number;
  /** Creation time (packed TDatime). */
  fDatimeC: number;
  /** Modification time (packed TDatime). */
  fDatimeM: number;
  /** Size of the KeysList record. */
  fNbytesKeys: number;
  /** Size of the directory's key header + TNamed. */
  fNbytesName: number;
  /** Offset of this directory's key. */
  fSeekDir: number;
  /** Offset of the parent directory's key. */
  fSeekParent: number;
  /** Offset of the KeysList record. */
  fSeekKeys: number;
}

/**
 * Read a TDirectory record (TDirectoryFile::Streamer, reading branch).
 *
 * @param c cursor at the record start
 * @returns the record
 */
export function readDirectoryRecord(c: Cursor): DirectoryRecord {
  const start = c.pos;
  const fVersion = c.u16();
  const fDatimeC = c.u32();
  const fDatimeM = c.u32();
  const fNbytesKeys = c.i32();
  const fNbytesName = c.i32();
  const large = fVersion > kLargeVersion;
  const fSeekDir = large ? c.i64() : c.i32();
  const fSeekParent = large ? c.i64() : c.i32();
  const fSeekKeys = large ? c.i64() : c.i32();
  if (fNbytesKeys < 0 || fSeekKeys < 0 || fSeekDir < 0) {
    throw c.error(
      "Cannot read directory",
      `inconsistent record (fNbytesKeys ${fNbytesKeys}, fSeekKeys ${fSeekKeys}, fSeekDir ${fSeekDir})`,
      start,
    );
  }
  return {
    fVersion,
    fDatimeC,
    fDatimeM,
    fNbytesKeys,
    fNbytesName,
    fSeekDir,
    fSeekParent,
    fSeekKeys,
  };
}

/**
 * Read the headers of a KeysList payload: `i32 nkeys` then `nkeys` TKey
 * headers without payloads (TDirectoryFile::ReadKeys).
 *
 * @param c cursor over the KeysList payload (after its own key header)
 * @returns the keys, in file order (all cycles)
 */
export function readKeysList(c: Cursor): TKey[] {
  const nkeys = c.i32();
  if (nkeys < 0 || nkeys * MIN_KEY_HEADER > c.remaining()) {
    throw c.error(
      "Cannot read keys list",
      `impossible key count ${nkeys} for ${c.remaining()} bytes`,
      c.pos - 4,
    );
  }
  const keys: TKey[] = new Array(nkeys);
  for (let i = 0; i < nkeys; i++) keys[i] = readKey(c);
  return keys;
}

/** Classes whose keys are subdirectories. */
export function isDirectoryClass(className: string): boolean {
  return className === "TDirectory" || className === "TDirectoryFile";
}
