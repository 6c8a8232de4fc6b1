// render_ratio.cc: ref=ratiooverlay (spec/render.md §3.8, without its quirks).
//
// The overlay is drawn in the top 70 % of the image with its x labels
// hidden; the lower pad shows main/reference for each 1D reference with
// propagated errors, a shaded band of the ratio's errors around 1 and a
// dashed line at 1. Both frames share the same left and right edges, and the
// lower pad keeps room for the x labels (the original left 5 % empty and
// lost the plugins' pad settings).
#include "render_core.h"

namespace rd {

void paintRatioOverlay(const Canvas& cv, PaintCtx& ctx) {
  const Object& o = *ctx.main;
  const RenderRequest& req = *ctx.req;
  double W = cv.width, H = cv.height;
  Rect top{0, 0, W, std::round(0.70 * H)};
  Style saved = ctx.style;
  if (std::isnan(ctx.style.mb)) ctx.style.mb = 0.02;
  paintPlot1D(cv, ctx, top, RefMode::RatioOverlay);
  ctx.style = saved;
  Frame upper = ctx.frame;
  // Ratios of the main object to each (normalised) 1D reference, with the
  // errors of a Sumw2 division: relative errors added in quadrature. Bins
  // where either side is empty have no ratio (drawn as a gap).
  struct Ratio {
    std::vector<double> r, e;
    int n;
  };
  std::vector<Ratio> ratios;
  double mainSumw = sumOfWeights(o);
  double lo = 0, hi = 0;
  bool any = false;
  for (size_t i = 1; i < req.objects.size(); ++i) {
    const Object* ref = req.objects[i].get();
    if (!ref || ref->kind != Kind::TH1 || ref->x.nbins != o.x.nbins) continue;
    double rs = sumOfWeights(*ref);
    double f = (req.options.norm && !req.efficiency() && rs != 0 && mainSumw != 0) ? mainSumw / rs : 1;
    Ratio q;
    q.n = int(i);
    q.r.assign(o.x.nbins + 2, NAN), q.e.assign(o.x.nbins + 2, 0);
    for (int b = upper.fx; b <= upper.lx; ++b) {
      double m = binContent(o, o.cell(b)), em = binError(o, o.cell(b));
      double c = binContent(*ref, ref->cell(b)) * f, ec = binError(*ref, ref->cell(b)) * f;
      if (c == 0 || m == 0) continue;
      double r = m / c;
      q.r[b] = r;
      q.e[b] = std::fabs(r) * std::sqrt((em / m) * (em / m) + (ec / c) * (ec / c));
      if (r > 0 && r < 10) lo = any ? std::min(lo, r) : r, hi = any ? std::max(hi, r) : r, any = true;
    }
    ratios.push_back(std::move(q));
  }
  // A common y range for all ratios: the ratios inside (0, 10) plus 10 %,
  // always including 1; 0..2 when there is none (the original's special
  // cases 0.001..10 and 0.2..1.8 become this).
  if (hi - lo < 1e-9) lo = 0.2, hi = 1.8;
  lo = std::min(lo, 1.0), hi = std::max(hi, 1.0);
  double m = 0.1 * (hi - lo);
  lo = std::max(0.0, lo - m), hi += m;
  // Lower pad: same x geometry as the upper frame so both axes line up, its
  // own y axis, and the room below for the x labels and title.
  Rect pad{0, top.y1, W, H};
  Frame fr = upper;
  fr.pad = pad;
  fr.hideXLabels = false;
  fr.y.lo = lo, fr.y.hi = hi, fr.y.log = false;
  fr.y.sanitize();
  Rect full{0, 0, W, H};
  AxisSpec xs = makeAxisSpec(cv, &o.x, false, full, ctx.style.labelsX);
  AxisSpec ys = makeAxisSpec(cv, nullptr, true, full, 'h');
  xs.fbin = fr.fx, xs.lbin = fr.lx;
  xs.scale = fr.x;
  double below = axisLabelExtent(cv, xs) + (o.x.title.empty() ? 0 : xs.titlePx * 1.25) + 3;
  fr.box.y0 = std::round(pad.y0 + 0.05 * pad.h());
  fr.box.y1 = std::round(std::max(fr.box.y0 + 4, pad.y1 - std::max(below, 0.1 * H)));
  fr.y.p0 = fr.box.y1, fr.y.p1 = fr.box.y0;
  cairo_t* cr = cv.cr;
  cairo_save(cr);
  cairo_rectangle(cr, fr.box.x0, fr.box.y0, fr.box.w(), fr.box.h());
  cairo_clip(cr);
  for (const Ratio& q : ratios) {
    Color c = refColor(q.n);
    cairo_set_source_rgba(cr, c.r, c.g, c.b, 0.3);
    for (int b = fr.fx; b <= fr.lx; ++b) {
      if (std::isnan(q.r[b])) continue;
      double x0 = fr.x.toPx(o.x.binLow(b)), x1 = fr.x.toPx(o.x.binUp(b));
      double y0 = fr.y.toPx(1 + q.e[b]), y1 = fr.y.toPx(1 - q.e[b]);
      cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
    }
    cairo_fill(cr);
  }
  // A dashed line at ratio 1 over the bands, then error bars and markers.
  const double dash[] = {4, 3};
  cairo_set_dash(cr, dash, 2, 0);
  cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
  cairo_set_line_width(cr, 1);
  double y1 = std::floor(fr.y.toPx(1)) + 0.5;
  cairo_move_to(cr, fr.box.x0, y1);
  cairo_line_to(cr, fr.box.x1, y1);
  cairo_stroke(cr);
  cairo_set_dash(cr, nullptr, 0, 0);
  for (const Ratio& q : ratios) {
    cv.setColor(refColor(q.n));
    double ms = std::max(3.0, 0.012 * std::min(W, H));
    for (int b = fr.fx; b <= fr.lx; ++b) {
      if (std::isnan(q.r[b])) continue;
      double xc = std::floor(fr.x.toPx(0.5 * (o.x.binLow(b) + o.x.binUp(b)))) + 0.5;
      cairo_move_to(cr, xc, fr.y.toPx(q.r[b] - q.e[b]));
      cairo_line_to(cr, xc, fr.y.toPx(q.r[b] + q.e[b]));
      cairo_stroke(cr);
      drawMarker(cr, 20, xc, fr.y.toPx(q.r[b]), ms);
    }
  }
  cairo_restore(cr);
  PaintCtx lower = ctx;
  lower.frame = fr;
  lower.style.gridy = false;
  drawFrameAndAxes(cv, lower, xs, ys);
  ctx.frame = upper;
}

}  // namespace rd
