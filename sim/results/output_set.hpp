// A results folder replaced as a whole: every verb writes its complete output into a temporary folder beside
// the destination and swaps it in only when every file is written and synced.
//
//   OutputSet set("results/compare");          // cleans stale DIR.tmp-PID / DIR.old-PID of dead processes
//   set.write("compare.csv", [&](std::ostream& out) { ... });
//   set.write("stargate_tsmc/summary.json", ...); // sub-folders are created as needed
//   set.commit();                                // DIR -> DIR.old-PID, DIR.tmp-PID -> DIR, remove DIR.old-PID
//
// Until commit() the destination is untouched; if the set is destroyed without commit() (an error, an
// interrupt) its temporary folder is removed. An interrupt (SIGINT, SIGTERM, SIGHUP) while an InterruptGuard
// is alive is recorded, not fatal: the next write() or commit() throws Interrupted, so the previous complete
// set stays and nothing new appears. The swap itself runs with those signals blocked.
#pragma once

#include <csignal>
#include <filesystem>
#include <functional>
#include <future>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace scsim::results {

// Thrown by OutputSet when an interrupt arrived; `what()` says what was kept.
struct Interrupted : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// While alive, SIGINT, SIGTERM and SIGHUP set a flag instead of killing the process (handlers installed by
// others later, e.g. the replication runner, take precedence while they are installed). Restores the previous
// handlers when destroyed. One per verb.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

// The signal received since the last reset (0: none).
int interrupt_signal();
void reset_interrupt();
// For tests: behave as if `signal` had arrived.
void raise_interrupt_flag(int signal);
// Throws Interrupted("interrupted (signal N); nothing was written") when an interrupt was recorded.
void throw_if_interrupted();

// While suppressed, every OutputSet made writes nothing and leaves the disk alone: a slice of replications
// (--replications A:B) or an MPI rank other than 0 runs a verb to the end without writing its outputs.
void suppress_outputs(bool suppressed);

class OutputSet {
 public:
  // `dir` is the destination folder (created with its parents on commit). Removes leftovers of killed runs
  // beside it: DIR.tmp-PID and DIR.old-PID of processes that no longer exist (an orphaned DIR.old-PID is put
  // back as DIR when DIR is missing). Creates DIR.tmp-<this pid>. Throws std::runtime_error
  // ("cannot write DIR: reason").
  explicit OutputSet(std::string dir);
  ~OutputSet();
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  const std::string& dir() const { return dir_; }
  const std::filesystem::path& temporary() const { return temp_; }

  // Writes `relative` (e.g. "summary.json", "NAME/timeline.csv") into the temporary folder through `body`,
  // then checks the stream, closes the file and starts its fsync on a thread of its own (commit() waits for
  // it). Throws std::runtime_error("cannot write DIR/RELATIVE: reason") on any failure (including a stream
  // `body` left failed; a failed fsync from commit()), Interrupted when an interrupt arrived before or during
  // the write.
  void write(const std::string& relative, const std::function<void(std::ostream&)>& body);
  // As write(), for a binary producer that writes to a file path itself (gzip); it must throw on failure.
  void write_with(const std::string& relative, const std::function<void(const std::string& path)>& producer);

  // Waits for the files' fsyncs, then swaps the temporary folder in as DIR (fsyncing folders). Throws
  // Interrupted if an interrupt arrived before; std::runtime_error when a file's fsync failed ("cannot write
  // DIR/RELATIVE: reason") or a rename fails (the previous set is put back).
  void commit();

 private:
  void check_interrupt() const;
  std::filesystem::path prepare(const std::string& relative) const;

  // Starts syncing a written file on a thread of its own: the syncs of one file ran while the next one was
  // computed (the timeline takes the longest), instead of ~0.5 ms each on the path of every command.
  void sync_later(const std::filesystem::path& path, std::string shown);
  // Waits for every sync started; throws for the first that failed.
  void finish_syncs();

  std::string dir_;
  std::filesystem::path temp_;
  struct Syncing {
    std::string shown;  // DIR/RELATIVE, for the message
    std::future<int> error;
  };
  std::vector<Syncing> syncing_;
  bool committed_ = false;
  bool suppressed_ = false;  // made while outputs were suppressed: a no-op
};

}  // namespace scsim::results
