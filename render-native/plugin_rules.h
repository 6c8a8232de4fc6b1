// plugin_rules.h: declarative render rules from JSON (format: plugins/README.md).
#pragma once

#include <string>
#include <vector>

#include "plugin_json.h"
#include "render_plugins.h"

namespace rd {

// Palette names a rule may ask for (render_plugins.h RuleStyle::palette).
extern const char* const RULE_PALETTES[];

// Converts one parsed rule file into rules appended to `out`. `file` names
// the file in Rule::source and in errors. Returns false with `error` =
// "line L, column C: why" on the first invalid rule.
bool rulesFromJson(const JsonValue& doc, const std::string& file, std::vector<Rule>& out,
                   std::string& error);

}  // namespace rd
