// render_layout.cc: pad margins, frame, axes, axis titles and the title.
//
// ROOT keeps fixed 0.10 pad margins (spec/render.md §3.1) and lets long
// labels run off the pad. We start from the same margins but widen a margin
// when its labels and title would not fit, unless a rule set that margin.
#include "render_core.h"

namespace rd {

// Axis attributes after UseCurrentStyle (spec/render.md §3.1).
AxisSpec makeAxisSpec(const Canvas& cv, const Axis* axis, bool vertical, const Rect& pad, char orient) {
  AxisSpec a;
  a.axis = axis;
  a.vertical = vertical;
  a.labelOrient = orient;
  // Label sizes: X 0.04 (DQM override), Y 0.035; titles 0.035 (§3.1).
  a.labelPx = cv.fontPx(vertical ? 0.035 : 0.04, pad);
  a.titlePx = cv.fontPx(0.035, pad);
  return a;
}

namespace {
double titleSpace(const Canvas& cv, const AxisSpec& a) {
  if (!a.drawTitle || !a.axis || a.axis->title.empty() || a.titlePx < 3) return 0;
  (void)cv;
  return a.titlePx * 1.25;
}
}  // namespace

// Places the frame in the pad: margins from the style (NDC) or ROOT's 0.10,
// widened to fit labels and titles when not set. extraRight is what the
// palette axis needs. Frame edges are whole pixels.
void layoutFrame(const Canvas& cv, PaintCtx& ctx, const Rect& pad, const AxisSpec& xs0, const AxisSpec& ys0,
                 double extraRight) {
  const Style& st = ctx.style;
  Frame& fr = ctx.frame;
  fr.pad = pad;
  double W = pad.w(), H = pad.h();
  // Provisional frame with ROOT's margins, to measure labels against.
  auto place = [&](double l, double r, double t, double b) {
    fr.box.x0 = std::round(pad.x0 + l), fr.box.x1 = std::round(pad.x1 - r);
    fr.box.y0 = std::round(pad.y0 + t), fr.box.y1 = std::round(pad.y1 - b);
    if (fr.box.x1 <= fr.box.x0) fr.box.x1 = fr.box.x0 + 1;
    if (fr.box.y1 <= fr.box.y0) fr.box.y1 = fr.box.y0 + 1;
    fr.x.p0 = fr.box.x0, fr.x.p1 = fr.box.x1;
    fr.y.p0 = fr.box.y1, fr.y.p1 = fr.box.y0;
  };
  double l = std::isnan(st.ml) ? 0.10 * W : st.ml * W;
  double r = std::isnan(st.mr) ? 0.10 * W : st.mr * W;
  double t = std::isnan(st.mt) ? 0.10 * H : st.mt * H;
  double b = std::isnan(st.mb) ? 0.10 * H : st.mb * H;
  place(l, r, t, b);
  bool small = std::min(cv.width, cv.height) < 60;  // tiny images: keep ROOT's margins
  if (!small) {
    AxisSpec xs = xs0, ys = ys0;
    xs.scale = fr.x, ys.scale = fr.y;
    xs.fbin = fr.fx, xs.lbin = fr.lx, ys.fbin = fr.fy, ys.lbin = fr.ly;
    // A rule's margin is a minimum: plugins widened margins for their labels
    // at the original's large sizes, and thumbnails need more room still.
    double needL = axisLabelExtent(cv, ys) + titleSpace(cv, ys) + 3;
    l = std::max(l, std::min(needL, 0.45 * W));
    if (!fr.hideXLabels) {
      double needB = axisLabelExtent(cv, xs) + titleSpace(cv, xs) + 3;
      b = std::max(b, std::min(needB, 0.45 * H));
    }
    if (extraRight > 0) r = std::max(r, std::min(extraRight, 0.4 * W));
  }
  place(l, r, t, b);
}

// The frame border, both axes and their titles: the X title right-aligned
// under the labels, the Y title rotated and ending at the frame top (TGaxis
// title alignment for histogram axes).
void drawFrameAndAxes(const Canvas& cv, const PaintCtx& ctx, AxisSpec xs, AxisSpec ys) {
  const Frame& fr = ctx.frame;
  cairo_t* cr = cv.cr;
  xs.scale = fr.x, ys.scale = fr.y;
  // Tick length 0.03 is relative to the frame size across the axis.
  xs.tickLen = std::max(2.0, 0.03 * fr.box.h());
  ys.tickLen = std::max(2.0, 0.03 * fr.box.w());
  xs.grid = ctx.style.gridx, ys.grid = ctx.style.gridy;
  xs.gridFrom = fr.box.y0, xs.gridTo = fr.box.y1;
  ys.gridFrom = fr.box.x0, ys.gridTo = fr.box.x1;
  xs.fbin = fr.fx, xs.lbin = fr.lx, ys.fbin = fr.fy, ys.lbin = fr.ly;
  xs.drawLabels = !fr.hideXLabels;
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, fr.box.x0 + 0.5, fr.box.y0 + 0.5, fr.box.w() - 1, fr.box.h() - 1);
  cairo_stroke(cr);
  drawAxis(cv, xs, fr.box.y1 - 0.5, -1);
  drawAxis(cv, ys, fr.box.x0 + 0.5, +1);
  if (xs.axis && !xs.axis->title.empty() && xs.drawLabels) {
    double y = fr.box.y1 + axisLabelExtent(cv, xs) + 1;
    drawLatex(cv, xs.axis->title, fr.box.x1, y, Font::Regular, xs.titlePx, 33);
  }
  if (ys.axis && !ys.axis->title.empty()) {
    double x = fr.box.x0 - axisLabelExtent(cv, ys) - 2 - 0.25 * ys.titlePx;  // room for descenders
    drawLatex(cv, ys.axis->title, std::max(x, fr.pad.x0 + ys.titlePx), fr.box.y0, Font::Regular, ys.titlePx, 31, 90);
  }
}

// The original daemon strips one trailing "_" from the main title (the
// ROOT-10882 workaround, spec/render.md §3.1); users know titles that way.
std::string displayTitle(const Object& o) {
  if (!o.title.empty() && o.title.back() == '_') return o.title.substr(0, o.title.size() - 1);
  return o.title;
}

// The histogram title: Helvetica bold, top left (NDC 0.01, 0.995), sized
// from the pad and shrunk to stay clear of the stat box column.
void drawTitle(const Canvas& cv, const std::string& title, const Rect& pad) {
  if (title.empty()) return;
  double px = std::max(cv.fontPx(0.045, pad), cv.minFontPx() + 1);
  double maxw = 0.76 * pad.w();
  double w = latexWidth(cv, title, Font::Bold, px);
  if (w > maxw) px = std::max(px * maxw / w, cv.minFontPx());
  double x = pad.x0 + 0.01 * pad.w() + 1, y = pad.y0 + 0.005 * pad.h() + 1;
  cairo_save(cv.cr);
  cairo_rectangle(cv.cr, pad.x0, pad.y0, 0.77 * pad.w(), pad.h());
  cairo_clip(cv.cr);
  cairo_set_source_rgb(cv.cr, 0, 0, 0);
  drawLatex(cv, title, x, y, Font::Bold, px, 13);
  cairo_restore(cv.cr);
}

}  // namespace rd
