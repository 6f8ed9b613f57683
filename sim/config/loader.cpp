#include "sim/config/loader.hpp"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>

#include "sim/config/defaults.hpp"
#include "sim/config/field_path.hpp"
#include "sim/config/overrides.hpp"
#include "sim/config/validate.hpp"
#include "sim/network/supply_network.hpp"

namespace scsim::config {

namespace pb = google::protobuf;

namespace {

std::vector<std::string> escaped(std::vector<std::string> lines) {
  for (auto& line : lines) line = escape_text(line);
  return lines;
}

}  // namespace

std::string escape_text(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (byte < 0x20 || byte == 0x7f) out += fmt::format("\\x{:02x}", byte);
    else out += c;
  }
  return out;
}

ConfigError::ConfigError(std::vector<std::string> lines)
    : std::runtime_error(lines.empty() ? std::string("invalid scenario") : escape_text(lines.front())),
      lines_(escaped(std::move(lines))) {}

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

// Reads a whole regular file of at most kMaxFileBytes; on failure, says why in
// `error` ("is a directory", "Permission denied", ...). Devices and FIFOs are
// refused without reading (opened non-blocking, so a FIFO cannot hang us).
std::optional<std::string> read_file(const std::string& path, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  if (S_ISDIR(info.st_mode)) {
    error = "is a directory, not a scenario file";
    return std::nullopt;
  }
  if (!S_ISREG(info.st_mode)) {
    error = "is not a regular file (a device, FIFO or socket); scenarios are read from files";
    return std::nullopt;
  }
  const auto too_big = [&] {
    error = fmt::format("is larger than {} MiB; scenario files are limited to that size", kMaxFileBytes >> 20);
  };
  if (static_cast<std::uintmax_t>(info.st_size) > kMaxFileBytes) {
    too_big();
    return std::nullopt;
  }
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) {
      error = std::strerror(errno);
      return std::nullopt;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > kMaxFileBytes) {  // the file grew while we read it
      too_big();
      return std::nullopt;
    }
  }
  return text;
}

// A UTF-8 byte-order mark (some editors write one) is not part of the text.
std::string without_bom(const std::string& text) {
  return text.rfind("\xEF\xBB\xBF", 0) == 0 ? text.substr(3) : text;
}

// Whether a parse failure means the file is not a scenario at all: binary
// content, or the very first token already wrong. Then its text is not echoed.
bool looks_like_no_scenario(const std::string& text, const std::vector<std::string>& errors, const std::string& file) {
  if (text.find('\0') != std::string::npos) return true;
  // The line of the first token: skip blank lines and # comments.
  int line = 1;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    const std::size_t first = text.find_first_not_of(" \t\r\f\v", at);
    if (first < end && text[first] != '#') break;
    ++line;
    at = end + 1;
  }
  return !errors.empty() && errors.front().rfind(fmt::format("{}:{}:", file, line), 0) == 0;
}

// One parsed file of a scenario: the variant on top, the bases below it.
struct Layer {
  std::string file;
  scsim::Scenario message;
  std::unique_ptr<pb::TextFormat::ParseInfoTree> tree = std::make_unique<pb::TextFormat::ParseInfoTree>();
  std::map<int, int> offset;  // repeated top-level field number -> index of this layer's first element when merged
};

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

// Parses `text` and, recursively, its bases; bottom layer first.
// `named_at` is where a base was named ("variant.textproto:2:1"), for messages about it.
void parse_layers(const std::string& text, const std::string& file, std::vector<Layer>& layers, int depth,
                  const std::string& named_at = {}) {
  Layer layer;
  layer.file = file;
  Collector collector(file, text);
  pb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  parser.WriteLocationsTo(layer.tree.get());
  if (!parser.ParseFromString(text, &layer.message) || !collector.lines.empty()) {
    if (depth > 0 && looks_like_no_scenario(text, collector.lines, file))
      throw ConfigError({fmt::format("{}: base: '{}' is not a scenario file (it does not parse as one)", named_at, file)});
    throw ConfigError(collector.lines);
  }
  if (layer.message.has_base()) {
    const auto at = locate(*layer.tree, *scsim::Scenario::descriptor(), "base");
    const std::string where = at ? fmt::format("{}:{}:{}", file, at->line, at->column) : file;
    if (depth >= 8) throw ConfigError({fmt::format("{}: base: more than 8 levels of bases (a cycle?)", where)});
    const std::string base_path = layer.message.base().rfind('/', 0) == 0 ? layer.message.base()
                                                                           : directory_of(file) + layer.message.base();
    if (layer.message.base().empty()) throw ConfigError({fmt::format("{}: base: is empty; name a scenario file", where)});
    std::string error;
    const auto base_text = read_file(base_path, error);
    if (!base_text) throw ConfigError({fmt::format("{}: base: cannot read '{}': {}", where, base_path, error)});
    parse_layers(without_bom(*base_text), base_path, layers, depth + 1, where);
  }
  layers.push_back(std::move(layer));
}

