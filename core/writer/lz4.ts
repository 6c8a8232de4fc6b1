/**
 * @module
 * A greedy LZ4 *block* compressor (not the frame format): the body ROOT
 * puts after the XXH64 checksum of an `L4` compression block (spec
 * `formats.md` §1.6; ROOT `core/lz4/src/ZipLZ4.cxx` calls
 * `LZ4_compress_default` for levels below 4 and the HC compressor above).
 * One hash probe per position, as `LZ4_compress_fast` does at
 * acceleration 1: simple and fast, with ratios close to the reference
 * fast mode.
 *
 * Block format (lz4 `doc/lz4_Block_format.md`): sequences of a token byte
 * (literal length in the high nibble, match length − 4 in the low one,
 * 15 meaning "more length bytes follow"), the literals, a little-endian
 * 16-bit offset and the extra match-length bytes. The last sequence holds
 * literals only; the last 5 bytes are always literals (`LASTLITERALS`) and
 * no match starts in the last 12 bytes (`MFLIMIT`).
 *
 * This module is browser compatible.
 */

/** Shortest match the format can express. */
const MIN_MATCH = 4;
/** The last bytes of a block are always literals. */
const LAST_LITERALS = 5;
/** No match may start within this many bytes of the end. */
const MF_LIMIT = 12;
/** Largest offset a sequence can encode. */
const MAX_DISTANCE = 65535;
/** log2 of the largest hash table (64 Ki slots); small inputs use a smaller one. */
const MAX_HASH_LOG = 16;
/** log2 of the smallest hash table. */
const MIN_HASH_LOG = 8;
/** Knuth's multiplicative constant, as in LZ4_hash4. */
const HASH_MULTIPLIER = 2654435761;

const table = new Int32Array(1 << MAX_HASH_LOG);

/**
 * Worst-case size of the compressed form of `n` bytes (lz4
 * `LZ4_COMPRESSBOUND`).
 *
 * @param n input size
 * @returns an upper bound of the output size
 */
export function lz4Bound(n: number): number {
  return n + Math.floor(n / 255) + 16;
}

/**
 * Compresses `src` into one LZ4 block.
 *
 * @param src the input (any size up to 2 GiB)
 * @returns the block; decoding it yields exactly `src`
 *
 * @example Repetitive input shrinks
 * ```ts
 * import { lz4CompressBlock } from "./lz4.ts";
 *
 * const block = lz4CompressBlock(new TextEncoder().encode("abcabcabcabcabcabcabcabcabcabc"));
 * if (block.length >= 30) throw new Error("no compression");
 * ```
 */
export function lz4CompressBlock(src: Uint8Array): Uint8Array {
  const n = src.length;
  const out = new Uint8Array(lz4Bound(n));
  let op = 0;
  let anchor = 0;
  if (n >= MF_LIMIT + 1) {
    // A table about the input's size: clearing 64 Ki slots for a 300-byte payload would dominate.
    const hashLog = Math.max(MIN_HASH_LOG, Math.min(MAX_HASH_LOG, Math.ceil(Math.log2(n))));
    const shift = 32 - hashLog;
    table.fill(-1, 0, 1 << hashLog);
    const view = new DataView(src.buffer, src.byteOffset, n);
    const matchLimit = n - LAST_LITERALS;
    const mfLimit = n - MF_LIMIT;
    let ip = 0;
    while (ip < mfLimit) {
      const seq = view.getUint32(ip, true);
      const h = Math.imul(seq, HASH_MULTIPLIER) >>> shift;
      const ref = table[h]!;
      table[h] = ip;
      if (ref < 0 || ip - ref > MAX_DISTANCE || view.getUint32(ref, true) !== seq) {
        ip++;
        continue;
      }
      let len = MIN_MATCH;
      while (ip + len < matchLimit && src[ref + len] === src[ip + len]) len++;
      op = writeSequence(out, op, src, anchor, ip - anchor, ip - ref, len);
      ip += len;
      anchor = ip;
    }
  }
  op = writeLastLiterals(out, op, src, anchor, n - anchor);
  return out.subarray(0, op);
}

/** Writes a length beyond the 15 of a nibble as 255-bytes plus a remainder. */
function writeLength(out: Uint8Array, op: number, rest: number): number {
  while (rest >= 255) {
    out[op++] = 255;
    rest -= 255;
  }
  out[op++] = rest;
  return op;
}

function writeSequence(
  out: Uint8Array,
  op: number,
  src: Uint8Array,
  litStart: number,
  litLen: number,
  offset: number,
  matchLen: number,
): number {
  const ml = matchLen - MIN_MATCH;
  out[op++] = (Math.min(litLen, 15) << 4) | Math.min(ml, 15);
  if (litLen >= 15) op = writeLength(out, op, litLen - 15);
  out.set(src.subarray(litStart, litStart + litLen), op);
  op += litLen;
  out[op++] = offset & 0xff;
  out[op++] = offset >>> 8;
  if (ml >= 15) op = writeLength(out, op, ml - 15);
  return op;
}

function writeLastLiterals(
  out: Uint8Array,
  op: number,
  src: Uint8Array,
  start: number,
  len: number,
): number {
  out[op++] = Math.min(len, 15) << 4;
  if (len >= 15) op = writeLength(out, op, len - 15);
  out.set(src.subarray(start, start + len), op);
  return op + len;
}
