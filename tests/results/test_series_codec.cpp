// series_codec.hpp: the packed form the parent keeps series in gives back every name and value bit for bit,
// is much smaller on series like the engine's, and the readers see packed and plain series alike.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/results/series_codec.hpp"

using namespace scsim::results;

namespace {

std::vector<std::uint64_t> bits(const std::vector<double>& values) {
  std::vector<std::uint64_t> out;
  for (double v : values) out.push_back(std::bit_cast<std::uint64_t>(v));
  return out;
}

void add(scsim::ReplicationResult& r, const std::string& site, const std::string& metric,
         const std::vector<double>& values) {
  auto* s = r.add_series();
  s->set_site(site);
  s->set_metric(metric);
  for (double v : values) s->add_values(v);
}

const double kNanPayload = std::bit_cast<double>(0x7ff8000000000123ull);
const std::vector<double> kOdd{0.0, 0.0, 0.0, -0.0, 1.0, 1.0, 1.0, -7.0, 0.5, 0.5, 4503599627370495.0,
                               4503599627370496.0, -4503599627370497.0, 1e300, std::numeric_limits<double>::infinity(),
                               -std::numeric_limits<double>::infinity(), kNanPayload, kNanPayload, 3.0, 0.0,
                               std::numeric_limits<double>::denorm_min(), 123456789.0, 123456789.0, 0.1};

}  // namespace

TEST_CASE("values decode to the exact bit patterns", "[codec]") {
  CHECK(bits(decode_values(encode_values(kOdd.data(), kOdd.size()))) == bits(kOdd));
  CHECK(decode_values(encode_values(nullptr, 0)).empty());
}

TEST_CASE("fractional values are coded against the previous one, and the raw-only form still decodes", "[codec]") {
  // A drifting fractional level: after the first value each differs from the last in its low bytes only.
  std::vector<double> level;
  for (int w = 0; w < 200; ++w) level.push_back(1000.0 + 0.37 * w + 1e-9 * w * w);
  level.push_back(-2.5);   // sign and exponent change: no zero byte at the top
  level.push_back(0.75);   // low bytes of the XOR are zero
  level.push_back(kNanPayload);
  level.push_back(0.1);
  const std::string packed = encode_values(level.data(), level.size());
  CHECK(bits(decode_values(packed)) == bits(level));
  CHECK(packed.size() < 9 * level.size() * 8 / 10);  // a fifth smaller than raw doubles, at least
  // Blobs written before the XOR form (header 2, 8 raw bytes, for every fractional value) read the same.
  std::string raw_only;
  for (double v : {0.1, 0.2, 0.2}) {
    raw_only.push_back(2);
    raw_only.append(reinterpret_cast<const char*>(&v), 8);
  }
  CHECK(decode_values(raw_only) == std::vector<double>{0.1, 0.2, 0.2});
}

TEST_CASE("packed series read back like plain ones, names and order included", "[codec]") {
  scsim::ReplicationResult r;
  add(r, "ALL", "installed_cum", {0, 0, 5, 5, 12});
  add(r, "tsmc_n3", "wip", kOdd);
  add(r, "empty site", "nothing", {});
  const scsim::ReplicationResult plain = r;
  pack_series(r);
  REQUIRE(r.series_size() == 0);
  REQUIRE(r.has_packed_series());
  std::vector<std::string> a, b;
  std::vector<std::vector<std::uint64_t>> va, vb;
  for_each_series(plain, [&](const SeriesRef& s) {
    a.push_back(std::string(s.site) + "/" + std::string(s.metric));
    va.push_back(bits(s.values()));
    return true;
  });
  for_each_series(r, [&](const SeriesRef& s) {
    b.push_back(std::string(s.site) + "/" + std::string(s.metric));
    vb.push_back(bits(s.values()));
    return true;
  });
  CHECK(a == std::vector<std::string>{"ALL/installed_cum", "tsmc_n3/wip", "empty site/nothing"});
  CHECK(a == b);
  CHECK(va == vb);
  CHECK(find_series_values(r, "ALL", "installed_cum") == std::vector<double>{0, 0, 5, 5, 12});
  CHECK_FALSE(find_series_values(r, "ALL", "wip").has_value());
  const std::string once = r.packed_series();
  pack_series(r);  // already packed: unchanged
  CHECK(r.packed_series() == once);
}

TEST_CASE("a series like the engine's shrinks several times", "[codec]") {
  // 100 weeks of nothing, then whole-number flows with plateaus, and a fractional level.
  std::vector<double> values(100, 0.0);
  for (int w = 0; w < 200; ++w) values.push_back(static_cast<double>((w / 4) * 37));
  for (int w = 0; w < 50; ++w) values.push_back(0.25 * w + 0.1);
  const std::string packed = encode_values(values.data(), values.size());
  CHECK(bits(decode_values(packed)) == bits(values));
  CHECK(packed.size() * 4 < values.size() * sizeof(double));
}
