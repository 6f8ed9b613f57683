// Numbers of the timeline's rows as text, fast: the same characters as fmt's "{:.7g}" and "{}", taking a
// shortcut for whole numbers and for a value written just before.
//
// Why: a TSMC run's bands are 11,500 rows of four "{:.7g}" numbers each, and fmt's fixed-precision path (a
// big-number algorithm) was a third of the bands' time after the last replication, on the serial path of every
// run. Most of those numbers are whole (units, lots, dollars) and, in the weeks before anything happens, the
// four numbers of a row are the same value.
#pragma once

#include <fmt/compile.h>
#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <cstring>

namespace scsim::results {

// A whole number, not negative zero, of magnitude below `limit` (<= 2^63): it prints as an int64's digits.
inline bool whole_below(double value, double limit) {
  return value == std::trunc(value) && std::fabs(value) < limit && !(value == 0 && std::signbit(value));
}

// Appends `value` as fmt's "{:.7g}" does. A whole number of at most seven digits prints as its digits under
// "%.7g" (its decimal exponent is below the precision, and no fraction digits remain after the trailing zeros
// go); negative zero keeps fmt's "-0".
class General7 {
 public:
  void append(fmt::memory_buffer& out, double value) {
    if (std::memcmp(&value, &last_, sizeof value) == 0 && length_ > 0) {
      out.append(text_, text_ + length_);
      return;
    }
    char* end = nullptr;
    if (whole_below(value, 1e7))
      end = fmt::format_to(text_, FMT_COMPILE("{}"), static_cast<std::int64_t>(value));
    else
      end = fmt::format_to(text_, FMT_COMPILE("{:.7g}"), value);
    last_ = value;
    length_ = static_cast<std::size_t>(end - text_);
    out.append(text_, end);
  }

 private:
  double last_ = 0;
  char text_[32] = {};  // "{:.7g}" of a double is at most 14 characters ("-1.234568e+308")
  std::size_t length_ = 0;
};

// Appends `value` as fmt's "{}" does (the shortest text that reads back the same double). Whole numbers below
// 1e15 print as their digits: fmt switches to an exponent only from 1e16 on.
inline void append_shortest(fmt::memory_buffer& out, double value) {
  char text[32];
  char* end = nullptr;
  if (whole_below(value, 1e15))
    end = fmt::format_to(text, FMT_COMPILE("{}"), static_cast<std::int64_t>(value));
  else
    end = fmt::format_to(text, FMT_COMPILE("{}"), value);
  out.append(text, end);
}

}  // namespace scsim::results
