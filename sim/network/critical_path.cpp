// Expected time to the first installed unit, and the chain of stages that determines it.
//
// Every duration is its distribution's mean. Each site's kind decides when it can begin its first unit and
// when that unit is ready to ship (sim/kinds/*.cpp: first_unit), given the arrival of its kit (for each input
// the earliest lane bringing it — alternative suppliers — then the latest input) and its gating design's
// release. Lanes: depart = max(source ready, qualification day when the source must qualify at the
// destination), arrive = depart + transit. Qualification starts with the supplier's first shipment there
// (there is nothing to qualify before) and takes duration + slip_probability·slip.
#include <optional>

#include "sim/kinds/kind.hpp"
#include "sim/network/analysis.hpp"

namespace scsim::network::detail {
namespace {

constexpr double kInf = scenario::kNever;

struct SiteTiming {
  kinds::FirstUnit unit;
  std::optional<int> via_lane;  // the lane whose arrival bound `begin` (kit-bound sites)
};

struct LaneTiming {
  double depart = kInf;
  double arrive = kInf;
  std::optional<double> qualification;  // set when qualification, not the source, bound `depart`
};

class FirstUnitWalk {
 public:
  explicit FirstUnitWalk(const scenario::Scenario& s) : s_(s), sites_(s.sites.size()), lanes_(s.lanes.size()) {}

  void compute() {
    for (std::size_t v = 0; v < s_.sites.size(); ++v) {
      // Lanes into v first: their sources come earlier in the (topological) site order.
      for (std::size_t l = 0; l < s_.lanes.size(); ++l)
        if (s_.lanes[l].to == static_cast<int>(v)) lanes_[l] = lane_timing(s_.lanes[l]);
      sites_[v] = site_timing(static_cast<int>(v));
    }
  }

  FirstUnitResult result() const {
    FirstUnitResult out{kInf, {}};
    std::optional<int> first;
    for (std::size_t v = 0; v < s_.sites.size(); ++v) {
      const auto& site = s_.sites[v];
      if (site.role != scenario::Role::kDatacenter || site.product != s_.demand.product) continue;
      if (sites_[v].unit.ready < out.day) {
        out.day = sites_[v].unit.ready;
        first = static_cast<int>(v);
      }
    }
    if (first) out.critical_path = path_to(*first);
    return out;
  }

 private:
  LaneTiming lane_timing(const scenario::Lane& lane) const {
    LaneTiming t;
    t.depart = sites_[static_cast<std::size_t>(lane.from)].unit.ready;
    if (lane.qualification) {
      const auto& q = *lane.qualification;
      const double qualified = (q.start_day ? *q.start_day : t.depart) + models::mean(q.duration_days) +
                               q.slip_probability * models::mean(q.slip_days);
      if (qualified > t.depart) {
        t.depart = qualified;
        t.qualification = qualified;
      }
    }
    t.arrive = t.depart + models::mean(lane.transit_days);
    return t;
  }

  SiteTiming site_timing(int v) const {
    const auto& site = s_.sites[static_cast<std::size_t>(v)];
    kinds::FirstUnitInputs inputs;
    SiteTiming t;
    // Kit arrival: for each input the earliest lane bringing it, then the latest input (ties: the lower lane
    // index, then the first input in BOM order).
    double latest = -kInf;
    std::optional<int> latest_via;
    for (const auto& in : site.inputs) {
      double earliest = kInf;
      std::optional<int> earliest_via;
      for (std::size_t l = 0; l < s_.lanes.size(); ++l) {
        const auto& lane = s_.lanes[l];
        if (lane.to != v || lane.product != in.product) continue;
        if (lanes_[l].arrive < earliest) {
          earliest = lanes_[l].arrive;
          earliest_via = static_cast<int>(l);
        }
      }
      if (earliest > latest) {
        latest = earliest;
        latest_via = earliest_via;
      }
    }
    if (!site.inputs.empty()) inputs.kit_arrival = latest;
    if (site.gated_by >= 0) {
      const auto& gate = sites_[static_cast<std::size_t>(site.gated_by)].unit;
      inputs.gate_release = gate.ready;
      inputs.gate_tapeout = gate.tapeout;
      inputs.gate_silicon = gate.silicon;
    }
    inputs.program = s_.program.enabled;
    t.unit = site.kind->first_unit(site, inputs);
    if (t.unit.bound_by == kinds::FirstUnit::BoundBy::kKit) t.via_lane = latest_via;
    return t;
  }

  // Walks back from a datacenter through the binding lane or gate at every join; returns stages in time order.
  std::vector<Stage> path_to(int dc) const {
    std::vector<Stage> reversed;
    std::optional<int> v = dc;
    while (v) {
      const auto& site = s_.sites[static_cast<std::size_t>(*v)];
      const SiteTiming& t = sites_[static_cast<std::size_t>(*v)];
      reversed.push_back({site.name, std::string(site.kind->name()), t.unit.begin, t.unit.ready});
      if (t.unit.extra)
        reversed.push_back({t.unit.extra->name, t.unit.extra->kind, t.unit.extra->start_day, t.unit.extra->end_day});
      v.reset();
      if (t.unit.bound_by == kinds::FirstUnit::BoundBy::kGate) {
        v = site.gated_by;
      } else if (t.via_lane) {
        const auto& lane = s_.lanes[static_cast<std::size_t>(*t.via_lane)];
        const LaneTiming& lt = lanes_[static_cast<std::size_t>(*t.via_lane)];
        reversed.push_back({lane.name, "lane", lt.depart, lt.arrive});
        if (lt.qualification) {
          const auto& supplier = s_.sites[static_cast<std::size_t>(lane.from)];
          reversed.push_back({supplier.name + " at " + site.name, "qualification",
                              sites_[static_cast<std::size_t>(lane.from)].unit.ready, *lt.qualification});
        }
        v = lane.from;
      }
    }
    return {reversed.rbegin(), reversed.rend()};
  }

  const scenario::Scenario& s_;
  std::vector<SiteTiming> sites_;
  std::vector<LaneTiming> lanes_;
};

}  // namespace

FirstUnitResult first_unit(const scenario::Scenario& scenario) {
  FirstUnitWalk walk(scenario);
  walk.compute();
  return walk.result();
}

}  // namespace scsim::network::detail
