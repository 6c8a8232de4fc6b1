/*
 * lzma2.c: LZMA2 chunk parser and the LZMA decoder it drives.
 *
 * Written from the format descriptions only: the LZMA specification in the
 * LZMA SDK ("lzma-specification.txt": range decoder, literal coder, length
 * and distance coders, the 12-state machine) and the LZMA2 chunk layout as
 * documented for the .xz format (xz-file-format-1.0.4 section 5.3.1 and the
 * LZMA2 notes in the xz documentation).
 *
 * Design: the caller hands us the whole output buffer, and that buffer is
 * also the dictionary. ROOT blocks and .xz blocks are decoded in one call
 * into memory sized from their headers, so there is no sliding window to
 * manage and a match is a copy inside dst. Every match distance is checked
 * against the bytes produced since the last dictionary reset (and against
 * the declared dictionary size), every chunk against the output capacity,
 * and the range decoder against the end of its chunk once per symbol, so
 * no input can make us read or write outside the caller's buffers. Every
 * loop either consumes input or produces output, so none can spin.
 */
#include <string.h>

#include "rd_internal.h"

/*
 * Range coder (LZMA spec, "The range decoder"): probabilities are 11-bit
 * fixed point, start at one half, adapt by 1/32 of the distance to 0 or 1,
 * and the coder pulls in a byte whenever the range drops below 2^24.
 */
#define RC_PROB_BITS 11
#define RC_PROB_ONE (1u << RC_PROB_BITS)
#define RC_MOVE_BITS 5
#define RC_TOP (1u << 24)
#define RC_INIT_BYTES 5

/* States 0-6 follow a literal, 7-11 a match or rep (LZMA spec "state"). */
#define LIT_STATES 7
#define MATCH_LEN_MIN 2
/* Distance 0xFFFFFFFF is LZMA's end marker, which LZMA2 forbids because
 * every chunk states its own size. */
#define LZMA_END_MARKER 0xFFFFFFFFu

/* LZMA2 control byte (xz-file-format 5.3.1 and the LZMA2 notes):
 * 0x00 ends the stream, 0x01/0x02 are stored chunks with/without a
 * dictionary reset, 0x80-0xFF are LZMA chunks whose bits 5-6 choose the
 * reset level and bits 0-4 are bits 16-20 of the unpacked size - 1. */
#define LZMA2_END 0x00
#define LZMA2_STORED_RESET 0x01
#define LZMA2_STORED 0x02
#define LZMA2_LZMA 0x80
#define LZMA2_LZMA_STATE_RESET 0xA0
#define LZMA2_LZMA_NEW_PROPS 0xC0
#define LZMA2_LZMA_DICT_RESET 0xE0
/* lc/lp/pb are packed as (pb * 5 + lp) * 9 + lc, so 225 values exist. */
#define LZMA_PROPS_LIMIT (9 * 5 * 5)

/* The coder lives in three locals (range, code, ip) of lzma_chunk() so
 * that the compiler keeps them in registers; these macros operate on them. */
#define RC_NORMALIZE()                 \
  do {                                 \
    if (range < RC_TOP) {              \
      range <<= 8;                     \
      code = (code << 8) | *ip++;      \
    }                                  \
  } while (0)

#define RC_BIT(prob, bit)                                 \
  do {                                                    \
    rd_prob *p_ = (prob);                                 \
    uint32_t bound_;                                      \
    RC_NORMALIZE();                                       \
    bound_ = (range >> RC_PROB_BITS) * *p_;               \
    if (code < bound_) {                                  \
      range = bound_;                                     \
      *p_ += (rd_prob)((RC_PROB_ONE - *p_) >> RC_MOVE_BITS); \
      (bit) = 0;                                          \
    } else {                                              \
      range -= bound_;                                    \
      code -= bound_;                                     \
      *p_ -= (rd_prob)(*p_ >> RC_MOVE_BITS);              \
      (bit) = 1;                                          \
    }                                                     \
  } while (0)

/* Bit tree, most significant bit first; result in [0, 2^nbits). */
#define RC_TREE(probs, nbits, out)               \
  do {                                           \
    uint32_t m_ = 1, b_;                         \
    for (int i_ = 0; i_ < (nbits); i_++) {       \
      RC_BIT(&(probs)[m_], b_);                  \
      m_ = (m_ << 1) | b_;                       \
    }                                            \
    (out) = m_ - (1u << (nbits));                \
  } while (0)

