/**
 * @module
 * Compresses key payloads into ROOT compression blocks (spec `formats.md`
 * §1.6): each block is a 9-byte header (`ZL`, method 8, compressed and
 * uncompressed sizes as little-endian 24-bit numbers) followed by a zlib
 * stream, and a payload is cut into blocks of at most 0xFFFFFF input bytes.
 *
 * Uses `node:zlib`, which Deno implements natively (no `Deno.*` here).
 */

import { deflateSync } from "node:zlib";

/** How the writer compresses key payloads. */
export interface CompressionSettings {
  /** `"zlib"` (ROOT algorithm 1, blocks tagged `ZL`) or `"none"`. */
  algorithm: "zlib" | "none";
  /** zlib level 1–9; 0 stores payloads uncompressed. */
  level: number;
}

/** Largest uncompressed input per block (ROOT `kMAXZIPBUF`, spec §1.6). */
export const MAX_BLOCK_INPUT = 0xffffff;
/** Block header size: 2-byte tag, method byte, two 3-byte sizes (spec §1.6). */
export const BLOCK_HEADER_SIZE = 9;
/** ROOT compresses only payloads longer than this (`TKey::TKey`: `fObjlen > 256`). */
export const MIN_COMPRESSED_PAYLOAD = 256;
/** `Z_DEFLATED`, the method byte of `ZL` blocks. */
const Z_DEFLATED = 8;
/** Largest value of a 24-bit size field. */
const MAX_24_BIT = 0xffffff;

/**
 * The TFile header's fCompress for these settings: `algorithm*100 + level`,
 * 0 for none (spec §1.2).
 *
 * @param s compression settings
 * @returns the fCompress value
 */
export function compressionSetting(s: CompressionSettings): number {
  if (s.algorithm === "none" || s.level === 0) return 0;
  return 100 + s.level;
}

/**
 * Checks settings and fills in defaults.
 *
 * @param algorithm `"zlib"` (default) or `"none"`
 * @param level zlib level, default 1 (what CMSSW writes: fCompress 101)
 * @returns validated settings
 * @throws {TypeError} for an unknown algorithm or a level outside 0–9
 */
export function compressionSettings(
  algorithm: string = "zlib",
  level: number = 1,
): CompressionSettings {
  if (algorithm !== "zlib" && algorithm !== "none") {
    throw new TypeError(`Cannot compress with "${algorithm}": supported are "zlib" and "none"`);
  }
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new TypeError(`Cannot compress with level ${level}: expected an integer 0–9`);
  }
  return { algorithm, level };
}

/**
 * Compresses a key payload the way `TKey` does: blocks of at most
 * {@link MAX_BLOCK_INPUT} input bytes, each `ZL` header + zlib stream.
 * Returns null when the payload should be stored as is: compression off,
 * payload of {@link MIN_COMPRESSED_PAYLOAD} bytes or less, or no gain.
 *
 * @param payload the uncompressed object bytes
 * @param s compression settings
 * @returns the concatenated blocks, or null to store `payload` uncompressed
 *
 * @example Compress a payload that spans one block
 * ```ts
 * import { zipPayload } from "./compression.ts";
 *
 * const blocks = zipPayload(new Uint8Array(1000), { algorithm: "zlib", level: 1 });
 * if (!blocks || blocks[0] !== 0x5a || blocks[1] !== 0x4c) throw new Error("expected a ZL block");
 * ```
 */
export function zipPayload(payload: Uint8Array, s: CompressionSettings): Uint8Array | null {
  if (compressionSetting(s) === 0 || payload.length <= MIN_COMPRESSED_PAYLOAD) return null;
  const blocks: Uint8Array[] = [];
  let total = 0;
  for (let start = 0; start < payload.length; start += MAX_BLOCK_INPUT) {
    const input = payload.subarray(start, Math.min(start + MAX_BLOCK_INPUT, payload.length));
    const body = deflateSync(input, { level: s.level });
    // A block whose zlib stream overflows the 24-bit size field cannot be framed.
    if (body.length > MAX_24_BIT) return null;
    const block = new Uint8Array(BLOCK_HEADER_SIZE + body.length);
    block[0] = 0x5a; // 'Z'
    block[1] = 0x4c; // 'L'
    block[2] = Z_DEFLATED;
    put24le(block, 3, body.length);
    put24le(block, 6, input.length);
    block.set(body, BLOCK_HEADER_SIZE);
    blocks.push(block);
    total += block.length;
  }
  // ROOT keeps the payload uncompressed when compression does not pay (`nout >= fObjlen`).
  if (total >= payload.length) return null;
  if (blocks.length === 1) return blocks[0]!;
  const out = new Uint8Array(total);
  let p = 0;
  for (const b of blocks) {
    out.set(b, p);
    p += b.length;
  }
  return out;
}

function put24le(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
}
