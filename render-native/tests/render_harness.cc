// render_harness.cc: renders the named cases of render_cases.cc to PNG files.
//   render_harness OUTDIR [case...]          (no case = all)
//   render_harness --sheet OUT.png case...   (a 4-column contact sheet at 266x200)
//   render_harness --list
#include <cstdio>
#include <fstream>

#include "../render_core.h"
#include "golden_png.h"
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
  cases::addTestRules(plugins);
  std::string out = argv[1];
  if (out == "--sheet" && argc > 3) {
    const int cw = 266, ch = 200, gap = 6, cols = 4, n = argc - 3, rows = (n + cols - 1) / cols;
    const int W = cols * cw + (cols + 1) * gap, H = rows * ch + (rows + 1) * gap;
    std::vector<uint32_t> sheet(size_t(W) * H, 0xffc8c8c8u);
    for (int i = 0; i < n; ++i) {
      const cases::Case* c = cases::find(argv[3 + i]);
      if (!c) return std::fprintf(stderr, "render_harness: no case %s\n", argv[3 + i]), 1;
      RenderRequest req = c->make();
      req.options.width = cw, req.options.height = ch;
      std::vector<uint8_t> png;
      std::string error;
      golden::Image img;
      if (renderPng(req, plugins, png, error) || !golden::decode(png, img)) return 1;
      int ox = gap + (i % cols) * (cw + gap), oy = gap + (i / cols) * (ch + gap);
      for (int y = 0; y < ch; ++y)
        for (int x = 0; x < cw; ++x) {
          const uint8_t* p = img.at(x, y);
          sheet[size_t(oy + y) * W + ox + x] = 0xff000000u | uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2];
        }
    }
    std::vector<uint8_t> png;
    encodePng(reinterpret_cast<const uint8_t*>(sheet.data()), W, H, W * 4, png);
    std::ofstream(argv[2], std::ios::binary).write(reinterpret_cast<const char*>(png.data()), png.size());
    return 0;
  }
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
