// plugin_json.cc: see plugin_json.h. Recursive descent over RFC 8259's grammar.
#include "plugin_json.h"

#include <cstdlib>

namespace rd {

namespace {

// Positions are 1-based lines and byte columns, as editors show them for
// ASCII; `err_` keeps the first failure, the innermost one.
class Parser {
 public:
  explicit Parser(const std::string& t) : t_(t) {}

  bool parse(JsonValue& out, std::string& error) {
    ws();
    if (!value(out, 0)) { error = err_; return false; }
    ws();
    if (p_ != t_.size()) { fail("unexpected text after the JSON value"); error = err_; return false; }
    return true;
  }

 private:
  bool fail(const std::string& why) {
    if (err_.empty()) err_ = "line " + std::to_string(line_) + ", column " + std::to_string(p_ - lineStart_ + 1) + ": " + why;
    return false;
  }
  void ws() {
    while (p_ < t_.size()) {
      char c = t_[p_];
      if (c == '\n') { ++line_; lineStart_ = p_ + 1; }
      else if (c != ' ' && c != '\t' && c != '\r') break;
      ++p_;
    }
  }
  bool literal(const char* word) {
    size_t n = std::char_traits<char>::length(word);
    if (t_.compare(p_, n, word) != 0) return fail("invalid literal");
    p_ += n;
    return true;
  }
  bool value(JsonValue& v, int depth) {
    v.line = line_;
    v.column = int(p_ - lineStart_ + 1);
    if (p_ >= t_.size()) return fail("unexpected end of input");
    char c = t_[p_];
    if (c == '{' || c == '[') {
      if (depth >= JSON_MAX_DEPTH) return fail("nesting deeper than " + std::to_string(JSON_MAX_DEPTH));
      return c == '{' ? object(v, depth + 1) : array(v, depth + 1);
    }
    if (c == '"') { v.type = JsonValue::Type::String; return str(v.string); }
    if (c == 't') { v.type = JsonValue::Type::Bool; v.boolean = true; return literal("true"); }
    if (c == 'f') { v.type = JsonValue::Type::Bool; return literal("false"); }
    if (c == 'n') { v.type = JsonValue::Type::Null; return literal("null"); }
    if (c == '-' || (c >= '0' && c <= '9')) return number(v);
    return fail(std::string("unexpected character '") + c + "'");
  }
  bool digits() {
    size_t s = p_;
    while (p_ < t_.size() && t_[p_] >= '0' && t_[p_] <= '9') ++p_;
    return p_ > s;
  }
  // RFC 8259 §6: no leading zeros, no '+', no bare '.', no NaN/Infinity. The
  // validated text goes to strtod (the daemon never changes the C locale).
  bool number(JsonValue& v) {
    size_t s = p_;
    if (t_[p_] == '-') ++p_;
    if (p_ < t_.size() && t_[p_] == '0') ++p_;
    else if (!digits()) return fail("invalid number");
    if (p_ < t_.size() && t_[p_] == '.') { ++p_; if (!digits()) return fail("invalid number: digits expected after '.'"); }
    if (p_ < t_.size() && (t_[p_] == 'e' || t_[p_] == 'E')) {
      ++p_;
      if (p_ < t_.size() && (t_[p_] == '+' || t_[p_] == '-')) ++p_;
      if (!digits()) return fail("invalid number: digits expected in the exponent");
    }
    v.type = JsonValue::Type::Number;
    v.number = std::strtod(t_.substr(s, p_ - s).c_str(), nullptr);
    return true;
  }
  bool hex4(unsigned& u) {
    if (p_ + 4 > t_.size()) return fail("truncated \\u escape");
    u = 0;
    for (int i = 0; i < 4; ++i) {
      char c = t_[p_++];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return fail("invalid \\u escape");
      u = u * 16 + unsigned(d);
    }
    return true;
  }
  static void utf8(unsigned u, std::string& out) {
    if (u < 0x80) out += char(u);
    else if (u < 0x800) { out += char(0xC0 | u >> 6); out += char(0x80 | (u & 0x3F)); }
    else if (u < 0x10000) { out += char(0xE0 | u >> 12); out += char(0x80 | (u >> 6 & 0x3F)); out += char(0x80 | (u & 0x3F)); }
    else { out += char(0xF0 | u >> 18); out += char(0x80 | (u >> 12 & 0x3F)); out += char(0x80 | (u >> 6 & 0x3F)); out += char(0x80 | (u & 0x3F)); }
  }
  // RFC 8259 §7: strings are UTF-8 with escapes; \u escapes become UTF-8,
  // surrogate pairs are joined and lone surrogates refused. NUL is refused
  // because rule strings end up in C strings (plugin_api.h, cairo).
  bool str(std::string& out) {
    ++p_;  // opening quote
    for (;;) {
      if (p_ >= t_.size()) return fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(t_[p_]);
      if (c == '"') { ++p_; return true; }
      if (c < 0x20) return fail("control character in string");
      if (c != '\\') { out += char(c); ++p_; continue; }
      if (++p_ >= t_.size()) return fail("unterminated string");
      char e = t_[p_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned u = 0;
          if (!hex4(u)) return false;
          if (u >= 0xD800 && u < 0xDC00) {  // high surrogate: a low one must follow
            unsigned lo = 0;
            if (t_.compare(p_, 2, "\\u") != 0) return fail("unpaired surrogate in \\u escape");
            p_ += 2;
            if (!hex4(lo)) return false;
            if (lo < 0xDC00 || lo > 0xDFFF) return fail("unpaired surrogate in \\u escape");
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
          } else if (u >= 0xDC00 && u <= 0xDFFF) {
            return fail("unpaired surrogate in \\u escape");
          }
          if (u == 0) return fail("\\u0000 is not allowed");
          utf8(u, out);
          break;
        }
        default: --p_; return fail(std::string("invalid escape '\\") + e + "'");
      }
    }
  }
  bool array(JsonValue& v, int depth) {
    v.type = JsonValue::Type::Array;
    ++p_;
    ws();
    if (p_ < t_.size() && t_[p_] == ']') { ++p_; return true; }
    for (;;) {
      v.items.emplace_back();
      if (!value(v.items.back(), depth)) return false;
      ws();
      if (p_ < t_.size() && t_[p_] == ',') { ++p_; ws(); continue; }
      if (p_ < t_.size() && t_[p_] == ']') { ++p_; return true; }
      return fail("expected ',' or ']'");
    }
  }
  // Duplicate keys are an error: with "last wins" a copy-paste mistake in a
  // rule file would silently change a style.
  bool object(JsonValue& v, int depth) {
    v.type = JsonValue::Type::Object;
    ++p_;
    ws();
    if (p_ < t_.size() && t_[p_] == '}') { ++p_; return true; }
    for (;;) {
      if (p_ >= t_.size() || t_[p_] != '"') return fail("expected a string key");
      std::string key;
      size_t keyPos = p_;
      if (!str(key)) return false;
      if (v.find(key)) { p_ = keyPos; return fail("duplicate key \"" + key + "\""); }
      ws();
      if (p_ >= t_.size() || t_[p_] != ':') return fail("expected ':'");
      ++p_;
      ws();
      v.members.emplace_back(key, JsonValue());
      if (!value(v.members.back().second, depth)) return false;
      ws();
      if (p_ < t_.size() && t_[p_] == ',') { ++p_; ws(); continue; }
      if (p_ < t_.size() && t_[p_] == '}') { ++p_; return true; }
      return fail("expected ',' or '}'");
    }
  }

  const std::string& t_;
  size_t p_ = 0, lineStart_ = 0;
  int line_ = 1;
  std::string err_;
};

}  // namespace

bool parseJson(const std::string& text, JsonValue& out, std::string& error) {
  out = JsonValue();
  return Parser(text).parse(out, error);
}

const char* jsonTypeName(JsonValue::Type t) {
  switch (t) {
    case JsonValue::Type::Null: return "null";
    case JsonValue::Type::Bool: return "boolean";
    case JsonValue::Type::Number: return "number";
    case JsonValue::Type::String: return "string";
    case JsonValue::Type::Array: return "array";
    case JsonValue::Type::Object: return "object";
  }
  return "?";
}

}  // namespace rd
