// render_th2.cc: 2D histograms (TH2*, TProfile2D, and TH3 as its XY
// projection): COL/COLZ, BOX, SCAT and TEXT, with the palette axis.
//
// COL cells are written straight into the image buffer: one solid rectangle
// per cell, no cairo call per cell, which keeps a 100x100-bin thumbnail well
// under a millisecond. Empty cells stay white unless the colour range goes
// below zero (THistPainter::PaintColorLevels); TProfile2D cells are painted
// when they have entries.
#include <cstring>

#include "render_core.h"

namespace rd {

std::string formatValue(const std::string& textFormat, double v);
void xRange(const Object& o, const Style& st, Frame& fr);

namespace {

// THistPainter::PaintColorLevels: a zero cell is empty unless the colour
// range reaches below zero (the summary palette's -1e-15 relies on this);
// TProfile2D cells are painted whenever they have entries.
bool painted(const Object& o, int c, double v, double zmin) {
  if (o.kind == Kind::Profile2D) return binFilled(o, c);
  return !(v == 0 && zmin >= 0);
}

// COL: cell rectangles written straight into the ARGB buffer. Bin edges are
// rounded to whole pixels once per axis, so neighbouring cells share edges
// exactly and no antialiasing seams appear between them.
void paintCells(const Canvas& cv, const Object& o, const Frame& fr, const ColorScale& cs) {
  cairo_surface_flush(cv.surface);
  uint8_t* data = cairo_image_surface_get_data(cv.surface);
  int stride = cairo_image_surface_get_stride(cv.surface);
  // Clamp in double before converting: NaN or huge coordinates never index memory.
  auto clampi = [](double v, int lo, int hi) {
    if (!(v >= lo)) return lo;
    if (!(v <= hi)) return hi;
    return int(std::lround(v));
  };
  int bx0 = clampi(fr.box.x0, 0, cv.width), bx1 = clampi(fr.box.x1, bx0, cv.width);
  int by0 = clampi(fr.box.y0, 0, cv.height), by1 = clampi(fr.box.y1, by0, cv.height);
  static std::vector<int> xp, yp;
  xp.resize(size_t(std::max(0, fr.lx - fr.fx + 2))), yp.resize(size_t(std::max(0, fr.ly - fr.fy + 2)));
  for (int b = fr.fx; b <= fr.lx + 1; ++b) xp[b - fr.fx] = clampi(fr.x.toPx(o.x.binLow(b)), bx0, bx1);
  for (int b = fr.fy; b <= fr.ly + 1; ++b) yp[b - fr.fy] = clampi(fr.y.toPx(o.y.binLow(b)), by0, by1);
  for (int by = fr.fy; by <= fr.ly; ++by) {
    int ya = yp[by + 1 - fr.fy], yb = yp[by - fr.fy];  // pixel rows: top (higher y value) to bottom
    if (ya > yb) std::swap(ya, yb);
    if (ya == yb) continue;
    for (int bx = fr.fx; bx <= fr.lx; ++bx) {
      int xa = xp[bx - fr.fx], xb = xp[bx + 1 - fr.fx];
      if (xa > xb) std::swap(xa, xb);  // non-monotonic edges in a damaged object
      if (xa == xb) continue;
      int c = o.cell(bx, by);
      double v = binContent(o, c);
      uint32_t rgb;
      if (!painted(o, c, v, cs.zmin) || !cs.lookup(v, rgb)) continue;
      uint32_t px = 0xff000000u | rgb;
      for (int y = ya; y < yb; ++y) {
        uint32_t* row = reinterpret_cast<uint32_t*>(data + size_t(y) * stride);
        std::fill(row + xa, row + xb, px);
      }
    }
  }
  cairo_surface_mark_dirty(cv.surface);
}

// BOX: an outlined box per cell, its area proportional to |content|.
void paintBoxes(const Canvas& cv, const Object& o, const Frame& fr, double zmax) {
  cairo_t* cr = cv.cr;
  double amax = std::max(std::fabs(zmax), 1e-300);
  for (int by = fr.fy; by <= fr.ly; ++by)
    for (int bx = fr.fx; bx <= fr.lx; ++bx) {
      double v = binContent(o, o.cell(bx, by));
      if (v == 0) continue;
      double f = std::sqrt(std::min(1.0, std::fabs(v) / amax));  // area proportional to |content|
      double x0 = fr.x.toPx(o.x.binLow(bx)), x1 = fr.x.toPx(o.x.binUp(bx));
      double y0 = fr.y.toPx(o.y.binLow(by)), y1 = fr.y.toPx(o.y.binUp(by));
      double cx = 0.5 * (x0 + x1), cy = 0.5 * (y0 + y1), hw = 0.5 * f * (x1 - x0), hh = 0.5 * f * (y0 - y1);
      cairo_rectangle(cr, std::round(cx - hw) + 0.5, std::round(cy - hh) + 0.5, std::max(1.0, std::round(2 * hw) - 1),
                      std::max(1.0, std::round(2 * hh) - 1));
    }
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 1);
  cairo_stroke(cr);
}

// SCAT: dots spread over each cell, their number proportional to the content.
void paintScatter(const Canvas& cv, const Object& o, const Frame& fr, double zmax) {
  cairo_t* cr = cv.cr;
  uint32_t seed = 12345;  // fixed: the same histogram always gives the same image
  const double cells = double(fr.lx - fr.fx + 1) * (fr.ly - fr.fy + 1);
  const double perCell = std::max(1.0, std::min(50.0, 200000.0 / std::max(1.0, cells)));  // bounded work
  auto rnd = [&seed]() { return (seed = seed * 1664525u + 1013904223u) / 4294967296.0; };
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int by = fr.fy; by <= fr.ly; ++by)
    for (int bx = fr.fx; bx <= fr.lx; ++bx) {
      double v = binContent(o, o.cell(bx, by));
      if (!(v > 0) || !(zmax > 0)) continue;
      double x0 = fr.x.toPx(o.x.binLow(bx)), x1 = fr.x.toPx(o.x.binUp(bx));
      double y0 = fr.y.toPx(o.y.binLow(by)), y1 = fr.y.toPx(o.y.binUp(by));
      double area = std::fabs((x1 - x0) * (y1 - y0));
      int n = int(std::ceil(std::min(v / zmax, 1.0) * std::min(perCell, std::max(1.0, area / 3))));
      for (int i = 0; i < n; ++i)
        cairo_rectangle(cr, std::floor(x0 + rnd() * (x1 - x0)), std::floor(y1 + rnd() * (y0 - y1)), 1, 1);
    }
  cairo_fill(cr);
}

