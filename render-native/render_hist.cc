// render_hist.cc: what ROOT would read out of a histogram before painting.
//
// Bin contents and errors (TH1::GetBinContent/GetBinError, TProfile's
// error modes), axis ranges (TAxis::SetRangeUser), statistics
// (TH1::GetStats: stored sums, or the bins when a range is set or the sums
// are empty) and the draw option parser (THistPainter::MakeChopt subset).
#include <algorithm>
#include <cctype>
#include <cstring>

#include "render_core.h"

namespace rd {

namespace {
// Bounds-checked element access: decoded arrays may be shorter than the
// binning says when a file is damaged.
bool isProfile(const Object& o) { return o.kind == Kind::Profile || o.kind == Kind::Profile2D; }
double at(const std::vector<double>& v, int i) { return i >= 0 && i < int(v.size()) ? v[i] : 0.0; }
}  // namespace

// Profiles store sum(w*y) in fArray and sum(w) in fBinEntries; the value
// drawn is their ratio (TProfile::GetBinContent). Out-of-range cells read 0,
// so a damaged object can never index outside its arrays.
double binContent(const Object& o, int cell) {
  if (isProfile(o)) {
    double n = at(o.binEntries, cell);
    return n != 0 ? at(o.contents, cell) / n : 0.0;
  }
  return at(o.contents, cell);
}

// TProfile::GetBinError for fErrorMode kERRORMEAN (0), kERRORSPREAD (1),
// kERRORSPREADI (2) and kERRORSPREADG (3) (TProfileHelper::GetBinError).
double binError(const Object& o, int cell) {
  if (!isProfile(o)) {
    if (!o.sumw2.empty()) return std::sqrt(std::fabs(at(o.sumw2, cell)));
    return std::sqrt(std::fabs(at(o.contents, cell)));
  }
  double sum = at(o.binEntries, cell);
  if (sum == 0) return 0;
  double cont = at(o.contents, cell) / sum;
  double eprim = std::sqrt(std::fabs(at(o.sumw2, cell) / sum - cont * cont));
  double bsw2 = at(o.binSumw2, cell);
  double neff = bsw2 > 0 ? sum * sum / bsw2 : sum;
  // fErrorMode: 0 error of the mean, 1 spread, 2 spread or 1/sqrt(12 n)
  // for a zero spread (integer data), 3 1/sqrt(sum of weights).
  switch (o.errorMode) {
    case 1: return eprim;
    case 2: return eprim > 0 ? eprim / std::sqrt(neff) : 1 / std::sqrt(12 * neff);
    case 3: return 1 / std::sqrt(sum);
    default: return neff > 0 ? eprim / std::sqrt(neff) : 0;
  }
}

// Whether a cell counts as filled: profiles know (entries), other classes
// can only tell from a non-zero content.
bool binFilled(const Object& o, int cell) {
  if (isProfile(o)) return at(o.binEntries, cell) != 0;
  return at(o.contents, cell) != 0;
}

// TH1::GetSumOfWeights: contents of the in-range bins (no under/overflow),
// read through RetrieveBinContent, i.e. the bin means for profiles.
double sumOfWeights(const Object& o) {
  double s = 0;
  int ny = o.dim() >= 2 ? o.y.nbins : 0;
  for (int by = ny ? 1 : 0; by <= ny; ++by)
    for (int bx = 1; bx <= o.x.nbins; ++bx) s += binContent(o, o.cell(bx, by));
  return s;
}

// TAxis::SetRangeUser: the bins containing umin and umax, with the
// edge-equality fixes; a NaN bound means "from the axis end".
void binRange(const Axis& a, double umin, double umax, int& first, int& last) {
  first = 1, last = a.nbins;
  // No user range: the zoom stored in the file (fFirst/fLast) applies.
  if (std::isnan(umin) && std::isnan(umax)) {
    if (a.first > 0 && a.last >= a.first && a.last <= a.nbins) first = a.first, last = a.last;
    return;
  }
  double eps = 1e-9 * std::fabs(a.xmax - a.xmin);
  if (!std::isnan(umin)) {
    first = std::max(1, a.findBin(umin));
    if (first <= a.nbins && a.binUp(first) <= umin + eps) first++;
  }
  if (!std::isnan(umax)) {
    last = std::min(a.nbins, a.findBin(umax));
    if (last >= 1 && a.binLow(last) >= umax - eps && last > first) last--;
  }
  first = std::min(std::max(first, 1), a.nbins);
  last = std::min(std::max(last, 1), a.nbins);
  if (first > last) std::swap(first, last);
}

Stats computeStats(const Object& o, int fx, int lx, int fy, int ly, bool restricted) {
  Stats s;
  s.entries = o.entries;
  const bool prof = isProfile(o);
  const bool two = o.dim() >= 2;
  if (!two) {
    s.under = at(o.contents, 0);
    s.over = at(o.contents, o.x.nbins + 1);
  }
  // TH1::GetStats uses the stored sums unless an axis range is set or the
  // sums are empty (e.g. after SetBinContent); then it sums the bins in
  // range, each at its centre, without under/overflow.
  double sw = 0, swx = 0, swx2 = 0, swy = 0, swy2 = 0, integral = 0, sw2 = 0;
  if (!restricted && o.tsumw != 0) {
    sw2 = o.tsumw2;
    sw = o.tsumw, swx = o.tsumwx, swx2 = o.tsumwx2, swy = o.tsumwy, swy2 = o.tsumwy2;
    for (int by = two ? fy : 0; by <= (two ? ly : 0); ++by)
      for (int bx = fx; bx <= lx; ++bx) integral += at(o.contents, o.cell(bx, by));
  } else {
    for (int by = two ? fy : 0; by <= (two ? ly : 0); ++by) {
      double y = two ? 0.5 * (o.y.binLow(by) + o.y.binUp(by)) : 0;
      for (int bx = fx; bx <= lx; ++bx) {
        int c = o.cell(bx, by);
        double x = 0.5 * (o.x.binLow(bx) + o.x.binUp(bx));
        double w = prof ? at(o.binEntries, c) : at(o.contents, c);
        integral += at(o.contents, c);
        sw += w, swx += w * x, swx2 += w * x * x;
        sw2 += prof ? at(o.binSumw2, c) : o.sumw2.empty() ? std::fabs(w) : at(o.sumw2, c);
        if (two) swy += w * y, swy2 += w * y * y;
        else if (prof) swy += at(o.contents, c), swy2 += at(o.sumw2, c);  // profile y sums per bin
      }
    }
  }
  s.integral = integral;
  s.neff = sw2 > 0 ? sw * sw / sw2 : std::fabs(sw);
  if (sw != 0) {
    s.meanx = swx / sw;
    s.stdx = std::sqrt(std::max(0.0, swx2 / sw - s.meanx * s.meanx));
    if (two || prof) {
      s.meany = swy / sw;
      s.stdy = std::sqrt(std::max(0.0, swy2 / sw - s.meany * s.meany));
    }
  }
  s.nan = std::isnan(sw) || std::isnan(s.meanx) || std::isnan(s.stdx) || std::isnan(integral);
  return s;
}

// Like THistPainter::MakeChopt: case-insensitive, commas and spaces are
// separators, and each recognised token is blanked out so that the single
// letters left over (E, P, L, C, Z, B, *) are not confused with parts of
// longer words ("COL" contains C and L).
DrawOpt parseDrawOpt(const std::string& in) {
  DrawOpt d;
  std::string s;
  for (char c : in) s += c == ',' ? ' ' : char(std::toupper(static_cast<unsigned char>(c)));
  auto take = [&s](const char* tok) {
    size_t p = s.find(tok);
    if (p == std::string::npos) return std::string::npos;
    s.replace(p, std::strlen(tok), std::string(std::strlen(tok), ' '));
    return p;
  };
  if (take("SAME") != std::string::npos) d.same = true;
  if (take("AXIS") != std::string::npos || take("AXIG") != std::string::npos) d.axisOnly = true;
  if (take("HIST") != std::string::npos) d.hist = true;
  size_t tp = take("TEXT");
  if (tp != std::string::npos) {
    d.text = true;
    size_t q = tp + 4;
    int ang = 0;
    while (q < s.size() && std::isdigit(static_cast<unsigned char>(s[q]))) ang = ang * 10 + (s[q] - '0'), s[q++] = ' ';
    d.textAngle = std::min(ang, 90);
  }
  // Painters we do not have fall back to a colour map (LEGO, SURF, CONT...).
  for (const char* t : {"LEGO", "SURF", "CONT", "CANDLE", "VIOLIN", "ARR"}) {
    size_t p = take(t);
    if (p != std::string::npos) {
      d.col = d.z = true;
      while (p + 4 < s.size() && std::isdigit(static_cast<unsigned char>(s[p + 4]))) s[p + 4] = ' ', ++p;
    }
  }
  if (take("COLZ") != std::string::npos) d.col = d.z = true;
  if (take("COL") != std::string::npos) d.col = true;
  if (take("BOX") != std::string::npos) d.box = true;
  if (take("SCAT") != std::string::npos) d.scat = true;
  if (take("BAR") != std::string::npos) d.bar = true;
  if (take("X0") != std::string::npos) d.x0 = true;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    char n = i + 1 < s.size() ? s[i + 1] : ' ';
    switch (c) {
      case 'E':
        d.error = 1;
        if (n == '0') d.errZero = true, s[i + 1] = ' ';
        else if (n == '1') d.errCaps = true, s[i + 1] = ' ';
        else if (n == '2') d.errBox = true, s[i + 1] = ' ';
        else if (n >= '3' && n <= '6') d.errBand = true, s[i + 1] = ' ';
        break;
      case 'P':
        d.p = true;
        if (n == '0') d.p0 = true, s[i + 1] = ' ';
        break;
      case 'L': d.l = true; break;
      case 'C': d.c = true; break;
      case '*': d.star = true; break;
      case 'Z': d.z = true; break;
      case 'B': d.bar = true; break;
      default: break;
    }
  }
  return d;
}

}  // namespace rd
