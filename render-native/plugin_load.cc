// plugin_load.cc: rd::loadPlugins and RuleMatch::matches (render_plugins.h).
//
// Rule files are read in file-name order; native plugins are dlopen'ed with
// RTLD_NOW so a missing symbol fails at start-up rather than on the first
// request that reaches it (spec/render.md §6 "Symbol lookup error").
#include <dirent.h>
#include <dlfcn.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "plugin_json.h"
#include "plugin_rules.h"
#include "render_plugins.h"

namespace rd {

namespace {

// Rule files above this size are refused (they are hand-written).
constexpr size_t RULE_FILE_MAX_BYTES = 1u << 20;

// Shell-style glob with '*' and '?' over the whole string (class patterns).
bool glob(const char* pat, const char* s) {
  for (; *pat; ++pat, ++s) {
    if (*pat == '*') {
      for (const char* t = s;; ++t) {
        if (glob(pat + 1, t)) return true;
        if (!*t) return false;
      }
    }
    if (!*s || (*pat != '?' && *pat != *s)) return false;
  }
  return !*s;
}

// One file: read, parse, convert; any failure names the file (STYLE 18).
bool loadRuleFile(const std::string& path, std::vector<Rule>& rules, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  if (!in || !(buf << in.rdbuf())) {
    error = "Cannot load rules \"" + path + "\": cannot read the file";
    return false;
  }
  std::string text = buf.str();
  if (text.size() > RULE_FILE_MAX_BYTES) {
    error = "Cannot load rules \"" + path + "\": file is larger than 1 MiB";
    return false;
  }
  JsonValue doc;
  std::string why;
  if (!parseJson(text, doc, why) || !rulesFromJson(doc, path, rules, why)) {
    error = "Cannot load rules \"" + path + "\": " + why;
    return false;
  }
  return true;
}

// RTLD_LOCAL keeps plugins' symbols out of each other's way; the handle stays
// open for the daemon's lifetime (PluginTable owns it).
bool loadNative(const std::string& path, NativePlugin& plugin, std::string& error) {
  plugin.path = path;
  dlerror();
  plugin.handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!plugin.handle) {
    const char* why = dlerror();
    error = "Cannot load plugin \"" + path + "\": " + (why ? why : "dlopen failed");
    return false;
  }
  auto entry = reinterpret_cast<dqm_plugin_entry_fn>(dlsym(plugin.handle, DQM_PLUGIN_ENTRY));
  const dqm_plugin* api = entry ? entry() : nullptr;
  std::string why = !entry ? "it does not export " DQM_PLUGIN_ENTRY
                    : !api ? DQM_PLUGIN_ENTRY "() returned NULL"
                    : api->apiver != DQM_PLUGIN_APIVER
                        ? "apiver is " + std::to_string(api->apiver) + ", this daemon needs " + std::to_string(DQM_PLUGIN_APIVER)
                    : !api->name || !*api->name ? "it has no name"
                    : !api->applies ? "it has no applies() hook"
                                    : "";
  if (!why.empty()) {
    error = "Cannot load plugin \"" + path + "\": " + why;
    dlclose(plugin.handle);
    plugin.handle = nullptr;
    return false;
  }
  plugin.api = api;
  return true;
}

}  // namespace

// Cheap string tests first; every clause must hold (plugins/README.md "match").
bool RuleMatch::matches(const std::string& path, const std::string& cls, int nobjects) const {
  if (!prefix.empty() && path.compare(0, prefix.size(), prefix) != 0) return false;
  for (const auto& c : contains)
    if (path.find(c) == std::string::npos) return false;
  for (const auto& c : notContains)
    if (path.find(c) != std::string::npos) return false;
  if (minObjects && nobjects < minObjects) return false;
  if (maxObjects && nobjects > maxObjects) return false;
  if (!classes.empty() &&
      std::none_of(classes.begin(), classes.end(), [&](const std::string& g) { return glob(g.c_str(), cls.c_str()); }))
    return false;
  return !regex || std::regex_search(path, *regex);  // most expensive test last
}

bool loadPlugins(const std::string& rulesDir, const std::vector<std::string>& nativePaths, PluginTable& table,
                 std::string& error) {
  table = PluginTable();
  if (!rulesDir.empty()) {
    DIR* dir = opendir(rulesDir.c_str());
    if (!dir) {
      error = "Cannot load rules from \"" + rulesDir + "\": not a readable directory";
      return false;
    }
    std::vector<std::string> names;
    while (dirent* e = readdir(dir)) {
      std::string n = e->d_name;
      if (n.size() > 5 && n.compare(n.size() - 5, 5, ".json") == 0 && n[0] != '.') names.push_back(n);
    }
    closedir(dir);
    // readdir order is arbitrary; file-name order is the documented rule order.
    std::sort(names.begin(), names.end());
    std::string base = rulesDir.back() == '/' ? rulesDir : rulesDir + "/";
    for (const auto& n : names)
      if (!loadRuleFile(base + n, table.rules, error)) return false;
  }
  for (const auto& path : nativePaths) {
    NativePlugin plugin;
    if (!loadNative(path, plugin, error)) return false;
    table.natives.push_back(plugin);
  }
  return true;
}

}  // namespace rd
