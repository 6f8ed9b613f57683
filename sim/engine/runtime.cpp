// One replication on SimGrid: a host per site and an actor per site, which
// owns that site's process and handles its events at their own times.
//
// Sites advance in conservative time windows of W days. Edges between sites
// (lanes, release gates, orders back up a lane) each have a minimum delay; the
// sync plan (network::sync_plan) marks as feedback the loop edges with the
// longest delays, enough to leave the other edges acyclic, and W is never
// longer than the shortest feedback delay.
// A site handles window k once every forward sender has finished window k and
// every feedback sender window k-1: a forward sender's events for window k are
// all sent by then, and a feedback sender's events sent during window k arrive
// at least W later, in a later window. So nothing ever arrives in a receiver's
// past, and results do not depend on W. SimGrid keeps the clock: an actor
// sleeps until the start of the next window in which it has work, and
// condition variables wake it when a sender finishes a window. Events between
// sites are handed over directly into the receiver's event heap (actors run
// one at a time); SimGrid mailbox communications cost a context switch per
// event (1/20 of the bare event loop when measured), so they are not used.
#include "sim/engine/runtime.hpp"

#include <fmt/format.h>
#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <simgrid/s4u.hpp>
#include <stdexcept>

#include "sim/engine/replication_setup.hpp"
#include "sim/results/results.pb.h"

namespace sg4 = simgrid::s4u;

namespace scsim::engine {

namespace {

constexpr double kDefaultWindowDays = 7.0;
constexpr long kEnd = std::numeric_limits<long>::max();

struct SiteSync {
  sg4::MutexPtr mutex = sg4::Mutex::create();
  sg4::ConditionVariablePtr cv = sg4::ConditionVariable::create();
  long done_window = -1;  // every event before (done_window + 1) × W is handled
  bool waiting = false;
  struct Sender {
    std::size_t site;
    long lag;  // 0: forward edge, 1: feedback edge
  };
  std::vector<Sender> senders;
  std::vector<std::size_t> receivers;
};

class Replication final : public Outbox {
 public:
  Replication(const scenario::Scenario& scenario, const network::Analysis& analysis, int replication,
              const RuntimeOptions& options, double start)
      : scenario_(scenario), horizon_(scenario.horizon_days), start_(start), max_events_(options.max_events) {
    processes_ = make_processes(scenario, analysis, replication);
    for (std::size_t i = 0; i < processes_.size(); ++i) sync_.push_back(std::make_unique<SiteSync>());
    const auto plan = network::sync_plan(scenario);
    window_ = options.window_days > 0 ? options.window_days : kDefaultWindowDays;
    window_ = std::min(window_, plan.max_window_days);
    for (const auto& edge : plan.edges) {
      if (edge.from == edge.to) continue;
      auto& to = *sync_[static_cast<std::size_t>(edge.to)];
      const auto from = static_cast<std::size_t>(edge.from);
      const long lag = edge.feedback ? 1 : 0;
      auto same = std::find_if(to.senders.begin(), to.senders.end(), [&](const auto& s) { return s.site == from; });
      if (same == to.senders.end())
        to.senders.push_back({from, lag});
      else
        same->lag = std::min(same->lag, lag);
      auto& receivers = sync_[from]->receivers;
      if (std::find(receivers.begin(), receivers.end(), static_cast<std::size_t>(edge.to)) == receivers.end())
        receivers.push_back(static_cast<std::size_t>(edge.to));
    }
    last_window_ = static_cast<long>(std::ceil(horizon_ / window_)) - 1;
  }

  void send(int site, Event event) override {
    // The receiver handles it in its own window: the window rule makes sure that has not passed yet.
    processes_[static_cast<std::size_t>(site)]->heap().push(std::move(event));
  }

  // The body of site i's actor.
  void run_site(std::size_t i) {
    auto& process = *processes_[i];
    auto& sync = *sync_[i];
    std::unique_lock lock(*sync.mutex);
    long window = 0;
    for (;;) {
      for (const auto& sender : sync.senders)
        while (sync_[sender.site]->done_window < window - sender.lag) {
          sync.waiting = true;
          sync.cv->wait(lock);
          sync.waiting = false;
        }
      const double end = std::min(static_cast<double>(window + 1) * window_, horizon_);
      auto& heap = process.heap();
      while (!heap.empty() && heap.next_time() < end) {
        if (max_events_ > 0 && ++events_ > max_events_) {
          // Stops the replication like a failing site (run_replication throws the message) without unwinding
          // an actor's stack, which AddressSanitizer misreads under SimGrid's context switching.
          fail(scenario_.sites[i].name,
               fmt::format("stopped after {} events, the budget of one replication (--max-events); shorten the "
                           "horizon, lower the release rates or raise --max-events",
                           max_events_));
          return;
        }
        const Event event = heap.pop();
        process.handle(event, *this);
      }
      if (window >= last_window_) break;
      // Skip windows in which nothing can happen here: no own events, and the
      // senders have nothing for us before they finish later windows.
      long next = heap.empty() ? kEnd : static_cast<long>(std::floor(heap.next_time() / window_));
      for (const auto& sender : sync.senders) {
        const long done = sync_[sender.site]->done_window;
        next = std::min(next, done == kEnd ? kEnd : done + 1 + sender.lag);
      }
      next = std::max(next, window + 1);
      if (next > last_window_) break;
      finish_window(sync, next - 1);
      sg4::this_actor::sleep_until(start_ + static_cast<double>(next) * window_);
      window = next;
    }
    finish_window(sync, kEnd);
  }

