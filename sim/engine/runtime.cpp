#include "sim/engine/runtime.hpp"

#include <fmt/format.h>
#include <simgrid/s4u.hpp>

#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>

#include "sim/engine/build_specs.hpp"
#include "sim/engine/site_process.hpp"
#include "sim/results/results.hpp"
#include "sim/stats/series.hpp"

namespace sg4 = simgrid::s4u;

namespace scsim::engine {

namespace {

// Sites advance in windows of simulated time. Within a window a site handles
// its own events in time order, at their own times; across sites, a site
// handles a window only after every site that can send to it (lanes, gates)
// has finished that window, so nothing can arrive in its past (the network is
// acyclic). SimGrid's clock moves from window to window; sites with nothing to
// do skip ahead. This costs one SimGrid wake-up per site and busy window
// instead of one per event; results do not depend on the window size.
constexpr double kWindowDays = 7.0;
constexpr long kEnd = std::numeric_limits<long>::max();

struct SiteSync {
  sg4::MutexPtr mutex = sg4::Mutex::create();
  sg4::ConditionVariablePtr cv = sg4::ConditionVariable::create();
  long done_window = -1;  // every event before (done_window + 1) x window is handled
  bool waiting = false;
  std::vector<std::size_t> upstream, downstream;
};

class Replication final : public Emitter {
public:
  Replication(const std::vector<SiteSpec>& specs, const scsim::Scenario& scenario, int replication)
      : horizon_(scenario.horizon_days()), installs_(7.0) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < specs.size(); ++i) {
      processes_.push_back(std::make_unique<SiteProcess>(specs[i], scenario.seed(), replication, horizon_));
      names_.push_back(specs[i].name);
      sync_.push_back(std::make_unique<SiteSync>());
      index[specs[i].name] = i;
    }
    auto link = [&](std::size_t from, std::size_t to) {
      sync_[from]->downstream.push_back(to);
      sync_[to]->upstream.push_back(from);
    };
    for (std::size_t i = 0; i < specs.size(); ++i) {
      for (const auto& lane : specs[i].lanes) link(i, static_cast<std::size_t>(lane.to_site));
      for (int gated : specs[i].design.gated_sites) link(i, static_cast<std::size_t>(gated));
    }
    if (scenario.has_demand())
      for (double fraction : results::kMilestoneFractions)
        milestone_units_.push_back(fraction * static_cast<double>(scenario.demand().target_units()));
    milestone_days_.assign(milestone_units_.size(), -1.0);
    last_window_ = static_cast<long>(std::ceil(horizon_ / kWindowDays)) - 1;
  }

  void deliver(int site, Event event) override {
    // The receiver handles it in its own window: the window rule makes sure
    // that has not passed yet.
    processes_[static_cast<std::size_t>(site)]->heap().push(std::move(event));
  }

  void installed(double day, std::int64_t units, double cost_usd) override {
    const double before = installed_;
    installed_ += static_cast<double>(units);
    installed_cost_ += cost_usd;
    installs_.add(day, static_cast<double>(units));
    if (first_install_ < 0) first_install_ = day;
    for (std::size_t i = 0; i < milestone_units_.size(); ++i)
      if (before < milestone_units_[i] && installed_ >= milestone_units_[i]) milestone_days_[i] = day;
  }

  // The body of site i's actor.
  void run_site(std::size_t i) {
    auto& process = *processes_[i];
    auto& sync = *sync_[i];
    std::unique_lock lock(*sync.mutex);
    long window = 0;
    for (;;) {
      // Wait until every sender has finished this window.
      for (std::size_t u : sync.upstream)
        while (sync_[u]->done_window < window) {
          sync.waiting = true;
          sync.cv->wait(lock);
          sync.waiting = false;
        }
      const double end = std::min(static_cast<double>(window + 1) * kWindowDays, horizon_);
      auto& heap = process.heap();
      while (!heap.empty() && heap.next_time() < end) {
        if (max_events_ > 0 && ++events_ > max_events_) {
          // Stops the replication like a failing site (run_replication throws
          // the message), without unwinding an actor's stack: AddressSanitizer
          // misreads that under SimGrid's context switching.
          fail(names_[i], fmt::format("stopped after {} events, the budget of one replication (--max-events); "
                                      "shorten the horizon, lower the release rates or raise --max-events",
                                      max_events_));
          return;
        }
        const Event event = heap.pop();
        process.handle(event, event.time, *this);
      }
      if (window >= last_window_) break;
      // Skip windows in which nothing can happen here: no own events, and the
      // senders have nothing for us before they finish later windows.
      long next = heap.empty() ? kEnd : static_cast<long>(std::floor(heap.next_time() / kWindowDays));
      for (std::size_t u : sync.upstream) {
        const long done = sync_[u]->done_window;
        next = std::min(next, done == kEnd ? kEnd : done + 1);
      }
      next = std::max(next, window + 1);
      if (next > last_window_) break;
      finish_window(sync, next - 1);
      sg4::this_actor::sleep_until(static_cast<double>(next) * kWindowDays);
      window = next;
    }
    finish_window(sync, kEnd);
  }

