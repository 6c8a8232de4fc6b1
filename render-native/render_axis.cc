// render_axis.cc: axes as ROOT's TGaxis paints them.
//
// Numeric axes use THLimitsFinder::Optimize (the "nice numbers" 2, 2.5, 5,
// 10 rounding) with 510 divisions: up to 10 primary intervals, each split by
// a second optimisation into up to 5. Labels drop trailing zeros, and when
// they would need more than 4 integer digits (or more than 4 decimals) a
// "x10^N" exponent with N a multiple of 3 goes to the end of the axis, as
// with TGaxis::fgMaxDigits. Unlike ROOT we reduce the number of divisions
// when labels would overlap, which matters for thumbnails.
#include <cstdio>
#include <cstring>
#include <ctime>

#include "render_core.h"

namespace rd {

// Linear or log10 interpolation between the pixel ends. Non-positive values
// on a log axis go far outside the frame, where clipping removes them.
double Scale::toPx(double v) const {
  double a = lo, b = hi;
  if (log) {
    if (!(v > 0)) return p0 + (p1 > p0 ? -1e6 : 1e6);
    v = std::log10(v), a = std::log10(lo), b = std::log10(hi);
  }
  if (b == a) return p0;
  return p0 + (v - a) / (b - a) * (p1 - p0);
}

// Makes a range drawable whatever the data: finite, ordered, non-empty,
// and positive when logarithmic (NaN and +-inf bins or axis limits).
void sanitizeRange(double& lo, double& hi, bool& log) {
  const double big = 1e150;
  if (!std::isfinite(lo)) lo = std::isnan(lo) ? 0 : lo > 0 ? big : -big;
  if (!std::isfinite(hi)) hi = std::isnan(hi) ? 1 : hi > 0 ? big : -big;
  lo = std::min(big, std::max(-big, lo)), hi = std::min(big, std::max(-big, hi));
  if (hi < lo) std::swap(lo, hi);
  if (log && !(lo > 0 && hi > 0)) log = false;
  if (hi - lo <= 1e-12 * std::max(std::fabs(lo), std::fabs(hi))) {
    double d = lo == 0 ? 1 : 0.1 * std::fabs(lo);
    if (log) lo /= 2, hi *= 2;
    else lo -= d, hi += d;
  }
}

void Scale::sanitize() { sanitizeRange(lo, hi, log); }

// THLimitsFinder::Optimize without the time options: a step of 2, 2.5, 5 or
// 10 times a power of ten giving at most `ndiv` intervals over [lo, hi].
void niceTicks(double lo, double hi, int ndiv, double& first, double& step, int& n) {
  bool nolog = false;
  sanitizeRange(lo, hi, nolog);
  int ntemp = std::max(ndiv, 2);
  for (int iter = 0; iter < 4; ++iter) {
    double awidth = (hi - lo) / ntemp;
    int jlog = int(std::log10(awidth));
    if (awidth <= 1) jlog--;
    double sigfig = awidth * std::pow(10.0, -jlog);
    double sig = sigfig <= 2 ? 2 : sigfig <= 2.5 ? 2.5 : sigfig <= 5 ? 5 : 10;
    step = sig * std::pow(10.0, jlog);
    double l = std::floor(lo / step + 1e-9), h = std::ceil(hi / step - 1e-9);
    int nb = int(h - l);
    // THLimitsFinder: exactly half the requested intervals looks sparse, so
    // ROOT retries once with one more interval.
    if (2 * nb == ndiv && iter == 0) {
      ntemp++;
      continue;
    }
    break;
  }
  first = std::ceil(lo / step - 1e-9) * step;
  double cnt = std::floor((hi - first) / step + 1e-9) + 1;
  n = std::isfinite(cnt) ? int(std::min(1000.0, std::max(0.0, cnt))) : 0;
}

namespace {

// One tick label: where it goes along the axis and its TLatex text.
struct Label {
  double pos;        // pixel along the axis
  std::string text;  // TLatex text
};

// What one axis paints: primary and secondary tick positions, labels, and
// the common exponent (TGaxis draws it once at the end of the axis).
struct Ticks {
  std::vector<double> major, minor;  // pixels
  std::vector<Label> labels;
  std::string exponent;              // "#times10^{3}" or ""
  bool binLabels = false;
};

// TGaxis prints labels with a common number of decimals and then strips
// trailing zeros ("0.2 0.4 ... 1"), and never prints "-0".
std::string fmtNum(double v, int ndec) {
  char buf[64];
  if (std::fabs(v) < 1e-12) v = 0;
  snprintf(buf, sizeof buf, "%.*f", ndec, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

// Decimals needed to print multiples of `step` exactly (0.25 -> 2).
int decimalsFor(double step) {
  for (int k = 0; k < 12; ++k) {
    double v = step * std::pow(10.0, k);
    if (std::fabs(v - std::round(v)) < 1e-6 * std::max(1.0, v)) return k;
  }
  return 12;
}

void linearTicks(const Canvas& cv, const AxisSpec& a, int ndiv, Ticks& t) {
  const Scale& s = a.scale;
  double first, step;
  int n;
  niceTicks(s.lo, s.hi, ndiv, first, step, n);
  // TGaxis::fgMaxDigits is 5: labels of 10000 and more, or needing more than
  // 4 decimals, are divided by 10^N (N a multiple of 3) shown as x10^N.
  double maxabs = std::max(std::fabs(first), std::fabs(first + (n - 1) * step));
  int ex = 0;
  if (maxabs >= 1e4 - 1e-9 * maxabs) ex = 3 * int(std::floor(std::log10(maxabs) / 3));
  else if (maxabs > 0 && decimalsFor(step) > 4) ex = 3 * int(std::floor(std::log10(maxabs) / 3));
  double scale = std::pow(10.0, -ex);
  int ndec = decimalsFor(step * scale);
  for (int i = 0; i < n; ++i) {
    double v = first + i * step;
    double p = s.toPx(v);
    t.major.push_back(p);
    t.labels.push_back({p, fmtNum(v * scale, ndec)});
  }
  if (ex != 0) t.exponent = "#times10^{" + std::to_string(ex) + "}";
  // Secondary divisions: optimise one primary interval into at most 5.
  double f2, step2;
  int n2;
  niceTicks(0, step, 5, f2, step2, n2);
  if (step2 <= 0 || step / step2 > 20) return;
  double start = first - step;
  for (double v = start; v <= s.hi + step2 * 1e-6; v += step2) {
    if (v < s.lo - step2 * 1e-6) continue;
    double r = (v - first) / step;
    if (std::fabs(r - std::round(r)) < 1e-6) continue;
    t.minor.push_back(s.toPx(v));
  }
  (void)cv;
}

// Log axes: a primary tick and label at each decade ("1", "10", then
// "10^{n}" as ROOT writes them), secondary ticks at 2..9 times the decade;
// too many decades keep every k-th label.
void logTicks(const AxisSpec& a, Ticks& t, int maxLabels) {
  const Scale& s = a.scale;
  double l0 = std::log10(s.lo), l1 = std::log10(s.hi);
  int d0 = int(std::floor(l0)), d1 = int(std::ceil(l1));
  int ndec = int(std::floor(l1 + 1e-9) - std::ceil(l0 - 1e-9)) + 1;
  int stride = std::max(1, (ndec + maxLabels - 1) / std::max(1, maxLabels));
  for (int d = d0; d <= d1; ++d) {
    double v = std::pow(10.0, d);
    if (v >= s.lo * (1 - 1e-9) && v <= s.hi * (1 + 1e-9)) {
      double p = s.toPx(v);
      t.major.push_back(p);
      if (d % stride == 0) {
        std::string txt = d == 0 ? "1" : d == 1 ? "10" : "10^{" + std::to_string(d) + "}";
        t.labels.push_back({p, txt});
      }
    }
    if (ndec > 8) continue;
    for (int k = 2; k <= 9; ++k) {
      double m = k * v;
      if (m < s.lo || m > s.hi) continue;
      t.minor.push_back(s.toPx(m));
      // Short ranges: ROOT labels the intermediate values too.
      if (l1 - l0 < 1.3 && (k == 2 || k == 3 || k == 5)) t.labels.push_back({s.toPx(m), fmtNum(m, std::max(0, -d))});
    }
  }
}

// Time axes (TAxis::SetTimeDisplay): values are seconds after an offset,
// given in the format after "%F" ("%H:%M%F2024-05-01 00:00:00") or ROOT's
// default 1995-01-01 00:00:00 UTC. The step is a round time unit and labels
// are strftime'd in UTC.
void timeTicks(const AxisSpec& a, Ticks& t, int maxLabels) {
  std::string fmt = a.axis->timeFormat;
  double offset = 788918400;  // 1995-01-01 00:00:00 UTC, TStyle's default time offset
  size_t f = fmt.find("%F");
  if (f != std::string::npos) {
    struct tm tmv = {};
    int Y, M, D, h = 0, m = 0, sec = 0;
    if (std::sscanf(fmt.c_str() + f + 2, "%d-%d-%d %d:%d:%d", &Y, &M, &D, &h, &m, &sec) >= 3) {
      tmv.tm_year = Y - 1900, tmv.tm_mon = M - 1, tmv.tm_mday = D, tmv.tm_hour = h, tmv.tm_min = m, tmv.tm_sec = sec;
      offset = double(timegm(&tmv));
    }
    fmt.erase(f);
  }
  const double lo = a.scale.lo, hi = a.scale.hi;
  static const double steps[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
                                 43200, 86400, 172800, 604800, 2592000, 7776000, 31536000};
  double step = steps[sizeof steps / sizeof steps[0] - 1];
  for (double s : steps)
    if ((hi - lo) / s <= maxLabels) {
      step = s;
      break;
    }
  if (fmt.empty()) fmt = step >= 86400 ? "%d/%m/%y" : step >= 60 ? "%H:%M" : "%H:%M:%S";
  double first = std::ceil((lo + offset) / step - 1e-9) * step - offset;
  for (int i = 0; i < 200; ++i) {
    double v = first + i * step;
    if (v > hi + 1e-9 * std::fabs(hi)) break;
    time_t tt = time_t(std::llround(v + offset));
    struct tm tmv;
    char buf[64] = "";
    if (gmtime_r(&tt, &tmv)) strftime(buf, sizeof buf, fmt.c_str(), &tmv);
    double p = a.scale.toPx(v);
    t.major.push_back(p);
    t.labels.push_back({p, buf});
  }
}

// Alphanumeric axes: one label at each bin centre, ticks at the bin edges
// (THistPainter draws bin labels instead of numbers when fLabels is set).
void binLabelTicks(const AxisSpec& a, Ticks& t) {
  t.binLabels = true;
  for (int b = a.fbin; b <= a.lbin; ++b) {
    double c = 0.5 * (a.axis->binLow(b) + a.axis->binUp(b));
    double p = a.scale.toPx(c);
    t.major.push_back(a.scale.toPx(a.axis->binLow(b)));
    std::string txt = b >= 0 && b < int(a.axis->labels.size()) ? a.axis->labels[b] : std::string();
    t.labels.push_back({p, txt});
  }
}

// Extent of one label perpendicular to the axis.
double labelThickness(const Canvas& cv, const AxisSpec& a, const Label& l, double px) {
  bool along = (a.vertical == (a.labelOrient == 'h'));  // label text runs across the axis
  if (a.vertical && a.labelOrient == 'h') along = true;
  return along ? latexWidth(cv, l.text, Font::Regular, px) : px;
}

// Ticks and labels with as many divisions as fit.
void computeTicks(const Canvas& cv, const AxisSpec& a, Ticks& t, double& px) {
  px = a.labelPx;
  double len = std::fabs(a.scale.p1 - a.scale.p0);
  if (a.axis && a.binAxis && a.axis->hasLabels()) {
    binLabelTicks(a, t);
    return;
  }
  if (a.axis && a.binAxis && a.axis->timeDisplay && !a.scale.log) {
    timeTicks(a, t, std::max(2, int(len / (a.vertical ? 2.0 * px : 6.0 * px))));
    return;
  }
  if (a.scale.log) {
    int maxLabels = std::max(2, int(len / (a.vertical ? 1.6 * px : 3.5 * px)));
    logTicks(a, t, maxLabels);
    return;
  }
  // 510 divisions means up to 10 primary intervals; fewer when the labels
  // would not fit side by side (ROOT lets them overlap).
  const int tries[] = {10, 8, 6, 5, 4, 3, 2};
  for (int nd : tries) {
    t = Ticks();
    linearTicks(cv, a, nd, t);
    double need = 0;
    for (const auto& l : t.labels) {
      need += a.vertical ? 1.5 * px : latexWidth(cv, l.text, Font::Regular, px) + 0.8 * px;
    }
    if (need <= len * 1.05 || nd == 2) break;
  }
}

// Shrink bin-label text to fit its bin, and thin the labels out if needed.
int binLabelStride(const Canvas& cv, const AxisSpec& a, const Ticks& t, double& px) {
  if (t.labels.empty()) return 1;
  double binPx = std::fabs(a.scale.p1 - a.scale.p0) / t.labels.size();
  bool runsAlong = a.vertical ? (a.labelOrient != 'h') : (a.labelOrient == 'h');
  if (runsAlong) {
    // Shrink the labels to fit their bins with a small gap, but not below 60 %
    // (nor the legibility floor); past that, label every k-th bin instead.
    double w = 0;
    for (const auto& l : t.labels) w = std::max(w, latexWidth(cv, l.text, Font::Regular, px));
    const double room = binPx * 0.85;
    if (w <= room || w <= 0) return 1;
    double f = std::max(0.6, room / w);
    px = std::max(px * f, cv.minFontPx() * 0.75);
    w *= px / a.labelPx;
    return std::max(1, int(std::ceil(w / std::max(1.0, room))));
  }
  if (px > binPx * 0.95) px = std::max(binPx * 0.95, cv.minFontPx() * 0.75);
  return std::max(1, int(std::ceil(px * 1.05 / std::max(0.5, binPx))));
}

}  // namespace

// The room labels need next to the axis line, used to size pad margins.
double axisLabelExtent(const Canvas& cv, const AxisSpec& a) {
  if (!a.drawLabels) return 0;
  Ticks t;
  double px;
  computeTicks(cv, a, t, px);
  if (t.binLabels) binLabelStride(cv, a, t, px);
  double gap = std::max(2.0, 0.4 * px);
  double ext = 0;
  for (const auto& l : t.labels) ext = std::max(ext, labelThickness(cv, a, l, px));
  if (!a.vertical && a.labelOrient == 'h') ext = t.labels.empty() ? 0 : px;
  if (!a.vertical && a.labelOrient != 'h') {
    for (const auto& l : t.labels) ext = std::max(ext, latexWidth(cv, l.text, Font::Regular, px));
  }
  return ext + gap;
}

// Draws one axis whose line is at `across` (y for a horizontal axis, x for a
// vertical one); ticks point towards tickSign (into the frame), labels away.
void drawAxis(const Canvas& cv, const AxisSpec& a, double across, double tickSign) {
  cairo_t* cr = cv.cr;
  Ticks t;
  double px;
  computeTicks(cv, a, t, px);
  int stride = t.binLabels ? binLabelStride(cv, a, t, px) : 1;
  auto snap = [](double v) { return std::floor(v) + 0.5; };
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 1);
  // Grid (ROOT: dotted lines at the primary ticks, drawn with the axis).
  if (a.grid) {
    cairo_save(cr);
    const double dash[] = {1, 2};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
    for (double p : t.major) {
      double q = snap(p);
      if (a.vertical) cairo_move_to(cr, a.gridFrom, q), cairo_line_to(cr, a.gridTo, q);
      else cairo_move_to(cr, q, a.gridFrom), cairo_line_to(cr, q, a.gridTo);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
  }
  // Secondary ticks are half as long as primary ones (TGaxis).
  double len = a.tickLen;
  double lo = std::min(a.scale.p0, a.scale.p1) - 0.5, hi = std::max(a.scale.p0, a.scale.p1) + 0.5;
  auto tick = [&](double p, double l) {
    if (p < lo || p > hi) return;
    double q = snap(p);
    if (a.vertical) cairo_move_to(cr, across, q), cairo_line_to(cr, across + tickSign * l, q);
    else cairo_move_to(cr, q, across), cairo_line_to(cr, q, across + tickSign * l);
  };
  if (!t.binLabels) {
    for (double p : t.major) tick(p, len);
    for (double p : t.minor) tick(p, len / 2);
  } else if (std::fabs(a.scale.p1 - a.scale.p0) / std::max<size_t>(1, t.major.size()) > 3) {
    for (double p : t.major) tick(p, len / 2);
  }
  cairo_stroke(cr);
  if (!a.drawLabels || px < 3.5) return;
  double gap = std::max(2.0, 0.4 * px);
  double side = -tickSign;  // labels go on the other side of the ticks
  double maxw = 0;
  for (size_t i = 0; i < t.labels.size(); ++i) {
    const Label& l = t.labels[i];
    if (int(i) % stride != 0 || l.text.empty()) continue;
    if (l.pos < lo - 1 || l.pos > hi + 1) continue;
    if (a.vertical) {
      double x = across + side * gap;
      if (a.labelOrient == 'h') {
        drawLatex(cv, l.text, x, l.pos, Font::Regular, px, side < 0 ? 32 : 12);
        maxw = std::max(maxw, latexWidth(cv, l.text, Font::Regular, px));
      } else {
        drawLatex(cv, l.text, x, l.pos, Font::Regular, px, side < 0 ? 21 : 23, 90);
      }
    } else {
      double y = across + side * gap;
      if (a.labelOrient == 'h') drawLatex(cv, l.text, l.pos, y, Font::Regular, px, 23);
      else if (a.labelOrient == 'd') drawLatex(cv, l.text, l.pos, y, Font::Regular, px, 33, 30);
      else drawLatex(cv, l.text, l.pos, y, Font::Regular, px, 32, 90);
    }
  }
  // The exponent goes above the top of a vertical axis and past the right
  // end of a horizontal one, as TGaxis places it.
  if (!t.exponent.empty()) {
    if (a.vertical) {
      double x = side < 0 ? across - gap - maxw : across + gap;
      drawLatex(cv, t.exponent, x, std::min(a.scale.p0, a.scale.p1) - 2, Font::Regular, px * 0.9, 11);
    } else {
      drawLatex(cv, t.exponent, hi + 2, across + side * (gap + px * 0.9), Font::Regular, px * 0.9, 13);
    }
  }
}

}  // namespace rd
