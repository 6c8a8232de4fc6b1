/*
 * lz4_block.c: decoder for one raw LZ4 block (not the frame format).
 *
 * Written from "LZ4 Block Format Description" (lz4_Block_format.md in the
 * LZ4 repository). ROOT's "L4" compression blocks hold an XXH64 checksum
 * followed by exactly one such block (shared/spec/formats.md section 1.6),
 * and blocks never refer to earlier blocks, so there is no external
 * dictionary here.
 *
 * A block is a list of sequences: a token byte (high nibble literal count,
 * low nibble match length - 4, 15 meaning "more length bytes follow, each
 * added, until one is not 255"), the literals, a 2-byte little-endian
 * offset and the extra match length. The last sequence stops after its
 * literals.
 *
 * Safety: every read is checked against the end of src and every write
 * against dst_cap. The fast paths below only skip those checks when at
 * least 16 (or 18) bytes of room are known to exist, and copy fixed-size
 * words that may run past the sequence but never past the buffers; later
 * sequences overwrite what they spilled. Each sequence consumes at least one
 * input byte, so every input terminates.
 */
#include <string.h>

#include "rd.h"

/* Block format: "minmatch" is 4; nibble value 15 announces extra bytes. */
#define LZ4_MIN_MATCH 4
#define LZ4_NIBBLE_MORE 15
#define LZ4_MORE_BYTE_CONTINUES 255
#define LZ4_OFFSET_SIZE 2
/* Fast path sizes: a token with at most 14 literals copies 16 bytes; a
 * short match (at most 14 + 4 = 18 bytes) copies three 8-byte words. */
#define WORD 8
#define FAST_LITERAL_COPY (2 * WORD)
#define FAST_MATCH_COPY (3 * WORD)

static inline void copy_word(uint8_t *d, const uint8_t *s) { memcpy(d, s, WORD); }

/* Reads the extra length bytes after a nibble of 15; fails when the input
 * ends or the length exceeds limit (remaining room), which also bounds it
 * far below overflow. */
static inline int32_t read_more_len(const uint8_t **ipp, const uint8_t *ie,
                                    size_t *len, size_t limit) {
  const uint8_t *ip = *ipp;
  uint32_t b;
  do {
    if (ip >= ie) return RD_E_TRUNCATED;
    b = *ip++;
    *len += b;
    if (*len > limit) return RD_E_DST_TOO_SMALL;
  } while (b == LZ4_MORE_BYTE_CONTINUES);
  *ipp = ip;
  return RD_OK;
}

int32_t rd_lz4_decode_block(uint8_t *dst, int32_t dst_cap, const uint8_t *src,
                            int32_t src_len) {
  const uint8_t *ip = src, *ie;
  uint8_t *op = dst, *oe;
  int32_t err;

  if (!src || src_len < 0 || dst_cap < 0 || (!dst && dst_cap > 0)) {
    return RD_E_ARG;
  }
  ie = src + src_len;
  oe = dst + dst_cap;
  for (;;) {
    uint32_t token;
    size_t lit, ml, off;
    const uint8_t *match;

    /* A block must end after a sequence's literals, never after a match. */
    if (ip >= ie) return RD_E_TRUNCATED;
    token = *ip++;
    lit = token >> 4;
    if (lit != LZ4_NIBBLE_MORE && (size_t)(ie - ip) >= FAST_LITERAL_COPY &&
        (size_t)(oe - op) >= FAST_LITERAL_COPY) {
      /* At least 2 input bytes remain after these literals (16 > 14). */
      copy_word(op, ip);
      copy_word(op + WORD, ip + WORD);
      op += lit;
      ip += lit;
    } else {
      if (lit == LZ4_NIBBLE_MORE) {
        err = read_more_len(&ip, ie, &lit, (size_t)(oe - op));
        if (err < 0) return err;
      }
      if (lit > (size_t)(ie - ip)) return RD_E_TRUNCATED;
      if (lit > (size_t)(oe - op)) return RD_E_DST_TOO_SMALL;
      memcpy(op, ip, lit);
      op += lit;
      ip += lit;
      if (ip == ie) return (int32_t)(op - dst);
      if ((size_t)(ie - ip) < LZ4_OFFSET_SIZE) return RD_E_TRUNCATED;
    }

    off = (size_t)ip[0] | ((size_t)ip[1] << 8);
    ip += LZ4_OFFSET_SIZE;
    if (off == 0 || off > (size_t)(op - dst)) return RD_E_LZ4_OFFSET;
    match = op - off;
    ml = token & 0x0F;
    if (ml != LZ4_NIBBLE_MORE && off >= WORD &&
        (size_t)(oe - op) >= FAST_MATCH_COPY) {
      /* off >= 8 means each word's source is already written. */
      copy_word(op, match);
      copy_word(op + WORD, match + WORD);
      copy_word(op + 2 * WORD, match + 2 * WORD);
      op += ml + LZ4_MIN_MATCH;
      continue;
    }
    if (ml == LZ4_NIBBLE_MORE) {
      err = read_more_len(&ip, ie, &ml, (size_t)(oe - op));
      if (err < 0) return err;
    }
    ml += LZ4_MIN_MATCH;
    if (ml > (size_t)(oe - op)) return RD_E_DST_TOO_SMALL;
    if (off >= ml) {
      memcpy(op, match, ml);
    } else if (off >= WORD && (size_t)(oe - op) >= ml + WORD) {
      uint8_t *e = op + ml;
      uint8_t *d = op;
      do {
        copy_word(d, match);
        d += WORD;
        match += WORD;
      } while (d < e);
    } else if (off == 1) {
      memset(op, *match, ml);
    } else {
      for (size_t i = 0; i < ml; i++) op[i] = match[i];
    }
    op += ml;
  }
}
