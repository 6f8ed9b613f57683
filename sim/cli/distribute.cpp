#include "sim/cli/distribute.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <stdexcept>

#include "sim/config/scenario.pb.h"
#include "sim/engine/runner.hpp"
#include "sim/results/output_set.hpp"
#include "sim/results/results.pb.h"

#ifdef SCSIM_WITH_MPI
#include <mpi.h>
#endif

namespace scsim::cli {

namespace {

constexpr int kSliceFormat = 1;

// FNV-1a of the scenario message without `replications` (deterministic serialization).
std::uint64_t scenario_hash(const scsim::Scenario& message) {
  scsim::Scenario copy = message;
  copy.clear_replications();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy.SerializeToCodedStream(&coded);
  }
  std::uint64_t h = 14695981039346656037ull;
  for (const unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// stdout (and stderr) to /dev/null while a slice or a rank other than 0 runs a verb.
struct Silence {
  int saved_out = -1, saved_err = -1;
  void begin(bool also_stderr) {
    std::fflush(nullptr);
    const int null = ::open("/dev/null", O_WRONLY);
    if (null < 0) return;
    saved_out = ::dup(STDOUT_FILENO);
    ::dup2(null, STDOUT_FILENO);
    if (also_stderr) {
      saved_err = ::dup(STDERR_FILENO);
      ::dup2(null, STDERR_FILENO);
    }
    ::close(null);
  }
  void end() {
    std::fflush(nullptr);
    if (saved_out >= 0) ::dup2(saved_out, STDOUT_FILENO), ::close(saved_out), saved_out = -1;
    if (saved_err >= 0) ::dup2(saved_err, STDERR_FILENO), ::close(saved_err), saved_err = -1;
  }
};

// Every position of a batch the verb receives must hold a well-formed result;
// in a slice (or on a rank other than 0) those it did not run are copies of
// one it has. Nothing is written from them.
std::vector<scsim::ReplicationResult> padded(int count, const scsim::ReplicationResult& filler) {
  return std::vector<scsim::ReplicationResult>(static_cast<std::size_t>(count), filler);
}

struct SliceState {
  SliceRange range;
  scsim::Slice slice;
  Silence silence;
} slice_state;

struct MergeState {
  std::vector<std::uint64_t> hashes;
  std::vector<std::vector<scsim::ReplicationResult>> batches;
  std::size_t next = 0;
  int count = 0;
} merge_state;

}  // namespace

std::optional<SliceRange> parse_slice(const std::string& text, int max, std::string& error) {
  const auto colon = text.find(':');
  const auto number = [](const std::string& digits, long& value) {
    if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
    value = std::stol(digits);
    return true;
  };
  long a = 0, b = 0;
  if (colon == std::string::npos || !number(text.substr(0, colon), a) || !number(text.substr(colon + 1), b)) {
    error = fmt::format("must be a number of replications N or a slice A:B of replication indices (got '{}')", text);
    return std::nullopt;
  }
  if (a >= b || b > max) {
    error = fmt::format("slice {}:{} must have 0 <= A < B <= {} (replications A to B-1)", a, b, max);
    return std::nullopt;
  }
  return SliceRange{static_cast<int>(a), static_cast<int>(b)};
}

std::vector<std::string> normalized_arguments(int argc, char** argv) {
  std::vector<std::string> out;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto option = [&](const char* shortname, const char* longname, const char* mark) {
      if ((arg == shortname || arg == longname) && i + 1 < argc) {
        out.push_back(arg);
        out.push_back(mark);
        ++i;
        return true;
      }
      const std::string with_eq = std::string(longname) + "=";
      if (arg.rfind(with_eq, 0) == 0) return out.push_back(with_eq + mark), true;
      if (arg.size() > 2 && arg.rfind(shortname, 0) == 0) return out.push_back(std::string(shortname) + mark), true;
      return false;
    };
    if (option("-r", "--replications", "@R") || option("-o", "--output", "@O")) continue;
    // How the slice ran changes no output: its workers, progress, MPI.
    if (option("-j", "--jobs", "")) {
      out.resize(out.size() - (out.back().empty() ? 2 : 1));
      continue;
    }
    if (arg == "--mpi" || arg == "-q" || arg == "--quiet" || arg == "--progress") continue;
    out.push_back(arg);
  }
  return out;
}

void begin_slice(const SliceRange& range, const std::vector<std::string>& arguments) {
  slice_state.range = range;
  slice_state.slice.Clear();
  slice_state.slice.set_format(kSliceFormat);
  for (const auto& argument : arguments) slice_state.slice.add_arguments(argument);
  slice_state.slice.set_first(range.first);
  slice_state.slice.set_last(range.last);
  results::suppress_outputs(true);
  slice_state.silence.begin(false);
  engine::set_distributor([](const scsim::Scenario& message, int count, const engine::LocalRun& run_local) {
    const auto [first, last] = slice_state.range;
    if (count < last)
      throw std::runtime_error(fmt::format("slice {}:{} reaches beyond the {} replications of a batch", first, last, count));
    std::vector<int> indices;
    for (int i = first; i < last; ++i) indices.push_back(i);
    auto mine = run_local(indices);
    auto* batch = slice_state.slice.add_batches();
    batch->set_scenario_hash(scenario_hash(message));
    for (const auto& result : mine) *batch->add_results() = result;
    auto all = padded(count, mine.front());
    for (std::size_t k = 0; k < mine.size(); ++k) all[static_cast<std::size_t>(first) + k] = std::move(mine[k]);
    return all;
  });
}

void abandon_slice() {
  engine::set_distributor({});
  results::suppress_outputs(false);
  slice_state.silence.end();
}

void finish_slice(const std::string& dir) {
  abandon_slice();
  results::OutputSet set(dir);
  set.write("slice.pb", [&](std::ostream& out) {
    if (!slice_state.slice.SerializeToOstream(&out)) out.setstate(std::ios::badbit);
  });
  set.commit();
  fmt::print("wrote {}/slice.pb: replications {}:{} of {} batch{}; combine the slices with scsim merge\n", dir,
             slice_state.range.first, slice_state.range.last, slice_state.slice.batches_size(),
             slice_state.slice.batches_size() == 1 ? "" : "es");
}

std::vector<std::string> prepare_merge(const std::vector<std::string>& dirs, const std::string& output) {
  struct Loaded {
    std::string dir;
    scsim::Slice slice;
  };
  std::vector<Loaded> slices;
  for (const auto& dir : dirs) {
    const std::string path = dir + "/slice.pb";
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(fmt::format("{}: no slice here (run with --replications A:B -o {})", path, dir));
    Loaded loaded{dir, {}};
    if (!loaded.slice.ParseFromIstream(&in) || loaded.slice.format() != kSliceFormat)
      throw std::runtime_error(fmt::format("{}: not a slice this scsim can read", path));
    slices.push_back(std::move(loaded));
  }
  const auto& first = slices.front().slice;
  for (const auto& [dir, slice] : slices) {
    if (!std::equal(slice.arguments().begin(), slice.arguments().end(), first.arguments().begin(),
                    first.arguments().end())) {
      std::string a, b;
      for (const auto& x : first.arguments()) a += (a.empty() ? "" : " ") + x;
      for (const auto& x : slice.arguments()) b += (b.empty() ? "" : " ") + x;
      throw std::runtime_error(fmt::format("{} and {} are slices of different commands ('{}' and '{}')",
                                           slices.front().dir, dir, a, b));
    }
    if (slice.batches_size() != first.batches_size())
      throw std::runtime_error(fmt::format("{} has {} batches of replications and {} has {}", slices.front().dir,
                                           first.batches_size(), dir, slice.batches_size()));
    for (int b = 0; b < slice.batches_size(); ++b)
      if (slice.batches(b).scenario_hash() != first.batches(b).scenario_hash() ||
          slice.batches(b).results_size() != slice.last() - slice.first())
        throw std::runtime_error(fmt::format("{} and {} ran different scenarios (batch {})", slices.front().dir, dir,
                                             b + 1));
  }
  std::sort(slices.begin(), slices.end(),
            [](const Loaded& a, const Loaded& b) { return a.slice.first() < b.slice.first(); });
  int covered = 0;
  for (std::size_t i = 0; i < slices.size(); ++i) {
    const auto& s = slices[i].slice;
    if (s.first() > covered)
      throw std::runtime_error(fmt::format("replications {}:{} are in no slice", covered, s.first()));
    if (s.first() < covered)
      throw std::runtime_error(fmt::format("slices overlap: {} has {}:{} and {} has {}:{}", slices[i - 1].dir,
                                           slices[i - 1].slice.first(), slices[i - 1].slice.last(), slices[i].dir,
                                           s.first(), s.last()));
    covered = s.last();
  }
  merge_state = {};
  merge_state.count = covered;
  for (int b = 0; b < first.batches_size(); ++b) {
    merge_state.hashes.push_back(first.batches(b).scenario_hash());
    std::vector<scsim::ReplicationResult> all;
    all.reserve(static_cast<std::size_t>(covered));
    for (const auto& loaded : slices)
      for (const auto& result : loaded.slice.batches(b).results()) all.push_back(result);
    merge_state.batches.push_back(std::move(all));
  }
  engine::set_distributor([](const scsim::Scenario& message, int count, const engine::LocalRun&) {
    if (merge_state.next >= merge_state.batches.size())
      throw std::runtime_error("the merged command runs more batches of replications than its slices hold");
    const std::size_t b = merge_state.next++;
    if (count != merge_state.count || scenario_hash(message) != merge_state.hashes[b])
      throw std::runtime_error(fmt::format(
          "batch {} is not the scenario the slices ran: were its files changed since? (scsim merge reads the "
          "scenario files again)",
          b + 1));
    return std::move(merge_state.batches[b]);
  });
  std::vector<std::string> command;
  for (const auto& argument : first.arguments()) {
    std::string a = argument;
    if (const auto at = a.find("@R"); at != std::string::npos) a.replace(at, 2, std::to_string(covered));
    if (const auto at = a.find("@O"); at != std::string::npos) a.replace(at, 2, output);
    command.push_back(a);
  }
  return command;
}

void finish_merge() {
  engine::set_distributor({});
  if (merge_state.next != merge_state.batches.size())
    throw std::runtime_error("the merged command ran fewer batches of replications than its slices hold");
}

// ---- MPI ----

namespace {
bool mpi_on = false;
int rank = 0, ranks = 1;
Silence mpi_silence;
}  // namespace

bool mpi_active() { return mpi_on; }
int mpi_rank() { return rank; }

std::string rank_tag() {
  return mpi_on && rank != 0 ? fmt::format(" (MPI rank {})", rank) : std::string();
}

bool reported_by_rank0(const std::exception& error) {
  return mpi_on && rank != 0 && dynamic_cast<const SharedMpiError*>(&error) != nullptr;
}

#ifdef SCSIM_WITH_MPI

namespace {

// Rank 0 receives every rank's bytes.
std::vector<std::string> gather(const std::string& mine) {
  long long size = static_cast<long long>(mine.size());
  std::vector<long long> sizes(static_cast<std::size_t>(ranks));
  MPI_Gather(&size, 1, MPI_LONG_LONG, sizes.data(), 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  std::vector<int> counts(static_cast<std::size_t>(ranks)), offsets(static_cast<std::size_t>(ranks));
  long long total = 0;
  for (int r = 0; r < ranks; ++r) {
    offsets[static_cast<std::size_t>(r)] = static_cast<int>(std::min<long long>(total, INT_MAX));
    counts[static_cast<std::size_t>(r)] = static_cast<int>(std::min<long long>(sizes[static_cast<std::size_t>(r)], INT_MAX));
    total += sizes[static_cast<std::size_t>(r)];
  }
  bool too_big = total >= INT_MAX;
  MPI_Bcast(&too_big, 1, MPI_CXX_BOOL, 0, MPI_COMM_WORLD);
  if (too_big) throw std::runtime_error("the results of one batch exceed 2 GB; use fewer replications per batch");
  std::string all(rank == 0 ? static_cast<std::size_t>(total) : 0, '\0');
  MPI_Gatherv(mine.data(), static_cast<int>(mine.size()), MPI_CHAR, all.data(), counts.data(), offsets.data(),
              MPI_CHAR, 0, MPI_COMM_WORLD);
  std::vector<std::string> out;
  if (rank == 0)
    for (int r = 0; r < ranks; ++r)
      out.push_back(all.substr(static_cast<std::size_t>(offsets[static_cast<std::size_t>(r)]),
                               static_cast<std::size_t>(counts[static_cast<std::size_t>(r)])));
  return out;
}

std::string broadcast(std::string text) {
  long long size = static_cast<long long>(text.size());
  MPI_Bcast(&size, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  text.resize(static_cast<std::size_t>(size));
  MPI_Bcast(text.data(), static_cast<int>(size), MPI_CHAR, 0, MPI_COMM_WORLD);
  return text;
}

std::string host_name() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

std::vector<scsim::ReplicationResult> mpi_batch(const scsim::Scenario&, int count, const engine::LocalRun& run_local) {
  std::vector<int> indices;
  for (int i = rank; i < count; i += ranks) indices.push_back(i);
  scsim::RankReply reply;
  try {
    if (!indices.empty())
      for (auto& result : run_local(indices)) *reply.add_results() = std::move(result);
  } catch (const engine::Interrupted&) {
    abort_mpi(130);
  } catch (const std::exception& error) {
    reply.set_error(fmt::format("{} (on MPI rank {} of {}, host {})", error.what(), rank, ranks, host_name()));
  }
  const auto replies = gather(reply.SerializeAsString());
  // Rank 0 decides: the first error of the lowest rank, or every result in replication order.
  std::string status;
  std::vector<scsim::ReplicationResult> all;
  if (rank == 0) {
    all.resize(static_cast<std::size_t>(count));
    for (int r = 0; r < ranks && status.empty(); ++r) {
      scsim::RankReply got;
      if (!got.ParseFromString(replies[static_cast<std::size_t>(r)]))
        status = fmt::format("unreadable results from MPI rank {}", r);
      else if (!got.error().empty())
        status = got.error();
      else
        for (int k = 0; k < got.results_size(); ++k)
          all[static_cast<std::size_t>(r + k * ranks)] = std::move(*got.mutable_results(k));
    }
  }
  status = broadcast(status);
  if (!status.empty()) throw SharedMpiError(status);
  // The verb goes on on every rank, writing nothing but on rank 0: elsewhere well-formed stand-ins will do.
  const std::string filler = broadcast(rank == 0 && count > 0 ? all.front().SerializeAsString() : std::string());
  if (rank == 0) return all;
  scsim::ReplicationResult one;
  one.ParseFromString(filler);
  return padded(count, one);
}

}  // namespace

void begin_mpi(int& argc, char**& argv) {
  // libsimgrid defines MPI_* too (SMPI): the link order must make them the real MPI's (sim/cli/CMakeLists.txt).
  char version[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int length = 0;
  MPI_Get_library_version(version, &length);
  if (std::string(version, static_cast<std::size_t>(std::max(length, 0))).find("SimGrid") != std::string::npos)
    throw std::runtime_error("--mpi: this scsim binds MPI to SimGrid's simulated MPI, not to a real one (link order)");
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  mpi_on = true;
  if (rank != 0) {
    results::suppress_outputs(true);
    mpi_silence.begin(false);
  }
  engine::set_distributor([](const scsim::Scenario& message, int count, const engine::LocalRun& run_local) {
    auto all = mpi_batch(message, count, run_local);
    return all;
  });
}

void end_mpi() {
  if (!mpi_on) return;
  engine::set_distributor({});
  mpi_silence.end();
  MPI_Finalize();
  mpi_on = false;
}

void abort_mpi(int code) {
  std::fflush(nullptr);
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}

#else

void begin_mpi(int&, char**&) {
  throw std::runtime_error("--mpi: this scsim was built without MPI (install libopenmpi-dev and rebuild)");
}
void end_mpi() {}
void abort_mpi(int code) { std::_Exit(code); }

#endif

}  // namespace scsim::cli
