// Field paths into a scenario: "sites[2].foundry.d0_per_cm2",
// "sites[name=tsmc_n3].foundry.d0_per_cm2", "lanes[0].transit_days.fixed".
// Used by error messages (where a problem is), the locator (which line) and
// --set overrides (what to change).
#pragma once

#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>

#include <optional>
#include <string>
#include <vector>

namespace scsim::config {

struct PathStep {
  std::string field;
  int index = -1;                  // element of a repeated field, -1 = none
  std::string key_field;           // "name" in [name=x], empty for numeric or no index
  std::string key_value;           // "x" in [name=x]
  bool append = false;             // [+]: a new element at the end (overrides only)
  bool has_index() const { return index >= 0 || !key_field.empty() || append; }
};

using FieldPath = std::vector<PathStep>;

// Parses a path; nullopt with `error` set for malformed text.
std::optional<FieldPath> parse_field_path(const std::string& text, std::string* error);

// The path back as text ("sites[2].foundry").
std::string to_string(const FieldPath& path);

// Where a field path points in the parsed text: the deepest step that the
// parser recorded (a missing field is located at its enclosing message).
// Line and column are 1-based; nullopt when nothing of the path was parsed.
struct SourceLocation {
  int line = 0;
  int column = 0;
  bool exact = false;  // the whole path was found (not just an enclosing message)
};
std::optional<SourceLocation> locate(const google::protobuf::TextFormat::ParseInfoTree& tree,
                                     const google::protobuf::Descriptor& root, const std::string& path);

}  // namespace scsim::config
