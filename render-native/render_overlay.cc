// render_overlay.cc: a 1D plot with its references (spec/render.md §3.3,
// §3.5-3.7): ranges, main histogram, references normalised to the main
// object, axes, title, stat boxes and a legend when reflabels are given.
#include <cstdio>

#include "render_core.h"

namespace rd {

void paintText1D(const Canvas& cv, const Object& o, const Frame& fr, const std::string& tf, double scale);

namespace {

// Smallest and largest value over bins [fx,lx] (with errors when drawn);
// on a log scale only positive values count.
void dataRange(const Object& o, int fx, int lx, double scale, bool withErr, bool logy, double& lo, double& hi,
               bool& any) {
  for (int b = fx; b <= lx; ++b) {
    int c = o.cell(b);
    double v = binContent(o, c) * scale;
    if (std::isnan(v)) continue;
    double e = withErr ? binError(o, c) * scale : 0;
    if (o.kind == Kind::Profile && !binFilled(o, c) && withErr) continue;
    for (double w : {v - e, v + e}) {
      if (logy && !(w > 0)) continue;
      lo = any ? std::min(lo, w) : w, hi = any ? std::max(hi, w) : w, any = true;
    }
  }
}

// A reference as drawn: its object, overlay index and scale factor.
struct Ref {
  const Object* o;
  int n;         // overlay index (1-based), picks colour and label
  double scale;  // normalisation factor
};

}  // namespace

// THistPainter::PaintInit's value range for the frame (linear: 5 % margin,
// bottom at 0 when close; log: x0.5 below and x1.9 above).
void valueRange(double lo, double hi, bool any, double umin, double umax, bool logy, double& outLo, double& outHi) {
  bool minSet = !std::isnan(umin), maxSet = !std::isnan(umax);
  if (logy) {
    if (minSet && !(umin > 0)) minSet = false;
    if (maxSet && !(umax > 0)) maxSet = false;
  }
  if (!any) lo = 0, hi = logy ? 1 : 0;
  if (minSet) lo = umin;
  if (maxSet) hi = umax;
  if (logy) {
    if (!(hi > 0)) hi = 1;
    if (!(lo > 0) || lo >= hi) lo = std::min(1.0, 0.001 * hi);
    if (!minSet) lo *= 0.5;
    if (!maxSet) hi *= 2 * (0.9 / 0.95);
  } else {
    if (hi == lo) {
      if (!maxSet && !minSet) {
        if (lo == 0) hi = 1;
        else if (lo > 0) lo = 0;
        else hi = 0;
      } else if (maxSet) lo = hi - 1;
      else hi = lo + 1;
    }
    if (!maxSet) hi += 0.05 * (hi - lo);
    if (!minSet) {
      double d = 0.05 * (hi - lo);
      lo = (lo >= 0 && lo - d <= 0) ? 0 : lo - d;
    }
    if (hi <= lo) hi = lo + 1;
  }
  outLo = lo, outHi = hi;
}

// The x range: user or rule bounds snapped to whole bins (§3.5), or the
// stored zoom; on a log axis bins at or below zero are left out.
void xRange(const Object& o, const Style& st, Frame& fr) {
  binRange(o.x, st.xmin, st.xmax, fr.fx, fr.lx);
  fr.x.lo = o.x.binLow(fr.fx), fr.x.hi = o.x.binUp(fr.lx);
  fr.x.log = st.logx;
  if (fr.x.log) {
    while (fr.fx < fr.lx && o.x.binLow(fr.fx) <= 0) fr.fx++;
    fr.x.lo = o.x.binLow(fr.fx);
    if (!(fr.x.lo > 0)) fr.x.lo = std::min(0.5 * o.x.binUp(fr.fx), 1e-3 * fr.x.hi);
    if (!(fr.x.hi > fr.x.lo)) fr.x.log = false, fr.x.lo = o.x.binLow(fr.fx);
  }
  fr.x.sanitize();
}

// A complete 1D plot in `pad`: in Object/Overlay mode the references are
// drawn over the main object, in RatioOverlay mode this is the upper pad,
// in Stacked mode the references are stacked layers under the data.
void paintPlot1D(const Canvas& cv, PaintCtx& ctx, const Rect& pad, RefMode mode) {
  const bool forRatio = mode == RefMode::RatioOverlay, stacked = mode == RefMode::Stacked;
  const Object& o = *ctx.main;
  const RenderRequest& req = *ctx.req;
  const Style& st = ctx.style;
  Frame& fr = ctx.frame;
  xRange(o, st, fr);
  const bool restricted = fr.fx != 1 || fr.lx != o.x.nbins;
  // References are scaled to the main object's sum of weights (DrawNormalized)
  // unless norm=False, the main object is empty or the efficiency flag is set.
  const double mainSumw = sumOfWeights(o);
  const bool normalise = req.options.norm && mainSumw != 0 && !req.efficiency();
  std::vector<Ref> refs;
  for (size_t i = 1; i < req.objects.size(); ++i) {
    const Object* r = req.objects[i].get();
    if (!r || (r->kind != Kind::TH1 && r->kind != Kind::Profile)) continue;  // 2D/3D references are not drawn
    if (stacked && r->kind != Kind::TH1) continue;  // the original asserted here
    double rs = sumOfWeights(*r);
    double s = (r->kind == Kind::TH1 && normalise && rs != 0) ? mainSumw / rs : 1;
    refs.push_back({r, int(i), s});
  }
  // Stacked (§3.9): every reference scaled by main.Integral / sum of
  // ref.Integral; the stack top joins the y range (the original left it out
  // and could cut the stack off).
  std::vector<double> stackTop;
  if (stacked) {
    double sum = 0;
    for (const Ref& r : refs) sum += sumOfWeights(*r.o);
    double f = (sum != 0 && mainSumw != 0) ? mainSumw / sum : 1;
    for (Ref& r : refs) r.scale = f;
    stackTop.assign(o.x.nbins + 2, 0.0);
    for (const Ref& r : refs)
      for (int b = 1; b <= std::min(o.x.nbins, r.o->x.nbins); ++b) stackTop[b] += binContent(*r.o, r.o->cell(b)) * f;
  }
  // Value range: main data, then the references (as the overlay rule of
  // §3.5, for every 1D reference kind, not only TH1F).
  double lo = 0, hi = 0;
  bool any = false;
  // fNormFactor (TH1::SetNormFactor): the main object is drawn scaled so its
  // bins in range sum to the factor (THistPainter's Hparam.factor).
  double mainScale = 1;
  if (o.normFactor > 0) {
    double in = 0;
    for (int b = fr.fx; b <= fr.lx; ++b) in += binContent(o, o.cell(b));
    if (in != 0) mainScale = o.normFactor / in;
  }
  dataRange(o, fr.fx, fr.lx, mainScale, ctx.opt.error != 0, st.logy, lo, hi, any);
  double umax = st.ymax;
  for (int b = fr.fx; stacked && b <= fr.lx; ++b) {
    double v = stackTop[b];
    if (st.logy && !(v > 0)) continue;
    lo = any ? std::min(lo, v) : v, hi = any ? std::max(hi, v) : v, any = true;
  }
  // Overlay auto-scaling (§3.5): with references the maximum becomes 1.05
  // times the largest (normalised) value of any object, so no reference is
  // cut off at the top; a user or rule maximum wins.
  if (!refs.empty() && std::isnan(umax) && !stacked) {
    double top = any ? hi : 0;
    bool grow = false;
    for (const Ref& r : refs) {
      double rlo = 0, rhi = 0;
      bool rany = false;
      int rf = std::min(fr.fx, r.o->x.nbins), rl = std::min(fr.lx, r.o->x.nbins);
      dataRange(*r.o, rf, rl, r.scale, req.options.showerrbars, st.logy, rlo, rhi, rany);
      if (rany && rhi > top) top = rhi, grow = true;
    }
    if (grow || (normalise && refs.size())) {
      if (top > 0 && !st.logy) umax = 1.05 * top;
      else if (top > 0) hi = std::max(hi, top);
    }
  }
  valueRange(lo, hi, any, st.ymin, umax, st.logy, fr.y.lo, fr.y.hi);
  fr.y.log = st.logy;
  fr.y.sanitize();
  // Layout and axes. In the ratio pad's upper part the x labels belong to
  // the lower pad and are hidden here.
  fr.hideXLabels = forRatio;
  AxisSpec xs = makeAxisSpec(cv, &o.x, false, pad, st.labelsX);
  AxisSpec ys = makeAxisSpec(cv, &o.y, true, pad, st.labelsY);
  ys.binAxis = false;
  xs.fbin = fr.fx, xs.lbin = fr.lx;
  layoutFrame(cv, ctx, pad, xs, ys, 0);
  Color black{};
  double lw = refs.empty() ? 1 : 2;
  // ktest (§3.10): reference 1 turns red below the threshold, green above.
  double ks = NAN;
  if (!std::isnan(req.options.ktest) && !refs.empty() && refs[0].n == 1 && refs[0].o->kind == Kind::TH1)
    ks = ksProbability(o, *refs[0].o);
  auto colorOf = [&](int n) {
    if (n == 1 && !std::isnan(ks)) return ks < req.options.ktest ? rgb255(255, 51, 51) : rgb255(51, 204, 51);
    return refColor(n);
  };
  DrawOpt opt = ctx.opt;
  // Markers: TProfile gets visible dots (kFullCircle), other 1D the DQM
  // default style 1.
  int marker = o.kind == Kind::Profile ? 20 : 1;
  // Stacked: the layers first, then the data on top in black, width 2 (§3.9).
  if (stacked) {
    std::vector<std::pair<const Object*, int>> layers;
    for (const Ref& r : refs) layers.push_back({r.o, r.n});
    paintStackLayers(cv, layers, refs.empty() ? 1 : refs[0].scale, fr);
    opt = DrawOpt();
    opt.hist = true;
    lw = 2;
  }
  paintHist1D(cv, o, opt, fr, black, lw, mainScale, marker);
  for (const Ref& r : refs) {
    if (stacked) break;
    DrawOpt ro;
    Frame rf = fr;
    rf.lx = std::min(fr.lx, r.o->x.nbins), rf.fx = std::min(fr.fx, rf.lx);
    // TProfile references: an outline, not normalised; TH1 references: stars
    // (kStar, size 0.85), with "e1 x0" error bars when showerrbars is set (§3.7).
    if (r.o->kind == Kind::Profile) {
      ro.hist = true;
      paintHist1D(cv, *r.o, ro, rf, colorOf(r.n), 2, 1, 0);
    } else {
      ro.star = true;
      if (req.options.showerrbars) ro.error = 1, ro.errCaps = true, ro.x0 = true;
      paintHist1D(cv, *r.o, ro, rf, colorOf(r.n), 1, r.scale, 3);
    }
  }
  drawFrameAndAxes(cv, ctx, xs, ys);
  if (opt.text) paintText1D(cv, o, fr, st.textFormat, mainScale);
  if (!cv.tiny()) drawTitle(cv, st.titleSet ? st.title : displayTitle(o), pad);
  // Stat boxes: the main box, then one box per TH1 reference below it with
  // the reference's own (un-normalised) statistics (§3.6).
  if (st.stats && req.options.showstats != 0 && st.optstat != 0 && !cv.tiny()) {
    Stats s = computeStats(o, fr.fx, fr.lx, 0, 0, restricted);
    double bottom = 0;
    drawStatBox(cv, o, s, st.optstat, pad, bottom);
    for (const Ref& r : refs) {
      if (r.o->kind != Kind::TH1) continue;
      int rf = std::min(fr.fx, r.o->x.nbins), rl = std::min(fr.lx, r.o->x.nbins);
      Stats rs = computeStats(*r.o, rf, rl, 0, 0, rf != 1 || rl != r.o->x.nbins);
      const auto& labels = req.options.reflabels;
      std::string label = r.n < int(labels.size()) ? labels[r.n] : "";
      drawRefStatBox(cv, rs, label, colorOf(r.n), pad, bottom);
    }
  }
  // The KS probability, "%6.5f" at NDC (0.45, 0.90) in the reference colour.
  if (!std::isnan(ks) && !cv.tiny()) {
    char buf[32];
    snprintf(buf, sizeof buf, "%6.5f", ks);
    cv.setColor(colorOf(1));
    drawText(cv, buf, pad.x0 + 0.45 * pad.w(), pad.y0 + 0.10 * pad.h(), Font::Bold, cv.fontPx(0.05, pad), 12);
  }
  // Legend: only when the user labelled the references (the original
  // ignored reflabel). Unlabelled entries fall back to the object names.
  const auto& labels = req.options.reflabels;
  bool labelled = false;
  for (size_t i = 1; i < labels.size(); ++i) labelled |= !labels[i].empty();
  if (labelled && !refs.empty() && !cv.tiny()) {
    std::vector<LegendRow> rows;
    rows.push_back({!labels.empty() && !labels[0].empty() ? labels[0] : o.name, black, LegendRow::Line});
    for (const Ref& r : refs) {
      auto kind = stacked ? LegendRow::Fill : r.o->kind == Kind::TH1 ? LegendRow::Star : LegendRow::Line;
      rows.push_back({r.n < int(labels.size()) && !labels[r.n].empty() ? labels[r.n] : r.o->name, colorOf(r.n), kind});
    }
    drawLegend(cv, fr, rows);
  }
}

}  // namespace rd
