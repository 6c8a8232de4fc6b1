// golden_png.h: a small PNG reader for the tests (8-bit RGB, RGBA or
// palette, filters 0-4, non-interlaced).
#pragma once

#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace golden {

struct Image {
  int w = 0, h = 0;
  std::vector<uint8_t> rgb;
  const uint8_t* at(int x, int y) const { return &rgb[(size_t(y) * w + x) * 3]; }
};

inline uint32_t be32(const uint8_t* p) { return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3]; }

inline bool decode(const std::vector<uint8_t>& png, Image& img) {
  if (png.size() < 33 || png[1] != 'P') return false;
  std::vector<uint8_t> z, plte;
  int depth = 0, type = 0;
  for (size_t i = 8; i + 12 <= png.size();) {
    uint32_t n = be32(&png[i]);
    if (i + 12 + n > png.size()) return false;
    std::string t(reinterpret_cast<const char*>(&png[i + 4]), 4);
    const uint8_t* d = &png[i + 8];
    if (t == "IHDR") img.w = int(be32(d)), img.h = int(be32(d + 4)), depth = d[8], type = d[9];
    if (t == "IDAT") z.insert(z.end(), d, d + n);
    if (t == "PLTE") plte.assign(d, d + n);
    i += 12 + n;
  }
  int bpp = type == 2 ? 3 : type == 6 ? 4 : type == 3 ? 1 : 0;
  if (depth != 8 || !bpp || img.w <= 0 || img.h <= 0) return false;
  size_t stride = size_t(img.w) * bpp;
  std::vector<uint8_t> raw((stride + 1) * img.h);
  uLongf len = uLongf(raw.size());
  if (uncompress(raw.data(), &len, z.data(), uLong(z.size())) != Z_OK || len != raw.size()) return false;
  std::vector<uint8_t> prev(stride, 0), cur(stride);
  img.rgb.resize(size_t(img.w) * img.h * 3);
  for (int y = 0; y < img.h; ++y) {
    const uint8_t* s = &raw[(stride + 1) * y];
    int f = s[0];
    for (size_t x = 0; x < stride; ++x) {
      int a = x >= size_t(bpp) ? cur[x - bpp] : 0, b = prev[x], c = x >= size_t(bpp) ? prev[x - bpp] : 0;
      int p = f == 1 ? a : f == 2 ? b : f == 3 ? (a + b) / 2 : 0;
      if (f == 4) {
        int q = a + b - c, pa = std::abs(q - a), pb = std::abs(q - b), pc = std::abs(q - c);
        p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[x] = uint8_t(s[1 + x] + p);
    }
    for (int x = 0; x < img.w; ++x)
      for (int k = 0; k < 3; ++k) {
        size_t pi = size_t(cur[x]) * 3 + k;
        uint8_t v = type == 3 ? (pi < plte.size() ? plte[pi] : 0) : cur[size_t(x) * bpp + k];
        img.rgb[(size_t(y) * img.w + x) * 3 + k] = v;
      }
    prev.swap(cur);
  }
  return true;
}

inline bool readFile(const std::string& path, std::vector<uint8_t>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

}  // namespace golden
