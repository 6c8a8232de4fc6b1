// proto_spec.h: the option spec string of a request (spec/render.md §2.1).
#pragma once

#include <string>

#include "render_model.h"

namespace rd {

// Parses `key=value;key=value` into opts (defaults first). Keys: w, h
// (required, 1..PROTO_MAX_IMAGE_SIDE), showstats, showerrbars, norm, ref,
// xmin..zmax, xtype/ytype/ztype (def|lin|log), drawopts, ktest,
// reflabel0..9, json. Option values (drawopts, norm, json, reflabelK) may hold
// any byte but ';' and NUL and are percent-decoded ("%3B" -> ';').
// Returns RD_OK, or RD_ERR with `error` = "Protocol error: ..." naming the key.
int parseSpec(const std::string& spec, RenderOptions& opts, std::string& error);

// Percent-decodes s into out; false on a malformed escape or a decoded NUL.
bool percentDecode(const std::string& s, std::string& out);

}  // namespace rd
