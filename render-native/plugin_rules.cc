// plugin_rules.cc: JSON rule files -> rd::Rule, strictly: unknown keys, wrong
// types and out-of-range values are errors that point at the value.
#include "plugin_rules.h"

#include <cctype>
#include <cmath>
#include <cstring>
#include <regex>

namespace rd {

const char* const RULE_PALETTES[] = {"bird", "rainbow", "summary", "qtstatus", "grey", "lightTemperature", nullptr};

namespace {

using Type = JsonValue::Type;

// Error helpers: every message points at the offending value's line and
// column and names the key, so a broken rule file is fixed in one look.
struct Ctx {
  std::string& error;
  bool fail(const JsonValue& v, const std::string& why) {
    if (error.empty()) error = "line " + std::to_string(v.line) + ", column " + std::to_string(v.column) + ": " + why;
    return false;
  }
  bool want(const JsonValue& v, Type t, const std::string& what) {
    if (v.type == t) return true;
    return fail(v, what + " must be a " + jsonTypeName(t) + ", not a " + jsonTypeName(v.type));
  }
  // Rejects keys outside `known` (a NULL-terminated list), naming the allowed ones.
  bool keys(const JsonValue& obj, const char* const* known, const std::string& what) {
    for (const auto& m : obj.members) {
      bool ok = false;
      for (const char* const* k = known; *k && !ok; ++k) ok = m.first == *k;
      if (ok) continue;
      std::string list;
      for (const char* const* k = known; *k; ++k) list += (list.empty() ? "" : ", ") + std::string(*k);
      return fail(m.second, "unknown key \"" + m.first + "\" in " + what + " (known: " + list + ")");
    }
    return true;
  }
  bool integer(const JsonValue& v, const std::string& what, int lo, int hi, int& out) {
    if (!want(v, Type::Number, what)) return false;
    if (std::floor(v.number) != v.number || v.number < lo || v.number > hi)
      return fail(v, what + " must be an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
    out = int(v.number);
    return true;
  }
  bool strings(const JsonValue& v, const std::string& what, std::vector<std::string>& out) {
    if (v.type == Type::String) { out.push_back(v.string); return true; }
    if (v.type != Type::Array) return fail(v, what + " must be a string or an array of strings");
    for (const auto& item : v.items) {
      if (!want(item, Type::String, what + " element")) return false;
      out.push_back(item.string);
    }
    return true;
  }
};

// "#rrggbb" or "#rrggbbaa".
bool isColor(const std::string& s) {
  if (s.size() != 7 && s.size() != 9) return false;
  if (s[0] != '#') return false;
  for (size_t i = 1; i < s.size(); ++i)
    if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

// A printf conversion without '%' for TEXT values (ROOT SetPaintTextFormat):
// flags, width, precision, one of e f g E G. Nothing else, so drawing code
// may prepend '%' and hand it to snprintf with one double.
bool isTextFormat(const std::string& s) {
  static const std::regex re("^[-+ #0]{0,4}[0-9]{0,2}(\\.[0-9]{1,2})?[efgEG]$");
  return std::regex_match(s, re);
}

// "match" (plugins/README.md). The regex is compiled once here, so a bad
// pattern stops the daemon at start-up rather than at the first request.
bool parseMatch(Ctx& c, const JsonValue& v, RuleMatch& m) {
  static const char* const known[] = {"prefix", "contains", "notContains", "regex", "classes", "minObjects", "maxObjects", nullptr};
  if (!c.want(v, Type::Object, "\"match\"") || !c.keys(v, known, "\"match\"")) return false;
  for (const auto& [key, val] : v.members) {
    if (key == "prefix") {
      if (!c.want(val, Type::String, "\"prefix\"")) return false;
      m.prefix = val.string;
    } else if (key == "contains" || key == "notContains" || key == "classes") {
      auto& list = key == "contains" ? m.contains : key == "notContains" ? m.notContains : m.classes;
      if (!c.strings(val, "\"" + key + "\"", list)) return false;
    } else if (key == "regex") {
      if (!c.want(val, Type::String, "\"regex\"")) return false;
      try {
        m.regex.emplace(val.string, std::regex::ECMAScript | std::regex::optimize);
      } catch (const std::regex_error& e) {
        return c.fail(val, std::string("invalid regex: ") + e.what());
      }
      m.regexSource = val.string;
    } else if (!c.integer(val, "\"" + key + "\"", 0, 10, key == "minObjects" ? m.minObjects : m.maxObjects)) {
      return false;
    }
  }
  return true;
}

// "style": each key maps to one optional field of RuleStyle; values are
// validated here so that drawing code can trust them (palette names from
// RULE_PALETTES, draw option fitting dqm_style.draw, a safe printf format).
bool parseStyle(Ctx& c, const JsonValue& v, RuleStyle& s) {
  static const char* const known[] = {"draw", "palette", "contours", "stats", "optstat", "logx", "logy", "logz",
                                      "gridx", "gridy", "xmin", "xmax", "ymin", "ymax", "zmin", "zmax",
                                      "marginLeft", "marginRight", "marginTop", "marginBottom", "labelsX",
                                      "labelsY", "textFormat", "title", nullptr};
  if (!c.want(v, Type::Object, "\"style\"") || !c.keys(v, known, "\"style\"")) return false;
  for (const auto& [key, val] : v.members) {
    std::string what = "\"" + key + "\"";
    if (key == "draw" || key == "palette" || key == "optstat" || key == "labelsX" || key == "labelsY" ||
        key == "textFormat" || key == "title") {
      if (!c.want(val, Type::String, what)) return false;
      const std::string& t = val.string;
      if (key == "draw") {
        if (t.size() >= sizeof(dqm_style{}.draw)) return c.fail(val, what + " is longer than 63 bytes");
        s.draw = t;
      } else if (key == "palette") {
        bool known = false;
        for (const char* const* p = RULE_PALETTES; *p; ++p) known = known || t == *p;
        if (!known) return c.fail(val, "unknown palette \"" + t + "\" (known: bird, rainbow, summary, qtstatus, grey, lightTemperature)");
        s.palette = t;
      } else if (key == "optstat") {
        bool digits = !t.empty() && t.find_first_not_of("0123456789") == std::string::npos;
        bool letters = !t.empty() && t.find_first_not_of("nemruoiskNEMRUOISK") == std::string::npos;
        if (!digits && !letters) return c.fail(val, what + " must be ROOT OptStat letters (nemruoisk) or digits");
        s.optstat = t;
      } else if (key == "labelsX" || key == "labelsY") {
        if (t != "h" && t != "v" && t != "d" && t != "u") return c.fail(val, what + " must be \"h\", \"v\", \"d\" or \"u\"");
        (key == "labelsX" ? s.labelsX : s.labelsY) = t;
      } else if (key == "textFormat") {
        if (!isTextFormat(t)) return c.fail(val, what + " must be a printf conversion without '%', e.g. \".2f\"");
        s.textFormat = t;
      } else {
        s.title = t;
      }
    } else if (key == "contours") {
      int n;
      if (!c.integer(val, what, 1, 1000, n)) return false;
      s.contours = n;
    } else if (key == "stats" || key == "logx" || key == "logy" || key == "logz" || key == "gridx" || key == "gridy") {
      if (!c.want(val, Type::Bool, what)) return false;
      auto& dst = key == "stats" ? s.stats : key == "logx" ? s.logx : key == "logy" ? s.logy : key == "logz" ? s.logz : key == "gridx" ? s.gridx : s.gridy;
      dst = val.boolean;
    } else {
      if (!c.want(val, Type::Number, what)) return false;
      bool margin = key.compare(0, 6, "margin") == 0;
      if (margin && (val.number < 0 || val.number >= 1)) return c.fail(val, what + " must be in [0, 1)");
      std::optional<double>* dst[] = {&s.xmin, &s.xmax, &s.ymin, &s.ymax, &s.zmin, &s.zmax,
                                      &s.marginLeft, &s.marginRight, &s.marginTop, &s.marginBottom};
      const char* names[] = {"xmin", "xmax", "ymin", "ymax", "zmin", "zmax", "marginLeft", "marginRight", "marginTop", "marginBottom"};
      for (size_t i = 0; i < 10; ++i)
        if (key == names[i]) *dst[i] = val.number;
    }
  }
  return true;
}

// One "overlay" item: a Primitive of render_plugins.h. Coordinates are not
// range-checked, as data coordinates may be anything.
bool parsePrimitive(Ctx& c, const JsonValue& v, Primitive& p) {
  static const char* const known[] = {"type", "coords", "x1", "y1", "x2", "y2", "color", "fill",
                                      "width", "dash", "text", "size", "align", nullptr};
  if (!c.want(v, Type::Object, "an overlay primitive") || !c.keys(v, known, "the overlay primitive")) return false;
  const JsonValue* type = v.find("type");
  if (!type) return c.fail(v, "an overlay primitive needs \"type\"");
  if (!c.want(*type, Type::String, "\"type\"")) return false;
  static const char* const types[] = {"line", "hline", "vline", "box", "text"};
  bool found = false;
  for (int i = 0; i < 5; ++i)
    if (type->string == types[i]) { p.type = Primitive::Type(i); found = true; }
  if (!found) return c.fail(*type, "\"type\" must be line, hline, vline, box or text");
  for (const auto& [key, val] : v.members) {
    std::string what = "\"" + key + "\"";
    if (key == "type") continue;
    if (key == "coords") {
      if (!c.want(val, Type::String, what)) return false;
      if (val.string == "data") p.coords = Primitive::Coords::Data;
      else if (val.string == "ndc") p.coords = Primitive::Coords::NDC;
      else if (val.string == "frame") p.coords = Primitive::Coords::Frame;
      else return c.fail(val, "\"coords\" must be data, ndc or frame");
    } else if (key == "color" || key == "fill") {
      if (!c.want(val, Type::String, what)) return false;
      if (!isColor(val.string) && !(key == "fill" && val.string.empty()))
        return c.fail(val, what + " must be \"#rrggbb\" or \"#rrggbbaa\"");
      (key == "color" ? p.color : p.fill) = val.string;
    } else if (key == "text") {
      if (!c.want(val, Type::String, what)) return false;
      p.text = val.string;
    } else if (key == "align") {
      if (!c.integer(val, what, 11, 33, p.align) || p.align % 10 < 1 || p.align % 10 > 3)
        return c.fail(val, "\"align\" must be ROOT's horizontal*10 + vertical, each 1..3");
    } else if (key == "dash") {
      if (!c.want(val, Type::Array, what)) return false;
      for (const auto& d : val.items) {
        if (!c.want(d, Type::Number, "a dash length") || !(d.number > 0)) return c.fail(d, "dash lengths must be positive numbers");
        p.dash.push_back(d.number);
      }
    } else {
      if (!c.want(val, Type::Number, what)) return false;
      if ((key == "width" || key == "size") && !(val.number > 0)) return c.fail(val, what + " must be positive");
      if (key == "size" && val.number > 1) return c.fail(val, "\"size\" is a fraction of the image height (0..1]");
      double* dst = key == "x1" ? &p.x1 : key == "y1" ? &p.y1 : key == "x2" ? &p.x2 : key == "y2" ? &p.y2 : key == "width" ? &p.width : &p.size;
      *dst = val.number;
    }
  }
  if (p.type == Primitive::Type::Text && p.text.empty()) return c.fail(v, "a text primitive needs a non-empty \"text\"");
  return true;
}

}  // namespace

bool rulesFromJson(const JsonValue& doc, const std::string& file, std::vector<Rule>& out, std::string& error) {
  Ctx c{error};
  static const char* const top[] = {"rules", "description", nullptr};
  if (!c.want(doc, Type::Object, "the file") || !c.keys(doc, top, "the file")) return false;
  const JsonValue* rules = doc.find("rules");
  if (!rules) return c.fail(doc, "the file needs a \"rules\" array");
  if (const JsonValue* d = doc.find("description"); d && !c.want(*d, Type::String, "\"description\"")) return false;
  if (!c.want(*rules, Type::Array, "\"rules\"")) return false;
  static const char* const known[] = {"name", "match", "style", "overlay", "stop", nullptr};
  for (size_t i = 0; i < rules->items.size(); ++i) {
    const JsonValue& r = rules->items[i];
    if (!c.want(r, Type::Object, "a rule") || !c.keys(r, known, "a rule")) return false;
    Rule rule;
    rule.source = file + "#" + std::to_string(i);
    for (const auto& [key, val] : r.members) {
      if (key == "name") {
        if (!c.want(val, Type::String, "\"name\"")) return false;
        rule.name = val.string;
      } else if (key == "match") {
        if (!parseMatch(c, val, rule.match)) return false;
      } else if (key == "style") {
        if (!parseStyle(c, val, rule.style)) return false;
      } else if (key == "overlay") {
        if (!c.want(val, Type::Array, "\"overlay\"")) return false;
        for (const auto& item : val.items) {
          rule.overlay.emplace_back();
          if (!parsePrimitive(c, item, rule.overlay.back())) return false;
        }
      } else {
        if (!c.want(val, Type::Bool, "\"stop\"")) return false;
        rule.stop = val.boolean;
      }
    }
    if (rule.match.maxObjects && rule.match.minObjects > rule.match.maxObjects)
      return c.fail(r, "\"minObjects\" is above \"maxObjects\"");
    out.push_back(std::move(rule));
  }
  return true;
}

}  // namespace rd
