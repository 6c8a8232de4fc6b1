// render_model.cc: the TAxis helpers declared in render_model.h.
//
// They are defined weak so that the protocol side may provide its own
// definitions without a duplicate-symbol error; both follow TAxis.cxx.
#include "render_model.h"

namespace rd {

__attribute__((weak)) double Axis::binLow(int bin) const {
  if (bin >= 1 && size_t(bin - 1) < edges.size()) return edges[bin - 1];
  double w = (xmax - xmin) / (nbins > 0 ? nbins : 1);
  return xmin + (bin - 1) * w;
}

__attribute__((weak)) double Axis::binUp(int bin) const {
  if (bin >= 0 && size_t(bin) < edges.size()) return edges[bin];
  double w = (xmax - xmin) / (nbins > 0 ? nbins : 1);
  return xmin + bin * w;
}

// TAxis::FindFixBin: 0 underflow, nbins+1 overflow.
__attribute__((weak)) int Axis::findBin(double x) const {
  if (x < xmin) return 0;
  if (!(x < xmax)) return nbins + 1;
  if (edges.size() != size_t(nbins) + 1) return 1 + int(nbins * (x - xmin) / (xmax - xmin));
  int lo = 0, hi = nbins;  // binary search in edges[0..nbins]
  while (hi - lo > 1) {
    int mid = (lo + hi) / 2;
    if (x >= edges[mid]) lo = mid;
    else hi = mid;
  }
  return lo + 1;
}

}  // namespace rd
