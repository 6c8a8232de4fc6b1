// test_decode.cc: decodeRecord() against fixtures written by core/writer.
#include <sys/stat.h>

#include "../decode_tbuffer.h"
#include "../proto_limits.h"
#include "test_util.h"

using namespace rd;

namespace {

std::string fixtures() {
  struct stat st;
  std::string here = __FILE__;
  std::string dir = here.substr(0, here.rfind('/') + 1) + "fixtures/";
  return stat(dir.c_str(), &st) == 0 ? dir : "tests/fixtures/";
}

struct Decoded {
  uint32_t code;
  std::unique_ptr<Object> obj;
  std::string error;
};

Decoded decode(const std::vector<uint8_t>& b, int32_t disp) {
  Decoded d;
  d.code = decodeRecord(b.data(), b.size(), disp, d.obj, d.error);
  return d;
}

std::vector<uint8_t> fixture(const std::string& name) { return t::readFile(fixtures() + name + ".rec"); }
int32_t dispOf(const std::string& name) {
  for (const auto& e : t::readManifest(fixtures() + "manifest.tsv"))
    if (e.get("case") == name) return int32_t(e.num("disp"));
  return 0;
}

std::string labelsOf(const Axis& a) {
  std::string s;
  for (size_t i = 1; i < a.labels.size(); ++i)
    if (!a.labels[i].empty()) s += (s.empty() ? "" : "|") + std::to_string(i) + ":" + a.labels[i];
  return s;
}

double sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

void putBE32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  b[at] = uint8_t(v >> 24); b[at + 1] = uint8_t(v >> 16); b[at + 2] = uint8_t(v >> 8); b[at + 3] = uint8_t(v);
}
uint32_t getBE32(const std::vector<uint8_t>& b, size_t at) {
  return uint32_t(b[at]) << 24 | uint32_t(b[at + 1]) << 16 | uint32_t(b[at + 2]) << 8 | b[at + 3];
}

// Slot header of "TH1F": bc(4) + kNewClassTag(4) + "TH1F\0"(5) = 13; then TH1F bc+version, TH1 bc+version.
constexpr size_t TH1F_AT = 13, TH1_AT = 19;

}  // namespace

TEST(fixturesMatch, "decodeRecord() decodes every fixture class with the writer's values") {
  auto entries = t::readManifest(fixtures() + "manifest.tsv");
  CHECK(entries.size() >= 23);
  for (const auto& e : entries) {
    std::string name = e.get("case");
    auto d = decode(t::readFile(fixtures() + e.get("file")), int32_t(e.num("disp")));
    if (d.code != REPLY_OK || !d.obj) { t::fail(__FILE__, __LINE__, name + ": " + d.error); continue; }
    const Object& o = *d.obj;
    CHECK_EQ(o.cls, e.get("class"));
    if (e.has("text")) { CHECK(o.kind == Kind::Text); CHECK_EQ(o.text, e.get("text")); continue; }
    CHECK_EQ(o.name, e.get("hname"));
    CHECK_EQ(o.title, e.get("title"));
    CHECK_EQ(o.option, e.get("option"));
    CHECK_EQ(o.x.nbins, int(e.num("nx")));
    CHECK_EQ(o.y.nbins, int(e.num("ny")));
    CHECK_EQ(o.z.nbins, int(e.num("nz")));
    CHECK_EQ(o.x.xmin, e.num("xmin"));
    CHECK_EQ(o.x.xmax, e.num("xmax"));
    CHECK_EQ(o.x.edges.size(), size_t(e.num("xedges")));
    CHECK_EQ(o.contents.size(), size_t(e.num("ncells")));
    CHECK_EQ(o.entries, e.num("entries"));
    CHECK(t::close(sum(o.contents), e.num("sum")));
    if (e.get("sumw2") == "none") CHECK(o.sumw2.empty());
    else CHECK(t::close(sum(o.sumw2), e.num("sumw2")));
    CHECK(t::close(o.tsumw, e.num("tsumw")));
    CHECK(t::close(o.tsumwx, e.num("tsumwx")));
    if (o.kind != Kind::Profile) CHECK(t::close(o.tsumwy, e.num("tsumwy")));
    if (o.kind != Kind::Profile2D) CHECK(t::close(o.tsumwz, e.num("tsumwz")));
    CHECK_EQ(labelsOf(o.x), e.get("xlabels"));
    CHECK_EQ(labelsOf(o.y), e.get("ylabels"));
    if (e.has("binentries")) {
      CHECK(t::close(sum(o.binEntries), e.num("binentries")));
      CHECK_EQ(o.errorMode, int(e.num("errormode")));
    }
    Kind want = o.cls[2] == '1' ? Kind::TH1 : o.cls[2] == '2' ? Kind::TH2 : o.cls[2] == '3' ? Kind::TH3
              : o.cls == "TProfile" ? Kind::Profile : Kind::Profile2D;
    CHECK(o.kind == want);
  }
}