// Whether `path` lies in a distribution (a Dist field or one of its parts): a
// problem there is caused by an override of any part of it.
bool within_dist(const std::string& path) {
  std::string error;
  const auto steps = parse_field_path(path, &error);
  if (!steps) return false;
  const pb::Descriptor* message = scsim::Scenario::descriptor();
  for (const auto& step : *steps) {
    const auto* field = message == nullptr ? nullptr : message->FindFieldByName(step.field);
    if (field == nullptr) return false;
    message = field->message_type();
    if (message == scsim::Dist::descriptor()) return true;
  }
  return false;
}

// The file position of a problem path in the merged scenario: the layer that
// holds the element (for lists) or that sets the field, topmost first.
std::string position(const std::vector<Layer>& layers, const std::string& path) {
  std::string error;
  const auto steps = parse_field_path(path, &error);
  const auto* root = scsim::Scenario::descriptor();
  const pb::FieldDescriptor* field = steps && !steps->empty() ? root->FindFieldByName(steps->front().field) : nullptr;
  std::optional<SourceLocation> best;
  const Layer* best_layer = &layers.back();
  for (auto layer = layers.rbegin(); layer != layers.rend(); ++layer) {
    std::string local = path;
    if (field != nullptr && field->is_repeated()) {
      const int index = steps->front().index;
      const int first = layer->offset.count(field->number()) ? layer->offset.at(field->number()) : 0;
      const int count = layer->message.GetReflection()->FieldSize(layer->message, field);
      if (index < first || index >= first + count) continue;
      auto translated = *steps;
      translated.front().index = index - first;
      local = to_string(translated);
    }
    const auto at = locate(*layer->tree, *root, local);
    if (at && (at->exact || !best)) {
      best = at;
      best_layer = &*layer;
      if (at->exact) break;
    }
  }
  // Nothing of the path is in any file (a missing top-level field or section):
  // the problem belongs to the whole scenario, shown at the top file's start.
  if (!best) return fmt::format("{}:1:1", layers.back().file);
  return fmt::format("{}:{}:{}", best_layer->file, best->line, best->column);
}

}  // namespace

scsim::Scenario load_scenario_text(const std::string& text, const std::string& display_name,
                                   const std::vector<std::string>& overrides) {
  std::vector<Layer> layers;
  parse_layers(without_bom(text), display_name, layers, 0);

  // Merge bottom-up: singular fields replace, lists append.
  scsim::Scenario scenario;
  const auto* descriptor = scsim::Scenario::descriptor();
  for (auto& layer : layers) {
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const auto* field = descriptor->field(i);
      if (field->is_repeated()) layer.offset[field->number()] = scenario.GetReflection()->FieldSize(scenario, field);
    }
    scenario.MergeFrom(layer.message);
  }
  scenario.clear_base();
  scenario.clear_set();

  // Overrides: each layer's `set` entries (bottom first), then the command line's.
  std::vector<std::string> lines;
  std::map<std::string, std::string> overridden;  // resolved path -> where the override was given
  auto apply = [&](const std::string& assignment, const std::string& where) {
    try {
      overridden[apply_override(scenario, assignment)] = where;
    } catch (const std::invalid_argument& error) {
      lines.push_back(fmt::format("{}: {}", where, error.what()));
    }
  };
  for (const auto& layer : layers)
    for (int i = 0; i < layer.message.set_size(); ++i) {
      // `set: [a, b]` records one location for the whole list.
      auto at = locate(*layer.tree, *descriptor, fmt::format("set[{}]", i));
      if (!at) at = locate(*layer.tree, *descriptor, "set[0]");
      apply(layer.message.set(i),
            at ? fmt::format("{}:{}:{}: set \"{}\"", layer.file, at->line, at->column, layer.message.set(i))
               : layer.file);
    }
  for (const auto& assignment : overrides) apply(assignment, "--set " + assignment);
  if (!lines.empty()) throw ConfigError(lines);

  apply_defaults(scenario);
  Problems problems = validate_fields(scenario);
  if (problems.empty()) problems = network::check_network(scenario);
  if (problems.empty()) problems = check_queues(scenario, network::analyse(scenario));

  for (const auto& problem : problems) {
    // A problem inside an overridden field points at the override, not the file.
    std::string where;
    for (const auto& [path, origin] : overridden)
      if (problem.path == path || problem.path.rfind(path + ".", 0) == 0 ||
          (path.rfind(problem.path + ".", 0) == 0 && within_dist(problem.path)))
        where = origin;
    if (where.empty()) where = position(layers, problem.path);
    lines.push_back(fmt::format("{}: {}{}", where, problem.path.empty() ? "" : problem.path + ": ", problem.message));
  }
  if (!lines.empty()) throw ConfigError(lines);
  return scenario;
}

scsim::Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  std::string error;
  const auto text = read_file(path, error);
  if (!text) throw ConfigError({fmt::format("{}: cannot read: {}", path, error)});
  return load_scenario_text(*text, path, overrides);
}

std::string to_text(const scsim::Scenario& scenario) {
  std::string out;
  pb::TextFormat::Printer printer;
  printer.PrintToString(scenario, &out);
  return out;
}

}  // namespace scsim::config
