// The table of site kinds: one line per kind. The name a kind returns is its
// member of Site's `kind` oneof in sim/config/scenario.proto.
#include <algorithm>
#include <memory>

#include "sim/kinds/datacenter.hpp"
#include "sim/kinds/design.hpp"
#include "sim/kinds/foundry.hpp"
#include "sim/kinds/generic.hpp"
#include "sim/kinds/memory.hpp"
#include "sim/kinds/packaging.hpp"
#include "sim/kinds/substrate.hpp"
#include "sim/kinds/test_stage.hpp"

namespace scsim::kinds {

namespace {

std::vector<std::unique_ptr<const Kind>> make_table() {
  std::vector<std::unique_ptr<const Kind>> table;
  table.push_back(std::make_unique<DesignKind>());
  table.push_back(std::make_unique<FoundryKind>());
  table.push_back(std::make_unique<MemoryKind>());
  table.push_back(std::make_unique<SubstrateKind>());
  table.push_back(std::make_unique<PackagingKind>());
  table.push_back(std::make_unique<TestKind>());
  table.push_back(std::make_unique<DatacenterKind>());
  table.push_back(std::make_unique<GenericKind>());
  return table;
}

}  // namespace

const std::vector<const Kind*>& all_kinds() {
  static const auto table = make_table();
  static const std::vector<const Kind*> kinds = [] {
    std::vector<const Kind*> out;
    for (const auto& kind : table) out.push_back(kind.get());
    return out;
  }();
  return kinds;
}

const Kind* find_kind(std::string_view name) {
  const auto& kinds = all_kinds();
  const auto found = std::find_if(kinds.begin(), kinds.end(), [&](const Kind* k) { return k->name() == name; });
  return found == kinds.end() ? nullptr : *found;
}

std::vector<scenario::Input> Kind::inputs(int, const std::vector<scenario::Input>& bom) const {
  return role(!bom.empty()) == scenario::Role::kAssembler ? bom : std::vector<scenario::Input>{};
}

}  // namespace scsim::kinds
