// SiteProcess, datacenter part: energized buildings, powered slots, installs, stranded chips and capacity.
#include "sim/engine/site_process.hpp"

#include <algorithm>
#include <cmath>

#include "models/datacenter.hpp"

namespace scsim::engine {

// ---------------------------------------------------------------------------
// Datacenter: installs into energized buildings

void SiteProcess::start_datacenter(double now) {
  kw_per_accelerator_ = models::sample(spec_.kw_per_accelerator, stream_);
  for (std::size_t i = 0; i < spec_.buildings.size(); ++i) {
    const auto& b = spec_.buildings[i];
    const double built = models::sample(b.construction_days, stream_);
    const double energized = b.power_day ? models::energized_day(b.construction_start_day, built, *b.power_day,
                                                                 models::sample(b.power_delay_days, stream_))
                                         : models::energized_day(b.construction_start_day, built, -1, 0);
    heap_.push(Event{std::max(now, energized), 0, EventType::kEnergize, static_cast<int>(i), {}});
  }
  stranded_chips_.set(now, 0);
  stranded_slots_.set(now, 0);
}

void SiteProcess::try_install(double now) {
  // Delivered accelerators take a powered slot as soon as one is free; the
  // install time (rack integration, site install) runs from then.
  const double rate = spec_.install_rate_per_week;
  std::int64_t n = std::min(ready_units_, slots_ - installed_ - installing_);
  if (rate > 0 && n > 0) {
    if (install_free_day_ > now) {
      n = 0;  // crews busy: try again when they are free
    } else {
      // Crews take on at most a week's worth at once; the rest waits its turn.
      n = std::min<std::int64_t>(n, std::max<std::int64_t>(1, static_cast<std::int64_t>(std::floor(rate))));
      install_free_day_ = now + kWeek * static_cast<double>(n) / rate;
    }
  }
  if (n > 0) {
    Batch batch;
    batch.product = spec_.product;
    batch.units = n;
    batch.origin_day = now;
    ready_units_ -= n;
    std::int64_t left = n;
    while (left > 0) {
      Held& front = ready_.front();
      const std::int64_t take = std::min(left, front.units);
      batch.cost_usd += static_cast<double>(take) * front.cost_per_unit_usd;
      batch.origin_day = std::min(batch.origin_day, front.origin_day);
      front.units -= take;
      left -= take;
      if (front.units == 0) ready_.pop_front();
    }
    installing_ += n;
    heap_.push(Event{now + models::sample(spec_.install_days, stream_), 0, EventType::kInstallReady, 0, batch});
  }
  if (rate > 0 && ready_units_ > 0 && slots_ > installed_ + installing_ && !try_start_pending_) {
    heap_.push(Event{std::max(now, install_free_day_), 0, EventType::kTryStart, 0, {}});
    try_start_pending_ = true;
  }
  // Stranded chips: delivered, no powered slot. Stranded capacity: powered free slots, no chips.
  const std::int64_t free_slots = slots_ - installed_ - installing_;
  const double chips = free_slots > 0 ? 0.0 : static_cast<double>(ready_units_);
  const double idle = ready_units_ > 0 ? 0.0 : static_cast<double>(free_slots);
  if (chips != stranded_chips_.level()) stranded_chips_.set(now, chips);
  if (idle != stranded_slots_.level()) stranded_slots_.set(now, idle);
}

void SiteProcess::finish_install(const Batch& batch, double now, Emitter& emitter) {
  installing_ -= batch.units;
  installed_ += batch.units;
  lead_time_.add(now - batch.origin_day);  // end to end: the oldest wafer start behind it to installed
  cached(Metric::kInstalled, "installed").add(now, static_cast<double>(batch.units));
  emitter.installed(now, batch.units, batch.cost_usd);
}

}  // namespace scsim::engine
