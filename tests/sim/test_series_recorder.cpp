// SeriesRecorder::add_interval: level x time spread over the weekly bins, clipped to [day 0, horizon).
#include <catch2/catch.hpp>

#include "sim/engine/series_recorder.hpp"
#include "sim/results/results.pb.h"

using scsim::engine::SeriesRecorder;

namespace {
// The weekly values of `metric` as written (WIP and utilization as weekly time averages).
std::vector<double> written(SeriesRecorder& recorder, const std::string& metric) {
  scsim::ReplicationResult result;
  recorder.write(result);
  for (const auto& series : result.series())
    if (series.metric() == metric) return {series.values().begin(), series.values().end()};
  return {};
}
}  // namespace

TEST_CASE("series recorder: an interval spreads over the weeks it covers") {
  for (const double weight : {2.0, 0.5}) {  // the whole-number path (difference array) and the week-by-week one
    SeriesRecorder recorder("fab", 28);
    recorder.add_interval(SeriesRecorder::Slot::kWip, "wip", 3.5, 24.5, weight);
    // Bins: [0,7) 3.5 days, [7,14) and [14,21) whole, [21,28) 3.5 days; weekly averages = days x weight / 7.
    CHECK(written(recorder, "wip") == std::vector<double>{0.5 * weight, weight, weight, 0.5 * weight});
  }
}

// Fuzz finding: a design dated before start_date opens its foundry's gate on a negative day, and the
// capacity-use interval of a lot released then started before day 0. The whole-number path indexed bins by
// negative weeks (undefined behaviour; a length_error in release builds, "vector::_M_fill_insert").
TEST_CASE("series recorder: time before day 0 is outside the run") {
  for (const double weight : {1.0, 0.5}) {
    SeriesRecorder recorder("fab", 28);
    recorder.add_interval(SeriesRecorder::Slot::kUtilization, "utilization", -20, 10, weight);
    recorder.add_interval(SeriesRecorder::Slot::kUtilization, "utilization", -30, -5, weight);  // all before
    CHECK(written(recorder, "utilization") == std::vector<double>{weight, 3.0 / 7.0 * weight, 0, 0});
  }
}

TEST_CASE("series recorder: time after the horizon is outside the run") {
  SeriesRecorder recorder("fab", 14);
  recorder.add_interval(SeriesRecorder::Slot::kWip, "wip", 7, 100, 1);
  CHECK(written(recorder, "wip") == std::vector<double>{0, 1});
}
