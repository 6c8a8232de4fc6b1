// fuzz_frame.cc: libFuzzer target over the request parser and the decoder.
//
// An input starting with 'R' is "R" + i32 displacement (LE) + one bare record
// for decodeRecord(); anything else is a whole frame for parseRequest(), with
// total_len patched to the input size so mutations reach past the framing.
// Every result must be a valid reply code with a message on failure, and
// decoded histograms must satisfy the shape guarantees of decode_hist.cc.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "../decode_tbuffer.h"
#include "../proto_frame.h"
#include "../proto_limits.h"

using namespace rd;

static void checkObject(const Object* o) {
  if (!o || o->kind == Kind::Text) return;
  size_t cells = size_t(o->x.nbins + 2) * (o->dim() >= 2 ? size_t(o->y.nbins + 2) : 1) *
                 (o->dim() == 3 ? size_t(o->z.nbins + 2) : 1);
  if (o->contents.size() != cells || (!o->sumw2.empty() && o->sumw2.size() != cells)) std::abort();
  if (!o->x.labels.empty() && o->x.labels.size() != size_t(o->x.nbins) + 1) std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string error;
  if (size >= 5 && data[0] == 'R') {
    int32_t disp;
    std::memcpy(&disp, data + 1, 4);
    std::unique_ptr<Object> obj;
    uint32_t code = decodeRecord(data + 5, size - 5, disp, obj, error);
    if (code > REPLY_ERROR || (code != REPLY_OK && error.empty())) std::abort();
    checkObject(obj.get());
    return 0;
  }
  std::vector<uint8_t> frame(data, data + size);
  if (size >= 4) {
    uint32_t n = uint32_t(size);
    std::memcpy(frame.data(), &n, 4);
  }
  RenderRequest req;
  uint32_t code = parseRequest(frame.data(), frame.size(), req, error);
  if (code > REPLY_ERROR || (code != REPLY_OK && error.empty())) std::abort();
  for (const auto& o : req.objects) checkObject(o.get());
  return 0;
}
