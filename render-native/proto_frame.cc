// proto_frame.cc: request validation and decoding, reply encoding
// (spec/render.md §1.2-1.5). Unlike classic render.cc, the minimum length is
// the full 44-byte header, every length has a named limit, and the record
// framing is checked before any object is decoded.
#include "proto_frame.h"

#include <cstring>

#include "decode_tbuffer.h"
#include "proto_limits.h"
#include "proto_spec.h"

namespace rd {

uint32_t loadU32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

int checkTotalLen(uint32_t totalLen, std::string& error) {
  if (totalLen < PROTO_HEADER_BYTES) {
    error = "Protocol error: total_len " + std::to_string(totalLen) + " is below the " +
            std::to_string(PROTO_HEADER_BYTES) + "-byte header";
    return RD_ERR;
  }
  if (totalLen > PROTO_MAX_FRAME_BYTES) {
    error = "Protocol error: total_len " + std::to_string(totalLen) + " exceeds the limit of " +
            std::to_string(PROTO_MAX_FRAME_BYTES) + " bytes";
    return RD_ERR;
  }
  return RD_OK;
}

// Fields in wire order (spec/render.md §1.2 table); offsets are 4*i.
void readHeader(const uint8_t* p, FrameHeader& h) {
  uint32_t* fields[] = {&h.totalLen, &h.type,   &h.flags,   &h.vlow,    &h.vhigh, &h.numobjs,
                        &h.filelen,  &h.namelen, &h.speclen, &h.datalen, &h.qlen};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; ++i) *fields[i] = loadU32(p + 4 * i);
}

namespace {

uint32_t protoError(std::string& error, const std::string& why) {
  error = "Protocol error: " + why;
  return REPLY_ERROR;
}

// A field length with its limit; the limit keeps every later sum in 64 bits harmless.
bool withinLimit(const char* field, uint32_t value, uint32_t limit, std::string& error) {
  if (value <= limit) return true;
  protoError(error, std::string(field) + " " + std::to_string(value) + " exceeds the limit of " +
                        std::to_string(limit));
  return false;
}

// Adds " in record K of N" to a decoder message, before its evidence.
std::string inRecord(const std::string& msg, uint32_t k, uint32_t n) {
  std::string where = " in record " + std::to_string(k) + " of " + std::to_string(n);
  size_t colon = msg.find(": ");
  return colon == std::string::npos ? msg + where : msg.substr(0, colon) + where + msg.substr(colon);
}

}  // namespace

