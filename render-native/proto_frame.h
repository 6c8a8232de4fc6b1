// proto_frame.h: request frames and replies of the render protocol
// (spec/render.md §1.2-1.5), independent of any socket.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "render_model.h"

namespace rd {

// The 44-byte request header: total_len then ten fields, all native-endian
// 32-bit (spec/render.md §1.2).
struct FrameHeader {
  uint32_t totalLen = 0, type = 0, flags = 0, vlow = 0, vhigh = 0, numobjs = 0;
  uint32_t filelen = 0, namelen = 0, speclen = 0, datalen = 0, qlen = 0;
};

// Native-endian u32 at p (the protocol's byte order, spec/render.md §1.2).
uint32_t loadU32(const uint8_t* p);

// Checks total_len as soon as its 4 bytes arrived. RD_ERR means the framing
// is broken (below the header or above PROTO_MAX_FRAME_BYTES): the caller
// replies with `error` and closes the connection.
int checkTotalLen(uint32_t totalLen, std::string& error);

// Reads the header fields (needs PROTO_HEADER_BYTES bytes).
void readHeader(const uint8_t* p, FrameHeader& h);

// Turns one complete frame (exactly its total_len bytes) into a request:
// header checks, spec, then the scalar text or the decoded object records.
// Returns REPLY_OK, REPLY_MISSING_STREAMERS or REPLY_ERROR with `error` set
// ("Protocol error: ..." for frame and spec faults, "Cannot decode ..." for
// object records). Content errors never desynchronise the stream.
uint32_t parseRequest(const uint8_t* frame, size_t size, RenderRequest& req, std::string& error);

// Appends a reply: u32 code, u32 payload length, payload (spec/render.md §1.5).
void appendReply(std::vector<uint8_t>& out, uint32_t code, const void* payload, size_t size);

}  // namespace rd
