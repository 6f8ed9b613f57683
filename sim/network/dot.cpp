// to_dot(): the supply network in Graphviz DOT, deterministic (scenario order throughout).
#include <fmt/format.h>

#include <string>

#include "models/distribution.hpp"
#include "sim/config/to_params.hpp"
#include "sim/network/supply_network.hpp"

namespace scsim::network {
namespace {

// Text inside a DOT double-quoted string: quotes and backslashes escaped (label escapes like \n are added
// by the caller, after escaping).
std::string quoted(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string_view mode_name(scsim::Lane::Mode mode) {
  switch (mode) {
    case scsim::Lane::AIR:
      return "air";
    case scsim::Lane::SEA:
      return "sea";
    case scsim::Lane::INTERNAL:
      return "internal";
    case scsim::Lane::TRUCK:
      break;
  }
  return "truck";
}

}  // namespace

std::string to_dot(const scsim::Scenario& scenario) {
  const SupplyGraph net(scenario);
  const Graph& g = net.graph();
  std::string dot = "digraph supply {\n  rankdir=LR;\n  node [shape=box];\n";
  for (Vertex v = 0; v < net.num_sites(); ++v) {
    const SiteVertex& s = g[v];
    const std::string who = s.company.empty() ? std::string(kind_name(s.kind))
                                              : fmt::format("{} · {}", quoted(s.company), kind_name(s.kind));
    dot += fmt::format("  \"{0}\" [label=\"{0}\\n{1}\"];\n", quoted(s.name), who);
  }
  for (int i = 0; i < scenario.lanes_size(); ++i) {
    const auto& lane = scenario.lanes(i);
    if (!net.find(lane.from()) || !net.find(lane.to())) continue;
    dot += fmt::format("  \"{}\" -> \"{}\" [label=\"{}\\n{} · {} d\"];\n", quoted(lane.from()), quoted(lane.to()),
                       quoted(lane.product()), mode_name(lane.mode()),
                       quoted(models::describe(config::to_dist(lane.transit_days(), 0.0))));
  }
  for (int i = 0; i < scenario.sites_size(); ++i) {
    const auto& site = scenario.sites(i);
    if (!site.has_foundry() || !site.foundry().has_design_site()) continue;
    const auto design = net.find(site.foundry().design_site());
    if (!design || g[*design].kind != SiteKind::kDesign) continue;
    const std::string port =
        site.foundry().has_port_days()
            ? fmt::format("\\nport {} d", quoted(models::describe(config::to_dist(site.foundry().port_days(), 0.0))))
            : "";
    dot += fmt::format("  \"{}\" -> \"{}\" [style=dashed, label=\"release gate{}\"];\n", quoted(g[*design].name),
                       quoted(site.name()), port);
  }
  dot += "}\n";
  return dot;
}

}  // namespace scsim::network