  void fail(const std::string& site, const std::string& what) {
    if (error_.empty()) error_ = fmt::format("site '{}' failed: {}", site, what);
    sg4::Actor::kill_all();
  }

  scsim::ReplicationResult result(int replication) {
    const double end_day = horizon_;
    scsim::ReplicationResult out;
    out.set_replication(replication);
    out.set_end_day(end_day);
    std::int64_t events = 0;
    for (auto& process : processes_) {
      events += process->events_handled();
      process->finish(end_day, out);
    }
    out.set_events(events);
    out.set_installed_units(installed_);
    out.set_installed_cost_usd(installed_cost_);
    out.set_first_install_day(first_install_);
    for (double day : milestone_days_) out.add_milestone_days(day);
    // Cumulative installs, all datacenters, at the end of each week.
    const auto weeks = static_cast<std::size_t>(std::ceil(horizon_ / 7.0));
    installs_.pad_to(weeks);
    auto* cumulative = out.add_series();
    cumulative->set_site("ALL");
    cumulative->set_metric("installed_cum");
    double total = 0;
    for (std::size_t w = 0; w < weeks; ++w) {
      total += installs_.values()[w];
      cumulative->add_values(total);
    }
    return out;
  }

  std::size_t sites() const { return processes_.size(); }
  void set_event_budget(std::int64_t max_events) { max_events_ = max_events; }
  const std::string& error() const { return error_; }

private:
  void finish_window(SiteSync& sync, long window) {
    sync.done_window = window;
    for (std::size_t d : sync.downstream)
      if (sync_[d]->waiting) sync_[d]->cv->notify_all();
  }

  double horizon_;
  long last_window_ = 0;
  std::vector<std::unique_ptr<SiteProcess>> processes_;
  std::vector<std::unique_ptr<SiteSync>> sync_;
  std::vector<double> milestone_units_, milestone_days_;
  double installed_ = 0, first_install_ = -1, installed_cost_ = 0;
  stats::FlowSeries installs_;
  std::string error_;
  std::int64_t events_ = 0, max_events_ = 0;  // handled so far, budget (0: none)
  std::vector<std::string> names_;             // site names, for fail()
};

}  // namespace

scsim::ReplicationResult run_replication(const scsim::Scenario& scenario, const network::Analysis& analysis,
                                         int replication, const RuntimeOptions& options) {
  const auto specs = build_specs(scenario, analysis, scenario.seed(), replication);

  // SimGrid reads its settings from argv; keep it silent unless asked.
  std::vector<std::string> args{"scsim", "--log=root.thresh:" + std::string(options.simgrid_log.empty() ? "critical" : "info"),
                                "--cfg=contexts/factory:raw"};
  if (!options.simgrid_log.empty()) args.push_back("--log=" + options.simgrid_log);
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  int argc = static_cast<int>(argv.size());
  sg4::Engine engine(&argc, argv.data());

  bool deadlocked = false;
  sg4::Engine::on_deadlock_cb([&deadlocked] { deadlocked = true; });

  // The platform: one host per site in one zone. Transit times are modelled
  // by the lanes (exact), not by SimGrid network communications.
  auto* zone = sg4::create_full_zone("supply_network");
  std::vector<sg4::Host*> hosts;
  for (const auto& spec : specs) hosts.push_back(zone->create_host(spec.name, 1e9));
  zone->seal();

  Replication run(specs, scenario, replication);
  run.set_event_budget(options.max_events);
  for (std::size_t i = 0; i < run.sites(); ++i) {
    sg4::Actor::create(specs[i].name, hosts[i], [&run, &specs, i] {
      try {
        run.run_site(i);
      } catch (const simgrid::ForcefulKillException&) {
        throw;  // SimGrid's own unwinding when an actor is killed
      } catch (const std::exception& error) {
        run.fail(specs[i].name, error.what());
      }
    });
  }
  engine.run();
  if (!run.error().empty()) throw std::runtime_error(run.error());
  if (deadlocked) throw std::runtime_error(fmt::format("simulation deadlocked at day {:.2f}", sg4::Engine::get_clock()));
  return run.result(replication);
}

}  // namespace scsim::engine
