// render_latex.cc: the TLatex subset used in histogram and axis titles.
//
// ROOT draws titles with TLatex: "#mu", "#eta", "p_{T}", "x^{2}",
// "#splitline{a}{b}", "#frac{a}{b}", "#bf{..}", "#it{..}", "#sqrt{..}".
// We parse that syntax into a tiny tree (text runs, groups, scripts, two-row
// constructs), measure it and draw it with cairo. A bare "_" or "^" not
// followed by "{" stays literal, so DQM names such as "Occupancy_Layer_1"
// read as written (ROOT would subscript the next character). Unknown "#word"
// commands are kept literally rather than dropped, so nothing disappears.
#include "render_core.h"

namespace rd {

void alignOffsets(int align, double w, double asc, double desc, double& dx, double& dy);

namespace {

// TLatex commands that stand for one character (ROOT's Symbol font table,
// TLatex.cxx). Greek letters take the serif face, as ROOT's Symbol font
// looks serif; operators and arrows stay in the surrounding font.
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

// A parsed formula: Text runs, Groups of items, scripts (Sup/Sub) over one
// group, two-row constructs (Split/Frac) and decorations (Sqrt/Over).
struct Node {
  enum Kind { Text, Group, Sup, Sub, Split, Frac, Sqrt, Over } kind = Text;
  std::string text;
  Font font = Font::Regular;
  std::vector<Node> kids;  // Group: items; Sup/Sub/Sqrt/Over: one group; Split/Frac: two groups
};

// Extent of a laid-out node in pixels: advance width, and ascent/descent
// measured from the baseline (positive values).
struct Box {
  double w = 0, asc = 0, desc = 0;
};

// Command names are runs of letters after "#".
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

// A "{...}" argument; a command without one gets an empty group.
Node parseArg(const std::string& s, size_t& i, Font f) {
  if (i < s.size() && s[i] == '{') {
    ++i;
    return parseGroup(s, i, f, true);
  }
  Node g;
  g.kind = Node::Group;
  return g;
}

// Reads items up to the closing brace (braced) or the end of the string.
// Plain characters accumulate into one run so that a word costs one cairo
// call; an unbalanced "{" simply runs to the end.
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
    if (c == '{') {  // a plain group: only scopes #bf/#it
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
      // Structural commands: two-row constructs, then commands with one argument.
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
      } else if (w == "left" || w == "right") {  // sized delimiters: the bracket follows as text
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

// TLatex shrinks scripts by about two thirds per level.
const double kScript = 0.7;  // size factor of ^{} and _{} (TLatex uses about 2/3)

// Scripts sit 0.4 em above or 0.25 em below the baseline (close to
// TLatex's offsets); the extents include them so that centred alignment
// centres the whole formula, not just its base line.
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
      // Two rows around the maths axis (0.3 em above the baseline); fractions
      // use smaller type, as TLatex does.
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

// Draws a node with its baseline starting at (x, y); mirrors measure().
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

// Most titles and all tick labels have no TLatex syntax: they skip the parser.
bool isPlain(const std::string& s) { return s.find_first_of("#^_{") == std::string::npos; }

}  // namespace

// Formulas are parsed on every call: parsing costs far less than drawing
// the glyphs, and caching would need keys with size and font.
double latexWidth(const Canvas& cv, const std::string& in, Font f, double px) {
  if (isPlain(in)) return textWidth(cv, in, f, px);
  const std::string s = toUtf8(in);  // runs are cut at ASCII specials, so they stay valid UTF-8
  size_t i = 0;
  Node root = parseGroup(s, i, f, false);
  return measure(cv, root, px).w;
}

void drawLatex(const Canvas& cv, const std::string& s, double x, double y, Font f, double px, int align,
               double angleDeg) {
  if (isPlain(s)) return drawText(cv, s, x, y, f, px, align, angleDeg);
  if (!(px >= 2.5) || !(px < 1e4)) return;
  const std::string u = toUtf8(s);
  size_t i = 0;
  Node root = parseGroup(u, i, f, false);
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
