/**
 * @module
 * Object records for the render daemon (spec/render.md §1.3). The daemon
 * decodes ROOT 6 class versions only ({@link DAEMON_CLASS_VERSIONS}), so our
 * TypeScript reader is the one source of truth for older versions: a key
 * payload already at those versions is sent as it is behind an object-slot
 * header (cheap, no decoding); anything else is decoded with `core/root` and
 * re-encoded with `core/writer`.
 *
 * This module is browser compatible.
 */

import { decodeObject } from "../root/file.ts";
import type { RootObject } from "../root/models/types.ts";
import type { StreamerSet } from "../root/streamers.ts";
import { TBufferWriter, writeObject } from "../writer/mod.ts";
import { checkRenderable, normaliseForDaemon } from "./_normalise.ts";
import { DAEMON_CLASS_VERSIONS, payloadIsCurrent } from "./_versions.ts";
import type { RenderRecord } from "./types.ts";

export { DAEMON_CLASS_VERSIONS };

/** ROOT's byte-count flag and new-class tag (spec/formats.md §1.8). */
const kByteCountMask = 0x40000000;
const kNewClassTag = 0xffffffff;
/** Largest byte count beside kByteCountMask (30 bits). */
const MAX_BYTE_COUNT = 0x3fffffff;
const encoder = new TextEncoder();

/**
 * Put an object-slot header in front of a TKey payload, as the classic
 * client's nanoroot did (spec/formats.md §5.2 step 3):
 * `[u32 BE (4 + len(cls) + 1 + len(payload)) | kByteCountMask] [u32 BE kNewClassTag] [cls \0]`.
 * Tags in the payload count from the key start (position `keyLen` for payload
 * byte 0, spec/formats.md §1.3); after `9 + len(cls)` prepended bytes the
 * wire displacement is `keyLen - prepended` (spec/render.md §1.3).
 */
function wrapPayload(className: string, payload: Uint8Array, keyLen: number): RenderRecord {
  const name = encoder.encode(className);
  const prepended = 4 + 4 + name.length + 1;
  const byteCount = 4 + name.length + 1 + payload.length;
  if (byteCount > MAX_BYTE_COUNT) {
    throw new RangeError(
      `Cannot frame "${className}" for rendering: ${payload.length} bytes exceed a byte count`,
    );
  }
  const bytes = new Uint8Array(prepended + payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, (byteCount | kByteCountMask) >>> 0);
  view.setUint32(4, kNewClassTag);
  bytes.set(name, 8); // the NUL after the name is already 0
  bytes.set(payload, prepended);
  return { bytes, displacement: keyLen - prepended };
}

/**
 * A record for a TKey payload of a legacy (TDirectory) file.
 *
 * @param className the key's class, e.g. "TH1F"
 * @param payload the decompressed payload (`fObjLen` bytes)
 * @param keyLen the key's `fKeyLen` (position of payload byte 0 for tags)
 * @param streamers the file's streamer infos, for old class versions
 * @returns the record
 * @throws {TypeError} for a class the daemon cannot draw
 * @throws {RootFormatError} when the payload cannot be decoded
 *
 * @example Wrap a ROOT 6 TObjString payload
 * ```ts
 * import { recordFromKeyPayload } from "./records.ts";
 * // TObjString v1: byte count, version 1, TObject (v1, id 0, bits 0), "hi"
 * const payload = new Uint8Array([0x40, 0, 0, 15, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 104, 105]);
 * const record = recordFromKeyPayload("TObjString", payload, 60);
 * // 9 + "TObjString".length bytes were put in front of the payload
 * if (record.displacement !== 60 - 19 || record.bytes.length !== 19 + payload.length) {
 *   throw new Error("bad record");
 * }
 * ```
 */
export function recordFromKeyPayload(
  className: string,
  payload: Uint8Array,
  keyLen: number,
  streamers?: StreamerSet,
): RenderRecord {
  checkRenderable(className);
  if (payloadIsCurrent(className, payload)) return wrapPayload(className, payload, keyLen);
  const { object } = decodeObject(payload, className, {
    origin: keyLen,
    streamers,
    keyObject: true,
  });
  return recordFromObject(object);
}

/**
 * A record for a decoded object: re-encoded at the daemon's class versions
 * in an object slot at position 0 (displacement 0). Members older versions
 * lack get ROOT 6's constructor values; fFunctions keeps only objects of
 * classes the daemon decodes (fit functions and stat boxes are dropped).
 *
 * @param object a decoded TH1/TH2/TH3 (any precision), TProfile, TProfile2D or TObjString
 * @returns the record
 * @throws {TypeError} for a class the daemon cannot draw
 * @throws {RootFormatError} when the object (or a member) was not decoded
 *
 * @example Re-encode a TObjString
 * ```ts
 * import { recordFromObject } from "./records.ts";
 * const record = recordFromObject({ _typename: "TObjString", fUniqueID: 0, fBits: 0, fString: "hi" });
 * // slot header (4) + new class tag (4) + "TObjString\0" (11) + object (19)
 * if (record.displacement !== 0 || record.bytes.length !== 38) throw new Error("bad record");
 * ```
 */
export function recordFromObject(object: RootObject): RenderRecord {
  const normalised = normaliseForDaemon(object);
  const w = new TBufferWriter(0);
  w.objectSlot(normalised._typename, () => writeObject(w, normalised));
  return { bytes: w.finish(), displacement: 0 };
}
