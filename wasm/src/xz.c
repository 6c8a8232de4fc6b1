/*
 * xz.c: the .xz container around LZMA2 (rd_xz_decode and its context).
 *
 * Written from "The .xz File Format" version 1.0.4 (xz-file-format.txt in
 * XZ Utils); section numbers below refer to it. ROOT writes every "XZ"
 * compression block as one complete .xz stream with a single LZMA2 filter
 * and a CRC32 check (shared/spec/formats.md section 1.6, ROOT's
 * R__zipLZMA); the xz tool also writes CRC64, SHA-256 or no check,
 * several blocks, and concatenated streams with stream padding, and we
 * accept all of that.
 *
 * The whole input is decoded in one call into the caller's buffer, so the
 * index is verified against what the blocks actually contained instead of
 * being used to seek. Content checks: CRC32, CRC64 and SHA-256 are all
 * verified; "none" has nothing to verify.
 */
#include <stdlib.h>
#include <string.h>

#include "rd_internal.h"

/* Section 2.1.1: stream header magic, then 2 flag bytes and their CRC32. */
static const uint8_t XZ_HEADER_MAGIC[6] = {0xFD, '7', 'z', 'X', 'Z', 0x00};
/* Section 2.1.2.4: stream footer ends with "YZ". */
static const uint8_t XZ_FOOTER_MAGIC[2] = {'Y', 'Z'};
#define XZ_STREAM_HEADER_SIZE 12
#define XZ_STREAM_FOOTER_SIZE 12

/* Section 3.1.2: block flags. */
#define XZ_BLOCK_FILTERS_MASK 0x03
#define XZ_BLOCK_RESERVED_MASK 0x3C
#define XZ_BLOCK_HAS_COMPRESSED_SIZE 0x40
#define XZ_BLOCK_HAS_UNCOMPRESSED_SIZE 0x80

/* Section 5.3.1: LZMA2 filter ID and its one-byte dictionary size
 * property: values 0-40, bits 6-7 reserved. */
#define XZ_FILTER_LZMA2 0x21
#define LZMA2_DICT_PROP_MAX 40

/* Section 2.1.1.2: check IDs. */
#define XZ_CHECK_NONE 0x00
#define XZ_CHECK_CRC32 0x01
#define XZ_CHECK_CRC64 0x04
#define XZ_CHECK_SHA256 0x0A
#define XZ_SHA256_SIZE 32

/* Section 1.2: a multibyte integer has at most 9 bytes (63 bits). */
#define XZ_VLI_BYTES_MAX 9

struct rd_xz_ctx {
  rd_crc_tables crc;
  rd_lzma2_dec lzma2;
};

/*
 * What the blocks of one stream contained, summarised the same way from the
 * blocks and from the index records so that both can be compared without
 * storing a list (section 4.3: Unpadded Size and Uncompressed Size).
 */
typedef struct {
  uint64_t count;
  uint64_t unpadded_sum;
  uint64_t uncompressed_sum;
  uint32_t records_crc;
} xz_index_summary;

rd_xz_ctx *rd_xz_ctx_new(void) {
  rd_xz_ctx *ctx = malloc(sizeof *ctx);
  if (ctx) rd_crc_init(&ctx->crc);
  return ctx;
}

void rd_xz_ctx_free(rd_xz_ctx *ctx) { free(ctx); }

static uint32_t load_le32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
         ((uint32_t)p[3] << 24);
}

static uint64_t load_le64(const uint8_t *p) {
  return (uint64_t)load_le32(p) | ((uint64_t)load_le32(p + 4) << 32);
}

/* Section 1.2: little-endian base-128, shortest form (no trailing 0x00). */
static int32_t read_vli(const uint8_t *p, size_t end, size_t *pos,
                        uint64_t *out, int32_t err) {
  uint64_t v = 0;
  for (int i = 0; i < XZ_VLI_BYTES_MAX; i++) {
    uint8_t b;
    if (*pos >= end) return err;
    b = p[(*pos)++];
    v |= (uint64_t)(b & 0x7F) << (7 * i);
    if (!(b & 0x80)) {
      if (b == 0 && i > 0) return err;
      *out = v;
      return RD_OK;
    }
  }
  return err;
}

