/**
 * @module
 * A small LZMA2 encoder: the payload ROOT puts, wrapped in an .xz stream,
 * inside an `XZ` compression block (spec `formats.md` §1.6; ROOT
 * `core/lzma/src/ZipLZMA.c` calls `lzma_easy_encoder`). It is a greedy
 * LZ77 parser over a hash-chain match finder, feeding the LZMA range coder
 * with literals, matched literals, rep0 matches and plain matches (lc=3,
 * lp=0, pb=2, the properties byte 0x5D liblzma writes). Compression is
 * below liblzma's (no optimal parsing, no rep1–3), but the output is
 * standard LZMA2 that xz, liblzma, JSROOT and `wasm/` decode.
 *
 * Layout facts: the LZMA SDK (`LzmaEnc.c`: range coder, literal, length
 * and distance coders, state transitions) and the LZMA2 chunk format of
 * xz-utils (`lzma2_decoder.c`): control byte, big-endian sizes minus one,
 * at most 2 MiB uncompressed and 64 KiB compressed per chunk. An input that
 * fits both limits becomes a single chunk (control 0xE0), which is all
 * JSROOT's decoder handles; longer inputs continue in further chunks, and a
 * chunk that would not shrink is stored as an uncompressed chunk.
 *
 * This module is browser compatible.
 */

/** lc=3, lp=0, pb=2: (pb*5 + lp)*9 + lc. */
export const LZMA_PROPS = 0x5d;
const LC = 3;
const POS_MASK = 3; // (1 << pb) - 1
const MATCH_MIN = 2;
const MATCH_MAX = 273;
const NUM_STATES = 12;
const BIT_MODEL_TOTAL = 1 << 11;
const MOVE_BITS = 5;
const TOP = 1 << 24;
const END_POS_MODEL = 14;
const FULL_DISTANCES = 128;
const ALIGN_BITS = 4;
/** LZMA2 chunk limits (xz `lzma2_encoder.h`: LZMA2_CHUNK_MAX, LZMA2_UNCOMPRESSED_MAX). */
const CHUNK_UNCOMPRESSED_MAX = 1 << 21;
const CHUNK_COMPRESSED_MAX = 1 << 16;
/** Room kept for the largest symbol plus the range coder flush. */
const CHUNK_MARGIN = 64;
const LITERAL_NEXT = [0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 4, 5];
const HASH_BITS = 16;
/** Hash-chain depth per compression level 1..9. */
const CHAIN_DEPTH = [4, 4, 8, 12, 16, 24, 32, 48, 64, 128];

/** Range coder (LZMA SDK `RangeEnc_*`), writing into a growable byte array. */
class RangeEncoder {
  out = new Uint8Array(CHUNK_COMPRESSED_MAX + 1024);
  pos = 0;
  #low = 0;
  #range = 0xffffffff;
  #cache = 0;
  #cacheSize = 1;

  reset(): void {
    this.pos = 0;
    this.#low = 0;
    this.#range = 0xffffffff;
    this.#cache = 0;
    this.#cacheSize = 1;
  }

  /** Bytes this chunk will take once flushed. */
  get pending(): number {
    return this.pos + this.#cacheSize + 5;
  }

  #shiftLow(): void {
    const low = this.#low;
    if (low < 0xff000000 || low >= 0x100000000) {
      const carry = low >= 0x100000000 ? 1 : 0;
      let temp = this.#cache;
      do {
        if (this.pos >= this.out.length) this.#grow();
        this.out[this.pos++] = (temp + carry) & 0xff;
        temp = 0xff;
      } while (--this.#cacheSize !== 0);
      this.#cache = (low >>> 24) & 0xff;
    }
    this.#cacheSize++;
    this.#low = ((low >>> 0) & 0x00ffffff) * 256;
  }

