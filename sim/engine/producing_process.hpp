// The part sources and assemblers share: lots go through a route of stations
// (or a pure delay), come out through the site's yield, and leave by lane.
#pragma once

#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "models/distribution.hpp"
#include "sim/engine/capacity_plan.hpp"
#include "sim/engine/output_yield.hpp"
#include "sim/engine/site_process.hpp"
#include "sim/engine/station_route.hpp"
#include "sim/stats/tally.hpp"

namespace scsim::engine {

// How a site's own cost accrues (USD per unit).
enum class CostBasis { kNone, kPerReleasedUnit, kPerGoodOutput, kPerStartedUnit };

struct ProductionSetup {
  std::vector<StationParams> stations;         // a route, or else
  models::Dist delay_days = models::Fixed{0};  // a pure delay per lot
  std::string output_metric = "output";
  CostBasis cost_basis = CostBasis::kNone;
  double unit_cost_usd = 0;
  scenario::Schedule unit_cost_changes;  // the unit price over dates (from its first step), when set
  Spend spend_category = Spend::kOther;  // what its purchases are booked as
  // Draws the replication's yield levels from the site's stream (first draws of the replication).
  std::function<std::unique_ptr<OutputYield>(models::RandomStream&)> make_yield;
};

class ProducingProcess : public SiteProcess {
 public:
  ProducingProcess(const scenario::Site& site, const ProcessContext& context, ProductionSetup setup);
  void finish(double end_day, scsim::ReplicationResult& result) override;

 protected:
  void start_lot(Batch batch, double now);
  void on_segment_done(const ev::SegmentDone& done, double now, Outbox& out) override;
  // After a lot completed with `good` good units (before they ship): CONWIP refills, orders upstream, yield
  // shortfalls made up under a program.
  virtual void completed(const Batch&, std::int64_t good, double, Outbox&) { (void)good; }
  // Good units leave: by lane (a program's risk starts are held until the design is released).
  virtual void ship(const Batch& good, double now, Outbox& out) { dispatch(good, now, out); }
  // The unit price on `day`.
  double unit_cost_at(double day) const {
    return !setup_.unit_cost_changes.empty() && day >= setup_.unit_cost_changes.steps.front().first
               ? setup_.unit_cost_changes.rate_at(day)
               : setup_.unit_cost_usd;
  }
  // Books a purchase of the site's own product or input (its price), on `day`.
  void book_purchase(double day, double usd) {
    if (usd > 0) spend_.purchase(day, setup_.spend_category, usd);
  }
  // Capacity time used by a start, for utilization where no servers are modelled.
  void record_capacity_use(double from, double to);

  // --- under a program ---
  // The day work on `order` must start here: its due day less the lane's mean transit and `lead_days` (now for
  // an order without a due day).
  double start_day(const ev::Order& order, double now, double lead_days) const;
  // The capacity the program holds here, from day `now`: its replication draws, the prepayment on its booking
  // date, and the first weekly CapacityTick.
  void open_capacity(CapacityPlan& capacity, double now);
  // The next week's CapacityTick, within the horizon.
  void next_capacity_tick(double now);
  // Writes the `allocated` series and bills take-or-pay week by week at that week's price (a wafer's dated price
  // when it has changes, else `unit_cost_usd` per unit of capacity), into spend and the result.
  void bill_capacity(CapacityPlan& capacity, double unit_cost_usd, double end_day, scsim::ReplicationResult& result);

  ProductionSetup setup_;
  std::unique_ptr<OutputYield> yield_;
  std::unique_ptr<StationRoute> route_;
  double production_start_day_ = -1;  // the first start: learning curves count from it
  int lots_in_process_ = 0;

 private:
  void complete(const Batch& batch, double now, Outbox& out);
  void record_busy(double now, double from, double to);

  stats::Tally lead_time_;
  double lot_days_ = 0;  // integral of lots in process, for time-average WIP
  std::int64_t lots_done_ = 0;
  double busy_server_days_ = 0;
  bool capacity_limited_ = false;
  struct EndsLater {
    bool operator()(const std::pair<double, double>& a, const std::pair<double, double>& b) const {
      return a.second > b.second;
    }
  };
  // Busy intervals [from, to) that may end in the future, earliest end first.
  std::priority_queue<std::pair<double, double>, std::vector<std::pair<double, double>>, EndsLater> open_busy_;
  double output_units_ = 0, output_cost_usd_ = 0;
};

}  // namespace scsim::engine