TEST(classRefsThroughDisplacement, "decodeRecord() resolves class back-references through the displacement (DQMIO slice)") {
  auto b = fixture("th2f_labels_dqmio");
  int32_t disp = dispOf("th2f_labels_dqmio");
  CHECK(disp > 100000);
  auto ok = decode(b, disp);
  CHECK_EQ(ok.code, REPLY_OK);
  CHECK(ok.obj && labelsOf(ok.obj->y) == "1:+|2:0|3:-");
  auto off = decode(b, disp + 1);
  CHECK_EQ(off.code, REPLY_ERROR);
  CHECK_HAS(off.error, "reference to unknown class tag");
}

TEST(negativeDisplacement, "decodeRecord() handles a negative displacement (body written from position 0)") {
  auto d = decode(fixture("th1d_edges_negative"), dispOf("th1d_edges_negative"));
  CHECK_EQ(dispOf("th1d_edges_negative"), -13);
  CHECK_EQ(d.code, REPLY_OK);
  CHECK(d.obj && d.obj->x.edges.size() == 7 && d.obj->x.edges[6] == 32);
}

TEST(objectRefs, "decodeRecord() resolves object back-references in fFunctions") {
  auto b = fixture("th1f_objref");
  auto d = decode(b, dispOf("th1f_objref"));
  CHECK_EQ(d.code, REPLY_OK);
  CHECK(d.obj && d.obj->entries == 1);
  auto off = decode(b, dispOf("th1f_objref") - 2);
  CHECK_EQ(off.code, REPLY_ERROR);
  CHECK_HAS(off.error, "reference to unknown object tag");
}

TEST(unknownSkipped, "decodeRecord() skips unknown classes (TProfile3D, TNamed, nested lists) by byte count") {
  auto d = decode(fixture("th1f_functions"), dispOf("th1f_functions"));
  CHECK_EQ(d.code, REPLY_OK);
  CHECK(d.obj && labelsOf(d.obj->x) == "1:a|2:b|3:c|4:d");
}

TEST(oldTH1Version, "decodeRecord() answers code 1 naming class and version for TH1 v5") {
  auto b = fixture("th1f_basic");
  CHECK_EQ(b[TH1_AT + 5], 8);
  b[TH1_AT + 5] = 5;
  auto d = decode(b, 0);
  CHECK_EQ(d.code, REPLY_MISSING_STREAMERS);
  CHECK_HAS(d.error, "\"TH1\" v5");
  CHECK_HAS(d.error, "missing streamers");
}

TEST(oldTH1FVersion, "decodeRecord() answers code 1 for TH1F v2") {
  auto b = fixture("th1f_basic");
  b[TH1F_AT + 5] = 2;
  auto d = decode(b, 0);
  CHECK_EQ(d.code, REPLY_MISSING_STREAMERS);
  CHECK_HAS(d.error, "\"TH1F\" v2 at offset 13");
}

TEST(byteCountMismatch, "decodeRecord() reports a byte-count mismatch with class, version and offset") {
  auto b = fixture("th1f_basic");
  putBE32(b, TH1_AT, getBE32(b, TH1_AT) + 4);
  auto d = decode(b, 0);
  CHECK_EQ(d.code, REPLY_ERROR);
  CHECK_HAS(d.error, "Cannot decode \"TH1\" v8 at offset 19");
  CHECK_HAS(d.error, "byte count mismatch");
}

TEST(emptyAndNull, "decodeRecord() returns no object for an empty record and a null slot") {
  auto d = decode({}, 0);
  CHECK(d.code == REPLY_OK && !d.obj);
  auto n = decode({0, 0, 0, 0}, 12345);
  CHECK(n.code == REPLY_OK && !n.obj);
}

