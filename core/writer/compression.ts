/**
 * @module
 * Compresses key and basket payloads into ROOT compression blocks (spec
 * `formats.md` §1.6). Each block is a 9-byte header (two tag letters, a
 * method byte, compressed and uncompressed sizes as little-endian 24-bit
 * numbers) and a body, and a payload is cut into blocks of at most
 * 0xFFFFFF input bytes (ROOT `kMAXZIPBUF`):
 *
 * | algorithm | fCompress | tag, method | body |
 * |---|---|---|---|
 * | zlib | 100 + level | `ZL` 8 | zlib stream (`node:zlib` deflate) |
 * | lzma | 200 + level | `XZ` 0 | complete .xz stream (`xz.ts`, or an injected encoder) |
 * | lz4  | 400 + level | `L4` 1 | big-endian XXH64 of the LZ4 block, then the block (`lz4.ts`) |
 * | zstd | 500 + level | `ZS` 1 | one Zstandard frame (`node:zlib`) |
 *
 * The method bytes are those ROOT 6 writes (checked on `uproot-HZZ-lz4`,
 * `-zstd` and `-lzma.root`). Uses `node:zlib`, which Deno implements
 * natively (no `Deno.*` here).
 */

import { constants, deflateSync, zstdCompressSync } from "node:zlib";
import { lz4CompressBlock } from "./lz4.ts";
import { xxh64 } from "./xxhash64.ts";
import { xzCompress } from "./xz.ts";

/** A compression algorithm the writer supports. */
export type CompressionAlgorithm = "zlib" | "lzma" | "lz4" | "zstd" | "none";

/**
 * Produces a complete .xz stream for `input` (for example by piping it
 * through the `xz` command); replaces the built-in LZMA encoder.
 */
export type XzEncoder = (input: Uint8Array, level: number) => Uint8Array;

/** How the writer compresses key payloads. */
export interface CompressionSettings {
  /** The algorithm; `"none"` stores payloads as they are. */
  algorithm: CompressionAlgorithm;
  /** Level 1–9; 0 stores payloads uncompressed. */
  level: number;
  /** LZMA only: an external encoder used instead of `xz.ts`. */
  xzEncoder?: XzEncoder;
}

/** Largest uncompressed input per block (ROOT `kMAXZIPBUF`, spec §1.6). */
export const MAX_BLOCK_INPUT = 0xffffff;
/** Block header size: 2-byte tag, method byte, two 3-byte sizes (spec §1.6). */
export const BLOCK_HEADER_SIZE = 9;
/** ROOT compresses key payloads only when longer than this (`TKey::TKey`: `fObjlen > 256`). */
export const MIN_COMPRESSED_PAYLOAD = 256;
/** Largest value of a 24-bit size field. */
const MAX_24_BIT = 0xffffff;
/** ROOT's algorithm numbers (`ROOT::RCompressionSetting::EAlgorithm`), times 100 in fCompress. */
const ALGORITHM_CODES: Record<Exclude<CompressionAlgorithm, "none">, number> = {
  zlib: 1,
  lzma: 2,
  lz4: 4,
  zstd: 5,
};
/**
 * Default level per algorithm: zlib 1 (CMSSW's DQM files: fCompress 101),
 * LZMA 4 (CMSSW's `LZMA:4` event data), LZ4 4 and ZSTD 5 (ROOT's defaults
 * 404 and 505).
 */
const DEFAULT_LEVELS: Record<CompressionAlgorithm, number> = {
  zlib: 1,
  lzma: 4,
  lz4: 4,
  zstd: 5,
  none: 0,
};
/** Tag letters and method byte of each algorithm's blocks. */
const BLOCK_TAGS: Record<Exclude<CompressionAlgorithm, "none">, [number, number, number]> = {
  zlib: [0x5a, 0x4c, 8], // "ZL", Z_DEFLATED
  lzma: [0x58, 0x5a, 0], // "XZ"
  lz4: [0x4c, 0x34, 1], // "L4", LZ4 major version
  zstd: [0x5a, 0x53, 1], // "ZS"
};

/**
 * The TFile header's fCompress for these settings: `algorithm*100 + level`,
 * 0 for none (spec §1.2).
 *
 * @param s compression settings
 * @returns the fCompress value
 */
