/**
 * @module
 * Framing of the render protocol (spec/render.md §1.2–1.5), mirroring the
 * daemon's `proto_*` constants (render-native/README.md). Requests are a
 * 44-byte header of native-order (little-endian on every machine we run on)
 * 32-bit integers, then the streamer file name, the ME name, the spec string
 * and the data; replies are `u32 code, u32 length, payload`.
 *
 * This module is browser compatible.
 */

import { specString } from "./spec.ts";
import type { RenderRecord, RenderRequest, RenderResult } from "./types.ts";

/** Request header: total_len + 10 fields, each 32 bits (spec/render.md §1.2). */
export const PROTO_HEADER_BYTES = 44;
/** Reply header: code + payload length (spec/render.md §1.5). */
export const PROTO_REPLY_HEADER_BYTES = 8;
/** Largest request frame the daemon reads, header included (render-native/proto_limits.h). */
export const PROTO_MAX_FRAME_BYTES = 256 * 1024 * 1024;
/** Longest ME name the daemon accepts (proto_limits.h `PROTO_MAX_NAME_BYTES`). */
export const PROTO_MAX_NAME_BYTES = 2048;
/** Longest spec string the daemon accepts (proto_limits.h `PROTO_MAX_SPEC_BYTES`). */
export const PROTO_MAX_SPEC_BYTES = 8192;
/**
 * Largest reply payload we accept (ours; the daemon has no reply limit): a
 * 4096×4096 RGB PNG of incompressible noise is about 48 MiB.
 */
export const PROTO_MAX_REPLY_BYTES = 64 * 1024 * 1024;
/** Main object plus up to 9 overlays (spec/render.md §1.2 `numobjs`). */
export const PROTO_MAX_OBJECTS = 10;
/** Each object record starts with `u32 len, i32 displacement` (spec/render.md §1.3). */
export const PROTO_RECORD_HEADER_BYTES = 8;
/** `type` field: DQM_MSG_GET_IMAGE_DATA, the only type the classic client sends. */
export const PROTO_MSG_GET_IMAGE_DATA = 4;
/** Flags: type byte of a scalar request (≤ 0x0F means scalar). */
export const PROTO_FLAG_SCALAR = 0x0000000f;
/** Flags: type byte of a ROOT-object request. */
export const PROTO_FLAG_OBJECT = 0x00000010;
/** Flags: the ME is an efficiency plot. */
export const PROTO_FLAG_EFFICIENCY = 0x00200000;
/** Reply codes (spec/render.md §1.5). */
export const REPLY_OK = 0;
/** The daemon does not know a class version in the buffer ("missing streamers"). */
export const REPLY_MISSING_STREAMERS = 1;
/** Any other error, including a malformed frame ("Protocol error: ..."). */
export const REPLY_ERROR = 2;

