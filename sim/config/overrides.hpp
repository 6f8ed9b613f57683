// --set field.path=value overrides, applied to a parsed scenario.
#pragma once

#include <google/protobuf/message.h>

#include <string>

#include "sim/config/field_path.hpp"

namespace scsim::config {

// Applies one override "path=value" to `message`.
//
// The path may select repeated elements by index ("sites[2]") or by a field
// value ("sites[name=tsmc_n3]"). Scalars are parsed strictly for their type
// (number, true/false, enum name, string). A message field takes either a
// text-format body in braces ("{ triangular { min: 1 mode: 2 max: 3 } }") or,
// for a Dist, a bare number meaning `fixed`.
//
// On success returns the path with every selector resolved to an index
// ("sites[3].foundry.d0_per_cm2"), so problems found later can be traced back to
// the override. On failure throws std::invalid_argument with a message of the form
// "path: problem (got VALUE)".
std::string apply_override(google::protobuf::Message& message, const std::string& assignment);

}  // namespace scsim::config
