// ev_loop.h: the daemon's single-threaded event loop (cf. redis ae.c).
//
// Serves up to EV_MAX_CONNECTIONS connections with poll(): frames are read
// exactly by their total_len, handled one at a time, and replies written
// without blocking. A started frame or a pending reply that makes no
// progress for EV_IO_TIMEOUT_MS closes its connection, so a silent client
// never blocks others; idle connections between requests stay open.
#pragma once

#include <csignal>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace rd {

// Handles one complete frame (exactly its total_len bytes) and appends the
// reply to `reply`.
using FrameHandler = std::function<void(const uint8_t* frame, size_t size, std::vector<uint8_t>& reply)>;

struct LoopOptions {
  int ioTimeoutMs;
  int maxConnections;
  bool debug = false;
};

// Runs until *stop is set (by a signal handler) or an unrecoverable error.
// Returns RD_OK, or RD_ERR with `error` set.
int runLoop(int listenFd, const FrameHandler& handler, const LoopOptions& options,
            volatile std::sig_atomic_t* stop, std::string& error);

}  // namespace rd
