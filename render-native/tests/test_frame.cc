// test_frame.cc: parseRequest(), replies, the UNIX socket setup and the event
// loop's framing over a real socket.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "../ev_loop.h"
#include "../net_unix.h"
#include "../proto_frame.h"
#include "../proto_limits.h"
#include "test_util.h"

using namespace rd;

namespace {

std::string fixtureDir() {
  std::string here = __FILE__;
  return here.substr(0, here.rfind('/') + 1) + "fixtures/";
}

struct Parsed {
  uint32_t code;
  RenderRequest req;
  std::string error;
};
Parsed parse(const std::vector<uint8_t>& f) {
  Parsed p;
  p.code = parseRequest(f.data(), f.size(), p.req, p.error);
  return p;
}
t::Frame scalar(const std::string& text) {
  t::Frame f;
  f.flags = 0x0f;
  f.numobjs = 1;
  f.data.assign(text.begin(), text.end());
  return f;
}
std::vector<uint8_t> th1f() { return t::readFile(fixtureDir() + "th1f_basic.rec"); }

}  // namespace

TEST(workedExample, "parseRequest() reads the 67-byte worked example of spec/render.md §1.2") {
  const uint8_t hex[] = {0x43, 0, 0, 0, 4, 0, 0, 0, 0x0f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
                         0,    0, 0, 0, 0x0b, 0, 0, 0, 0x0c, 0, 0, 0, 0, 0, 0, 0};
  std::vector<uint8_t> f(hex, hex + sizeof hex);
  std::string rest = "h=200;w=266ME not found";
  f.insert(f.end(), rest.begin(), rest.end());
  CHECK_EQ(f.size(), size_t(67));
  auto p = parse(f);
  CHECK_EQ(p.code, REPLY_OK);
  CHECK(p.req.scalar() && p.req.objects.size() == 1 && p.req.objects[0]);
  CHECK_EQ(p.req.objects[0]->text, std::string("ME not found"));
  CHECK_EQ(p.req.options.width, 266);
}

TEST(scalarEmpty, "parseRequest() turns an empty scalar into a missing object and cuts at NUL") {
  auto p = parse(scalar("").bytes());
  CHECK(p.code == REPLY_OK && p.req.objects.size() == 1 && !p.req.objects[0]);
  auto q = parse(scalar(std::string("12\0junk", 7)).bytes());
  CHECK(q.req.objects[0] && q.req.objects[0]->text == "12");
}

TEST(objects, "parseRequest() decodes a main object and overlays, keeping empty records as missing") {
  t::Frame f;
  f.name = "Pixel/EventInfo/reportSummaryMap";
  f.record(th1f(), 0);
  f.record({}, 0);
  f.record(th1f(), 0);
  auto p = parse(f.bytes());
  CHECK_EQ(p.code, REPLY_OK);
  CHECK_EQ(p.req.name, f.name);
  CHECK_EQ(p.req.objects.size(), size_t(3));
  CHECK(p.req.objects[0] && !p.req.objects[1] && p.req.objects[2]);
  CHECK_EQ(p.req.objects[0]->cls, std::string("TH1F"));
}

TEST(tenObjects, "parseRequest() accepts 10 objects and refuses 0 and 11") {
  t::Frame f;
  for (int i = 0; i < 10; ++i) f.record(th1f(), 0);
  CHECK_EQ(parse(f.bytes()).code, REPLY_OK);
  f.record(th1f(), 0);
  CHECK_HAS(parse(f.bytes()).error, "Protocol error: numobjs 11 is out of range 1..10");
  t::Frame z;
  CHECK_HAS(parse(z.bytes()).error, "numobjs 0");
}

TEST(lengthsAddUp, "parseRequest() checks that the lengths add up to total_len") {
  auto b = scalar("abc").bytes();
  b[36] = 2;  // datalen 3 -> 2
  CHECK_HAS(parse(b).error, "Protocol error: lengths do not add up");
}

TEST(badType, "parseRequest() refuses message types other than 4") {
  t::Frame f = scalar("x");
  f.type = 6;
  CHECK_HAS(parse(f.bytes()).error, "Protocol error: type 6 is not supported");
}

TEST(fieldLimits, "parseRequest() enforces the named field limits") {
  t::Frame f = scalar("x");
  f.name.assign(PROTO_MAX_NAME_BYTES + 1, 'a');
  CHECK_HAS(parse(f.bytes()).error, "namelen 2049 exceeds the limit of 2048");
  t::Frame g = scalar("x");
  g.spec.assign(PROTO_MAX_SPEC_BYTES + 1, ';');
  CHECK_HAS(parse(g.bytes()).error, "speclen");
}

TEST(recordFraming, "parseRequest() checks record headers and leftovers in the data section") {
  t::Frame f;
  f.record(th1f(), 0);
  auto b = f.bytes();
  b[44 + f.spec.size()] += 1;  // record len one too large
  CHECK_HAS(parse(b).error, "Protocol error: record 1 of 1: len");
  t::Frame g;
  g.record(th1f(), 0);
  g.data.push_back(0);
  CHECK_HAS(parse(g.bytes()).error, "data section has 1 bytes after record 1");
  t::Frame h;
  h.numobjs = 2;
  h.data.resize(4);
  CHECK_HAS(parse(h.bytes()).error, "record 1 of 2: header needs 8 bytes");
}

