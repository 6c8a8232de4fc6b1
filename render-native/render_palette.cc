// render_palette.cc: colour palettes, value-to-colour lookup and the
// palette axis drawn right of the frame for COLZ.
//
// Palettes are built once and shared by all requests, so no palette state
// leaks from one request to the next (the [quirk] of spec/render.md §3.1).
#include <cstdio>

#include "render_core.h"

namespace rd {

namespace {

// 0..1 components to 0xRRGGBB.
uint32_t pack(double r, double g, double b) {
  auto c = [](double v) { return uint32_t(std::lround(std::min(1.0, std::max(0.0, v)) * 255)); };
  return (c(r) << 16) | (c(g) << 8) | c(b);
}

// TColor::CreateGradientColorTable: linear interpolation between equally
// spaced stops, expanded to n colours.
Palette gradient(const double* r, const double* g, const double* b, int nstops, int n) {
  Palette p;
  for (int i = 0; i < n; ++i) {
    double t = double(i) / (n - 1) * (nstops - 1);
    int k = std::min(int(t), nstops - 2);
    double f = t - k;
    p.colors.push_back(pack(r[k] + f * (r[k + 1] - r[k]), g[k] + f * (g[k + 1] - g[k]), b[k] + f * (b[k + 1] - b[k])));
  }
  return p;
}

// TColor::HLStoRGB as ROOT uses it for palette 1.
// The HLS helper of TColor::HLStoRGB (one RGB component for a hue).
double hlsValue(double n1, double n2, double hue) {
  if (hue > 360) hue -= 360;
  if (hue < 0) hue += 360;
  if (hue < 60) return n1 + (n2 - n1) * hue / 60;
  if (hue < 180) return n2;
  if (hue < 240) return n1 + (n2 - n1) * (240 - hue) / 60;
  return n1;
}

Palette makePalette(const std::string& name) {
  if (name == "rainbow") {
    // ROOT palette 1 ("pretty"): 50 colours, hue 280 -> 0, lightness 0.5, saturation 1.
    Palette p;
    for (int i = 0; i < 50; ++i) {
      double hue = 280 - (i + 1) * (280.0 / 50);
      double l = 0.5, s = 1, m2 = l + s - l * s, m1 = 2 * l - m2;
      p.colors.push_back(pack(hlsValue(m1, m2, hue + 120), hlsValue(m1, m2, hue), hlsValue(m1, m2, hue - 120)));
    }
    p.ncontours = 50;
    return p;
  }
  if (name == "summary") {
    // dqm::utils::reportSummaryMapPalette: 19 shades dark red -> orange ->
    // yellow, then green for the top bin (values >= 0.95 over -1e-15..1).
    Palette p;
    for (int i = 0; i < 19; ++i) {
      double r = 0.80 + 0.01 * i, g = i < 17 ? 0.03 * i : 0.03 * i + 0.15 + 0.10 * (i - 17);
      p.colors.push_back(pack(r, std::min(g, 0.95), 0));
    }
    p.colors.push_back(pack(0, 0.80, 0));
    p.ncontours = 20;
    return p;
  }
  if (name == "qtstatus") {
    // L1T quality-test status over 0..300 in 8 bands: white (no data),
    // grey, orange, light green, light yellow, green, yellow, red.
    Palette p;
    p.colors = {0xffffff, 0xbfbfbf, 0xff9933, 0x99ff99, 0xffff99, 0x00cc00, 0xffff00, 0xcc0000};
    for (int i = 0; i < 8; ++i) p.levels.push_back(i * 300.0 / 8);
    p.ncontours = 8;
    return p;
  }
  if (name == "grey") {
    const double r[2] = {0, 1};  // kGreyScale: black to white
    return gradient(r, r, r, 2, 255);
  }
  if (name == "lightTemperature") {
    // kLightTemperature (87), TColor::SetPalette.
    const double r[9] = {31, 71, 123, 160, 210, 222, 214, 199, 183};
    const double g[9] = {40, 117, 171, 211, 231, 220, 160, 90, 0};
    const double b[9] = {234, 214, 228, 222, 210, 160, 105, 60, 34};
    double rr[9], gg[9], bb[9];
    for (int i = 0; i < 9; ++i) rr[i] = r[i] / 255, gg[i] = g[i] / 255, bb[i] = b[i] / 255;
    Palette p = gradient(rr, gg, bb, 9, 255);
    p.ncontours = 255;
    return p;
  }
  // kBird (57), ROOT's default since 6.04.
  const double r[9] = {0.2082, 0.0592, 0.0780, 0.0232, 0.1802, 0.5301, 0.8186, 0.9956, 0.9764};
  const double g[9] = {0.1664, 0.3599, 0.5041, 0.6419, 0.7178, 0.7492, 0.7328, 0.7862, 0.9832};
  const double b[9] = {0.5293, 0.8684, 0.8385, 0.7914, 0.6425, 0.4662, 0.3499, 0.1968, 0.0539};
  return gradient(r, g, b, 9, 255);
}

}  // namespace

// Palettes by name; unknown names give kBird. Built on first use.
const Palette& getPalette(const std::string& name) {
  static const char* names[] = {"bird", "rainbow", "summary", "qtstatus", "grey", "lightTemperature"};
  static Palette cache[6];
  static bool built[6] = {};
  int idx = 0;
  for (int i = 0; i < 6; ++i)
    if (name == names[i]) idx = i;
  if (!built[idx]) cache[idx] = makePalette(names[idx]), built[idx] = true;
  return cache[idx];
}

// THistPainter::PaintColorLevels: level i covers [zmin+i*dz, zmin+(i+1)*dz);
// its colour is palette[(i+0.99)*ncolors/ndiv]. Values below the range are
// not painted, values above get the top colour.
bool ColorScale::lookup(double v, uint32_t& rgb) const {
  if (std::isnan(v)) return false;
  int level;
  int n = edges.empty() ? ndiv : int(edges.size());
  // Explicit levels (fContour or a discrete palette) are lower bounds.
  if (!edges.empty()) {
    if (v < edges[0]) return false;
    level = int(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin()) - 1;
  } else {
    double lo = zmin, hi = zmax;
    if (log) {
      if (!(v > 0)) return false;
      v = std::log10(v), lo = std::log10(zmin), hi = std::log10(zmax);
    }
    if (v < lo) return false;
    double dz = (hi - lo) / ndiv;
    // The 1e-9 keeps values on a level edge (0.95 in the summary palette,
    // whose range starts at -1e-15) in the upper level despite rounding.
    level = dz > 0 ? int(std::floor((v - lo) / dz + 1e-9)) : 0;
  }
  level = std::min(std::max(level, 0), n - 1);
  rgb = levelColor(level);
  return true;
}

// Palette index of contour level `level` out of n (PaintColorLevels' theColor).
uint32_t ColorScale::levelColor(int level) const {
  int n = edges.empty() ? ndiv : int(edges.size());
  int nc = int(pal->colors.size());
  int ci = int((level + 0.99) * nc / std::max(1, n));
  return pal->colors[std::min(std::max(ci, 0), nc - 1)];
}

// TPaletteAxis: one box per contour level from the frame bottom to its top,
// a border, and a z axis whose labels sit right of the boxes.
void drawPaletteAxis(const Canvas& cv, const ColorScale& cs, const Frame& fr, double x0, double x1,
                     double labelPx) {
  cairo_t* cr = cv.cr;
  double yb = fr.box.y1, yt = fr.box.y0;
  Scale zs;
  zs.lo = cs.zmin, zs.hi = cs.zmax, zs.log = cs.log, zs.p0 = yb, zs.p1 = yt;
  int n = cs.edges.empty() ? cs.ndiv : int(cs.edges.size());
  double px0 = std::round(x0), px1 = std::round(x1);
  for (int i = 0; i < n; ++i) {
    double a, b;
    if (cs.edges.empty()) {
      a = yb + (yt - yb) * i / n, b = yb + (yt - yb) * (i + 1) / n;
    } else {
      a = zs.toPx(cs.edges[i]);
      b = i + 1 < n ? zs.toPx(cs.edges[i + 1]) : yt;
      a = std::min(std::max(a, yt), yb), b = std::min(std::max(b, yt), yb);
    }
    uint32_t c = cs.levelColor(i);
    cairo_set_source_rgb(cr, ((c >> 16) & 255) / 255.0, ((c >> 8) & 255) / 255.0, (c & 255) / 255.0);
    double ra = std::round(a), rb = std::round(b);
    cairo_rectangle(cr, px0, rb, px1 - px0, ra - rb);
    cairo_fill(cr);
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, px0 + 0.5, std::round(yt) + 0.5, px1 - px0 - 1, std::round(yb) - std::round(yt) - 1);
  cairo_stroke(cr);
  AxisSpec a;
  a.scale = zs;
  a.vertical = true;
  a.labelPx = labelPx;
  a.tickLen = std::max(2.0, (px1 - px0) * 0.4);
  drawAxis(cv, a, px1 - 0.5, -1);
}

}  // namespace rd
