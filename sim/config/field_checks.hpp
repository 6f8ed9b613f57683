// The vocabulary of field checks: what a kind module uses to check its own
// schema message (sim/kinds/*.cpp: check), with every problem located by its
// field path. Implemented by the validator (validate.cpp).
#pragma once

#include <set>
#include <string>

#include "sim/config/scenario.pb.h"

namespace scsim::config {

// What a distribution's values must satisfy, by the meaning of its field.
enum class Range {
  kDuration,     // >= 0 (days)
  kPositive,     // > 0 everywhere
  kProbability,  // in [0, 1]
  kYield,        // in (0, 1]: a fraction that passes
};

// Upper bounds. Every number a run uses is finite and bounded, so that what
// validates can be simulated in bounded time and memory (README, Guarantees).
// Longer than 2,700 years: no supply-chain horizon or duration is longer, and
// queueing validations of a few hundred thousand days still fit.
inline constexpr double kMaxDays = 1e6;
// Counts, rates and money: far beyond any real value, small enough that sums
// and products of them stay finite and exact enough.
inline constexpr double kMaxRatePerWeek = 1e9;
inline constexpr double kMaxUsd = 1e9;

class FieldChecks {
 public:
  virtual ~FieldChecks() = default;

  // A problem at `path` (the message as it is, no formatting).
  virtual void problem(const std::string& path, const std::string& message) = 0;
  // The bound checks take the upper limit and why it is there; NaN fails every check. True when fine.
  virtual bool positive(const std::string& path, double value, double max, const char* why) = 0;
  virtual bool non_negative(const std::string& path, double value, double max, const char* why) = 0;
  virtual bool at_least_one(const std::string& path, long long value, long long max, const char* why) = 0;
  // A number of days: > 0 (strictly) or >= 0, at most kMaxDays.
  virtual void days(const std::string& path, double value, bool strictly_positive) = 0;
  virtual void probability(const std::string& path, double value) = 0;
  virtual void date(const std::string& path, const std::string& value) = 0;
  virtual void name(const std::string& path, bool has, const std::string& value, const char* what,
                    std::set<std::string>& seen) = 0;
  // The site named `value`, or nullptr after reporting why not.
  virtual const scsim::Site* site_ref(const std::string& path, const std::string& value) = 0;
  // A Dist's own consistency, then that its values fit `range`. True when present and fine (or absent and
  // optional).
  virtual bool dist(const std::string& path, bool has, const scsim::Dist& value, Range range, bool required) = 0;
  virtual void schedule(const std::string& path, bool has, const scsim::Schedule& value) = 0;
  virtual void stations(const std::string& path,
                        const google::protobuf::RepeatedPtrField<scsim::Station>& stations) = 0;
  virtual bool product_has_bom(const std::string& product) const = 0;
  virtual bool has_product(const std::string& product) const = 0;
  // Whether the scenario has a `program` (fields that only a program reads are refused without one).
  virtual bool has_program() const = 0;

  // Work estimates (asked only of a scenario whose fields are all fine).
  virtual double horizon_days() const = 0;
  // Lots a schedule of starts per week releases over the horizon in lots of `lot_size`, refused above the
  // limit a replication can simulate.
  virtual double schedule_lots(const std::string& path, const scsim::Schedule& schedule, int lot_size,
                               const char* unit) = 0;
  // Refuses `lots` over the horizon above what a replication can simulate; `fix` says what to change.
  virtual void check_lots(const std::string& path, double lots, const char* fix) = 0;
  // A station route's busy time for about `lots` lots, refused above what can be simulated.
  virtual void station_work(const std::string& path, const google::protobuf::RepeatedPtrField<scsim::Station>& stations,
                            double lots) = 0;
};

}  // namespace scsim::config
