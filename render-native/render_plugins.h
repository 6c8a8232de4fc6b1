// render_plugins.h: render plugins as the daemon holds them.
//
// Declarative rules come from plugins/rules/*.json, loaded at start in file
// name order (plugin_load.cc); native plugins are shared libraries behind the
// C ABI of plugin_api.h. Every matching rule applies, in order, each later
// one overriding what earlier ones set, until a rule with "stop"; user
// options of the request outrank all rules (spec/render.md §5.3).
#pragma once

#include <cmath>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "plugin_api.h"

namespace rd {

struct RuleMatch {
  std::string prefix;                 // ME path starts with
  std::vector<std::string> contains;  // ME path contains all of these
  std::vector<std::string> notContains;
  std::optional<std::regex> regex;    // ECMAScript regex searched in the ME path
  std::string regexSource;
  std::vector<std::string> classes;   // class globs ("TH2*", "TProfile"); empty = any
  int minObjects = 0, maxObjects = 0; // 0 = no bound
  bool matches(const std::string& path, const std::string& cls, int nobjects) const;
};

struct RuleStyle {
  std::optional<std::string> draw;     // draw option
  std::optional<std::string> palette;  // "bird", "rainbow", "summary", "qtstatus", "grey", "lightTemperature"
  std::optional<int> contours;         // number of colour levels
  std::optional<bool> stats;
  std::optional<std::string> optstat;  // ROOT letters "nemruoi" or digits
  std::optional<bool> logx, logy, logz;
  std::optional<bool> gridx, gridy;
  std::optional<double> xmin, xmax, ymin, ymax, zmin, zmax;
  std::optional<double> marginLeft, marginRight, marginTop, marginBottom;  // NDC fractions
  std::optional<std::string> labelsX, labelsY;  // label orientation "h", "v", "d", "u"
  std::optional<std::string> textFormat;        // printf format of TEXT values, e.g. ".2f"
  std::optional<std::string> title;              // replaces the title
};

// Something drawn on top of the plot after it was painted.
struct Primitive {
  enum class Type { Line, HLine, VLine, Box, Text } type = Type::Line;
  enum class Coords { Data, NDC, Frame } coords = Coords::Data;  // Frame: 0..1 inside the frame
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;  // HLine uses y1, VLine x1, Text x1/y1
  std::string color = "#000000";          // #rrggbb or #rrggbbaa
  std::string fill;                        // Box fill colour, "" = none
  double width = 1;                        // line width in pixels
  std::vector<double> dash;                // dash pattern in pixels, empty = solid
  std::string text;                        // Text
  double size = 0.04;                      // Text size as a fraction of the image height
  int align = 22;                          // ROOT text align (horizontal*10 + vertical)
};

struct Rule {
  std::string source;  // "plugins/rules/10_dqm_summary.json#2", for diagnostics
  std::string name;
  RuleMatch match;
  RuleStyle style;
  std::vector<Primitive> overlay;
  bool stop = false;
};

struct NativePlugin {
  std::string path;
  void* handle = nullptr;
  const dqm_plugin* api = nullptr;
};

struct PluginTable {
  std::vector<Rule> rules;
  std::vector<NativePlugin> natives;
};

// Load every *.json rule file of `dir` (sorted by name) and the given native
// plugin libraries. Returns false and sets `error` (naming file and position)
// on the first malformed file; the daemon then refuses to start.
bool loadPlugins(const std::string& rulesDir, const std::vector<std::string>& nativePaths,
                 PluginTable& table, std::string& error);

}  // namespace rd