/* Bit tree, least significant bit first (distance low bits). */
#define RC_TREE_REV(probs, nbits, out)           \
  do {                                           \
    uint32_t m_ = 1, b_, s_ = 0;                 \
    for (uint32_t i_ = 0; i_ < (nbits); i_++) {  \
      RC_BIT(&(probs)[m_], b_);                  \
      m_ = (m_ << 1) | b_;                       \
      s_ |= b_ << i_;                            \
    }                                            \
    (out) = s_;                                  \
  } while (0)

/* Match/rep length minus 2: 3 bits (0-7), 3 bits (8-15) or 8 bits (16-271),
 * the first two per position state (LZMA spec "The length decoder"). */
#define LEN_DECODE(lp, ps, out)                       \
  do {                                                \
    uint32_t c_;                                      \
    RC_BIT(&(lp)->choice, c_);                        \
    if (!c_) {                                        \
      RC_TREE((lp)->low[ps], LZMA_LEN_LOW_BITS, out); \
    } else {                                          \
      RC_BIT(&(lp)->choice2, c_);                     \
      if (!c_) {                                      \
        RC_TREE((lp)->mid[ps], LZMA_LEN_MID_BITS, out); \
        (out) += 1u << LZMA_LEN_LOW_BITS;             \
      } else {                                        \
        RC_TREE((lp)->high, LZMA_LEN_HIGH_BITS, out); \
        (out) += 2u << LZMA_LEN_LOW_BITS;             \
      }                                               \
    }                                                 \
  } while (0)

static void lzma_reset(rd_lzma2_dec *d) {
  rd_prob *p = (rd_prob *)&d->probs;
  size_t n = offsetof(rd_lzma_probs, literal) / sizeof(rd_prob) +
             ((size_t)LZMA_LITERAL_CODER_SIZE << (d->lc + d->lp));
  for (size_t i = 0; i < n; i++) p[i] = RC_PROB_ONE / 2;
  d->state = 0;
  d->rep0 = d->rep1 = d->rep2 = d->rep3 = 0;
  d->pending_len = 0;
}

/*
 * Copies n bytes from dist bytes back. Distances of 8 or more copy whole
 * words (each word's source was written before it is read), which may write
 * up to 7 bytes past the match: only allowed when the buffer has room, and
 * those bytes are overwritten by the following output anyway.
 */
static inline void copy_match(uint8_t *out, uint32_t pos, uint32_t dist,
                              uint32_t n, uint32_t cap) {
  uint8_t *d = out + pos;
  const uint8_t *s = d - dist;
  if (dist >= 8 && n + 8 <= cap - pos) {
    uint8_t *e = d + n;
    do {
      memcpy(d, s, 8);
      d += 8;
      s += 8;
    } while (d < e);
  } else if (dist == 1) {
    memset(d, s[0], n);
  } else {
    for (uint32_t i = 0; i < n; i++) d[i] = s[i];
  }
}

/*
 * Decodes one LZMA chunk: out[pos, end) where out is the dictionary start
 * (last dictionary reset) and cap the room behind it. in holds in_len bytes
 * of range-coded data followed by at least LZMA2_CHUNK_PAD readable bytes.
 */
