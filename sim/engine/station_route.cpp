#include "sim/engine/station_route.hpp"

namespace scsim::engine {

StationRoute::StationRoute(std::vector<StationParams> stations) : stations_(std::move(stations)) {
  int begin = 0;
  for (int k = 0; k < static_cast<int>(stations_.size()); ++k) {
    free_at_.emplace_back(static_cast<std::size_t>(stations_[k].servers), 0.0);
    total_servers_ += stations_[k].servers;
    const bool last = k + 1 == static_cast<int>(stations_.size());
    if (stations_[k].servers > 1 || last) {
      segment_begin_.push_back(begin);
      segment_end_.push_back(k + 1);
      begin = k + 1;
    }
  }
}

}  // namespace scsim::engine
