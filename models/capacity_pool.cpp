#include "models/capacity_pool.hpp"

#include <algorithm>
#include <numeric>

namespace scsim::models {

namespace {

// Splits `capacity` among `wants` in proportion to them, no one above its want.
void proportional(double capacity, const std::vector<double>& wants, std::vector<double>& out,
                  const std::vector<std::size_t>& who) {
  double asked = 0;
  for (std::size_t i : who) asked += wants[i];
  if (asked <= 0 || capacity <= 0) return;
  const double scale = std::min(1.0, capacity / asked);
  for (std::size_t i : who) out[i] += wants[i] * scale;
}

}  // namespace

std::vector<double> allocate(double total, const std::vector<PoolClaim>& claims, PoolRule rule) {
  const std::size_t n = claims.size();
  std::vector<double> out(n, 0.0), wants(n);
  for (std::size_t i = 0; i < n; ++i) wants[i] = std::max(0.0, claims[i].demand);
  total = std::max(0.0, total);
  std::vector<std::size_t> everyone(n);
  std::iota(everyone.begin(), everyone.end(), std::size_t{0});
  switch (rule) {
    case PoolRule::kProportional:
      proportional(total, wants, out, everyone);
      break;
    case PoolRule::kContractedMinimum: {
      std::vector<double> firm(n);
      for (std::size_t i = 0; i < n; ++i) firm[i] = std::min(wants[i], std::max(0.0, claims[i].contracted));
      proportional(total, firm, out, everyone);
      double left = total;
      for (double a : out) left -= a;
      std::vector<double> unserved(n);
      for (std::size_t i = 0; i < n; ++i) unserved[i] = wants[i] - out[i];
      proportional(std::max(0.0, left), unserved, out, everyone);
      break;
    }
    case PoolRule::kPriority: {
      std::vector<int> levels;
      for (const auto& c : claims) levels.push_back(c.priority);
      std::sort(levels.begin(), levels.end());
      levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
      double left = total;
      for (int level : levels) {
        std::vector<std::size_t> who;
        for (std::size_t i = 0; i < n; ++i)
          if (claims[i].priority == level) who.push_back(i);
        std::vector<double> before = out;
        proportional(left, wants, out, who);
        for (std::size_t i : who) left -= out[i] - before[i];
        left = std::max(0.0, left);
      }
      break;
    }
  }
  return out;
}

}  // namespace scsim::models
