// plugin_json.h: a small strict JSON parser for rule files (RFC 8259).
//
// No extensions: no comments, no trailing commas, no duplicate keys, no
// NaN. Every value remembers its line and column, so rule errors can point
// at the offending spot.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace rd {

struct JsonValue {
  enum class Type { Null, Bool, Number, String, Array, Object };
  Type type = Type::Null;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<JsonValue> items;                            // Array
  std::vector<std::pair<std::string, JsonValue>> members;  // Object, in file order
  int line = 0, column = 0;                                // where the value starts (1-based)

  const JsonValue* find(const std::string& key) const {
    for (const auto& m : members)
      if (m.first == key) return &m.second;
    return nullptr;
  }
};

// Maximum nesting of arrays and objects.
constexpr int JSON_MAX_DEPTH = 64;

// Parses `text`; on failure returns false with `error` = "line L, column C: why".
bool parseJson(const std::string& text, JsonValue& out, std::string& error);

// Type name for messages ("object", "string", ...).
const char* jsonTypeName(JsonValue::Type t);

}  // namespace rd
