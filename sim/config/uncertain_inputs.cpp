#include "sim/config/uncertain_inputs.hpp"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include <cmath>

#include "models/distribution.hpp"
#include "sim/config/to_params.hpp"

namespace scsim::config {

namespace pb = google::protobuf;

namespace {

void walk(const pb::Message& message, const std::string& path, const std::string& label,
          std::vector<UncertainInput>& out) {
  const auto* descriptor = message.GetDescriptor();
  const auto* reflection = message.GetReflection();
  if (descriptor == scsim::Dist::descriptor()) {
    const auto& dist = static_cast<const scsim::Dist&>(message);
    const auto kind = dist.kind_case();
    if (kind == scsim::Dist::kFixed || kind == scsim::Dist::kLognormal || kind == scsim::Dist::kExponential ||
        kind == scsim::Dist::KIND_NOT_SET)
      return;
    const auto model = to_dist(dist);
    const double low = models::lower_bound(model), high = models::upper_bound(model);
    if (std::isfinite(low) && std::isfinite(high) && high > low)
      out.push_back({path, label, low, high, models::describe(model)});
    return;
  }
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* field = descriptor->field(i);
    if (field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const std::string prefix = path.empty() ? "" : path + ".";
    const std::string label_prefix = label.empty() ? "" : label + ".";
    if (field->is_repeated()) {
      for (int k = 0; k < reflection->FieldSize(message, field); ++k) {
        const auto& element = reflection->GetRepeatedMessage(message, field, k);
        // Elements with a name are shown by it: sites[name=tsmc_n3] reads better than sites[1].
        const auto* name = element.GetDescriptor()->FindFieldByName("name");
        std::string shown = fmt::format("{}[{}]", field->name(), k);
        if (name != nullptr && name->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING &&
            element.GetReflection()->HasField(element, name))
          shown = fmt::format("{}[name={}]", field->name(), element.GetReflection()->GetString(element, name));
        walk(element, fmt::format("{}{}[{}]", prefix, field->name(), k), label_prefix + shown, out);
      }
    } else if (reflection->HasField(message, field)) {
      walk(reflection->GetMessage(message, field), prefix + field->name(), label_prefix + field->name(), out);
    }
  }
}

}  // namespace

std::vector<UncertainInput> uncertain_inputs(const scsim::Scenario& scenario) {
  std::vector<UncertainInput> out;
  walk(scenario, "", "", out);
  return out;
}

}  // namespace scsim::config
