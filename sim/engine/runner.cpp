#include "sim/engine/runner.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <stdexcept>

#include "sim/config/resolve.hpp"
#include "sim/results/results.pb.h"
#include "sim/results/series_codec.hpp"

namespace scsim::engine {

namespace {

std::atomic<int> interrupted{0};

void on_signal(int signal) {
  interrupted = signal;
}

// A worker process runs the replications it is handed one after another on one SimGrid engine (forking a
// process per replication cost more than a short replication: the fork, the engine's start-up, fresh pages).
// The parent writes replication indices (int32) down `command`; the worker answers each, in order, with one
// frame on `fd`: 'R' + the serialized result or 'E' + a message, after an 8-byte length.
struct Worker {
  pid_t pid = -1;
  int fd = -1;       // frames from the worker
  int command = -1;  // replication indices to the worker; closed when there are no more (the worker exits)
  std::deque<std::pair<int, int>> running;  // (replication, slot) handed to it and not answered yet, in order
  int last = -1;                            // the replication it answered last
  std::string data;
};

constexpr std::size_t kFrameHeader = 1 + sizeof(std::uint64_t);

bool write_all(int fd, const char* data, std::size_t size) {
  std::size_t sent = 0;
  while (sent < size) {
    const ssize_t n = ::write(fd, data + sent, size - sent);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// In the child: run each replication it is sent and answer with a frame, until the command pipe closes (exit
// 0) or a replication fails (exit 1 after its 'E' frame).
// `pack`: the worker packs the result's series (series_codec.hpp) before sending it, so that the parent, which
// keeps it packed, neither parses the ~5x larger plain form nor packs it while the workers run.
[[noreturn]] void run_worker(const scenario::Scenario& scenario, const network::Analysis& analysis,
                             const RuntimeOptions& options, bool pack, int command, int fd) {
  const char* kill = std::getenv("SCSIM_TEST_KILL_REPLICATION");
  for (;;) {
    std::int32_t replication = 0;
    std::size_t got = 0;
    while (got < sizeof replication) {
      const ssize_t n = ::read(command, reinterpret_cast<char*>(&replication) + got, sizeof replication - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ::close(fd);
        std::fflush(nullptr);
        _exit(n == 0 && got == 0 ? 0 : 2);
      }
      got += static_cast<std::size_t>(n);
    }
    // For the tests of failure reporting (slices, MPI ranks): the worker of this replication dies as if killed.
    if (kill && std::to_string(replication) == kill) ::raise(SIGKILL);
    std::string out(kFrameHeader, '\0');
    int code = 0;
    try {
      auto result = run_replication(scenario, analysis, replication, options);
      if (pack) results::pack_series(result);
      out[0] = 'R';
      result.AppendToString(&out);
    } catch (const std::exception& error) {
      out[0] = 'E';
      out.append(error.what());
      code = 1;
    }
    const std::uint64_t length = out.size() - kFrameHeader;
    std::memcpy(out.data() + 1, &length, sizeof length);
    if (!write_all(fd, out.data(), out.size())) _exit(2);
    if (code != 0) {
      ::close(fd);
      std::fflush(nullptr);
      _exit(code);
    }
  }
}

// `inherited`: the parent's ends of the other workers' pipes, which the new worker closes (a command pipe
// still open in another worker would never reach its end).
Worker start_worker(const scenario::Scenario& scenario, const network::Analysis& analysis,
                    const RuntimeOptions& options, bool pack, const std::vector<int>& inherited) {
  int fds[2], commands[2];
  if (::pipe(fds) != 0) throw std::runtime_error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  if (::pipe(commands) != 0) {
    const int error = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(fmt::format("cannot create a pipe: {}", std::strerror(error)));
  }
  std::fflush(nullptr);  // nothing buffered may be printed twice
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    for (int f : {fds[0], fds[1], commands[0], commands[1]}) ::close(f);
    throw std::runtime_error(fmt::format("cannot start a worker process: {}", std::strerror(error)));
  }
  if (pid == 0) {
    // A worker dies with its parent, whatever kills the parent (SIGKILL, the
    // out-of-memory killer): it must not run on under PID 1. The check after
    // prctl covers a parent that died before it took effect.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) _exit(3);
    ::close(fds[0]);
    ::close(commands[1]);
    for (int f : inherited) ::close(f);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGHUP, SIG_DFL);
    // Writes to a parent that stopped reading fail instead of killing the worker.
    std::signal(SIGPIPE, SIG_IGN);
    run_worker(scenario, analysis, options, pack, commands[0], fds[1]);
  }
  ::close(fds[1]);
  ::close(commands[0]);
  Worker worker;
  worker.pid = pid;
  worker.fd = fds[0];
  worker.command = commands[1];
  return worker;
}

// "1:02:03", "4:05" or "12 s".
std::string duration_text(double seconds) {
  const auto total = static_cast<long>(seconds + 0.5);
  if (total < 60) return fmt::format("{} s", total);
  if (total < 3600) return fmt::format("{}:{:02d}", total / 60, total % 60);
  return fmt::format("{}:{:02d}:{:02d}", total / 3600, (total / 60) % 60, total % 60);
}

// The progress line: "LABEL: replications 40/100, 12.3/s, 5 s left".
std::string progress_text(const std::string& label, int done, int count, double elapsed) {
  std::string text = fmt::format("{}replications {}/{}", label.empty() ? "" : label + ": ", done, count);
  if (done > 0 && elapsed > 0) {
    const double rate = done / elapsed;
    text += fmt::format(", {:.{}f}/s", rate, rate < 10 ? 1 : 0);
    if (done < count) text += fmt::format(", {} left", duration_text((count - done) / rate));
    else text += fmt::format(", {}", duration_text(elapsed));
  }
  return text;
}

void stop_all(std::map<int, Worker>& workers) {
  for (auto& [fd, worker] : workers) {
    ::kill(worker.pid, SIGTERM);
    ::close(fd);
    if (worker.command >= 0) ::close(worker.command);
    int status = 0;
    ::waitpid(worker.pid, &status, 0);
  }
  workers.clear();
}

}  // namespace

std::vector<scsim::ReplicationResult> run_replications(const scenario::Scenario& scenario,
                                                       const network::Analysis& analysis, int count,
                                                       const RunnerOptions& options) {
  std::vector<int> indices(static_cast<std::size_t>(std::max(count, 0)));
  for (int i = 0; i < count; ++i) indices[static_cast<std::size_t>(i)] = i;
  return run_replication_indices(scenario, analysis, indices, options);
}

std::vector<scsim::ReplicationResult> run_replication_indices(const scenario::Scenario& scenario,
                                                              const network::Analysis& analysis,
                                                              const std::vector<int>& indices,
                                                              const RunnerOptions& options) {
  const int count = static_cast<int>(indices.size());
  std::vector<scsim::ReplicationResult> results(static_cast<std::size_t>(count));
  interrupted = 0;
  struct sigaction action {};
  action.sa_handler = on_signal;
  // SIGHUP (the terminal closed) stops a run like SIGINT and SIGTERM do.
  struct sigaction old_int {
  }, old_term{}, old_hup{}, old_pipe{};
  ::sigaction(SIGINT, &action, &old_int);
  ::sigaction(SIGTERM, &action, &old_term);
  ::sigaction(SIGHUP, &action, &old_hup);
  // A command pipe whose worker died must not kill the parent: the write fails and the worker's end is reported.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old_pipe);
  auto restore = [&] {
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGTERM, &old_term, nullptr);
    ::sigaction(SIGHUP, &old_hup, nullptr);
    ::sigaction(SIGPIPE, &old_pipe, nullptr);
  };

  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  const bool show = (options.progress && terminal) || options.progress_always;
  const auto started = std::chrono::steady_clock::now();
  double last_line = -1e9;  // when the last non-terminal line was printed, seconds
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
  std::map<int, Worker> workers;  // by pipe fd
  int next = 0, done = 0;
  // Hands `worker` its next replication, or closes its command pipe when none is left (then it exits).
  const auto jobs = static_cast<std::size_t>(std::max(1, options.jobs));
  auto feed = [&](Worker& worker) {
    if (worker.command < 0) return;
    // The last replications go one at a time to whichever worker is free: handed two each to the end, a
    // worker could still hold two when the others had none left, and they waited for it idle.
    if (next < count && !worker.running.empty() && static_cast<std::size_t>(count - next) <= jobs) return;
    if (next >= count) {
      ::close(worker.command);
      worker.command = -1;
      return;
    }
    const std::int32_t replication = indices[static_cast<std::size_t>(next)];
    // A worker gone already shows as the end of its frames, where it is reported.
    if (write_all(worker.command, reinterpret_cast<const char*>(&replication), sizeof replication))
      worker.running.emplace_back(replication, next);
    ++next;
  };
  // Two replications in hand keep a worker busy while the parent reads the last result.
  constexpr std::size_t kInHand = 2;
  try {
    const int start = std::min(count, std::max(1, options.jobs));
    for (int w = 0; w < start; ++w) {
      std::vector<int> inherited;
      for (const auto& [fd, other] : workers) inherited.insert(inherited.end(), {fd, other.command});
      Worker worker = start_worker(scenario, analysis, options.runtime, options.pack_series, inherited);
      const int fd = worker.fd;
      workers.emplace(fd, std::move(worker));
    }
    // Round-robin, so that short runs share the replications out evenly.
    for (std::size_t round = 0; round < kInHand; ++round)
      for (auto& [fd, worker] : workers) feed(worker);
    while (!workers.empty()) {
      std::vector<pollfd> fds;
      for (const auto& [fd, worker] : workers) fds.push_back({fd, POLLIN, 0});
      const int ready = ::poll(fds.data(), fds.size(), -1);
      if (interrupted) throw Interrupted();
      if (ready < 0) {
        if (errno == EINTR) continue;
        throw std::runtime_error(fmt::format("waiting for workers failed: {}", std::strerror(errno)));
      }
      for (const auto& p : fds) {
        if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
        Worker& worker = workers.at(p.fd);
        char buffer[65536];
        const ssize_t n = ::read(p.fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n > 0) {
          worker.data.append(buffer, static_cast<std::size_t>(n));
          // Every whole frame: a result or a failure.
          std::size_t used = 0;
          while (worker.data.size() - used >= kFrameHeader) {
            std::uint64_t length = 0;
            std::memcpy(&length, worker.data.data() + used + 1, sizeof length);
            if (worker.data.size() - used - kFrameHeader < length) break;
            const char tag = worker.data[used];
            const char* payload = worker.data.data() + used + kFrameHeader;
            used += kFrameHeader + length;
            if (worker.running.empty())
              throw std::runtime_error("a worker answered a replication it was not given");
            const auto [replication, slot] = worker.running.front();
            worker.running.pop_front();
            worker.last = replication;
            if (tag != 'R')
              throw std::runtime_error(fmt::format("replication {} failed: {}", replication,
                                                   std::string(payload, static_cast<std::size_t>(length))));
            feed(worker);
            auto& result = results[static_cast<std::size_t>(slot)];
            if (!result.ParseFromArray(payload, static_cast<int>(length)))
              throw std::runtime_error(fmt::format("replication {}: unreadable result from its worker", replication));
            // Kept until the outputs are written; packed by the worker when options.pack_series (run_worker).
            ++done;
            if (show && terminal) {
              fmt::print(stderr, "\r\033[K{}", progress_text(options.label, done, count, elapsed()));
            } else if (show && (done == count || elapsed() - last_line >= 2.0)) {
              last_line = elapsed();
              fmt::print(stderr, "{}\n", progress_text(options.label, done, count, last_line));
            }
          }
          worker.data.erase(0, used);
          continue;
        }
        // End of frames: the worker has exited (or died).
        ::close(p.fd);
        if (worker.command >= 0) ::close(worker.command);
        worker.command = -1;
        int status = 0;
        ::waitpid(worker.pid, &status, 0);
        const auto running = worker.running;
        const int last = worker.last;
        const bool partial = !worker.data.empty();
        workers.erase(p.fd);
        // A result counts only from a worker that also exited cleanly: one that
        // crashed while exiting may have sent a result from a corrupted state.
        const bool clean_exit = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (!running.empty() || partial || !clean_exit) {
          const std::string how = WIFSIGNALED(status) ? fmt::format("killed by signal {}", WTERMSIG(status))
                                                      : fmt::format("exited with status {}", WEXITSTATUS(status));
          if (running.empty())
            throw std::runtime_error(
                fmt::format("replication {} failed: its worker {} after sending its result", last, how));
          throw std::runtime_error(fmt::format("replication {} failed: its worker {}", running.front().first, how));
        }
      }
    }
  } catch (...) {
    stop_all(workers);
    restore();
    if (show && terminal) fmt::print(stderr, "\n");
    throw;
  }
  restore();
  if (show && terminal) fmt::print(stderr, "\r\033[K");
  return results;
}

namespace {
Distributor& distributor() {
  static Distributor installed;
  return installed;
}
}  // namespace

void set_distributor(Distributor installed) {
  distributor() = std::move(installed);
}

std::vector<scsim::ReplicationResult> run_replications(const scsim::Scenario& message,
                                                       const network::Analysis& analysis, int count,
                                                       const RunnerOptions& options) {
  const auto scenario = config::resolve(message);
  if (!distributor()) return run_replications(scenario, analysis, count, options);
  return distributor()(message, count, [&](const std::vector<int>& indices) {
    return run_replication_indices(scenario, analysis, indices, options);
  });
}

}  // namespace scsim::engine
