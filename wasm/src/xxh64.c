/*
 * xxh64.c: the XXH64 hash, written from the xxHash specification
 * ("xxhash_spec.md", section "XXH64 Algorithm Description").
 *
 * ROOT's "L4" compression blocks start with the XXH64 (seed 0) of the LZ4
 * data that follows, stored big-endian (shared/spec/formats.md section
 * 1.6), so the digest is written in that canonical byte order.
 */
#include <string.h>

#include "rd.h"

/* The five 64-bit primes of the specification. */
#define PRIME64_1 0x9E3779B185EBCA87ull
#define PRIME64_2 0xC2B2AE3D27D4EB4Full
#define PRIME64_3 0x165667B19E3779F9ull
#define PRIME64_4 0x85EBCA77C2B2AE63ull
#define PRIME64_5 0x27D4EB2F165667C5ull
/* Input is consumed in stripes of four 8-byte lanes. */
#define STRIPE 32
#define DIGEST_SIZE 8

static inline uint64_t rotl64(uint64_t x, int r) {
  return (x << r) | (x >> (64 - r));
}

/* The spec reads lanes little-endian; wasm is little-endian, and memcpy
 * keeps unaligned reads defined. */
static inline uint64_t read64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

static inline uint32_t read32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static inline uint64_t round64(uint64_t acc, uint64_t lane) {
  acc += lane * PRIME64_2;
  acc = rotl64(acc, 31);
  return acc * PRIME64_1;
}

static inline uint64_t merge_round(uint64_t acc, uint64_t v) {
  acc ^= round64(0, v);
  return acc * PRIME64_1 + PRIME64_4;
}

static uint64_t xxh64(const uint8_t *p, size_t len, uint64_t seed) {
  const uint8_t *end = p + len;
  uint64_t acc;

  if (len >= STRIPE) {
    uint64_t v1 = seed + PRIME64_1 + PRIME64_2;
    uint64_t v2 = seed + PRIME64_2;
    uint64_t v3 = seed;
    uint64_t v4 = seed - PRIME64_1;
    const uint8_t *limit = end - STRIPE;
    do {
      v1 = round64(v1, read64(p));
      v2 = round64(v2, read64(p + 8));
      v3 = round64(v3, read64(p + 16));
      v4 = round64(v4, read64(p + 24));
      p += STRIPE;
    } while (p <= limit);
    acc = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18);
    acc = merge_round(acc, v1);
    acc = merge_round(acc, v2);
    acc = merge_round(acc, v3);
    acc = merge_round(acc, v4);
  } else {
    acc = seed + PRIME64_5;
  }
  acc += (uint64_t)len;

  while (end - p >= 8) {
    acc ^= round64(0, read64(p));
    acc = rotl64(acc, 27) * PRIME64_1 + PRIME64_4;
    p += 8;
  }
  if (end - p >= 4) {
    acc ^= (uint64_t)read32(p) * PRIME64_1;
    acc = rotl64(acc, 23) * PRIME64_2 + PRIME64_3;
    p += 4;
  }
  while (p < end) {
    acc ^= (uint64_t)*p++ * PRIME64_5;
    acc = rotl64(acc, 11) * PRIME64_1;
  }

  /* Final avalanche. */
  acc ^= acc >> 33;
  acc *= PRIME64_2;
  acc ^= acc >> 29;
  acc *= PRIME64_3;
  acc ^= acc >> 32;
  return acc;
}

int32_t rd_xxh64(uint8_t *dst, int32_t dst_cap, const uint8_t *src,
                 int32_t src_len, uint64_t seed) {
  uint64_t h;
  if (!dst || (!src && src_len > 0) || src_len < 0) return RD_E_ARG;
  if (dst_cap < DIGEST_SIZE) return RD_E_DST_TOO_SMALL;
  h = xxh64(src, (size_t)src_len, seed);
  for (int i = 0; i < DIGEST_SIZE; i++) {
    dst[i] = (uint8_t)(h >> (8 * (DIGEST_SIZE - 1 - i)));
  }
  return DIGEST_SIZE;
}
