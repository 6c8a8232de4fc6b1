/*
 * sha256.c: SHA-256, written from FIPS 180-4 (sections 4.1.2, 4.2.2, 5.1.1,
 * 5.3.3 and 6.2), for the .xz integrity check with ID 0x0A
 * (xz-file-format-1.0.4 section 3.4). ROOT never writes it, but the xz
 * tool can, and a check we skip is a check that cannot catch corruption.
 *
 * One-shot over a buffer: the decoded block is already complete in memory.
 */
#include <string.h>

#include "rd_internal.h"

#define SHA256_BLOCK 64
/* Padding adds a 0x80 byte and a 64-bit bit count (FIPS 180-4 5.1.1). */
#define SHA256_LENGTH_BYTES 8

/* FIPS 180-4 4.2.2: the first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes. */
static const uint32_t K[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu,
    0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u, 0xd807aa98u, 0x12835b01u,
    0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u,
    0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu,
    0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u,
    0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u,
    0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
    0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u,
    0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u, 0x1e376c08u,
    0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu,
    0x682e6ff3u, 0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
    0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

/* FIPS 180-4 5.3.3: the fractional parts of the square roots of the first
 * eight primes. */
static const uint32_t H0[8] = {
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
    0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};

static inline uint32_t rotr(uint32_t x, int n) {
  return (x >> n) | (x << (32 - n));
}

static inline uint32_t load_be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
         ((uint32_t)p[2] << 8) | p[3];
}

/* FIPS 180-4 6.2.2: one 512-bit block. */
static void compress(uint32_t h[8], const uint8_t *block) {
  uint32_t w[64];
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
  uint32_t e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int t = 0; t < 16; t++) w[t] = load_be32(block + 4 * t);
  for (int t = 16; t < 64; t++) {
    uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = s1 + w[t - 7] + s0 + w[t - 16];
  }
  for (int t = 0; t < 64; t++) {
    uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
                  ((e & f) ^ (~e & g)) + K[t] + w[t];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) +
                  ((a & b) ^ (a & c) ^ (b & c));
    hh = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += hh;
}

void rd_sha256(const uint8_t *p, size_t n, uint8_t out[32]) {
  uint32_t h[8];
  uint8_t tail[2 * SHA256_BLOCK];
  size_t rest = n % SHA256_BLOCK, tail_len;
  uint64_t bits = (uint64_t)n * 8;

  memcpy(h, H0, sizeof h);
  for (size_t i = 0; i + SHA256_BLOCK <= n; i += SHA256_BLOCK) {
    compress(h, p + i);
  }
  /* 5.1.1: the rest, 0x80, zeros up to 56 mod 64, the big-endian bit count. */
  memset(tail, 0, sizeof tail);
  memcpy(tail, p + (n - rest), rest);
  tail[rest] = 0x80;
  tail_len = rest + 1 + SHA256_LENGTH_BYTES <= SHA256_BLOCK ? SHA256_BLOCK
                                                            : 2 * SHA256_BLOCK;
  for (int i = 0; i < SHA256_LENGTH_BYTES; i++) {
    tail[tail_len - 1 - i] = (uint8_t)(bits >> (8 * i));
  }
  compress(h, tail);
  if (tail_len > SHA256_BLOCK) compress(h, tail + SHA256_BLOCK);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(h[i] >> 24);
    out[4 * i + 1] = (uint8_t)(h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(h[i] >> 8);
    out[4 * i + 3] = (uint8_t)h[i];
  }
}