TEST(decodeErrorNamesRecord, "parseRequest() names the record of a decoding error") {
  t::Frame f;
  f.record(th1f(), 0);
  auto bad = th1f();
  bad[24] = 5;  // TH1 v5
  f.record(bad, 0);
  auto p = parse(f.bytes());
  CHECK_EQ(p.code, REPLY_MISSING_STREAMERS);
  CHECK_HAS(p.error, "Cannot decode \"TH1\" v5 at offset 19 in record 2 of 2: missing streamers");
}

TEST(specError, "parseRequest() passes spec errors through") {
  t::Frame f = scalar("x");
  f.spec = "w=0;h=1";
  CHECK_HAS(parse(f.bytes()).error, "Protocol error: spec key \"w\"");
}

TEST(shortFrame, "parseRequest() refuses frames shorter than the header") {
  std::vector<uint8_t> b(43, 0);
  b[0] = 43;
  CHECK_HAS(parse(b).error, "below the 44-byte header");
}

TEST(totalLen, "checkTotalLen() accepts 44..PROTO_MAX_FRAME_BYTES only") {
  std::string e;
  CHECK_EQ(checkTotalLen(43, e), RD_ERR);
  CHECK_HAS(e, "total_len 43 is below the 44-byte header");
  CHECK_EQ(checkTotalLen(44, e), RD_OK);
  CHECK_EQ(checkTotalLen(uint32_t(PROTO_MAX_FRAME_BYTES), e), RD_OK);
  CHECK_EQ(checkTotalLen(uint32_t(PROTO_MAX_FRAME_BYTES) + 1, e), RD_ERR);
  CHECK_HAS(e, "exceeds the limit");
}

TEST(reply, "appendReply() writes code, length and payload in native order") {
  std::vector<uint8_t> out;
  appendReply(out, 2, "abc", 3);
  CHECK_EQ(out.size(), size_t(11));
  CHECK(loadU32(out.data()) == 2 && loadU32(out.data() + 4) == 3 && out[8] == 'a');
}

// --- sockets and the event loop ---

namespace {

std::string tempSocket(const char* name) { return "/tmp/dqm-render-test-" + std::to_string(getpid()) + "-" + name; }

int connectTo(const std::string& path) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) { close(fd); return -1; }
  return fd;
}
void sendAll(int fd, const std::vector<uint8_t>& b) {
  size_t off = 0;
  while (off < b.size()) {
    ssize_t n = send(fd, b.data() + off, b.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += size_t(n);
  }
}
// Reads one reply (code, payload); code -1 on EOF or timeout.
std::pair<int64_t, std::string> readReply(int fd, int timeoutMs = 5000) {
  std::vector<uint8_t> b;
  auto fill = [&](size_t want) {
    while (b.size() < want) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, timeoutMs) <= 0) return false;
      uint8_t tmp[4096];
      ssize_t n = recv(fd, tmp, std::min(sizeof tmp, want - b.size()), 0);
      if (n <= 0) return false;
      b.insert(b.end(), tmp, tmp + n);
    }
    return true;
  };
  if (!fill(8)) return {-1, ""};
  uint32_t len = loadU32(b.data() + 4);
  if (!fill(8 + len)) return {-1, ""};
  return {loadU32(b.data()), std::string(b.begin() + 8, b.end())};
}
bool closedByPeer(int fd, int timeoutMs = 3000) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, timeoutMs) <= 0) return false;
  char c;
  return recv(fd, &c, 1, 0) == 0;
}

// A loop whose handler answers code 0 with the frame's name, on its own thread.
struct Server {
  std::string path;
  int lfd = -1;
  volatile std::sig_atomic_t stop = 0;
  std::thread th;
  explicit Server(const char* name, int timeoutMs = 300) : path(tempSocket(name)) {
    std::string e;
    lfd = netUnixServer(path, e);
    LoopOptions o{timeoutMs, 2, false};
    th = std::thread([this, o] {
      std::string err;
      FrameHandler h = [](const uint8_t* f, size_t n, std::vector<uint8_t>& out) {
        RenderRequest req;
        std::string error;
        uint32_t code = parseRequest(f, n, req, error);
        std::string body = code == REPLY_OK ? "name:" + req.name : error;
        appendReply(out, code, body.data(), body.size());
      };
      runLoop(lfd, h, o, &stop, err);
    });
  }
  ~Server() {
    stop = 1;
    th.join();
    close(lfd);
    unlink(path.c_str());
  }
};

std::vector<uint8_t> named(const std::string& name) {
  t::Frame f = scalar("1");
  f.name = name;
  return f.bytes();
}

}  // namespace

