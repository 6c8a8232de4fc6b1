/*
 * errors.c: rd_strerror(), the one place that turns an RD_E_* code from
 * rd.h into words. wasm/mod.ts reads these strings for WasmDecodeError
 * messages, so they follow STYLE rule 18's evidence part: lower case, no
 * final period.
 */
#include "rd.h"

const char *rd_strerror(int32_t code) {
  switch (code) {
    case RD_OK: return "no error";
    case RD_E_ARG: return "invalid argument";
    case RD_E_NOMEM: return "out of memory";
    case RD_E_DST_TOO_SMALL: return "output is larger than expected";
    case RD_E_TRUNCATED: return "input is truncated";
    case RD_E_SIZE_MISMATCH: return "output is smaller than expected";
    case RD_E_XZ_MAGIC: return "not an xz stream (bad magic bytes)";
    case RD_E_XZ_HEADER: return "corrupt xz stream header or footer";
    case RD_E_XZ_CHECK_TYPE: return "unsupported xz integrity check type";
    case RD_E_XZ_BLOCK_HEADER: return "corrupt xz block header";
    case RD_E_XZ_FILTER: return "unsupported xz filter (only a lone LZMA2 is supported)";
    case RD_E_XZ_INDEX: return "corrupt xz index";
    case RD_E_XZ_CHECK: return "xz integrity check failed";
    case RD_E_XZ_PADDING: return "corrupt xz padding";
    case RD_E_XZ_SIZE: return "xz block size differs from its header";
    case RD_E_XZ_TRAILING: return "unexpected data after the xz stream";
    case RD_E_LZMA2_CHUNK: return "corrupt LZMA2 chunk header";
    case RD_E_LZMA_PROPS: return "invalid LZMA properties";
    case RD_E_LZMA_DATA: return "corrupt LZMA data";
    case RD_E_LZMA_DISTANCE: return "LZMA match distance outside the dictionary";
    case RD_E_LZ4_OFFSET: return "LZ4 match offset outside the output";
    default: return "unknown error";
  }
}
