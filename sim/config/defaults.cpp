#include "sim/config/defaults.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

namespace scsim::config {

namespace pb = google::protobuf;

namespace {

// Makes proto2 [default = ...] values explicit, recursively in set messages.
// Fields inside a oneof are left alone: setting one would choose the kind.
void make_defaults_explicit(pb::Message& message) {
  const auto* descriptor = message.GetDescriptor();
  const auto* reflection = message.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* field = descriptor->field(i);
    if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int k = 0; k < reflection->FieldSize(message, field); ++k)
          make_defaults_explicit(*reflection->MutableRepeatedMessage(&message, field, k));
      } else if (reflection->HasField(message, field)) {
        make_defaults_explicit(*reflection->MutableMessage(&message, field));
      }
      continue;
    }
    if (field->is_repeated() || field->containing_oneof() != nullptr || !field->has_default_value() ||
        reflection->HasField(message, field))
      continue;
    switch (field->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_DOUBLE:
        reflection->SetDouble(&message, field, field->default_value_double());
        break;
      case pb::FieldDescriptor::CPPTYPE_FLOAT:
        reflection->SetFloat(&message, field, field->default_value_float());
        break;
      case pb::FieldDescriptor::CPPTYPE_INT32:
        reflection->SetInt32(&message, field, field->default_value_int32());
        break;
      case pb::FieldDescriptor::CPPTYPE_INT64:
        reflection->SetInt64(&message, field, field->default_value_int64());
        break;
      case pb::FieldDescriptor::CPPTYPE_UINT32:
        reflection->SetUInt32(&message, field, field->default_value_uint32());
        break;
      case pb::FieldDescriptor::CPPTYPE_UINT64:
        reflection->SetUInt64(&message, field, field->default_value_uint64());
        break;
      case pb::FieldDescriptor::CPPTYPE_BOOL:
        reflection->SetBool(&message, field, field->default_value_bool());
        break;
      case pb::FieldDescriptor::CPPTYPE_STRING:
        reflection->SetString(&message, field, field->default_value_string());
        break;
      case pb::FieldDescriptor::CPPTYPE_ENUM:
        reflection->SetEnum(&message, field, field->default_value_enum());
        break;
      case pb::FieldDescriptor::CPPTYPE_MESSAGE:
        break;
    }
  }
}

}  // namespace

void apply_defaults(scsim::Scenario& scenario) {
  make_defaults_explicit(scenario);
  for (auto& lane : *scenario.mutable_lanes())
    if (!lane.has_name()) lane.set_name(lane.from() + "->" + lane.to());
  for (auto& site : *scenario.mutable_sites())
    if (site.has_design() && !site.design().has_start_date() && scenario.has_start_date())
      site.mutable_design()->set_start_date(scenario.start_date());
}

}  // namespace scsim::config