static int32_t lzma_chunk(rd_lzma2_dec *d, uint32_t dict_max, uint8_t *out,
                          uint32_t pos, uint32_t end, uint32_t cap,
                          const uint8_t *in, uint32_t in_len) {
  rd_lzma_probs *pr = &d->probs;
  const uint8_t *ip, *ie = in + in_len;
  uint32_t range, code;
  uint32_t state = d->state;
  uint32_t rep0 = d->rep0, rep1 = d->rep1, rep2 = d->rep2, rep3 = d->rep3;
  const uint32_t pb_mask = (1u << d->pb) - 1;
  const uint32_t lp_mask = (1u << d->lp) - 1;
  const uint32_t lc = d->lc;

  /* Range decoder init (LZMA spec): a zero byte, then 32 bits of code;
   * code == range can never come from an encoder. */
  if (in_len < RC_INIT_BYTES || in[0] != 0) return RD_E_LZMA_DATA;
  code = ((uint32_t)in[1] << 24) | ((uint32_t)in[2] << 16) |
         ((uint32_t)in[3] << 8) | in[4];
  range = 0xFFFFFFFFu;
  if (code == range) return RD_E_LZMA_DATA;
  ip = in + RC_INIT_BYTES;

  if (d->pending_len) {
    uint32_t n = end - pos < d->pending_len ? end - pos : d->pending_len;
    copy_match(out, pos, rep0 + 1, n, cap);
    pos += n;
    d->pending_len -= n;
  }

  while (pos < end) {
    uint32_t ps, bit, len;
    /* At most 48 bits (bytes) per symbol were read since the last check,
     * all inside the padding; past the end means a corrupt chunk. */
    if (ip > ie) return RD_E_LZMA_DATA;
    ps = pos & pb_mask;
    RC_BIT(&pr->is_match[state][ps], bit);
    if (!bit) {
      /* Literal: coder chosen by lc high bits of the previous byte and lp
       * low bits of the position. After a match the first bits are coded
       * with the byte at rep0 as context until they disagree. */
      uint32_t prev = pos ? out[pos - 1] : 0;
      rd_prob *lit = pr->literal +
                     LZMA_LITERAL_CODER_SIZE *
                         (((pos & lp_mask) << lc) + (prev >> (8 - lc)));
      uint32_t sym = 1;
      if (state < LIT_STATES) {
        do {
          RC_BIT(&lit[sym], bit);
          sym = (sym << 1) | bit;
        } while (sym < 0x100);
      } else {
        uint32_t mb;
        if (rep0 >= pos) return RD_E_LZMA_DISTANCE;
        mb = out[pos - rep0 - 1];
        do {
          uint32_t mbit = (mb >> 7) & 1;
          mb <<= 1;
          RC_BIT(&lit[((1 + mbit) << 8) + sym], bit);
          sym = (sym << 1) | bit;
          if (mbit != bit) break;
        } while (sym < 0x100);
        while (sym < 0x100) {
          RC_BIT(&lit[sym], bit);
          sym = (sym << 1) | bit;
        }
      }
      out[pos++] = (uint8_t)sym;
      state = state < 4 ? 0 : (state < 10 ? state - 3 : state - 6);
      continue;
    }

    RC_BIT(&pr->is_rep[state], bit);
    if (!bit) {
      /* Simple match: new distance, older ones shift down. */
      uint32_t lstate, slot, dist;
      LEN_DECODE(&pr->match_len, ps, len);
      lstate = len < LZMA_LEN_TO_POS_STATES - 1 ? len
                                                : LZMA_LEN_TO_POS_STATES - 1;
      RC_TREE(pr->pos_slot[lstate], LZMA_POS_SLOT_BITS, slot);
      if (slot < 4) {
        dist = slot;
      } else {
        /* Slot = 2 * log2(dist) + second-highest bit; the rest are either
         * modelled (slots < 14) or direct bits plus a 4-bit aligned tree. */
        uint32_t nd = (slot >> 1) - 1, r;
        dist = (2 | (slot & 1)) << nd;
        if (slot < LZMA_END_POS_MODEL_INDEX) {
          RC_TREE_REV(pr->pos_special + dist - slot, nd, r);
          dist += r;
        } else {
          uint32_t k = nd - LZMA_ALIGN_BITS;
          r = 0;
          do {
            uint32_t t;
            RC_NORMALIZE();
            range >>= 1;
            code -= range;
            t = 0u - (code >> 31);
            code += range & t;
            r = (r << 1) + (t + 1);
          } while (--k);
          dist += r << LZMA_ALIGN_BITS;
          RC_TREE_REV(pr->align, LZMA_ALIGN_BITS, r);
          dist += r;
        }
      }
      if (dist == LZMA_END_MARKER) return RD_E_LZMA_DATA;
      rep3 = rep2;
      rep2 = rep1;
      rep1 = rep0;
      rep0 = dist;
      state = state < LIT_STATES ? 7 : 10;
    } else {
      RC_BIT(&pr->is_rep0[state], bit);
      if (!bit) {
        RC_BIT(&pr->is_rep0_long[state][ps], bit);
        if (!bit) {
          /* Short rep: one byte from rep0. */
          if (rep0 >= pos || rep0 >= dict_max) return RD_E_LZMA_DISTANCE;
          state = state < LIT_STATES ? 9 : 11;
          out[pos] = out[pos - rep0 - 1];
          pos++;
          continue;
        }
      } else {
        uint32_t dist;
        RC_BIT(&pr->is_rep1[state], bit);
        if (!bit) {
          dist = rep1;
        } else {
          RC_BIT(&pr->is_rep2[state], bit);
          if (!bit) {
            dist = rep2;
          } else {
            dist = rep3;
            rep3 = rep2;
          }
          rep2 = rep1;
        }
        rep1 = rep0;
        rep0 = dist;
      }
      LEN_DECODE(&pr->rep_len, ps, len);
      state = state < LIT_STATES ? 8 : 11;
    }

    len += MATCH_LEN_MIN;
    if (rep0 >= pos || rep0 >= dict_max) return RD_E_LZMA_DISTANCE;
    if (len > end - pos) {
      /* The rest is copied at the start of the next chunk. */
      d->pending_len = len - (end - pos);
      len = end - pos;
    }
    copy_match(out, pos, rep0 + 1, len, cap);
    pos += len;
  }

  /* A valid chunk ends exactly at its compressed size with the code at
   * zero after the final normalisation (the encoder's 5-byte flush). */
  if (ip > ie) return RD_E_LZMA_DATA;
  RC_NORMALIZE();
  if (ip != ie || code != 0) return RD_E_LZMA_DATA;

  d->state = state;
  d->rep0 = rep0;
  d->rep1 = rep1;
  d->rep2 = rep2;
  d->rep3 = rep3;
  return RD_OK;
}

