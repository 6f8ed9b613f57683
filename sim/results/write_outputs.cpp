// Writing a run's output files: summary.json, timeline.csv, resolved.textproto, run_info.json.
#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "sim/config/date.hpp"
#include "sim/config/loader.hpp"
#include "sim/results/results.hpp"

namespace scsim::results {

namespace fs = std::filesystem;

namespace {

// A CSV field, quoted (RFC 4180) only when it has to be.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string errno_reason() {
  return errno != 0 ? std::string(std::strerror(errno)) : std::string("write failed");
}

// One output file on its way: written to `temp`, renamed to `target` at the end.
struct PendingFile {
  fs::path temp;
  fs::path target;
  std::string display;  // "DIR/NAME" for messages
};

void remove_temporaries(const std::vector<PendingFile>& files) {
  std::error_code ignored;
  for (const auto& f : files) fs::remove(f.temp, ignored);
}

// Writes `name` into a temporary next to its final place. The temporary is recorded in `pending` as soon as it
// is created (not before: whatever blocked its creation is not ours to remove), so a later failure removes it.
void write_temporary(const std::string& dir, const std::string& name, std::vector<PendingFile>& pending,
                     const std::function<void(std::ostream&)>& body) {
  PendingFile file;
  file.target = fs::path(dir) / name;
  file.temp = fs::path(dir) / fmt::format(".{}.tmp-{}", name, static_cast<long>(::getpid()));
  file.display = file.target.string();

  errno = 0;
  std::ofstream out(file.temp, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error(fmt::format("cannot write {}: {}", file.display, errno_reason()));
  pending.push_back(file);
  body(out);
  errno = 0;
  out.flush();
  if (!out) throw std::runtime_error(fmt::format("cannot write {}: {}", file.display, errno_reason()));
  out.close();
  if (out.fail()) throw std::runtime_error(fmt::format("cannot write {}: {}", file.display, errno_reason()));
}

}  // namespace

std::string summary_json(const scsim::Summary& summary) {
  namespace pbu = google::protobuf::util;
  pbu::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  const auto status = pbu::MessageToJsonString(summary, &json, options);
  if (!status.ok()) throw std::runtime_error(fmt::format("cannot render the summary as JSON: {}", status.ToString()));
  if (json.empty() || json.back() != '\n') json += '\n';
  return json;
}

void write_timeline_csv(std::ostream& out, const scsim::Scenario& scenario,
                        const std::vector<scsim::ReplicationResult>& replications) {
  out << "scenario,replication,day,date,site,metric,value\n";
  const std::string scenario_name = csv_field(scenario.name());
  const auto start = config::parse_iso_date(scenario.start_date());
  if (!start) throw std::invalid_argument(fmt::format("not a date: '{}'", scenario.start_date()));
  // Week start dates, computed once and shared by every series.
  std::vector<std::string> week_dates;
  auto week_date = [&](std::size_t w) -> const std::string& {
    while (week_dates.size() <= w)
      week_dates.push_back(config::format_iso_date(*start + 7 * static_cast<long>(week_dates.size())));
    return week_dates[w];
  };

  fmt::memory_buffer buffer;
  for (const auto& r : replications) {
    for (const auto& series : r.series()) {
      const std::string site = csv_field(series.site());
      const std::string metric = csv_field(series.metric());
      buffer.clear();
      for (int w = 0; w < series.values_size(); ++w) {
        const auto week = static_cast<std::size_t>(w);
        fmt::format_to(std::back_inserter(buffer), "{},{},{},{},{},{},{}\n", scenario_name, r.replication(), 7 * w,
                       week_date(week), site, metric, series.values(w));
      }
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    }
  }
}

void write_run_outputs(const std::string& dir, const scsim::Scenario& scenario, const scsim::Summary& summary,
                       const std::vector<scsim::ReplicationResult>& replications, const RunInfo& info) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!ec && !fs::is_directory(dir, ec) && !ec) ec = std::make_error_code(std::errc::not_a_directory);
  if (ec) throw std::runtime_error(fmt::format("cannot write {}: {}", dir, ec.message()));

  // Everything that can fail for reasons other than I/O is rendered before any file is opened.
  const std::string json = summary_json(summary);
  const std::string resolved = config::to_text(scenario);
  nlohmann::ordered_json run_info;
  run_info["wall_seconds"] = info.wall_seconds;
  run_info["jobs"] = info.jobs;
  run_info["scsim_version"] = SCSIM_VERSION;
  run_info["command"] = info.command;
  // A command line is not necessarily UTF-8; replace bad bytes rather than fail the run over it.
  const std::string run_info_text = run_info.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";

  std::vector<PendingFile> pending;
  try {
    write_temporary(dir, "summary.json", pending, [&](std::ostream& out) { out << json; });
    write_temporary(dir, "timeline.csv", pending,
                    [&](std::ostream& out) { write_timeline_csv(out, scenario, replications); });
    write_temporary(dir, "resolved.textproto", pending, [&](std::ostream& out) { out << resolved; });
    write_temporary(dir, "run_info.json", pending, [&](std::ostream& out) { out << run_info_text; });
    // A directory in a target's place would make its rename fail after others succeeded: refuse it up front.
    for (const auto& f : pending) {
      if (fs::is_directory(f.target, ec))
        throw std::runtime_error(fmt::format("cannot write {}: {}", f.display, std::strerror(EISDIR)));
    }
  } catch (...) {
    remove_temporaries(pending);
    throw;
  }

  // rename() replaces each target atomically. A failure here (rare once the temporaries are written) can leave
  // the files renamed so far in place; the rest are cleaned up.
  for (std::size_t i = 0; i < pending.size(); ++i) {
    fs::rename(pending[i].temp, pending[i].target, ec);
    if (ec) {
      remove_temporaries(std::vector<PendingFile>(pending.begin() + static_cast<std::ptrdiff_t>(i), pending.end()));
      throw std::runtime_error(fmt::format("cannot write {}: {}", pending[i].display, ec.message()));
    }
  }
}

}  // namespace scsim::results
