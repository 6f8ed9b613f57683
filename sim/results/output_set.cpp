// A results folder replaced as a whole (see output_set.hpp).
#include "sim/results/output_set.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>
#include <vector>

namespace scsim::results {

namespace fs = std::filesystem;

namespace {

std::atomic<int> received{0};
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

void on_signal(int signal) { received = signal; }

std::string reason(int error) { return error != 0 ? std::string(std::strerror(error)) : std::string("write failed"); }

// fsync a file or folder by path; returns errno or 0.
int sync_path(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return errno;
  int error = 0;
  if (::fsync(fd) != 0) error = errno;
  ::close(fd);
  return error;
}

bool process_alive(long pid) {
  if (pid <= 0) return false;
  if (pid == static_cast<long>(::getpid())) return false;  // ours can only be a leftover of a recycled pid
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

// "NAME.tmp-123" -> 123 when `entry` is `base` + `marker` + digits, else -1.
long leftover_pid(const std::string& entry, const std::string& base, const std::string& marker) {
  const std::string prefix = base + marker;
  if (entry.size() <= prefix.size() || entry.compare(0, prefix.size(), prefix) != 0) return -1;
  const std::string digits = entry.substr(prefix.size());
  if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) return -1;
  return std::stol(digits);
}

// Blocks the interrupt signals for the lifetime of the object.
class SignalBlock {
 public:
  SignalBlock() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : kSignals) sigaddset(&set, s);
    ::sigprocmask(SIG_BLOCK, &set, &old_);
  }
  ~SignalBlock() { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }
  SignalBlock(const SignalBlock&) = delete;
  SignalBlock& operator=(const SignalBlock&) = delete;

 private:
  sigset_t old_{};
};

struct SavedHandlers {
  struct sigaction old[3];
};
std::vector<SavedHandlers> saved;  // a stack, for nested guards

}  // namespace

int interrupt_signal() { return received.load(); }
void reset_interrupt() { received = 0; }
void raise_interrupt_flag(int signal) { received = signal; }
void throw_if_interrupted() {
  if (received != 0) throw Interrupted(fmt::format("interrupted (signal {}); no output was written", received.load()));
}

InterruptGuard::InterruptGuard() {
  SavedHandlers handlers{};
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  for (std::size_t i = 0; i < 3; ++i) ::sigaction(kSignals[i], &action, &handlers.old[i]);
  saved.push_back(handlers);
}

InterruptGuard::~InterruptGuard() {
  if (saved.empty()) return;
  for (std::size_t i = 0; i < 3; ++i) ::sigaction(kSignals[i], &saved.back().old[i], nullptr);
  saved.pop_back();
}

namespace {
bool outputs_are_suppressed = false;
}

void suppress_outputs(bool suppressed) {
  outputs_are_suppressed = suppressed;
}

OutputSet::OutputSet(std::string dir) : dir_(std::move(dir)), suppressed_(outputs_are_suppressed) {
  if (suppressed_) return;
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
  const fs::path target(dir_);
  fs::path parent = target.parent_path();
  if (parent.empty()) parent = ".";
  const std::string base = target.filename().string();
  if (base.empty() || base == "." || base == "..")
    throw std::runtime_error(fmt::format("cannot write {}: not a folder name", dir_));
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot write {}: {}", dir_, ec.message()));
  if (fs::exists(target, ec) && !fs::is_directory(target, ec))
    throw std::runtime_error(fmt::format("cannot write {}: {}", dir_, std::strerror(ENOTDIR)));
  // The whole folder is replaced: never a folder that holds something other than scsim results.
  if (fs::is_directory(target, ec) && !fs::is_empty(target, ec)) {
    bool ours = false;
    for (const char* marker : {"run_info.json", "summary.json", "compare.csv", "sweep.csv", "sensitivity.csv", "optimize.csv", "slice.pb"})
      ours = ours || fs::exists(target / marker, ec);
    if (!ours)
      throw std::runtime_error(fmt::format(
          "cannot write {}: it exists and holds no scsim results (the whole folder would be replaced); choose "
          "another -o DIR",
          dir_));
  }

  // Leftovers of killed runs: temporaries go; an old set whose swap was cut short comes back.
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const std::string name = entry.path().filename().string();
    const long tmp_pid = leftover_pid(name, base, ".tmp-");
    const long old_pid = leftover_pid(name, base, ".old-");
    std::error_code ignored;
    if (tmp_pid >= 0 && !process_alive(tmp_pid)) fs::remove_all(entry.path(), ignored);
    if (old_pid >= 0 && !process_alive(old_pid)) {
      if (!fs::exists(target, ignored)) fs::rename(entry.path(), target, ignored);
      else fs::remove_all(entry.path(), ignored);
    }
  }

  temp_ = parent / fmt::format("{}.tmp-{}", base, static_cast<long>(::getpid()));
  fs::remove_all(temp_, ec);
  fs::create_directory(temp_, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot write {}: {}", dir_, ec.message()));
}

