// Expected time to the first installed unit, and the chain of stages that determines it.
//
// Every duration is its Dist's mean (config::expected, 0 when unset). A site's stage runs from the moment
// it can start on its first unit (`begin`) to the moment that first good unit is ready to ship (`ready`):
//   design     begin = start_date (default day 0);
//              ready = begin + tapeout + mask + first_silicon
//                      + respin_probability·(metal_only_fraction·metal + (1−metal_only_fraction)·base)
//                      + production_release
//   foundry    may start at max(gate, first wafer-start step with rate > 0), gate = design ready + port_days;
//              ready = that + allocation_wait + cycle_time (or the sum of station means when `stations` set).
//              When the gate binds, the stage begins at the design's release (port inside the stage), so
//              stages stay contiguous.
//   memory     begin = first DRAM wafer-start step with rate > 0; ready = begin + cycle_time
//   packaging  begin = max(kit arrival, first interposer step with rate > 0 when a schedule is set);
//              ready = begin + queue + cycle_time
//   test       begin = kit arrival; ready = begin + cycle_time
//   generic    begin = kit arrival, or for a source the first release (first lots_per_week step with rate > 0;
//              one mean interarrival; day 0 for CONWIP); ready = begin + sum of station means
//   datacenter begin = max(arrival of the installed product, first energized building), where a building is
//              energized at max(construction start + construction_days, power_date + power_delay) (the
//              power term only when power_date is set); done = begin + install_days. A datacenter without
//              buildings is taken as not power-limited.
// Kit arrival: for each input the earliest lane bringing it (alternative suppliers), then the latest input.
// Dates are days from Scenario.start_date; an unset date counts as day 0.
// Lanes: depart = max(source ready, qualification day when the source is a memory that must qualify at the
// destination), arrive = depart + transit. Qualification starts with the supplier's first stacks (there is
// nothing to qualify before) and takes duration + slip_probability·slip.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <tuple>

#include "sim/config/to_params.hpp"
#include "sim/network/analysis_parts.hpp"

namespace scsim::network::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

using config::expected;

// Day of an ISO date relative to the scenario start. An unset (empty) date counts as day 0, so that an
// analysis of a scenario whose validation let one through does not throw; a malformed date still throws.
double day(const std::string& date, const std::string& start_date) {
  return date.empty() ? 0.0 : config::day_of(date, start_date);
}

// How a site's start was determined, for walking the critical path back.
struct SiteTiming {
  double begin = kInf;
  double ready = kInf;
  std::optional<Edge> via;        // the lane (or gate) whose arrival bound `begin`
  std::optional<Stage> building;  // the building whose energizing bound a datacenter's `begin`
};

struct LaneTiming {
  double depart = kInf;
  double arrive = kInf;
  std::optional<double> qualification;  // set when qualification, not the source, bound `depart`
};

double design_release(const scsim::Design& design, double begin) {
  const double respin =
      design.respin_probability() * (design.metal_only_fraction() * expected(design.metal_respin_days()) +
                                     (1.0 - design.metal_only_fraction()) * expected(design.base_respin_days()));
  return begin + expected(design.tapeout_days()) + expected(design.mask_days()) +
         expected(design.first_silicon_days()) + respin + expected(design.production_release_days());
}

// Expected qualification day of `memory` at `customer` when its first stacks are ready on `first_output_day`,
// if it must qualify there (latest of repeated entries).
std::optional<double> qualification_day(const scsim::Memory& memory, const std::string& customer,
                                        double first_output_day) {
  std::optional<double> result;
  for (const auto& q : memory.qualifications()) {
    if (q.customer_site() != customer) continue;
    const double d =
        first_output_day + expected(q.duration_days()) + q.slip_probability() * expected(q.slip_days());
    result = std::max(result.value_or(d), d);
  }
  return result;
}

class FirstUnitWalk {
 public:
  FirstUnitWalk(const scsim::Scenario& scenario, const SupplyGraph& net)
      : scenario_(scenario), net_(net), g_(net.graph()), sites_(net.num_sites()) {}

  void compute(const std::vector<Vertex>& order) {
    for (const Vertex v : order) {
      // Lanes into v first: their sources come earlier in the order.
      for (const auto e : boost::make_iterator_range(boost::in_edges(v, g_))) {
        if (g_[e].kind == EdgeKind::kLane) lanes_[g_[e].lane_index] = lane_timing(e);
      }
      sites_[v] = site_timing(v);
    }
  }

