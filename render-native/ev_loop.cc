// ev_loop.cc: see ev_loop.h. The framing never reads into a buffer it could
// lose: bytes beyond the current frame stay queued for the next one
// (spec/render.md §1.1 [quirk] fixed), and a connection reads nothing more
// while its reply is pending, which bounds memory per connection to one
// frame plus one read chunk.
#include "ev_loop.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "net_unix.h"
#include "proto_frame.h"
#include "proto_limits.h"

namespace rd {

namespace {

// Deadlines use the monotonic clock: wall-clock jumps must not close connections.
int64_t nowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// One client. Input is consumed frame by frame from `start`; a reply is
// written completely before the next frame of the same connection is handled,
// which is what keeps pipelined requests in order.
struct Connection {
  int fd = -1;
  int id = 0;
  std::vector<uint8_t> in;   // bytes received, from `start` on not yet consumed
  size_t start = 0;
  std::vector<uint8_t> out;  // reply bytes, from `sent` on not yet written
  size_t sent = 0;
  int64_t deadline = 0;      // 0 = none; else close when passed (partial frame or pending reply)
  int64_t lastActive = 0;
  bool closeAfterWrite = false;
  bool dead = false;

  size_t available() const { return in.size() - start; }
  bool pendingOutput() const { return sent < out.size(); }
  // Bytes needed to complete the frame at `start`: 4 until total_len is known.
  size_t need() const {
    return available() < 4 ? 4 : std::max<size_t>(loadU32(in.data() + start), 4);
  }
};

class Loop {
 public:
  Loop(int listenFd, const FrameHandler& h, const LoopOptions& o) : lfd_(listenFd), handler_(h), opt_(o) {}
  int run(volatile std::sig_atomic_t* stop, std::string& error);

 private:
  void log(const Connection& c, const std::string& what) const {
    std::fprintf(stderr, "dqm-render: connection %d: %s\n", c.id, what.c_str());
  }
  void acceptAll(std::string& error);
  void readFrom(Connection& c);
  void writeTo(Connection& c);
  void process(Connection& c);
  void closeConn(Connection& c, const char* why);

  int lfd_;
  const FrameHandler& handler_;
  LoopOptions opt_;
  std::vector<std::unique_ptr<Connection>> conns_;
  int nextId_ = 1;
};

void Loop::closeConn(Connection& c, const char* why) {
  if (c.dead) return;
  if (why && (opt_.debug || strcmp(why, "peer closed") != 0)) log(c, std::string("closed: ") + why);
  close(c.fd);
  c.dead = true;
}

// Accepts every pending connection. The server holds one connection per
// daemon, so the cap only matters against stray or hostile clients; evicting
// the longest-idle one (never one mid-frame or mid-reply) means a reconnecting
// server always gets in.
void Loop::acceptAll(std::string& error) {
  for (;;) {
    int fd = netAccept(lfd_, error);
    if (fd < 0) return;
    int live = int(std::count_if(conns_.begin(), conns_.end(), [](auto& c) { return !c->dead; }));
    if (live >= opt_.maxConnections) {
      // Make room by closing the connection idle the longest; refuse if all are busy.
      Connection* victim = nullptr;
      for (auto& c : conns_)
        if (!c->dead && !c->pendingOutput() && c->available() == 0 && (!victim || c->lastActive < victim->lastActive))
          victim = c.get();
      if (!victim) {
        close(fd);
        std::fprintf(stderr, "dqm-render: refused a connection: %d busy connections\n", opt_.maxConnections);
        continue;
      }
      closeConn(*victim, "evicted by a new connection");  // removed after this poll round
    }
    auto c = std::make_unique<Connection>();
    c->fd = fd;
    c->id = nextId_++;
    c->lastActive = nowMs();
    if (opt_.debug) log(*c, "accepted");
    conns_.push_back(std::move(c));
  }
}

// One recv() per readiness event, so one busy client cannot starve the loop.
void Loop::readFrom(Connection& c) {
  size_t avail = c.available();
  size_t need = c.need();
  // Grow with the data actually received, never by what a header merely claims.
  size_t want = avail < (1u << 20) ? EV_READ_CHUNK : std::min(need - std::min(need, avail), avail);
  want = std::max(want, EV_READ_CHUNK);
  // Compact before growing: bytes before `start` belong to frames already handled.
  if (c.start > 0 && c.start == c.in.size()) { c.in.clear(); c.start = 0; }
  size_t old = c.in.size();
  c.in.resize(old + want);
  ssize_t n;
  do n = recv(c.fd, c.in.data() + old, want, 0); while (n < 0 && errno == EINTR);
  c.in.resize(old + (n > 0 ? size_t(n) : 0));
  if (n == 0) return closeConn(c, c.available() ? "peer closed inside a frame" : "peer closed");
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) closeConn(c, strerror(errno));
    return;
  }
  c.lastActive = nowMs();
  if (c.deadline == 0) c.deadline = c.lastActive + opt_.ioTimeoutMs;  // a frame has started
}

