// render_rules.cc: render plugins applied in the order of spec/render.md
// §3.2/§5.3: declarative rules and native pre_draw hooks change the style,
// user options outrank both, then after the default drawing the rules'
// overlay primitives and the native post_draw hooks draw on top.
#include <cstring>

#include "render_core.h"

namespace rd {

namespace {

// Shell-style class patterns ("TH2*"), for the weak RuleMatch::matches.
bool globMatch(const char* pat, const char* s) {
  if (*pat == 0) return *s == 0;
  if (*pat == '*') return globMatch(pat + 1, s) || (*s && globMatch(pat, s + 1));
  return *s && (*pat == '?' || *pat == *s) && globMatch(pat + 1, s + 1);
}

// OptStat letters (TStyle::SetOptStat(Option_t*)) or digits.
// The letters map to OptStat digits as TStyle::SetOptStat(Option_t*) does;
// upper case means "with error" (digit 2).
int parseOptStat(const std::string& s) {
  if (!s.empty() && std::isdigit(static_cast<unsigned char>(s[0]))) return std::atoi(s.c_str());
  int v = 0;
  for (char c : s) {
    switch (c) {
      case 'n': v += 1; break;
      case 'e': v += 10; break;
      case 'm': v += 100; break;
      case 'M': v += 200; break;
      case 'r': v += 1000; break;
      case 'R': v += 2000; break;
      case 'u': v += 10000; break;
      case 'o': v += 100000; break;
      case 'i': v += 1000000; break;
      default: break;
    }
  }
  return v;
}

// Palette names the rules and plugins may use (render_palette.cc).
bool knownPalette(const std::string& p) {
  for (const char* n : {"bird", "rainbow", "summary", "qtstatus", "grey", "lightTemperature"})
    if (p == n) return true;
  return false;
}

// A later rule overrides only the fields it sets (render_plugins.h).
void mergeRule(const RuleStyle& r, Style& s) {
  // Unknown palette names are ignored here; the loader already rejects them.
  if (r.draw) s.draw = *r.draw;
  if (r.palette && knownPalette(*r.palette)) s.palette = *r.palette;
  if (r.contours) s.contours = *r.contours;
  if (r.stats) s.stats = *r.stats;
  if (r.optstat) s.optstat = parseOptStat(*r.optstat);
  if (r.logx) s.logx = *r.logx;
  if (r.logy) s.logy = *r.logy;
  if (r.logz) s.logz = *r.logz;
  if (r.gridx) s.gridx = *r.gridx;
  if (r.gridy) s.gridy = *r.gridy;
  if (r.xmin) s.xmin = *r.xmin;
  if (r.xmax) s.xmax = *r.xmax;
  if (r.ymin) s.ymin = *r.ymin;
  if (r.ymax) s.ymax = *r.ymax;
  if (r.zmin) s.zmin = *r.zmin;
  if (r.zmax) s.zmax = *r.zmax;
  if (r.marginLeft) s.ml = *r.marginLeft;
  if (r.marginRight) s.mr = *r.marginRight;
  if (r.marginTop) s.mt = *r.marginTop;
  if (r.marginBottom) s.mb = *r.marginBottom;
  if (r.labelsX && !r.labelsX->empty()) s.labelsX = (*r.labelsX)[0];
  if (r.labelsY && !r.labelsY->empty()) s.labelsY = (*r.labelsY)[0];
  if (r.textFormat) s.textFormat = *r.textFormat;
  if (r.title) s.title = *r.title, s.titleSet = true;
}

// What a native plugin may look at (plugin_api.h); the strings point into
// the request and stay valid during the hook calls.
dqm_object_info objectInfo(const RenderRequest& req) {
  dqm_object_info info{};
  const Object* o = req.objects.empty() ? nullptr : req.objects[0].get();
  info.path = req.name.c_str();
  info.cls = o ? o->cls.c_str() : "";
  info.dim = o ? o->dim() : 0;
  info.nobjects = int(req.objects.size());
  info.flags = req.flags;
  if (!o) return info;
  info.bits = o->bits, info.unique_id = o->uniqueId, info.entries = o->entries;
  // min/max over the in-range bins, as plugins compared GetMinimum/GetMaximum.
  info.nbinsx = o->x.nbins, info.nbinsy = o->dim() >= 2 ? o->y.nbins : 0;
  bool first = true;
  for (int by = info.nbinsy ? 1 : 0; by <= info.nbinsy; ++by)
    for (int bx = 1; bx <= o->x.nbins; ++bx) {
      double v = binContent(*o, o->cell(bx, by));
      info.min = first ? v : std::min(info.min, v), info.max = first ? v : std::max(info.max, v), first = false;
    }
  return info;
}

// dqm_style uses "" / -1 / NaN for "leave as is" (plugin_api.h).
void applyNativeStyle(const dqm_style& d, Style& s) {
  if (d.draw[0]) s.draw = std::string(d.draw, strnlen(d.draw, sizeof d.draw));
  std::string pal(d.palette, strnlen(d.palette, sizeof d.palette));
  if (knownPalette(pal)) s.palette = pal;
  if (d.stats >= 0) s.stats = d.stats != 0;
  if (d.logx >= 0) s.logx = d.logx != 0;
  if (d.logy >= 0) s.logy = d.logy != 0;
  if (d.logz >= 0) s.logz = d.logz != 0;
  if (d.gridx >= 0) s.gridx = d.gridx != 0;
  if (d.gridy >= 0) s.gridy = d.gridy != 0;
  const double* src[6] = {&d.xmin, &d.xmax, &d.ymin, &d.ymax, &d.zmin, &d.zmax};
  double* dst[6] = {&s.xmin, &s.xmax, &s.ymin, &s.ymax, &s.zmin, &s.zmax};
  for (int i = 0; i < 6; ++i)
    if (!std::isnan(*src[i])) *dst[i] = *src[i];
}

}  // namespace

// Weak: plugin_load.cc defines the daemon's RuleMatch::matches; this one
// lets the drawing side link on its own (tests, harness) with the same
// semantics.
__attribute__((weak)) bool RuleMatch::matches(const std::string& path, const std::string& cls, int nobjects) const {
  if (!prefix.empty() && path.compare(0, prefix.size(), prefix) != 0) return false;
  for (const auto& c : contains)
    if (path.find(c) == std::string::npos) return false;
  for (const auto& c : notContains)
    if (path.find(c) != std::string::npos) return false;
  if (regex && !std::regex_search(path, *regex)) return false;
  if (!classes.empty()) {
    bool any = false;
    for (const auto& g : classes) any |= globMatch(g.c_str(), cls.c_str());
    if (!any) return false;
  }
  if (minObjects > 0 && nobjects < minObjects) return false;
  if (maxObjects > 0 && nobjects > maxObjects) return false;
  return true;
}

// Pipeline steps 1-3 of spec/render.md §3.2 as a scene model: rules in
// table order (until "stop"), then native pre_draw hooks in load order,
// then the user's options, which outrank both (§5.3).
void resolveStyle(const RenderRequest& req, const PluginTable& plugins, Style& style) {
  const Object* o = req.objects.empty() ? nullptr : req.objects[0].get();
  const std::string cls = o ? o->cls : "";
  const int n = int(req.objects.size());
  // References never get rule treatment: matching uses the main object.
  for (const Rule& r : plugins.rules) {
    if (!r.match.matches(req.name, cls, n)) continue;
    mergeRule(r.style, style);
    for (const Primitive& p : r.overlay) style.overlay.push_back(&p);
    if (r.stop) break;
  }
  dqm_object_info info{};
  if (!plugins.natives.empty()) info = objectInfo(req);
  for (const NativePlugin& np : plugins.natives) {
    if (!np.api || !np.api->applies || !np.api->applies(&info)) continue;
    style.natives.push_back(&np);
    if (!np.api->pre_draw) continue;
    // Every field starts as "leave"; the hook changes what it wants.
    dqm_style d;
    std::memset(&d, 0, sizeof d);
    d.stats = d.logx = d.logy = d.logz = d.gridx = d.gridy = -1;
    d.xmin = d.xmax = d.ymin = d.ymax = d.zmin = d.zmax = NAN;
    np.api->pre_draw(&info, &d);
    applyNativeStyle(d, style);
  }
  // User options outrank every rule and plugin (§5.3).
  const RenderOptions& u = req.options;
  // Draw option precedence (§3.4 [rec]): user > plugin > stored fOption > type default.
  if (!u.drawopts.empty()) style.draw = u.drawopts;
  else if (style.draw.empty() && o) style.draw = o->option;
  // showstats 1 is also the default, so it keeps a rule's optstat; any
  // other value is an explicit OptStat.
  if (u.showstats == 0) style.stats = false;
  else if (u.showstats != 1) style.optstat = u.showstats;
  if (u.x.type != AxisType::Def) style.logx = u.x.type == AxisType::Log;
  if (u.y.type != AxisType::Def) style.logy = u.y.type == AxisType::Log;
  if (u.z.type != AxisType::Def) style.logz = u.z.type == AxisType::Log;
  const AxisOptions* ax[3] = {&u.x, &u.y, &u.z};
  double* lo[3] = {&style.xmin, &style.ymin, &style.zmin};
  double* hi[3] = {&style.xmax, &style.ymax, &style.zmax};
  // Per bound: a user bound replaces the rule's, a missing one keeps it
  // (and stays automatic when nobody set it; 0 is a real bound).
  for (int i = 0; i < 3; ++i) {
    if (!std::isnan(ax[i]->min)) *lo[i] = ax[i]->min;
    if (!std::isnan(ax[i]->max)) *hi[i] = ax[i]->max;
  }
}

// Rule overlays, drawn after the plot (TLine/TBox/TText in a postDraw).
// Data and frame coordinates are clipped to the frame like ROOT's pad
// clipping; NDC primitives may go anywhere on the image.
void drawPrimitives(const Canvas& cv, const std::vector<const Primitive*>& prims, const Frame& fr) {
  cairo_t* cr = cv.cr;
  const Rect& b = fr.box;
  for (const Primitive* p : prims) {
    // Coordinates: data (the axes' scales), NDC of the image, or 0..1 of the frame.
    auto X = [&](double v) {
      return p->coords == Primitive::Coords::Data ? fr.x.toPx(v)
             : p->coords == Primitive::Coords::NDC ? v * cv.width : b.x0 + v * b.w();
    };
    auto Y = [&](double v) {
      return p->coords == Primitive::Coords::Data ? fr.y.toPx(v)
             : p->coords == Primitive::Coords::NDC ? (1 - v) * cv.height : b.y1 - v * b.h();
    };
    Color c;
    if (!parseColor(p->color, c)) c = Color{};
    cairo_save(cr);
    if (p->coords != Primitive::Coords::NDC) {
      cairo_rectangle(cr, b.x0, b.y0, b.w(), b.h());
      cairo_clip(cr);
    }
    cairo_set_line_width(cr, std::max(0.5, p->width));
    if (!p->dash.empty()) cairo_set_dash(cr, p->dash.data(), int(p->dash.size()), 0);
    cv.setColor(c);
    double w1 = std::lround(p->width) % 2 ? 0.5 : 0;  // odd widths on pixel centres stay crisp
    switch (p->type) {
      case Primitive::Type::Line:
        cairo_move_to(cr, X(p->x1), Y(p->y1));
        cairo_line_to(cr, X(p->x2), Y(p->y2));
        cairo_stroke(cr);
        break;
      case Primitive::Type::HLine: {
        double y = std::floor(Y(p->y1)) + w1;
        cairo_move_to(cr, b.x0, y), cairo_line_to(cr, b.x1, y);
        cairo_stroke(cr);
        break;
      }
      case Primitive::Type::VLine: {
        double x = std::floor(X(p->x1)) + w1;
        cairo_move_to(cr, x, b.y0), cairo_line_to(cr, x, b.y1);
        cairo_stroke(cr);
        break;
      }
      case Primitive::Type::Box: {
        double x0 = X(p->x1), x1 = X(p->x2), y0 = Y(p->y1), y1 = Y(p->y2);
        cairo_rectangle(cr, std::min(x0, x1), std::min(y0, y1), std::fabs(x1 - x0), std::fabs(y1 - y0));
        Color f;
        if (!p->fill.empty() && parseColor(p->fill, f)) {
          cv.setColor(f);
          cairo_fill_preserve(cr);
          cv.setColor(c);
        }
        cairo_stroke(cr);
        break;
      }
      case Primitive::Type::Text: {  // size is a fraction of the image height
        double px = std::max(cv.minFontPx(), p->size * cv.height);
        drawLatex(cv, p->text, X(p->x1), Y(p->y1), Font::Regular, px, p->align);
        break;
      }
    }
    cairo_restore(cr);
  }
}

// Step 5 of §3.2: rule primitives, then native post_draw hooks with the
// frame geometry; each hook runs between cairo_save and cairo_restore so it
// cannot leave state behind for the next one.
void runPostDraw(const Canvas& cv, const RenderRequest& req, const Style& style, const Frame& fr) {
  drawPrimitives(cv, style.overlay, fr);
  if (style.natives.empty()) return;
  dqm_object_info info = objectInfo(req);
  dqm_frame f{};
  f.cr = cv.cr, f.width = cv.width, f.height = cv.height;
  f.px0 = fr.box.x0, f.py0 = fr.box.y0, f.px1 = fr.box.x1, f.py1 = fr.box.y1;
  f.xmin = fr.x.lo, f.xmax = fr.x.hi, f.ymin = fr.y.lo, f.ymax = fr.y.hi;
  f.logx = fr.x.log, f.logy = fr.y.log;
  for (const NativePlugin* np : style.natives) {
    if (!np->api->post_draw) continue;
    cairo_save(cv.cr);
    np->api->post_draw(&info, &f);
    cairo_restore(cv.cr);
  }
}

}  // namespace rd
