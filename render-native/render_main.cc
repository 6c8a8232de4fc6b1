// render_main.cc: rd::renderPng, the drawing pipeline of spec/render.md §3.2.
//
// resolve style (rules, native pre_draw, user options) -> choose what to draw
// (message, scalar, 1D/2D plot in the requested reference mode) -> rule
// primitives and native post_draw -> "NaNs" warning -> PNG. The image surface
// is kept between requests of the same size; no other state survives a
// request.
#include <exception>

#include "render_core.h"

namespace rd {

namespace {

constexpr int RENDER_MAX_SIDE = 4096;

DebugFrame gLastFrame;

// TH3 is drawn as its XY projection (TH3::Project3D("xy"), z summed over
// the in-range bins), so the usual COLZ / BOX painters apply.
std::unique_ptr<Object> projectXY(const Object& o) {
  // Under/overflow in x and y are kept (they do not show); z under/overflow
  // are dropped, as Project3D does without the "UF/OF" options.
  auto p = std::make_unique<Object>();
  p->kind = Kind::TH2;
  p->cls = o.cls, p->name = o.name, p->title = o.title, p->option = o.option;
  p->x = o.x, p->y = o.y;
  p->contents.assign(size_t(o.x.nbins + 2) * size_t(o.y.nbins + 2), 0.0);
  for (int bz = 1; bz <= o.z.nbins; ++bz)
    for (int by = 0; by <= o.y.nbins + 1; ++by)
      for (int bx = 0; bx <= o.x.nbins + 1; ++bx) {
        size_t c = size_t(o.cell(bx, by, bz));
        if (c < o.contents.size()) p->contents[size_t(p->cell(bx, by))] += o.contents[c];
      }
  p->entries = o.entries, p->tsumw = o.tsumw, p->tsumw2 = o.tsumw2;
  p->tsumwx = o.tsumwx, p->tsumwx2 = o.tsumwx2, p->tsumwy = o.tsumwy, p->tsumwy2 = o.tsumwy2, p->tsumwxy = o.tsumwxy;
  return p;
}

// The image surface is reused while the size stays the same: most requests
// are thumbnails of one size, and a fresh 4096x4096 surface is 64 MiB.
// RGB24 because the PNG is opaque RGB anyway.
struct SurfaceCache {
  cairo_surface_t* surf = nullptr;
  int w = 0, h = 0;
  void drop() {
    if (surf) cairo_surface_destroy(surf);
    surf = nullptr, w = h = 0;
  }
} gSurface;

cairo_surface_t* surfaceFor(int w, int h) {
  if (gSurface.surf && (gSurface.w != w || gSurface.h != h)) gSurface.drop();
  if (!gSurface.surf) gSurface.surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h), gSurface.w = w, gSurface.h = h;
  return gSurface.surf;
}

// Images above this many pixels (16 MiB of surface) are not kept after the request.
constexpr long RENDER_KEEP_SURFACE_PIXELS = 4L << 20;

void releaseLargeSurface(int w, int h) {
  if (long(w) * h > RENDER_KEEP_SURFACE_PIXELS) gSurface.drop();
}

// Step 4 of §3.2: choose what to draw. Scalars and text objects become
// centred text, a missing main object a message, histograms a plot in the
// requested reference mode (stacked and ratio fall back as the original).
void paintRequest(const Canvas& cv, const RenderRequest& req, PaintCtx& ctx, bool& unsafe) {
  const Object* main = req.objects.empty() ? nullptr : req.objects[0].get();
  const Color grey = rgb255(64, 64, 64);
  if (req.scalar() || (main && main->kind == Kind::Text)) {
    bool empty = !main || (main->kind == Kind::Text && main->text.empty() && req.objects.size() == 1);
    if (empty) drawMessage(cv, req.name, "is not available now", grey);
    else drawScalar(cv, req);
    return;
  }
  if (!main) {
    drawMessage(cv, req.name, "is not available now", grey);
    return;
  }
  std::unique_ptr<Object> projected;
  if (main->kind == Kind::TH3) projected = projectXY(*main), main = projected.get();
  else if ((projected = compare2D(req, ctx.style))) main = projected.get();
  ctx.main = main;
  ctx.opt = parseDrawOpt(ctx.style.draw);
  // Type defaults (§3.3): TH1 with Sumw2 and TProfile get error bars.
  bool dataOpt = ctx.opt.hist || ctx.opt.error || ctx.opt.p || ctx.opt.l || ctx.opt.c || ctx.opt.star || ctx.opt.bar;
  if (main->dim() == 1 && !dataOpt && !ctx.opt.axisOnly && (main->kind == Kind::Profile || !main->sumw2.empty()))
    ctx.opt.error = 1;
  // The original checks Integral, RMS and SumOfWeights for NaN ("unsafe").
  Stats s = computeStats(*main, 1, main->x.nbins, 1, main->dim() >= 2 ? main->y.nbins : 1, false);
  unsafe = s.nan || std::isnan(sumOfWeights(*main));
  Rect full{0, 0, double(cv.width), double(cv.height)};
  RefMode mode = req.options.ref;
  if (main->dim() >= 2) {
    if (mode == RefMode::Stacked) return drawMessage(cv, req.name, "Stacking not supported", grey);
    paintPlot2D(cv, ctx);
  } else if (mode == RefMode::Stacked) {
    if (main->kind == Kind::Profile) return drawMessage(cv, req.name, "Stacking not supported", grey);
    paintPlot1D(cv, ctx, full, RefMode::Stacked);
  } else if (mode == RefMode::RatioOverlay && main->kind == Kind::TH1 && req.objects.size() > 1) {
    paintRatioOverlay(cv, ctx);
  } else {
    paintPlot1D(cv, ctx, full, RefMode::Object);
  }
  setLastFrame(ctx.frame);
  ctx.main = req.objects[0].get();  // the derived object dies with this scope
}

}  // namespace

