// Replications in worker processes: SimGrid allows one engine per process, so
// each replication runs in a child of its own; at most `jobs` at a time.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/engine/runtime.hpp"

namespace scsim {
class Scenario;
}

namespace scsim::engine {

struct RunnerOptions {
  int jobs = 1;                  // worker processes at once, >= 1
  bool progress = false;         // a progress line on stderr when it is a terminal
  bool progress_always = false;  // ... also when it is not (then one line per update, at most every 2 s)
  std::string label;             // shown in the progress line
  // Results come with their series packed into ReplicationResult.packed_series (sim/results/series_codec.hpp:
  // lossless, a fraction of the memory; each worker packs its own); the verbs do, for bounded memory over
  // thousands of replications.
  bool pack_series = false;
  RuntimeOptions runtime;
};

// Thrown when the user interrupts a run (SIGINT/SIGTERM); workers are stopped.
struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};

// Runs replications 0..count-1 and returns their results in replication
// order, whatever `jobs` is, so outputs do not depend on how work was split.
// Throws std::runtime_error naming the replication when a worker fails.
std::vector<scsim::ReplicationResult> run_replications(const scenario::Scenario& scenario,
                                                       const network::Analysis& analysis, int count,
                                                       const RunnerOptions& options);
// The same for a loaded scenario message (resolved once, here in the parent).
// Goes through the installed distributor, if any (see set_distributor).
std::vector<scsim::ReplicationResult> run_replications(const scsim::Scenario& message,
                                                       const network::Analysis& analysis, int count,
                                                       const RunnerOptions& options);

// Runs the replications with the given indices (each once, any order) in
// forked workers and returns their results in the order of `indices`.
std::vector<scsim::ReplicationResult> run_replication_indices(const scenario::Scenario& scenario,
                                                              const network::Analysis& analysis,
                                                              const std::vector<int>& indices,
                                                              const RunnerOptions& options);

// Who runs which replication: by default this process runs all of them. A
// distributor (installed by the command line for --replications A:B, --mpi
// and `scsim merge`) receives every batch a verb asks for (the scenario, how
// many replications) and a function that runs given indices here, and returns
// all `count` results in replication order.
using LocalRun = std::function<std::vector<scsim::ReplicationResult>(const std::vector<int>& indices)>;
using Distributor = std::function<std::vector<scsim::ReplicationResult>(const scsim::Scenario& message, int count,
                                                                        const LocalRun& run_local)>;
// Installs `distributor` (an empty function: none) for later calls of the message overload.
void set_distributor(Distributor distributor);

}  // namespace scsim::engine
