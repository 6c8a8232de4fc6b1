// render_compare.cc: comparisons of the main object with a reference.
//
// - ktest (spec/render.md §3.10): TH1::KolmogorovTest with its default
//   options and TMath::KolmogorovProb.
// - 2D overlays (§5.2 PullValComparison / Ratio2DComparison, built in here):
//   with exactly two 2D objects of the same binning the main object is
//   replaced by a pull map (fewer than 1000 cells) or a ratio map, drawn
//   COLZ with the kLightTemperature palette on a symmetric z range.
#include "render_core.h"

namespace rd {

namespace {

// TMath::KolmogorovProb.
double kolmogorovProb(double z) {
  const double fj[4] = {-2, -8, -18, -32};
  const double w = 2.50662827, c1 = -1.2337005501361697, c2 = -11.103304951225528, c3 = -30.842513753404244;
  double u = std::fabs(z);
  if (u < 0.2) return 1;
  if (u < 0.755) {
    double v = 1 / (u * u);
    return 1 - w * (std::exp(c1 * v) + std::exp(c2 * v) + std::exp(c3 * v)) / u;
  }
  if (u < 6.8116) {
    double r[4] = {0, 0, 0, 0}, v = u * u;
    int maxj = std::max(1, int(std::lround(3 / u)));
    for (int j = 0; j < maxj && j < 4; ++j) r[j] = std::exp(fj[j] * v);
    return 2 * (r[0] - r[1] + r[2] - r[3]);
  }
  return 0;
}

// Effective entries of bins 1..n: sum^2 / sum of squared weights.
double effective(const Object& o, double sum) {
  if (o.sumw2.empty()) return sum;
  double s2 = 0;
  for (int b = 1; b <= o.x.nbins; ++b) s2 += o.sumw2.size() > size_t(b) ? o.sumw2[b] : 0;
  return s2 > 0 ? sum * sum / s2 : sum;
}

}  // namespace

// TH1::KolmogorovTest without options: the largest distance between the
// normalised cumulative distributions, scaled by the effective entries.
double ksProbability(const Object& a, const Object& b) {
  if (a.x.nbins != b.x.nbins || a.dim() != 1 || b.dim() != 1) return NAN;
  double sa = 0, sb = 0;
  for (int i = 1; i <= a.x.nbins; ++i) sa += binContent(a, a.cell(i)), sb += binContent(b, b.cell(i));
  if (sa == 0 || sb == 0) return NAN;
  double ca = 0, cb = 0, dmax = 0;
  for (int i = 1; i <= a.x.nbins; ++i) {
    ca += binContent(a, a.cell(i)) / sa, cb += binContent(b, b.cell(i)) / sb;
    dmax = std::max(dmax, std::fabs(ca - cb));
  }
  double ea = effective(a, sa), eb = effective(b, sb);
  return kolmogorovProb(dmax * std::sqrt(ea * eb / (ea + eb)));
}

std::unique_ptr<Object> compare2D(const RenderRequest& req, Style& style) {
  if (req.objects.size() != 2 || !req.objects[0] || !req.objects[1]) return nullptr;
  const Object& a = *req.objects[0];
  const Object& b = *req.objects[1];
  auto is2D = [](const Object& o) { return o.kind == Kind::TH2 || o.kind == Kind::Profile2D; };
  if (!is2D(a) || !is2D(b) || a.x.nbins != b.x.nbins || a.y.nbins != b.y.nbins) return nullptr;
  // The original plugins chose pull maps for small maps and ratio maps for
  // large ones; the reference is normalised like 1D references are.
  const bool pull = double(a.x.nbins) * a.y.nbins < 1000;
  double sa = sumOfWeights(a), sb = sumOfWeights(b);
  double f = (req.options.norm && !req.efficiency() && sa != 0 && sb != 0) ? sa / sb : 1;
  // The derived map keeps the main object's axes (and bin labels).
  auto p = std::make_unique<Object>();
  p->kind = Kind::TH2, p->cls = "TH2D", p->name = a.name, p->x = a.x, p->y = a.y;
  p->contents.assign(size_t(a.x.nbins + 2) * size_t(a.y.nbins + 2), 0.0);
  double amax = 0;
  for (int by = 1; by <= a.y.nbins; ++by)
    for (int bx = 1; bx <= a.x.nbins; ++bx) {
      int c = a.cell(bx, by);
      double va = binContent(a, c), vb = binContent(b, c) * f, v = 0;
      if (pull) {
        double ea = binError(a, c), eb = binError(b, c) * f, e = std::sqrt(ea * ea + eb * eb);
        v = e > 0 ? (va - vb) / e : 0;
      } else {
        v = vb != 0 && va != 0 ? va / vb : 0;
      }
      if (!std::isfinite(v)) v = 0;  // empty in both: neither pull nor ratio
      p->contents[size_t(c)] = v;
      amax = std::max(amax, pull ? std::fabs(v) : (v > 0 ? std::max(v, 1 / v) : 0));
    }
  p->entries = a.entries;
  const auto& l = req.options.reflabels;
  std::string la = !l.empty() && !l[0].empty() ? l[0] : "main", lb = l.size() > 1 && !l[1].empty() ? l[1] : "reference";
  p->title = displayTitle(a) + (pull ? " (PullVal " : " (Ratio ") + la + " vs. " + lb + ")";
  // As the comparison plugins: COLZ unless the user chose, kLightTemperature
  // with 255 levels, and a z range symmetric around 0 (pull) or 1 (ratio, log).
  if (req.options.drawopts.empty()) style.draw = "COLZ";
  style.palette = "lightTemperature";
  style.contours = 255;
  style.stats = false;
  if (amax <= 0) amax = 1;
  if (std::isnan(req.options.z.min) && std::isnan(req.options.z.max)) {
    if (pull) style.zmin = -amax, style.zmax = amax, style.logz = false;
    else style.zmin = 1 / amax, style.zmax = amax, style.logz = req.options.z.type != AxisType::Lin;
  }
  return p;
}

}  // namespace rd