/** The 8-byte PNG signature. */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function dataSection(records: RenderRecord[]): Uint8Array {
  if (records.length < 1 || records.length > PROTO_MAX_OBJECTS) {
    throw new RangeError(
      `Cannot encode render request: ${records.length} objects, expected 1..${PROTO_MAX_OBJECTS}`,
    );
  }
  let size = 0;
  for (const r of records) {
    if (
      !Number.isInteger(r.displacement) || r.displacement < INT32_MIN || r.displacement > INT32_MAX
    ) {
      throw new RangeError(
        `Cannot encode render request: displacement ${r.displacement} is not a 32-bit integer`,
      );
    }
    size += PROTO_RECORD_HEADER_BYTES + r.bytes.length;
  }
  if (size > PROTO_MAX_FRAME_BYTES) {
    throw new RangeError(
      `Cannot encode render request: ${size} bytes of objects exceed the ${PROTO_MAX_FRAME_BYTES}-byte frame limit`,
    );
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let pos = 0;
  for (const r of records) {
    view.setUint32(pos, r.bytes.length, true);
    view.setInt32(pos + 4, r.displacement, true);
    out.set(r.bytes, pos + PROTO_RECORD_HEADER_BYTES);
    pos += PROTO_RECORD_HEADER_BYTES + r.bytes.length;
  }
  return out;
}

/**
 * Encode a request frame. The streamer file is never sent (objects reach the
 * daemon at class versions it knows, see `records.ts`) and neither is a
 * quality report; a scalar has an empty ME name, as in the classic client.
 *
 * @param request what to render
 * @returns the whole frame, `total_len` included
 * @throws {RangeError} for 0 or more than 10 objects, a bad displacement, or a name,
 *   spec or frame beyond the daemon's limits
 *
 * @example The 67-byte "ME not found" frame of spec/render.md §1.2
 * ```ts
 * import { encodeRequest } from "./protocol.ts";
 * const frame = encodeRequest({
 *   kind: "scalar",
 *   text: "ME not found",
 *   options: { width: 266, height: 200, stats: true, norm: true, errors: false },
 * });
 * if (frame.length !== 67 || frame[0] !== 0x43) throw new Error("bad frame");
 * ```
 */
export function encodeRequest(request: RenderRequest): Uint8Array {
  const spec = encoder.encode(specString(request.options));
  let flags: number;
  let name: Uint8Array;
  let data: Uint8Array;
  let numObjects: number;
  if (request.kind === "scalar") {
    flags = PROTO_FLAG_SCALAR;
    name = new Uint8Array(0);
    data = encoder.encode(request.text);
    numObjects = 1;
  } else {
    flags = PROTO_FLAG_OBJECT | (request.efficiency ? PROTO_FLAG_EFFICIENCY : 0);
    name = encoder.encode(request.name);
    data = dataSection(request.records);
    numObjects = request.records.length;
  }
  if (name.length > PROTO_MAX_NAME_BYTES) {
    throw new RangeError(
      `Cannot encode render request: ME name of ${name.length} bytes exceeds ${PROTO_MAX_NAME_BYTES}`,
    );
  }
  if (spec.length > PROTO_MAX_SPEC_BYTES) {
    throw new RangeError(
      `Cannot encode render request: spec of ${spec.length} bytes exceeds ${PROTO_MAX_SPEC_BYTES}`,
    );
  }
  const total = PROTO_HEADER_BYTES + name.length + spec.length + data.length;
  if (total > PROTO_MAX_FRAME_BYTES) {
    throw new RangeError(
      `Cannot encode render request: frame of ${total} bytes exceeds ${PROTO_MAX_FRAME_BYTES}`,
    );
  }
  const frame = new Uint8Array(total);
  const view = new DataView(frame.buffer);
  const fields = [
    total,
    PROTO_MSG_GET_IMAGE_DATA,
    flags,
    0, // vlow: logged only
    0, // vhigh: logged only
    numObjects,
    0, // filelen: no streamer file
    name.length,
    spec.length,
    data.length,
    0, // qlen: quality reports are ignored by every daemon
  ];
  fields.forEach((v, i) => view.setUint32(i * 4, v, true));
  let pos = PROTO_HEADER_BYTES;
  for (const part of [name, spec, data]) {
    frame.set(part, pos);
    pos += part.length;
  }
  return frame;
}

/** A reply header. */
export interface ReplyHeader {
  /** Reply code (0 ok, 1 missing streamers, 2 error). */
  code: number;
  /** Payload bytes that follow. */
  length: number;
}

/**
 * Parse the 8-byte reply header, refusing lengths beyond the limit (a daemon
 * that claims more is broken and must not make us allocate it).
 *
 * @param bytes at least 8 bytes
 * @returns code and payload length
 * @throws {RangeError} when the header is short or the length exceeds `PROTO_MAX_REPLY_BYTES`
 */
export function parseReplyHeader(bytes: Uint8Array): ReplyHeader {
  if (bytes.length < PROTO_REPLY_HEADER_BYTES) {
    throw new RangeError(
      `Cannot read render reply: header has ${bytes.length} bytes, expected ${PROTO_REPLY_HEADER_BYTES}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, PROTO_REPLY_HEADER_BYTES);
  const code = view.getUint32(0, true);
  const length = view.getUint32(4, true);
  if (length > PROTO_MAX_REPLY_BYTES) {
    throw new RangeError(
      `Cannot read render reply: payload length ${length} exceeds ${PROTO_MAX_REPLY_BYTES}`,
    );
  }
  return { code, length };
}

/**
 * Whether bytes start with the PNG signature.
 *
 * @param bytes any bytes
 * @returns true for a PNG
 */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * Turn a reply into a result: a PNG payload is the image (also with codes 1
 * and 2, when the daemon could draw something); any other payload of a
 * failed render is the daemon's error text.
 *
 * @param code reply code
 * @param payload reply payload
 * @returns the result
 */
export function toRenderResult(code: number, payload: Uint8Array): RenderResult {
  if (code === REPLY_OK || isPng(payload)) return { code, png: payload };
  return { code, png: new Uint8Array(0), message: decoder.decode(payload) };
}