  void fail(const std::string& site, const std::string& what) {
    if (error_.empty()) error_ = fmt::format("site '{}' failed: {}", site, what);
    sg4::Actor::kill_all();
  }

  scsim::ReplicationResult result(int replication) { return collect_result(processes_, scenario_, replication); }

  std::size_t sites() const { return processes_.size(); }
  const std::string& error() const { return error_; }

 private:
  void finish_window(SiteSync& sync, long window) {
    sync.done_window = window;
    for (std::size_t r : sync.receivers)
      if (sync_[r]->waiting) sync_[r]->cv->notify_all();
  }

  const scenario::Scenario& scenario_;
  double horizon_;
  double start_;  // the SimGrid clock when this replication began (day 0)
  double window_ = kDefaultWindowDays;
  long last_window_ = 0;
  std::int64_t max_events_ = 0, events_ = 0;  // budget (0: none), handled so far
  std::vector<std::unique_ptr<SiteProcess>> processes_;
  std::vector<std::unique_ptr<SiteSync>> sync_;
  std::string error_;
};

}  // namespace

namespace {

// SimGrid allows one engine per process and does not reset its clock, so the engine and its platform are made
// once and kept: a worker process runs replication after replication on it, each from the clock where the last
// one ended (its windows are offset by that start, which only shifts when actors wake).
struct EngineState {
  sg4::Engine* engine = nullptr;
  sg4::Host* host = nullptr;
  bool deadlocked = false;
};

EngineState& engine_state(const RuntimeOptions& options) {
  static EngineState state;
  if (state.engine != nullptr) return state;
  // Each actor's stack (SimGrid's default 8 MiB) is one allocation; once glibc has freed such a block its
  // dynamic threshold would serve the next ones from the heap, where the pages each replication's stacks touch
  // stay resident: a worker running replication after replication of a 1,000-site network grew by ~45 MB
  // each. A fixed threshold keeps big blocks in their own mappings, returned when freed.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  // SimGrid reads its settings from argv; keep it silent unless asked.
  static std::vector<std::string> args{
      "scsim", "--log=root.thresh:" + std::string(options.simgrid_log.empty() ? "critical" : "info"),
      "--cfg=contexts/factory:raw"};
  if (!options.simgrid_log.empty()) args.push_back("--log=" + options.simgrid_log);
  static std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  static int argc = static_cast<int>(argv.size());
  state.engine = new sg4::Engine(&argc, argv.data());  // never destroyed: one engine per process
  sg4::Engine::on_deadlock_cb([] { state.deadlocked = true; });
  // The platform: one host that runs every site's actor. Transit times are modelled by the lanes (exact), not
  // by SimGrid network communications, and actors only sleep, so hosts carry no meaning.
  auto* zone = sg4::create_full_zone("supply_network");
  state.host = zone->create_host("supply_network", 1e9);
  zone->seal();
  return state;
}

}  // namespace

scsim::ReplicationResult run_replication(const scenario::Scenario& scenario, const network::Analysis& analysis,
                                         int replication, const RuntimeOptions& options) {
  auto& state = engine_state(options);
  state.deadlocked = false;
  const double start = sg4::Engine::get_clock();

  Replication run(scenario, analysis, replication, options, start);
  for (std::size_t i = 0; i < run.sites(); ++i) {
    sg4::Actor::create(scenario.sites[i].name, state.host, [&run, &scenario, i] {
      try {
        run.run_site(i);
      } catch (const simgrid::ForcefulKillException&) {
        throw;  // SimGrid's own unwinding when an actor is killed
      } catch (const std::exception& error) {
        run.fail(scenario.sites[i].name, error.what());
      }
    });
  }
  state.engine->run();
  if (!run.error().empty()) throw std::runtime_error(run.error());
  if (state.deadlocked)
    throw std::runtime_error(
        fmt::format("simulation deadlocked at day {:.2f}", sg4::Engine::get_clock() - start));
  return run.result(replication);
}

}  // namespace scsim::engine
