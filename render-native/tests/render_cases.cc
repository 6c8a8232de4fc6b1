// render_cases.cc: the named render cases (see render_cases.h).
#include "render_cases.h"

#include <cmath>

namespace rd {
namespace cases {

namespace {

struct Rng {
  uint32_t s;
  double uniform() { return ((s = s * 1664525u + 1013904223u) >> 8) / 16777216.0; }
  double gauss() {
    double u = std::max(uniform(), 1e-12), v = uniform();
    return std::sqrt(-2 * std::log(u)) * std::cos(2 * M_PI * v);
  }
};

std::unique_ptr<Object> make1D(const char* cls, const char* name, const char* title, int n, double lo, double hi) {
  auto o = std::make_unique<Object>();
  o->kind = std::string(cls) == "TProfile" ? Kind::Profile : Kind::TH1;
  o->cls = cls, o->name = name, o->title = title;
  o->x.nbins = n, o->x.xmin = lo, o->x.xmax = hi;
  o->contents.assign(n + 2, 0);
  if (o->kind == Kind::Profile) o->binEntries.assign(n + 2, 0), o->sumw2.assign(n + 2, 0), o->binSumw2.assign(n + 2, 0);
  return o;
}

std::unique_ptr<Object> make2D(const char* cls, const char* name, const char* title, int nx, double x0, double x1,
                               int ny, double y0, double y1) {
  auto o = std::make_unique<Object>();
  o->kind = Kind::TH2;
  o->cls = cls, o->name = name, o->title = title;
  o->x.nbins = nx, o->x.xmin = x0, o->x.xmax = x1;
  o->y.nbins = ny, o->y.xmin = y0, o->y.xmax = y1;
  o->contents.assign(size_t(nx + 2) * (ny + 2), 0);
  return o;
}

// TH1::Fill / TProfile::Fill / TH2::Fill: contents, sumw2 and the stat sums.
void fill(Object& o, double x, double w = 1, double y = 0) {
  int bx = o.x.findBin(x);
  int by = o.kind == Kind::TH2 ? o.y.findBin(y) : 0;
  int c = o.cell(bx, by);
  o.entries += 1;
  if (o.kind == Kind::Profile) {
    o.contents[c] += w * y, o.sumw2[c] += w * y * y, o.binEntries[c] += w, o.binSumw2[c] += w * w;
  } else {
    o.contents[c] += w;
    if (!o.sumw2.empty()) o.sumw2[c] += w * w;
  }
  bool in = bx >= 1 && bx <= o.x.nbins && (o.kind != Kind::TH2 || (by >= 1 && by <= o.y.nbins));
  if (!in) return;
  o.tsumw += w, o.tsumw2 += w * w, o.tsumwx += w * x, o.tsumwx2 += w * x * x;
  if (o.kind != Kind::TH1) o.tsumwy += w * y, o.tsumwy2 += w * y * y, o.tsumwxy += w * x * y;
}

RenderRequest request(int w, int h, std::string name = "Test/Folder/plot") {
  RenderRequest r;
  r.name = std::move(name);
  r.flags = 0x10;
  r.options.width = w, r.options.height = h;
  return r;
}

RenderRequest one(std::unique_ptr<Object> o, int w = 266, int h = 200, std::string name = "Test/Folder/plot") {
  RenderRequest r = request(w, h, std::move(name));
  r.objects.push_back(std::move(o));
  return r;
}

std::unique_ptr<Object> profile(uint32_t seed) {
  auto o = make1D("TProfile", "hProfile", "Cluster charge vs #eta", 40, -2.5, 2.5);
  Rng r{seed};
  for (int i = 0; i < 20000; ++i) {
    double x = (r.uniform() - 0.5) * 5;
    fill(*o, x, 1, 25 + 6 * x * x + 4 * r.gauss());
  }
  o->x.title = "#eta";
  o->y.title = "<charge> [ke]";
  return o;
}

std::unique_ptr<Object> summaryMap() {
  static const char* systems[] = {"CSC", "DT", "ECAL", "HCAL", "L1T", "Pixel", "RPC", "SiStrip", "Tracking"};
  auto o = make2D("TH2F", "reportSummaryMap", "Summary of DQM flags per lumisection", 40, 0.5, 40.5, 9, 0, 9);
  o->y.labels.assign(10, "");
  for (int i = 0; i < 9; ++i) o->y.labels[i + 1] = systems[i];
  o->x.title = "Luminosity Section";
  for (int by = 1; by <= 9; ++by)
    for (int bx = 1; bx <= 40; ++bx) {
      double v = 1.0;
      if (bx > 36) v = -1;  // not yet filled
      else if ((bx * 7 + by * 3) % 23 == 0) v = 0.3;
      else if ((bx + by) % 17 == 0) v = 0.0;
      else if (by == 6 && bx > 20 && bx < 25) v = 0.9;
      o->contents[o->cell(bx, by)] = v;
    }
  o->entries = 360;
  return o;
}

std::vector<Case> build() {
  std::vector<Case> c;
  c.push_back({"th1f_hist", [] { return one(gaussTH1(100, 20000, false, 1)); }});
  c.push_back({"th1_errors", [] {
                 auto o = make1D("TH1F", "hWeighted", "Weighted p_{T} spectrum", 40, 0, 100);
                 o->sumw2.assign(42, 0);
                 Rng r{7};
                 for (int i = 0; i < 3000; ++i) fill(*o, 100 * std::pow(r.uniform(), 2.2), 0.5 + r.uniform());
                 o->x.title = "p_{T} [GeV]", o->y.title = "events";
                 return one(std::move(o));
               }});
  c.push_back({"tprofile", [] { return one(profile(3)); }});
  c.push_back({"th2f_colz", [] { return one(gaussTH2(100, 100, 200000, 5)); }});
  c.push_back({"labels_th1", [] {
                 static const char* l[] = {"BPix L1", "BPix L2", "BPix L3", "BPix L4", "FPix D1", "FPix D2", "FPix D3"};
                 auto o = make1D("TH1F", "hModules", "Active modules per layer", 7, 0, 7);
                 o->x.labels.assign(8, "");
                 for (int i = 0; i < 7; ++i) {
                   o->x.labels[i + 1] = l[i];
                   for (int k = 0; k < 100 + 37 * ((i * 5) % 7); ++k) fill(*o, i + 0.5);
                 }
                 return one(std::move(o));
               }});
  c.push_back({"logy", [] {
                 auto o = make1D("TH1F", "hCharge", "Cluster charge", 60, 0, 600);
                 o->x.title = "charge [e]", o->y.title = "clusters";
                 Rng r{11};
                 for (int i = 0; i < 50000; ++i) fill(*o, -60 * std::log(std::max(r.uniform(), 1e-9)));
                 RenderRequest q = one(std::move(o));
                 q.options.y.type = AxisType::Log;
                 return q;
               }});
  c.push_back({"text_colz", [] {
                 auto o = make2D("TH2F", "hFEDErrors", "FED errors per crate", 8, 0, 8, 6, 0, 6);
                 o->x.title = "crate", o->y.title = "slot";
                 for (int by = 1; by <= 6; ++by)
                   for (int bx = 1; bx <= 8; ++bx) o->contents[o->cell(bx, by)] = (bx * by * 37) % 23;
                 o->entries = 48;
                 RenderRequest q = one(std::move(o));
                 q.options.drawopts = "COLZ TEXT";
                 return q;
               }});
  c.push_back({"overlay", [] {
                 RenderRequest q = one(gaussTH1(60, 20000, false, 21), 266, 200, "Muons/seedEta");
                 auto r1 = gaussTH1(60, 9000, false, 22);
                 auto r2 = gaussTH1(60, 40000, false, 23);
                 for (auto& v : r2->contents) v = v * 0.8;
                 q.objects.push_back(std::move(r1));
                 q.objects.push_back(std::move(r2));
                 q.options.reflabels = {"", "Run 316142", "Run 316199"};
                 return q;
               }});
  c.push_back({"ratiooverlay", [] {
                 RenderRequest q = one(gaussTH1(50, 20000, true, 31), 400, 300);
                 q.objects.push_back(gaussTH1(50, 15000, true, 32));
                 q.options.ref = RefMode::RatioOverlay;
                 q.options.reflabels = {"", "reference"};
                 return q;
               }});
  c.push_back({"stacked", [] {
                 RenderRequest q = one(gaussTH1(50, 30000, false, 41), 400, 300);
                 for (int i = 0; i < 3; ++i) q.objects.push_back(gaussTH1(50, 8000 + 3000 * i, false, 42 + i));
                 q.options.ref = RefMode::Stacked;
                 return q;
               }});
  c.push_back({"scalar", [] {
                 RenderRequest q = request(266, 200, "");
                 q.flags = 0x0f;
                 auto o = std::make_unique<Object>();
                 o->kind = Kind::Text, o->cls = "TObjString", o->text = "Run 316142\n12345";
                 q.objects.push_back(std::move(o));
                 return q;
               }});
  c.push_back({"missing", [] {
                 RenderRequest q = request(266, 200, "Pixel/Clusters/size_siPixelClusters");
                 q.objects.emplace_back();
                 return q;
               }});
  c.push_back({"summary_map", [] {
                 return one(summaryMap(), 532, 400, "PixelPhase1/EventInfo/reportSummaryMap");
               }});
  c.push_back({"tiny", [] { return one(gaussTH1(100, 5000, false, 51), 20, 15); }});
  c.push_back({"large", [] {
                 RenderRequest q = one(profile(61), 1000, 800);
                 q.objects[0]->title = "Mean cluster charge vs #eta (#splitline{all}{layers})";
                 return q;
               }});
  c.push_back({"large_colz", [] { return one(gaussTH2(100, 100, 200000, 71), 1000, 800); }});
  c.push_back({"pull_2d", [] {
                 RenderRequest q = one(gaussTH2(20, 20, 20000, 121), 400, 300, "Tracking/hitMap");
                 q.objects.push_back(gaussTH2(20, 20, 15000, 122));
                 q.objects[1]->contents[q.objects[1]->cell(5, 12)] += 60;  // a hot cell in the reference
                 q.options.reflabels = {"Run 2", "Run 1"};
                 return q;
               }});
  c.push_back({"ktest", [] {
                 RenderRequest q = one(gaussTH1(60, 20000, false, 21), 266, 200, "Muons/seedEta");
                 q.objects.push_back(gaussTH1(60, 9000, false, 22));
                 q.options.ktest = 0.05;
                 return q;
               }});
  c.push_back({"time_axis", [] {
                 auto o = make1D("TH1F", "hRate", "Trigger rate vs time", 48, 0, 48 * 1800);
                 o->x.timeDisplay = true, o->x.timeFormat = "%H:%M%F2026-11-28 00:00:00";
                 o->x.title = "time (UTC)", o->y.title = "Hz";
                 for (int b = 1; b <= 48; ++b) o->contents[b] = 100 + 40 * std::sin(b / 6.0);
                 o->entries = 48;
                 return one(std::move(o));
               }});
  c.push_back({"rule_vlabels", [] {
                 auto o = gaussTH2(12, 6, 3000, 3);
                 o->x.labels.assign(13, "");
                 for (int i = 1; i <= 12; ++i) o->x.labels[i] = "Sector " + std::to_string(i);
                 o->title = "Vertical labels, grey palette, grid";
                 return one(std::move(o), 400, 300, "RenderTest/vlabels/map");
               }});
  c.push_back({"rule_primitives", [] { return one(gaussTH1(40, 8000, false, 9), 400, 300, "RenderTest/primitives/h"); }});
  // Contact sheet extras.
  auto opt1 = [](const char* name, const char* opt) {
    return Case{name, [opt] {
                  auto o = gaussTH1(40, 3000, true, 81);
                  o->title = std::string("Draw option ") + opt;
                  RenderRequest q = one(std::move(o));
                  q.options.drawopts = opt;
                  return q;
                }, false};
  };
  c.push_back(opt1("opt_p", "P"));
  c.push_back(opt1("opt_l", "L"));
  c.push_back(opt1("opt_c", "C"));
  c.push_back(opt1("opt_e1", "E1"));
  c.push_back(opt1("opt_histtext", "HIST TEXT"));
  auto opt2 = [](const char* name, const char* opt) {
    return Case{name, [opt] {
                  auto o = gaussTH2(20, 20, 5000, 91);
                  o->title = std::string("Draw option ") + opt;
                  RenderRequest q = one(std::move(o));
                  q.options.drawopts = opt;
                  return q;
                }, false};
  };
  c.push_back(opt2("opt_box", "BOX"));
  c.push_back(opt2("opt_scat", "SCAT"));
  c.push_back(opt2("opt_col", "COL"));
  c.push_back({"th3", [] {
                 auto o = std::make_unique<Object>();
                 o->kind = Kind::TH3, o->cls = "TH3F", o->name = "hHits3D", o->title = "Hits (XY projection)";
                 o->x = Axis{}, o->x.nbins = 20, o->x.xmin = -10, o->x.xmax = 10, o->x.title = "x [cm]";
                 o->y = o->x, o->y.title = "y [cm]";
                 o->z.nbins = 5, o->z.xmin = 0, o->z.xmax = 5;
                 o->contents.assign(22 * 22 * 7, 0);
                 Rng r{101};
                 for (int i = 0; i < 20000; ++i) {
                   double x = 3 * r.gauss(), y = 3 * r.gauss();
                   o->contents[o->cell(o->x.findBin(x), o->y.findBin(y), 1 + int(r.uniform() * 5))] += 1;
                   o->entries += 1, o->tsumw += 1, o->tsumwx += x, o->tsumwx2 += x * x, o->tsumwy += y, o->tsumwy2 += y * y;
                 }
                 return one(std::move(o));
               }, false});
  c.push_back({"rainbow_log", [] {
                 RenderRequest q = one(gaussTH2(50, 50, 100000, 111), 400, 300, "Hcal/DigiTask/Occupancy/depth");
                 q.options.z.type = AxisType::Log;
                 return q;
               }, false});
  c.push_back({"range_user", [] {
                 RenderRequest q = one(gaussTH1(100, 20000, false, 1));
                 q.options.x.min = 0, q.options.x.max = 2.5, q.options.y.min = 0;
                 return q;
               }, false});
  return c;
}

}  // namespace

std::unique_ptr<Object> gaussTH1(int nbins, int n, bool sumw2, uint32_t seed) {
  auto o = make1D("TH1F", "seedEta", "Seed #eta", nbins, -3, 3);
  o->x.title = "#eta", o->y.title = "seeds";
  if (sumw2) o->sumw2.assign(nbins + 2, 0);
  Rng r{seed};
  for (int i = 0; i < n; ++i) fill(*o, 0.1 * (seed % 5) + 0.7 * r.gauss());
  return o;
}

std::unique_ptr<Object> gaussTH2(int nx, int ny, int n, uint32_t seed) {
  auto o = make2D("TH2F", "hitMap", "Hit map", nx, -5, 5, ny, -5, 5);
  o->x.title = "x [cm]", o->y.title = "y [cm]";
  Rng r{seed};
  for (int i = 0; i < n; ++i) {
    double x = 1.5 * r.gauss(), y = 0.6 * x + 1.2 * r.gauss();
    fill(*o, x, 1, y);
  }
  return o;
}

void addTestRules(PluginTable& table) {
  Rule v;
  v.name = "test-vertical-labels";
  v.match.prefix = "RenderTest/vlabels";
  v.style.labelsX = "v", v.style.draw = "colz text", v.style.textFormat = ".1f";
  v.style.gridx = true, v.style.gridy = true, v.style.palette = "grey";
  table.rules.push_back(v);
  Rule p;
  p.name = "test-primitives";
  p.match.prefix = "RenderTest/primitives";
  p.style.title = "Custom title #alpha_{s}", p.style.optstat = "emr", p.style.marginLeft = 0.2;
  Primitive h;
  h.type = Primitive::Type::HLine, h.y1 = 300, h.color = "#cc0000", h.dash = {4, 2};
  Primitive l;
  l.type = Primitive::Type::VLine, l.x1 = 0.5, l.color = "#0033ff", l.width = 2;
  Primitive b;
  b.type = Primitive::Type::Box, b.coords = Primitive::Coords::Frame, b.x1 = 0.05, b.y1 = 0.6, b.x2 = 0.3, b.y2 = 0.9;
  b.fill = "#ffff0080", b.color = "#808000";
  Primitive t;
  t.type = Primitive::Type::Text, t.coords = Primitive::Coords::NDC, t.x1 = 0.5, t.y1 = 0.5, t.size = 0.06;
  t.text = "#mu^{+}#mu^{-} overlay", t.color = "#008000";
  Primitive d;
  d.type = Primitive::Type::Line, d.coords = Primitive::Coords::NDC, d.x1 = 0.02, d.y1 = 0.02, d.x2 = 0.98, d.y2 = 0.3;
  d.color = "#ff00ff";
  p.overlay = {h, l, b, t, d};
  table.rules.push_back(p);
}

const std::vector<Case>& all() {
  static std::vector<Case> c = build();
  return c;
}

const Case* find(const std::string& name) {
  for (const auto& c : all())
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace cases
}  // namespace rd
