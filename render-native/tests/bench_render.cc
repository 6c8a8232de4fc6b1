// bench_render.cc: median wall time of whole rd::renderPng calls.
//   bench_render [runs] [--json]
// One line per case, "<case> <w>x<h> <median> ms <bytes> B" (tools/bench/render.ts
// parses it; --json is accepted for that caller and changes nothing).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "../render_plugins.h"
#include "render_cases.h"

namespace {

double medianMs(rd::RenderRequest& req, const rd::PluginTable& plugins, int runs, size_t& bytes) {
  std::vector<double> t;
  std::vector<uint8_t> png;
  std::string err;
  for (int i = 0; i < 5; ++i) rd::renderPng(req, plugins, png, err);  // warm caches (fonts, palettes, surface)
  for (int i = 0; i < runs; ++i) {
    auto a = std::chrono::steady_clock::now();
    rd::renderPng(req, plugins, png, err);
    auto b = std::chrono::steady_clock::now();
    t.push_back(std::chrono::duration<double, std::milli>(b - a).count());
  }
  std::sort(t.begin(), t.end());
  bytes = png.size();
  return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  using namespace rd;
  int runs = 500;
  for (int i = 1; i < argc; ++i)
    if (std::atoi(argv[i]) > 0) runs = std::atoi(argv[i]);
  PluginTable plugins;
  std::string err;
  if (!loadPlugins("../plugins/rules", {}, plugins, err)) std::fprintf(stderr, "bench_render: %s\n", err.c_str());
  struct Row {
    const char* name;
    int w, h;
    bool two;
  } rows[] = {{"th1f_100bins", 266, 200, false}, {"th2f_colz_100x100", 266, 200, true},
              {"th1f_100bins", 1000, 800, false}, {"th2f_colz_100x100", 1000, 800, true}};
  for (const Row& r : rows) {
    RenderRequest req;
    req.name = "Bench/Folder/plot";
    req.flags = 0x10;
    req.options.width = r.w, req.options.height = r.h;
    req.objects.push_back(r.two ? cases::gaussTH2(100, 100, 200000, 5) : cases::gaussTH1(100, 20000, false, 1));
    size_t bytes = 0;
    double ms = medianMs(req, plugins, runs, bytes);
    std::printf("%-18s %dx%d %8.3f ms %7zu B (median of %d)\n", r.name, r.w, r.h, ms, bytes, runs);
  }
  return 0;
}
