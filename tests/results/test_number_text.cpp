// number_text.hpp: the timeline's shortcuts write exactly what fmt's "{:.7g}" and "{}" write, for whole numbers
// on both sides of where the shortcut stops, negative zero, fractions, repeats and values from every scale.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "sim/results/number_text.hpp"

using namespace scsim::results;

namespace {

std::vector<double> awkward_values() {
  std::vector<double> values{0.0,      -0.0,       1.0,        -1.0,      7.0,        9999999.0, -9999999.0,
                             1e7,      -1e7,       10000001.0, 1234567.0, 12345678.0, 0.5,       -0.5,
                             2009.5,   1e-5,       123456.75,  1e15 - 1,  1e15,       1e15 + 2,  1e16,
                             1e300,    -1e300,     4.9e-324,   99999995.0, 9999999.5, 0.1 + 0.2,
                             std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN()};
  std::mt19937_64 random(20261201);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int i = 0; i < 20000; ++i) {
    const double scale = std::pow(10.0, std::floor(unit(random) * 40.0) - 20.0);
    double v = (unit(random) - 0.3) * scale;
    if (i % 3 == 0) v = std::round(v);  // whole numbers of every size
    values.push_back(v);
  }
  for (std::uint64_t b = 0; b < 2000; ++b)  // arbitrary bit patterns, subnormals and NaN payloads among them
    values.push_back(std::bit_cast<double>(random()));
  return values;
}

}  // namespace

TEST_CASE("number_text: General7 writes what fmt's {:.7g} writes, repeats included") {
  General7 general;
  for (const double v : awkward_values()) {
    for (int twice = 0; twice < 2; ++twice) {  // the second time from the remembered text
      fmt::memory_buffer out;
      general.append(out, v);
      INFO("value bits " << std::bit_cast<std::uint64_t>(v));
      CHECK(fmt::to_string(out) == fmt::format("{:.7g}", v));
    }
  }
}

TEST_CASE("number_text: a repeat of 0 after -0 is not taken for the same value") {
  General7 general;
  fmt::memory_buffer out;
  general.append(out, -0.0);
  general.append(out, 0.0);
  general.append(out, 0.0);
  CHECK(fmt::to_string(out) == "-000");
}

TEST_CASE("number_text: append_shortest writes what fmt's {} writes") {
  for (const double v : awkward_values()) {
    fmt::memory_buffer out;
    append_shortest(out, v);
    INFO("value bits " << std::bit_cast<std::uint64_t>(v));
    CHECK(fmt::to_string(out) == fmt::format("{}", v));
  }
}
