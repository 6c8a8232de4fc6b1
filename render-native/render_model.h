// render_model.h: the data model shared by the daemon's two halves.
//
// The protocol side (proto_*, decode_*) turns a request frame into a
// RenderRequest; the drawing side (render_*) turns a RenderRequest into PNG
// bytes. Neither knows how the other works. Decoded histograms keep ROOT's
// member meaning (fArray with under/overflow cells, fSumw2, fBinEntries, the
// statistics sums) so drawing can compute what ROOT would.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rd {

// ROOT's "unset" value for fMaximum/fMinimum (TH1.h: -1111).
constexpr double kUnset = -1111;

struct Axis {
  int nbins = 1;
  double xmin = 0, xmax = 1;
  std::vector<double> edges;        // nbins+1 edges for variable binning, else empty
  std::vector<std::string> labels;  // alphanumeric labels by bin (index 1..nbins), "" = none; empty = no labels
  std::string title;
  int first = 0, last = 0;          // fFirst/fLast (zoom range stored in the file), 0 = whole axis
  uint16_t bits2 = 0;
  bool timeDisplay = false;
  std::string timeFormat;
  double binLow(int bin) const;     // lower edge of bin (1-based), as TAxis::GetBinLowEdge
  double binUp(int bin) const;
  int findBin(double x) const;      // as TAxis::FindFixBin (0 underflow, nbins+1 overflow)
  bool hasLabels() const { return !labels.empty(); }
};

enum class Kind { TH1, TH2, TH3, Profile, Profile2D, Text };

// A decoded histogram (any TH1/TH2/TH3 class, TProfile, TProfile2D) or a text
// object (TObjString, or the scalar text of a scalar request).
struct Object {
  Kind kind = Kind::TH1;
  std::string cls;                  // "TH1F", "TProfile2D", "TObjString", ...
  std::string name, title;
  std::string option;               // fOption stored in the file
  uint32_t uniqueId = 0, bits = 0;  // TObject fUniqueID / fBits (plugins may read them)
  Axis x, y, z;
  std::vector<double> contents;     // fArray, fNcells values incl. under/overflow, as double
  std::vector<double> sumw2;        // fSumw2 (empty when not stored)
  std::vector<double> binEntries;   // profiles: fBinEntries
  std::vector<double> binSumw2;     // profiles: fBinSumw2 (may be empty)
  int errorMode = 0;                // profiles: fErrorMode (0 kERRORMEAN, 1 kERRORSPREAD, 2 kERRORSPREADI, 3 kERRORSPREADG)
  double entries = 0;
  double tsumw = 0, tsumw2 = 0, tsumwx = 0, tsumwx2 = 0;
  double tsumwy = 0, tsumwy2 = 0, tsumwxy = 0;            // TH2/TH3/profiles
  double tsumwz = 0, tsumwz2 = 0, tsumwxz = 0, tsumwyz = 0; // TH3/TProfile2D
  double maximum = kUnset, minimum = kUnset, normFactor = 0;
  double pmin = 0, pmax = 0;        // profiles: fYmin/fYmax (TProfile) or fZmin/fZmax (TProfile2D)
  std::vector<double> contour;      // fContour
  int16_t barOffset = 0, barWidth = 1000;
  std::string text;                 // Kind::Text: the string
  int dim() const { return kind == Kind::TH2 || kind == Kind::Profile2D ? 2 : kind == Kind::TH3 ? 3 : kind == Kind::Text ? 0 : 1; }
  // Cell index of bins (ROOT's TH1::GetBin): (nx+2)*(ny+2)*bz + (nx+2)*by + bx.
  int cell(int bx, int by = 0, int bz = 0) const {
    return bx + (x.nbins + 2) * (by + (y.nbins + 2) * bz);
  }
};

// Axis scale requested by the user: "def" keeps what plugins chose.
enum class AxisType { Def, Lin, Log };
// Overlay layout (spec/render.md §3.7-3.9); Object and Overlay behave the same.
enum class RefMode { Object, Overlay, RatioOverlay, Stacked };

struct AxisOptions {
  AxisType type = AxisType::Def;
  double min = NAN, max = NAN;      // NaN = unset (0 is a valid bound)
};

// Options parsed from the spec string (spec/render.md §2.1).
struct RenderOptions {
  int width = 266, height = 200;
  int showstats = 1;                // ROOT OptStat integer; 0 hides every stat box
  bool showerrbars = false;
  bool norm = true;                 // normalise references to the main object
  RefMode ref = RefMode::Object;
  AxisOptions x, y, z;
  std::string drawopts;             // user draw option for the main object
  double ktest = NAN;
  std::vector<std::string> reflabels;  // index K = label of overlay K (1-based); [0] unused
  bool json = false;                // classic JSON mode: our daemon answers error 2 (JSON is made by the server)
};

// Flag bits of the request (spec/render.md §1.2; DQMNet.h).
constexpr uint32_t kFlagTypeMask = 0xff;
constexpr uint32_t kFlagScalarMax = 0x0f;
constexpr uint32_t kFlagEfficiency = 0x00200000;

struct RenderRequest {
  std::string name;                 // ME path, e.g. "PixelPhase1/EventInfo/reportSummaryMap" ("" for scalars)
  uint32_t flags = 0;
  RenderOptions options;
  // objects[0] is the main object, the rest overlays in request order; a null
  // entry is a missing object. For scalar requests objects[0] is Kind::Text.
  std::vector<std::unique_ptr<Object>> objects;
  bool efficiency() const { return (flags & kFlagEfficiency) != 0; }
  bool scalar() const { return (flags & kFlagTypeMask) <= kFlagScalarMax; }
};

struct PluginTable;  // render_plugins.h: declarative rules + native plugins

// Draw a request and encode it as an 8-bit RGB PNG of exactly width x height.
// Returns 0 on success; on failure returns a non-zero code (2, as the
// classic daemon) and sets `error`; `png` may still hold an image (e.g. a
// message drawn instead of the plot).
int renderPng(const RenderRequest& request, const PluginTable& plugins, std::vector<uint8_t>& png,
              std::string& error);

}  // namespace rd
