// decode_context.h: shared state of one record's decoding (internal to decode_*.cc).
//
// Holds the reader, the displacement, the class and object tag maps of
// TBufferFile (spec/formats.md §1.8) and the first error with its
// breadcrumbs ("TH1F v3 > TH1 v8 > TAxis v10").
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "decode_reader.h"
#include "proto_limits.h"
#include "render_model.h"

namespace rd {

// ROOT TBufferFile constants (TBufferFile.cxx; spec/formats.md Appendix A).
constexpr uint32_t kByteCountMask = 0x40000000;
constexpr uint32_t kClassMask = 0x80000000;
constexpr uint32_t kNewClassTag = 0xFFFFFFFF;
constexpr uint32_t kNullTag = 0;
constexpr int64_t kMapOffset = 2;
// TObject::kIsReferenced: TObject::Streamer then writes a u16 pid (§1.9.1).
constexpr uint32_t kIsReferenced = 0x10;
// Longest class name we accept after kNewClassTag.
constexpr size_t DECODE_MAX_CLASS_NAME = 256;

// A version header: where it started and what it declared.
struct VersionHeader {
  size_t start = 0;      // offset of the byte-count word (or of the bare version)
  uint32_t byteCount = 0;
  bool hasByteCount = false;
  int version = 0;
};

// What an object tag refers to: its class and, for a TObjString, its string.
struct TaggedObject {
  std::string cls;
  bool isString = false;
  std::string text;
  uint32_t uniqueId = 0;
};

class DecodeContext {
 public:
  DecodeContext(const uint8_t* data, size_t size, int32_t displacement)
      : r(data, size), displacement_(displacement) {}

  ByteReader r;

  // True while no error was recorded and the reader has not failed.
  bool ok() {
    if (code_ == REPLY_OK && !r.ok()) corrupt(r.error(), r.errorPos());
    return code_ == REPLY_OK;
  }
  uint32_t code() const { return code_; }
  const std::string& message() const { return message_; }

  // Records a format error (reply code 2) at `offset` (default: current position).
  void corrupt(const std::string& why, size_t offset = SIZE_MAX);
  // Records "missing streamers" (reply code 1) for cls at version.
  void missingStreamers(const std::string& cls, int version, int supported);

  // Reads a version header of cls and checks it against `expected`; false
  // (with the error recorded) when it lacks a byte count or differs.
  bool readVersion(const char* cls, int expected, VersionHeader& v);
  // Checks that the block of v ends at the current position.
  bool checkByteCount(const VersionHeader& v, const char* cls);

  // Tag maps keyed by local offset + kMapOffset (spec/render.md §1.3).
  void registerClass(size_t tagWordOffset, const std::string& cls) {
    classes_[int64_t(tagWordOffset) + kMapOffset] = cls;
  }
  void registerObject(size_t slotOffset, TaggedObject obj) {
    objects_[int64_t(slotOffset) + kMapOffset] = std::move(obj);
  }
  // Resolve a stored tag (class tags without kClassMask) through D; nullptr when unknown.
  const std::string* findClass(uint32_t tag) const;
  const TaggedObject* findObject(uint32_t tag) const;

  // Breadcrumbs (class, version) of the bodies being decoded, innermost last.
  std::vector<std::pair<std::string, int>> crumbs;
  int depth = 0;

 private:
  int32_t displacement_;
  std::unordered_map<int64_t, std::string> classes_;
  std::unordered_map<int64_t, TaggedObject> objects_;
  uint32_t code_ = REPLY_OK;
  std::string message_;
};

// Keeps a breadcrumb for the lifetime of a class body's decoding.
struct Crumb {
  Crumb(DecodeContext& d, const char* cls, int version) : d_(d) {
    d_.crumbs.emplace_back(cls, version);
  }
  ~Crumb() { d_.crumbs.pop_back(); }
  DecodeContext& d_;
};

// What an object slot held (spec/formats.md §1.8).
enum class SlotResult { Null, Reference, Decoded, Skipped, Failed };

// Element handler of a collection: called with the class name when the
// slot holds a new object; returns true if it decoded the body itself
// (it must consume exactly the object), false to skip it by byte count.
// It may fill `tagged` (e.g. a TObjString's text) for later back-references.
using SlotHandler = bool (*)(DecodeContext& d, const std::string& cls, void* user,
                             TaggedObject& tagged);

// Reads one object slot; a back-reference or skipped object calls nothing.
SlotResult readObjectSlot(DecodeContext& d, SlotHandler handler, void* user,
                          const TaggedObject** reference = nullptr);
// Reads a TList/THashList body (bc + version 5, TObject, name, n, slots + options).
bool readListBody(DecodeContext& d, const char* cls, SlotHandler handler, void* user);
// TObject (bare version, fUniqueID, fBits, optional pid).
bool readTObject(DecodeContext& d, uint32_t& uniqueId, uint32_t& bits);
// TObjString v1 body.
bool readTObjStringBody(DecodeContext& d, TaggedObject& out);

// Histogram classes (decode_hist.cc): decodes the body of cls into obj.
bool readHistogram(DecodeContext& d, const std::string& cls, Object& obj);
bool isHistogramClass(const std::string& cls);

}  // namespace rd
