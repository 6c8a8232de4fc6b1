// render_png.cc: a small PNG encoder on top of zlib.
//
// cairo_surface_write_to_png goes through libpng with default settings, which
// costs more than drawing a thumbnail. Our plots are mostly flat colour, so
// the "Sub" filter plus zlib's Z_RLE strategy at level 1 compresses them well
// at a fraction of the time. One deflate stream is kept and reset per image.
// Images with at most 256 colours (most 1D plots: black, white, the grey
// levels of antialiasing and a few reference colours) are written as
// palette PNGs, one byte per pixel, which is three times less to deflate.
#include <zlib.h>

#include <cstring>

#include "render_core.h"

namespace rd {
namespace {

constexpr size_t RENDER_PNG_KEEP_BYTES = size_t(16) << 20;

// PNG integers are big-endian (PNG spec §7.1).
void put32(std::vector<uint8_t>& out, uint32_t v) {
  out.push_back(uint8_t(v >> 24));
  out.push_back(uint8_t(v >> 16));
  out.push_back(uint8_t(v >> 8));
  out.push_back(uint8_t(v));
}

// Chunk layout (PNG spec §5.3): length, type, data, CRC over type+data.
void putChunk(std::vector<uint8_t>& out, const char* type, const uint8_t* data, size_t len) {
  put32(out, uint32_t(len));
  size_t start = out.size();
  out.insert(out.end(), type, type + 4);
  if (len) out.insert(out.end(), data, data + len);
  uLong crc = crc32(0L, out.data() + start, uInt(len + 4));
  put32(out, uint32_t(crc));
}

// The deflate state (about 270 KiB at level 1) is allocated once and reset
// for every image instead of being set up per request.
struct Deflater {
  z_stream zs{};
  bool ready = false;
  ~Deflater() {
    if (ready) deflateEnd(&zs);
  }
  bool reset() {
    if (!ready) {
      // Level 1 with Z_RLE: filtered plot rows are long runs of zeros.
      if (deflateInit2(&zs, 1, Z_DEFLATED, 15, 8, Z_RLE) != Z_OK) return false;
      ready = true;
      return true;
    }
    return deflateReset(&zs) == Z_OK;
  }
};

// Maps the image to palette indices (filter type 0 rows) into `raw`; false
// when it has more than 256 colours. With `quantGrey`, grey pixels (the
// antialiasing of black text and lines on white) are rounded to 32 levels,
// which is invisible and lets most COLZ plots fit a palette too.
bool toPalette(const uint8_t* argb, int width, int height, int stride, std::vector<uint8_t>& raw,
               std::vector<uint8_t>& plte, bool quantGrey) {
  constexpr int SLOTS = 1024;  // open addressing; 256 colours keep it at most 1/4 full
  uint32_t keys[SLOTS];
  int16_t vals[SLOTS];
  std::fill(vals, vals + SLOTS, int16_t(-1));
  plte.clear();
  raw.resize((size_t(width) + 1) * height);
  uint32_t last = 0xffffffffu;
  uint8_t lastIdx = 0;
  for (int y = 0; y < height; ++y) {
    const uint32_t* src = reinterpret_cast<const uint32_t*>(argb + size_t(y) * stride);
    uint8_t* dst = raw.data() + (size_t(width) + 1) * y;
    *dst++ = 0;
    for (int x = 0; x < width; ++x) {
      uint32_t p = src[x] & 0xffffffu;
      if (p != last && quantGrey) {
        uint32_t r = p >> 16, g = (p >> 8) & 255, b = p & 255;
        if (r == g && g == b && r != 255) {
          uint32_t q = std::min(255u, ((r + 4) >> 3) << 3);
          p = q << 16 | q << 8 | q;
        }
      }
      if (p != last) {
        uint32_t h = (p * 2654435761u) >> 22;  // Knuth's multiplicative hash, 10 bits
        while (vals[h] >= 0 && keys[h] != p) h = (h + 1) & (SLOTS - 1);
        if (vals[h] < 0) {
          if (plte.size() == 256 * 3) return false;
          keys[h] = p, vals[h] = int16_t(plte.size() / 3);
          plte.push_back(uint8_t(p >> 16)), plte.push_back(uint8_t(p >> 8)), plte.push_back(uint8_t(p));
        }
        last = p, lastIdx = uint8_t(vals[h]);
      }
      dst[x] = lastIdx;
    }
  }
  return true;
}

}  // namespace

bool encodePng(const uint8_t* argb, int width, int height, int stride, std::vector<uint8_t>& png) {
  static Deflater def;
  // Buffers grow to the largest image seen and are reused (single-threaded daemon).
  static std::vector<uint8_t> raw, zbuf, plte;
  const bool indexed = toPalette(argb, width, height, stride, raw, plte, false) ||
                       toPalette(argb, width, height, stride, raw, plte, true);
  const size_t rowBytes = size_t(width) * 3 + 1;
  if (!indexed) raw.resize(rowBytes * size_t(height));
  // Convert cairo's native-endian ARGB32 (opaque) to RGB with filter 1 (Sub):
  // each byte minus the byte 3 to its left.
  for (int y = 0; !indexed && y < height; ++y) {
    const uint32_t* src = reinterpret_cast<const uint32_t*>(argb + size_t(y) * stride);
    uint8_t* dst = raw.data() + rowBytes * size_t(y);
    *dst++ = 1;
    uint8_t pr = 0, pg = 0, pb = 0;
    for (int x = 0; x < width; ++x) {
      uint32_t p = src[x];
      uint8_t r = uint8_t(p >> 16), g = uint8_t(p >> 8), b = uint8_t(p);
      dst[0] = uint8_t(r - pr);
      dst[1] = uint8_t(g - pg);
      dst[2] = uint8_t(b - pb);
      pr = r, pg = g, pb = b;
      dst += 3;
    }
  }
  if (!def.reset()) return false;
  zbuf.resize(deflateBound(&def.zs, uLong(raw.size())));
  def.zs.next_in = raw.data();
  def.zs.avail_in = uInt(raw.size());
  def.zs.next_out = zbuf.data();
  def.zs.avail_out = uInt(zbuf.size());
  if (deflate(&def.zs, Z_FINISH) != Z_STREAM_END) return false;
  size_t zlen = zbuf.size() - def.zs.avail_out;

  png.clear();
  png.reserve(zlen + 64);
  static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  png.insert(png.end(), sig, sig + 8);
  // IHDR: width, height, bit depth 8, colour type 2 (RGB) or 3 (palette),
  // deflate, adaptive filters, no interlace.
  uint8_t ihdr[13];
  for (int i = 0; i < 4; ++i) {
    ihdr[i] = uint8_t(uint32_t(width) >> (24 - 8 * i));
    ihdr[4 + i] = uint8_t(uint32_t(height) >> (24 - 8 * i));
  }
  ihdr[8] = 8, ihdr[9] = indexed ? 3 : 2, ihdr[10] = 0, ihdr[11] = 0, ihdr[12] = 0;
  putChunk(png, "IHDR", ihdr, 13);
  if (indexed) putChunk(png, "PLTE", plte.data(), plte.size());
  putChunk(png, "IDAT", zbuf.data(), zlen);
  putChunk(png, "IEND", nullptr, 0);
  // Keep the buffers of ordinary images; give back those of a huge one so a
  // single 4096x4096 request does not pin 100 MiB in the daemon.
  if (raw.capacity() > RENDER_PNG_KEEP_BYTES) std::vector<uint8_t>().swap(raw), std::vector<uint8_t>().swap(zbuf);
  return true;
}

}  // namespace rd
