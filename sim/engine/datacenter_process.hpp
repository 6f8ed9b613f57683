// A datacenter campus: buildings are energized on their dates (construction,
// then power), each adds powered slots; delivered accelerators take a free slot
// and are installed by the crews. Records stranded chips (delivered, no powered
// slot), idle slots (powered, nothing to install) and power in use.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/program_planner.hpp"
#include "sim/engine/site_process.hpp"
#include "sim/stats/tally.hpp"

namespace scsim::engine {

struct BuildingSetup {
  std::string name;
  double construction_start_day = 0;
  models::Dist construction_days = models::Fixed{0};
  std::optional<double> power_day;
  models::Dist power_delay_days = models::Fixed{0};
  double power_mw = 0;
  double capex_usd = 0;  // spent evenly over construction
};

struct CampusSetup {
  std::vector<BuildingSetup> buildings;
  models::Dist kw_per_accelerator = models::Fixed{1};
  double install_rate_per_week = 0;  // 0 = unlimited
  models::Dist install_days = models::Fixed{0};
  double power_usd_per_mw_day = 0;
};

class DatacenterProcess : public SiteProcess {
 public:
  DatacenterProcess(const scenario::Site& site, const ProcessContext& context, CampusSetup campus);
  void finish(double end_day, scsim::ReplicationResult& result) override;

 protected:
  void on_start(double now, Outbox& out) override;
  void on_energize(const ev::Energize& energize, double now, Outbox& out) override;
  void on_arrival(const ev::Arrival& arrival, double now, Outbox& out) override;
  void on_install_done(const ev::InstallDone& done, double now, Outbox& out) override;
  void on_capacity_free(double now, Outbox& out) override;
  void on_plan_review(double now, Outbox& out) override;

 private:
  struct Held {
    std::int64_t units;
    double origin_day;
    double cost_per_unit_usd;
  };
  void try_install(double now);
  void update_levels(double now);

  CampusSetup campus_;
  double kw_per_accelerator_ = 1;
  std::int64_t slots_ = 0, installed_ = 0, installing_ = 0, ready_units_ = 0;
  std::deque<Held> ready_;
  double install_free_day_ = 0;
  bool retry_pending_ = false;
  stats::Tally lead_time_;  // end to end: the oldest wafer start behind a unit to its install
  stats::LevelSeries stranded_chips_, idle_slots_, power_mw_, slots_level_;
  std::optional<ProgramPlanner> planner_;
};

}  // namespace scsim::engine
