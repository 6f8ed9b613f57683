// Writing a run's output files: summary.json, replications.csv, metrics.csv, the timeline, resolved.textproto,
// run_info.json.
#include <fmt/compile.h>
#include <fmt/format.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/reflection.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sim/config/date.hpp"
#include "sim/config/loader.hpp"
#include "sim/results/number_text.hpp"
#include "sim/results/results.hpp"
#include "sim/results/series_codec.hpp"
#include "sim/stats/tally.hpp"

namespace scsim::results {

namespace pb = google::protobuf;

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

std::string csv_number(double value) { return std::isnan(value) ? std::string() : fmt::format("{}", value); }

std::optional<TimelineMode> parse_timeline_mode(const std::string& text) {
  if (text == "bands") return TimelineMode::kBands;
  if (text == "full") return TimelineMode::kFull;
  if (text == "none") return TimelineMode::kNone;
  return std::nullopt;
}

bool is_cumulative(const std::string& metric) {
  return metric.size() > 4 && metric.compare(metric.size() - 4, 4, "_cum") == 0;
}

double week_day(bool cumulative, int week, double horizon_days) {
  if (!cumulative) return 7.0 * week;
  return std::min(7.0 * week + 7.0, horizon_days);
}

double series_day(const std::string& metric, int week, double horizon_days) {
  return week_day(is_cumulative(metric), week, horizon_days);
}

namespace {

// ---- JSON from a message by reflection: schema order, unset fields null, int64 as numbers.

nlohmann::ordered_json scalar_json(const pb::Message& m, const pb::FieldDescriptor* f, int index);

nlohmann::ordered_json message_json(const pb::Message& message) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  const pb::Descriptor* d = message.GetDescriptor();
  const pb::Reflection* r = message.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (f->is_repeated()) {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (int k = 0; k < r->FieldSize(message, f); ++k) list.push_back(scalar_json(message, f, k));
      out[f->name()] = std::move(list);
    } else if (!r->HasField(message, f)) {
      out[f->name()] = nullptr;
    } else {
      out[f->name()] = scalar_json(message, f, -1);
    }
  }
  return out;
}

nlohmann::ordered_json finite_or_null(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json scalar_json(const pb::Message& m, const pb::FieldDescriptor* f, int index) {
  const pb::Reflection* r = m.GetReflection();
  const bool rep = index >= 0;
  using T = pb::FieldDescriptor;
  switch (f->cpp_type()) {
    case T::CPPTYPE_INT32: return rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f);
    case T::CPPTYPE_INT64: return rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f);
    case T::CPPTYPE_UINT32: return rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f);
    case T::CPPTYPE_UINT64: return rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f);
    case T::CPPTYPE_DOUBLE: return finite_or_null(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
    case T::CPPTYPE_FLOAT: return finite_or_null(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case T::CPPTYPE_BOOL: return rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f);
    case T::CPPTYPE_STRING: return rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
    case T::CPPTYPE_ENUM: return (rep ? r->GetRepeatedEnum(m, f, index) : r->GetEnum(m, f))->name();
    case T::CPPTYPE_MESSAGE: return message_json(rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f));
  }
  return nullptr;
}

// Week dates, computed once and shared by every series.
class Dates {
 public:
  explicit Dates(const std::string& start_date) {
    const auto start = config::parse_iso_date(start_date);
    if (!start) throw std::invalid_argument(fmt::format("not a date: '{}'", start_date));
    start_ = *start;
  }
  // Whole days (series days are whole).
  const std::string& of(double day) {
    const auto key = static_cast<long>(std::floor(day));
    auto it = cache_.find(key);
    if (it == cache_.end()) it = cache_.emplace(key, config::format_iso_date(start_ + key)).first;
    return it->second;
  }

 private:
  long start_ = 0;
  std::map<long, std::string> cache_;
};

