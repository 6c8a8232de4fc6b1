// decode_reader.h: a bounds-checked big-endian reader over one record.
//
// ROOT's TBufferFile is big-endian (spec/formats.md §1.1). Every read checks
// the remaining bytes; the first failure makes the reader "failed" (sticky)
// and later reads return zeros, so decoders check ok() at safe points
// instead of after every field. Nothing here allocates more than the bytes
// actually present justify.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

namespace rd {

class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool ok() const { return ok_; }
  size_t pos() const { return pos_; }
  size_t size() const { return size_; }
  size_t remaining() const { return ok_ ? size_ - pos_ : 0; }
  const uint8_t* data() const { return data_; }

  // Marks the reader failed; the first reason wins.
  void fail(const std::string& why) {
    if (ok_) { ok_ = false; error_ = why; errorPos_ = pos_; }
  }
  const std::string& error() const { return error_; }
  size_t errorPos() const { return errorPos_; }

  // True when n more bytes exist; otherwise fails with a "truncated" reason.
  bool need(size_t n) {
    if (!ok_) return false;
    if (n > size_ - pos_) {
      fail("truncated: need " + std::to_string(n) + " bytes, " + std::to_string(size_ - pos_) + " left");
      return false;
    }
    return true;
  }
  void skip(size_t n) { if (need(n)) pos_ += n; }
  // Moves to an absolute position inside the record (used to resync after a byte count).
  void seek(size_t p) {
    if (!ok_) return;
    if (p > size_) { fail("seek past the end of the record"); return; }
    pos_ = p;
  }

  uint8_t u8() { return need(1) ? data_[pos_++] : 0; }
  uint16_t u16() {
    if (!need(2)) return 0;
    uint16_t v = uint16_t(data_[pos_] << 8 | data_[pos_ + 1]);
    pos_ += 2;
    return v;
  }
  uint32_t u32() {
    if (!need(4)) return 0;
    uint32_t v = uint32_t(data_[pos_]) << 24 | uint32_t(data_[pos_ + 1]) << 16 |
                 uint32_t(data_[pos_ + 2]) << 8 | uint32_t(data_[pos_ + 3]);
    pos_ += 4;
    return v;
  }
  uint64_t u64() { uint64_t hi = u32(); return hi << 32 | u32(); }
  int16_t i16() { return int16_t(u16()); }
  int32_t i32() { return int32_t(u32()); }
  float f32() { uint32_t b = u32(); float f; std::memcpy(&f, &b, 4); return f; }
  double f64() { uint64_t b = u64(); double d; std::memcpy(&d, &b, 8); return d; }
  // Peeks a u32 without moving; 0 when fewer than 4 bytes remain.
  uint32_t peekU32() const {
    if (!ok_ || size_ - pos_ < 4) return 0;
    const uint8_t* p = data_ + pos_;
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
  }

  // TString: u8 n, or 255 then i32 n; then n bytes (spec/formats.md §1.1).
  std::string tstring() {
    uint32_t n = u8();
    if (n == 255) {
      int32_t big = i32();
      if (big < 0) { fail("negative TString length"); return {}; }
      n = uint32_t(big);
    }
    if (!need(n)) return {};
    std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return s;
  }
  // NUL-terminated class name after kNewClassTag (spec/formats.md §1.8), at most maxLen bytes.
  std::string cstring(size_t maxLen) {
    if (!ok_) return {};
    const void* end = std::memchr(data_ + pos_, 0, size_ - pos_);
    if (!end) { fail("class name is not NUL-terminated"); return {}; }
    size_t n = size_t(static_cast<const uint8_t*>(end) - (data_ + pos_));
    if (n == 0 || n > maxLen) { fail("class name of " + std::to_string(n) + " bytes"); return {}; }
    std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n + 1;
    return s;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  bool ok_ = true;
  std::string error_;
  size_t errorPos_ = 0;
};

}  // namespace rd
