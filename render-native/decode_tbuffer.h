// decode_tbuffer.h: TBufferFile object records -> rd::Object.
//
// One record of the request's data section (spec/render.md §1.3) is a bare
// TBufferFile object slot: [u32 bc|kByteCountMask][kNewClassTag][class\0]
// [object with its own byte count + version]. The classes decoded, at the
// versions current ROOT 6 writes (spec/formats.md §1.9), are TH1C/S/I/F/D,
// TH2C/S/I/F/D, TH3C/S/I/F/D, TProfile, TProfile2D and TObjString; any other
// class found inside them (fit functions, label lists) is skipped by its byte
// count. Everything is bounds-checked; nothing here throws.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "render_model.h"

namespace rd {

// Decodes one record. `displacement` is the D of the record header: a stored
// tag t refers to local key t - D (tag 0 is null before applying D).
// Returns REPLY_OK with `out` set (nullptr for a null slot or an empty
// record), REPLY_MISSING_STREAMERS when a supported class has a version we
// have no layout for, or REPLY_ERROR for anything malformed; `error` then
// says what, naming class, version and offset (STYLE 18).
uint32_t decodeRecord(const uint8_t* data, size_t size, int32_t displacement,
                      std::unique_ptr<Object>& out, std::string& error);

// The class version we decode for a class name, or -1 when the class is not
// one we know a layout for (exposed for tests and the README table).
int supportedVersion(const std::string& cls);

}  // namespace rd