// Series keys (site, metric) in first-seen order across replications.
// Replications of one scenario almost always hold the same series in the same order: a series that is the
// key at its own position is known without building the pair and looking it up (the lookups took ~1.5 ms for
// 200 TSMC replications, before the bands' threads start; ten times that at -r 2,000). `seen` is filled only
// when a replication first differs.
std::vector<std::pair<std::string, std::string>> series_keys(const std::vector<scsim::ReplicationResult>& reps) {
  std::vector<std::pair<std::string, std::string>> keys;
  std::set<std::pair<std::string, std::string>> seen;
  bool seen_filled = false;
  for (const auto& r : reps) {
    std::size_t position = 0;
    for_each_series(r, [&](const SeriesRef& s) {
      const std::size_t at = position++;
      if (at < keys.size() && keys[at].first == s.site && keys[at].second == s.metric) return true;
      if (!seen_filled) {
        seen.insert(keys.begin(), keys.end());
        seen_filled = true;
      }
      std::pair<std::string, std::string> key(s.site, s.metric);
      if (seen.insert(key).second) keys.push_back(std::move(key));
      return true;
    });
  }
  return keys;
}

struct MetricInfo {
  std::string unit, kind, description;
  enum class Factor { kNone, kSiteProduct, kDemand } factor = Factor::kNone;
};

const scsim::Site* find_site(const scsim::Scenario& scenario, const std::string& name) {
  for (const auto& s : scenario.sites())
    if (s.name() == name) return &s;
  return nullptr;
}

const scsim::Product* find_product(const scsim::Scenario& scenario, const std::string& name) {
  for (const auto& p : scenario.products())
    if (p.name() == name) return &p;
  return nullptr;
}

std::string unit_of(const scsim::Scenario& scenario, const std::string& product) {
  const auto* p = find_product(scenario, product);
  if (p == nullptr) return "units";
  return p->unit().empty() ? product : p->unit() + "s";
}

MetricInfo metric_info(const scsim::Scenario& scenario, const std::string& site, const std::string& metric) {
  const auto* s = find_site(scenario, site);
  const std::string product = s != nullptr ? s->product() : std::string();
  const std::string made = product.empty() ? std::string("units") : unit_of(scenario, product);
  const bool datacenter = s != nullptr && s->has_datacenter();
  using F = MetricInfo::Factor;
  if (metric == "wafer_starts") return {"wafers", "flow", "wafers started in the week", F::kNone};
  if (metric == "substrate_starts")
    return {"units", "flow", "substrate panels or units started in the week (before yield)", F::kNone};
  if (metric == "released")
    return {"units", "flow", "units released into the site's route in the week (before yield)", F::kNone};
  if (metric == "good_dies") return {made, "flow", "good dies out of the fab in the week (after yield)", F::kSiteProduct};
  if (metric == "hbm_stacks") return {made, "flow", "good HBM stacks finished in the week", F::kSiteProduct};
  if (metric == "packages") return {made, "flow", "good packages assembled in the week", F::kSiteProduct};
  if (metric == "output") return {made, "flow", "good units the site finished in the week", F::kSiteProduct};
  if (metric == "substrates") return {made, "flow", "good substrates finished in the week", F::kSiteProduct};
  if (metric == "shipped") return {made, "flow", "units sent down the site's outbound lanes in the week", F::kSiteProduct};
  if (metric == "delivered")
    return datacenter ? MetricInfo{made, "flow", "accelerators delivered to the datacenter in the week", F::kSiteProduct}
                      : MetricInfo{"units", "flow", "input units (any product) arriving at the site in the week",
                                   F::kNone};
  if (metric == "installed") return {"accelerators", "flow", "accelerators installed in the week", F::kDemand};
  if (metric == "installed_cum")
    return {"accelerators", "cumulative", "accelerators installed since day 0, all datacenters, at the week's end",
            F::kDemand};
  if (metric == "wip")
    return {"units", "level", "units in process at the site (time average over the week)", F::kNone};
  if (metric == "inventory")
    return {"units", "level",
            "units waiting at the site, any product: inputs waiting for a full kit or a start, output held for the "
            "next shipment (time average over the week)",
            F::kNone};
  if (metric == "utilization")
    return {"fraction", "level", "capacity used / capacity available in the week, [0, 1]", F::kNone};
  if (metric == "stranded_chips")
    return {"accelerators", "level", "accelerators delivered but without a powered slot (time average)", F::kDemand};
  if (metric == "idle_slots")
    return {"slots", "level", "powered accelerator slots without an accelerator (time average)", F::kDemand};
  if (metric == "power_mw") return {"MW", "level", "power drawn by installed accelerators (time average)", F::kNone};
  if (metric == "production_release") return {"events", "flow", "production releases of the design", F::kNone};
  if (metric == "spend_usd_cum")
    return {"USD", "cumulative", "everything spent since day 0, all sites, at the week's end", F::kNone};
  if (metric.rfind("spend_usd_", 0) == 0)
    return {"USD", "flow", "spent in the week on " + metric.substr(10) + " (docs/outputs.md, Money)", F::kNone};
  if (metric == "orders")
    return datacenter ? MetricInfo{made, "flow", "accelerators the program ordered up the lanes in the week (net of "
                                                 "cancellations)", F::kSiteProduct}
                      : MetricInfo{made, "flow", "units of the site's product ordered from it in the week (net of "
                                                 "cancellations)", F::kSiteProduct};
  if (metric == "allocated")
    return {"capacity units/week", "level",
            "capacity this program holds at the site: booked, ramping, or allocated from a shared pool, in the "
            "site's own unit (wafers, DRAM wafers, interposer wafers, substrates) per week (time average)",
            F::kNone};
  return {"", "", "", F::kNone};
}

