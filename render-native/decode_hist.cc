// decode_hist.cc: the histogram classes of ROOT 6 (spec/formats.md §1.9.4-1.9.6;
// ROOT hist/hist/src/TH1.cxx, TH2.cxx, TH3.cxx, TProfile.cxx, TProfile2D.cxx,
// TAxis.cxx). Each reader checks its version (decode_tbuffer.cc table) and
// its byte count, and the result is validated so that drawing code can index
// cells without bounds worries (see checkShape).
#include <cmath>

#include "decode_context.h"
#include "decode_tbuffer.h"

namespace rd {

namespace {

// Element type of a bare TArray (spec/formats.md §1.1: i32 n, then n values, no header).
enum class Elem { C, S, I, F, D };

// Values widen to double for drawing; TH1C/S/I keep their integer values
// exactly. The count is checked against DECODE_MAX_CELLS and then against the
// bytes present, so a forged count cannot make us allocate.
bool readArray(DecodeContext& d, Elem e, std::vector<double>& out, const char* what) {
  int32_t n = d.r.i32();
  if (!d.ok()) return false;
  size_t width = e == Elem::C ? 1 : e == Elem::S ? 2 : e == Elem::D ? 8 : 4;
  if (n < 0 || uint32_t(n) > DECODE_MAX_CELLS) {
    d.corrupt(std::string(what) + " has " + std::to_string(n) + " elements (limit " +
              std::to_string(DECODE_MAX_CELLS) + ")");
    return false;
  }
  if (!d.r.need(size_t(n) * width)) return d.ok();  // check before allocating
  out.resize(size_t(n));
  for (auto& v : out) {
    switch (e) {
      case Elem::C: v = int8_t(d.r.u8()); break;
      case Elem::S: v = d.r.i16(); break;
      case Elem::I: v = d.r.i32(); break;
      case Elem::F: v = d.r.f32(); break;
      case Elem::D: v = d.r.f64(); break;
    }
  }
  return d.ok();
}

// A base class whose members drawing ignores (TAttLine, TAttFill, TAttMarker,
// TAttAxis, TAtt3D): the classic daemon resets them with UseCurrentStyle()
// anyway (spec/render.md §3.1). Version and byte count are still checked.
bool skipVersioned(DecodeContext& d, const char* cls) {
  VersionHeader v;
  if (!d.readVersion(cls, supportedVersion(cls), v)) return false;
  d.r.seek(v.start + 4 + v.byteCount);
  return d.ok();
}

// TNamed v1 (spec/formats.md §1.9.2).
bool readTNamed(DecodeContext& d, std::string& name, std::string& title, uint32_t& uid, uint32_t& bits) {
  VersionHeader v;
  if (!d.readVersion("TNamed", 1, v)) return false;
  Crumb crumb(d, "TNamed", v.version);
  if (!readTObject(d, uid, bits)) return false;
  name = d.r.tstring();
  title = d.r.tstring();
  return d.checkByteCount(v, "TNamed");
}

// Label lists: a THashList of TObjString whose fUniqueID is the bin (TAxis::SetBinLabel).
struct LabelSink {
  Axis* axis;
};

// Labels outside 1..nbins are ignored as TAxis::GetBinLabel would never
// find them; the vector is only allocated once a usable label appears.
bool labelHandler(DecodeContext& d, const std::string& cls, void* user, TaggedObject& tagged) {
  if (cls != "TObjString") return false;  // anything else is skipped by byte count
  if (!readTObjStringBody(d, tagged)) return false;
  Axis* a = static_cast<LabelSink*>(user)->axis;
  if (tagged.uniqueId >= 1 && tagged.uniqueId <= uint32_t(a->nbins) && uint32_t(a->nbins) <= DECODE_MAX_LABELLED_BINS) {
    if (a->labels.empty()) a->labels.resize(size_t(a->nbins) + 1);
    a->labels[tagged.uniqueId] = tagged.text;
  }
  return true;
}

// fLabels and fModLabs slots: a TList/THashList body is read (so the class
// tags of its elements are registered); any other class is skipped. Without
// a sink (fModLabs) the elements are only registered, never decoded.
bool listHandler(DecodeContext& d, const std::string& cls, void* user, TaggedObject&) {
  if (cls != "TList" && cls != "THashList") return false;
  auto* sink = static_cast<LabelSink*>(user);
  return readListBody(d, cls.c_str(), sink ? labelHandler : nullptr, sink);
}

// TAxis v10 (spec/formats.md §1.9.5).
bool readTAxis(DecodeContext& d, Axis& a) {
  VersionHeader v;
  if (!d.readVersion("TAxis", 10, v)) return false;
  Crumb crumb(d, "TAxis", v.version);
  std::string name;
  uint32_t uid, bits;
  if (!readTNamed(d, name, a.title, uid, bits)) return false;
  if (!skipVersioned(d, "TAttAxis")) return false;
  int32_t nbins = d.r.i32();
  a.xmin = d.r.f64();
  a.xmax = d.r.f64();
  if (!d.ok()) return false;
  // Every bin (plus under/overflow) needs at least one byte of fArray in this record.
  if (nbins < 1 || uint32_t(nbins) > DECODE_MAX_CELLS || size_t(nbins) + 2 > d.r.size()) {
    d.corrupt("fNbins is " + std::to_string(nbins) + " (record has " + std::to_string(d.r.size()) + " bytes)");
    return false;
  }
  a.nbins = nbins;
  if (!readArray(d, Elem::D, a.edges, "fXbins")) return false;
  if (!a.edges.empty() && a.edges.size() != size_t(nbins) + 1) {
    d.corrupt("fXbins has " + std::to_string(a.edges.size()) + " edges for " + std::to_string(nbins) + " bins");
    return false;
  }
  // fFirst/fLast: the zoom range stored by SetRange (0 = whole axis).
  a.first = d.r.i32();
  a.last = d.r.i32();
  a.bits2 = d.r.u16();
  a.timeDisplay = d.r.u8() != 0;
  a.timeFormat = d.r.tstring();
  LabelSink sink{&a};
  // fLabels (THashList of TObjString) and fModLabs (TList of TAxisModLab) are object slots.
  if (readObjectSlot(d, listHandler, &sink) == SlotResult::Failed) return false;
  if (readObjectSlot(d, listHandler, nullptr) == SlotResult::Failed) return false;
  return d.checkByteCount(v, "TAxis");
}

// TH1 v8 (spec/formats.md §1.9.6).
bool readTH1(DecodeContext& d, Object& o, int32_t& ncells) {
  VersionHeader v;
  if (!d.readVersion("TH1", 8, v)) return false;
  Crumb crumb(d, "TH1", v.version);
  if (!readTNamed(d, o.name, o.title, o.uniqueId, o.bits)) return false;
  if (!skipVersioned(d, "TAttLine") || !skipVersioned(d, "TAttFill") || !skipVersioned(d, "TAttMarker"))
    return false;
  // fNcells is validated against the axes and the cell array in checkShape.
  ncells = d.r.i32();
  if (!readTAxis(d, o.x) || !readTAxis(d, o.y) || !readTAxis(d, o.z)) return false;
  // Statistics sums in TH1's member order; fMaximum/fMinimum are kUnset (-1111) when not set.
  o.barOffset = d.r.i16();
  o.barWidth = d.r.i16();
  o.entries = d.r.f64();
  o.tsumw = d.r.f64();
  o.tsumw2 = d.r.f64();
  o.tsumwx = d.r.f64();
  o.tsumwx2 = d.r.f64();
  o.maximum = d.r.f64();
  o.minimum = d.r.f64();
  o.normFactor = d.r.f64();
  if (!readArray(d, Elem::D, o.contour, "fContour")) return false;
  if (!readArray(d, Elem::D, o.sumw2, "fSumw2")) return false;
  o.option = d.r.tstring();
  // fFunctions is a "->" member: the TList body is streamed in place, with its
  // own byte count and version but no class tag (not an object slot).
  if (!readListBody(d, "TList", nullptr, nullptr)) return false;
  int32_t bufferSize = d.r.i32();
  uint8_t present = d.r.u8();  // counted pointer `//[fBufferSize]` (spec/formats.md §1.1)
  if (!d.ok()) return false;
  if (present) {
    if (bufferSize < 0 || !d.r.need(size_t(bufferSize) * 8)) {
      if (d.ok()) d.corrupt("fBufferSize is " + std::to_string(bufferSize));
      return false;
    }
    d.r.skip(size_t(bufferSize) * 8);
  }
  // fBuffer (above) holds unbinned fills not yet merged; ROOT flushes it on
  // write, so we skip it. fBinStatErrOpt and fStatOverflows do not affect drawing.
  d.r.i32();  // fBinStatErrOpt
  d.r.i32();  // fStatOverflows
  return d.checkByteCount(v, "TH1");
}

// TH2 v5: TH1, then fScalefactor and the y sums (spec/formats.md §1.9.6).
bool readTH2(DecodeContext& d, Object& o, int32_t& ncells) {
  VersionHeader v;
  if (!d.readVersion("TH2", 5, v)) return false;
  Crumb crumb(d, "TH2", v.version);
  if (!readTH1(d, o, ncells)) return false;
  d.r.f64();  // fScalefactor
  o.tsumwy = d.r.f64();
  o.tsumwy2 = d.r.f64();
  o.tsumwxy = d.r.f64();
  return d.checkByteCount(v, "TH2");
}

// TH3 v6: TH1, TAtt3D (empty), then the y and z sums.
bool readTH3(DecodeContext& d, Object& o, int32_t& ncells) {
  VersionHeader v;
  if (!d.readVersion("TH3", 6, v)) return false;
  Crumb crumb(d, "TH3", v.version);
  if (!readTH1(d, o, ncells) || !skipVersioned(d, "TAtt3D")) return false;
  o.tsumwy = d.r.f64();
  o.tsumwy2 = d.r.f64();
  o.tsumwxy = d.r.f64();
  o.tsumwz = d.r.f64();
  o.tsumwz2 = d.r.f64();
  o.tsumwxz = d.r.f64();
  o.tsumwyz = d.r.f64();
  return d.checkByteCount(v, "TH3");
}

Elem elemOf(char c) {
  switch (c) {
    case 'C': return Elem::C;
    case 'S': return Elem::S;
    case 'I': return Elem::I;
    case 'F': return Elem::F;
    default: return Elem::D;
  }
}

// TH{1,2,3}{C,S,I,F,D}: the dimension's base, then the bare TArray of cells.
bool readTHn(DecodeContext& d, const std::string& cls, Object& o, int32_t& ncells) {
  VersionHeader v;
  if (!d.readVersion(cls.c_str(), supportedVersion(cls), v)) return false;
  Crumb crumb(d, cls.c_str(), v.version);
  char dim = cls[2];
  bool base = dim == '1' ? readTH1(d, o, ncells) : dim == '2' ? readTH2(d, o, ncells) : readTH3(d, o, ncells);
  if (!base || !readArray(d, elemOf(cls[3]), o.contents, "fArray")) return false;
  return d.checkByteCount(v, cls.c_str());
}

// TProfile v7 / TProfile2D v8: TH1D / TH2D, fBinEntries, fErrorMode, the
// value range, the extra sums and fBinSumw2.
bool readProfile(DecodeContext& d, const std::string& cls, Object& o, int32_t& ncells) {
  bool is2d = cls == "TProfile2D";
  VersionHeader v;
  if (!d.readVersion(cls.c_str(), is2d ? 8 : 7, v)) return false;
  Crumb crumb(d, cls.c_str(), v.version);
  if (!readTHn(d, is2d ? "TH2D" : "TH1D", o, ncells)) return false;
  if (!readArray(d, Elem::D, o.binEntries, "fBinEntries")) return false;
  o.errorMode = d.r.i32();
  o.pmin = d.r.f64();
  o.pmax = d.r.f64();
  double s = d.r.f64(), s2 = d.r.f64();
  if (is2d) { o.tsumwz = s; o.tsumwz2 = s2; } else { o.tsumwy = s; o.tsumwy2 = s2; }
  if (!readArray(d, Elem::D, o.binSumw2, "fBinSumw2")) return false;
  return d.checkByteCount(v, cls.c_str());
}

// Guarantees for the drawing side: fNcells = (nx+2)(ny+2)(nz+2) over the
// dimensions used, and every per-cell array has that length (or is empty
// where ROOT allows it), so Object::cell() indexes stay in range.
bool checkShape(DecodeContext& d, const std::string& cls, Object& o, int32_t ncells) {
  uint64_t expect = uint64_t(o.x.nbins) + 2;
  if (o.kind == Kind::TH2 || o.kind == Kind::Profile2D || o.kind == Kind::TH3) expect *= uint64_t(o.y.nbins) + 2;
  if (o.kind == Kind::TH3) expect *= uint64_t(o.z.nbins) + 2;
  auto bad = [&](const std::string& why) {
    d.corrupt(why);
    return false;
  };
  if (ncells < 0 || uint64_t(ncells) != expect)
    return bad("fNcells is " + std::to_string(ncells) + ", axes give " + std::to_string(expect));
  size_t n = size_t(ncells);
  if (o.contents.size() != n) return bad("fArray has " + std::to_string(o.contents.size()) + " cells, fNcells is " + std::to_string(n));
  if (!o.sumw2.empty() && o.sumw2.size() != n) return bad("fSumw2 has " + std::to_string(o.sumw2.size()) + " cells, fNcells is " + std::to_string(n));
  bool profile = o.kind == Kind::Profile || o.kind == Kind::Profile2D;
  if (profile && o.binEntries.size() != n) return bad("fBinEntries has " + std::to_string(o.binEntries.size()) + " cells, fNcells is " + std::to_string(n));
  if (!o.binSumw2.empty() && o.binSumw2.size() != n) return bad("fBinSumw2 has " + std::to_string(o.binSumw2.size()) + " cells, fNcells is " + std::to_string(n));
  (void)cls;
  return true;
}

}  // namespace

bool isHistogramClass(const std::string& cls) {
  if (cls == "TProfile" || cls == "TProfile2D") return true;
  return cls.size() == 4 && cls[0] == 'T' && cls[1] == 'H' && (cls[2] >= '1' && cls[2] <= '3') &&
         std::string("CSIFD").find(cls[3]) != std::string::npos;
}

// The kind follows the class name (TProfile is a TH1D, TProfile2D a TH2D,
// as dynamic_cast saw them in the classic daemon, spec/render.md §3.3).
bool readHistogram(DecodeContext& d, const std::string& cls, Object& o) {
  o.cls = cls;
  if (cls == "TProfile") o.kind = Kind::Profile;
  else if (cls == "TProfile2D") o.kind = Kind::Profile2D;
  else o.kind = cls[2] == '1' ? Kind::TH1 : cls[2] == '2' ? Kind::TH2 : Kind::TH3;
  int32_t ncells = -1;
  bool ok = o.kind == Kind::Profile || o.kind == Kind::Profile2D ? readProfile(d, cls, o, ncells)
                                                                  : readTHn(d, cls, o, ncells);
  if (!ok) return false;
  Crumb crumb(d, cls.c_str(), supportedVersion(cls));
  return checkShape(d, cls, o, ncells);
}

}  // namespace rd
