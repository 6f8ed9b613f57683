// The table of site kinds: one line per kind. The name is the kind's member of
// Site's `kind` oneof in sim/config/scenario.proto.
#include <algorithm>

#include "sim/kinds/datacenter.hpp"
#include "sim/kinds/design.hpp"
#include "sim/kinds/foundry.hpp"
#include "sim/kinds/generic.hpp"
#include "sim/kinds/memory.hpp"
#include "sim/kinds/packaging.hpp"
#include "sim/kinds/substrate.hpp"
#include "sim/kinds/test_stage.hpp"

namespace scsim::kinds {

const std::vector<const Kind*>& all_kinds() {
  static const DesignKind design;
  static const FoundryKind foundry;
  static const MemoryKind memory;
  static const SubstrateKind substrate;
  static const PackagingKind packaging;
  static const TestKind test;
  static const DatacenterKind datacenter;
  static const GenericKind generic;
  static const std::vector<const Kind*> kinds{&design, &foundry, &memory, &substrate,
                                              &packaging, &test, &datacenter, &generic};
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