// TEXT on 2D: values centred in their cells, shrunk to the widest value so
// all cells use one size; skipped when cells are too small to read. Over a
// colour map (`cs` set) a value on a dark cell is written in white, where
// ROOT keeps black and the number disappears.
void paintText2D(const Canvas& cv, const Object& o, const Frame& fr, const std::string& tf, double angle,
                 const ColorScale* cs) {
  double cw = fr.box.w() / std::max(1, fr.lx - fr.fx + 1), ch = fr.box.h() / std::max(1, fr.ly - fr.fy + 1);
  double px = std::min(cv.fontPx(0.03, fr.pad), ch * 0.7);
  if (px < 4 || cw < 6) return;  // too dense to be legible
  std::string widest;
  for (int by = fr.fy; by <= fr.ly; ++by)
    for (int bx = fr.fx; bx <= fr.lx; ++bx) {
      double v = binContent(o, o.cell(bx, by));
      std::string s = formatValue(tf, v);
      if (v != 0 && s.size() > widest.size()) widest = s;
    }
  double w = textWidth(cv, widest, Font::Regular, px);
  if (angle == 0 && w > cw * 0.95) px *= cw * 0.95 / w;
  if (px < 4) return;  // too dense to be legible
  cairo_set_source_rgb(cv.cr, 0, 0, 0);
  for (int by = fr.fy; by <= fr.ly; ++by)
    for (int bx = fr.fx; bx <= fr.lx; ++bx) {
      int c = o.cell(bx, by);
      double v = binContent(o, c);
      if (o.kind == Kind::Profile2D ? !binFilled(o, c) : v == 0) continue;
      double x = fr.x.toPx(0.5 * (o.x.binLow(bx) + o.x.binUp(bx))), y = fr.y.toPx(0.5 * (o.y.binLow(by) + o.y.binUp(by)));
      uint32_t rgb;
      bool dark = cs && painted(o, c, v, cs->zmin) && cs->lookup(v, rgb) &&
                  0.299 * (rgb >> 16) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255) < 100;
      cairo_set_source_rgb(cv.cr, dark, dark, dark);
      drawText(cv, formatValue(tf, v), x, y, Font::Regular, px, 22, angle);
    }
}

}  // namespace

