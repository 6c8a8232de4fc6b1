// render_cases.h: histograms built in C++ from data we control, shared by
// the harness, the golden-image test and the benchmark.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "../render_model.h"
#include "../render_plugins.h"

namespace rd {
namespace cases {

struct Case {
  std::string name;
  std::function<RenderRequest()> make;
  bool golden = true;  // part of tests/golden/
};

const std::vector<Case>& all();
// Test-only rules for paths under "RenderTest/" (appended after plugins/rules).
void addTestRules(PluginTable& table);
const Case* find(const std::string& name);

// Builders the benchmark reuses.
std::unique_ptr<Object> gaussTH1(int nbins, int n, bool sumw2, uint32_t seed);
std::unique_ptr<Object> gaussTH2(int nx, int ny, int n, uint32_t seed);

}  // namespace cases
}  // namespace rd
