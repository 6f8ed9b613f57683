#include "sim/config/overrides.hpp"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>

namespace scsim::config {

namespace pb = google::protobuf;

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem, const std::string& value) {
  throw std::invalid_argument(fmt::format("{}: {} (got '{}')", path, problem, value));
}

std::optional<double> parse_double(const std::string& text) {
  if (text.empty()) return std::nullopt;
  if (text == "inf" || text == "+inf") return std::numeric_limits<double>::infinity();
  if (text == "-inf") return -std::numeric_limits<double>::infinity();
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || errno == ERANGE || std::isnan(value)) return std::nullopt;
  return value;
}

std::optional<long long> parse_integer(const std::string& text) {
  if (text.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (end != text.c_str() + text.size() || errno == ERANGE) return std::nullopt;
  return value;
}

// Finds the element of repeated message field `field` whose `key` field equals `value`.
int find_by_key(const pb::Message& message, const pb::FieldDescriptor* field, const PathStep& step,
                const std::string& where) {
  const auto* reflection = message.GetReflection();
  const auto* key = field->message_type()->FindFieldByName(step.key_field);
  if (key == nullptr || key->is_repeated() || key->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING)
    fail(where, fmt::format("'{}' is not a text field of {}", step.key_field, field->message_type()->name()),
         step.key_value);
  const int size = reflection->FieldSize(message, field);
  for (int i = 0; i < size; ++i) {
    const auto& element = reflection->GetRepeatedMessage(message, field, i);
    if (element.GetReflection()->GetString(element, key) == step.key_value) return i;
  }
  fail(where, fmt::format("no element with {} '{}'", step.key_field, step.key_value), step.key_value);
}

void set_scalar(pb::Message& message, const pb::FieldDescriptor* field, const std::string& value,
                const std::string& where) {
  const auto* reflection = message.GetReflection();
  using F = pb::FieldDescriptor;
  switch (field->cpp_type()) {
    case F::CPPTYPE_DOUBLE:
    case F::CPPTYPE_FLOAT: {
      const auto number = parse_double(value);
      if (!number) fail(where, "expected a number", value);
      if (field->cpp_type() == F::CPPTYPE_DOUBLE)
        reflection->SetDouble(&message, field, *number);
      else
        reflection->SetFloat(&message, field, static_cast<float>(*number));
      return;
    }
    case F::CPPTYPE_INT32:
    case F::CPPTYPE_INT64:
    case F::CPPTYPE_UINT32:
    case F::CPPTYPE_UINT64: {
      const auto number = parse_integer(value);
      if (!number) fail(where, "expected a whole number", value);
      const bool is_unsigned = field->cpp_type() == F::CPPTYPE_UINT32 || field->cpp_type() == F::CPPTYPE_UINT64;
      if (is_unsigned && *number < 0) fail(where, "expected a whole number >= 0", value);
      const bool is_32 = field->cpp_type() == F::CPPTYPE_INT32 || field->cpp_type() == F::CPPTYPE_UINT32;
      if (is_32 && (*number > std::numeric_limits<std::int32_t>::max() ||
                    *number < std::numeric_limits<std::int32_t>::min()))
        fail(where, "number out of range", value);
      if (field->cpp_type() == F::CPPTYPE_INT32) reflection->SetInt32(&message, field, static_cast<std::int32_t>(*number));
      if (field->cpp_type() == F::CPPTYPE_INT64) reflection->SetInt64(&message, field, *number);
      if (field->cpp_type() == F::CPPTYPE_UINT32)
        reflection->SetUInt32(&message, field, static_cast<std::uint32_t>(*number));
      if (field->cpp_type() == F::CPPTYPE_UINT64)
        reflection->SetUInt64(&message, field, static_cast<std::uint64_t>(*number));
      return;
    }
    case F::CPPTYPE_BOOL:
      if (value != "true" && value != "false") fail(where, "expected true or false", value);
      reflection->SetBool(&message, field, value == "true");
      return;
    case F::CPPTYPE_STRING:
      reflection->SetString(&message, field, value);
      return;
    case F::CPPTYPE_ENUM: {
      const auto* enum_value = field->enum_type()->FindValueByName(value);
      if (enum_value == nullptr) {
        std::string names;
        for (int i = 0; i < field->enum_type()->value_count(); ++i)
          names += (i ? ", " : "") + field->enum_type()->value(i)->name();
        fail(where, fmt::format("expected one of {}", names), value);
      }
      reflection->SetEnum(&message, field, enum_value);
      return;
    }
    case F::CPPTYPE_MESSAGE:
      break;
  }
}

void set_message(pb::Message& target, const std::string& value, const std::string& where) {
  if (target.GetDescriptor()->full_name() == "scsim.Dist" && (value.empty() || value.front() != '{')) {
    const auto number = parse_double(value);
    if (!number) fail(where, "expected a number or a { ... } text-format body", value);
    target.Clear();
    target.GetReflection()->SetDouble(&target, target.GetDescriptor()->FindFieldByName("fixed"), *number);
    return;
  }
  if (value.size() < 2 || value.front() != '{' || value.back() != '}')
    fail(where, "expected a { ... } text-format body", value);

  class Collector : public pb::io::ErrorCollector {
  public:
    void AddError(int, pb::io::ColumnNumber column, const std::string& message) override {
      if (first.empty()) first = fmt::format("column {}: {}", column + 1, message);
    }
    std::string first;
  } collector;
  pb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  std::unique_ptr<pb::Message> parsed(target.New());
  if (!parser.ParseFromString(value.substr(1, value.size() - 2), parsed.get()))
    fail(where, fmt::format("bad text format, {}", collector.first), value);
  target.CopyFrom(*parsed);
}

}  // namespace

