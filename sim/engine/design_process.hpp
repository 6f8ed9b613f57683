// A design program: architecture start to production release, drawn once per
// replication; its release opens volume starts at the sites it gates.
#pragma once

#include "models/design.hpp"
#include "sim/engine/site_process.hpp"

namespace scsim::engine {

class DesignProcess : public SiteProcess {
public:
  DesignProcess(const scenario::Site& site, const ProcessContext& context, models::DesignParams params)
      : SiteProcess(site, context), params_(std::move(params)) {}

protected:
  void on_start(double, Outbox& out) override {
    const auto timeline = models::Design(params_).draw(stream_);
    const double day = timeline.production_release_day;
    flow("production_release").add(std::min(day, context_.horizon_days), 1.0);
    for (int gated : context_.gated_sites) send(out, gated, day, ev::GateOpen{});
  }

private:
  models::DesignParams params_;
};

}  // namespace scsim::engine
