// render_message.cc: scalars, messages drawn instead of a plot, and colours.
//
// Messages (spec/render.md §3.11): two centred lines in Helvetica bold, the
// ME label at NDC y 0.58 (size 0.10) and the message at 0.42 (size 0.08),
// sizes relative to the smaller image side. Scalars (§3.3): one centred line
// per "\n"-separated line at 16 px bold, whatever the image size.
#include <sstream>

#include "render_core.h"

namespace rd {

Color refColor(int n) {
  // kGray, kAzure, kOrange+7, kRed+1, kMagenta+2, kGreen-3 (§3.7).
  static const int rgb[6][3] = {{205, 205, 205}, {0, 51, 255}, {255, 102, 0}, {204, 0, 0}, {153, 0, 153}, {51, 204, 51}};
  int i = ((n % 6) + 6) % 6;
  return rgb255(rgb[i][0], rgb[i][1], rgb[i][2]);
}

// "#rrggbb" or "#rrggbbaa" as the rule files write colours.
bool parseColor(const std::string& s, Color& out) {
  if ((s.size() != 7 && s.size() != 9) || s[0] != '#') return false;
  unsigned v[4] = {0, 0, 0, 255};
  for (size_t i = 0; i < (s.size() - 1) / 2; ++i) {
    unsigned x = 0;
    for (size_t k = 1 + 2 * i; k < 3 + 2 * i; ++k) {
      int c = s[k] | 32;  // lower case
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (d < 0) return false;
      x = x * 16 + unsigned(d);
    }
    v[i] = x;
  }
  out = {v[0] / 255.0, v[1] / 255.0, v[2] / 255.0, v[3] / 255.0};
  return true;
}

namespace {
// The label of line 1: the last path component, shortened past 20 characters.
std::string shortLabel(const std::string& path) {
  size_t p = path.rfind('/');
  std::string n = p == std::string::npos ? path : path.substr(p + 1);
  if (n.size() < 20) return n;
  return n.substr(0, 12) + "..." + n.substr(n.size() - 5);
}
}  // namespace

// Line 1 (the label) at NDC y 0.58, line 2 (the message) at 0.42.
void drawMessage(const Canvas& cv, const std::string& name, const std::string& msg, const Color& c) {
  double m = std::min(cv.width, cv.height);
  cv.setColor(c);
  drawText(cv, shortLabel(name), cv.width * 0.5, cv.height * 0.42, Font::Bold, 0.10 * m, 22);
  drawText(cv, msg, cv.width * 0.5, cv.height * 0.58, Font::Bold, 0.08 * m, 22);
}

void drawScalar(const Canvas& cv, const RenderRequest& req) {
  std::vector<std::string> lines;
  for (const auto& obj : req.objects) {
    if (!obj) continue;
    std::istringstream in(obj->kind == Kind::Text ? obj->text : obj->title);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
  }
  // 16 px (font 63, pixel-precision) as the original, smaller only when the
  // lines would not fit the image height.
  double px = std::min(16.0, std::max(3.0, 0.9 * cv.height / std::max<size_t>(1, lines.size())));
  double lineH = px * 1.2;
  double y = 0.5 * cv.height - 0.5 * lineH * (lines.size() - 1);
  cairo_set_source_rgb(cv.cr, 0, 0, 0);
  for (const auto& l : lines) {
    double w = textWidth(cv, l, Font::Bold, px);
    double s = w > cv.width * 0.98 ? px * cv.width * 0.98 / w : px;  // long values shrink to fit
    drawText(cv, l, 0.5 * cv.width, y, Font::Bold, s, 22);
    y += lineH;
  }
}

}  // namespace rd
