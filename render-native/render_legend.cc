// render_legend.cc: the legend drawn when the user labels the references.
//
// TLegend-like: a white box with a 1 px border in the top left corner of the
// frame (the stat boxes take the right side), one row per object with a
// sample of how it is drawn (line, star marker, or filled swatch for the
// stacked layers) and its label in Helvetica.
#include "render_core.h"

namespace rd {

void drawLegend(const Canvas& cv, const Frame& fr, const std::vector<LegendRow>& rows) {
  if (rows.empty()) return;
  cairo_t* cr = cv.cr;
  const double px = cv.fontPx(0.03, fr.pad), rowH = px * 1.4;
  double w = 0;
  for (const auto& row : rows) w = std::max(w, latexWidth(cv, row.label, Font::Regular, px));
  // Never wider than most of the frame: long labels are clipped instead.
  w = std::min(w, 0.8 * fr.box.w() - 3.2 * px);
  double x0 = std::round(fr.box.x0 + 0.03 * fr.box.w()), y0 = std::round(fr.box.y0 + 0.03 * fr.box.h());
  double bw = std::round(w + 3.2 * px), bh = std::round(rows.size() * rowH + 0.4 * px);
  cairo_save(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x0, y0, bw, bh);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, x0 + 0.5, y0 + 0.5, bw - 1, bh - 1);
  cairo_stroke(cr);
  cairo_rectangle(cr, x0, y0, bw, bh);
  cairo_clip(cr);
  // Each row: a sample 2.1 em wide, then the label in the object's colour.
  for (size_t i = 0; i < rows.size(); ++i) {
    const LegendRow& r = rows[i];
    double yc = y0 + 0.2 * px + rowH * (i + 0.5);
    cv.setColor(r.color);
    switch (r.kind) {
      case LegendRow::Star:
        cairo_set_line_width(cr, 1);
        drawMarker(cr, 3, x0 + 1.3 * px, yc, std::max(5.0, 0.8 * px));
        break;
      case LegendRow::Fill:
        cairo_set_source_rgb(cr, 0.5 + 0.5 * r.color.r, 0.5 + 0.5 * r.color.g, 0.5 + 0.5 * r.color.b);
        cairo_rectangle(cr, x0 + 0.5 * px, yc - 0.35 * px, 1.6 * px, 0.7 * px);
        cairo_fill_preserve(cr);
        cv.setColor(r.color);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
        break;
      case LegendRow::Line:
        cairo_set_line_width(cr, 2);
        cairo_move_to(cr, x0 + 0.5 * px, yc);
        cairo_line_to(cr, x0 + 2.1 * px, yc);
        cairo_stroke(cr);
        break;
    }
    cv.setColor(r.color);
    drawLatex(cv, r.label, x0 + 2.7 * px, yc, Font::Regular, px, 12);
  }
  cairo_restore(cr);
}

}  // namespace rd