// A complete 2D plot on the whole image: ranges, cells, axes, palette axis,
// title and stat box (THistPainter::Paint for 2D, in ROOT's paint order).
void paintPlot2D(const Canvas& cv, PaintCtx& ctx) {
  const Object& o = *ctx.main;
  const Style& st = ctx.style;
  const RenderRequest& req = *ctx.req;
  Frame& fr = ctx.frame;
  Rect pad{0, 0, double(cv.width), double(cv.height)};
  DrawOpt opt = ctx.opt;
  if (!opt.col && !opt.box && !opt.scat && !opt.text && !opt.axisOnly) opt.col = opt.z = true;  // COLZ default
  // x and y both snap to whole bins on 2D (§3.5); z sets the colour range.
  xRange(o, st, fr);
  binRange(o.y, st.ymin, st.ymax, fr.fy, fr.ly);
  fr.y.lo = o.y.binLow(fr.fy), fr.y.hi = o.y.binUp(fr.ly), fr.y.log = st.logy;
  if (fr.y.log && !(fr.y.lo > 0)) fr.y.lo = std::min(0.5 * o.y.binUp(fr.fy), 1e-3 * fr.y.hi);
  if (fr.y.log && !(fr.y.hi > fr.y.lo)) fr.y.log = false;
  fr.y.sanitize();
  // Colour range over the cells shown (TH1::GetMinimum/GetMaximum in range,
  // no 5 % margin for COL), unless a rule, plugin or the user set it.
  const Palette& pal = getPalette(st.palette);
  double zlo = 0, zhi = 0, zpos = 0;
  bool any = false;
  for (int by = fr.fy; by <= fr.ly; ++by)
    for (int bx = fr.fx; bx <= fr.lx; ++bx) {
      int c = o.cell(bx, by);
      if (o.kind == Kind::Profile2D && !binFilled(o, c)) continue;
      double v = binContent(o, c);
      if (std::isnan(v)) continue;
      zlo = any ? std::min(zlo, v) : v, zhi = any ? std::max(zhi, v) : v, any = true;
      if (v > 0) zpos = zpos > 0 ? std::min(zpos, v) : v;
    }
  ColorScale cs;
  cs.pal = &pal;
  cs.log = st.logz;
  // Levels: a rule's count, else the palette's own (100 in the DQM style,
  // 20 for the summary palette); capped so a silly rule cannot stall us.
  cs.ndiv = st.contours > 0 ? std::min(st.contours, 1000) : pal.ncontours;
  if (st.palette == "summary" && std::isnan(st.zmin) && std::isnan(st.zmax)) zlo = -1e-15, zhi = 1;
  if (st.palette == "qtstatus" && std::isnan(st.zmin) && std::isnan(st.zmax)) zlo = 0, zhi = 300;
  if (!std::isnan(st.zmin)) zlo = st.zmin;
  if (!std::isnan(st.zmax)) zhi = st.zmax;
  // Log z starts at the smallest positive content (ROOT falls back to
  // min(1, 0.001 zmax) when there is none); a flat map gets a unit range.
  if (cs.log) {
    if (!(zlo > 0)) zlo = zpos > 0 ? zpos : std::min(1.0, 0.001 * zhi);
    if (!(zhi > zlo)) zhi = zlo * 10;
  } else if (!(zhi > zlo)) {
    if (zhi > 0) zlo = 0;
    else zhi = zlo + 1;
  }
  sanitizeRange(zlo, zhi, cs.log);
  cs.zmin = zlo, cs.zmax = zhi;
  // Contour levels stored in the file (fContour) survive UseCurrentStyle,
  // so they apply as in ROOT, unless a rule asks for a number of levels.
  bool ascending = !o.contour.empty() && std::is_sorted(o.contour.begin(), o.contour.end());
  if (ascending && st.contours <= 0) cs.edges = o.contour;
  else if (!pal.levels.empty() && st.contours <= 0) cs.edges = pal.levels;
  fr.z.lo = zlo, fr.z.hi = zhi, fr.z.log = cs.log;
  // Layout: room on the right for the palette and its labels.
  AxisSpec xs = makeAxisSpec(cv, &o.x, false, pad, st.labelsX);
  AxisSpec ys = makeAxisSpec(cv, &o.y, true, pad, st.labelsY);
  double zpx = cv.fontPx(0.035, pad);
  double extra = 0;
  if (opt.z && opt.col) {
    AxisSpec zs;
    zs.vertical = true, zs.labelPx = zpx;
    zs.scale.lo = zlo, zs.scale.hi = zhi, zs.scale.log = cs.log, zs.scale.p0 = pad.h() * 0.9, zs.scale.p1 = pad.h() * 0.1;
    extra = 0.05 * pad.w() + axisLabelExtent(cv, zs) + 2;
  }
  layoutFrame(cv, ctx, pad, xs, ys, extra);
  if (!opt.axisOnly) {
    // Cells first, then the frame and axes over them, as ROOT paints.
    if (opt.col) paintCells(cv, o, fr, cs);
    if (opt.box) paintBoxes(cv, o, fr, std::max(std::fabs(zlo), std::fabs(zhi)));
    if (opt.scat) paintScatter(cv, o, fr, zhi);
  }
  drawFrameAndAxes(cv, ctx, xs, ys);
  if (opt.text && !opt.axisOnly) paintText2D(cv, o, fr, st.textFormat, opt.textAngle, opt.col ? &cs : nullptr);
  // TPaletteAxis: from 0.005 to 0.05 of the pad width right of the frame.
  if (opt.z && opt.col) {
    double x0 = fr.box.x1 + 0.005 * pad.w(), x1 = fr.box.x1 + 0.05 * pad.w();
    if (x1 - x0 >= 2) drawPaletteAxis(cv, cs, fr, x0, x1, zpx);
  }
  if (!cv.tiny()) drawTitle(cv, st.titleSet ? st.title : displayTitle(o), pad);
  if (st.stats && req.options.showstats != 0 && st.optstat != 0 && !cv.tiny()) {
    bool restricted = fr.fx != 1 || fr.lx != o.x.nbins || fr.fy != 1 || fr.ly != o.y.nbins;
    Stats s = computeStats(o, fr.fx, fr.lx, fr.fy, fr.ly, restricted);
    double bottom = 0;
    drawStatBox(cv, o, s, st.optstat, pad, bottom);
  }
}

}  // namespace rd
