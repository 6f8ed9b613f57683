#include "sim/config/to_params.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "sim/config/date.hpp"

namespace scsim::config {

models::Dist to_dist(const scsim::Dist& dist, double fallback) {
  switch (dist.kind_case()) {
    case scsim::Dist::kFixed:
      return models::Fixed{dist.fixed()};
    case scsim::Dist::kUniform:
      return models::Uniform{dist.uniform().min(), dist.uniform().max()};
    case scsim::Dist::kTriangular:
      return models::Triangular{dist.triangular().min(), dist.triangular().mode(), dist.triangular().max()};
    case scsim::Dist::kPert:
      return models::Pert{dist.pert().min(), dist.pert().mode(), dist.pert().max(), dist.pert().lambda()};
    case scsim::Dist::kNormal:
      return models::NormalTruncated{dist.normal().mean(), dist.normal().sd(), dist.normal().min(), dist.normal().max()};
    case scsim::Dist::kLognormal:
      return models::LogNormal{dist.lognormal().mean(), dist.lognormal().sd()};
    case scsim::Dist::kExponential:
      return models::Exponential{dist.exponential().mean()};
    case scsim::Dist::kEmpirical:
      return models::Empirical{{dist.empirical().values().begin(), dist.empirical().values().end()},
                               {dist.empirical().weights().begin(), dist.empirical().weights().end()}};
    case scsim::Dist::KIND_NOT_SET:
      break;
  }
  return models::Fixed{fallback};
}

double expected(const scsim::Dist& dist, double fallback) { return models::mean(to_dist(dist, fallback)); }

double day_of(const std::string& date, const std::string& start_date) {
  const auto day = parse_iso_date(date);
  const auto start = parse_iso_date(start_date);
  if (!day) throw std::invalid_argument(fmt::format("not a date: '{}'", date));
  if (!start) throw std::invalid_argument(fmt::format("not a date: '{}'", start_date));
  return static_cast<double>(*day - *start);
}

}  // namespace scsim::config
