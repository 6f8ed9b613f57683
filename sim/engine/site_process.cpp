// SiteProcess: event dispatch, the canonical keys of scheduled events, lanes
// out, scrap, and the weekly series every site records.
#include "sim/engine/site_process.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "sim/results/results.pb.h"

namespace scsim::engine {

namespace {
template <class>
constexpr bool kUnhandled = false;
}  // namespace

SiteProcess::SiteProcess(const scenario::Site& site, const ProcessContext& context)
    : scenario_(*context.scenario),
      site_(site),
      context_(context),
      stream_(context.seed, static_cast<std::uint64_t>(context.replication), site.name),
      series_(site.name, context.horizon_days),
      inventory_(scenario::kWeek),
      spend_(context.years.get(), context.horizon_days) {
  for (std::size_t l = 0; l < scenario_.lanes.size(); ++l) {
    const auto& lane = scenario_.lanes[l];
    if (lane.from != context.site) continue;
    shipper_.add({static_cast<int>(l), lane.to, lane.share, lane.transit_days, lane.cadence_days, lane.qualification,
                  context.lane_profiles && l < context.lane_profiles->size() ? (*context.lane_profiles)[l]
                                                                                 : models::CapacityProfile{}});
  }
  schedule(0.0, ev::Start{});
  for (const auto& [day, fraction] : context_.scrap_events)
    if (fraction > 0) schedule(day, ev::Scrap{fraction});
}

void SiteProcess::handle(const Event& event, Outbox& out) {
  ++events_;
  const double now = event.time;
  // One closure for every kind: an overload set of seventeen lambdas, three references each, was built anew for
  // every event (50 instructions, more than the dispatch).
  std::visit(
      [this, now, &out](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, ev::Start>)
          on_start(now, out);
        else if constexpr (std::is_same_v<E, ev::Energize>)
          on_energize(e, now, out);
        else if constexpr (std::is_same_v<E, ev::GateOpen>)
          on_gate_open(e, now, out);
        else if constexpr (std::is_same_v<E, ev::TapeOut>)
          on_tape_out(now, out);
        else if constexpr (std::is_same_v<E, ev::Silicon>)
          on_silicon(e, now, out);
        else if constexpr (std::is_same_v<E, ev::Scrap>)
          on_scrap(e);
        else if constexpr (std::is_same_v<E, ev::Arrival>)
          on_arrival(e, now, out);
        else if constexpr (std::is_same_v<E, ev::Order>)
          on_order(e, now, out);
        else if constexpr (std::is_same_v<E, ev::SegmentDone>)
          on_segment_done(e, now, out);
        else if constexpr (std::is_same_v<E, ev::InstallDone>)
          on_install_done(e, now, out);
        else if constexpr (std::is_same_v<E, ev::ReleasesBegin>)
          on_releases_begin(now, out);
        else if constexpr (std::is_same_v<E, ev::Release>)
          on_release(now, out);
        else if constexpr (std::is_same_v<E, ev::Refill>)
          on_refill(now, out);
        else if constexpr (std::is_same_v<E, ev::CapacityFree>)
          on_capacity_free(now, out);
        else if constexpr (std::is_same_v<E, ev::CapacityTick>)
          on_capacity_tick(now, out);
        else if constexpr (std::is_same_v<E, ev::PlanReview>)
          on_plan_review(now, out);
        else if constexpr (std::is_same_v<E, ev::LaneTick>)
          on_lane_tick(e, now, out);
        else
          static_assert(kUnhandled<E>, "an event kind without a handler");
      },
      event.body);
}

namespace {
[[noreturn]] void unexpected(const scenario::Site& site, const char* event) {
  throw std::logic_error(fmt::format("site '{}' received an unexpected {} event", site.name, event));
}
}  // namespace

