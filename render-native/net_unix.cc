// net_unix.cc: see net_unix.h.
#include "net_unix.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "proto_limits.h"

namespace rd {

int netUnixServer(const std::string& path, std::string& error) {
  sockaddr_un addr{};
  // sun_path must hold the path and its NUL; check before socket() (STYLE 20).
  if (path.empty() || path.size() >= sizeof addr.sun_path) {
    error = "Cannot listen on \"" + path + "\": path length " + std::to_string(path.size()) +
            " is not 1.." + std::to_string(sizeof addr.sun_path - 1);
    return RD_ERR;
  }
  // Remove only a socket: a regular file at that path is more likely a
  // misconfiguration (wrong state directory) than a stale daemon's leftover.
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      error = "Cannot listen on \"" + path + "\": a file that is not a socket is in the way";
      return RD_ERR;
    }
    if (unlink(path.c_str()) != 0) {  // stale socket of an earlier daemon
      error = "Cannot remove stale socket \"" + path + "\": " + strerror(errno);
      return RD_ERR;
    }
  }
  // Non-blocking for the poll() loop; close-on-exec so native plugins that
  // spawn helpers do not leak the listening socket (cf. redis anetUnixServer).
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = std::string("Cannot create socket: ") + strerror(errno);
    return RD_ERR;
  }
  addr.sun_family = AF_UNIX;
  memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, SOMAXCONN) != 0) {
    error = "Cannot listen on \"" + path + "\": " + strerror(errno);
    close(fd);
    return RD_ERR;
  }
  return fd;
}

int netAccept(int listenFd, std::string& error) {
  error.clear();
  for (;;) {
    int fd = accept4(listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) return fd;
    // ECONNABORTED: the client left before we accepted; not an error of ours.
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED)
      error = std::string("Cannot accept: ") + strerror(errno);
    return RD_ERR;
  }
}

}  // namespace rd