TEST(netPathLength, "netUnixServer() checks the path length before creating anything") {
  std::string e;
  std::string longPath = "/tmp/" + std::string(120, 'x');
  CHECK_EQ(netUnixServer(longPath, e), RD_ERR);
  CHECK_HAS(e, "path length 125");
  struct stat st;
  CHECK(stat(longPath.c_str(), &st) != 0);
}

TEST(netStale, "netUnixServer() replaces a stale socket but not another file") {
  std::string e, path = tempSocket("stale");
  int a = netUnixServer(path, e);
  CHECK(a >= 0);
  close(a);
  int b = netUnixServer(path, e);
  CHECK(b >= 0);
  close(b);
  unlink(path.c_str());
  FILE* f = std::fopen(path.c_str(), "w");
  std::fclose(f);
  CHECK_EQ(netUnixServer(path, e), RD_ERR);
  CHECK_HAS(e, "not a socket");
  unlink(path.c_str());
}

TEST(loopPipelined, "runLoop() answers pipelined frames in order, at once, without losing bytes") {
  Server s("pipe");
  timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int fd = connectTo(s.path);
  std::vector<uint8_t> all;
  for (int i = 0; i < 50; ++i) {
    auto f = named("me/" + std::to_string(i) + std::string(size_t(i) * 40, 'x'));
    all.insert(all.end(), f.begin(), f.end());
  }
  sendAll(fd, all);
  for (int i = 0; i < 50; ++i) {
    auto r = readReply(fd);
    CHECK_EQ(r.first, int64_t(0));
    CHECK_EQ(r.second.substr(0, r.second.find('x')), "name:me/" + std::to_string(i));
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  // Each frame must be handled as soon as the previous reply is written, not at the next poll wake-up.
  CHECK((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 < 900);
  close(fd);
}

TEST(loopByteByByte, "runLoop() assembles a frame sent one byte at a time") {
  Server s("bytes", 2000);
  int fd = connectTo(s.path);
  for (uint8_t b : named("slow")) { send(fd, &b, 1, MSG_NOSIGNAL); usleep(200); }
  auto r = readReply(fd);
  CHECK_EQ(r.second, std::string("name:slow"));
  close(fd);
}

TEST(loopBrokenFraming, "runLoop() answers an impossible total_len with a protocol error, then closes") {
  Server s("broken");
  for (uint32_t total : {0u, 43u, uint32_t(PROTO_MAX_FRAME_BYTES) + 1}) {
    int fd = connectTo(s.path);
    std::vector<uint8_t> b(4);
    std::memcpy(b.data(), &total, 4);
    sendAll(fd, b);
    auto r = readReply(fd);
    CHECK_EQ(r.first, int64_t(2));
    CHECK_HAS(r.second, "Protocol error: total_len");
    CHECK(closedByPeer(fd));
    close(fd);
  }
}

TEST(loopContentError, "runLoop() keeps the connection after a content error") {
  Server s("content");
  int fd = connectTo(s.path);
  t::Frame bad = scalar("x");
  bad.numobjs = 0;
  sendAll(fd, bad.bytes());
  CHECK_HAS(readReply(fd).second, "numobjs 0");
  sendAll(fd, named("after"));
  CHECK_EQ(readReply(fd).second, std::string("name:after"));
  close(fd);
}

TEST(loopSilentClient, "runLoop() serves others while a client sits on a partial frame, then drops it") {
  Server s("silent", 300);
  int idle = connectTo(s.path);
  auto part = named("never");
  part.resize(10);
  sendAll(idle, part);
  int fd = connectTo(s.path);
  sendAll(fd, named("other"));
  CHECK_EQ(readReply(fd).second, std::string("name:other"));
  CHECK(closedByPeer(idle, 3000));
  close(idle);
  close(fd);
}

TEST(loopIdleKept, "runLoop() keeps an idle connection (no partial frame) open past the timeout") {
  Server s("idle", 200);
  int fd = connectTo(s.path);
  usleep(600 * 1000);
  sendAll(fd, named("late"));
  CHECK_EQ(readReply(fd).second, std::string("name:late"));
  close(fd);
}

TEST(loopEviction, "runLoop() closes the longest idle connection when full") {
  Server s("evict", 1000);
  int a = connectTo(s.path), b = connectTo(s.path);
  usleep(100 * 1000);
  int c = connectTo(s.path);
  sendAll(c, named("third"));
  CHECK_EQ(readReply(c).second, std::string("name:third"));
  CHECK(closedByPeer(a));
  sendAll(b, named("second"));
  CHECK_EQ(readReply(b).second, std::string("name:second"));
  close(a); close(b); close(c);
}

TEST(loopPeerGone, "runLoop() survives a client that closes before reading its reply") {
  Server s("gone");
  for (int i = 0; i < 20; ++i) {
    int fd = connectTo(s.path);
    sendAll(fd, named("bye"));
    close(fd);
  }
  int fd = connectTo(s.path);
  sendAll(fd, named("still"));
  CHECK_EQ(readReply(fd).second, std::string("name:still"));
  close(fd);
}

TEST_MAIN("test_frame")