OutputSet::~OutputSet() {
  syncing_.clear();  // each waits for its sync
  if (committed_ || suppressed_) return;
  std::error_code ignored;
  fs::remove_all(temp_, ignored);
}

void OutputSet::check_interrupt() const {
  if (interrupt_signal() != 0)
    throw Interrupted(fmt::format("interrupted (signal {}); {} left as it was", interrupt_signal(), dir_));
}

fs::path OutputSet::prepare(const std::string& relative) const {
  check_interrupt();
  const fs::path path = temp_ / relative;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw std::runtime_error(fmt::format("cannot write {}/{}: {}", dir_, relative, ec.message()));
  return path;
}

void OutputSet::write(const std::string& relative, const std::function<void(std::ostream&)>& body) {
  if (suppressed_) return;
  const fs::path path = prepare(relative);
  const std::string shown = fmt::format("{}/{}", dir_, relative);
  {
    errno = 0;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(fmt::format("cannot write {}: {}", shown, reason(errno)));
    errno = 0;
    body(out);
    // errno still holds why a write inside body() failed (ENOSPC, EIO, ...).
    if (!out) throw std::runtime_error(fmt::format("cannot write {}: {}", shown, reason(errno)));
    check_interrupt();
    errno = 0;
    out.flush();
    if (!out) throw std::runtime_error(fmt::format("cannot write {}: {}", shown, reason(errno)));
    out.close();
    if (out.fail()) throw std::runtime_error(fmt::format("cannot write {}: {}", shown, reason(errno)));
  }
  sync_later(path, shown);
  check_interrupt();
}

void OutputSet::sync_later(const fs::path& path, std::string shown) {
  SignalBlock block;  // the thread inherits the mask: interrupts go to the threads that handle them
  syncing_.push_back({std::move(shown), std::async(std::launch::async, [path] { return sync_path(path, false); })});
}

void OutputSet::finish_syncs() {
  for (auto& sync : syncing_)
    if (const int error = sync.error.get(); error != 0)
      throw std::runtime_error(fmt::format("cannot write {}: {}", sync.shown, reason(error)));
  syncing_.clear();
}

void OutputSet::write_with(const std::string& relative, const std::function<void(const std::string&)>& producer) {
  if (suppressed_) return;
  const fs::path path = prepare(relative);
  producer(path.string());
  sync_later(path, fmt::format("{}/{}", dir_, relative));
  check_interrupt();
}

void OutputSet::commit() {
  if (suppressed_) return;
  check_interrupt();
  finish_syncs();
  // Every folder of the set reaches the disk before it becomes visible.
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(temp_, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_directory(ec))
      if (const int error = sync_path(it->path(), true); error != 0)
        throw std::runtime_error(fmt::format("cannot write {}: {}", dir_, reason(error)));
  }
  if (const int error = sync_path(temp_, true); error != 0)
    throw std::runtime_error(fmt::format("cannot write {}: {}", dir_, reason(error)));

  const fs::path target(dir_);
  fs::path parent = target.parent_path();
  if (parent.empty()) parent = ".";
  const fs::path old = parent / fmt::format("{}.old-{}", target.filename().string(), static_cast<long>(::getpid()));
  {
    SignalBlock block;  // the two renames happen together or not at all, as far as signals go
    check_interrupt();
    const bool had_old = fs::exists(target, ec);
    if (had_old) {
      fs::rename(target, old, ec);
      if (ec) throw std::runtime_error(fmt::format("cannot write {}: {}", dir_, ec.message()));
    }
    fs::rename(temp_, target, ec);
    if (ec) {
      std::error_code ignored;
      if (had_old) fs::rename(old, target, ignored);
      throw std::runtime_error(fmt::format("cannot write {}: {}", dir_, ec.message()));
    }
    committed_ = true;
    sync_path(parent, true);
  }
  std::error_code ignored;
  fs::remove_all(old, ignored);
}

}  // namespace scsim::results
