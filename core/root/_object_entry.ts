/**
 * @module
 * Decoding the object stored in one branch entry (spec/formats.md §2.4;
 * ROOT tree/tree/src/TLeafObject.cxx `ReadBasket`, TBranchElement.cxx
 * `ReadLeavesMember`). Private to core/root; `RootBranch.readObject` is the
 * public face.
 */

import { ObjectReader } from "./buffer.ts";
import { Cursor, decodeText } from "./cursor.ts";
import type { EntryCodec } from "./_leaf.ts";
import { classResolver } from "./models/mod.ts";
import type { RootObject } from "./models/types.ts";
import type { StreamerSet } from "./streamers.ts";

/** TObject::kInvalidObject and the fUniqueID TLeafObject writes for a null object (TLeafObject.cxx). */
const kInvalidObject = 1 << 13;
const NULL_OBJECT_ID = 123456789;

/** Where an entry's bytes came from. */
export interface EntryOrigin {
  /** Writer-buffer position of the entry's first byte: basket fKeyLen + entry offset, or its displacement. */
  origin: number;
  /** File name for errors. */
  filePath: string;
  /** Basket seek for errors. */
  recordOffset: number;
}

/**
 * Decode one object entry.
 *
 * - TBranchObject (TLeafObject): when the leaf is virtual, `u8 n`, the class
 *   name and its NUL, then the object's own `Streamer` output (byte count +
 *   version + members);
 * - a whole object in a TBranchElement: the members of `bareVersion`, with
 *   no version header (the branch streams the class member by member).
 *
 * Object and class tags inside count from `where.origin` (TBufferFile maps
 * positions from the basket key start).
 *
 * @param bytes the entry
 * @param codec the branch's object codec
 * @param streamers the file's streamer infos
 * @param where origin and names for errors
 * @returns the object (null for a null pointer) and warnings, or an error text
 */
export function decodeObjectEntry(
  bytes: Uint8Array,
  codec: Extract<EntryCodec, { type: "object" }>,
  streamers: StreamerSet,
  where: EntryOrigin,
): { object: RootObject | null; warnings: string[] } | string {
  let start = 0;
  let className = codec.className;
  if (codec.virtual) {
    const n = bytes[0] ?? -1;
    if (n < 0 || 2 + n > bytes.length || bytes[1 + n] !== 0) {
      return "no class name in front of the object";
    }
    className = decodeText(bytes.subarray(1, 1 + n));
    start = 2 + n;
  }
  const c = new Cursor(bytes.subarray(start), where.origin + start, {
    filePath: where.filePath,
    recordOffset: where.recordOffset,
  });
  const reader = new ObjectReader(c, classResolver(streamers));
  let obj: RootObject;
  if (codec.bareVersion < 0) {
    obj = reader.readClass(className);
  } else {
    obj = { _typename: className };
    const read = reader.classes.resolve(className, codec.bareVersion);
    if (!read) return `no reader or streamer info for "${className}" v${codec.bareVersion}`;
    read(reader, obj, { version: codec.bareVersion, byteCount: 0, start: 0, countedFrom: 0 });
  }
  if (c.pos !== c.bytes.length) {
    reader.warnings.push(`object ended at byte ${c.pos} of a ${c.bytes.length}-byte entry`);
  }
  if (obj.fUniqueID === NULL_OBJECT_ID && Number(obj.fBits) & kInvalidObject) {
    return { object: null, warnings: reader.warnings };
  }
  return { object: obj, warnings: reader.warnings };
}
