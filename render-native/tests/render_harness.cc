// render_harness.cc: renders the named cases of render_cases.cc to PNG files.
//   render_harness OUTDIR [case...]     (no case = all)
//   render_harness --list
#include <cstdio>
#include <fstream>

#include "../render_plugins.h"
#include "render_cases.h"

int main(int argc, char** argv) {
  using namespace rd;
  if (argc < 2) {
    std::fprintf(stderr, "usage: render_harness OUTDIR [case...] | --list\n");
    return 2;
  }
  if (std::string(argv[1]) == "--list") {
    for (const auto& c : cases::all()) std::printf("%s%s\n", c.name.c_str(), c.golden ? " (golden)" : "");
    return 0;
  }
  PluginTable plugins;
  std::string err;
  const char* rules = std::getenv("RENDER_RULES");
  if (!loadPlugins(rules ? rules : "../plugins/rules", {}, plugins, err)) {
    std::fprintf(stderr, "render_harness: %s\n", err.c_str());
    return 1;
  }
  std::string out = argv[1];
  for (const auto& c : cases::all()) {
    bool want = argc == 2;
    for (int i = 2; i < argc; ++i) want |= c.name == argv[i];
    if (!want) continue;
    RenderRequest req = c.make();
    std::vector<uint8_t> png;
    std::string error;
    int rc = renderPng(req, plugins, png, error);
    if (rc) std::fprintf(stderr, "%s: rc=%d %s\n", c.name.c_str(), rc, error.c_str());
    std::ofstream(out + "/" + c.name + ".png", std::ios::binary).write(reinterpret_cast<const char*>(png.data()), png.size());
  }
  return 0;
}