static void summary_add(const rd_xz_ctx *ctx, xz_index_summary *s,
                        uint64_t unpadded, uint64_t uncompressed) {
  uint8_t rec[16];
  for (int i = 0; i < 8; i++) {
    rec[i] = (uint8_t)(unpadded >> (8 * i));
    rec[8 + i] = (uint8_t)(uncompressed >> (8 * i));
  }
  s->count++;
  s->unpadded_sum += unpadded;
  s->uncompressed_sum += uncompressed;
  s->records_crc = rd_crc32(&ctx->crc, s->records_crc, rec, sizeof rec);
}

/* Section 2.1.1.2. Reserved IDs are rejected rather than skipped by size:
 * no encoder writes them, so they mean a damaged header. */
static int32_t check_size(uint32_t id) {
  switch (id) {
    case XZ_CHECK_NONE: return 0;
    case XZ_CHECK_CRC32: return 4;
    case XZ_CHECK_CRC64: return 8;
    case XZ_CHECK_SHA256: return XZ_SHA256_SIZE;
    default: return RD_E_XZ_CHECK_TYPE;
  }
}

/*
 * Section 3.1: parses the block header at src[0, hsize) and returns the
 * LZMA2 dictionary size in *dict, the optional sizes (UINT64_MAX if
 * absent).
 */
static int32_t parse_block_header(const rd_xz_ctx *ctx, const uint8_t *h,
                                  size_t hsize, uint32_t *dict,
                                  uint64_t *csize, uint64_t *usize) {
  size_t pos = 2, end = hsize - 4;
  uint32_t flags = h[1], nfilters = (flags & XZ_BLOCK_FILTERS_MASK) + 1;
  int32_t err;

  if (rd_crc32(&ctx->crc, 0, h, end) != load_le32(h + end)) {
    return RD_E_XZ_BLOCK_HEADER;
  }
  if (flags & XZ_BLOCK_RESERVED_MASK) return RD_E_XZ_BLOCK_HEADER;
  *csize = *usize = UINT64_MAX;
  if (flags & XZ_BLOCK_HAS_COMPRESSED_SIZE) {
    err = read_vli(h, end, &pos, csize, RD_E_XZ_BLOCK_HEADER);
    if (err < 0) return err;
    if (*csize == 0) return RD_E_XZ_BLOCK_HEADER;
  }
  if (flags & XZ_BLOCK_HAS_UNCOMPRESSED_SIZE) {
    err = read_vli(h, end, &pos, usize, RD_E_XZ_BLOCK_HEADER);
    if (err < 0) return err;
  }
  for (uint32_t i = 0; i < nfilters; i++) {
    uint64_t id, psize;
    err = read_vli(h, end, &pos, &id, RD_E_XZ_BLOCK_HEADER);
    if (err < 0) return err;
    err = read_vli(h, end, &pos, &psize, RD_E_XZ_BLOCK_HEADER);
    if (err < 0) return err;
    if (psize > end - pos) return RD_E_XZ_BLOCK_HEADER;
    /* Only a lone LZMA2 filter: BCJ, delta and friends must come before
     * LZMA2 in a chain (section 5.1), so any chain of two or more, or any
     * other ID, needs a filter we do not have. */
    if (id != XZ_FILTER_LZMA2 || nfilters != 1) return RD_E_XZ_FILTER;
    if (psize != 1) return RD_E_XZ_BLOCK_HEADER;
    {
      uint32_t b = h[pos];
      if (b > LZMA2_DICT_PROP_MAX) return RD_E_LZMA_PROPS;
      /* Section 5.3.1: 2 or 3 times a power of two from 4 KiB up, and
       * 40 means 4 GiB - 1. */
      *dict = b == LZMA2_DICT_PROP_MAX ? 0xFFFFFFFFu
                                       : (2u | (b & 1)) << (b / 2 + 11);
    }
    pos += (size_t)psize;
  }
  /* Section 3.1.6: header padding is zero. */
  for (; pos < end; pos++) {
    if (h[pos] != 0) return RD_E_XZ_BLOCK_HEADER;
  }
  return RD_OK;
}

