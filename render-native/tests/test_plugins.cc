// test_plugins.cc: the JSON parser, rule files, RuleMatch::matches and loadPlugins().
#include <unistd.h>

#include <fstream>

#include "../plugin_json.h"
#include "../plugin_rules.h"
#include "../render_plugins.h"
#include "test_util.h"

using namespace rd;

namespace {

std::string repo() {
  std::string here = __FILE__;  // render-native/tests/test_plugins.cc
  std::string dir = here.substr(0, here.rfind('/'));
  return dir == "tests" ? ".." : dir + "/../..";
}
std::string build() { return repo() + "/render-native/build"; }

std::string jsonErr(const std::string& text) {
  JsonValue v;
  std::string e;
  return parseJson(text, v, e) ? "" : e;
}
std::string rulesErr(const std::string& text, std::vector<Rule>* out = nullptr) {
  JsonValue v;
  std::string e;
  std::vector<Rule> rules;
  if (!parseJson(text, v, e)) return "json: " + e;
  bool ok = rulesFromJson(v, "x.json", rules, e);
  if (out) *out = std::move(rules);
  return ok ? "" : e;
}
std::string tempDir() {
  char tmpl[] = "/tmp/dqm-rules-XXXXXX";
  return mkdtemp(tmpl);
}

}  // namespace

TEST(jsonValues, "parseJson() reads every JSON type with positions") {
  JsonValue v;
  std::string e;
  CHECK(parseJson("{\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\ud83d\\ude00\\n\"],\n \"b\": {}}", v, e));
  CHECK(v.type == JsonValue::Type::Object);
  const JsonValue* a = v.find("a");
  CHECK(a && a->items.size() == 6);
  CHECK_EQ(a->items[1].number, -2500.0);
  CHECK_EQ(a->items[5].string, std::string("x\xc3\xa9\xf0\x9f\x98\x80\n"));
  CHECK_EQ(v.find("b")->line, 2);
  CHECK_EQ(v.find("b")->column, 7);
}

TEST(jsonErrors, "parseJson() rejects non-JSON with line and column") {
  CHECK_HAS(jsonErr("{\"a\": 1,}"), "line 1, column 9: expected a string key");
  CHECK_HAS(jsonErr("[1,\n 2,\n ]"), "line 3, column 2");
  CHECK_HAS(jsonErr("{\"a\":1,\"a\":2}"), "duplicate key \"a\"");
  CHECK_HAS(jsonErr("// c\n{}"), "unexpected character");
  CHECK_HAS(jsonErr("[01]"), "expected ',' or ']'");
  CHECK_HAS(jsonErr("[1.]"), "digits expected after '.'");
  CHECK_HAS(jsonErr("\"a\tb\""), "control character");
  CHECK_HAS(jsonErr("\"\\ud800\""), "unpaired surrogate");
  CHECK_HAS(jsonErr("[NaN]"), "unexpected character");
  CHECK_HAS(jsonErr("{} x"), "unexpected text after");
  CHECK_HAS(jsonErr(std::string(100, '[')), "nesting deeper than 64");
  CHECK_HAS(jsonErr(""), "unexpected end of input");
}

TEST(ruleFull, "rulesFromJson() reads match, style, overlay and stop") {
  std::vector<Rule> r;
  CHECK_EQ(rulesErr(R"({"rules": [{"name": "n", "match": {"prefix": "Pixel/", "contains": ["Summary", "Map"],
    "notContains": "Trend", "regex": "report.*Map$", "classes": ["TH2*"], "minObjects": 1, "maxObjects": 1},
    "style": {"draw": "colz", "palette": "summary", "contours": 20, "stats": false, "optstat": "emr", "logz": true,
    "gridx": true, "zmin": -0.001, "zmax": 1, "marginLeft": 0.12, "labelsX": "v", "textFormat": ".2f", "title": "T"},
    "overlay": [{"type": "hline", "y1": 0.95, "color": "#ff000080", "width": 2, "dash": [4, 2]},
                {"type": "text", "coords": "ndc", "x1": 0.5, "y1": 0.5, "text": "hi", "size": 0.1, "align": 22}],
    "stop": true}]})", &r), std::string());
  CHECK_EQ(r.size(), size_t(1));
  CHECK_EQ(r[0].source, std::string("x.json#0"));
  CHECK(r[0].stop && r[0].style.palette == "summary" && *r[0].style.contours == 20 && *r[0].style.stats == false);
  CHECK(r[0].match.contains.size() == 2 && r[0].match.notContains.size() == 1 && r[0].match.regex);
  CHECK(r[0].overlay.size() == 2 && r[0].overlay[0].type == Primitive::Type::HLine && r[0].overlay[0].dash.size() == 2);
  CHECK(r[0].overlay[1].coords == Primitive::Coords::NDC && r[0].overlay[1].text == "hi");
}

