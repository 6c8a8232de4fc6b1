// render_core.h: types shared by the render_*.cc files (drawing side only).
//
// The drawing side builds, per request, a resolved Style (rules, native
// plugins and user options merged as spec/render.md §5.3), then paints onto
// one cairo image surface through a Canvas. Pixel coordinates have their
// origin at the top left; NDC follows ROOT (0,0 bottom left).
#pragma once

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "render_model.h"
#include "render_plugins.h"

namespace rd {

struct Color {
  double r = 0, g = 0, b = 0, a = 1;
};
inline Color rgb255(int r, int g, int b) { return {r / 255.0, g / 255.0, b / 255.0, 1}; }
bool parseColor(const std::string& s, Color& out);  // "#rrggbb[aa]"

// Reference colours C[n mod 6] of spec/render.md §3.7 (kGray, kAzure, kOrange+7, ...).
Color refColor(int n);

// Font faces used everywhere: ROOT font 42 (Helvetica) and 62 (Helvetica bold),
// rendered with Liberation Sans, which has Helvetica's metrics.
enum class Font { Regular, Bold, Italic, Greek };

// A rectangle in pixels (x0,y0 top left; x1,y1 bottom right).
struct Rect {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double w() const { return x1 - x0; }
  double h() const { return y1 - y0; }
};

// The image being drawn: a cairo context plus size-dependent text sizing.
struct Canvas {
  cairo_t* cr = nullptr;
  cairo_surface_t* surface = nullptr;
  int width = 0, height = 0;
  // Pixel size of a ROOT text size (fraction of the pad's smaller side),
  // never below a readable floor that shrinks only on tiny images.
  double fontPx(double ndcSize, const Rect& pad) const;
  double minFontPx() const;
  bool tiny() const { return std::min(width, height) < 60; }  // no title, stats or legend
  void setColor(const Color& c) const { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a); }
  void setFont(Font f, double px) const;
};

// Resolved drawing style of one request (spec/render.md §3.1, §5.3).
struct Style {
  std::string draw;             // effective draw option (upper-cased later)
  std::string palette = "bird";
  int contours = 0;             // 0 = style default (100, or the palette's own)
  bool stats = true;
  int optstat = 1111;           // ROOT OptStat digits
  bool logx = false, logy = false, logz = false;
  bool gridx = false, gridy = false;
  double xmin = NAN, xmax = NAN, ymin = NAN, ymax = NAN, zmin = NAN, zmax = NAN;
  double ml = NAN, mr = NAN, mt = NAN, mb = NAN;  // NaN = automatic (0.10, widened to fit)
  char labelsX = 'h', labelsY = 'h';
  std::string textFormat = "g";
  bool titleSet = false;
  std::string title;
  std::vector<const Primitive*> overlay;
  std::vector<const NativePlugin*> natives;  // plugins whose applies() said yes
};

// Parsed ROOT draw option (THistPainter::MakeChopt subset).
struct DrawOpt {
  bool hist = false, axisOnly = false, same = false;
  int error = 0;       // 1 when any "E" option is given; the variants are the flags below
  bool errZero = false, errCaps = false, errBox = false, errBand = false, x0 = false;
  bool p = false, p0 = false, l = false, c = false, star = false, bar = false;
  bool text = false;
  int textAngle = 0;
  bool col = false, z = false, box = false, scat = false;
};
DrawOpt parseDrawOpt(const std::string& opt);

// Mapping from data coordinates to pixels along one axis.
struct Scale {
  double lo = 0, hi = 1;  // data range shown
  bool log = false;
  double p0 = 0, p1 = 1;  // pixel positions of lo and hi
  double toPx(double v) const;
  void sanitize();
};
void sanitizeRange(double& lo, double& hi, bool& log);

// Bin-level view of a 1D or 2D object in what ROOT would paint.
double binContent(const Object& o, int cell);  // profile means for profiles
double binError(const Object& o, int cell);
bool binFilled(const Object& o, int cell);     // TProfile2D: entries > 0; else content != 0
double sumOfWeights(const Object& o);          // bins 1..n (TH1::GetSumOfWeights)
void binRange(const Axis& a, double umin, double umax, int& first, int& last);

// Statistics as ROOT's stat box shows them (TH1::GetStats).
struct Stats {
  double entries = 0, meanx = 0, stdx = 0, meany = 0, stdy = 0;
  double under = 0, over = 0, integral = 0;
  double neff = 0;  // effective entries (TH1::GetEffectiveEntries) for the "with error" digits
  bool nan = false;
};
Stats computeStats(const Object& o, int fx, int lx, int fy, int ly, bool restricted);

// Frame and pad geometry passed between painters.
struct Frame {
  Rect pad;           // pad rectangle in pixels
  Rect box;           // frame rectangle in pixels
  Scale x, y;         // y is the value axis for 1D
  Scale z;            // colour axis for 2D
  int fx = 1, lx = 1, fy = 1, ly = 1;  // bin ranges shown
  bool hideXLabels = false;
};

// Text (render_text.cc): a subset of TLatex. align is ROOT's h*10+v.
const cairo_font_options_t* fontOptions();
std::string toUtf8(const std::string& s);
double textWidth(const Canvas& cv, const std::string& s, Font f, double px);
void drawText(const Canvas& cv, const std::string& s, double x, double y, Font f, double px, int align,
              double angleDeg = 0);
