// A route of FIFO stations, each with `servers` identical parallel servers.
//
// Departures follow from the Kiefer–Wolfowitz (Lindley for one server)
// recursion: a lot's start at a station is max(its arrival, the earliest time a
// server frees), so no start-of-service event is needed. Consecutive
// single-server stations keep lots in order, so a lot crosses all of them in one
// step; a multi-server station can reorder lots, so the route is cut into
// segments after each one and the next segment is entered by an event, in true
// arrival order.
#pragma once

#include <algorithm>
#include <vector>

#include "models/capacity_profile.hpp"
#include "models/distribution.hpp"
#include "models/random_stream.hpp"

namespace scsim::engine {

struct StationParams {
  int servers = 1;                 // >= 1
  models::Dist process_time_days;  // per lot
};

class StationRoute {
 public:
  explicit StationRoute(std::vector<StationParams> stations);

  int segments() const { return static_cast<int>(segment_end_.size()); }
  // Passes a lot entering segment `segment` at `day`; returns when it leaves
  // the segment's last station. Service is work done at the profile's speed.
  // `busy` receives each occupied server interval [start, end).
  template <typename BusyFn>
  double pass(int segment, double day, models::RandomStream& stream, const models::CapacityProfile& profile,
              BusyFn&& busy);

  int total_servers() const { return total_servers_; }

 private:
  std::vector<StationParams> stations_;
  std::vector<std::vector<double>> free_at_;  // per station, per server: when it frees
  std::vector<int> segment_begin_, segment_end_;
  int total_servers_ = 0;
};

template <typename BusyFn>
double StationRoute::pass(int segment, double day, models::RandomStream& stream, const models::CapacityProfile& profile,
                          BusyFn&& busy) {
  double t = day;
  for (int k = segment_begin_[segment]; k < segment_end_[segment]; ++k) {
    auto& servers = free_at_[k];
    // FIFO: the lot takes the server that frees first.
    auto server = std::min_element(servers.begin(), servers.end());
    const double start = std::max(t, *server);
    const double work = models::sample(stations_[k].process_time_days, stream);
    const double finish = profile.empty() ? start + work : profile.finish_time(start, work);
    *server = finish;
    busy(start, finish);
    t = finish;
  }
  return t;
}

}  // namespace scsim::engine
