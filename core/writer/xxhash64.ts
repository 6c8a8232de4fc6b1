/**
 * @module
 * XXH64 (seed 0 by default), the checksum ROOT puts in front of every `L4`
 * compression block (spec `formats.md` §1.6; ROOT `core/lz4/src/ZipLZ4.cxx`
 * stores it big-endian). Written with 32-bit halves instead of BigInt so
 * that hashing runs at hundreds of MB/s; `wasm/mod.ts` has a decoder-side
 * XXH64, but it loads asynchronously and the writer is synchronous.
 *
 * Algorithm: Yann Collet's xxHash specification (`doc/xxhash_spec.md`):
 * four 64-bit lanes over 32-byte stripes, then 8-, 4- and 1-byte tails and
 * an avalanche.
 *
 * This module is browser compatible.
 */

// The five 64-bit primes of the specification, as [high, low] 32-bit halves.
const P1H = 0x9e3779b1, P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d, P2L = 0x27d4eb4f;
const P3H = 0x165667b1, P3L = 0x9e3779f9;
const P4H = 0x85ebca77, P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f, P5L = 0x165667c5;

// Result registers of the 64-bit helpers (no allocation per operation).
let rh = 0;
let rl = 0;

/** (ah:al) * (bh:bl) mod 2^64 into rh:rl. */
function mul(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff, a1 = al >>> 16, b0 = bl & 0xffff, b1 = bl >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  rl = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const hi = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  rh = (hi + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

/** (ah:al) + (bh:bl) mod 2^64 into rh:rl. */
function add(ah: number, al: number, bh: number, bl: number): void {
  const lo = al + bl;
  rl = lo >>> 0;
  rh = (ah + bh + (lo > 0xffffffff ? 1 : 0)) >>> 0;
}

/** Rotate (h:l) left by r (0 < r < 32) into rh:rl. */
function rotl(h: number, l: number, r: number): void {
  rh = ((h << r) | (l >>> (32 - r))) >>> 0;
  rl = ((l << r) | (h >>> (32 - r))) >>> 0;
}

/** round(acc, input) = rotl(acc + input * P2, 31) * P1, into rh:rl. */
function round(acch: number, accl: number, ih: number, il: number): void {
  mul(ih, il, P2H, P2L);
  add(acch, accl, rh, rl);
  rotl(rh, rl, 31);
  mul(rh, rl, P1H, P1L);
}

/**
 * XXH64 of `data` with seed 0.
 *
 * @param data the bytes to hash
 * @returns the hash as 8 big-endian bytes (ROOT's on-disk order)
 *
 * @example The specification's test vector for "abc"
 * ```ts
 * import { xxh64 } from "./xxhash64.ts";
 *
 * const hex = Array.from(xxh64(new TextEncoder().encode("abc")), (b) => b.toString(16).padStart(2, "0")).join("");
 * if (hex !== "44bc2cf5ad770999") throw new Error(hex);
 * ```
 */
export function xxh64(data: Uint8Array): Uint8Array {
  const n = data.length;
  const view = new DataView(data.buffer, data.byteOffset, n);
  let p = 0;
  let hh: number, hl: number;
  if (n >= 32) {
    // Lanes start at seed + P1 + P2, seed + P2, seed, seed - P1 (seed 0).
    let v1h = 0x60ea27ee, v1l = 0xadc0b5d6; // P1 + P2 mod 2^64
    let v2h = P2H, v2l = P2L;
    let v3h = 0, v3l = 0;
    let v4h = 0x61c8864e, v4l = 0x7a143579; // -P1 mod 2^64
    const limit = n - 32;
    while (p <= limit) {
      round(v1h, v1l, view.getUint32(p + 4, true), view.getUint32(p, true));
      v1h = rh, v1l = rl;
      round(v2h, v2l, view.getUint32(p + 12, true), view.getUint32(p + 8, true));
      v2h = rh, v2l = rl;
      round(v3h, v3l, view.getUint32(p + 20, true), view.getUint32(p + 16, true));
      v3h = rh, v3l = rl;
      round(v4h, v4l, view.getUint32(p + 28, true), view.getUint32(p + 24, true));
      v4h = rh, v4l = rl;
      p += 32;
    }
    rotl(v1h, v1l, 1);
    let ah = rh, al = rl;
    rotl(v2h, v2l, 7);
    add(ah, al, rh, rl), ah = rh, al = rl;
    rotl(v3h, v3l, 12);
    add(ah, al, rh, rl), ah = rh, al = rl;
    rotl(v4h, v4l, 18);
    add(ah, al, rh, rl), hh = rh, hl = rl;
    for (const [vh, vl] of [[v1h, v1l], [v2h, v2l], [v3h, v3l], [v4h, v4l]] as const) {
      // mergeRound: acc = (acc ^ round(0, v)) * P1 + P4
      round(0, 0, vh, vl);
      mul((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, P1H, P1L);
      add(rh, rl, P4H, P4L), hh = rh, hl = rl;
    }
  } else {
    hh = P5H, hl = P5L;
  }
  add(hh, hl, Math.floor(n / 0x100000000), n >>> 0), hh = rh, hl = rl;
  while (p + 8 <= n) {
    round(0, 0, view.getUint32(p + 4, true), view.getUint32(p, true));
    rotl((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, 27);
    mul(rh, rl, P1H, P1L);
    add(rh, rl, P4H, P4L), hh = rh, hl = rl;
    p += 8;
  }
  if (p + 4 <= n) {
    mul(0, view.getUint32(p, true), P1H, P1L);
    rotl((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, 23);
    mul(rh, rl, P2H, P2L);
    add(rh, rl, P3H, P3L), hh = rh, hl = rl;
    p += 4;
  }
  while (p < n) {
    mul(0, data[p]!, P5H, P5L);
    rotl((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, 11);
    mul(rh, rl, P1H, P1L), hh = rh, hl = rl;
    p++;
  }
  // Avalanche: h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32.
  hl = (hl ^ (hh >>> 1)) >>> 0;
  mul(hh, hl, P2H, P2L), hh = rh, hl = rl;
  const shiftedLow = ((hh << 3) | (hl >>> 29)) >>> 0;
  hh = (hh ^ (hh >>> 29)) >>> 0;
  hl = (hl ^ shiftedLow) >>> 0;
  mul(hh, hl, P3H, P3L), hh = rh, hl = rl;
  hl = (hl ^ hh) >>> 0;
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setUint32(0, hh);
  v.setUint32(4, hl);
  return out;
}
