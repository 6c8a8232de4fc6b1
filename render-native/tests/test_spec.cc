// test_spec.cc: parseSpec() and percentDecode().
#include "../proto_limits.h"
#include "../proto_spec.h"
#include "test_util.h"

using namespace rd;

namespace {
std::string err(const std::string& spec) {
  RenderOptions o;
  std::string e;
  return parseSpec(spec, o, e) == RD_OK ? "" : e;
}
RenderOptions ok(const std::string& spec) {
  RenderOptions o;
  std::string e;
  if (parseSpec(spec, o, e) != RD_OK) t::fail(__FILE__, __LINE__, spec + ": " + e);
  return o;
}
}  // namespace

TEST(classicClient, "parseSpec() reads what the classic Python client sends (spec/render.md §2.2)") {
  auto o = ok("h=200;w=266;showstats=0;norm=False;showerrbars=1;xtype=log;ytype=lin;ztype=def;xmin=1.0;ymax=2e3;drawopts=colz;reflabel1=Run 1;reflabel2=ref");
  CHECK_EQ(o.width, 266);
  CHECK_EQ(o.height, 200);
  CHECK_EQ(o.showstats, 0);
  CHECK(!o.norm && o.showerrbars);
  CHECK(o.x.type == AxisType::Log && o.y.type == AxisType::Lin && o.z.type == AxisType::Def);
  CHECK_EQ(o.x.min, 1.0);
  CHECK(std::isnan(o.x.max));
  CHECK_EQ(o.y.max, 2000.0);
  CHECK_EQ(o.drawopts, std::string("colz"));
  CHECK_EQ(o.reflabels.size(), size_t(3));
  CHECK_EQ(o.reflabels[1], std::string("Run 1"));
  CHECK_EQ(o.reflabels[2], std::string("ref"));
}

TEST(defaults, "parseSpec() keeps the defaults for keys not given") {
  auto o = ok("w=10;h=20");
  CHECK(o.showstats == 1 && o.norm && !o.showerrbars && o.ref == RefMode::Object && std::isnan(o.ktest));
  CHECK(o.drawopts.empty() && o.reflabels.empty());
}

TEST(separators, "parseSpec() skips runs of ';' and accepts a trailing one") {
  auto o = ok(";;w=10;;;h=20;");
  CHECK_EQ(o.width, 10);
}

TEST(sizeBounds, "parseSpec() requires w and h in 1..4096") {
  CHECK_HAS(err("w=0;h=10"), "spec key \"w\": value 0 is out of range 1..4096");
  CHECK_HAS(err("w=-1;h=10"), "out of range");
  CHECK_HAS(err("w=4097;h=10"), "out of range");
  CHECK_HAS(err("w=10;h=99999999999999999999"), "spec key \"h\"");
  CHECK_HAS(err("w=10"), "spec key \"h\": missing");
  CHECK_HAS(err("h=10"), "spec key \"w\": missing");
  CHECK_HAS(err("w=1x;h=10"), "is not an integer");
  CHECK(err("w=4096;h=1").empty());
}

TEST(unknownKey, "parseSpec() rejects an unknown key by name") {
  CHECK_HAS(err("w=1;h=1;colour=red"), "Protocol error: unknown spec key \"colour\"");
  CHECK_HAS(err("w=1;h=1;reflabel10=x"), "unknown spec key \"reflabel10\"");
  CHECK_HAS(err("w=1;h=1;novalue"), "has no '='");
}

TEST(badValues, "parseSpec() rejects bad typed values naming the key") {
  CHECK_HAS(err("w=1;h=1;xtype=logarithmic"), "spec key \"xtype\"");
  CHECK_HAS(err("w=1;h=1;ref=side"), "spec key \"ref\"");
  CHECK_HAS(err("w=1;h=1;xmin=abc"), "spec key \"xmin\": value \"abc\" is not a number");
  CHECK_HAS(err("w=1;h=1;xmin="), "spec key \"xmin\"");
  CHECK_HAS(err("w=1;h=1;ktest=1e999"), "spec key \"ktest\"");
}

TEST(refModes, "parseSpec() reads every ref mode") {
  CHECK(ok("w=1;h=1;ref=overlay").ref == RefMode::Overlay);
  CHECK(ok("w=1;h=1;ref=ratiooverlay").ref == RefMode::RatioOverlay);
  CHECK(ok("w=1;h=1;ref=stacked").ref == RefMode::Stacked);
}

TEST(percent, "parseSpec() percent-decodes option values") {
  auto o = ok("w=1;h=1;drawopts=text%2Ccolz;reflabel1=Run%20316142%3A5%3B%25");
  CHECK_EQ(o.drawopts, std::string("text,colz"));
  CHECK_EQ(o.reflabels[1], std::string("Run 316142:5;%"));
  CHECK_EQ(ok("w=1;h=1;drawopts=e1 x0,same").drawopts, std::string("e1 x0,same"));
  CHECK_HAS(err("w=1;h=1;drawopts=a%zz"), "spec key \"drawopts\"");
  CHECK_HAS(err("w=1;h=1;drawopts=a%2"), "bad percent escape");
  CHECK_HAS(err("w=1;h=1;reflabel3=%00"), "spec key \"reflabel3\"");
}

TEST(nul, "parseSpec() rejects a NUL byte") {
  CHECK_HAS(err(std::string("w=1;h=1;drawopts=a\0b", 20)), "NUL");
}

TEST(norm, "parseSpec() disables norm only for the literal False") {
  CHECK(!ok("w=1;h=1;norm=False").norm);
  CHECK(ok("w=1;h=1;norm=false").norm);
}

TEST(json, "parseSpec() refuses json=True: JSON is produced by the server") {
  CHECK_EQ(err("w=1;h=1;json=True"), std::string("Protocol error: JSON output is produced by the server"));
  CHECK(err("w=1;h=1;json=False").empty());
}

TEST(reflabelOrder, "parseSpec() keeps higher reflabels when a lower index comes later (classic quirk fixed)") {
  auto o = ok("w=1;h=1;reflabel3=c;reflabel1=a");
  CHECK_EQ(o.reflabels.size(), size_t(4));
  CHECK_EQ(o.reflabels[3], std::string("c"));
}

TEST(duplicates, "parseSpec() lets a repeated key override the earlier one") {
  CHECK_EQ(ok("w=1;h=1;w=7").width, 7);
}

TEST(percentDecodeFn, "percentDecode() decodes escapes and rejects broken ones") {
  std::string out;
  CHECK(percentDecode("%41%62c", out) && out == "Abc");
  CHECK(!percentDecode("%", out));
  CHECK(!percentDecode("%4", out));
  CHECK(!percentDecode("%g1", out));
}

TEST_MAIN("test_spec")