TEST(tobjstring, "decodeRecord() turns a TObjString into Kind::Text") {
  auto d = decode(fixture("tobjstring"), 0);
  CHECK(d.code == REPLY_OK && d.obj && d.obj->kind == Kind::Text);
  CHECK_EQ(d.obj->text, std::string("<reportSummary>f=0.97</reportSummary>"));
}

TEST(unsupportedTop, "decodeRecord() refuses an unsupported main class by name") {
  auto b = fixture("th1f_basic");
  b[9] = 'K';  // "TK1F"
  auto d = decode(b, 0);
  CHECK_EQ(d.code, REPLY_ERROR);
  CHECK_HAS(d.error, "Cannot render class \"TK1F\"");
}

TEST(trailingBytes, "decodeRecord() refuses bytes after the object") {
  auto b = fixture("tobjstring");
  b.push_back(0);
  auto d = decode(b, 0);
  CHECK_EQ(d.code, REPLY_ERROR);
  CHECK_HAS(d.error, "1 bytes left after the object");
}

TEST(startsWithReference, "decodeRecord() refuses a record that starts with a back-reference") {
  auto d = decode({0, 0, 0, 7}, 5);
  CHECK_EQ(d.code, REPLY_ERROR);
}

TEST(hugeArray, "decodeRecord() checks array sizes against the bytes present before allocating") {
  auto b = fixture("th1f_basic");
  // The cell array is last: its i32 count sits 4 + 22*4 bytes before the end.
  size_t at = b.size() - 4 - 22 * 4;
  CHECK_EQ(getBE32(b, at), 22u);
  putBE32(b, at, DECODE_MAX_CELLS);
  auto d = decode(b, 0);
  CHECK_EQ(d.code, REPLY_ERROR);
  CHECK_HAS(d.error, "truncated");
  putBE32(b, at, 0x7fffffff);
  CHECK_HAS(decode(b, 0).error, "limit");
}

TEST(truncations, "decodeRecord() rejects every truncation of every fixture") {
  for (const auto& e : t::readManifest(fixtures() + "manifest.tsv")) {
    auto b = t::readFile(fixtures() + e.get("file"));
    for (size_t n = 1; n < b.size(); ++n) {
      std::vector<uint8_t> cut(b.begin(), b.begin() + long(n));
      auto d = decode(cut, int32_t(e.num("disp")));
      if (d.code == REPLY_OK) t::fail(__FILE__, __LINE__, e.get("case") + " cut at " + std::to_string(n) + " decoded");
      if (d.error.empty()) t::fail(__FILE__, __LINE__, e.get("case") + " cut without message");
    }
  }
}

TEST(byteFlips, "decodeRecord() survives every single-byte flip of every fixture with a consistent object") {
  for (const auto& e : t::readManifest(fixtures() + "manifest.tsv")) {
    auto b = t::readFile(fixtures() + e.get("file"));
    for (size_t i = 0; i < b.size(); ++i) {
      for (uint8_t x : {uint8_t(0xff), uint8_t(0x01), uint8_t(0x80)}) {
        auto m = b;
        m[i] ^= x;
        auto d = decode(m, int32_t(e.num("disp")));
        CHECK(d.code <= REPLY_ERROR);
        if (d.code != REPLY_OK) { CHECK(!d.error.empty()); continue; }
        if (!d.obj || d.obj->kind == Kind::Text) continue;
        const Object& o = *d.obj;
        size_t cells = size_t(o.x.nbins + 2) * (o.dim() >= 2 ? size_t(o.y.nbins + 2) : 1) *
                       (o.dim() == 3 ? size_t(o.z.nbins + 2) : 1);
        CHECK_EQ(o.contents.size(), cells);
        CHECK(o.sumw2.empty() || o.sumw2.size() == cells);
        CHECK(o.x.labels.empty() || o.x.labels.size() == size_t(o.x.nbins) + 1);
      }
    }
  }
}

TEST(versions, "supportedVersion() knows the ROOT 6 versions") {
  CHECK_EQ(supportedVersion("TH1"), 8);
  CHECK_EQ(supportedVersion("TAxis"), 10);
  CHECK_EQ(supportedVersion("TProfile2D"), 8);
  CHECK_EQ(supportedVersion("TH3D"), 4);
  CHECK_EQ(supportedVersion("TGraph"), -1);
}

TEST_MAIN("test_decode")