  FirstUnit result() const {
    FirstUnit out{kInf, {}};
    std::optional<Vertex> first;
    for (Vertex v = 0; v < net_.num_sites(); ++v) {
      const SiteVertex& s = g_[v];
      if (s.kind != SiteKind::kDatacenter || s.product != net_.demand_product()) continue;
      if (sites_[v].ready < out.day) {
        out.day = sites_[v].ready;
        first = v;
      }
    }
    if (first) out.critical_path = path_to(*first);
    return out;
  }

 private:
  const scsim::Site& proto(Vertex v) const { return scenario_.sites(static_cast<int>(v)); }
  const std::string& start() const { return scenario_.start_date(); }

  LaneTiming lane_timing(Edge e) const {
    const Vertex from = boost::source(e, g_);
    const auto& lane = scenario_.lanes(g_[e].lane_index);
    LaneTiming t;
    t.depart = sites_[from].ready;
    if (proto(from).has_memory()) {
      const auto q = qualification_day(proto(from).memory(), lane.to(), t.depart);
      if (q && *q > t.depart) {
        t.depart = *q;
        t.qualification = *q;
      }
    }
    t.arrive = t.depart + expected(lane.transit_days());
    return t;
  }

  // Earliest arrival of each input, then the latest over inputs; `via` is the lane that brought it.
  std::pair<double, std::optional<Edge>> kit_arrival(Vertex v) const {
    double latest = -kInf;
    std::optional<Edge> latest_via;
    for (const auto& in : g_[v].inputs) {
      double earliest = kInf;
      std::optional<Edge> earliest_via;
      for (const auto e : boost::make_iterator_range(boost::in_edges(v, g_))) {
        if (g_[e].kind != EdgeKind::kLane || g_[e].product != in.product) continue;
        const double t = lanes_.at(g_[e].lane_index).arrive;
        if (t < earliest) {  // ties: lower lane index (in-edges are in lane order)
          earliest = t;
          earliest_via = e;
        }
      }
      if (earliest > latest) {  // ties: first input in BOM order
        latest = earliest;
        latest_via = earliest_via;
      }
    }
    if (g_[v].inputs.empty()) return {kInf, std::nullopt};
    return {latest, latest_via};
  }

  SiteTiming site_timing(Vertex v) const {
    const auto& site = proto(v);
    SiteTiming t;
    switch (g_[v].kind) {
      case SiteKind::kDesign: {
        t.begin = site.design().has_start_date() ? day(site.design().start_date(), start()) : 0.0;
        t.ready = design_release(site.design(), t.begin);
        break;
      }
      case SiteKind::kFoundry: {
        const auto& f = site.foundry();
        double may_start = first_positive_day(f.wafer_starts_per_week(), start());
        t.begin = may_start;
        for (const auto e : boost::make_iterator_range(boost::in_edges(v, g_))) {
          if (g_[e].kind != EdgeKind::kGate) continue;
          const double released = sites_[boost::source(e, g_)].ready;
          const double gate = released + expected(f.port_days());
          if (gate >= may_start) {  // the design binds (also on a tie: it is the upstream cause)
            may_start = gate;
            t.begin = released;
            t.via = e;
          }
        }
        const double cycle = f.stations_size() > 0 ? route_days(f.stations()) : expected(f.cycle_time_days());
        t.ready = may_start + expected(f.allocation_wait_days()) + cycle;
        break;
      }
      case SiteKind::kMemory: {
        const auto& m = site.memory();
        t.begin = first_positive_day(m.dram_wafer_starts_per_week(), start());
        t.ready = t.begin + expected(m.cycle_time_days());
        break;
      }
      case SiteKind::kPackaging: {
        const auto& p = site.packaging();
        std::tie(t.begin, t.via) = kit_arrival(v);
        if (p.has_interposer_wafers_per_week()) {
          const double interposers = first_positive_day(p.interposer_wafers_per_week(), start());
          if (interposers > t.begin) {
            t.begin = interposers;
            t.via.reset();
          }
        }
        t.ready = t.begin + expected(p.queue_days()) + expected(p.cycle_time_days());
        break;
      }
      case SiteKind::kTest: {
        std::tie(t.begin, t.via) = kit_arrival(v);
        t.ready = t.begin + expected(site.test().cycle_time_days());
        break;
      }
      case SiteKind::kGeneric: {
        const auto& gen = site.generic();
        if (g_[v].source) {
          t.begin = first_release_day(gen);
        } else {
          std::tie(t.begin, t.via) = kit_arrival(v);
        }
        t.ready = t.begin + route_days(gen.stations());
        break;
      }
      case SiteKind::kDatacenter: {
        const auto& dc = site.datacenter();
        std::tie(t.begin, t.via) = kit_arrival(v);
        if (auto building = first_energized(v, dc); building && building->end_day > t.begin) {
          t.begin = building->end_day;
          t.via.reset();
          t.building = std::move(building);
        }
        t.ready = t.begin + expected(dc.install_days());
        break;
      }
      case SiteKind::kNone:
        break;
    }
    return t;
  }

