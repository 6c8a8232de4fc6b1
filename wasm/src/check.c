/*
 * check.c: CRC32 and CRC64, the integrity checks of the .xz format.
 *
 * xz-file-format-1.0.4 section 3.4 defines Check ID 0x01 as CRC32 (the
 * IEEE 802.3 polynomial, reflected: 0xEDB88320) and 0x04 as CRC64 (the
 * ECMA-182 polynomial, reflected: 0xC96C5795D7870F42), both with all-ones
 * initial value and final inversion, stored little-endian. CRC32 also
 * guards the stream flags, block headers and the index (sections 2.1, 3.1.7,
 * 4.6).
 *
 * The content check runs over every decoded byte, so it is computed eight
 * bytes at a time ("slicing-by-8"): table[k][b] is the CRC contribution of
 * byte b followed by k zero bytes, which lets eight bytes be folded in with
 * eight independent lookups instead of eight dependent ones. The tables
 * live in the caller's context (no mutable globals).
 */
#include <string.h>

#include "rd_internal.h"

#define CRC32_POLY 0xEDB88320u
#define CRC64_POLY 0xC96C5795D7870F42ull

void rd_crc_init(rd_crc_tables *t) {
  for (uint32_t b = 0; b < 256; b++) {
    uint32_t c32 = b;
    uint64_t c64 = b;
    for (int i = 0; i < 8; i++) {
      c32 = (c32 >> 1) ^ (CRC32_POLY & (0u - (c32 & 1)));
      c64 = (c64 >> 1) ^ (CRC64_POLY & (0ull - (c64 & 1)));
    }
    t->crc32[0][b] = c32;
    t->crc64[0][b] = c64;
  }
  for (int k = 1; k < 8; k++) {
    for (uint32_t b = 0; b < 256; b++) {
      uint32_t p32 = t->crc32[k - 1][b];
      uint64_t p64 = t->crc64[k - 1][b];
      t->crc32[k][b] = (p32 >> 8) ^ t->crc32[0][p32 & 0xFF];
      t->crc64[k][b] = (p64 >> 8) ^ t->crc64[0][p64 & 0xFF];
    }
  }
}

static inline uint32_t load_le32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
         ((uint32_t)p[3] << 24);
}

uint32_t rd_crc32(const rd_crc_tables *t, uint32_t crc, const uint8_t *p,
                  size_t n) {
  const uint32_t(*T)[256] = t->crc32;
  crc = ~crc;
  while (n >= 8) {
    uint32_t a = load_le32(p) ^ crc;
    uint32_t b = load_le32(p + 4);
    crc = T[7][a & 0xFF] ^ T[6][(a >> 8) & 0xFF] ^ T[5][(a >> 16) & 0xFF] ^
          T[4][a >> 24] ^ T[3][b & 0xFF] ^ T[2][(b >> 8) & 0xFF] ^
          T[1][(b >> 16) & 0xFF] ^ T[0][b >> 24];
    p += 8;
    n -= 8;
  }
  while (n--) crc = T[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

uint64_t rd_crc64(const rd_crc_tables *t, uint64_t crc, const uint8_t *p,
                  size_t n) {
  const uint64_t(*T)[256] = t->crc64;
  crc = ~crc;
  while (n >= 8) {
    uint64_t a = ((uint64_t)load_le32(p) | ((uint64_t)load_le32(p + 4) << 32)) ^ crc;
    crc = T[7][a & 0xFF] ^ T[6][(a >> 8) & 0xFF] ^ T[5][(a >> 16) & 0xFF] ^
          T[4][(a >> 24) & 0xFF] ^ T[3][(a >> 32) & 0xFF] ^
          T[2][(a >> 40) & 0xFF] ^ T[1][(a >> 48) & 0xFF] ^ T[0][a >> 56];
    p += 8;
    n -= 8;
  }
  while (n--) crc = T[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
  return ~crc;
}
