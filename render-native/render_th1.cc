// render_th1.cc: the data part of a 1D histogram (THistPainter::PaintHist,
// PaintErrors, PaintText for one dimension), drawn inside the frame.
//
// Coordinates are snapped to pixel centres so that 1 px lines stay crisp
// with antialiasing on. Everything is clipped to the frame.
#include <cstdio>
#include <cstring>

#include "render_core.h"

namespace rd {

namespace {

// Pixel coordinates far outside the image are clamped: cairo works in
// 24.8 fixed point and would wrap around for huge values.
double clampPx(double v) { return std::min(1e5, std::max(-1e5, v)); }
double snapOdd(double v) { return std::floor(v) + 0.5; }

// ROOT's SetPaintTextFormat takes a printf conversion without "%"; accept
// only flags, width, precision and one of f e g (no injection of %s/%n).
std::string safeFormat(const std::string& tf) {
  std::string f = tf.empty() ? "g" : tf;
  if (f[0] == '%') f.erase(0, 1);
  size_t i = 0;
  while (i < f.size() && std::strchr("-+ 0#", f[i])) ++i;
  while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i]))) ++i;
  if (i < f.size() && f[i] == '.') {
    ++i;
    while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i]))) ++i;
  }
  if (i + 1 != f.size() || !std::strchr("fegFEG", f[i]) || f.size() > 12) return "%g";
  return "%" + f;
}

}  // namespace

// A bin value printed with the TEXT format (gStyle->SetPaintTextFormat).
std::string formatValue(const std::string& textFormat, double v) {
  char buf[64];
  snprintf(buf, sizeof buf, safeFormat(textFormat).c_str(), v);
  return buf;
}

// Markers (TAttMarker styles): 1 dot, 2 plus, 3 star, 5 cross, 20/8 full
// circle, 21 full square, 22 full triangle, 24 open circle, 25 open square.
// `s` is the marker size in pixels (ROOT: 8 px per unit of marker size).
void drawMarker(cairo_t* cr, int style, double x, double y, double s) {
  double h = s / 2;
  switch (style) {
    case 1:  // a dot, slightly larger than ROOT's single pixel so thumbnails show it
      cairo_rectangle(cr, x - 0.5 * s, y - 0.5 * s, s, s);
      cairo_fill(cr);
      return;
    case 2:
    case 3:
    case 5:
      if (style != 5) {
        cairo_move_to(cr, x - h, y), cairo_line_to(cr, x + h, y);
        cairo_move_to(cr, x, y - h), cairo_line_to(cr, x, y + h);
      }
      if (style != 2) {
        double d = style == 3 ? h * 0.75 : h;
        cairo_move_to(cr, x - d, y - d), cairo_line_to(cr, x + d, y + d);
        cairo_move_to(cr, x - d, y + d), cairo_line_to(cr, x + d, y - d);
      }
      cairo_stroke(cr);
      return;
    case 21:
    case 25:
      cairo_rectangle(cr, x - h, y - h, s, s);
      break;
    case 22:
      cairo_move_to(cr, x, y - h), cairo_line_to(cr, x + h, y + h), cairo_line_to(cr, x - h, y + h);
      cairo_close_path(cr);
      break;
    default:
      cairo_new_sub_path(cr);
      cairo_arc(cr, x, y, h, 0, 2 * M_PI);
      break;
  }
  if (style >= 24) cairo_stroke(cr);
  else cairo_fill(cr);
}

