/*
 * rd.h: the public C API of wasm/lib/decoders.wasm.
 *
 * Every exported function takes the caller's buffers and returns the number
 * of bytes written (>= 0) or a negative RD_E_* code that rd_strerror()
 * explains (STYLE rule 13/20). Decoder state lives in an opaque context that
 * the caller owns; the module has no mutable globals of its own, so one
 * instance can serve any number of contexts. The exported names are listed in
 * wasm/exports.txt, and wasm/mod.ts is the only caller.
 *
 * Source and destination buffers must not overlap.
 */
#ifndef RD_H
#define RD_H

#include <stdint.h>

/* Codes shared by every decoder. */
#define RD_OK 0
#define RD_E_ARG (-1)           /* null pointer or negative length */
#define RD_E_NOMEM (-2)         /* malloc failed */
#define RD_E_DST_TOO_SMALL (-3) /* output would exceed dst_cap */
#define RD_E_TRUNCATED (-4)     /* input ended in the middle of a structure */
#define RD_E_SIZE_MISMATCH (-5) /* decoded size differs from the caller's */

/* .xz container (xz-file-format-1.0.4, sections 2 and 3). */
#define RD_E_XZ_MAGIC (-10)        /* no stream header magic */
#define RD_E_XZ_HEADER (-11)       /* stream header or footer is corrupt */
#define RD_E_XZ_CHECK_TYPE (-12)   /* reserved integrity check ID */
#define RD_E_XZ_BLOCK_HEADER (-13) /* block header is corrupt */
#define RD_E_XZ_FILTER (-14)       /* filter chain is not a lone LZMA2 */
#define RD_E_XZ_INDEX (-15)        /* index is corrupt or disagrees */
#define RD_E_XZ_CHECK (-16)        /* CRC32/CRC64 of the content differs */
#define RD_E_XZ_PADDING (-17)      /* block, index or stream padding */
#define RD_E_XZ_SIZE (-18)         /* block sizes differ from its header */
#define RD_E_XZ_TRAILING (-19)     /* bytes after the last stream */

/* LZMA2 chunks and the LZMA data inside them. */
#define RD_E_LZMA2_CHUNK (-20)    /* bad control byte or chunk order */
#define RD_E_LZMA_PROPS (-21)     /* lc/lp/pb or dictionary size */
#define RD_E_LZMA_DATA (-22)      /* range coder did not end cleanly */
#define RD_E_LZMA_DISTANCE (-23)  /* match reaches before the dictionary */

/* LZ4 block format. */
#define RD_E_LZ4_OFFSET (-30) /* match offset is 0 or before the output */

typedef struct rd_xz_ctx rd_xz_ctx;

/* Allocates a context for rd_xz_decode(); NULL when out of memory. */
rd_xz_ctx *rd_xz_ctx_new(void);

/* Frees a context from rd_xz_ctx_new(); NULL is ignored. */
void rd_xz_ctx_free(rd_xz_ctx *ctx);

/*
 * Decodes src, one or more concatenated .xz streams with stream padding,
 * into dst. Returns the number of bytes written or an RD_E_* code.
 */
int32_t rd_xz_decode(rd_xz_ctx *ctx, uint8_t *dst, int32_t dst_cap,
                     const uint8_t *src, int32_t src_len);

/*
 * Decodes one raw LZ4 block (no frame) into dst. Returns the number of bytes
 * written or an RD_E_* code.
 */
int32_t rd_lz4_decode_block(uint8_t *dst, int32_t dst_cap, const uint8_t *src,
                            int32_t src_len);

/*
 * Writes the XXH64 digest of src with the given seed into dst as 8 bytes,
 * most significant first (xxHash's canonical form, which is also how ROOT
 * stores it). Returns 8 or an RD_E_* code.
 */
int32_t rd_xxh64(uint8_t *dst, int32_t dst_cap, const uint8_t *src,
                 int32_t src_len, uint64_t seed);

/* A static, human-readable message for an RD_E_* code. */
const char *rd_strerror(int32_t code);

#endif
