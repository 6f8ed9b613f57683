// to_dot(): the supply network in Graphviz DOT, deterministic (file order throughout).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <numeric>
#include <string>

#include "models/distribution.hpp"
#include "sim/config/resolve.hpp"
#include "sim/kinds/kind.hpp"
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

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

template <typename T>
std::vector<std::size_t> file_order(const std::vector<T>& items) {
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return items[a].file_index < items[b].file_index; });
  return order;
}

}  // namespace

std::string to_dot(const scenario::Scenario& s) {
  std::string dot = "digraph supply {\n  rankdir=LR;\n  node [shape=box];\n";
  for (const auto i : file_order(s.sites)) {
    const auto& site = s.sites[i];
    const std::string kind(site.kind->name());
    const std::string who = site.company.empty() ? kind : fmt::format("{} · {}", quoted(site.company), kind);
    dot += fmt::format("  \"{0}\" [label=\"{0}\\n{1}\"];\n", quoted(site.name), who);
  }
  const auto lanes = file_order(s.lanes);
  for (const auto l : lanes) {
    const auto& lane = s.lanes[l];
    dot += fmt::format("  \"{}\" -> \"{}\" [label=\"{}\\n{} · {} d\"];\n", quoted(s.sites[lane.from].name),
                       quoted(s.sites[lane.to].name), quoted(s.product_name(lane.product)), lower(lane.mode),
                       quoted(models::describe(lane.transit_days)));
  }
  for (const auto i : file_order(s.sites)) {
    const auto& site = s.sites[i];
    if (site.gated_by < 0) continue;
    const auto delay = site.kind->gate_delay(site);
    const bool shown = delay && !(std::holds_alternative<models::Fixed>(*delay) && std::get<models::Fixed>(*delay).value == 0);
    const std::string port = shown ? fmt::format("\\nport {} d", quoted(models::describe(*delay))) : "";
    dot += fmt::format("  \"{}\" -> \"{}\" [style=dashed, label=\"release gate{}\"];\n",
                       quoted(s.sites[static_cast<std::size_t>(site.gated_by)].name), quoted(site.name), port);
  }
  for (const auto l : lanes) {
    const auto& lane = s.lanes[l];
    if (lane.order_days > 0)
      dot += fmt::format("  \"{}\" -> \"{}\" [style=dotted, label=\"orders\\n{:g} d\"];\n", quoted(s.sites[lane.to].name),
                         quoted(s.sites[lane.from].name), lane.order_days);
  }
  dot += "}\n";
  return dot;
}

std::string to_dot(const scsim::Scenario& message) { return to_dot(config::resolve(message)); }

}  // namespace scsim::network