std::string factor_text(double units_per_accel) {
  return units_per_accel > 0 ? fmt::format("{}", 1.0 / units_per_accel) : std::string();
}

// The replication's value or NaN.
double milestone_day(const scsim::ReplicationResult& r, std::size_t i) {
  const int k = static_cast<int>(i);
  return k < r.milestone_days_size() && r.milestone_days(k) >= 0 ? r.milestone_days(k) : std::nan("");
}

}  // namespace

std::string summary_json(const scsim::Summary& summary) {
  return message_json(summary).dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

double units_per_accelerator(const scsim::Scenario& scenario, const std::string& product) {
  // Units of each product per demand unit, down the BOM tree (depth-limited against cycles).
  std::function<double(const std::string&, int)> walk = [&](const std::string& p, int depth) -> double {
    if (p == product) return 1.0;
    if (depth > 32) return 0.0;
    const auto* node = find_product(scenario, p);
    if (node == nullptr) return 0.0;
    double total = 0;
    for (const auto& line : node->bom()) total += line.quantity() * walk(line.product(), depth + 1);
    return total;
  };
  return walk(scenario.demand().product(), 0);
}

void write_timeline_csv(std::ostream& out, const scsim::Scenario& scenario,
                        const std::vector<scsim::ReplicationResult>& replications) {
  out << "scenario,replication,day,date,site,metric,value\n";
  const std::string scenario_name = csv_field(scenario.name());
  Dates dates(scenario.start_date());
  fmt::memory_buffer buffer;
  for (const auto& r : replications) {
    bool stop = false;
    for_each_series(r, [&](const SeriesRef& series) {
      const std::string site = csv_field(std::string(series.site));
      const std::string metric = csv_field(std::string(series.metric));
      const std::string metric_name(series.metric);
      buffer.clear();
      const auto values = series.values();
      // A compiled format: this loop formats every replication's every week (150 MB for TSMC -r 200).
      const bool cumulative = is_cumulative(metric_name);
      for (std::size_t w = 0; w < values.size(); ++w) {
        const double day = week_day(cumulative, static_cast<int>(w), scenario.horizon_days());
        fmt::format_to(std::back_inserter(buffer), FMT_COMPILE("{},{},{},{},{},{},{}\n"), scenario_name,
                       r.replication(), day, dates.of(day), site, metric, values[w]);
      }
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      stop = interrupt_signal() != 0;  // the caller's OutputSet reports it
      return !stop;
    });
    if (stop) return;
  }
}

void write_timeline_gzip(const std::string& path, const scsim::Scenario& scenario,
                         const std::vector<scsim::ReplicationResult>& replications) {
  // Level 3: measured on a 158 MB timeline (TSMC, 200 replications), 18.2 MB in 1.15 s against level 6's
  // 16.4 MB in 2.1 s, most of the run's time after the simulation.
  gzFile file = gzopen(path.c_str(), "wb3");
  if (file == nullptr) throw std::runtime_error(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  // A streambuf that compresses what it is given; failures are remembered and reported at the end.
  struct GzBuf : std::streambuf {
    gzFile f;
    bool failed = false;
    explicit GzBuf(gzFile file_) : f(file_) {}
    std::streamsize xsputn(const char* s, std::streamsize n) override {
      if (failed || n <= 0) return failed ? 0 : n;
      if (gzwrite(f, s, static_cast<unsigned>(n)) != static_cast<int>(n)) failed = true;
      return failed ? 0 : n;
    }
    int_type overflow(int_type c) override {
      if (c == traits_type::eof()) return traits_type::not_eof(c);
      const char ch = traits_type::to_char_type(c);
      return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
    }
  } buf(file);
  std::ostream out(&buf);
  write_timeline_csv(out, scenario, replications);
  int error = 0;
  const char* message = buf.failed ? gzerror(file, &error) : nullptr;
  const std::string why = message != nullptr ? std::string(message) : std::string();
  const int closed = gzclose(file);
  if (buf.failed || closed != Z_OK)
    throw std::runtime_error(
        fmt::format("cannot write {}: {}", path, !why.empty() ? why : std::string(std::strerror(errno))));
}

namespace {

// Finds a replication's series for keys asked in about the order the replication holds them (series_keys): the
// series after the last one found is tried first, and only a miss scans from the start. A pass over every key
// then reads each replication's series once, instead of once per key (quadratic in the sites: a 1,000-site
// network has ~5,000 series). A replication holds each (site, metric) once, so it answers what
// find_series_values answers.
class SeriesCursor {
 public:
  explicit SeriesCursor(const scsim::ReplicationResult& result) : result_(&result) {}

  std::optional<SeriesRef> find(std::string_view site, std::string_view metric) {
    // From the series after the last one found to the end, then from the start: a thread asks for keys in
    // increasing order, skipping the few other threads took.
    SeriesRef ref;
    std::size_t after = 0;
    for (std::size_t at = next_; read(at, ref, after); at = after)
      if (ref.site == site && ref.metric == metric) {
        next_ = after;
        return ref;
      }
    for (std::size_t at = 0; at < next_ && read(at, ref, after); at = after)
      if (ref.site == site && ref.metric == metric) {
        next_ = after;
        return ref;
      }
    return std::nullopt;
  }

 private:
  // The series at position `at` (an index, or an offset in the packed blob) and the position after it.
  bool read(std::size_t at, SeriesRef& ref, std::size_t& after) const {
    if (!result_->has_packed_series()) {
      if (at >= static_cast<std::size_t>(result_->series_size())) return false;
      const auto& series = result_->series(static_cast<int>(at));
      ref = SeriesRef{series.site(), series.metric(), &series, {}};
      after = at + 1;
      return true;
    }
    const std::string_view blob = result_->packed_series();
    if (at >= blob.size()) return false;
    after = at;
    ref = SeriesRef{};
    ref.site = codec_detail::get_bytes(blob, after);
    ref.metric = codec_detail::get_bytes(blob, after);
    ref.encoded = codec_detail::get_bytes(blob, after);
    return true;
  }
  const scsim::ReplicationResult* result_;
  std::size_t next_ = 0;
};

// Week w of every replication that has it (lengths[r] > w), from `week` down a column of rows `row` apart, into
// `out` (n of them); returns their sum, in replication order. A function of its own so that the sum stays in a
// register: inlined into render_band, GCC kept it on the stack across the loop (it is live across the call
// that selects the quantiles), a store and a load per value that were most of the bands' time.
[[gnu::noinline]] double gather_week(const double* week, std::size_t row, const std::vector<std::size_t>& lengths,
                                     std::size_t w, double* out, std::size_t& n) {
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t r = 0; r < lengths.size(); ++r)
    if (w < lengths[r]) {
      const double v = week[r * row];
      out[count++] = v;
      sum += v;
    }
  n = count;
  return sum;
}

// A replication's series: packed (a reader) or plain (the message's values, from `position`).
struct BandSource {
  ValueReader reader;
  const scsim::Series* plain = nullptr;
  std::size_t position = 0;
  std::size_t read(double* out, std::size_t n) {
    if (!plain) return reader.read(out, n);
    const std::size_t take = std::min(n, static_cast<std::size_t>(plain->values_size()) - position);
    std::copy_n(plain->values().begin() + static_cast<int>(position), take, out);
    position += take;
    return take;
  }
};

// What a thread of write_timeline_bands_csv reuses from one series to the next: its readers of the replications
// (cursors), the week dates, and the decoding buffers (up to ~4 MB, kept rather than allocated for every series).
struct BandWorker {
  std::vector<SeriesCursor> cursors;
  Dates dates;
  std::vector<BandSource> sources;
  std::vector<double> values, matrix;
  std::vector<std::size_t> lengths;
};

// The band rows of the series `key` into `buffer`, appended. The series of every replication is read side by
// side, a block of weeks at a time (each replication's reader goes on where it stopped), into one matrix of at
// most ~4 MB: decoded whole, 10,000 replications' series took 23 MB, or 46 MB in vectors grown by decoding, a
// tenth of the run's peak memory.
void render_band(const scsim::Scenario& scenario, const std::pair<std::string, std::string>& key, BandWorker& worker,
                 fmt::memory_buffer& buffer) {
  const std::string scenario_name = csv_field(scenario.name());
  // Weeks read at a time: ~4 MB of values, but no more than the horizon's weeks (a longer series takes more
  // blocks), so that a week's values across the replications sit close together: a TSMC run's blocks were nine
  // times the series, and the scattered reads took a sixth of the bands' time.
  const auto horizon_weeks = static_cast<std::size_t>(std::ceil(scenario.horizon_days() / 7.0)) + 1;
  const std::size_t block = std::clamp<std::size_t>(
      (4u << 20) / (std::max<std::size_t>(1, worker.cursors.size()) * 8), 1, horizon_weeks);
  General7 general;
  // `text` and a comma.
  const auto append_text = [](fmt::memory_buffer& out, const std::string& text) {
    out.append(text.data(), text.data() + text.size());
    out.push_back(',');
  };
  auto& sources = worker.sources;
  auto& values = worker.values;
  auto& matrix = worker.matrix;
  auto& lengths = worker.lengths;
  const auto& [site_name, metric_name] = key;
  const std::string site = csv_field(site_name), metric = csv_field(metric_name);
  const bool cumulative = is_cumulative(metric_name);
  sources.clear();
  for (auto& cursor : worker.cursors)
    if (const auto ref = cursor.find(site_name, metric_name))
      sources.push_back(ref->plain ? BandSource{{}, ref->plain, 0} : BandSource{ValueReader(ref->encoded), nullptr, 0});
  matrix.resize(sources.size() * block);
  lengths.resize(sources.size());
  for (std::size_t from = 0;; from += block) {
    // Weeks [from, from + block) of every replication that has the series; `lengths` how many it has there.
    std::size_t weeks = 0;
    for (std::size_t r = 0; r < sources.size(); ++r) {
      lengths[r] = sources[r].read(matrix.data() + r * block, block);
      weeks = std::max(weeks, lengths[r]);
    }
    values.resize(sources.size());
    for (std::size_t w = 0; w < weeks; ++w) {
      std::size_t n = 0;
      const double sum = gather_week(matrix.data() + w, block, lengths, w, values.data(), n);
      static constexpr double kBands[] = {0.1, 0.5, 0.9};
      double band[3];
      stats::quantiles_selected(std::span<double>(values.data(), n), kBands, band);
      const double p10 = band[0], p50 = band[1], p90 = band[2];
      const double day = week_day(cumulative, static_cast<int>(from + w), scenario.horizon_days());
      // Formatted in place (a string per number was most of the parent's time for a big network), as
      // "{},{},{},{},{},{:.7g},{:.7g},{:.7g},{:.7g},{}\n" would, with number_text.hpp's shortcuts.
      append_text(buffer, scenario_name);
      append_shortest(buffer, day);
      buffer.push_back(',');
      append_text(buffer, worker.dates.of(day));
      append_text(buffer, site);
      append_text(buffer, metric);
      for (const double v : {sum / static_cast<double>(n), p10, p50, p90}) {
        general.append(buffer, v);
        buffer.push_back(',');
      }
      fmt::format_to(std::back_inserter(buffer), FMT_COMPILE("{}\n"), n);
    }
    if (weeks < block) break;
  }
}

}  // namespace

void write_timeline_bands_csv(std::ostream& out, const scsim::Scenario& scenario,
                              const std::vector<scsim::ReplicationResult>& replications) {
  out << "scenario,day,date,site,metric,mean,p10,p50,p90,n\n";
  const auto keys = series_keys(replications);
  // The bands are written when every replication is done, so the cores the workers used are free: threads render
  // rounds of series (each series into a buffer of its own, written in order, so the file is the same for any
  // number of threads; a round at a time, so that a 1,000-site network's rows are never all in memory). Measured
  // with two threads: the time compare TSMC vs Samsung -r 1000 -j 2 takes after its last replication went from
  // 0.72 s to 0.55 s. A thread takes the round's next series when it is done with one: split into equal blocks,
  // series of very different costs (a quiet series is cheap, a busy one's weeks all need selecting) left one
  // thread waiting for the other, and a TSMC run's 47 series took two rounds. Each thread holds at most ~4 MB of
  // decoded values (render_band).
  const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
  constexpr std::size_t kSeriesEach = 32;  // series per thread and round
  std::vector<BandWorker> workers;
  for (std::size_t t = 0; t < threads; ++t)
    workers.push_back({std::vector<SeriesCursor>(replications.begin(), replications.end()),
                       Dates(scenario.start_date()), {}, {}, {}, {}});
  std::vector<fmt::memory_buffer> rows(std::min(keys.size(), threads * kSeriesEach));
  for (std::size_t round = 0; round < keys.size(); round += threads * kSeriesEach) {
    const std::size_t count = std::min(keys.size() - round, threads * kSeriesEach);
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> errors(threads);
    auto render = [&](std::size_t t) {
      try {
        for (std::size_t i; (i = next.fetch_add(1)) < count;) {
          rows[i].clear();
          render_band(scenario, keys[round + i], workers[t], rows[i]);
        }
      } catch (...) {
        errors[t] = std::current_exception();
        next = count;  // the others stop too
      }
    };
    std::vector<std::thread> running;
    for (std::size_t t = 1; t < std::min(threads, count); ++t) running.emplace_back(render, t);
    render(0);
    for (auto& thread : running) thread.join();
    for (const auto& error : errors)
      if (error) std::rethrow_exception(error);
    for (std::size_t i = 0; i < count; ++i) out.write(rows[i].data(), static_cast<std::streamsize>(rows[i].size()));
    if (interrupt_signal() != 0) return;
  }
}

void write_replications_csv(std::ostream& out, const scsim::Scenario& scenario,
                            const std::vector<scsim::ReplicationResult>& replications) {
  out << "scenario,replication,installed_units,first_install_day,first_install_date";
  for (double f : kMilestoneFractions) out << fmt::format(",milestone_{0:g}_day,milestone_{0:g}_date", f * 100);
  out << ",stranded_chip_days,stranded_capacity_days,installed_cost_usd,cost_per_accelerator_usd,events,take_or_pay_usd\n";
  const std::string name = csv_field(scenario.name());
  auto day_and_date = [&](double day) {
    return std::isnan(day) ? std::string(",")
                           : fmt::format("{},{}", day, config::date_after(scenario.start_date(), day));
  };
  for (const auto& r : replications) {
    const double first = r.has_first_install_day() && r.first_install_day() >= 0 ? r.first_install_day() : std::nan("");
    std::string row = fmt::format("{},{},{},{}", name, r.replication(), r.installed_units(), day_and_date(first));
    for (std::size_t i = 0; i < kMilestoneFractions.size(); ++i) {
      row += ',';  // appended apart: "," + string trips a false GCC 12 -Wrestrict warning
      row += day_and_date(milestone_day(r, i));
    }
    const double cost = r.has_installed_cost_usd() ? r.installed_cost_usd() : std::nan("");
    const double unit_cost = r.installed_units() > 0 && cost > 0 ? cost / r.installed_units() : std::nan("");
    row += fmt::format(",{},{},{},{},{},{}\n",
                       csv_number(r.has_stranded_chip_days() ? r.stranded_chip_days() : std::nan("")),
                       csv_number(r.has_stranded_capacity_days() ? r.stranded_capacity_days() : std::nan("")),
                       csv_number(cost), csv_number(unit_cost), r.events(),
                       csv_number(r.has_take_or_pay_usd() ? r.take_or_pay_usd() : std::nan("")));
    out << row;
  }
}

void write_metrics_csv(std::ostream& out, const scsim::Scenario& scenario,
                       const std::vector<scsim::ReplicationResult>& replications) {
  out << "site,metric,unit,kind,description,product,accelerator_equivalent\n";
  const std::string demand = scenario.demand().product();
  for (const auto& [site, metric] : series_keys(replications)) {
    const MetricInfo info = metric_info(scenario, site, metric);
    const auto* s = find_site(scenario, site);
    std::string product, factor;
    if (info.factor == MetricInfo::Factor::kDemand) {
      product = demand;
      factor = '1';  // a char: assigning "1" trips a false GCC 12 -Wrestrict warning
    } else if (info.factor == MetricInfo::Factor::kSiteProduct && s != nullptr) {
      product = s->product();
      factor = factor_text(units_per_accelerator(scenario, product));
    }
    out << fmt::format("{},{},{},{},{},{},{}\n", csv_field(site), csv_field(metric), csv_field(info.unit), info.kind,
                       csv_field(info.description.empty() ? std::string("(not documented)") : info.description),
                       csv_field(product), factor);
  }
  struct Scalar {
    const char* metric;
    const char* unit;
    const char* description;
  };
  static const Scalar scalars[] = {
      {"installed_units", "accelerators", "accelerators installed by the horizon"},
      {"installed_by", "accelerators", "accelerators installed by the date in compare.csv's date column"},
      {"installed_at_horizon", "accelerators", "accelerators installed by the horizon (compare.csv)"},
      {"first_install_day", "day", "day of the first installed accelerator (empty: none)"},
      {"milestone_25_day", "day", "day cumulative installs reached 25% of the target (empty: not reached)"},
      {"milestone_50_day", "day", "day cumulative installs reached 50% of the target (empty: not reached)"},
      {"milestone_90_day", "day", "day cumulative installs reached 90% of the target (empty: not reached)"},
      {"milestone_100_day", "day", "day cumulative installs reached the target (empty: not reached)"},
      {"stranded_chip_days", "chip-days", "accelerator-days spent delivered without a powered slot"},
      {"stranded_capacity_days", "slot-days", "slot-days of powered capacity without an accelerator"},
      {"installed_cost_usd", "USD", "material cost embodied in the installed accelerators"},
      {"cost_per_accelerator_usd", "USD", "installed_cost_usd / installed_units (empty: none installed)"},
      {"events", "events", "discrete events the engine processed"},
      {"spend_usd", "USD", "everything spent within the horizon (docs/outputs.md, Money)"},
      {"spend_usd_in_year", "USD", "spent within the calendar year ending on compare.csv's date"},
      {"usd_per_accelerator_day", "USD", "spend_usd / accelerator_days"},
      {"usd_per_installed_accelerator", "USD", "spend_usd / installed_units"},
      {"accelerator_days", "accelerator-days", "accelerators in service, integrated over the days to the horizon"},
      {"take_or_pay_usd", "USD",
       "program: booked capacity not used, billed under take-or-pay (fraction x unit price), all sites"},
      {"capacity_bound_per_week", "accelerators/week", "the chain's steady-state capacity (max-flow; empty: unlimited)"},
      {"bottleneck", "site", "the site on the minimum cut that limits the capacity bound"},
  };
  for (const auto& s : scalars)
    out << fmt::format(",{},{},scalar,{},{},{}\n", s.metric, s.unit, csv_field(s.description),
                       std::string(s.unit) == "accelerators" ? demand : "",
                       std::string(s.unit) == "accelerators" ? "1" : "");
}

void write_run_files(OutputSet& set, const std::string& prefix, const scsim::Scenario& scenario,
                     const scsim::Summary& summary, const std::vector<scsim::ReplicationResult>& replications,
                     const RunInfo& info, TimelineMode timeline) {
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

  set.write(prefix + "summary.json", [&](std::ostream& out) { out << json; });
  set.write(prefix + "replications.csv",
            [&](std::ostream& out) { write_replications_csv(out, scenario, replications); });
  set.write(prefix + "metrics.csv", [&](std::ostream& out) { write_metrics_csv(out, scenario, replications); });
  if (timeline == TimelineMode::kBands)
    set.write(prefix + "timeline.csv",
              [&](std::ostream& out) { write_timeline_bands_csv(out, scenario, replications); });
  if (timeline == TimelineMode::kFull)
    set.write_with(prefix + "timeline.csv.gz",
                   [&](const std::string& path) { write_timeline_gzip(path, scenario, replications); });
  set.write(prefix + "resolved.textproto", [&](std::ostream& out) { out << resolved; });
  set.write(prefix + "run_info.json", [&](std::ostream& out) { out << run_info_text; });
}

void write_run_outputs(const std::string& dir, const scsim::Scenario& scenario, const scsim::Summary& summary,
                       const std::vector<scsim::ReplicationResult>& replications, const RunInfo& info,
                       TimelineMode timeline) {
  OutputSet set(dir);
  write_run_files(set, "", scenario, summary, replications, info, timeline);
  set.commit();
}

}  // namespace scsim::results
