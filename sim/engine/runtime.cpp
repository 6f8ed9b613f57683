#include "sim/engine/runtime.hpp"

#include <fmt/format.h>
#include <simgrid/s4u.hpp>

#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

#include "sim/engine/build_specs.hpp"
#include "sim/engine/site_process.hpp"
#include "sim/results/results.hpp"
#include "sim/stats/series.hpp"

namespace sg4 = simgrid::s4u;

namespace scsim::engine {

namespace {

constexpr double kForever = std::numeric_limits<double>::infinity();

// A site's wake-up: its actor waits on `cv` until its next event is due or
// another site delivers an earlier one.
struct Inbox {
  sg4::MutexPtr mutex = sg4::Mutex::create();
  sg4::ConditionVariablePtr cv = sg4::ConditionVariable::create();
  double waiting_until = kForever;
};

class Replication final : public Emitter {
public:
  Replication(const std::vector<SiteSpec>& specs, const scsim::Scenario& scenario, int replication)
      : horizon_(scenario.horizon_days()), installs_(7.0) {
    for (const auto& spec : specs) {
      processes_.push_back(std::make_unique<SiteProcess>(spec, scenario.seed(), replication, horizon_));
      inboxes_.push_back(std::make_unique<Inbox>());
    }
    if (scenario.has_demand())
      for (double fraction : results::kMilestoneFractions)
        milestone_units_.push_back(fraction * static_cast<double>(scenario.demand().target_units()));
    milestone_days_.assign(milestone_units_.size(), -1.0);
  }

  void deliver(int site, Event event) override {
    auto& inbox = *inboxes_[static_cast<std::size_t>(site)];
    const double due = event.time;
    processes_[static_cast<std::size_t>(site)]->heap().push(std::move(event));
    if (due < inbox.waiting_until) inbox.cv->notify_one();
  }

  void installed(double day, std::int64_t units, double cost_usd) override {
    const double before = installed_;
    installed_cost_ += cost_usd;
    installed_ += static_cast<double>(units);
    installs_.add(day, static_cast<double>(units));
    if (first_install_ < 0) first_install_ = day;
    for (std::size_t i = 0; i < milestone_units_.size(); ++i)
      if (before < milestone_units_[i] && installed_ >= milestone_units_[i]) milestone_days_[i] = day;
    if (!milestone_units_.empty() && installed_ >= milestone_units_.back() && !stopped_) {
      stopped_ = true;
      stop_day_ = day;
    }
  }

  // The body of site i's actor.
  void run_site(std::size_t i) {
    auto& process = *processes_[i];
    auto& inbox = *inboxes_[i];
    const bool inbound = process.spec().has_inbound;
    std::unique_lock lock(*inbox.mutex);
    while (!stopped_) {
      auto& heap = process.heap();
      if (heap.empty()) {
        if (!inbound) return;  // nothing more can happen here
        inbox.waiting_until = kForever;
        inbox.cv->wait(lock);
        continue;
      }
      const double due = heap.next_time();
      const double now = sg4::Engine::get_clock();
      if (due > now) {
        inbox.waiting_until = due;
        // A site nobody sends to can simply sleep: cheaper than a timed wait.
        if (inbound)
          inbox.cv->wait_until(lock, due);
        else
          sg4::this_actor::sleep_until(due);
        inbox.waiting_until = kForever;
        continue;
      }
      // At the event's own time: SimGrid's clock after a timed wait is
      // now + (due - now), which can differ from `due` in the last bits.
      const Event event = heap.pop();
      process.handle(event, event.time, *this);
    }
    // The demand target was met: end every other actor now.
    sg4::Actor::kill_all();
  }

  void fail(const std::string& site, const std::string& what) {
    if (error_.empty()) error_ = fmt::format("site '{}' failed at day {:.2f}: {}", site, sg4::Engine::get_clock(), what);
    sg4::Actor::kill_all();
  }

  scsim::ReplicationResult result(int replication) {
    const double end_day = stopped_ ? stop_day_ : std::min(horizon_, sg4::Engine::get_clock());
    scsim::ReplicationResult out;
    out.set_replication(replication);
    out.set_end_day(end_day);
    std::int64_t events = 0;
    for (auto& process : processes_) {
      events += process->events_handled();
      process->finish(std::max(end_day, 1e-9), out);
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
  const std::string& error() const { return error_; }

private:
  double horizon_;
  std::vector<std::unique_ptr<SiteProcess>> processes_;
  std::vector<std::unique_ptr<Inbox>> inboxes_;
  std::vector<double> milestone_units_, milestone_days_;
  double installed_ = 0, first_install_ = -1, installed_cost_ = 0;
  stats::FlowSeries installs_;
  bool stopped_ = false;
  double stop_day_ = 0;
  std::string error_;
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
  // The horizon: one actor sleeps until then and ends the others.
  const double horizon = scenario.horizon_days();
  sg4::Actor::create("horizon", hosts.front(), [horizon] {
    sg4::this_actor::sleep_until(horizon);
    sg4::Actor::kill_all();
  });

  engine.run();
  if (!run.error().empty()) throw std::runtime_error(run.error());
  if (deadlocked) throw std::runtime_error(fmt::format("simulation deadlocked at day {:.2f}", sg4::Engine::get_clock()));
  return run.result(replication);
}

}  // namespace scsim::engine
