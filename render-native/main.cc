// main.cc: dqm-render, the render daemon. Wiring only: arguments, plugins,
// socket, event loop, and the per-frame handler (parse -> render -> reply).
//
//   dqm-render --state-directory DIR/ [--rules DIR] [--plugin LIB.so]... [--debug]
//
// As the classic daemon (spec/render.md §1.1, §1.8): the socket is
// "<DIR>socket" (plain concatenation), the pid goes to "<DIR>pid", and a
// stale socket is removed first.
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <fstream>

#include "ev_loop.h"
#include "net_unix.h"
#include "proto_frame.h"
#include "proto_limits.h"
#include "render_model.h"
#include "render_plugins.h"

using namespace rd;

namespace {

volatile std::sig_atomic_t gStop = 0;

void onStop(int) { gStop = 1; }

// SIGVTALRM: a request used EV_RENDER_CPU_SECONDS of CPU. Say so and exit;
// the server restarts the daemon (classic render.cc died the same way).
void onCpuLimit(int) {
  const char msg[] = "dqm-render: a request exceeded its CPU limit; exiting\n";
  ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
  (void)ignored;
  _exit(3);
}

void cpuGuard(bool arm) {
  itimerval t{};
  t.it_value.tv_sec = arm ? EV_RENDER_CPU_SECONDS : 0;
  setitimer(ITIMER_VIRTUAL, &t, nullptr);
}

// Command line, compatible with the classic daemon's --state-directory and
// --debug/--no-debug; --rules and --plugin replace its --load.
struct Args {
  std::string stateDir, rulesDir;
  std::vector<std::string> plugins;
  bool debug = false;
};

int usage(const char* why) {
  std::fprintf(stderr,
               "dqm-render: %s\nusage: dqm-render --state-directory DIR/ [--rules DIR] [--plugin LIB.so]... [--debug]\n",
               why);
  return 2;
}

double elapsedMs(const timespec& t0) {
  timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
}

// One request: parse and decode, render, reply. Never throws.
void handleFrame(const uint8_t* frame, size_t size, std::vector<uint8_t>& reply, const PluginTable& plugins,
                 bool debug) {
  timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  cpuGuard(true);
  RenderRequest req;
  std::string error;
  uint32_t code = REPLY_ERROR;
  std::vector<uint8_t> png;
  try {
    code = parseRequest(frame, size, req, error);
    if (code == REPLY_OK) {
      int rc = renderPng(req, plugins, png, error);
      code = rc == 0 ? REPLY_OK : rc == 1 ? REPLY_MISSING_STREAMERS : REPLY_ERROR;
    }
  } catch (const std::exception& e) {  // e.g. bad_alloc in drawing: one failed request, not a dead daemon
    code = REPLY_ERROR;
    png.clear();
    error = std::string("Cannot render: ") + e.what();
  }
  cpuGuard(false);
  // A drawn image goes back even with a non-zero code (spec/render.md §1.5); else the message.
  if (!png.empty()) appendReply(reply, code, png.data(), png.size());
  else appendReply(reply, code, error.data(), error.size());
  if (debug || (code != REPLY_OK && !png.empty()))
    std::fprintf(stderr, "dqm-render: \"%s\" %zu objects: code %u, %zu bytes, %.1f ms%s%s\n", req.name.c_str(),
                 req.objects.size(), code, png.empty() ? error.size() : png.size(), elapsedMs(t0),
                 error.empty() ? "" : ": ", error.c_str());
}

bool writePid(const std::string& path) {
  std::ofstream out(path, std::ios::trunc);
  out << getpid() << "\n";
  return bool(out);
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    bool hasValue = i + 1 < argc;
    if (arg == "--state-directory" && hasValue) a.stateDir = argv[++i];
    else if (arg == "--rules" && hasValue) a.rulesDir = argv[++i];
    else if (arg == "--plugin" && hasValue) a.plugins.push_back(argv[++i]);
    else if (arg == "--debug") a.debug = true;
    else if (arg == "--no-debug") a.debug = false;
    else return usage(("unknown or incomplete argument \"" + arg + "\"").c_str());
  }
  if (a.stateDir.empty()) return usage("--state-directory is required");
  // Refuse early: the server polls for the socket, so a clear message here
  // saves it a timeout (spec/render.md §6 "Daemon never creates its socket").
  struct stat st;
  std::string dir = a.stateDir.substr(0, a.stateDir.find_last_not_of('/') + 1);
  if (stat(dir.empty() ? "/" : dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    std::fprintf(stderr, "dqm-render: Cannot use state directory \"%s\": not a directory\n", a.stateDir.c_str());
    return 1;
  }

  signal(SIGPIPE, SIG_IGN);
  // Die with the server even when it is killed with SIGKILL and cannot stop us (Linux).
  prctl(PR_SET_PDEATHSIG, SIGKILL);

  struct sigaction sa{};

  sa.sa_handler = onStop;  // no SA_RESTART: poll() returns EINTR and the loop sees gStop
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
  sa.sa_handler = onCpuLimit;
  sigaction(SIGVTALRM, &sa, nullptr);

  // Plugins load before the socket exists, so a daemon with a broken rule
  // file never accepts a request.
  PluginTable plugins;
  std::string error;
  if (!loadPlugins(a.rulesDir, a.plugins, plugins, error)) {
    std::fprintf(stderr, "dqm-render: %s\n", error.c_str());
    return 1;
  }
  std::string socketPath = a.stateDir + "socket", pidPath = a.stateDir + "pid";
  int lfd = netUnixServer(socketPath, error);
  if (lfd < 0) {
    std::fprintf(stderr, "dqm-render: %s\n", error.c_str());
    return 1;
  }
  if (!writePid(pidPath)) std::fprintf(stderr, "dqm-render: Cannot write pid file \"%s\"\n", pidPath.c_str());
  std::fprintf(stderr, "dqm-render: listening on \"%s\" (pid %d, %zu rules, %zu native plugins)\n",
               socketPath.c_str(), int(getpid()), plugins.rules.size(), plugins.natives.size());

  LoopOptions opt{EV_IO_TIMEOUT_MS, EV_MAX_CONNECTIONS, a.debug};
  auto handler = [&](const uint8_t* f, size_t n, std::vector<uint8_t>& out) {
    handleFrame(f, n, out, plugins, a.debug);
  };
  int rc = runLoop(lfd, handler, opt, &gStop, error);
  if (rc != RD_OK) std::fprintf(stderr, "dqm-render: %s\n", error.c_str());
  close(lfd);
  unlink(socketPath.c_str());
  unlink(pidPath.c_str());
  std::fprintf(stderr, "dqm-render: stopped\n");
  return rc == RD_OK ? 0 : 1;
}
