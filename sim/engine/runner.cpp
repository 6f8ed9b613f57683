#include "sim/engine/runner.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

struct Worker {
  pid_t pid = -1;
  int fd = -1;
  int replication = 0;
  int slot = 0;  // position in the caller's list of indices
  std::string data;
};

// In the child: run, then send 'R' + serialized result, or 'E' + message.
[[noreturn]] void run_child(const scenario::Scenario& scenario, const network::Analysis& analysis, int replication,
                            const RuntimeOptions& options, int fd) {
  // For the tests of failure reporting (slices, MPI ranks): the worker of this replication dies as if killed.
  if (const char* kill = std::getenv("SCSIM_TEST_KILL_REPLICATION"); kill && std::to_string(replication) == kill)
    ::raise(SIGKILL);
  std::string out;
  int code = 0;
  try {
    const auto result = run_replication(scenario, analysis, replication, options);
    out = "R";
    result.AppendToString(&out);
  } catch (const std::exception& error) {
    out = "E";
    out.append(error.what());
    code = 1;
  }
  std::size_t sent = 0;
  while (sent < out.size()) {
    const ssize_t n = ::write(fd, out.data() + sent, out.size() - sent);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(2);
    sent += static_cast<std::size_t>(n);
  }
  ::close(fd);
  std::fflush(nullptr);
  _exit(code);
}

Worker start_worker(const scenario::Scenario& scenario, const network::Analysis& analysis, int replication,
                    const RuntimeOptions& options) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  std::fflush(nullptr);  // nothing buffered may be printed twice
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(fmt::format("cannot start a worker process: {}", std::strerror(errno)));
  if (pid == 0) {
    // A worker dies with its parent, whatever kills the parent (SIGKILL, the
    // out-of-memory killer): it must not run on under PID 1. The check after
    // prctl covers a parent that died before it took effect.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) _exit(3);
    ::close(fds[0]);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGHUP, SIG_DFL);
    run_child(scenario, analysis, replication, options, fds[1]);
  }
  ::close(fds[1]);
  return Worker{pid, fds[0], replication, 0, {}};
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
  }, old_term{}, old_hup{};
  ::sigaction(SIGINT, &action, &old_int);
  ::sigaction(SIGTERM, &action, &old_term);
  ::sigaction(SIGHUP, &action, &old_hup);
  auto restore = [&] {
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGTERM, &old_term, nullptr);
    ::sigaction(SIGHUP, &old_hup, nullptr);
  };

  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  const bool show = (options.progress && terminal) || options.progress_always;
  const auto started = std::chrono::steady_clock::now();
  double last_line = -1e9;  // when the last non-terminal line was printed, seconds
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
  std::map<int, Worker> workers;  // by pipe fd
  int next = 0, done = 0;
  try {
    while (done < count) {
      while (next < count && static_cast<int>(workers.size()) < std::max(1, options.jobs)) {
        Worker worker = start_worker(scenario, analysis, indices[static_cast<std::size_t>(next)], options.runtime);
        worker.slot = next++;
        workers.emplace(worker.fd, std::move(worker));
      }
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
          continue;
        }
        // End of data: the worker has finished.
        ::close(p.fd);
        int status = 0;
        ::waitpid(worker.pid, &status, 0);
        const int replication = worker.replication;
        const int slot = worker.slot;
        const std::string data = std::move(worker.data);
        workers.erase(p.fd);
        // A result counts only from a worker that also exited cleanly: one that
        // crashed while exiting may have sent a result from a corrupted state.
        const bool clean_exit = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (data.empty() || data[0] != 'R' || !clean_exit) {
          const std::string how = WIFSIGNALED(status) ? fmt::format("killed by signal {}", WTERMSIG(status))
                                                      : fmt::format("exited with status {}", WEXITSTATUS(status));
          const std::string why = !data.empty() && data[0] == 'E'   ? data.substr(1)
                                  : !data.empty() && data[0] == 'R' ? "its worker " + how + " after sending its result"
                                                                    : "its worker " + how;
          throw std::runtime_error(fmt::format("replication {} failed: {}", replication, why));
        }
        if (!results[static_cast<std::size_t>(slot)].ParseFromString(data.substr(1)))
          throw std::runtime_error(fmt::format("replication {}: unreadable result from its worker", replication));
        // Kept until the outputs are written: packed (lossless), so thousands fit in bounded memory.
        if (options.pack_series) results::pack_series(results[static_cast<std::size_t>(slot)]);
        ++done;
        if (show && terminal) {
          fmt::print(stderr, "\r\033[K{}", progress_text(options.label, done, count, elapsed()));
        } else if (show && (done == count || elapsed() - last_line >= 2.0)) {
          last_line = elapsed();
          fmt::print(stderr, "{}\n", progress_text(options.label, done, count, last_line));
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
