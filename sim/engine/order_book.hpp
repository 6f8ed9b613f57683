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
        const auto entry = later_.try_emplace(start_day).first;
        entry->second.units += units;
        changed(entry);
      }
      total_ += units;
      return units;
    }
    double cancel = std::min(-units, std::max(0.0, total_ - kept));
    const double cancelled = cancel;
    total_ -= cancel;
    while (cancel > 1e-12 && !later_.empty()) {
      auto last = std::prev(later_.end());
      const double take = std::min(cancel, last->second.units);
      last->second.units -= take;
      cancel -= take;
      changed(last);
      if (last->second.units <= 1e-12) {
        if (peek_valid_ && peek_next_ == last) peek_next_ = later_.end();  // the last entry: nothing after it
        later_.erase(last);
      }
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
      due_ += later_.begin()->second.units;
      later_.erase(later_.begin());
    }
    return due_;
  }
  // Units to start by a later `day`, without moving the clock: due_ plus the start days up to `day`, added in
  // day order. A site that only peeks (an assembler's weekly tick) keeps every order in later_, so a sum from
  // the first order grew with the run. Each summed entry keeps the running sum through it instead: a peek goes
  // on from the last one, and an order that changes an entry already summed (most orders start within the
  // week) re-sums from that entry only, adding the same numbers in the same order as a sum from scratch (so the
  // same result to the last bit). Everything is re-summed when due_ changes or `day` goes back. (Re-summing
  // from the first order on every such change was a tenth of a TSMC replication's mispredicted branches.)
  double due_by_peek(double day) const {
    if (!peek_valid_ || day < peek_day_) {
      peek_next_ = later_.begin();
      peek_valid_ = true;
    }
    double sum = peek_next_ == later_.begin() ? due_ : std::prev(peek_next_)->second.sum;
    for (; peek_next_ != later_.end() && peek_next_->first <= day; ++peek_next_) {
      sum += peek_next_->second.units;
      peek_next_->second.sum = sum;
    }
    peek_day_ = day;
    return sum;
  }
  double total() const { return total_; }
  // The first start day still ahead (kNever when none).
  double next_start() const { return later_.empty() ? scenario::kNever : later_.begin()->first; }

 private:
  struct Entry {
    double units = 0;
    double sum = 0;  // due_ plus the units of this and every earlier entry, in day order (peek's prefix only)
  };
  using Entries = std::map<double, Entry>;

  // `entry` was added or changed: the next peek sums again from it if it was summed, or if it comes before the
  // next entry the peek would sum.
  void changed(Entries::iterator entry) {
    if (peek_valid_ && (peek_next_ == later_.end() || entry->first < peek_next_->first)) peek_next_ = entry;
  }
  void forget_peek() { peek_valid_ = false; }

  mutable Entries later_;  // start day -> units (and the peek's running sums), start days after clock_
  double due_ = 0, total_ = 0, clock_ = -scenario::kNever;
  // due_by_peek's summed prefix: the entries before peek_next_, summed through the last query's day.
  mutable bool peek_valid_ = false;
  mutable Entries::iterator peek_next_;
  mutable double peek_day_ = 0;
};

}  // namespace scsim::engine
