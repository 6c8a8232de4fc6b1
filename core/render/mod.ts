/**
 * @module
 * The Deno side of rendering: the client of the native render daemons
 * (`render-native/`, reached only through this folder, STYLE rule 1).
 *
 * - {@link specString} and {@link encodeRequest}: the classic wire protocol
 *   (spec/render.md §1–2), byte for byte, with the option fixes of our daemon;
 * - {@link recordFromKeyPayload} and {@link recordFromObject}: object records
 *   at the class versions the daemon decodes ({@link DAEMON_CLASS_VERSIONS}),
 *   re-encoding anything older with `core/writer`;
 * - {@link RenderPool}: N daemon processes on UNIX sockets, a bounded queue,
 *   per-request timeouts, restart and one retry; {@link RenderUnavailableError}
 *   when no daemon can answer (HTTP 503).
 *
 * @example Frame the classic "ME not found" request
 * ```ts
 * import { encodeRequest, specString } from "./mod.ts";
 * const options = { width: 266, height: 200, stats: true, norm: true, errors: false };
 * if (specString(options) !== "h=200;w=266") throw new Error("spec");
 * const frame = encodeRequest({ kind: "scalar", text: "ME not found", options });
 * if (frame.length !== 67) throw new Error("frame");
 * ```
 */

export type { RenderOptions, RenderRecord, RenderRequest, RenderResult } from "./types.ts";
export { RenderUnavailableError } from "./errors.ts";
export { encodeOptionValue, MAX_IMAGE_SIZE, MAX_REFLABELS, specString } from "./spec.ts";
export {
  encodeRequest,
  isPng,
  parseReplyHeader,
  PROTO_FLAG_EFFICIENCY,
  PROTO_FLAG_OBJECT,
  PROTO_FLAG_SCALAR,
  PROTO_HEADER_BYTES,
  PROTO_MAX_FRAME_BYTES,
  PROTO_MAX_NAME_BYTES,
  PROTO_MAX_OBJECTS,
  PROTO_MAX_REPLY_BYTES,
  PROTO_MAX_SPEC_BYTES,
  REPLY_ERROR,
  REPLY_MISSING_STREAMERS,
  REPLY_OK,
  toRenderResult,
} from "./protocol.ts";
export { DAEMON_CLASS_VERSIONS, recordFromKeyPayload, recordFromObject } from "./records.ts";
export { RenderPool, type RenderPoolOptions } from "./pool.ts";
export { DAEMON_BINARY, defaultRenderCommand, renderEpoch } from "./command.ts";
