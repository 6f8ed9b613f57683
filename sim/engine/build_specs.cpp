#include "sim/engine/build_specs.hpp"

#include <cmath>
#include <map>

#include "models/wafer.hpp"
#include "sim/config/date.hpp"
#include "sim/config/to_params.hpp"

namespace scsim::engine {

namespace {

using config::to_dist;

RateSchedule to_schedule(const scsim::Schedule& schedule, const std::string& start_date, double divisor) {
  RateSchedule out;
  for (const auto& step : schedule.steps())
    out.steps.emplace_back(config::day_of(step.from_date(), start_date), step.rate() / divisor);
  return out;
}

std::vector<StationParams> to_stations(const google::protobuf::RepeatedPtrField<scsim::Station>& stations) {
  std::vector<StationParams> out;
  for (const auto& s : stations) out.push_back({s.servers(), to_dist(s.process_time_days())});
  return out;
}

models::YieldModel to_yield_model(scsim::Foundry::YieldModel model) {
  switch (model) {
    case scsim::Foundry::POISSON: return models::YieldModel::kPoisson;
    case scsim::Foundry::MURPHY: return models::YieldModel::kMurphy;
    case scsim::Foundry::SEEDS: return models::YieldModel::kSeeds;
    case scsim::Foundry::NEGATIVE_BINOMIAL: break;
  }
  return models::YieldModel::kNegativeBinomial;
}

// Down windows of one disruption in this replication.
std::vector<models::DownWindow> draw_windows(const scsim::Disruption& d, const std::string& start_date,
                                             double horizon, models::RandomStream& stream) {
  std::vector<models::DownWindow> windows;
  const auto duration = to_dist(d.duration_days());
  if (d.has_start_date()) {
    const double start = config::day_of(d.start_date(), start_date);
    windows.push_back({start, start + models::sample(duration, stream), d.capacity_factor()});
  } else {
    // Poisson arrivals; a new event can only start once the previous one ended.
    const double mean_gap = 365.25 / d.rate_per_year();
    double t = 0;
    for (;;) {
      t += -mean_gap * std::log(stream.uniform_open01());
      if (t >= horizon) break;
      const double end = t + models::sample(duration, stream);
      windows.push_back({t, end, d.capacity_factor()});
      t = end;
    }
  }
  return windows;
}

}  // namespace

std::vector<SiteSpec> build_specs(const scsim::Scenario& scenario, const network::Analysis& analysis,
                                  std::uint64_t seed, int replication) {
  const std::string& start = scenario.start_date();
  std::map<std::string, int> site_index, product_index;
  for (int i = 0; i < scenario.sites_size(); ++i) site_index[scenario.sites(i).name()] = i;
  for (int i = 0; i < scenario.products_size(); ++i) product_index[scenario.products(i).name()] = i;
  std::map<std::string, const network::SiteCapacity*> capacity;
  for (const auto& c : analysis.sites) capacity[c.site] = &c;

  std::vector<SiteSpec> specs(static_cast<std::size_t>(scenario.sites_size()));
  for (int i = 0; i < scenario.sites_size(); ++i) {
    const auto& site = scenario.sites(i);
    SiteSpec& spec = specs[static_cast<std::size_t>(i)];
    spec.name = site.name();
    spec.product = site.has_product() ? product_index.at(site.product()) : -1;
    spec.delay_days = models::Fixed{0};
    if (spec.product >= 0) {
      for (const auto& line : scenario.products(spec.product).bom())
        spec.inputs.emplace_back(product_index.at(line.product()), line.quantity());
    }
    // A test site whose product has no BOM passes its own product through.
    if (site.has_test() && spec.inputs.empty()) spec.inputs.emplace_back(spec.product, 1.0);

    switch (site.kind_case()) {
      case scsim::Site::kDesign: {
        const auto& d = site.design();
        spec.kind = "design";
        spec.role = Role::kDesign;
        auto& p = spec.design.params;
        p.start_day = config::day_of(d.start_date(), start);
        p.tapeout_days = to_dist(d.tapeout_days());
        p.mask_days = to_dist(d.mask_days());
        p.first_silicon_days = to_dist(d.first_silicon_days());
        p.production_release_days = to_dist(d.production_release_days());
        p.respin_probability = d.respin_probability();
        p.metal_only_fraction = d.metal_only_fraction();
        p.metal_respin_days = to_dist(d.metal_respin_days());
        p.base_respin_days = to_dist(d.base_respin_days());
        break;
      }
      case scsim::Site::kFoundry: {
        const auto& f = site.foundry();
        spec.kind = "foundry";
        spec.role = Role::kSource;
        spec.release_metric = "wafer_starts";
        spec.output_metric = "good_dies";
        spec.release.policy = ReleaseSpec::Policy::kSchedule;
        spec.release.units_per_lot = f.lot_size_wafers();
        spec.release.lots_per_week = to_schedule(f.wafer_starts_per_week(), start, f.lot_size_wafers());
        spec.release.allocation_wait_days = to_dist(f.allocation_wait_days());
        spec.release.gated = f.has_design_site();
        spec.release.gate_delay_days = to_dist(f.port_days());
        if (f.stations_size() > 0)
          spec.stations = to_stations(f.stations());
        else
          spec.delay_days = to_dist(f.cycle_time_days());
        spec.transform = Transform::kDies;
        auto& p = spec.foundry;
        const double area = f.die_width_mm() * f.die_height_mm();
        p.gross_dies_per_wafer =
            f.has_gross_dies_per_wafer()
                ? f.gross_dies_per_wafer()
                : models::gross_dies_per_wafer({f.wafer_diameter_mm(), f.edge_exclusion_mm(), f.die_width_mm(),
                                                f.die_height_mm(), f.scribe_mm()});
        p.die_area_mm2 = area;
        p.yield_model = to_yield_model(f.yield_model());
        p.clustering_alpha = f.clustering_alpha();
        p.d0_initial_per_cm2 = f.has_d0_initial_per_cm2() ? f.d0_initial_per_cm2() : 0.0;
        p.learning_tau_days = f.learning_tau_days();
        p.harvest_fraction = f.harvest_fraction();
        p.wafer_yield_correlation = f.wafer_yield_correlation();
        spec.d0_dist = to_dist(f.d0_per_cm2());
        spec.cost_basis = CostBasis::kPerReleasedUnit;
        spec.unit_cost_usd = f.wafer_cost_usd();
        break;
      }
      case scsim::Site::kMemory: {
        const auto& m = site.memory();
        spec.kind = "memory";
        spec.role = Role::kSource;
        spec.release_metric = "wafer_starts";
        spec.output_metric = "hbm_stacks";
        spec.release.policy = ReleaseSpec::Policy::kSchedule;
        spec.release.units_per_lot = m.lot_size_wafers();
        spec.release.lots_per_week = to_schedule(m.dram_wafer_starts_per_week(), start, m.lot_size_wafers());
        spec.delay_days = to_dist(m.cycle_time_days());
        spec.transform = Transform::kStacks;
        spec.memory.dies_per_wafer = m.dies_per_wafer();
        spec.memory.stack_height = m.stack_height();
        if (m.has_stack_yield()) {
          spec.yield_dist = to_dist(m.stack_yield());
        } else {
          spec.die_yield_dist = to_dist(m.die_yield(), 1.0);
          spec.bond_yield_dist = to_dist(m.bond_yield(), 0.995);
        }
        spec.memory.stack_yield_initial = m.has_stack_yield_initial() ? m.stack_yield_initial() : -1.0;
        spec.memory.learning_tau_days = m.learning_tau_days();
        spec.cost_basis = CostBasis::kPerGoodOutput;
        spec.unit_cost_usd = m.stack_cost_usd();
        break;
      }
      case scsim::Site::kPackaging: {
        const auto& p = site.packaging();
        spec.kind = "packaging";
        spec.role = Role::kAssembler;
        spec.output_metric = "packages";
        spec.batch_units = p.batch_size();
        if (p.has_interposer_wafers_per_week()) {
          spec.start_capacity_per_week = to_schedule(p.interposer_wafers_per_week(), start, 1.0);
          for (auto& step : spec.start_capacity_per_week.steps) step.second *= p.packages_per_interposer_wafer();
        }
        spec.queue_days = to_dist(p.queue_days());
        spec.delay_days = to_dist(p.cycle_time_days());
        spec.transform = Transform::kFraction;
        spec.yield_dist = to_dist(p.assembly_yield(), 1.0);
        spec.cost_basis = CostBasis::kPerStartedUnit;
        spec.unit_cost_usd = p.package_cost_usd();
        break;
      }
      case scsim::Site::kTest: {
        const auto& t = site.test();
        spec.kind = "test";
        spec.role = Role::kAssembler;
        spec.batch_units = t.batch_size();
        if (t.capacity_units_per_week() > 0) spec.start_capacity_per_week.steps.emplace_back(0.0, t.capacity_units_per_week());
        spec.delay_days = to_dist(t.cycle_time_days());
        spec.transform = Transform::kFraction;
        spec.yield_dist = to_dist(t.yield(), 1.0);
        break;
      }
      case scsim::Site::kDatacenter: {
        const auto& d = site.datacenter();
        spec.kind = "datacenter";
        spec.role = Role::kDatacenter;
        spec.inputs = {{spec.product, 1.0}};
        for (const auto& b : d.buildings()) {
          BuildingSpec building;
          building.name = b.name();
          building.construction_start_day = config::day_of(b.construction_start_date(), start);
          building.construction_days = to_dist(b.construction_days());
          if (b.has_power_date()) building.power_day = config::day_of(b.power_date(), start);
          building.power_delay_days = to_dist(b.power_delay_days());
          building.power_mw = b.power_mw();
          spec.buildings.push_back(building);
        }
        spec.kw_per_accelerator = to_dist(d.kw_per_accelerator());
        spec.install_rate_per_week = d.install_rate_per_week();
        spec.install_days = to_dist(d.install_days());
        break;
      }
      case scsim::Site::kGeneric: {
        const auto& g = site.generic();
        spec.kind = "generic";
        spec.stations = to_stations(g.stations());
        if (g.has_yield()) {
          spec.transform = Transform::kFraction;
          spec.yield_dist = to_dist(g.yield());
        }
        if (g.has_release()) {
          spec.role = Role::kSource;
          const auto& r = g.release();
          spec.release.units_per_lot = g.lot_size();
          spec.release.max_lots = r.max_lots();
          switch (r.policy_case()) {
            case scsim::Release::kLotsPerWeek:
              spec.release.policy = ReleaseSpec::Policy::kSchedule;
              spec.release.lots_per_week = to_schedule(r.lots_per_week(), start, 1.0);
              break;
            case scsim::Release::kInterarrivalDays:
              spec.release.policy = ReleaseSpec::Policy::kInterarrival;
              spec.release.interarrival_days = to_dist(r.interarrival_days());
              break;
            case scsim::Release::kConwipWipLots:
              spec.release.policy = ReleaseSpec::Policy::kConwip;
              spec.release.conwip_lots = r.conwip_wip_lots();
              break;
            case scsim::Release::POLICY_NOT_SET:
              break;
          }
        } else {
          spec.role = Role::kAssembler;
          spec.batch_units = g.lot_size();
        }
        break;
      }
      case scsim::Site::KIND_NOT_SET:
        break;
    }
  }

  // Gates: a design opens volume starts at the foundries that name it.
  for (int i = 0; i < scenario.sites_size(); ++i) {
    const auto& site = scenario.sites(i);
    if (site.has_foundry() && site.foundry().has_design_site()) {
      const int design = site_index.at(site.foundry().design_site());
      specs[static_cast<std::size_t>(design)].design.gated_sites.push_back(i);
    }
  }

  // Lanes: outbound from their source; shares default to an equal split.
  std::map<std::pair<int, int>, int> lanes_per_output;  // (site, product) -> count
  for (const auto& lane : scenario.lanes()) ++lanes_per_output[{site_index.at(lane.from()), product_index.at(lane.product())}];
  for (int l = 0; l < scenario.lanes_size(); ++l) {
    const auto& lane = scenario.lanes(l);
    const int from = site_index.at(lane.from()), to = site_index.at(lane.to());
    LaneSpec out;
    out.lane_index = l;
    out.name = lane.name();
    out.to_site = to;
    out.share = lane.has_share() ? lane.share() : 1.0 / lanes_per_output[{from, product_index.at(lane.product())}];
    out.transit_days = to_dist(lane.transit_days());
    out.cadence_days = lane.cadence_days();
    const auto& source = scenario.sites(from);
    if (source.has_memory())
      for (const auto& q : source.memory().qualifications())
        if (q.customer_site() == lane.to()) {
          out.gated = true;
          out.gate_days = to_dist(q.duration_days());
          out.gate_slip_probability = q.slip_probability();
          out.gate_slip_days = to_dist(q.slip_days());
        }
    specs[static_cast<std::size_t>(from)].lanes.push_back(std::move(out));
  }

  // Disruptions, each from its own stream, drawn before the run starts.
  std::map<int, std::vector<models::DownWindow>> site_windows;
  std::map<std::string, std::vector<models::DownWindow>> lane_windows;
  for (const auto& d : scenario.disruptions()) {
    models::RandomStream stream(seed, static_cast<std::uint64_t>(replication), "disruption:" + d.name());
    const auto windows = draw_windows(d, start, scenario.horizon_days(), stream);
    std::vector<int> hit;
    if (d.has_region()) {
      for (int i = 0; i < scenario.sites_size(); ++i)
        if (scenario.sites(i).region() == d.region()) hit.push_back(i);
    } else if (site_index.count(d.target())) {
      hit.push_back(site_index.at(d.target()));
    } else {
      lane_windows[d.target()].insert(lane_windows[d.target()].end(), windows.begin(), windows.end());
    }
    for (int i : hit) {
      auto& all = site_windows[i];
      all.insert(all.end(), windows.begin(), windows.end());
      for (const auto& w : windows)
        specs[static_cast<std::size_t>(i)].scrap_events.emplace_back(w.start_day, d.scrap_fraction());
    }
  }
  for (auto& [i, windows] : site_windows) specs[static_cast<std::size_t>(i)].profile = models::CapacityProfile(windows);
  for (auto& spec : specs)
    for (auto& lane : spec.lanes)
      if (lane_windows.count(lane.name)) lane.profile = models::CapacityProfile(lane_windows.at(lane.name));

  // Demand: sources stop releasing once their planned good output covers their
  // share of the target (share = their part of their component's capacity).
  if (scenario.has_demand()) {
    std::map<int, double> component_capacity;  // product -> accelerator-equivalents per week
    for (auto& spec : specs)
      if (spec.role == Role::kSource && capacity.count(spec.name))
        component_capacity[spec.product] += capacity.at(spec.name)->accelerators_per_week;
    for (auto& spec : specs) {
      if (spec.role != Role::kSource || !capacity.count(spec.name)) continue;
      const auto* c = capacity.at(spec.name);
      if (!(c->output_per_week > 0) || std::isinf(c->output_per_week)) continue;
      spec.demand.target_units = scenario.demand().target_units();
      spec.demand.accel_per_output_unit = c->accelerators_per_week / c->output_per_week;
      const double total = component_capacity[spec.product];
      spec.demand.share = total > 0 ? c->accelerators_per_week / total : 1.0;
    }
  }
  return specs;
}

}  // namespace scsim::engine
