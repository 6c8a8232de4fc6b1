// decode_tbuffer.cc: TBufferFile framing: object slots, class and object
// tags with the request's displacement, version headers, TList bodies,
// TObject and TObjString (spec/formats.md §1.8, §1.9.1-1.9.3, §1.9.7;
// ROOT io/io/src/TBufferFile.cxx ReadObjectAny/ReadClass/ReadVersion).
#include "decode_tbuffer.h"

#include <cstring>

#include "decode_context.h"

namespace rd {

namespace {

// The class versions we have layouts for: ROOT 6's current ClassDef versions
// (spec/formats.md §1.9). Any other version of these classes is code 1.
struct KnownVersion {
  const char* cls;
  int version;
};
constexpr KnownVersion kKnownVersions[] = {
    {"TObject", 1},    {"TNamed", 1},     {"TObjString", 1}, {"TList", 5},      {"THashList", 5},
    {"TAttLine", 2},   {"TAttFill", 2},   {"TAttMarker", 2}, {"TAttAxis", 4},   {"TAtt3D", 1},
    {"TAxis", 10},     {"TH1", 8},        {"TH2", 5},        {"TH3", 6},        {"TH1C", 3},
    {"TH1S", 3},       {"TH1I", 3},       {"TH1F", 3},       {"TH1D", 3},       {"TH2C", 4},
    {"TH2S", 4},       {"TH2I", 4},       {"TH2F", 4},       {"TH2D", 4},       {"TH3C", 4},
    {"TH3S", 4},       {"TH3I", 4},       {"TH3F", 4},       {"TH3D", 4},       {"TProfile", 7},
    {"TProfile2D", 8},
};

// Class names are quoted in messages, versions are not (STYLE 18 example:
// `Cannot decode "TH1F" v3 at offset 10244 ...`).
std::string quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

int supportedVersion(const std::string& cls) {
  for (const auto& k : kKnownVersions)
    if (cls == k.cls) return k.version;
  return -1;
}

// Only the first error is kept: later ones are consequences (the reader is
// sticky-failed and returns zeros). The innermost class is the subject of
// the message; the outer ones become the "(in ...)" breadcrumb trail, as
// uproot's DeserializationError does.
void DecodeContext::corrupt(const std::string& why, size_t offset) {
  if (code_ != REPLY_OK) return;
  if (offset == SIZE_MAX) offset = r.pos();
  code_ = REPLY_ERROR;
  std::string where = crumbs.empty() ? std::string("record")
                                     : quoted(crumbs.back().first) + " v" + std::to_string(crumbs.back().second);
  message_ = "Cannot decode " + where + " at offset " + std::to_string(offset);
  if (crumbs.size() > 1) {
    message_ += " (in ";
    for (size_t i = 0; i + 1 < crumbs.size(); ++i)
      message_ += (i ? " > " : "") + crumbs[i].first + " v" + std::to_string(crumbs[i].second);
    message_ += ")";
  }
  message_ += ": " + why;
}

// Code 1 keeps the classic meaning "the daemon lacks this class version"
// (spec/render.md §1.5-1.6): the server answers it by re-encoding the object
// at current versions, never by sending a streamer file.
void DecodeContext::missingStreamers(const std::string& cls, int version, int supported) {
  if (code_ != REPLY_OK) return;
  code_ = REPLY_MISSING_STREAMERS;
  message_ = "Cannot decode " + quoted(cls) + " v" + std::to_string(version) + " at offset " +
             std::to_string(r.pos()) + ": missing streamers (only v" + std::to_string(supported) +
             " is built in; the server re-encodes older versions)";
}

// ROOT's TBufferFile::ReadVersion: a u32 with kByteCountMask gives the byte
// count of the rest of the block, then a u16 version follows. The version is
// checked before anything else is read so that an older layout is reported
// as code 1 instead of being misread as a corrupt current one.
bool DecodeContext::readVersion(const char* cls, int expected, VersionHeader& v) {
  v.start = r.pos();
  uint32_t w = r.peekU32();
  if (!(w & kByteCountMask)) {
    // Only TObject may use the bare u16 form (§1.8); a guess would be silent corruption.
    if (!r.need(2)) return ok();
    v.version = r.u16();
    if (v.version != expected) {  // e.g. ROOT 4 files: an old layout, not a broken one
      r.seek(v.start);
      missingStreamers(cls, v.version, expected);
      return false;
    }
    crumbs.emplace_back(cls, v.version);
    corrupt("version header has no byte count", v.start);
    crumbs.pop_back();
    return false;
  }
  // The byte count must fit in what is left of the record; it is checked
  // again, exactly, when the block ends (checkByteCount).
  r.skip(4);
  v.hasByteCount = true;
  v.byteCount = w & ~kByteCountMask;
  v.version = r.u16();
  if (!ok()) return false;
  if (v.byteCount < 2 || v.byteCount > r.size() - v.start - 4) {
    crumbs.emplace_back(cls, v.version);
    corrupt("byte count " + std::to_string(v.byteCount) + " runs past the end of the record (" +
                std::to_string(r.size() - v.start - 4) + " bytes left)",
            v.start);
    crumbs.pop_back();
    return false;
  }
  if (v.version != expected) {
    r.seek(v.start);
    missingStreamers(cls, v.version, expected);
    return false;
  }
  return true;
}

// Exact check, not a resync: STYLE 19 allows resyncing to the declared end
// with a warning, but a daemon has nobody to warn, and a wrong byte count in
// a class we know means the bytes are not what we think they are.
bool DecodeContext::checkByteCount(const VersionHeader& v, const char* /*cls*/) {
  if (!ok()) return false;
  size_t read = r.pos() - v.start - 4;
  if (read != v.byteCount) {
    corrupt("byte count mismatch (expected " + std::to_string(v.byteCount) + ", read " +
                std::to_string(read) + ")",
            v.start);
    return false;
  }
  return true;
}

// A stored tag t names local key t - D (spec/render.md §1.3); D is applied in 64 bits.
const std::string* DecodeContext::findClass(uint32_t tag) const {
  auto it = classes_.find(int64_t(tag) - displacement_);
  return it == classes_.end() ? nullptr : &it->second;
}

const TaggedObject* DecodeContext::findObject(uint32_t tag) const {
  auto it = objects_.find(int64_t(tag) - displacement_);
  return it == objects_.end() ? nullptr : &it->second;
}

// TBufferFile::ReadObjectAny (spec/formats.md §1.8): [bc|kByteCountMask]
// [kNewClassTag + name | kClassMask|class tag][object], or a bare object tag
// (a back-reference), or 0 for null. The slot's byte count bounds whatever
// the handler reads and lets unknown classes be skipped.
SlotResult readObjectSlot(DecodeContext& d, SlotHandler handler, void* user,
                          const TaggedObject** reference) {
  size_t slotStart = d.r.pos();
  uint32_t w = d.r.u32();
  if (!d.ok()) return SlotResult::Failed;
  if (w == kNullTag) return SlotResult::Null;  // null before applying D (§1.3)
  if (!(w & kByteCountMask) || w == kNewClassTag) {
    // ROOT can write a class without byte count (old files); we could not skip
    // it safely, so it is an error (STYLE 12: never a silent guess).
    if (w == kNewClassTag || (w & kClassMask)) {
      d.corrupt("object slot has no byte count", slotStart);
      return SlotResult::Failed;
    }
    const TaggedObject* obj = d.findObject(w);
    if (!obj) {
      d.corrupt("reference to unknown object tag " + std::to_string(w), slotStart);
      return SlotResult::Failed;
    }
    if (reference) *reference = obj;
    return SlotResult::Reference;
  }
  // At least the 4-byte class tag must follow, and all of it inside the record.
  uint32_t bc = w & ~kByteCountMask;
  if (bc < 4 || bc > d.r.size() - slotStart - 4) {
    d.corrupt("object byte count " + std::to_string(bc) + " runs past the end of the record", slotStart);
    return SlotResult::Failed;
  }
  size_t end = slotStart + 4 + bc;
  size_t tagPos = d.r.pos();
  uint32_t tag = d.r.u32();
  std::string cls;
  if (tag == kNewClassTag) {
    cls = d.r.cstring(DECODE_MAX_CLASS_NAME);
    if (!d.ok()) return SlotResult::Failed;
    d.registerClass(tagPos, cls);
  } else if (tag & kClassMask) {
    const std::string* known = d.findClass(tag & ~kClassMask);
    if (!known) {
      d.corrupt("reference to unknown class tag " + std::to_string(tag & ~kClassMask), tagPos);
      return SlotResult::Failed;
    }
    cls = *known;
  } else {
    d.corrupt("bad class tag " + std::to_string(tag), tagPos);
    return SlotResult::Failed;
  }
  if (d.r.pos() > end) {
    d.corrupt("class name runs past the object's byte count", tagPos);
    return SlotResult::Failed;
  }
  // ROOT maps the object before streaming its body, so inner references resolve.
  TaggedObject tagged;
  tagged.cls = cls;
  d.registerObject(slotStart, tagged);
  // Collections inside collections recurse; a bound keeps the stack safe
  // against crafted nesting.
  if (++d.depth > DECODE_MAX_DEPTH) {
    d.corrupt("objects nested deeper than " + std::to_string(DECODE_MAX_DEPTH), slotStart);
    return SlotResult::Failed;
  }
  bool decoded = handler && handler(d, cls, user, tagged);
  --d.depth;
  if (!d.ok()) return SlotResult::Failed;
  if (!decoded) {
    d.r.seek(end);  // unknown or unwanted class: skip by byte count (STYLE 12)
    return SlotResult::Skipped;
  }
  if (d.r.pos() != end) {
    d.corrupt("object byte count mismatch for " + quoted(cls) + " (expected " + std::to_string(bc) +
                  ", read " + std::to_string(d.r.pos() - slotStart - 4) + ")",
              slotStart);
    return SlotResult::Failed;
  }
  // Re-register with what the handler learnt (a TObjString's text), so a
  // later back-reference to this object can still give its label.
  d.registerObject(slotStart, std::move(tagged));
  return SlotResult::Decoded;
}

bool readTObject(DecodeContext& d, uint32_t& uniqueId, uint32_t& bits) {
  // TObject::Streamer uses SkipVersion: normally a bare u16, but tolerate a byte count.
  if (d.r.peekU32() & kByteCountMask) d.r.skip(4);
  d.r.u16();
  uniqueId = d.r.u32();
  bits = d.r.u32();
  if (bits & kIsReferenced) d.r.u16();  // process-id slot (§1.9.1)
  return d.ok();
}

// TList::Streamer v5 (spec/formats.md §1.9.7); THashList streams the same.
// Elements are object slots, each followed by its Draw option string.
bool readListBody(DecodeContext& d, const char* cls, SlotHandler handler, void* user) {
  VersionHeader v;
  if (!d.readVersion(cls, 5, v)) return false;
  Crumb crumb(d, cls, v.version);
  uint32_t uid, bits;
  if (!readTObject(d, uid, bits)) return false;
  d.r.tstring();  // fName
  int32_t n = d.r.i32();
  if (!d.ok()) return false;
  // Each element takes at least a 4-byte slot and a 1-byte option.
  if (n < 0 || size_t(n) > d.r.remaining() / 5) {
    d.corrupt("implausible element count " + std::to_string(n));
    return false;
  }
  for (int32_t i = 0; i < n; ++i) {
    if (readObjectSlot(d, handler, user) == SlotResult::Failed) return false;
    d.r.tstring();  // per-element option (TList::Streamer v > 4: u8 length or 255 + i32)
    if (!d.ok()) return false;
  }
  return d.checkByteCount(v, cls);
}

// TObjString v1 (spec/formats.md §1.9.3): also the bin labels of TAxis,
// where fUniqueID holds the bin number.
bool readTObjStringBody(DecodeContext& d, TaggedObject& out) {
  VersionHeader v;
  if (!d.readVersion("TObjString", 1, v)) return false;
  Crumb crumb(d, "TObjString", v.version);
  uint32_t bits;
  if (!readTObject(d, out.uniqueId, bits)) return false;
  out.text = d.r.tstring();
  out.isString = true;
  return d.checkByteCount(v, "TObjString");
}

namespace {

struct TopLevel {
  std::unique_ptr<Object> obj;
  std::string cls;
};

// The record's main object: a histogram class or a TObjString. Returning
// false for any other class makes the slot reader skip it, and decodeRecord
// then refuses it by name (DQM MEs are never of other classes).
bool topHandler(DecodeContext& d, const std::string& cls, void* user, TaggedObject& tagged) {
  auto* top = static_cast<TopLevel*>(user);
  top->cls = cls;
  if (cls == "TObjString") {
    if (!readTObjStringBody(d, tagged)) return false;
    top->obj = std::make_unique<Object>();
    top->obj->kind = Kind::Text;
    top->obj->cls = cls;
    top->obj->uniqueId = tagged.uniqueId;
    // The classic daemon's TObjString stops at the first NUL (spec/render.md §1.4).
    top->obj->text = tagged.text.substr(0, tagged.text.find('\0'));
    return true;
  }
  if (!isHistogramClass(cls)) return false;
  auto obj = std::make_unique<Object>();
  if (!readHistogram(d, cls, *obj)) return false;
  top->obj = std::move(obj);
  return true;
}

}  // namespace

uint32_t decodeRecord(const uint8_t* data, size_t size, int32_t displacement,
                      std::unique_ptr<Object>& out, std::string& error) {
  out.reset();
  if (size == 0) return REPLY_OK;  // empty record = missing object (§1.3)
  DecodeContext d(data, size, displacement);
  TopLevel top;
  const TaggedObject* ref = nullptr;
  SlotResult res = readObjectSlot(d, topHandler, &top, &ref);
  if (res == SlotResult::Failed) {
    error = d.message();
    return d.code();
  }
  if (res == SlotResult::Reference) {
    error = "Cannot decode record at offset 0: it starts with a back-reference, not an object";
    return REPLY_ERROR;
  }
  if (res == SlotResult::Skipped) {
    error = "Cannot render class " + quoted(top.cls) +
            ": not a supported class (TH1, TH2, TH3 [CSIFD], TProfile, TProfile2D, TObjString)";
    return REPLY_ERROR;
  }
  // The client sends exactly one slot per record (spec/render.md §1.3); extra
  // bytes mean the record boundaries are wrong.
  if (d.r.pos() != size) {
    error = "Cannot decode record at offset " + std::to_string(d.r.pos()) + ": " +
            std::to_string(size - d.r.pos()) + " bytes left after the object";
    return REPLY_ERROR;
  }
  out = std::move(top.obj);  // nullptr for a null slot
  return REPLY_OK;
}

}  // namespace rd
