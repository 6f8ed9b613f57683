#include "sim/config/loader.hpp"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "sim/config/defaults.hpp"
#include "sim/config/field_path.hpp"
#include "sim/config/overrides.hpp"
#include "sim/config/validate.hpp"
#include "sim/network/supply_network.hpp"

namespace scsim::config {

namespace pb = google::protobuf;

ConfigError::ConfigError(std::vector<std::string> lines)
    : std::runtime_error(lines.empty() ? std::string("invalid scenario") : lines.front()), lines_(std::move(lines)) {}

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// protobuf says 'Message type "scsim.Foundry" has no field named "d0".'; we add
// the closest real field name, since a typo is the usual cause.
std::string with_suggestion(const std::string& message) {
  static const std::regex unknown(R"(Message type \"([\w.]+)\" has no field named \"(\w+)\"\.)");
  std::smatch match;
  if (!std::regex_search(message, match, unknown)) return message;
  const auto* descriptor = pb::DescriptorPool::generated_pool()->FindMessageTypeByName(match[1].str());
  if (descriptor == nullptr) return message;
  const std::string typed = match[2].str();
  std::string best;
  std::size_t best_distance = 4;  // suggest only plausible typos
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const std::size_t d = edit_distance(typed, descriptor->field(i)->name());
    if (d < best_distance) best_distance = d, best = descriptor->field(i)->name();
  }
  std::string out = fmt::format("{} has no field '{}'", descriptor->name(), typed);
  if (!best.empty()) out += fmt::format(" (did you mean '{}'?)", best);
  return out;
}

// protobuf reports an unknown field at the token after its name; point at the name itself.
int column_of_unknown_field(const std::string& text, int line, int column, const std::string& message) {
  static const std::regex unknown(R"(has no field named \"(\w+)\")");
  std::smatch match;
  if (!std::regex_search(message, match, unknown)) return column;
  std::size_t start = 0;
  for (int i = 0; i < line && start != std::string::npos; ++i) {
    start = text.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos) return column;
  const std::string prefix = text.substr(start, static_cast<std::size_t>(column));
  const auto at = prefix.rfind(match[1].str());
  return at == std::string::npos ? column : static_cast<int>(at);
}

class Collector : public pb::io::ErrorCollector {
public:
  Collector(std::string file, const std::string& text) : file_(std::move(file)), text_(text) {}
  void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
    std::string shown = with_suggestion(message);
    // "Expected identifier, got: " with nothing after it means the file ended early.
    if (shown.size() >= 5 && shown.compare(shown.size() - 5, 5, "got: ") == 0) shown += "end of file";
    const int at = column_of_unknown_field(text_, line, column, message);
    lines.push_back(fmt::format("{}:{}:{}: {}", file_, line + 1, at + 1, shown));
  }
  void AddWarning(int line, pb::io::ColumnNumber column, const std::string& message) override {
    AddError(line, column, message);  // unknown-field warnings must not pass silently
  }
  std::vector<std::string> lines;

private:
  std::string file_;
  const std::string& text_;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError({fmt::format("{}: cannot open file", path)});
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

scsim::Scenario load_scenario_text(const std::string& text, const std::string& display_name,
                                   const std::vector<std::string>& overrides) {
  scsim::Scenario scenario;
  pb::TextFormat::ParseInfoTree tree;
  Collector collector(display_name, text);
  pb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(text, &scenario) || !collector.lines.empty()) throw ConfigError(collector.lines);

  std::vector<std::string> lines;
  std::map<std::string, std::string> overridden;  // resolved path -> the --set text
  for (const auto& assignment : overrides) {
    try {
      overridden[apply_override(scenario, assignment)] = assignment;
    } catch (const std::invalid_argument& error) {
      lines.push_back(fmt::format("--set {}: {}", assignment, error.what()));
    }
  }
  if (!lines.empty()) throw ConfigError(lines);

  apply_defaults(scenario);
  Problems problems = validate_fields(scenario);
  if (problems.empty()) problems = network::check_network(scenario);

  for (const auto& problem : problems) {
    // A problem inside an overridden field points at the override, not the file.
    std::string from_override;
    for (const auto& [path, assignment] : overridden)
      if (problem.path == path || problem.path.rfind(path + ".", 0) == 0) from_override = assignment;
    const std::string where = problem.path.empty() ? "" : problem.path + ": ";
    if (!from_override.empty()) {
      lines.push_back(fmt::format("--set {}: {}{}", from_override, where, problem.message));
      continue;
    }
    const auto location = locate(tree, *scsim::Scenario::descriptor(), problem.path);
    if (location)
      lines.push_back(fmt::format("{}:{}:{}: {}{}", display_name, location->line, location->column, where,
                                  problem.message));
    else
      lines.push_back(fmt::format("{}: {}{}", display_name, where, problem.message));
  }
  if (!lines.empty()) throw ConfigError(lines);
  return scenario;
}

scsim::Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  return load_scenario_text(read_file(path), path, overrides);
}

std::string to_text(const scsim::Scenario& scenario) {
  std::string out;
  pb::TextFormat::Printer printer;
  printer.PrintToString(scenario, &out);
  return out;
}

}  // namespace scsim::config
