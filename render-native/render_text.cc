// render_text.cc: fonts and plain text.
//
// ROOT's fonts 42 and 62 are Helvetica and Helvetica bold; Liberation Sans
// has the same metrics, so label widths and line breaks come out as in ROOT.
// Greek letters use Liberation Serif, which resembles ROOT's Symbol font.
// Text sizes follow ROOT (a fraction of the pad's smaller side) with a floor
// so that 266x200 thumbnails stay legible. TLatex lives in render_latex.cc.
#include <cstring>

#include "render_core.h"

namespace rd {

namespace {

// One toy face per style, created on first use and kept for the process.
cairo_font_face_t* face(Font f) {
  static cairo_font_face_t* faces[4] = {nullptr, nullptr, nullptr, nullptr};
  int i = int(f);
  if (!faces[i]) {
    const char* family = f == Font::Greek ? "Liberation Serif" : "Liberation Sans";
    faces[i] = cairo_toy_font_face_create(family, f == Font::Italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
                                          f == Font::Bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  }
  return faces[i];
}

}  // namespace

// cairo needs valid UTF-8: text functions given anything else put the
// cairo_t, or worse the cached scaled font (for good), into an error state.
// ROOT strings are bytes and often Latin-1 ("\xb5m"), so every byte that does
// not start a valid UTF-8 sequence is taken as a Latin-1 character.
std::string toUtf8(const std::string& s) {
  size_t i = 0, n = s.size();
  while (i < n && static_cast<unsigned char>(s[i]) < 0x80 && s[i] != 0) ++i;
  if (i == n) return s;  // plain ASCII: the common case
  std::string out = s.substr(0, i);
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len > 0 && i + len <= n && c != 0 && !(len == 2 && c < 0xc2) && !(len == 4 && c > 0xf4);
    for (int k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) >> 6) == 2;
    if (ok && len == 3) {  // no overlong forms, no surrogates
      unsigned char d = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xe0 && d < 0xa0) && !(c == 0xed && d >= 0xa0);
    }
    if (ok && len == 4) {
      unsigned char d = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xf0 && d < 0x90) && !(c == 0xf4 && d >= 0x90);
    }
    if (ok) {
      out.append(s, i, size_t(len));
      i += size_t(len);
    } else if (c == 0) {
      ++i;  // NUL would end the C string early
    } else {
      out += char(0xc0 | (c >> 6)), out += char(0x80 | (c & 0x3f));
      ++i;
    }
  }
  return out;
}

// Offsets from the anchor to the start of the baseline for ROOT's text
// alignment h*10+v (TAttText): h 1 left, 2 centre, 3 right; v 1 bottom,
// 2 middle, 3 top. "Bottom" sits slightly below the baseline as TText does.
void alignOffsets(int align, double w, double asc, double desc, double& dx, double& dy) {
  int h = align / 10, v = align % 10;
  dx = h == 2 ? -w / 2 : h == 3 ? -w : 0;
  dy = v == 1 ? -desc * 0.3 : v == 2 ? (asc - desc) / 2 : v == 3 ? asc : 0;
}

// The legibility floor: 8 px from about 200 px up, shrinking on smaller
// images so that tiny thumbnails do not fill up with text.
double Canvas::minFontPx() const {
  double m = std::min(width, height);
  return std::max(3.0, std::min(8.0, m * 0.04));
}

double Canvas::fontPx(double ndcSize, const Rect& pad) const {
  double px = ndcSize * std::min(pad.w(), pad.h());
  return std::max(px, minFontPx());
}

const cairo_font_options_t* fontOptions() {
  static cairo_font_options_t* o = nullptr;
  if (!o) {
    o = cairo_font_options_create();
    cairo_font_options_set_antialias(o, CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_hint_style(o, CAIRO_HINT_STYLE_SLIGHT);
    cairo_font_options_set_hint_metrics(o, CAIRO_HINT_METRICS_ON);
  }
  return o;
}

// Scaled fonts are kept for the life of the process: creating one through
// the toy font API resolves the face with fontconfig every time, which cost
// more than drawing the text. Sizes are quantised to 1/8 px.
cairo_scaled_font_t* scaledFont(Font f, double px) {
  struct Entry {
    int font, size8;
    cairo_scaled_font_t* sf;
  };
  static std::vector<Entry> cache;
  px = std::isfinite(px) ? std::min(std::max(px, 0.5), 2000.0) : 8;  // cairo wants an invertible, sane matrix
  int size8 = int(std::lround(px * 8));
  for (Entry& e : cache) {
    if (e.font != int(f) || e.size8 != size8) continue;
    if (cairo_scaled_font_status(e.sf) == CAIRO_STATUS_SUCCESS) return e.sf;
    cairo_scaled_font_destroy(e.sf);  // errors are sticky: never reuse a broken font
    e = cache.back();
    cache.pop_back();
    break;
  }
  if (cache.size() >= 256) {  // bounded: odd sizes come from odd image sizes
    for (Entry& e : cache) cairo_scaled_font_destroy(e.sf);
    cache.clear();
  }
  cairo_matrix_t fm, ctm;
  cairo_matrix_init_scale(&fm, size8 / 8.0, size8 / 8.0);
  cairo_matrix_init_identity(&ctm);
  cairo_scaled_font_t* sf = cairo_scaled_font_create(face(f), &fm, &ctm, fontOptions());
  cache.push_back({int(f), size8, sf});
  return sf;
}

void Canvas::setFont(Font f, double px) const { cairo_set_scaled_font(cr, scaledFont(f, px)); }

double textWidth(const Canvas& cv, const std::string& s, Font f, double px) {
  (void)cv;
  if (s.empty()) return 0;
  cairo_text_extents_t e;
  cairo_scaled_font_text_extents(scaledFont(f, px), toUtf8(s).c_str(), &e);
  return e.x_advance;  // the advance, not the ink: spacing matches the following text
}

// Plain text at (x, y) with ROOT alignment, rotated counter-clockwise by
// angleDeg around the anchor (axis titles use 90).
void drawText(const Canvas& cv, const std::string& s, double x, double y, Font f, double px, int align,
              double angleDeg) {
  if (s.empty() || !(px >= 2.5) || !(px < 1e4)) return;  // below 2.5 px glyphs are only noise
  const std::string u = toUtf8(s);
  double w = (align / 10 == 1) ? 0 : textWidth(cv, u, f, px);
  double dx, dy;
  alignOffsets(align, w, 0.72 * px, 0.2 * px, dx, dy);
  cairo_t* cr = cv.cr;
  cv.setFont(f, px);
  if (angleDeg != 0) {
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -angleDeg * M_PI / 180);
    cairo_move_to(cr, dx, dy);
    cairo_show_text(cr, u.c_str());
    cairo_restore(cr);
  } else {
    cairo_move_to(cr, x + dx, y + dy);
    cairo_show_text(cr, u.c_str());
  }
}

}  // namespace rd