const DebugFrame& lastFrame() { return gLastFrame; }

void setLastFrame(const Frame& fr) {
  gLastFrame.valid = true;
  gLastFrame.px0 = fr.box.x0, gLastFrame.py0 = fr.box.y0, gLastFrame.px1 = fr.box.x1, gLastFrame.py1 = fr.box.y1;
  gLastFrame.xmin = fr.x.lo, gLastFrame.xmax = fr.x.hi, gLastFrame.ymin = fr.y.lo, gLastFrame.ymax = fr.y.hi;
  gLastFrame.logx = fr.x.log, gLastFrame.logy = fr.y.log;
}

// Not reentrant: the surface, PNG buffers, fonts and palettes are cached in
// process-wide state, which suits the one-request-at-a-time daemon.
int renderPng(const RenderRequest& req, const PluginTable& plugins, std::vector<uint8_t>& png, std::string& error) {
  const int w = req.options.width, h = req.options.height;
  gLastFrame = DebugFrame();
  // Preconditions before any side effect (STYLE rule 20).
  if (w < 1 || h < 1 || w > RENDER_MAX_SIDE || h > RENDER_MAX_SIDE) {
    error = "Cannot render: image size " + std::to_string(w) + "x" + std::to_string(h) + " is outside 1..4096";
    return 2;
  }
  if (req.options.json) {
    error = "Cannot render: JSON output is produced by the server, not the render daemon";
    return 2;
  }
  Canvas cv;
  cv.surface = surfaceFor(w, h);
  if (cairo_surface_status(cv.surface) != CAIRO_STATUS_SUCCESS) {
    error = std::string("Cannot render: no image surface: ") + cairo_status_to_string(cairo_surface_status(cv.surface));
    gSurface.drop();
    return 2;
  }
  cv.width = w, cv.height = h;
  cv.cr = cairo_create(cv.surface);
  cairo_set_font_options(cv.cr, fontOptions());
  cairo_set_source_rgb(cv.cr, 1, 1, 1);
  cairo_paint(cv.cr);
  PaintCtx ctx;
  ctx.req = &req;
  resolveStyle(req, plugins, ctx.style);
  bool unsafe = false;
  int rc = 0;
  // An exception while drawing becomes a red message instead of the plot,
  // as in the original daemon; the request still gets an image.
  try {
    paintRequest(cv, req, ctx, unsafe);
  } catch (const std::exception& e) {
    cairo_set_source_rgb(cv.cr, 1, 1, 1);
    cairo_paint(cv.cr);
    drawMessage(cv, req.name, e.what(), rgb255(178, 32, 32));
  }
  if (ctx.main) runPostDraw(cv, req, ctx.style, ctx.frame);
  if (unsafe) drawMessage(cv, req.name, "NaNs", rgb255(178, 32, 32));
  if (cairo_status(cv.cr) != CAIRO_STATUS_SUCCESS) {
    error = std::string("Cannot render: cairo error: ") + cairo_status_to_string(cairo_status(cv.cr));
    rc = 2;
  }
  cairo_destroy(cv.cr);
  cairo_surface_flush(cv.surface);
  if (!encodePng(cairo_image_surface_get_data(cv.surface), w, h, cairo_image_surface_get_stride(cv.surface), png)) {
    error = "Cannot render: PNG encoding failed";
    return 2;
  }
  releaseLargeSurface(w, h);
  return rc;
}

}  // namespace rd
