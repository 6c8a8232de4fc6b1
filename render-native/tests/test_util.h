// test_util.h: a minimal test harness (no third-party framework) and frame
// builders shared by the unit tests.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace t {

struct Case {
  const char* name;
  void (*fn)();
};
inline std::vector<Case>& cases() {
  static std::vector<Case> all;
  return all;
}
inline int& failures() {
  static int n = 0;
  return n;
}
inline const char*& current() {
  static const char* name = "";
  return name;
}
struct Register {
  Register(const char* name, void (*fn)()) { cases().push_back({name, fn}); }
};

inline void fail(const char* file, int line, const std::string& what) {
  ++failures();
  std::fprintf(stderr, "FAIL %s\n  %s:%d: %s\n", current(), file, line, what.c_str());
}

inline int runAll(const char* suite) {
  int before = 0;
  for (const auto& c : cases()) {
    current() = c.name;
    before = failures();
    c.fn();
    if (failures() == before && std::getenv("TEST_VERBOSE")) std::fprintf(stderr, "ok   %s\n", c.name);
  }
  std::fprintf(stderr, "%s: %zu tests, %d failures\n", suite, cases().size(), failures());
  return failures() ? 1 : 0;
}

inline std::string str(double v) { char b[64]; std::snprintf(b, sizeof b, "%.17g", v); return b; }
inline std::string str(const std::string& v) { return "\"" + v + "\""; }
template <class T> std::string str(const T& v) { return std::to_string(v); }

inline std::vector<uint8_t> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Little-endian request frames (spec/render.md §1.2).
struct Frame {
  uint32_t type = 4, flags = 0x10, vlow = 0, vhigh = 0, numobjs = 0;
  std::string file, name, spec = "w=266;h=200";
  std::vector<uint8_t> data;
  std::vector<uint8_t> qdata;
  void record(const std::vector<uint8_t>& bytes, int32_t disp) {
    put(data, uint32_t(bytes.size()));
    put(data, uint32_t(disp));
    data.insert(data.end(), bytes.begin(), bytes.end());
    ++numobjs;
  }
  static void put(std::vector<uint8_t>& out, uint32_t v) {
    uint8_t b[4];
    std::memcpy(b, &v, 4);
    out.insert(out.end(), b, b + 4);
  }
  std::vector<uint8_t> bytes() const {
    std::vector<uint8_t> out;
    uint32_t total = uint32_t(44 + file.size() + name.size() + spec.size() + data.size() + qdata.size());
    for (uint32_t v : {total, type, flags, vlow, vhigh, numobjs, uint32_t(file.size()), uint32_t(name.size()),
                       uint32_t(spec.size()), uint32_t(data.size()), uint32_t(qdata.size())})
      put(out, v);
    for (const std::string* s : {&file, &name, &spec}) out.insert(out.end(), s->begin(), s->end());
    out.insert(out.end(), data.begin(), data.end());
    out.insert(out.end(), qdata.begin(), qdata.end());
    return out;
  }
};

// Key=value manifest lines (tab separated), as written by gen_fixtures.ts / extract_real.ts.
struct Entry {
  std::vector<std::pair<std::string, std::string>> kv;
  std::string get(const std::string& k, const std::string& def = "") const {
    for (const auto& p : kv) if (p.first == k) return p.second;
    return def;
  }
  double num(const std::string& k) const { return std::strtod(get(k, "nan").c_str(), nullptr); }
  bool has(const std::string& k) const { for (const auto& p : kv) if (p.first == k) return true; return false; }
};

inline std::vector<Entry> readManifest(const std::string& path) {
  std::vector<Entry> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    Entry e;
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, '\t')) {
      size_t eq = field.find('=');
      if (eq != std::string::npos) e.kv.emplace_back(field.substr(0, eq), field.substr(eq + 1));
    }
    out.push_back(e);
  }
  return out;
}

// Relative closeness for sums computed in a different order.
inline bool close(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::max(std::fabs(a), std::fabs(b)));
}

}  // namespace t

#define TEST(id, name)                          \
  static void id();                             \
  static t::Register reg_##id(name, id);        \
  static void id()
#define CHECK(c) \
  do { if (!(c)) t::fail(__FILE__, __LINE__, #c); } while (0)
#define CHECK_EQ(a, b)                                                                           \
  do {                                                                                           \
    auto va_ = (a); auto vb_ = (b);                                                              \
    if (!(va_ == vb_)) t::fail(__FILE__, __LINE__, std::string(#a " == " #b ": ") + t::str(va_) + " vs " + t::str(vb_)); \
  } while (0)
#define CHECK_HAS(s, sub)                                                                        \
  do {                                                                                           \
    std::string vs_ = (s);                                                                       \
    if (vs_.find(sub) == std::string::npos) t::fail(__FILE__, __LINE__, "\"" + vs_ + "\" lacks \"" + std::string(sub) + "\""); \
  } while (0)
#define TEST_MAIN(suite) \
  int main() { return t::runAll(suite); }
