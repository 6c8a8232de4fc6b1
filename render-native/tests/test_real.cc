// test_real.cc: decodeRecord() over every histogram and TObjString of the shared
// real ROOT files (extracted by extract_real.ts into build/real/), compared with
// what JSROOT read from them (shared/testdata/expected/*.json).
#include <map>

#include "../decode_tbuffer.h"
#include "../proto_limits.h"
#include "../proto_spec.h"
#include "test_util.h"

using namespace rd;

namespace {

const char* kDir = "build/real/";

std::string dec(const std::string& s) {
  std::string out;
  return percentDecode(s, out) ? out : s;
}

std::string labelsOf(const Axis& a) {
  std::string s;
  for (size_t i = 1; i < a.labels.size(); ++i)
    if (!a.labels[i].empty()) s += (s.empty() ? "" : "|") + std::to_string(i) + ":" + a.labels[i];
  return s;
}

std::string decodedLabels(const std::string& field) {
  std::string out, item;
  std::stringstream ss(field);
  while (std::getline(ss, item, '|')) {
    size_t c = item.find(':');
    out += (out.empty() ? "" : "|") + item.substr(0, c + 1) + dec(item.substr(c + 1));
  }
  return out;
}

double sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

}  // namespace

TEST(realFiles, "decodeRecord() reads real ROOT 6 payloads as JSROOT does and answers code 1 for older versions") {
  auto entries = t::readManifest(std::string(kDir) + "manifest.tsv");
  if (entries.empty()) {
    std::fprintf(stderr, "SKIP test_real: no %smanifest.tsv (needs deno and shared/testdata; run make test)\n", kDir);
    return;
  }
  std::map<std::string, int> tally;
  for (const auto& e : entries) {
    auto bytes = t::readFile(kDir + e.get("file"));
    std::unique_ptr<Object> obj;
    std::string error;
    uint32_t code = decodeRecord(bytes.data(), bytes.size(), int32_t(e.num("disp")), obj, error);
    std::string cls = e.get("class"), where = dec(e.get("source"));
    bool current = int(e.num("classversion")) == supportedVersion(cls);
    tally[cls + (current ? " current" : " older") + " -> code " + std::to_string(code)]++;
    if (!current) {
      if (code == REPLY_OK) t::fail(__FILE__, __LINE__, where + ": older version decoded");
      continue;
    }
    if (code != REPLY_OK || !obj) {
      t::fail(__FILE__, __LINE__, where + ": " + error);
      continue;
    }
    const Object& o = *obj;
    std::string w = where + ": ";
    CHECK_EQ(w + o.cls, w + cls);
    if (e.has("value")) {
      CHECK_EQ(w + o.text, w + dec(e.get("value")));
      continue;
    }
    CHECK_EQ(w + o.title, w + dec(e.get("title")));
    CHECK_EQ(o.entries, e.num("entries"));
    CHECK_EQ(o.x.nbins, int(e.num("nx")));
    CHECK_EQ(o.y.nbins, int(e.num("ny")));
    CHECK_EQ(o.z.nbins, int(e.num("nz")));
    CHECK(t::close(o.x.xmin, e.num("xmin")) && t::close(o.x.xmax, e.num("xmax")));
    CHECK_EQ(o.contents.size(), size_t(e.num("ncells")));
    if (!t::close(sum(o.contents), e.num("sum"))) t::fail(__FILE__, __LINE__, w + "sum " + t::str(sum(o.contents)) + " vs " + e.get("sum"));
    if (e.get("sumw2") == "none") CHECK(o.sumw2.empty());
    else if (!t::close(sum(o.sumw2), e.num("sumw2"))) t::fail(__FILE__, __LINE__, w + "sumw2 " + t::str(sum(o.sumw2)));
    std::stringstream first(e.get("first"));
    std::string v;
    for (size_t i = 0; std::getline(first, v, ',') && i < o.contents.size(); ++i)
      if (!t::close(o.contents[i], std::strtod(v.c_str(), nullptr))) t::fail(__FILE__, __LINE__, w + "cell " + std::to_string(i));
    CHECK_EQ(w + labelsOf(o.x), w + decodedLabels(e.get("xlabels")));
    CHECK_EQ(w + labelsOf(o.y), w + decodedLabels(e.get("ylabels")));
    if (e.has("binentries")) {
      CHECK(t::close(sum(o.binEntries), e.num("binentries")));
      CHECK_EQ(o.errorMode, int(e.num("errormode")));
    }
  }
  for (const auto& [k, n] : tally) std::fprintf(stderr, "  real: %5d x %s\n", n, k.c_str());
}

TEST_MAIN("test_real")
