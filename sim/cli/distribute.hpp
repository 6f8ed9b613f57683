// Sharing replications out: slices (--replications A:B, then `scsim merge`)
// and MPI ranks (--mpi). Both hook into engine::run_replications through a
// distributor, so every verb (run, compare, sweep, sensitivity) gets them
// without code of its own, and its outputs are written by its own code from
// the same results: byte-identical to a run in one process.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace scsim::cli {

struct SliceRange {
  int first = 0;  // replications first..last-1
  int last = 0;
};

// "A:B" with 0 <= A < B <= max: the range; otherwise an error message.
std::optional<SliceRange> parse_slice(const std::string& text, int max, std::string& error);

// The command line after `scsim` with the values of -r/--replications and
// -o/--output replaced by "@R" and "@O", and without what changes no output
// (-j, -q, --progress, --mpi): what a slice records for merge.
std::vector<std::string> normalized_arguments(int argc, char** argv);

// Slice mode: this process runs replications first..last-1 of every batch,
// writes nothing but DIR/slice.pb (at finish_slice) and prints nothing on stdout.
void begin_slice(const SliceRange& range, const std::vector<std::string>& arguments);
// Writes DIR/slice.pb as a set (OutputSet) and restores stdout; prints what it wrote.
void finish_slice(const std::string& dir);
// Leaves slice mode without writing (an error).
void abandon_slice();

// `scsim merge DIR... -o OUT`: reads the slices, checks that they are one
// command cut into pieces covering 0..N-1 once, and returns the command line
// to rerun (with -r N and -o OUT) after installing a distributor that serves
// the recorded results. Throws std::runtime_error with the reason.
std::vector<std::string> prepare_merge(const std::vector<std::string>& dirs, const std::string& output);
// After the rerun: every recorded batch must have been used.
void finish_merge();

// MPI (--mpi): initialises MPI, installs the distributor that runs replication
// i on rank i mod size and gathers on rank 0; ranks other than 0 write nothing
// and print nothing on stdout (on stderr only errors of their own). Throws
// std::runtime_error when built without MPI.
void begin_mpi(int& argc, char**& argv);
bool mpi_active();
int mpi_rank();
// Finalises MPI (after a verb returned normally or with an error every rank shares).
void end_mpi();
// Ends every rank at once (an interrupt, an error only this rank has).
[[noreturn]] void abort_mpi(int code);

// A failure every rank learnt through the exchange (rank 0 reports it; the others stay quiet).
struct SharedMpiError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// "" in one process and on rank 0; " (MPI rank N)" elsewhere: errors only one rank has are reported by it.
std::string rank_tag();
// True on ranks other than 0 for an error rank 0 reports too.
bool reported_by_rank0(const std::exception& error);

}  // namespace scsim::cli
