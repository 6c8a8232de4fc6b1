// proto_limits.h: every limit of the render protocol, as named constants.
//
// The wire format is the classic one (spec/render.md §1.2-1.5); the limits
// are ours. The Deno client in core/render/ mirrors these values (STYLE 15).
#pragma once

#include <cstddef>
#include <cstdint>

namespace rd {

// Return codes of C-style functions (STYLE 20).
constexpr int RD_OK = 0;
constexpr int RD_ERR = -1;

// Reply codes (spec/render.md §1.5): 0 OK, 1 missing streamers (a class
// version we have no layout for), 2 any other error, including protocol errors.
constexpr uint32_t REPLY_OK = 0;
constexpr uint32_t REPLY_MISSING_STREAMERS = 1;
constexpr uint32_t REPLY_ERROR = 2;

// The fixed request header: total_len + 10 int32 fields (spec/render.md §1.2).
constexpr size_t PROTO_HEADER_BYTES = 44;
// The only message type we serve: DQM_MSG_GET_IMAGE_DATA (classic DQMNet.h).
constexpr uint32_t PROTO_MSG_GET_IMAGE_DATA = 4;
// Largest request, header included; a bigger total_len breaks the framing.
constexpr size_t PROTO_MAX_FRAME_BYTES = 256u << 20;
// numobjs must be 1..PROTO_MAX_OBJECTS (classic render.cc: main + 9 overlays).
constexpr uint32_t PROTO_MAX_OBJECTS = 10;
// Per-field limits of the variable part (content errors, connection kept).
constexpr uint32_t PROTO_MAX_FILE_BYTES = 4096;   // streamer file name (ignored)
constexpr uint32_t PROTO_MAX_NAME_BYTES = 2048;   // ME path
constexpr uint32_t PROTO_MAX_SPEC_BYTES = 8192;   // spec string
constexpr uint32_t PROTO_MAX_QDATA_BYTES = 1u << 20;  // quality blob (ignored)
// Image size bounds of w and h (DESIGN.md "render options clamped").
constexpr int PROTO_MAX_IMAGE_SIDE = 4096;

// Decoder limits: cells per histogram (4096 x 4096 fits) and nesting of
// collections inside an object; both keep memory and stack bounded.
constexpr uint32_t DECODE_MAX_CELLS = 1u << 24;
// Bin labels are kept for axes up to this many bins (more labels than pixels
// cannot be drawn); longer axes keep their numeric ticks.
constexpr uint32_t DECODE_MAX_LABELLED_BINS = 1u << 16;
constexpr int DECODE_MAX_DEPTH = 16;

// Event loop: connections served concurrently (the server keeps one per
// daemon), the time a started frame or a pending reply may take, and the
// per-request CPU guard (classic render.cc: setitimer ITIMER_VIRTUAL 30 s).
constexpr int EV_MAX_CONNECTIONS = 4;
constexpr int EV_IO_TIMEOUT_MS = 10000;
constexpr int EV_RENDER_CPU_SECONDS = 30;
constexpr size_t EV_READ_CHUNK = 64u << 10;

}  // namespace rd
