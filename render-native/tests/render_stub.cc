// render_stub.cc: TEST-ONLY stand-in for the drawing code (render_*.cc), linked
// into build/dqm-render-stub and never into the real daemon. It returns a
// blank white PNG of the requested size, so protocol tests can check the
// IHDR; object requests get the main object's class written in the
// error string for debugging only.
#include <cairo.h>

#include "../render_model.h"
#include "../render_plugins.h"

namespace rd {

namespace {
cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::vector<uint8_t>*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}
}  // namespace

int renderPng(const RenderRequest& request, const PluginTable&, std::vector<uint8_t>& png, std::string& error) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, request.options.width, request.options.height);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_destroy(cr);
  png.clear();
  cairo_status_t st = cairo_surface_write_to_png_stream(s, append, &png);
  cairo_surface_destroy(s);
  if (st != CAIRO_STATUS_SUCCESS) {
    error = "stub: cannot encode PNG";
    return 2;
  }
  return 0;
}

}  // namespace rd
