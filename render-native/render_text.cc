// render_text.cc: fonts, plain text and a small TLatex subset.
//
// ROOT draws titles with TLatex: "#mu", "#eta", "p_{T}", "x^{2}",
// "#splitline{a}{b}", "#frac{a}{b}", "#bf{..}", "#it{..}". We parse that
// syntax into a tiny tree, measure it and draw it with cairo. A bare "_" or
// "^" not followed by "{" stays literal, so DQM names such as
// "Occupancy_Layer_1" read as written (ROOT would subscript them).
#include <cstring>
#include <memory>

#include "render_core.h"

namespace rd {

namespace {

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

// TLatex commands that stand for one character (ROOT's Symbol font table).
struct SymbolName {
  const char* name;
  const char* utf8;
  bool greek;
};
const SymbolName kSymbols[] = {
    {"alpha", "α", 1}, {"beta", "β", 1}, {"gamma", "γ", 1}, {"delta", "δ", 1}, {"epsilon", "ε", 1},
    {"varepsilon", "ε", 1}, {"zeta", "ζ", 1}, {"eta", "η", 1}, {"theta", "θ", 1}, {"vartheta", "ϑ", 1},
    {"iota", "ι", 1}, {"kappa", "κ", 1}, {"lambda", "λ", 1}, {"mu", "μ", 1}, {"nu", "ν", 1},
    {"xi", "ξ", 1}, {"omicron", "ο", 1}, {"pi", "π", 1}, {"varpi", "ϖ", 1}, {"rho", "ρ", 1},
    {"sigma", "σ", 1}, {"varsigma", "ς", 1}, {"tau", "τ", 1}, {"upsilon", "υ", 1}, {"phi", "φ", 1},
    {"varphi", "ϕ", 1}, {"chi", "χ", 1}, {"psi", "ψ", 1}, {"omega", "ω", 1}, {"Alpha", "Α", 1},
    {"Beta", "Β", 1}, {"Gamma", "Γ", 1}, {"Delta", "Δ", 1}, {"Epsilon", "Ε", 1}, {"Zeta", "Ζ", 1},
    {"Eta", "Η", 1}, {"Theta", "Θ", 1}, {"Iota", "Ι", 1}, {"Kappa", "Κ", 1}, {"Lambda", "Λ", 1},
    {"Mu", "Μ", 1}, {"Nu", "Ν", 1}, {"Xi", "Ξ", 1}, {"Omicron", "Ο", 1}, {"Pi", "Π", 1},
    {"Rho", "Ρ", 1}, {"Sigma", "Σ", 1}, {"Tau", "Τ", 1}, {"Upsilon", "Υ", 1}, {"Phi", "Φ", 1},
    {"Chi", "Χ", 1}, {"Psi", "Ψ", 1}, {"Omega", "Ω", 1}, {"pm", "±", 0}, {"mp", "∓", 0},
    {"times", "×", 0}, {"cdot", "·", 0}, {"upoint", "·", 0}, {"bullet", "•", 0}, {"div", "÷", 0},
    {"leq", "≤", 0}, {"geq", "≥", 0}, {"neq", "≠", 0}, {"approx", "≈", 0}, {"equiv", "≡", 0},
    {"sim", "∼", 0}, {"propto", "∝", 0}, {"infty", "∞", 0}, {"partial", "∂", 0}, {"nabla", "∇", 0},
    {"sum", "∑", 0}, {"int", "∫", 0}, {"rightarrow", "→", 0}, {"leftarrow", "←", 0},
    {"leftrightarrow", "↔", 0}, {"Rightarrow", "⇒", 0}, {"Leftarrow", "⇐", 0}, {"uparrow", "↑", 0},
    {"downarrow", "↓", 0}, {"circ", "°", 0}, {"degree", "°", 0}, {"prime", "′", 0}, {"in", "∈", 0},
    {"notin", "∉", 0}, {"ell", "ℓ", 0}, {"hbar", "ħ", 0}, {"perp", "⊥", 0}, {"oplus", "⊕", 0},
    {"otimes", "⊗", 0}, {"cap", "∩", 0}, {"cup", "∪", 0}, {"forall", "∀", 0}, {"exists", "∃", 0},
    {"wedge", "∧", 0}, {"vee", "∨", 0}, {"ll", "≪", 0}, {"gg", "≫", 0}, {"dagger", "†", 0},
    {"void", "", 0}, {"AA", "Å", 0}, {"aa", "å", 0}, {"Box", "□", 0}, {"odot", "⊙", 0},
};

struct Node {
  enum Kind { Text, Group, Sup, Sub, Split, Frac, Sqrt, Over } kind = Text;
  std::string text;
  Font font = Font::Regular;
  std::vector<Node> kids;  // Group: items; Sup/Sub/Sqrt/Over: one group; Split/Frac: two groups
};

struct Box {
  double w = 0, asc = 0, desc = 0;
};

std::string readWord(const std::string& s, size_t& i) {
  size_t b = i;
  while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(b, i - b);
}

void skipBracket(const std::string& s, size_t& i) {  // "[...]" arguments we ignore
  if (i < s.size() && s[i] == '[') {
    size_t e = s.find(']', i);
    i = e == std::string::npos ? s.size() : e + 1;
  }
}

Node parseGroup(const std::string& s, size_t& i, Font f, bool braced);

Node parseArg(const std::string& s, size_t& i, Font f) {
  if (i < s.size() && s[i] == '{') {
    ++i;
    return parseGroup(s, i, f, true);
  }
  Node g;
  g.kind = Node::Group;
  return g;
}

Node parseGroup(const std::string& s, size_t& i, Font f, bool braced) {
  Node g;
  g.kind = Node::Group;
  std::string run;
  auto flush = [&]() {
    if (run.empty()) return;
    Node t;
    t.text = run;
    t.font = f;
    g.kids.push_back(std::move(t));
    run.clear();
  };
  while (i < s.size()) {
    char c = s[i];
    if (c == '}' && braced) {
      ++i;
      break;
    }
    if ((c == '^' || c == '_') && i + 1 < s.size() && s[i + 1] == '{') {
      flush();
      i += 2;
      Node n;
      n.kind = c == '^' ? Node::Sup : Node::Sub;
      n.kids.push_back(parseGroup(s, i, f, true));
      g.kids.push_back(std::move(n));
      continue;
    }
    if (c == '{') {
      flush();
      ++i;
      g.kids.push_back(parseGroup(s, i, f, true));
      continue;
    }
    if (c == '#' && i + 1 < s.size() && std::isalpha(static_cast<unsigned char>(s[i + 1]))) {
      size_t save = i;
      ++i;
      std::string w = readWord(s, i);
      bool done = false;
      for (const auto& sym : kSymbols) {
        if (w == sym.name) {
          flush();
          Node t;
          t.text = sym.utf8;
          t.font = sym.greek ? Font::Greek : f;
          g.kids.push_back(std::move(t));
          done = true;
          break;
        }
      }
      if (done) continue;
      flush();
      if (w == "splitline" || w == "frac") {
        Node n;
        n.kind = w == "frac" ? Node::Frac : Node::Split;
        n.kids.push_back(parseArg(s, i, f));
        n.kids.push_back(parseArg(s, i, f));
        g.kids.push_back(std::move(n));
      } else if (w == "bf" || w == "it" || w == "mbox" || w == "hat" || w == "tilde" || w == "vec" ||
                 w == "dot" || w == "color" || w == "font" || w == "scale" || w == "lower" || w == "bar" ||
                 w == "overline" || w == "sqrt") {
        skipBracket(s, i);
        Font nf = w == "bf" ? Font::Bold : w == "it" ? Font::Italic : f;
        Node arg = parseArg(s, i, nf);
        if (w == "sqrt" || w == "bar" || w == "overline") {
          Node n;
          n.kind = w == "sqrt" ? Node::Sqrt : Node::Over;
          n.kids.push_back(std::move(arg));
          g.kids.push_back(std::move(n));
        } else {
          g.kids.push_back(std::move(arg));
        }
      } else if (w == "left" || w == "right") {
        // "#left(" draws the bracket itself; sizing is not modelled.
      } else if (w == "kern") {
        skipBracket(s, i);
      } else {
        run += s.substr(save, i - save);  // unknown: keep literally
      }
      continue;
    }
    run += c;
    ++i;
  }
  flush();
  return g;
}

const double kScript = 0.7;  // size factor of ^{} and _{} (TLatex uses about 2/3)

Box measure(const Canvas& cv, const Node& n, double px) {
  Box b;
  switch (n.kind) {
    case Node::Text: {
      b.w = textWidth(cv, n.text, n.font, px);
      b.asc = 0.75 * px, b.desc = 0.22 * px;
      break;
    }
    case Node::Group:
      b.asc = 0.75 * px, b.desc = 0.22 * px;
      for (const auto& k : n.kids) {
        Box kb = measure(cv, k, px);
        b.w += kb.w, b.asc = std::max(b.asc, kb.asc), b.desc = std::max(b.desc, kb.desc);
      }
      break;
    case Node::Sup:
    case Node::Sub: {
      Box kb = measure(cv, n.kids[0], px * kScript);
      b.w = kb.w;
      if (n.kind == Node::Sup) b.asc = 0.4 * px + kb.asc, b.desc = 0;
      else b.asc = 0, b.desc = 0.25 * px + kb.desc;
      break;
    }
    case Node::Split:
    case Node::Frac: {
      double s = n.kind == Node::Frac ? 0.8 : 1.0;
      Box t = measure(cv, n.kids[0], px * s), u = measure(cv, n.kids[1], px * s);
      b.w = std::max(t.w, u.w);
      b.asc = 0.3 * px + t.desc + t.asc + 0.1 * px;
      b.desc = u.asc + u.desc - 0.2 * px;
      break;
    }
    case Node::Sqrt:
    case Node::Over: {
      Box kb = measure(cv, n.kids[0], px);
      b = kb;
      if (n.kind == Node::Sqrt) b.w += 0.6 * px;
      b.asc += 0.12 * px;
      break;
    }
  }
  return b;
}

void draw(const Canvas& cv, const Node& n, double x, double y, double px) {
  cairo_t* cr = cv.cr;
  switch (n.kind) {
    case Node::Text:
      cv.setFont(n.font, px);
      cairo_move_to(cr, x, y);
      cairo_show_text(cr, n.text.c_str());
      break;
    case Node::Group:
      for (const auto& k : n.kids) {
        draw(cv, k, x, y, px);
        x += measure(cv, k, px).w;
      }
      break;
    case Node::Sup:
      draw(cv, n.kids[0], x, y - 0.4 * px, px * kScript);
      break;
    case Node::Sub:
      draw(cv, n.kids[0], x, y + 0.25 * px, px * kScript);
      break;
    case Node::Split:
    case Node::Frac: {
      double s = n.kind == Node::Frac ? 0.8 : 1.0;
      Box t = measure(cv, n.kids[0], px * s), u = measure(cv, n.kids[1], px * s);
      double w = std::max(t.w, u.w);
      double off = n.kind == Node::Frac ? 0.5 : 0.0;  // fractions centre their parts
      draw(cv, n.kids[0], x + off * (w - t.w), y - 0.3 * px - t.desc - 0.1 * px, px * s);
      draw(cv, n.kids[1], x + off * (w - u.w), y - 0.2 * px + u.asc, px * s);
      if (n.kind == Node::Frac) {
        cairo_set_line_width(cr, std::max(0.5, px / 16));
        cairo_move_to(cr, x, y - 0.3 * px);
        cairo_line_to(cr, x + w, y - 0.3 * px);
        cairo_stroke(cr);
      }
      break;
    }
    case Node::Sqrt:
    case Node::Over: {
      Box kb = measure(cv, n.kids[0], px);
      double lead = n.kind == Node::Sqrt ? 0.6 * px : 0;
      double top = y - kb.asc - 0.06 * px;
      cairo_set_line_width(cr, std::max(0.5, px / 16));
      if (n.kind == Node::Sqrt) {
        cairo_move_to(cr, x + 0.05 * px, y - 0.3 * px);
        cairo_line_to(cr, x + 0.2 * px, y - 0.38 * px);
        cairo_line_to(cr, x + 0.35 * px, y + 0.1 * px);
        cairo_line_to(cr, x + 0.5 * px, top);
      } else {
        cairo_move_to(cr, x, top);
      }
      cairo_line_to(cr, x + lead + kb.w, top);
      cairo_stroke(cr);
      draw(cv, n.kids[0], x + lead, y, px);
      break;
    }
  }
}

bool isPlain(const std::string& s) { return s.find_first_of("#^_{") == std::string::npos; }

// Baseline offset and left offset for ROOT alignment h*10+v given the extent.
void alignOffsets(int align, double w, double asc, double desc, double& dx, double& dy) {
  int h = align / 10, v = align % 10;
  dx = h == 2 ? -w / 2 : h == 3 ? -w : 0;
  dy = v == 1 ? -desc * 0.3 : v == 2 ? (asc - desc) / 2 : v == 3 ? asc : 0;
}

}  // namespace

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
  int size8 = int(std::lround(px * 8));
  for (const Entry& e : cache)
    if (e.font == int(f) && e.size8 == size8) return e.sf;
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
  cairo_scaled_font_text_extents(scaledFont(f, px), s.c_str(), &e);
  return e.x_advance;
}