TEST(ruleErrors, "rulesFromJson() points at unknown keys and bad values") {
  CHECK_HAS(rulesErr(R"({"rules": [{"match": {"prefx": "a"}}]})"), "line 1, column 32: unknown key \"prefx\" in \"match\"");
  CHECK_HAS(rulesErr(R"({"rule": []})"), "unknown key \"rule\"");
  CHECK_HAS(rulesErr(R"({})"), "needs a \"rules\" array");
  CHECK_HAS(rulesErr(R"({"rules": [{"style": {"palette": "jet"}}]})"), "unknown palette \"jet\"");
  CHECK_HAS(rulesErr(R"({"rules": [{"style": {"stats": 0}}]})"), "\"stats\" must be a boolean, not a number");
  CHECK_HAS(rulesErr(R"({"rules": [{"style": {"textFormat": "%s"}}]})"), "printf conversion");
  CHECK_HAS(rulesErr(R"({"rules": [{"style": {"optstat": "xyz"}}]})"), "OptStat");
  CHECK_HAS(rulesErr(R"({"rules": [{"style": {"marginLeft": 1.5}}]})"), "[0, 1)");
  CHECK_HAS(rulesErr(R"({"rules": [{"match": {"regex": "(["}}]})"), "invalid regex");
  CHECK_HAS(rulesErr(R"({"rules": [{"match": {"minObjects": 1.5}}]})"), "integer in 0..10");
  CHECK_HAS(rulesErr(R"({"rules": [{"match": {"minObjects": 3, "maxObjects": 2}}]})"), "above");
  CHECK_HAS(rulesErr(R"({"rules": [{"overlay": [{"type": "circle"}]}]})"), "\"type\" must be");
  CHECK_HAS(rulesErr(R"({"rules": [{"overlay": [{"type": "text"}]}]})"), "non-empty \"text\"");
  CHECK_HAS(rulesErr(R"({"rules": [{"overlay": [{"type": "line", "color": "red"}]}]})"), "#rrggbb");
  CHECK_HAS(rulesErr(R"({"rules": [{"overlay": [{"type": "text", "text": "a", "align": 40}]}]})"), "align");
}

TEST(matchRules, "RuleMatch::matches() combines every clause") {
  std::vector<Rule> r;
  rulesErr(R"({"rules": [{"match": {"prefix": "Pixel/", "contains": "Map", "notContains": ["Trend"],
    "regex": "report[A-Z]", "classes": ["TH2?", "TProfile*"], "minObjects": 1, "maxObjects": 2}}]})", &r);
  const RuleMatch& m = r.at(0).match;
  CHECK(m.matches("Pixel/EventInfo/reportSummaryMap", "TH2F", 1));
  CHECK(m.matches("Pixel/EventInfo/reportSummaryMap", "TProfile2D", 2));
  CHECK(!m.matches("Strip/EventInfo/reportSummaryMap", "TH2F", 1));
  CHECK(!m.matches("Pixel/EventInfo/reportSummaryMapTrend", "TH2F", 1));
  CHECK(!m.matches("Pixel/EventInfo/reportsummaryMap", "TH2F", 1));
  CHECK(!m.matches("Pixel/EventInfo/reportSummaryMap", "TH1F", 1));
  CHECK(!m.matches("Pixel/EventInfo/reportSummaryMap", "TH2F", 3));
  RuleMatch any;
  CHECK(any.matches("", "", 0));
}

TEST(loadRepoRules, "loadPlugins() loads every rule file of plugins/rules") {
  PluginTable table;
  std::string e;
  CHECK(loadPlugins(repo() + "/plugins/rules", {}, table, e));
  CHECK_EQ(e, std::string());
  bool hello = false;
  for (const auto& r : table.rules)
    if (r.name == "hello") {
      hello = true;
      CHECK(r.match.matches("Test/hello/h1", "TH1F", 1));
      CHECK(!r.match.matches("Test/hello_native/h1", "TH1F", 1));
      CHECK(*r.style.draw == "hist" && *r.style.stats == false && r.overlay.at(0).text == "hello, DQM");
    }
  CHECK(hello);
}

TEST(loadErrorNamesFile, "loadPlugins() names the file, line and column of a broken rule file") {
  std::string dir = tempDir();
  std::ofstream(dir + "/20_ok.json") << R"({"rules": []})";
  std::ofstream(dir + "/30_bad.json") << "{\"rules\": [\n  {\"stop\": 1}]}";
  PluginTable table;
  std::string e;
  CHECK(!loadPlugins(dir, {}, table, e));
  CHECK_HAS(e, "Cannot load rules \"" + dir + "/30_bad.json\": line 2, column 12: \"stop\" must be a boolean");
  CHECK(!loadPlugins(dir + "/missing", {}, table, e));
  CHECK_HAS(e, "not a readable directory");
  std::remove((dir + "/20_ok.json").c_str());
  std::remove((dir + "/30_bad.json").c_str());
  rmdir(dir.c_str());
}

TEST(nativeHello, "loadPlugins() loads the hello native plugin with RTLD_NOW") {
  PluginTable table;
  std::string e;
  CHECK(loadPlugins("", {build() + "/plugins/hello_plugin.so"}, table, e));
  CHECK_EQ(e, std::string());
  CHECK_EQ(table.natives.size(), size_t(1));
  const dqm_plugin* api = table.natives.at(0).api;
  CHECK(api && std::string(api->name) == "hello" && api->pre_draw && api->post_draw);
  dqm_object_info info{};
  info.path = "Test/hello_native/h";
  CHECK(api->applies(&info));
  info.path = "Test/hello/h";
  CHECK(!api->applies(&info));
  dqm_style style{};
  style.stats = -1;
  api->pre_draw(&info, &style);
  CHECK_EQ(style.stats, 0);
}

TEST(nativeRefused, "loadPlugins() refuses a wrong apiver, a library without the entry and a missing file") {
  PluginTable table;
  std::string e;
  CHECK(!loadPlugins("", {build() + "/test-plugins/plugin_badver.so"}, table, e));
  CHECK_HAS(e, "apiver is 99, this daemon needs 1");
  CHECK(!loadPlugins("", {"libz.so.1"}, table, e));
  CHECK_HAS(e, "does not export dqm_plugin_v1");
  CHECK(!loadPlugins("", {"/nonexistent/x.so"}, table, e));
  CHECK_HAS(e, "Cannot load plugin \"/nonexistent/x.so\"");
}

TEST_MAIN("test_plugins")