  #grow(): void {
    const next = new Uint8Array(this.out.length * 2);
    next.set(this.out);
    this.out = next;
  }

  bit(probs: Uint16Array, i: number, bit: number): void {
    const p = probs[i]!;
    const bound = (this.#range >>> 11) * p;
    if (bit === 0) {
      this.#range = bound;
      probs[i] = p + ((BIT_MODEL_TOTAL - p) >>> MOVE_BITS);
    } else {
      this.#low += bound;
      this.#range = (this.#range - bound) >>> 0;
      probs[i] = p - (p >>> MOVE_BITS);
    }
    while (this.#range < TOP) {
      this.#range = (this.#range << 8) >>> 0;
      this.#shiftLow();
    }
  }

  direct(value: number, count: number): void {
    while (count > 0) {
      count--;
      this.#range >>>= 1;
      if ((value >>> count) & 1) this.#low += this.#range;
      if (this.#range < TOP) {
        this.#range = (this.#range << 8) >>> 0;
        this.#shiftLow();
      }
    }
  }

  /** Bit tree, most significant bit first (`RcTree_Encode`). */
  tree(probs: Uint16Array, base: number, bits: number, symbol: number): void {
    let m = 1;
    for (let i = bits - 1; i >= 0; i--) {
      const b = (symbol >>> i) & 1;
      this.bit(probs, base + m, b);
      m = (m << 1) | b;
    }
  }

  /** Bit tree, least significant bit first (`RcTree_ReverseEncode`). */
  reverse(probs: Uint16Array, base: number, bits: number, symbol: number): void {
    let m = 1;
    for (let i = 0; i < bits; i++) {
      const b = symbol & 1;
      symbol >>>= 1;
      this.bit(probs, base + m, b);
      m = (m << 1) | b;
    }
  }

  flush(): Uint8Array {
    for (let i = 0; i < 5; i++) this.#shiftLow();
    return this.out.subarray(0, this.pos);
  }
}

/** Length coder (`LenEnc_Encode`): choice bits, then 3-, 3- or 8-bit trees. */
class LengthEncoder {
  readonly probs = new Uint16Array(2 + 16 * 8 * 2 + 256);

  reset(): void {
    this.probs.fill(BIT_MODEL_TOTAL >>> 1);
  }

  encode(rc: RangeEncoder, len: number, posState: number): void {
    let s = len - MATCH_MIN;
    const p = this.probs;
    if (s < 8) {
      rc.bit(p, 0, 0);
      rc.tree(p, 2 + posState * 8, 3, s);
      return;
    }
    rc.bit(p, 0, 1);
    s -= 8;
    if (s < 8) {
      rc.bit(p, 1, 0);
      rc.tree(p, 2 + 128 + posState * 8, 3, s);
    } else {
      rc.bit(p, 1, 1);
      rc.tree(p, 2 + 256, 8, s - 8);
    }
  }
}

/** Probability model and coding state of one LZMA stream. */
class LzmaState {
  readonly isMatch = new Uint16Array(NUM_STATES << 4);
  readonly isRep = new Uint16Array(NUM_STATES);
  readonly isRepG0 = new Uint16Array(NUM_STATES);
  readonly isRep0Long = new Uint16Array(NUM_STATES << 4);
  readonly literal = new Uint16Array(0x300 << LC);
  readonly posSlot = new Uint16Array(4 << 6);
  readonly posSpecial = new Uint16Array(FULL_DISTANCES - END_POS_MODEL + 1);
  readonly align = new Uint16Array(1 << ALIGN_BITS);
  readonly len = new LengthEncoder();
  readonly repLen = new LengthEncoder();
  state = 0;
  rep0 = 0;

  reset(): void {
    for (
      const p of [
        this.isMatch,
        this.isRep,
        this.isRepG0,
        this.isRep0Long,
        this.literal,
        this.posSlot,
        this.posSpecial,
        this.align,
      ]
    ) p.fill(BIT_MODEL_TOTAL >>> 1);
    this.len.reset();
    this.repLen.reset();
    this.state = 0;
    this.rep0 = 0;
  }
}

