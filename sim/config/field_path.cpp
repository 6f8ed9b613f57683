#include "sim/config/field_path.hpp"

#include <fmt/format.h>

#include <cctype>

namespace scsim::config {

namespace {

bool is_identifier(const std::string& text) {
  if (text.empty() || std::isdigit(static_cast<unsigned char>(text[0]))) return false;
  for (char c : text)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

}  // namespace

std::optional<FieldPath> parse_field_path(const std::string& text, std::string* error) {
  FieldPath path;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t end = text.find_first_of(".[", pos);
    PathStep step;
    step.field = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (!is_identifier(step.field)) {
      *error = fmt::format("'{}' is not a field name", step.field);
      return std::nullopt;
    }
    pos = end;
    if (pos != std::string::npos && text[pos] == '[') {
      const std::size_t close = text.find(']', pos);
      if (close == std::string::npos) {
        *error = "missing ']'";
        return std::nullopt;
      }
      const std::string inside = text.substr(pos + 1, close - pos - 1);
      if (const auto eq = inside.find('='); eq != std::string::npos) {
        step.key_field = inside.substr(0, eq);
        step.key_value = inside.substr(eq + 1);
        if (!is_identifier(step.key_field) || step.key_value.empty()) {
          *error = fmt::format("'[{}]' is not an index or a [field=value] selector", inside);
          return std::nullopt;
        }
      } else if (inside == "+") {
        step.append = true;
      } else {
        if (inside.empty() || inside.size() > 9 ||
            inside.find_first_not_of("0123456789") != std::string::npos) {
          *error = fmt::format("'[{}]' is not an index or a [field=value] selector", inside);
          return std::nullopt;
        }
        step.index = std::stoi(inside);
      }
      pos = close + 1;
    }
    path.push_back(std::move(step));
    if (pos == std::string::npos || pos == text.size()) break;
    if (text[pos] != '.') {
      *error = fmt::format("unexpected '{}' after '{}'", text[pos], path.back().field);
      return std::nullopt;
    }
    ++pos;
  }
  return path;
}

std::string to_string(const FieldPath& path) {
  std::string out;
  for (const auto& step : path) {
    if (!out.empty()) out += '.';
    out += step.field;
    if (step.index >= 0)
      out += fmt::format("[{}]", step.index);
    else if (!step.key_field.empty())
      out += fmt::format("[{}={}]", step.key_field, step.key_value);
  }
  return out;
}

std::optional<SourceLocation> locate(const google::protobuf::TextFormat::ParseInfoTree& root_tree,
                                     const google::protobuf::Descriptor& root, const std::string& text) {
  std::string error;
  const auto path = parse_field_path(text, &error);
  if (!path) return std::nullopt;
  const google::protobuf::TextFormat::ParseInfoTree* tree = &root_tree;
  const google::protobuf::Descriptor* descriptor = &root;
  std::optional<SourceLocation> found;
  std::size_t matched = 0;
  for (const auto& step : *path) {
    if (tree == nullptr || descriptor == nullptr) break;
    const auto* field = descriptor->FindFieldByName(step.field);
    if (field == nullptr) break;
    const int index = field->is_repeated() ? std::max(step.index, 0) : -1;
    const auto loc = tree->GetLocation(field, index);
    if (loc.line < 0) break;
    found = SourceLocation{loc.line + 1, loc.column + 1, ++matched == path->size()};
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) break;
    tree = tree->GetTreeForNested(field, index);
    descriptor = field->message_type();
  }
  return found;
}

}  // namespace scsim::config
