// proto_spec.cc: the classic spec grammar (spec/render.md §2.1, classic
// render.cc parseSpec) with our fixes: w and h bounded, option values
// percent-decoded instead of limited to [A-Za-z0-9 ], reflabels never
// truncated by a lower index, json=True refused (the server makes JSON).
#include "proto_spec.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "proto_limits.h"

namespace rd {

namespace {

std::string protoError(const std::string& key, const std::string& why) {
  return "Protocol error: spec key \"" + key + "\": " + why;
}

// Printable form of a value for messages (control bytes escaped, long values cut).
std::string shown(const std::string& v) {
  std::string out;
  for (unsigned char c : v.substr(0, 64)) {
    if (c >= 0x20 && c < 0x7f && c != '"') out += char(c);
    else { char b[5]; std::snprintf(b, sizeof b, "\\x%02x", c); out += b; }
  }
  return "\"" + out + (v.size() > 64 ? "...\"" : "\"");
}

// Whole-value parses: classic strtol/strtod stopped at the first bad character
// and then required ';' next, which is the same as requiring full consumption.
bool parseInt(const std::string& v, long& out) {
  if (v.empty()) return false;
  errno = 0;
  char* end = nullptr;
  out = std::strtol(v.c_str(), &end, 10);
  return errno == 0 && *end == '\0';
}

bool parseDouble(const std::string& v, double& out) {
  if (v.empty()) return false;
  errno = 0;
  char* end = nullptr;
  out = std::strtod(v.c_str(), &end);  // as classic: nan, inf and exponents pass
  return *end == '\0' && errno != ERANGE;
}

bool parseAxisType(const std::string& v, AxisType& out) {
  if (v == "def") out = AxisType::Def;
  else if (v == "lin") out = AxisType::Lin;
  else if (v == "log") out = AxisType::Log;
  else return false;
  return true;
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

// RFC 3986 percent-decoding of option values. "%00" is refused because the
// classic TObjString/TString handling would cut the value there.
bool percentDecode(const std::string& s, std::string& out) {
  out.clear();
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') { out += s[i]; continue; }
    if (i + 2 >= s.size()) return false;  // "%" needs two hex digits
    int hi = hexDigit(s[i + 1]), lo = hexDigit(s[i + 2]);
    if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return false;
    out += char(hi * 16 + lo);
    i += 2;
  }
  return true;
}

int parseSpec(const std::string& spec, RenderOptions& opts, std::string& error) {
  opts = RenderOptions();
  if (spec.find('\0') != std::string::npos) {
    error = "Protocol error: spec contains a NUL byte";
    return RD_ERR;
  }
  // Items are split at ';' first, so an option value can never swallow the
  // next key; the classic parser matched keys by prefix, which for "key="
  // items is the same as comparing the key exactly.
  bool haveW = false, haveH = false;
  size_t pos = 0;
  while (pos < spec.size()) {
    if (spec[pos] == ';') { ++pos; continue; }  // runs of ';' are skipped
    size_t end = spec.find(';', pos);
    if (end == std::string::npos) end = spec.size();
    std::string item = spec.substr(pos, end - pos);
    pos = end;
    size_t eq = item.find('=');
    if (eq == std::string::npos) {
      error = "Protocol error: spec item " + shown(item) + " has no '='";
      return RD_ERR;
    }
    std::string key = item.substr(0, eq), value = item.substr(eq + 1);
    long n = 0;
    double x = 0;
    auto fail = [&](const std::string& why) {
      error = protoError(key, why);
      return RD_ERR;
    };
    if (key == "w" || key == "h") {
      if (!parseInt(value, n)) return fail("value " + shown(value) + " is not an integer");
      if (n < 1 || n > PROTO_MAX_IMAGE_SIDE)
        return fail("value " + std::to_string(n) + " is out of range 1.." + std::to_string(PROTO_MAX_IMAGE_SIDE));
      (key == "w" ? opts.width : opts.height) = int(n);
      (key == "w" ? haveW : haveH) = true;
    } else if (key == "showstats" || key == "showerrbars") {
      if (!parseInt(value, n) || n < INT32_MIN || n > INT32_MAX) return fail("value " + shown(value) + " is not an integer");
      if (key == "showstats") opts.showstats = int(n);
      else opts.showerrbars = n != 0;
    } else if (key == "xmin" || key == "xmax" || key == "ymin" || key == "ymax" || key == "zmin" ||
               key == "zmax" || key == "ktest") {
      if (!parseDouble(value, x)) return fail("value " + shown(value) + " is not a number");
      if (key == "ktest") { opts.ktest = x; continue; }
      // NaN means unset (render_model.h), so "xmin=nan" is the same as no xmin.
      AxisOptions& a = key[0] == 'x' ? opts.x : key[0] == 'y' ? opts.y : opts.z;
      (key[1] == 'm' && key[2] == 'i' ? a.min : a.max) = x;
    } else if (key == "xtype" || key == "ytype" || key == "ztype") {
      AxisOptions& a = key[0] == 'x' ? opts.x : key[0] == 'y' ? opts.y : opts.z;
      if (!parseAxisType(value, a.type)) return fail("value " + shown(value) + " is not def, lin or log");
    } else if (key == "ref") {
      if (value == "object") opts.ref = RefMode::Object;
      else if (value == "overlay") opts.ref = RefMode::Overlay;
      else if (value == "ratiooverlay") opts.ref = RefMode::RatioOverlay;
      else if (value == "stacked") opts.ref = RefMode::Stacked;
      else return fail("value " + shown(value) + " is not object, overlay, ratiooverlay or stacked");
    } else if (key == "drawopts" || key == "norm" || key == "json" ||
               (key.size() == 9 && key.compare(0, 8, "reflabel") == 0 && key[8] >= '0' && key[8] <= '9')) {
      std::string decoded;
      if (!percentDecode(value, decoded)) return fail("value " + shown(value) + " has a bad percent escape");
      if (key == "drawopts") opts.drawopts = decoded;
      else if (key == "norm") opts.norm = decoded != "False";  // only the literal False (§2.1)
      else if (key == "json") opts.json = decoded == "True";
      else {
        size_t k = size_t(key[8] - '0');
        if (opts.reflabels.size() < k + 1) opts.reflabels.resize(k + 1);
        opts.reflabels[k] = decoded;
      }
    } else {
      error = "Protocol error: unknown spec key " + shown(key);
      return RD_ERR;
    }
  }
  if (!haveW || !haveH) {
    error = protoError(haveW ? "h" : "w", "missing (w and h are required)");
    return RD_ERR;
  }
  // Checked last so that a bad key elsewhere is reported first.
  if (opts.json) {
    error = "Protocol error: JSON output is produced by the server";
    return RD_ERR;
  }
  return RD_OK;
}

}  // namespace rd