function distanceSlot(dist: number): number {
  if (dist < 4) return dist;
  const log = 31 - Math.clz32(dist);
  return (log << 1) | ((dist >>> (log - 1)) & 1);
}

/**
 * Encodes `src` as an LZMA2 stream (chunks, then the 0x00 end marker).
 *
 * @param src the input
 * @param level 1–9: how far the match finder searches
 * @returns the LZMA2 stream
 *
 * @example
 * ```ts
 * import { lzma2Encode } from "./lzma.ts";
 *
 * const out = lzma2Encode(new Uint8Array(10000), 6);
 * if (out[0] !== 0xe0 || out.length > 100) throw new Error("expected one small LZMA chunk");
 * ```
 */
export function lzma2Encode(src: Uint8Array, level: number): Uint8Array {
  const depth = CHAIN_DEPTH[Math.max(1, Math.min(9, level))]!;
  const st = new LzmaState();
  const rc = new RangeEncoder();
  const head = new Int32Array(1 << HASH_BITS).fill(-1);
  const prev = new Int32Array(src.length);
  const parts: Uint8Array[] = [];
  let total = 0;
  const push = (b: Uint8Array) => {
    parts.push(b);
    total += b.length;
  };
  let pos = 0;
  let inserted = 0;
  let dictReset = true;
  let needProps = true;
  let needStateReset = true;
  const insertUpTo = (end: number) => {
    for (; inserted < end && inserted + 2 < src.length; inserted++) {
      const h = hash3(src, inserted);
      prev[inserted] = head[h]!;
      head[h] = inserted;
    }
  };
  while (pos < src.length) {
    const chunkStart = pos;
    if (needStateReset) st.reset();
    rc.reset();
    const limit = Math.min(src.length, chunkStart + CHUNK_UNCOMPRESSED_MAX);
    while (pos < limit && rc.pending < CHUNK_COMPRESSED_MAX - CHUNK_MARGIN) {
      insertUpTo(pos);
      pos += encodeSymbol(st, rc, src, pos, limit, head, prev, depth);
    }
    const data = rc.flush();
    const u = pos - chunkStart;
    if (data.length >= u) {
      // Not worth it: store the chunk (xz does the same), then reset the LZMA state.
      for (let s = chunkStart; s < pos; s += CHUNK_COMPRESSED_MAX) {
        const e = Math.min(pos, s + CHUNK_COMPRESSED_MAX);
        push(
          Uint8Array.of(dictReset ? 0x01 : 0x02, ((e - s - 1) >>> 8) & 0xff, (e - s - 1) & 0xff),
        );
        push(src.subarray(s, e));
        if (dictReset) needProps = true;
        dictReset = false;
      }
      needStateReset = true;
      continue;
    }
    const control = dictReset ? 0xe0 : needProps ? 0xc0 : needStateReset ? 0xa0 : 0x80;
    const header = [
      control | ((u - 1) >>> 16),
      ((u - 1) >>> 8) & 0xff,
      (u - 1) & 0xff,
      ((data.length - 1) >>> 8) & 0xff,
      (data.length - 1) & 0xff,
    ];
    if (control >= 0xc0) header.push(LZMA_PROPS);
    push(Uint8Array.from(header));
    push(data.slice());
    dictReset = false;
    needProps = false;
    needStateReset = false;
  }
  push(Uint8Array.of(0x00));
  const out = new Uint8Array(total);
  let p = 0;
  for (const b of parts) {
    out.set(b, p);
    p += b.length;
  }
  return out;
}

function hash3(src: Uint8Array, p: number): number {
  const v = src[p]! | (src[p + 1]! << 8) | (src[p + 2]! << 16);
  return Math.imul(v, 2654435761) >>> (32 - HASH_BITS);
}