// One 1D histogram's data in the frame: `scale` multiplies every value (the
// normalisation of references), `marker` is the TAttMarker style used with
// P and error bars. Everything is clipped to the frame, as ROOT clips to it.
void paintHist1D(const Canvas& cv, const Object& o, const DrawOpt& opt, const Frame& fr, const Color& color,
                 double lw, double scale, int marker) {
  cairo_t* cr = cv.cr;
  const Rect& b = fr.box;
  cairo_save(cr);
  cairo_rectangle(cr, b.x0, b.y0, b.w(), b.h());
  cairo_clip(cr);
  cv.setColor(color);
  cairo_set_line_width(cr, lw);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
  // Odd line widths on pixel centres, even ones on pixel edges: crisp lines.
  auto snap = [lw](double v) { return int(std::lround(lw)) % 2 ? snapOdd(v) : std::round(v); };
  auto X = [&](double x) { return snap(clampPx(fr.x.toPx(x))); };
  auto Y = [&](double y) { return snap(clampPx(fr.y.toPx(y))); };
  // The outline starts and ends at zero, or just outside the frame when zero
  // is not shown (log scale, or a range above or below zero).
  double base = fr.y.log || fr.y.lo > 0 ? b.y1 + lw : fr.y.hi < 0 ? b.y0 - lw : Y(0);
  // No data option at all (e.g. "SAME" or an empty string) means HIST.
  const bool noData = !opt.hist && !opt.error && !opt.p && !opt.l && !opt.c && !opt.star && !opt.bar && !opt.text;
  const bool drawHist = opt.hist || noData || (opt.bar && !opt.error);
  if (opt.axisOnly) {
    cairo_restore(cr);
    return;
  }
  auto val = [&](int bin) {
    double v = binContent(o, o.cell(bin)) * scale;
    return std::isnan(v) ? 0.0 : v;  // NaN bins draw as empty; the NaNs message flags them
  };
  // HIST: the stepped outline, one path for the whole histogram.
  if (drawHist && !opt.bar) {
    cairo_move_to(cr, X(o.x.binLow(fr.fx)), base);
    for (int bin = fr.fx; bin <= fr.lx; ++bin) {
      double y = Y(val(bin));
      cairo_line_to(cr, X(o.x.binLow(bin)), y);
      cairo_line_to(cr, X(o.x.binUp(bin)), y);
    }
    cairo_line_to(cr, X(o.x.binUp(fr.lx)), base);
    cairo_stroke(cr);
  } else if (opt.bar) {
    // BAR: boxes from the base line, placed by fBarOffset/fBarWidth (1/1000 of a bin).
    for (int bin = fr.fx; bin <= fr.lx; ++bin) {
      double lo = o.x.binLow(bin), w = o.x.binUp(bin) - lo;
      double x0 = X(lo + w * o.barOffset / 1000.0), x1 = X(lo + w * (o.barOffset + o.barWidth) / 1000.0);
      double y = Y(val(bin));
      cairo_rectangle(cr, x0, std::min(y, base), x1 - x0, std::fabs(base - y));
    }
    cairo_set_source_rgba(cr, 0.6, 0.7, 0.9, 1);  // kAzure-9-like fill; ROOT's default fill 0 is invisible
    cairo_fill_preserve(cr);
    cv.setColor(color);
    cairo_stroke(cr);
  }
  // Error bars (THistPainter::PaintErrors): "E" skips empty bins, "E0" keeps
  // them, "E1" adds end caps, "X0" drops the horizontal bar (ErrorX 0.5 draws
  // it across the whole bin), "E2" boxes and "E3/E4" bands are filled.
  if (opt.error) {
    const double cap = 2;  // gStyle->GetEndErrorSize()
    if (opt.errBand) {  // E3/E4: one filled band through the ends of the error bars
      Color fc = color;
      fc.a = 0.3;
      cv.setColor(fc);
      auto xc = [&](int bin) { return clampPx(fr.x.toPx(0.5 * (o.x.binLow(bin) + o.x.binUp(bin)))); };
      for (int bin = fr.fx; bin <= fr.lx; ++bin)
        cairo_line_to(cr, xc(bin), clampPx(fr.y.toPx(val(bin) + binError(o, o.cell(bin)) * scale)));
      for (int bin = fr.lx; bin >= fr.fx; --bin)
        cairo_line_to(cr, xc(bin), clampPx(fr.y.toPx(val(bin) - binError(o, o.cell(bin)) * scale)));
      cairo_close_path(cr);
      cairo_fill(cr);
      cv.setColor(color);
    } else if (opt.errBox) {
      Color fc = color;
      fc.a = 0.3;
      cv.setColor(fc);
      for (int bin = fr.fx; bin <= fr.lx; ++bin) {
        double c = val(bin), e = binError(o, o.cell(bin)) * scale;
        if (c == 0 && !opt.errZero) continue;
        cairo_rectangle(cr, X(o.x.binLow(bin)), Y(c + e), X(o.x.binUp(bin)) - X(o.x.binLow(bin)), Y(c - e) - Y(c + e));
      }
      cairo_fill(cr);
      cv.setColor(color);
    } else {
      for (int bin = fr.fx; bin <= fr.lx; ++bin) {
        double c = val(bin), e = binError(o, o.cell(bin)) * scale;
        if (c == 0 && e == 0 && !opt.errZero) continue;
        if (c == 0 && !opt.errZero && o.kind != Kind::Profile) continue;
        double xc = X(0.5 * (o.x.binLow(bin) + o.x.binUp(bin))), yc = Y(c);
        double y0 = Y(c - e), y1 = Y(c + e);
        cairo_move_to(cr, xc, y0), cairo_line_to(cr, xc, y1);
        if (!opt.x0) cairo_move_to(cr, X(o.x.binLow(bin)), yc), cairo_line_to(cr, X(o.x.binUp(bin)), yc);
        if (opt.errCaps) {
          cairo_move_to(cr, xc - cap, y0), cairo_line_to(cr, xc + cap, y0);
          cairo_move_to(cr, xc - cap, y1), cairo_line_to(cr, xc + cap, y1);
        }
      }
      cairo_stroke(cr);
    }
  }
  // "L": a polyline through the bin centres; "C": a smooth curve through them.
  if (opt.l || opt.c) {
    std::vector<std::pair<double, double>> pts;
    for (int bin = fr.fx; bin <= fr.lx; ++bin)
      pts.push_back({fr.x.toPx(0.5 * (o.x.binLow(bin) + o.x.binUp(bin))), clampPx(fr.y.toPx(val(bin)))});
    for (size_t i = 0; i < pts.size(); ++i) {
      if (i == 0 || !opt.c) {
        if (i == 0) cairo_move_to(cr, pts[i].first, pts[i].second);
        else cairo_line_to(cr, pts[i].first, pts[i].second);
        continue;
      }
      // Catmull-Rom through the bin centres, as cubic Bezier pieces (ROOT's
      // "C" uses a smoothing spline; this passes through the same points).
      auto p0 = pts[i >= 2 ? i - 2 : 0], p1 = pts[i - 1], p2 = pts[i], p3 = pts[std::min(i + 1, pts.size() - 1)];
      cairo_curve_to(cr, p1.first + (p2.first - p0.first) / 6, p1.second + (p2.second - p0.second) / 6,
                     p2.first - (p3.first - p1.first) / 6, p2.second - (p3.second - p1.second) / 6, p2.first, p2.second);
    }
    cairo_stroke(cr);
  }
  // Markers for "P", "*" and error bars (ROOT draws the marker at the centre
  // of each error bar; style 1 is the DQM default dot).
  int m = opt.star ? 3 : marker;
  if (opt.p || opt.star || (opt.error && m != 0)) {
    double minDim = std::min(cv.width, cv.height);
    double ms = m == 3 ? std::max(5.0, 0.85 * 8 * minDim / 500.0) : m <= 1 ? std::max(1.5, minDim / 250) : std::max(3.0, 0.012 * minDim);
    cairo_set_line_width(cr, 1);
    for (int bin = fr.fx; bin <= fr.lx; ++bin) {
      double c = val(bin);
      if (c == 0 && !opt.p0 && !(o.kind == Kind::Profile && binFilled(o, o.cell(bin)))) continue;
      drawMarker(cr, m == 0 ? 1 : m, fr.x.toPx(0.5 * (o.x.binLow(bin) + o.x.binUp(bin))), clampPx(fr.y.toPx(c)), ms);
    }
  }
  cairo_restore(cr);
}

// TEXT: bin values above each bin (THistPainter::PaintText), not clipped.
void paintText1D(const Canvas& cv, const Object& o, const Frame& fr, const std::string& tf, double scale) {
  // Text size 0.03 of the pad (ROOT: 0.02 x marker size, too small for thumbnails).
  double px = cv.fontPx(0.03, fr.pad);
  cairo_set_source_rgb(cv.cr, 0, 0, 0);
  double lastRight = -1e9;  // skip labels that would overlap the previous one
  for (int bin = fr.fx; bin <= fr.lx; ++bin) {
    double c = binContent(o, o.cell(bin)) * scale;
    double y = fr.y.toPx(c);
    if (c == 0 || y < fr.box.y0 || y > fr.box.y1) continue;
    std::string s = formatValue(tf, c);
    double x = fr.x.toPx(0.5 * (o.x.binLow(bin) + o.x.binUp(bin))), w = textWidth(cv, s, Font::Regular, px);
    if (x - w / 2 < lastRight + 1) continue;
    lastRight = x + w / 2;
    drawText(cv, s, x, y - 2, Font::Regular, px, 21);
  }
}

}  // namespace rd
