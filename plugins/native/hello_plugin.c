/* hello_plugin.c: the example native render plugin (STYLE rule 11; cf. Redis's
 * src/modules/hello*.c). It applies to ME paths containing "hello_native",
 * hides the stat box in pre_draw, and in post_draw draws a framed
 * "hello, native" label in the top-left corner of the plot frame.
 *
 * Build: make -C render-native  ->  render-native/build/plugins/hello_plugin.so
 * Load:  dqm-render --state-directory DIR/ --plugin render-native/build/plugins/hello_plugin.so */
#include <cairo.h>
#include <string.h>

#include "plugin_api.h"

static int hello_applies(const dqm_object_info *info) {
  return info->path && strstr(info->path, "hello_native") != NULL;
}

static void hello_pre_draw(const dqm_object_info *info, dqm_style *style) {
  (void)info;
  style->stats = 0;
}

static void hello_post_draw(const dqm_object_info *info, const dqm_frame *frame) {
  const char *text = "hello, native";
  cairo_t *cr = frame->cr;
  cairo_text_extents_t ext;
  double x = frame->px0 + 4, y = frame->py0 + 4;
  (void)info;
  cairo_save(cr);
  cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(cr, 11);
  cairo_text_extents(cr, text, &ext);
  cairo_rectangle(cr, x, y, ext.x_advance + 8, ext.height + 8);
  cairo_set_source_rgb(cr, 1.0, 1.0, 0.8);
  cairo_fill_preserve(cr);
  cairo_set_source_rgb(cr, 0.0, 0.2, 1.0);
  cairo_set_line_width(cr, 1);
  cairo_stroke(cr);
  cairo_move_to(cr, x + 4 - ext.x_bearing, y + 4 - ext.y_bearing);
  cairo_show_text(cr, text);
  cairo_restore(cr);
}

static const dqm_plugin hello_plugin = {
    DQM_PLUGIN_APIVER, "hello", hello_applies, hello_pre_draw, hello_post_draw,
};

const dqm_plugin *dqm_plugin_v1(void) { return &hello_plugin; }