void SiteProcess::on_start(double, Outbox&) {}
void SiteProcess::on_energize(const ev::Energize&, double, Outbox&) {
  unexpected(site_, "energize");
}
void SiteProcess::on_gate_open(const ev::GateOpen&, double, Outbox&) {
  unexpected(site_, "gate-open");
}
void SiteProcess::on_arrival(const ev::Arrival&, double, Outbox&) {
  unexpected(site_, "arrival");
}
void SiteProcess::on_order(const ev::Order&, double, Outbox&) {
  unexpected(site_, "order");
}
void SiteProcess::on_segment_done(const ev::SegmentDone&, double, Outbox&) {
  unexpected(site_, "segment-done");
}
void SiteProcess::on_install_done(const ev::InstallDone&, double, Outbox&) {
  unexpected(site_, "install-done");
}
void SiteProcess::on_releases_begin(double, Outbox&) {
  unexpected(site_, "releases-begin");
}
void SiteProcess::on_release(double, Outbox&) {
  unexpected(site_, "release");
}
void SiteProcess::on_refill(double, Outbox&) {
  unexpected(site_, "refill");
}
void SiteProcess::on_capacity_free(double, Outbox&) {
  unexpected(site_, "capacity-free");
}
void SiteProcess::on_capacity_tick(double, Outbox&) {
  unexpected(site_, "capacity-tick");
}
void SiteProcess::on_plan_review(double, Outbox&) {
  unexpected(site_, "plan-review");
}

void SiteProcess::share_heap(EventHeap& shared, std::uint32_t member) {
  // In key order, so that this site's events keep their order among themselves in the shared heap.
  while (!own_heap_.empty()) shared.push(own_heap_.pop(), member);
  heap_ = &shared;
  member_ = member;
}

std::vector<Event*> SiteProcess::lots_in_process() {
  // The heap's layout depends on when other sites' events were pushed, so visit lots in key order: draws and
  // sums then follow the same order whatever the interleaving.
  std::vector<Event*> lots;
  for (Event* event : heap_->pending(member_))
    if (std::holds_alternative<ev::SegmentDone>(event->body)) lots.push_back(event);
  std::sort(lots.begin(), lots.end(), [](const Event* a, const Event* b) { return b->after(*a); });
  return lots;
}

void SiteProcess::on_scrap(const ev::Scrap& scrap) {
  // Lots in process are those waiting for a route segment to finish.
  for (Event* event : lots_in_process()) {
    auto& batch = std::get<ev::SegmentDone>(event->body).batch;
    batch.units -= stream_.binomial(batch.units, scrap.fraction);
  }
}

void SiteProcess::on_lane_tick(const ev::LaneTick& tick, double now, Outbox& out) {
  const auto slot = static_cast<std::size_t>(tick.lane);
  Batch batch = shipper_.take_held(slot);
  if (batch.units > 0) {
    series_.flow(Slot::kShipped, "shipped").add(now, static_cast<double>(batch.units));
    const auto shipment = shipper_.ship(slot, batch, now, stream_);
    send(out, shipment.to, shipment.arrive, ev::Arrival{shipment.lane, shipment.batch});
  }
  update_inventory(now);
}

void SiteProcess::dispatch(const Batch& batch, double now, Outbox& out) {
  if (shipper_.empty()) return;
  const std::size_t slot = shipper_.choose(static_cast<double>(batch.units));
  if (shipper_.lane(slot).cadence_days > 0) {
    if (const auto tick = shipper_.hold(slot, batch, now)) schedule(*tick, ev::LaneTick{static_cast<int>(slot)});
    update_inventory(now);
    return;
  }
  series_.flow(Slot::kShipped, "shipped").add(now, static_cast<double>(batch.units));
  const auto shipment = shipper_.ship(slot, batch, now, stream_);
  send(out, shipment.to, shipment.arrive, ev::Arrival{shipment.lane, shipment.batch});
}

bool SiteProcess::records_inventory() const {
  return site_.role == scenario::Role::kAssembler || !shipper_.empty();
}

void SiteProcess::finish(double end_day, scsim::ReplicationResult& result) {
  series_.write(result);
  if (records_inventory()) series_.write_level("inventory", inventory_, end_day, result);
}

}  // namespace scsim::engine
