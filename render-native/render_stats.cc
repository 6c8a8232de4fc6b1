// render_stats.cc: stat boxes (TPaveStats as THistPainter::PaintStat fills it).
//
// Geometry from the DQM style (spec/render.md §3.1): top right corner at NDC
// (0.98, 0.995), width 0.20, 0.04 per line; font 62 (bold). OptStat digits
// read right to left: name, entries, mean, std dev, underflow, overflow,
// integral. Rows grow when the pad is too small for readable text.
#include <cstdio>

#include "render_core.h"

namespace rd {

namespace {

// One line of a stat box: a centred title, or a label with its value.
struct Row {
  std::string label, value;
  bool title = false;
};

std::string fmt(const char* f, double v) {
  char buf[64];
  snprintf(buf, sizeof buf, f, v);
  return buf;
}

// THistPainter prints entries as an integer up to 1e7, then with %.7g.
std::string fmtEntries(double e) {
  if (e == std::floor(e) && std::fabs(e) < 1e7) return fmt("%.0f", e);
  return fmt("%.7g", e);
}

// Draws the rows right-aligned at xRight from yTop; returns the bottom.
double drawPave(const Canvas& cv, const std::vector<Row>& rows, double xRight, double yTop, const Rect& pad,
                const Color& color) {
  cairo_t* cr = cv.cr;
  // 0.04 of the pad height per line (StatH 0.16 x 0.25), but never less than
  // the legibility floor allows; the box grows left and down instead of
  // shrinking the text below it, as ROOT would.
  double lineH = std::max(0.04 * pad.h(), cv.minFontPx() * 1.3);
  double px = std::max(cv.minFontPx(), std::min(lineH * 0.62, 0.03 * pad.w()));
  if (std::min(cv.width, cv.height) < 60) px = lineH * 0.62;
  // Width: ROOT's 0.20 of the pad, wider for long values, but at most 0.45
  // so the box never hides the title; a long title row (the object name)
  // gets a smaller font, then a middle ellipsis.
  const double maxW = std::max(0.20 * pad.w(), 0.45 * pad.w());
  double need = 0, titlePx = px;
  std::vector<Row> shown = rows;
  for (auto& r : shown) {
    if (r.title) {
      double tw = textWidth(cv, r.label, Font::Bold, px) + px;
      if (tw > maxW) titlePx = std::max(px * maxW / tw, 0.75 * cv.minFontPx());
      while (r.label.size() > 8 && textWidth(cv, r.label, Font::Bold, titlePx) + px > maxW) {
        size_t keep = r.label.size() - 4, head = keep / 2;
        r.label = r.label.substr(0, head) + ".." + r.label.substr(r.label.size() - (keep - head - 2));
      }
      need = std::max(need, std::min(tw, maxW));
      continue;
    }
    double w = textWidth(cv, r.label, Font::Bold, px) + textWidth(cv, r.value, Font::Bold, px) + 2 * px;
    need = std::max(need, w);
  }
  double w = std::min(std::max(0.20 * pad.w(), need), std::max(maxW, need));
  double x0 = std::round(xRight - w), x1 = std::round(xRight);
  double y0 = std::round(yTop), y1 = std::round(yTop + lineH * rows.size());
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, x0 + 0.5, y0 + 0.5, x1 - x0 - 1, y1 - y0 - 1);
  cairo_stroke(cr);
  cv.setColor(color);
  double pad_x = std::max(1.5, 0.3 * px);
  for (size_t i = 0; i < shown.size(); ++i) {
    double yc = y0 + lineH * (i + 0.5);
    const Row& r = shown[i];
    if (r.title) {
      drawText(cv, r.label, 0.5 * (x0 + x1), yc, Font::Bold, titlePx, 22);
      if (i == 0 && rows.size() > 1) {  // TPaveStats underlines its title row
        cairo_set_source_rgb(cr, 0, 0, 0);
        double ly = std::round(y0 + lineH) + 0.5;
        cairo_move_to(cr, x0, ly);
        cairo_line_to(cr, x1, ly);
        cairo_stroke(cr);
        cv.setColor(color);
      }
    } else {
      drawText(cv, r.label, x0 + pad_x, yc, Font::Bold, px, 12);
      drawText(cv, r.value, x1 - pad_x, yc, Font::Bold, px, 32);
    }
  }
  return y1;
}

}  // namespace

void drawStatBox(const Canvas& cv, const Object& o, const Stats& s, int optstat, const Rect& pad,
                 double& bottomPx) {
  if (optstat == 1) optstat = 1111;  // THistPainter::PaintStat: 1 means the default
  auto digit = [optstat](int k) { return (optstat / int(std::pow(10, k))) % 10; };
  std::vector<Row> rows;
  const bool two = o.dim() >= 2, prof = o.kind == Kind::Profile;
  // Row order of THistPainter::PaintStat / PaintStat2.
  if (digit(0)) rows.push_back({o.name, "", true});
  if (digit(1)) rows.push_back({"Entries", fmtEntries(s.entries)});
  // A digit 2 adds the error (THistPainter: mean error std/sqrt(neff), std
  // dev error std/sqrt(2 neff)), printed "value ± error".
  const double rn = s.neff > 0 ? 1 / std::sqrt(s.neff) : 0;
  auto val = [&](double v, double err, bool withErr) {
    return withErr ? fmt("%.4g", v) + " ± " + fmt("%.3g", err) : fmt("%.4g", v);
  };
  if (digit(2)) {
    rows.push_back({two ? "Mean x" : "Mean", val(s.meanx, s.stdx * rn, digit(2) == 2)});
    if (two || prof) rows.push_back({"Mean y", val(s.meany, s.stdy * rn, digit(2) == 2)});
  }
  if (digit(3)) {
    rows.push_back({two ? "Std Dev x" : "Std Dev", val(s.stdx, s.stdx * rn / std::sqrt(2.0), digit(3) == 2)});
    if (two || prof) rows.push_back({"Std Dev y", val(s.stdy, s.stdy * rn / std::sqrt(2.0), digit(3) == 2)});
  }
  if (digit(4) && !two) rows.push_back({"Underflow", fmt("%.4g", s.under)});
  if (digit(5) && !two) rows.push_back({"Overflow", fmt("%.4g", s.over)});
  if (digit(6)) rows.push_back({"Integral", fmt("%.4g", s.integral)});
  if (rows.empty()) {
    bottomPx = pad.y0 + 0.005 * pad.h();
    return;
  }
  bottomPx = drawPave(cv, rows, pad.x0 + 0.98 * pad.w(), pad.y0 + 0.005 * pad.h(), pad, Color{});
}

// Reference box (§3.6): label row, then Entries / Mean / RMS with iostream's
// default 6 significant digits, all in the reference colour.
void drawRefStatBox(const Canvas& cv, const Stats& s, const std::string& label, const Color& c, const Rect& pad,
                    double& topPx) {
  std::vector<Row> rows;
  rows.push_back({label, "", true});
  rows.push_back({"Entries", fmt("%g", s.entries)});
  rows.push_back({"Mean", fmt("%g", s.meanx)});
  rows.push_back({"RMS", fmt("%g", s.stdx)});
  topPx = drawPave(cv, rows, pad.x0 + 0.98 * pad.w(), topPx, pad, c);
}

}  // namespace rd
