/**
 * @module
 * Wraps an LZMA2 stream in a complete single-block .xz stream, as ROOT's
 * `XZ` compression blocks carry one (spec `formats.md` §1.6; ROOT
 * `ZipLZMA.c` uses `lzma_easy_encoder(..., LZMA_CHECK_CRC32)`). Layout from
 * the xz file format specification 1.1.0: stream header (magic, flags,
 * CRC32), block header (one LZMA2 filter with its dictionary-size byte),
 * the LZMA2 data, block padding, the CRC32 of the uncompressed data, the
 * index (one record) and the stream footer.
 *
 * This module is browser compatible.
 */

import { crc32 } from "./_crc32.ts";
import { lzma2Encode } from "./lzma.ts";

const MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const FOOTER_MAGIC = [0x59, 0x5a]; // "YZ"
/** Stream flags: no reserved bits, check type 1 (CRC32). */
const STREAM_FLAGS = [0x00, 0x01];
/** LZMA2 filter ID (xz spec §5.3.1). */
const FILTER_LZMA2 = 0x21;
const CHECK_SIZE = 4;

/**
 * The LZMA2 dictionary-size byte: the smallest `d` whose size
 * `(2 | (d & 1)) << (d / 2 + 11)` holds `n` bytes (xz spec §5.3.1).
 */
function dictionaryByte(n: number): number {
  for (let d = 0; d < 40; d++) {
    if ((2 | (d & 1)) * 2 ** ((d >>> 1) + 11) >= n) return d;
  }
  return 40;
}

function varint(v: number): number[] {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function le32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

function withCrc(bytes: number[]): number[] {
  return [...bytes, ...le32(crc32(Uint8Array.from(bytes)))];
}

/**
 * Compresses `src` into a complete .xz stream.
 *
 * @param src the input
 * @param level 1–9 (search effort of {@link lzma2Encode})
 * @returns the .xz stream
 *
 * @example
 * ```ts
 * import { xzCompress } from "./xz.ts";
 *
 * const xz = xzCompress(new TextEncoder().encode("hello"), 6);
 * if (xz[0] !== 0xfd || xz[xz.length - 1] !== 0x5a) throw new Error("not an .xz stream");
 * ```
 */
export function xzCompress(src: Uint8Array, level: number): Uint8Array {
  return xzWrap(lzma2Encode(src, level), src);
}

/**
 * Wraps an LZMA2 stream whose content is `src` into an .xz stream.
 *
 * @param lzma2 the LZMA2 chunks and end marker
 * @param src the uncompressed content (for the size, dictionary and CRC32)
 * @returns the .xz stream
 */
export function xzWrap(lzma2: Uint8Array, src: Uint8Array): Uint8Array {
  const streamHeader = [...MAGIC, ...withCrc(STREAM_FLAGS)];
  // Block header: size byte ((12 / 4) - 1), flags (one filter, no sizes), the
  // filter with its 1-byte properties, padding to 8 bytes, CRC32.
  const blockHeader = withCrc([
    0x02,
    0x00,
    FILTER_LZMA2,
    0x01,
    dictionaryByte(src.length),
    0,
    0,
    0,
  ]);
  const unpadded = blockHeader.length + lzma2.length + CHECK_SIZE;
  const padding = (4 - ((blockHeader.length + lzma2.length) % 4)) % 4;
  const indexBody = [0x00, ...varint(1), ...varint(unpadded), ...varint(src.length)];
  while (indexBody.length % 4 !== 0) indexBody.push(0);
  const index = withCrc(indexBody);
  // Stream footer: CRC32 first, then the backward size (index size / 4 - 1) and the flags it covers.
  const footerFields = [...le32(index.length / 4 - 1), ...STREAM_FLAGS];
  const footer = [...le32(crc32(Uint8Array.from(footerFields))), ...footerFields, ...FOOTER_MAGIC];
  const size = streamHeader.length + blockHeader.length + lzma2.length + padding + CHECK_SIZE +
    index.length + footer.length;
  const out = new Uint8Array(size);
  let p = 0;
  const put = (b: ArrayLike<number>) => {
    out.set(b, p);
    p += b.length;
  };
  put(streamHeader);
  put(blockHeader);
  put(lzma2);
  p += padding;
  put(le32(crc32(src)));
  put(index);
  put(footer);
  return out;
}