/** Length of the common prefix of src[a..] and src[b..], capped at `max`. */
function matchLength(src: Uint8Array, a: number, b: number, max: number): number {
  let n = 0;
  while (n < max && src[a + n] === src[b + n]) n++;
  return n;
}

/** Chooses and encodes one symbol at `pos`; returns how many bytes it covers. */
function encodeSymbol(
  st: LzmaState,
  rc: RangeEncoder,
  src: Uint8Array,
  pos: number,
  limit: number,
  head: Int32Array,
  prev: Int32Array,
  depth: number,
): number {
  const max = Math.min(MATCH_MAX, limit - pos);
  const posState = pos & POS_MASK;
  const state = st.state;
  const stIndex = (state << 4) | posState;
  let repLen = 0;
  if (pos > st.rep0 && max >= MATCH_MIN) {
    repLen = matchLength(src, pos, pos - st.rep0 - 1, max);
  }
  let bestLen = 0;
  let bestDist = 0;
  if (max >= 3 && pos + 2 < src.length) {
    let cand = head[hash3(src, pos)]!;
    for (let d = 0; d < depth && cand >= 0; d++) {
      if (src[cand + bestLen] === src[pos + bestLen]) {
        const len = matchLength(src, pos, cand, max);
        if (len > bestLen) {
          bestLen = len;
          bestDist = pos - cand - 1;
          if (len === max) break;
        }
      }
      cand = prev[cand]!;
    }
  }
  if (repLen >= MATCH_MIN && repLen + 1 >= bestLen) {
    rc.bit(st.isMatch, stIndex, 1);
    rc.bit(st.isRep, state, 1);
    rc.bit(st.isRepG0, state, 0);
    rc.bit(st.isRep0Long, stIndex, 1);
    st.repLen.encode(rc, repLen, posState);
    st.state = state < 7 ? 8 : 11;
    return repLen;
  }
  // A 3-byte match far away costs more than three literals.
  if (bestLen >= 3 && !(bestLen === 3 && bestDist >= 0x4000)) {
    rc.bit(st.isMatch, stIndex, 1);
    rc.bit(st.isRep, state, 0);
    st.len.encode(rc, bestLen, posState);
    const slot = distanceSlot(bestDist);
    rc.tree(st.posSlot, Math.min(bestLen - MATCH_MIN, 3) << 6, 6, slot);
    if (slot >= 4) {
      const footer = (slot >>> 1) - 1;
      const base = (2 | (slot & 1)) << footer;
      const reduced = bestDist - base;
      if (slot < END_POS_MODEL) {
        rc.reverse(st.posSpecial, base - slot - 1, footer, reduced);
      } else {
        rc.direct(reduced >>> ALIGN_BITS, footer - ALIGN_BITS);
        rc.reverse(st.align, 0, ALIGN_BITS, reduced & ((1 << ALIGN_BITS) - 1));
      }
    }
    st.rep0 = bestDist;
    st.state = state < 7 ? 7 : 10;
    return bestLen;
  }
  rc.bit(st.isMatch, stIndex, 0);
  const prevByte = pos > 0 ? src[pos - 1]! : 0;
  const base = 0x300 * (prevByte >>> (8 - LC));
  let symbol = src[pos]! | 0x100;
  if (state < 7) {
    do {
      rc.bit(st.literal, base + (symbol >>> 8), (symbol >>> 7) & 1);
      symbol <<= 1;
    } while (symbol < 0x10000);
  } else {
    // Matched literal: the byte at the rep0 distance steers the probabilities.
    let matchByte = src[pos - st.rep0 - 1]!;
    let offs = 0x100;
    do {
      matchByte <<= 1;
      rc.bit(st.literal, base + offs + (matchByte & offs) + (symbol >>> 8), (symbol >>> 7) & 1);
      symbol <<= 1;
      offs &= ~(matchByte ^ symbol);
    } while (symbol < 0x10000);
  }
  st.state = LITERAL_NEXT[state]!;
  return 1;
}
