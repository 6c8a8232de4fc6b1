/*
 * rd_internal.h: declarations shared between the translation units of
 * wasm/src but not exported from the module: the LZMA2 decoder state that
 * xz.c embeds in its context, the CRC tables of check.c and the SHA-256
 * of sha256.c.
 */
#ifndef RD_INTERNAL_H
#define RD_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "rd.h"

/*
 * LZMA model sizes, from the LZMA specification ("lzma-specification.txt"
 * in the LZMA SDK, sections "The LZMA Decoder" and "Literals"): 12 coder
 * states; pb and lp are at most 4, so at most 16 position states; 4 length
 * contexts for the distance slot; 6-bit slots; distances below slot 14 use
 * reverse bit trees (115 probabilities, indexed from 1) and larger ones end
 * in a 4-bit aligned tree.
 */
#define LZMA_STATES 12
#define LZMA_POS_STATES_MAX 16
#define LZMA_LEN_TO_POS_STATES 4
#define LZMA_POS_SLOT_BITS 6
#define LZMA_END_POS_MODEL_INDEX 14
#define LZMA_FULL_DISTANCES 128
#define LZMA_ALIGN_BITS 4
#define LZMA_LEN_LOW_BITS 3
#define LZMA_LEN_MID_BITS 3
#define LZMA_LEN_HIGH_BITS 8
/* Each literal coder is 0x300 probabilities: an 8-bit tree plus the two
 * trees used while the output still agrees with the match byte. */
#define LZMA_LITERAL_CODER_SIZE 0x300
/* LZMA2 restricts lc + lp to 4 (xz-file-format 5.3.1 and the LZMA2 notes),
 * so 16 literal coders always suffice. */
#define LZMA2_LCLP_MAX 4

/* LZMA2 compressed chunks hold at most 64 KiB (16-bit "size - 1" field). */
#define LZMA2_CHUNK_IN_MAX 65536
/*
 * The chunk is copied into a buffer with this much zero padding behind it,
 * so that the range decoder can read without a bounds check per bit: a
 * symbol reads at most one byte per decoded bit and no symbol decodes more
 * than 48 bits (match: 2 flags + 10 length + 6 slot + 30 distance bits), so
 * a per-symbol check that the reader has not passed the chunk end keeps
 * every read inside the padding.
 */
#define LZMA2_CHUNK_PAD 64

typedef uint16_t rd_prob;

typedef struct {
  rd_prob choice;
  rd_prob choice2;
  rd_prob low[LZMA_POS_STATES_MAX][1 << LZMA_LEN_LOW_BITS];
  rd_prob mid[LZMA_POS_STATES_MAX][1 << LZMA_LEN_MID_BITS];
  rd_prob high[1 << LZMA_LEN_HIGH_BITS];
} rd_lzma_len_probs;

/* The adaptive model; reset as a whole on every LZMA2 state reset. */
typedef struct {
  rd_prob is_match[LZMA_STATES][LZMA_POS_STATES_MAX];
  rd_prob is_rep[LZMA_STATES];
  rd_prob is_rep0[LZMA_STATES];
  rd_prob is_rep1[LZMA_STATES];
  rd_prob is_rep2[LZMA_STATES];
  rd_prob is_rep0_long[LZMA_STATES][LZMA_POS_STATES_MAX];
  rd_prob pos_slot[LZMA_LEN_TO_POS_STATES][1 << LZMA_POS_SLOT_BITS];
  rd_prob pos_special[1 + LZMA_FULL_DISTANCES - LZMA_END_POS_MODEL_INDEX];
  rd_prob align[1 << LZMA_ALIGN_BITS];
  rd_lzma_len_probs match_len;
  rd_lzma_len_probs rep_len;
  /* Last, so that a reset only initialises the 0x300 << (lc + lp) in use. */
  rd_prob literal[LZMA_LITERAL_CODER_SIZE << LZMA2_LCLP_MAX];
} rd_lzma_probs;

/* LZMA2 decoder state that survives from one chunk to the next. */
typedef struct {
  rd_lzma_probs probs;
  uint32_t state;
  uint32_t rep0, rep1, rep2, rep3;
  uint32_t lc, lp, pb;
  /* Bytes of the last match that did not fit in its chunk. */
  uint32_t pending_len;
  int need_dict_reset;
  int need_props;
  uint8_t chunk[LZMA2_CHUNK_IN_MAX + LZMA2_CHUNK_PAD];
} rd_lzma2_dec;

/*
 * Decodes one LZMA2 stream (up to and including its end marker 0x00) from
 * src into dst, which is also the dictionary: an xz block always starts
 * with a dictionary reset, so nothing before dst is ever referenced.
 * dict_bytes_max is the block's dictionary size; matches may not reach
 * further back. Sets *src_used to the bytes consumed. Returns bytes written
 * or an RD_E_* code.
 */
int32_t rd_lzma2_decode(rd_lzma2_dec *d, uint32_t dict_bytes_max,
                        uint8_t *dst, int32_t dst_cap, const uint8_t *src,
                        int32_t src_len, int32_t *src_used);

/* Slicing-by-8 tables: table[k][b] is the CRC of byte b followed by k
 * zero bytes, so eight input bytes are folded with eight lookups. */
typedef struct {
  uint32_t crc32[8][256];
  uint64_t crc64[8][256];
} rd_crc_tables;

void rd_crc_init(rd_crc_tables *t);
uint32_t rd_crc32(const rd_crc_tables *t, uint32_t crc, const uint8_t *p,
                  size_t n);
uint64_t rd_crc64(const rd_crc_tables *t, uint64_t crc, const uint8_t *p,
                  size_t n);

/* SHA-256 of p[0, n) into out (FIPS 180-4), for the xz check ID 0x0A. */
void rd_sha256(const uint8_t *p, size_t n, uint8_t out[32]);

#endif