  double first_release_day(const scsim::Generic& gen) const {
    const auto& release = gen.release();
    switch (release.policy_case()) {
      case scsim::Release::kLotsPerWeek:
        return first_positive_day(release.lots_per_week(), start());
      case scsim::Release::kInterarrivalDays:
        return expected(release.interarrival_days());
      case scsim::Release::kConwipWipLots:
        return 0.0;
      case scsim::Release::POLICY_NOT_SET:
        break;
    }
    return kInf;
  }

  // The earliest energized building as a stage (start = the binding term's start), ties to the first listed.
  std::optional<Stage> first_energized(Vertex v, const scsim::Datacenter& dc) const {
    std::optional<Stage> best;
    for (int i = 0; i < dc.buildings_size(); ++i) {
      const auto& b = dc.buildings(i);
      const double construction_start = day(b.construction_start_date(), start());
      Stage stage{b.name().empty() ? fmt::format("{}/buildings[{}]", g_[v].name, i) : b.name(), "building",
                  construction_start, construction_start + expected(b.construction_days())};
      if (b.has_power_date()) {
        const double power_date = day(b.power_date(), start());
        const double powered = power_date + expected(b.power_delay_days());
        if (powered > stage.end_day) stage = Stage{stage.name, "building", power_date, powered};
      }
      if (!best || stage.end_day < best->end_day) best = std::move(stage);
    }
    return best;
  }

  // Walks back from a datacenter through the binding lane or gate at every join; returns stages in time order.
  std::vector<Stage> path_to(Vertex dc) const {
    std::vector<Stage> reversed;
    std::optional<Vertex> v = dc;
    while (v) {
      const SiteTiming& t = sites_[*v];
      reversed.push_back({g_[*v].name, std::string(kind_name(g_[*v].kind)), t.begin, t.ready});
      if (t.building) reversed.push_back(*t.building);
      v.reset();
      if (!t.via) break;
      const Edge e = *t.via;
      if (g_[e].kind == EdgeKind::kLane) {
        const LaneTiming& lt = lanes_.at(g_[e].lane_index);
        reversed.push_back({g_[e].name, "lane", lt.depart, lt.arrive});
        if (lt.qualification) {
          const Vertex supplier = boost::source(e, g_);
          reversed.push_back({g_[supplier].name + " at " + g_[boost::target(e, g_)].name, "qualification",
                              sites_[supplier].ready, *lt.qualification});
        }
      }
      v = boost::source(e, g_);
    }
    return {reversed.rbegin(), reversed.rend()};
  }

  const scsim::Scenario& scenario_;
  const SupplyGraph& net_;
  const Graph& g_;
  std::vector<SiteTiming> sites_;
  std::map<int, LaneTiming> lanes_;
};

}  // namespace

double first_positive_day(const scsim::Schedule& schedule, const std::string& start_date) {
  for (const auto& step : schedule.steps()) {
    if (step.rate() > 0) return std::max(0.0, day(step.from_date(), start_date));
  }
  return kInf;
}

double route_days(const google::protobuf::RepeatedPtrField<scsim::Station>& stations) {
  double total = 0;
  for (const auto& station : stations) total += expected(station.process_time_days());
  return total;
}

FirstUnit first_unit(const scsim::Scenario& scenario, const SupplyGraph& net, const std::vector<Vertex>& order) {
  FirstUnitWalk walk(scenario, net);
  walk.compute(order);
  return walk.result();
}

}  // namespace scsim::network::detail