double latexWidth(const Canvas& cv, const std::string& s, Font f, double px);
void drawLatex(const Canvas& cv, const std::string& s, double x, double y, Font f, double px, int align,
               double angleDeg = 0);

// Axes (render_axis.cc).
struct AxisSpec {
  const Axis* axis = nullptr;  // for bin labels and the title (may be null)
  Scale scale;
  bool vertical = false;
  bool labelsOnRight = false;  // palette axis
  char labelOrient = 'h';
  double labelPx = 8, titlePx = 8, tickLen = 5;
  bool drawLabels = true, drawTitle = true, grid = false;
  bool binAxis = true;         // false: a 1D value axis (never bin labels)
  int fbin = 1, lbin = 1;      // bin labels shown
  double gridFrom = 0, gridTo = 0;
};
void drawAxis(const Canvas& cv, const AxisSpec& a, double across, double tickSign);
double axisLabelExtent(const Canvas& cv, const AxisSpec& a);  // space labels need off the axis
void niceTicks(double lo, double hi, int ndiv, double& first, double& step, int& n);

// Palettes (render_palette.cc).
struct Palette {
  std::vector<uint32_t> colors;  // 0xRRGGBB
  std::vector<double> levels;    // explicit contour edges (may be empty)
  int ncontours = 100;
};
const Palette& getPalette(const std::string& name);
// Colour of value v for contour levels over [zmin,zmax]; false = not painted.
struct ColorScale {
  const Palette* pal = nullptr;
  double zmin = 0, zmax = 1;
  bool log = false;
  int ndiv = 100;
  std::vector<double> edges;  // explicit contour edges (fContour or palette levels)
  bool lookup(double v, uint32_t& rgb) const;
  uint32_t levelColor(int level) const;
};
void drawPaletteAxis(const Canvas& cv, const ColorScale& cs, const Frame& fr, double x0, double x1,
                     double labelPx);

// Stat boxes (render_stats.cc).
void drawStatBox(const Canvas& cv, const Object& o, const Stats& s, int optstat, const Rect& pad,
                 double& bottomPx);
void drawRefStatBox(const Canvas& cv, const Stats& s, const std::string& label, const Color& c,
                    const Rect& pad, double& topPx);

// Legend box in the top left of the frame (render_legend.cc).
struct LegendRow {
  std::string label;
  Color color;
  enum Kind { Line, Star, Fill } kind = Line;
};
void drawLegend(const Canvas& cv, const Frame& fr, const std::vector<LegendRow>& rows);

// Painters.
struct PaintCtx {
  const RenderRequest* req = nullptr;
  const Object* main = nullptr;
  Style style;
  DrawOpt opt;
  Frame frame;
};
void paintPlot1D(const Canvas& cv, PaintCtx& ctx, const Rect& pad, RefMode mode);
void paintStackLayers(const Canvas& cv, const std::vector<std::pair<const Object*, int>>& layers, double scale,
                      const Frame& fr);
void valueRange(double lo, double hi, bool any, double umin, double umax, bool logy, double& outLo, double& outHi);
std::string formatValue(const std::string& textFormat, double v);
void paintHist1D(const Canvas& cv, const Object& o, const DrawOpt& opt, const Frame& fr, const Color& c,
                 double lineWidth, double scale, int marker);
void paintPlot2D(const Canvas& cv, PaintCtx& ctx);
void paintRatioOverlay(const Canvas& cv, PaintCtx& ctx);
void drawMessage(const Canvas& cv, const std::string& name, const std::string& msg, const Color& c);
void drawScalar(const Canvas& cv, const RenderRequest& req);
std::string displayTitle(const Object& o);
void drawTitle(const Canvas& cv, const std::string& title, const Rect& pad);
void drawPrimitives(const Canvas& cv, const std::vector<const Primitive*>& prims, const Frame& fr);
void drawMarker(cairo_t* cr, int style, double x, double y, double sizePx);

// Comparisons (render_compare.cc).
double ksProbability(const Object& a, const Object& b);
std::unique_ptr<Object> compare2D(const RenderRequest& req, Style& style);

// Frame layout shared by 1D and 2D (render_layout.cc).
void layoutFrame(const Canvas& cv, PaintCtx& ctx, const Rect& pad, const AxisSpec& xs, const AxisSpec& ys,
                 double extraRight);
void drawFrameAndAxes(const Canvas& cv, const PaintCtx& ctx, AxisSpec xs, AxisSpec ys);
AxisSpec makeAxisSpec(const Canvas& cv, const Axis* axis, bool vertical, const Rect& pad, char orient);

// Rules and plugins (render_rules.cc).
void resolveStyle(const RenderRequest& req, const PluginTable& plugins, Style& style);
void runPostDraw(const Canvas& cv, const RenderRequest& req, const Style& style, const Frame& fr);

// PNG (render_png.cc): encode the surface as 8-bit RGB.
bool encodePng(const uint8_t* argb, int width, int height, int stride, std::vector<uint8_t>& png);

// Debug API for tests: the frame geometry of the last renderPng call.
struct DebugFrame {
  bool valid = false;
  double px0 = 0, py0 = 0, px1 = 0, py1 = 0;
  double xmin = 0, xmax = 0, ymin = 0, ymax = 0;
  bool logx = false, logy = false;
};
const DebugFrame& lastFrame();
void setLastFrame(const Frame& fr);

}  // namespace rd
