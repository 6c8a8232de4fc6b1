// net_unix.h: UNIX stream socket setup (cf. redis anet.c anetUnixServer).
#pragma once

#include <string>

namespace rd {

// Creates a listening AF_UNIX stream socket at `path`: checks the path length
// before any side effect, removes a stale socket file, then binds and listens
// (backlog SOMAXCONN, as classic). The socket is non-blocking and
// close-on-exec. Returns the fd, or RD_ERR with `error` set.
int netUnixServer(const std::string& path, std::string& error);

// Accepts one connection, non-blocking and close-on-exec. Returns the fd;
// RD_ERR with an empty `error` when nothing is pending (EAGAIN), or with
// `error` set on failure.
int netAccept(int listenFd, std::string& error);

}  // namespace rd