/*
 * Section 3: one block at src[0, len) into dst[*out, cap). Adds it to the
 * summary and returns the bytes of input it used (header to check field).
 */
static int32_t decode_block(rd_xz_ctx *ctx, uint32_t check_id,
                            uint32_t csum_size, uint8_t *dst, uint32_t cap,
                            uint32_t *out, const uint8_t *src, uint32_t len,
                            xz_index_summary *sum) {
  uint32_t hsize = ((uint32_t)src[0] + 1) * 4; /* Section 3.1.1 */
  uint32_t in, pad;
  uint64_t csize, usize;
  uint32_t dict = 0;
  int32_t used = 0, n;
  uint8_t *block_out = dst + *out;
  int32_t err;

  if (hsize > len) return RD_E_TRUNCATED;
  err = parse_block_header(ctx, src, hsize, &dict, &csize, &usize);
  if (err < 0) return err;
  in = hsize;
  n = rd_lzma2_decode(&ctx->lzma2, dict, block_out, (int32_t)(cap - *out),
                      src + in, (int32_t)(len - in), &used);
  if (n < 0) return n;
  if ((csize != UINT64_MAX && csize != (uint64_t)used) ||
      (usize != UINT64_MAX && usize != (uint64_t)n)) {
    return RD_E_XZ_SIZE;
  }
  in += (uint32_t)used;
  /* Section 3.3: zero padding to a multiple of four. */
  pad = (4 - (in & 3)) & 3;
  if (len - in < pad + csum_size) return RD_E_TRUNCATED;
  for (uint32_t i = 0; i < pad; i++) {
    if (src[in + i] != 0) return RD_E_XZ_PADDING;
  }
  in += pad;
  /* Section 3.4. */
  if (check_id == XZ_CHECK_CRC32) {
    if (rd_crc32(&ctx->crc, 0, block_out, (size_t)n) != load_le32(src + in)) {
      return RD_E_XZ_CHECK;
    }
  } else if (check_id == XZ_CHECK_CRC64) {
    if (rd_crc64(&ctx->crc, 0, block_out, (size_t)n) != load_le64(src + in)) {
      return RD_E_XZ_CHECK;
    }
  } else if (check_id == XZ_CHECK_SHA256) {
    uint8_t digest[XZ_SHA256_SIZE];
    rd_sha256(block_out, (size_t)n, digest);
    if (memcmp(digest, src + in, sizeof digest) != 0) return RD_E_XZ_CHECK;
  }
  in += csum_size;
  /* Section 4.3.1: Unpadded Size excludes the block padding. */
  summary_add(ctx, sum, (uint64_t)(in - pad), (uint64_t)n);
  *out += (uint32_t)n;
  return (int32_t)in;
}

/* Section 4: index at src[0, len); returns its size in bytes. */
static int32_t decode_index(const rd_xz_ctx *ctx, const uint8_t *src,
                            uint32_t len, const xz_index_summary *blocks) {
  xz_index_summary recs = {0, 0, 0, 0};
  size_t pos = 1; /* Section 4.1: the 0x00 indicator, checked by caller */
  uint64_t count;
  int32_t err = read_vli(src, len, &pos, &count, RD_E_TRUNCATED);
  if (err < 0) return err;
  if (count != blocks->count) return RD_E_XZ_INDEX;
  for (uint64_t i = 0; i < count; i++) {
    uint64_t unpadded, uncompressed;
    err = read_vli(src, len, &pos, &unpadded, RD_E_TRUNCATED);
    if (err < 0) return err;
    err = read_vli(src, len, &pos, &uncompressed, RD_E_TRUNCATED);
    if (err < 0) return err;
    summary_add(ctx, &recs, unpadded, uncompressed);
  }
  if (recs.unpadded_sum != blocks->unpadded_sum ||
      recs.uncompressed_sum != blocks->uncompressed_sum ||
      recs.records_crc != blocks->records_crc) {
    return RD_E_XZ_INDEX;
  }
  /* Section 4.4: zero padding to a multiple of four, then CRC32. */
  while (pos & 3) {
    if (pos >= len) return RD_E_TRUNCATED;
    if (src[pos++] != 0) return RD_E_XZ_INDEX;
  }
  if (len - pos < 4) return RD_E_TRUNCATED;
  if (rd_crc32(&ctx->crc, 0, src, pos) != load_le32(src + pos)) {
    return RD_E_XZ_INDEX;
  }
  return (int32_t)(pos + 4);
}

