// A design program: architecture start to production release, drawn once per
// replication; its release opens volume starts at the sites it gates.
#pragma once

#include <optional>
#include <utility>

#include "models/design.hpp"
#include "sim/engine/site_process.hpp"
#include "sim/results/results.pb.h"

namespace scsim::engine {

// What a design program spends (category "design"): at tape-out, and when a respin starts.
struct DesignCosts {
  double tapeout_usd = 0;
  double respin_usd = 0;
};

class DesignProcess : public SiteProcess {
 public:
  DesignProcess(const scenario::Site& site, const ProcessContext& context, models::DesignParams params,
                DesignCosts costs = {})
      : SiteProcess(site, context), params_(std::move(params)), costs_(costs) {}

  // The drawn milestones, also those beyond the horizon (summary.json: design_milestones).
  void finish(double end_day, scsim::ReplicationResult& result) override {
    SiteProcess::finish(end_day, result);
    if (!timeline_) return;
    for (const auto& [event, day] : {std::pair{"tape_out", timeline_->tapeout_day},
                                     std::pair{"first_silicon", timeline_->first_silicon_day},
                                     std::pair{"production_release", timeline_->production_release_day}}) {
      auto* recorded = result.add_design_events();
      recorded->set_site(site_.name);
      recorded->set_event(event);
      recorded->set_day(day);
    }
  }

 protected:
  void on_start(double, Outbox& out) override {
    const auto timeline = models::Design(params_).draw(stream_);
    timeline_ = timeline;
    const double day = timeline.production_release_day;
    series_.flow("production_release").add(std::min(day, context_.horizon_days), 1.0);
    spend_.add(timeline.tapeout_day, Spend::kDesign, costs_.tapeout_usd);
    if (timeline.respin != models::Respin::kNone)
      spend_.add(timeline.initial_silicon_day, Spend::kDesign, costs_.respin_usd);
    for (int gated : context_.gated_sites) send(out, gated, day, ev::GateOpen{});
    // Under a program, gated sites also see the milestones before release: a parallel port starts from tape-out
    // or silicon, risk starts from each spin's first silicon.
    if (!scenario_.program.enabled) return;
    const bool respun = timeline.respin != models::Respin::kNone;
    for (int gated : context_.gated_sites) {
      send(out, gated, timeline.tapeout_day, ev::TapeOut{});
      send(out, gated, timeline.initial_silicon_day, ev::Silicon{0, !respun});
      if (respun) send(out, gated, timeline.first_silicon_day, ev::Silicon{1, true});
    }
  }

 private:
  models::DesignParams params_;
  DesignCosts costs_;
  std::optional<models::DesignTimeline> timeline_;
};

}  // namespace scsim::engine