std::string apply_override(pb::Message& root, const std::string& assignment) {
  const auto eq = assignment.find('=');
  // The first '=' outside brackets separates path and value.
  std::size_t split = std::string::npos;
  int depth = 0;
  for (std::size_t i = 0; i < assignment.size(); ++i) {
    if (assignment[i] == '[') ++depth;
    if (assignment[i] == ']') --depth;
    if (assignment[i] == '=' && depth == 0) {
      split = i;
      break;
    }
  }
  if (eq == std::string::npos || split == std::string::npos)
    throw std::invalid_argument(fmt::format("{}: expected path=value", assignment));
  const std::string path_text = assignment.substr(0, split);
  const std::string value = assignment.substr(split + 1);

  std::string error;
  const auto path = parse_field_path(path_text, &error);
  if (!path) fail(path_text, error, path_text);

  // Bases are read and `set` entries applied before any override: changing them
  // here would be silently ignored.
  if (root.GetDescriptor()->full_name() == "scsim.Scenario" && (path->front().field == "base" || path->front().field == "set"))
    fail(path->front().field,
         path->front().field == "base" ? "cannot be overridden: bases are read first; write a variant file with base:"
                                       : "cannot be overridden: give each change as its own --set",
         value);

  FieldPath resolved;
  pb::Message* message = &root;
  for (std::size_t i = 0; i < path->size(); ++i) {
    const PathStep& step = (*path)[i];
    const bool last = i + 1 == path->size();
    const auto* descriptor = message->GetDescriptor();
    const auto* field = descriptor->FindFieldByName(step.field);
    const std::string where = to_string(resolved) + (resolved.empty() ? "" : ".") + step.field;
    if (field == nullptr) {
      std::string names;
      for (int f = 0; f < descriptor->field_count(); ++f) names += (f ? ", " : "") + descriptor->field(f)->name();
      fail(where, fmt::format("{} has no field '{}'; fields are: {}", descriptor->name(), step.field, names),
           step.field);
    }
    const auto* reflection = message->GetReflection();
    PathStep out{step.field, -1, {}, {}};
    if (field->is_repeated()) {
      if (!step.has_index()) fail(where, "is a list: select an element with [N] or [name=VALUE]", value);
      if (field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE)
        fail(where, "lists of numbers cannot be overridden element-wise; set the enclosing message with { ... }",
             value);
      int index = step.index;
      if (!step.key_field.empty()) index = find_by_key(*message, field, step, where);
      const int size = reflection->FieldSize(*message, field);
      if (step.append) {
        // [+] adds an element: a variant can add a BOM line or a building to its base.
        if (!last) fail(where, "[+] adds an element: give it whole, as the last step, e.g. bom[+]={product:\"x\"}", value);
        reflection->AddMessage(message, field);
        index = size;
      }
      if (index >= size && !step.append)
        fail(where, fmt::format("index {} is out of range ({} elements)", index, size), value);
      out.index = index;
      resolved.push_back(out);
      message = reflection->MutableRepeatedMessage(message, field, index);
      if (last) set_message(*message, value, to_string(resolved));
      continue;
    }
    if (step.has_index()) fail(where, "is not a list", value);
    resolved.push_back(out);
    if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      message = reflection->MutableMessage(message, field);
      if (last) set_message(*message, value, to_string(resolved));
      continue;
    }
    if (!last) fail(where, "is not a message, so it has no fields", value);
    set_scalar(*message, field, value, to_string(resolved));
  }
  return to_string(resolved);
}

}  // namespace scsim::config