/* Section 2: one stream at src[0, len); returns the bytes it used. */
static int32_t decode_stream(rd_xz_ctx *ctx, uint8_t *dst, uint32_t cap,
                             uint32_t *out, const uint8_t *src, uint32_t len) {
  xz_index_summary blocks = {0, 0, 0, 0};
  uint32_t in, check_id, index_size;
  int32_t csum_size, n;
  const uint8_t *footer;

  if (len < sizeof XZ_HEADER_MAGIC ||
      memcmp(src, XZ_HEADER_MAGIC, sizeof XZ_HEADER_MAGIC) != 0) {
    return len < sizeof XZ_HEADER_MAGIC &&
                   memcmp(src, XZ_HEADER_MAGIC, len) == 0
               ? RD_E_TRUNCATED
               : RD_E_XZ_MAGIC;
  }
  if (len < XZ_STREAM_HEADER_SIZE) return RD_E_TRUNCATED;
  /* Section 2.1.1.2: stream flags are 0x00 then 0x0? (check ID). */
  if (rd_crc32(&ctx->crc, 0, src + 6, 2) != load_le32(src + 8)) {
    return RD_E_XZ_HEADER;
  }
  if (src[6] != 0 || (src[7] & 0xF0) != 0) return RD_E_XZ_HEADER;
  check_id = src[7];
  csum_size = check_size(check_id);
  if (csum_size < 0) return csum_size;

  in = XZ_STREAM_HEADER_SIZE;
  for (;;) {
    if (in >= len) return RD_E_TRUNCATED;
    if (src[in] == 0x00) break; /* Section 3.1.1: index indicator */
    n = decode_block(ctx, check_id, (uint32_t)csum_size, dst, cap, out,
                     src + in, len - in, &blocks);
    if (n < 0) return n;
    in += (uint32_t)n;
  }
  n = decode_index(ctx, src + in, len - in, &blocks);
  if (n < 0) return n;
  index_size = (uint32_t)n;
  in += index_size;

  /* Section 2.1.2: CRC32 of backward size and flags, backward size
   * (index size / 4 - 1), the header's flags again, "YZ". */
  if (len - in < XZ_STREAM_FOOTER_SIZE) return RD_E_TRUNCATED;
  footer = src + in;
  if (rd_crc32(&ctx->crc, 0, footer + 4, 6) != load_le32(footer) ||
      memcmp(footer + 10, XZ_FOOTER_MAGIC, sizeof XZ_FOOTER_MAGIC) != 0 ||
      footer[8] != src[6] || footer[9] != src[7]) {
    return RD_E_XZ_HEADER;
  }
  if (((uint64_t)load_le32(footer + 4) + 1) * 4 != index_size) {
    return RD_E_XZ_INDEX;
  }
  return (int32_t)(in + XZ_STREAM_FOOTER_SIZE);
}

int32_t rd_xz_decode(rd_xz_ctx *ctx, uint8_t *dst, int32_t dst_cap,
                     const uint8_t *src, int32_t src_len) {
  uint32_t in = 0, out = 0;
  if (!ctx || !src || src_len < 0 || dst_cap < 0 || (!dst && dst_cap > 0)) {
    return RD_E_ARG;
  }
  if (src_len == 0) return RD_E_TRUNCATED;
  for (;;) {
    uint32_t pad_start;
    int32_t n = decode_stream(ctx, dst, (uint32_t)dst_cap, &out, src + in,
                              (uint32_t)src_len - in);
    if (n < 0) return in > 0 && n == RD_E_XZ_MAGIC ? RD_E_XZ_TRAILING : n;
    in += (uint32_t)n;
    /* Section 2.2: stream padding is null bytes in multiples of four. */
    pad_start = in;
    while (in < (uint32_t)src_len && src[in] == 0) in++;
    if ((in - pad_start) & 3) return RD_E_XZ_PADDING;
    if (in == (uint32_t)src_len) return (int32_t)out;
  }
}
