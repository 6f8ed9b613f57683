// Program orders a site holds, by the day work must start on them so that it
// is ready when the customer needs it (MRP offsetting), in units of the site's
// product. Plain C++. Queries move forward in time (a site's clock), so orders
// whose start day has come are folded into one running total.
#pragma once

#include <algorithm>
#include <iterator>
#include <map>

#include "sim/scenario/scenario.hpp"

namespace scsim::engine {

class OrderBook {
 public:
  OrderBook() = default;
  // A copy starts without the peek cache, whose iterator belongs to the original's map.
  OrderBook(const OrderBook& other)
      : later_(other.later_), due_(other.due_), total_(other.total_), clock_(other.clock_) {}
  OrderBook& operator=(const OrderBook& other) {
    later_ = other.later_;
    due_ = other.due_;
    total_ = other.total_;
    clock_ = other.clock_;
    forget_peek();
    return *this;
  }

  // Adds `units` to start by `start_day`; a negative amount cancels, latest start first, never below `kept`
  // (what is already started or covered). Returns the units actually added (or cancelled, negative).
  double add(double start_day, double units, double kept = 0) {
    if (units >= 0) {
      if (start_day <= clock_) {
        due_ += units;
        forget_peek();
      } else {
        if (touches_peek(start_day)) forget_peek();
        later_[start_day] += units;
      }
      total_ += units;
      return units;
    }
    double cancel = std::min(-units, std::max(0.0, total_ - kept));
    const double cancelled = cancel;
    total_ -= cancel;
    while (cancel > 1e-12 && !later_.empty()) {
      auto last = std::prev(later_.end());
      if (touches_peek(last->first)) forget_peek();
      const double take = std::min(cancel, last->second);
      last->second -= take;
      cancel -= take;
      if (last->second <= 1e-12) later_.erase(last);
    }
    if (cancel != 0) forget_peek();
    due_ -= cancel;
    return -cancelled;
  }
  // Units to start by `day` (cumulative); `day` never goes back.
  double due_by(double day) {
    clock_ = std::max(clock_, day);
    while (!later_.empty() && later_.begin()->first <= clock_) {
      forget_peek();
      due_ += later_.begin()->second;
      later_.erase(later_.begin());
    }
    return due_;
  }
  // Units to start by a later `day`, without moving the clock: due_ plus the start days up to `day`, added in
  // day order. A site that only peeks (an assembler's weekly tick) keeps every order in later_, so the sum
  // from the first order on grew with the run; the prefix summed last time is kept instead and extended, which
  // adds the same numbers in the same order (so the same result to the last bit). It is dropped when an order
  // at or before its end changes, or when `day` goes back.
  double due_by_peek(double day) const {
    if (!peek_valid_ || day < peek_day_) {
      peek_next_ = later_.begin();
      peek_sum_ = due_;
      peek_valid_ = true;
    }
    for (; peek_next_ != later_.end() && peek_next_->first <= day; ++peek_next_) peek_sum_ += peek_next_->second;
    peek_day_ = day;
    return peek_sum_;
  }
  double total() const { return total_; }
  // The first start day still ahead (kNever when none).
  double next_start() const { return later_.empty() ? scenario::kNever : later_.begin()->first; }

 private:
  // True when a change at `start_day` falls in the summed prefix (or at its next entry, which may be erased).
  bool touches_peek(double start_day) const {
    return peek_valid_ && (peek_next_ == later_.end() || start_day <= peek_next_->first);
  }
  void forget_peek() { peek_valid_ = false; }

  std::map<double, double> later_;  // start day -> units, start days after clock_
  double due_ = 0, total_ = 0, clock_ = -scenario::kNever;
  // due_by_peek's summed prefix: due_ plus the entries before peek_next_, the last query's day.
  mutable bool peek_valid_ = false;
  mutable std::map<double, double>::const_iterator peek_next_;
  mutable double peek_sum_ = 0, peek_day_ = 0;
};

}  // namespace scsim::engine