// Non-blocking write of the pending reply; MSG_NOSIGNAL (and SIG_IGN in
// main) turn a vanished peer into EPIPE instead of killing the daemon.
void Loop::writeTo(Connection& c) {
  while (c.pendingOutput()) {
    ssize_t n = send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) return closeConn(c, n < 0 ? strerror(errno) : "write failed");
    c.sent += size_t(n);
    c.lastActive = nowMs();
    c.deadline = c.lastActive + opt_.ioTimeoutMs;  // progress renews the write deadline
  }
  c.out.clear();
  c.sent = 0;
  c.deadline = c.available() ? nowMs() + opt_.ioTimeoutMs : 0;
  if (c.closeAfterWrite) closeConn(c, "framing broken");
}

// Handles every complete frame queued, one reply at a time: a reply that is
// written at once lets the next pipelined frame run now, not at the next poll.
void Loop::process(Connection& c) {
  while (!c.dead && !c.pendingOutput() && !c.closeAfterWrite && c.available() >= 4) {
    uint32_t total = loadU32(c.in.data() + c.start);
    std::string error;
    if (checkTotalLen(total, error) != RD_OK) {
      // The stream cannot be resynchronised: answer, then close (STYLE 15).
      appendReply(c.out, REPLY_ERROR, error.data(), error.size());
      c.closeAfterWrite = true;
      c.start = c.in.size();
      if (opt_.debug) log(c, error);
    } else if (c.available() < total) {
      break;
    } else {
      handler_(c.in.data() + c.start, total, c.out);
      c.start += total;
    }
    c.deadline = nowMs() + opt_.ioTimeoutMs;  // for writing the reply
    writeTo(c);  // resets the deadline when done; closes after a framing error
  }
  if (c.dead) return;
  // Drop consumed bytes; a large pipelined remainder is moved only past 1 MiB of waste.
  if (c.start > 0 && c.start == c.in.size()) { c.in.clear(); c.start = 0; }
  else if (c.start > (1u << 20)) { c.in.erase(c.in.begin(), c.in.begin() + long(c.start)); c.start = 0; }
}

int Loop::run(volatile std::sig_atomic_t* stop, std::string& error) {
  std::vector<pollfd> fds;
  while (!*stop) {
    // Ask only for what each connection can use: output first, input only
    // while the current frame is incomplete (bounded buffering).
    fds.assign(1, pollfd{lfd_, POLLIN, 0});
    int64_t now = nowMs(), wait = 1000;  // wake up at least every second to see `stop`
    for (auto& c : conns_) {
      short ev = c->pendingOutput() ? POLLOUT : c->available() < c->need() ? POLLIN : 0;
      fds.push_back(pollfd{c->fd, ev, 0});
      if (c->deadline) wait = std::min(wait, std::max<int64_t>(0, c->deadline - now));
    }
    // EINTR comes from SIGTERM/SIGINT/SIGHUP (installed without SA_RESTART);
    // the loop condition then sees *stop.
    int n = poll(fds.data(), fds.size(), int(wait));
    if (n < 0) {
      if (errno == EINTR) continue;
      error = std::string("Cannot poll: ") + strerror(errno);
      return RD_ERR;
    }
    now = nowMs();
    for (size_t i = 1; i < fds.size(); ++i) {
      Connection& c = *conns_[i - 1];
      short re = fds[i].revents;
      if (c.dead) continue;
      if (re & POLLOUT) writeTo(c);
      else if (re & POLLIN) readFrom(c);
      else if (re & (POLLHUP | POLLERR | POLLNVAL)) closeConn(c, "peer closed");
      if (!c.dead) process(c);
      if (!c.dead && c.deadline && nowMs() >= c.deadline)
        closeConn(c, c.pendingOutput() ? "reply not read in time" : "frame not completed in time");
    }
    // Accept after serving: data already sent on existing connections is read before
    // acceptAll decides which idle connection to evict.
    if (fds[0].revents & POLLIN) {
      acceptAll(error);
      if (!error.empty()) std::fprintf(stderr, "dqm-render: %s\n", error.c_str());
      error.clear();
    }
    conns_.erase(std::remove_if(conns_.begin(), conns_.end(), [](auto& c) { return c->dead; }), conns_.end());
  }
  for (auto& c : conns_) closeConn(*c, nullptr);
  conns_.clear();
  return RD_OK;
}

}  // namespace

int runLoop(int listenFd, const FrameHandler& handler, const LoopOptions& options,
            volatile std::sig_atomic_t* stop, std::string& error) {
  Loop loop(listenFd, handler, options);
  return loop.run(stop, error);
}

}  // namespace rd