void drawText(const Canvas& cv, const std::string& s, double x, double y, Font f, double px, int align,
              double angleDeg) {
  if (s.empty() || px < 2.5) return;
  double w = (align / 10 == 1) ? 0 : textWidth(cv, s, f, px);
  double dx, dy;
  alignOffsets(align, w, 0.72 * px, 0.2 * px, dx, dy);
  cairo_t* cr = cv.cr;
  cv.setFont(f, px);
  if (angleDeg != 0) {
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -angleDeg * M_PI / 180);
    cairo_move_to(cr, dx, dy);
    cairo_show_text(cr, s.c_str());
    cairo_restore(cr);
  } else {
    cairo_move_to(cr, x + dx, y + dy);
    cairo_show_text(cr, s.c_str());
  }
}

double latexWidth(const Canvas& cv, const std::string& s, Font f, double px) {
  if (isPlain(s)) return textWidth(cv, s, f, px);
  size_t i = 0;
  Node root = parseGroup(s, i, f, false);
  return measure(cv, root, px).w;
}

void drawLatex(const Canvas& cv, const std::string& s, double x, double y, Font f, double px, int align,
               double angleDeg) {
  if (isPlain(s)) return drawText(cv, s, x, y, f, px, align, angleDeg);
  if (px < 2.5) return;
  size_t i = 0;
  Node root = parseGroup(s, i, f, false);
  Box b = measure(cv, root, px);
  double dx, dy;
  alignOffsets(align, b.w, std::max(0.72 * px, b.asc), std::max(0.2 * px, b.desc), dx, dy);
  cairo_t* cr = cv.cr;
  cairo_save(cr);
  cairo_translate(cr, x, y);
  if (angleDeg != 0) cairo_rotate(cr, -angleDeg * M_PI / 180);
  draw(cv, root, dx, dy, px);
  cairo_restore(cr);
}

}  // namespace rd