int32_t rd_lzma2_decode(rd_lzma2_dec *d, uint32_t dict_max, uint8_t *dst,
                        int32_t dst_cap, const uint8_t *src, int32_t src_len,
                        int32_t *src_used) {
  uint32_t in = 0, pos = 0, dict_start = 0;
  const uint32_t cap = (uint32_t)dst_cap, len = (uint32_t)src_len;

  d->need_dict_reset = 1;
  d->need_props = 1;
  d->pending_len = 0;
  for (;;) {
    uint32_t c, usize, csize;
    if (in >= len) return RD_E_TRUNCATED;
    c = src[in++];
    if (c == LZMA2_END) {
      if (d->pending_len) return RD_E_LZMA_DATA;
      *src_used = (int32_t)in;
      return (int32_t)pos;
    }
    if (c >= LZMA2_LZMA_DICT_RESET || c == LZMA2_STORED_RESET) {
      /* A reset drops the dictionary, so a match still pending from the
       * previous chunk could not complete. */
      if (d->pending_len) return RD_E_LZMA2_CHUNK;
      d->need_dict_reset = 0;
      d->need_props = 1;
      dict_start = pos;
    } else if (d->need_dict_reset) {
      return RD_E_LZMA2_CHUNK;
    }

    if (c >= LZMA2_LZMA) {
      int32_t err;
      if (len - in < 4) return RD_E_TRUNCATED;
      usize = ((c & 0x1F) << 16) + ((uint32_t)src[in] << 8) + src[in + 1] + 1;
      csize = ((uint32_t)src[in + 2] << 8) + src[in + 3] + 1;
      in += 4;
      if (c >= LZMA2_LZMA_NEW_PROPS) {
        uint32_t props;
        if (in >= len) return RD_E_TRUNCATED;
        props = src[in++];
        if (props >= LZMA_PROPS_LIMIT) return RD_E_LZMA_PROPS;
        d->lc = props % 9;
        props /= 9;
        d->lp = props % 5;
        d->pb = props / 5;
        if (d->lc + d->lp > LZMA2_LCLP_MAX) return RD_E_LZMA_PROPS;
        d->need_props = 0;
      } else if (d->need_props) {
        return RD_E_LZMA2_CHUNK;
      }
      if (c >= LZMA2_LZMA_STATE_RESET) {
        if (d->pending_len) return RD_E_LZMA2_CHUNK;
        lzma_reset(d);
      }
      if (csize > len - in) return RD_E_TRUNCATED;
      if (usize > cap - pos) return RD_E_DST_TOO_SMALL;
      if (len - in - csize >= LZMA2_CHUNK_PAD) {
        /* Enough of src follows the chunk to serve as read padding. */
        err = lzma_chunk(d, dict_max, dst + dict_start, pos - dict_start,
                         pos - dict_start + usize, cap - dict_start, src + in,
                         csize);
      } else {
        memcpy(d->chunk, src + in, csize);
        memset(d->chunk + csize, 0, LZMA2_CHUNK_PAD);
        err = lzma_chunk(d, dict_max, dst + dict_start, pos - dict_start,
                         pos - dict_start + usize, cap - dict_start, d->chunk,
                         csize);
      }
      if (err < 0) return err;
      in += csize;
      pos += usize;
    } else if (c == LZMA2_STORED || c == LZMA2_STORED_RESET) {
      if (d->pending_len) return RD_E_LZMA2_CHUNK;
      if (len - in < 2) return RD_E_TRUNCATED;
      usize = ((uint32_t)src[in] << 8) + src[in + 1] + 1;
      in += 2;
      if (usize > len - in) return RD_E_TRUNCATED;
      if (usize > cap - pos) return RD_E_DST_TOO_SMALL;
      memcpy(dst + pos, src + in, usize);
      in += usize;
      pos += usize;
    } else {
      /* 0x03-0x7F are reserved. */
      return RD_E_LZMA2_CHUNK;
    }
  }
}