export function compressionSetting(s: CompressionSettings): number {
  if (s.algorithm === "none" || s.level === 0) return 0;
  return ALGORITHM_CODES[s.algorithm] * 100 + s.level;
}

/**
 * Checks settings and fills in defaults.
 *
 * @param algorithm `"zlib"` (default), `"lzma"`, `"lz4"`, `"zstd"` or `"none"`
 * @param level 0–9; default per algorithm (zlib 1, lzma 4, lz4 4, zstd 5)
 * @param xzEncoder LZMA only: an external .xz encoder
 * @returns validated settings
 * @throws {TypeError} for an unknown algorithm or a level outside 0–9
 */
export function compressionSettings(
  algorithm: string = "zlib",
  level?: number,
  xzEncoder?: XzEncoder,
): CompressionSettings {
  if (!Object.hasOwn(DEFAULT_LEVELS, algorithm)) {
    throw new TypeError(
      `Cannot compress with "${algorithm}": supported are ${
        Object.keys(DEFAULT_LEVELS).map((a) => `"${a}"`).join(", ")
      }`,
    );
  }
  const algo = algorithm as CompressionAlgorithm;
  const lvl = level ?? DEFAULT_LEVELS[algo];
  if (!Number.isInteger(lvl) || lvl < 0 || lvl > 9) {
    throw new TypeError(`Cannot compress with level ${lvl}: expected an integer 0–9`);
  }
  return xzEncoder ? { algorithm: algo, level: lvl, xzEncoder } : { algorithm: algo, level: lvl };
}

/** The body of one block, or null when it cannot be framed. */
function compressBlock(input: Uint8Array, s: CompressionSettings): Uint8Array | null {
  switch (s.algorithm) {
    case "zlib":
      return deflateSync(input, { level: s.level });
    case "lzma":
      return (s.xzEncoder ?? xzCompress)(input, s.level);
    case "zstd":
      return zstdCompressSync(input, {
        params: { [constants.ZSTD_c_compressionLevel]: s.level },
      });
    case "lz4": {
      const block = lz4CompressBlock(input);
      const body = new Uint8Array(8 + block.length);
      body.set(xxh64(block)); // ROOT ZipLZ4.cxx: checksum of the compressed data, big-endian
      body.set(block, 8);
      return body;
    }
    default:
      return null;
  }
}

/**
 * Compresses a payload the way `TKey` and `TBasket` do: blocks of at most
 * {@link MAX_BLOCK_INPUT} input bytes, each a header and a body. Returns
 * null when the payload should be stored as is: compression off, payload of
 * `minSize` bytes or less, or no gain.
 *
 * @param payload the uncompressed object bytes
 * @param s compression settings
 * @param minSize payloads this short stay uncompressed: {@link MIN_COMPRESSED_PAYLOAD}
 *   for keys (the default), 0 for baskets (`TBasket::WriteBuffer` has no such limit)
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
export function zipPayload(
  payload: Uint8Array,
  s: CompressionSettings,
  minSize: number = MIN_COMPRESSED_PAYLOAD,
): Uint8Array | null {
  if (compressionSetting(s) === 0 || payload.length <= minSize) return null;
  const tag = BLOCK_TAGS[s.algorithm as Exclude<CompressionAlgorithm, "none">];
  const blocks: Uint8Array[] = [];
  let total = 0;
  for (let start = 0; start < payload.length; start += MAX_BLOCK_INPUT) {
    const input = payload.subarray(start, Math.min(start + MAX_BLOCK_INPUT, payload.length));
    const body = compressBlock(input, s);
    // A block whose body overflows the 24-bit size field cannot be framed.
    if (!body || body.length > MAX_24_BIT) return null;
    const block = new Uint8Array(BLOCK_HEADER_SIZE + body.length);
    block.set(tag);
    put24le(block, 3, body.length);
    put24le(block, 6, input.length);
    block.set(body, BLOCK_HEADER_SIZE);
    blocks.push(block);
    total += block.length;
    // ROOT stores the payload uncompressed as soon as a block does not pay (`nout >= fObjlen`).
    if (total >= payload.length) return null;
  }
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