uint32_t parseRequest(const uint8_t* frame, size_t size, RenderRequest& req, std::string& error) {
  req = RenderRequest();
  if (size < PROTO_HEADER_BYTES) return protoError(error, "frame of " + std::to_string(size) + " bytes is below the 44-byte header");
  // Checks run cheapest first and never read beyond the frame: every length
  // is limited before the sum is taken (in 64 bits, so no wrap-around).
  FrameHeader h;
  readHeader(frame, h);
  if (h.totalLen != size) return protoError(error, "total_len " + std::to_string(h.totalLen) + " differs from the frame size " + std::to_string(size));
  if (h.type != PROTO_MSG_GET_IMAGE_DATA)
    return protoError(error, "type " + std::to_string(h.type) + " is not supported (only 4, image)");
  if (h.numobjs < 1 || h.numobjs > PROTO_MAX_OBJECTS)
    return protoError(error, "numobjs " + std::to_string(h.numobjs) + " is out of range 1.." + std::to_string(PROTO_MAX_OBJECTS));
  if (!withinLimit("filelen", h.filelen, PROTO_MAX_FILE_BYTES, error) ||
      !withinLimit("namelen", h.namelen, PROTO_MAX_NAME_BYTES, error) ||
      !withinLimit("speclen", h.speclen, PROTO_MAX_SPEC_BYTES, error) ||
      !withinLimit("qlen", h.qlen, PROTO_MAX_QDATA_BYTES, error))
    return REPLY_ERROR;
  uint64_t sum = uint64_t(PROTO_HEADER_BYTES) + h.filelen + h.namelen + h.speclen + h.datalen + h.qlen;
  if (sum != h.totalLen)
    return protoError(error, "lengths do not add up: 44 + filelen " + std::to_string(h.filelen) + " + namelen " +
                                 std::to_string(h.namelen) + " + speclen " + std::to_string(h.speclen) +
                                 " + datalen " + std::to_string(h.datalen) + " + qlen " + std::to_string(h.qlen) +
                                 " = " + std::to_string(sum) + ", total_len is " + std::to_string(h.totalLen));
  // The streamer file name (filelen) is skipped: we never open ROOT files, and
  // the qdata blob was already ignored by the classic daemon (§1.2).
  const char* p = reinterpret_cast<const char*>(frame) + PROTO_HEADER_BYTES + h.filelen;
  req.name.assign(p, h.namelen);
  std::string spec(p + h.namelen, h.speclen);
  const uint8_t* data = frame + PROTO_HEADER_BYTES + h.filelen + h.namelen + h.speclen;
  req.flags = h.flags;
  if (parseSpec(spec, req.options, error) != RD_OK) return REPLY_ERROR;

  if (req.scalar()) {
    // Scalar text, cut at the first NUL as TObjString does; empty = missing (§1.4).
    const void* nul = std::memchr(data, 0, h.datalen);
    size_t n = nul ? size_t(static_cast<const uint8_t*>(nul) - data) : h.datalen;
    if (n == 0) {
      req.objects.emplace_back();
    } else {
      auto obj = std::make_unique<Object>();
      obj->kind = Kind::Text;
      obj->cls = "TObjString";
      obj->text.assign(reinterpret_cast<const char*>(data), n);
      req.objects.push_back(std::move(obj));
    }
    return REPLY_OK;
  }

  // Records: u32 len, i32 displacement, len bytes; they must fill the section exactly (§1.3).
  struct Record { const uint8_t* bytes; uint32_t len; int32_t disp; };
  std::vector<Record> records;
  size_t off = 0;
  for (uint32_t k = 1; k <= h.numobjs; ++k) {
    if (h.datalen - off < 8)
      return protoError(error, "record " + std::to_string(k) + " of " + std::to_string(h.numobjs) +
                                   ": header needs 8 bytes, data section has " + std::to_string(h.datalen - off) + " left");
    uint32_t len = loadU32(data + off);
    int32_t disp = int32_t(loadU32(data + off + 4));
    off += 8;
    if (len > h.datalen - off)
      return protoError(error, "record " + std::to_string(k) + " of " + std::to_string(h.numobjs) + ": len " +
                                   std::to_string(len) + " exceeds the " + std::to_string(h.datalen - off) +
                                   " bytes left in the data section");
    records.push_back({data + off, len, disp});
    off += len;
  }
  if (off != h.datalen)
    return protoError(error, "data section has " + std::to_string(h.datalen - off) + " bytes after record " +
                                 std::to_string(h.numobjs));
  // Only now decode: a framing error is reported as such even when an earlier
  // record would also fail to decode.
  for (uint32_t k = 0; k < records.size(); ++k) {
    std::unique_ptr<Object> obj;
    std::string why;
    uint32_t code = decodeRecord(records[k].bytes, records[k].len, records[k].disp, obj, why);
    if (code != REPLY_OK) {
      error = inRecord(why, k + 1, h.numobjs);
      req.objects.clear();
      return code;
    }
    req.objects.push_back(std::move(obj));
  }
  return REPLY_OK;
}

// The reply is native-endian like the request (classic render.cc writes the
// two u32 with memcpy).
void appendReply(std::vector<uint8_t>& out, uint32_t code, const void* payload, size_t size) {
  uint32_t head[2] = {code, uint32_t(size)};
  const uint8_t* h = reinterpret_cast<const uint8_t*>(head);
  out.insert(out.end(), h, h + sizeof head);
  const uint8_t* b = static_cast<const uint8_t*>(payload);
  if (size) out.insert(out.end(), b, b + size);
}

}  // namespace rd
