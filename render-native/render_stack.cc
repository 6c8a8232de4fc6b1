// render_stack.cc: the layers of ref=stacked (spec/render.md §3.9).
//
// THStack paints the cumulative sums from the largest down, so each layer
// shows its own contribution. ROOT's fill style 3002 (a 50 % stipple) is
// drawn as the reference colour mixed half with white, plus an outline in
// the full colour: the same density without the dither pattern.
#include "render_core.h"

namespace rd {

void paintStackLayers(const Canvas& cv, const std::vector<std::pair<const Object*, int>>& layers, double scale,
                      const Frame& fr) {
  if (layers.empty()) return;
  cairo_t* cr = cv.cr;
  const Rect& b = fr.box;
  int nb = fr.lx;
  // cum[k][bin]: the sum of the first k+1 references, as THStack stacks them.
  std::vector<std::vector<double>> cum(layers.size(), std::vector<double>(nb + 2, 0.0));
  for (size_t k = 0; k < layers.size(); ++k) {
    const Object& o = *layers[k].first;
    for (int bin = fr.fx; bin <= nb; ++bin) {
      double v = bin <= o.x.nbins ? binContent(o, o.cell(bin)) * scale : 0;
      cum[k][bin] = (k ? cum[k - 1][bin] : 0) + v;
    }
  }
  const Object& ref0 = *layers[0].first;
  cairo_save(cr);
  cairo_rectangle(cr, b.x0, b.y0, b.w(), b.h());
  cairo_clip(cr);
  cairo_set_line_width(cr, 1);
  double base = fr.y.log || fr.y.lo > 0 ? b.y1 + 1 : std::round(fr.y.toPx(0)) + 0.5;
  auto Y = [&](double v) { return std::floor(std::min(1e5, std::max(-1e5, fr.y.toPx(v)))) + 0.5; };
  auto X = [&](double v) { return std::floor(fr.x.toPx(v)) + 0.5; };
  // Largest sum first: each smaller one covers it, leaving its own band.
  for (size_t k = layers.size(); k-- > 0;) {
    cairo_move_to(cr, X(ref0.x.binLow(fr.fx)), base);
    for (int bin = fr.fx; bin <= nb; ++bin) {
      double y = Y(cum[k][bin]);
      cairo_line_to(cr, X(ref0.x.binLow(bin)), y);
      cairo_line_to(cr, X(ref0.x.binUp(bin)), y);
    }
    cairo_line_to(cr, X(ref0.x.binUp(nb)), base);
    cairo_close_path(cr);
    Color c = refColor(layers[k].second);
    cairo_set_source_rgb(cr, 0.5 + 0.5 * c.r, 0.5 + 0.5 * c.g, 0.5 + 0.5 * c.b);
    cairo_fill_preserve(cr);
    cv.setColor(c);
    cairo_stroke(cr);
  }
  cairo_restore(cr);
}

}  // namespace rd
