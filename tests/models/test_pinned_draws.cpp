// The same draws on every platform: hashes of many draws of every distribution
// and every RandomStream variate, pinned. A compiler that fuses multiply-adds
// (GCC's default where the target has FMA: ARM, or x86 with -mfma) changes the
// rounding of the samplers' arithmetic and fails these; the build sets
// -ffp-contract=off (top-level CMakeLists.txt) so that it does not.
//
// Two groups: "arithmetic" draws use only +, -, *, / and sqrt, which IEEE 754
// rounds exactly, so they must match on any conforming platform; "libm" draws
// also call log, exp, pow, log1p or erfc, whose last bit the C maths library
// may choose differently (these values are glibc's on x86-64 and AArch64).
//
// To re-pin after an intended change of a sampler: run
//   build/tests/models/test_models "[pinned]" -s
// and copy the printed hashes.
#include <catch2/catch.hpp>

#include <bit>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

#include "models/distribution.hpp"
#include "models/random_stream.hpp"

using namespace scsim::models;

namespace {

constexpr int kDraws = 200'000;

// FNV-1a over the bit patterns of the draws: one flipped last bit changes it.
struct Hasher {
  std::uint64_t h = 14695981039346656037ull;
  void add(std::uint64_t bits) {
    for (int i = 0; i < 8; ++i) {
      h ^= (bits >> (8 * i)) & 0xffu;
      h *= 1099511628211ull;
    }
  }
  void add(double x) { add(std::bit_cast<std::uint64_t>(x)); }
};

std::uint64_t hash_dist(const Dist& dist, const char* name) {
  RandomStream stream(20260101, 7, name);
  Hasher hasher;
  for (int i = 0; i < kDraws; ++i) hasher.add(sample(dist, stream));
  return hasher.h;
}

std::uint64_t hash_stream(const char* name, const std::function<std::uint64_t(RandomStream&)>& draw) {
  RandomStream stream(20260101, 7, name);
  Hasher hasher;
  for (int i = 0; i < kDraws; ++i) hasher.add(draw(stream));
  return hasher.h;
}

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }

void check(const char* what, std::uint64_t got, std::uint64_t pinned) {
  std::printf("    {\"%s\", 0x%016llxull},\n", what, static_cast<unsigned long long>(got));
  INFO(what);
  CHECK(got == pinned);
}

}  // namespace

TEST_CASE("arithmetic-only draws match pinned hashes bit for bit", "[pinned]") {
  check("uniform01", hash_stream("uniform01", [](RandomStream& s) { return bits(s.uniform01()); }), 0x6a9efe5cf9193aa9ull);
  check("uniform", hash_dist(Uniform{3.5, 17.25}, "uniform"), 0xc2d00319b491489bull);
  // Below and above the mode: both branches, each with a sqrt of a product.
  check("triangular", hash_dist(Triangular{85, 100, 120}, "triangular"), 0x163c57feafe0ee57ull);
  check("empirical", hash_dist(Empirical{{1.5, 2.5, 7, 11}, {0.1, 0.2, 0.3, 0.4}}, "empirical"), 0x14de7122d3aca012ull);
  check("fixed", hash_dist(Fixed{42.125}, "fixed"), 0x67cd70601f80a725ull);
}

TEST_CASE("draws through the C maths library match pinned hashes (glibc)", "[pinned]") {
  check("standard_normal", hash_stream("standard_normal", [](RandomStream& s) { return bits(s.standard_normal()); }), 0x86c9c2d7a12b291full);
  check("gamma(0.6)", hash_stream("gamma_small", [](RandomStream& s) { return bits(s.gamma(0.6)); }), 0xc105688ffb1df430ull);
  check("gamma(3.7)", hash_stream("gamma", [](RandomStream& s) { return bits(s.gamma(3.7)); }), 0xfb430b279362f87eull);
  check("beta(2.5,4)", hash_stream("beta", [](RandomStream& s) { return bits(s.beta(2.5, 4)); }), 0x55f6b41acb5d0911ull);
  check("binomial(20,0.3)", hash_stream("binomial_small", [](RandomStream& s) { return std::uint64_t(s.binomial(20, 0.3)); }), 0x404e4350b543902full);
  check("binomial(5000,0.93)", hash_stream("binomial", [](RandomStream& s) { return std::uint64_t(s.binomial(5000, 0.93)); }), 0x3fb004f3068bc374ull);
  check("poisson(4.5)", hash_stream("poisson_small", [](RandomStream& s) { return std::uint64_t(s.poisson(4.5)); }), 0xc202884dbb6d2c20ull);
  check("poisson(830)", hash_stream("poisson", [](RandomStream& s) { return std::uint64_t(s.poisson(830)); }), 0x7236ac67a1cacd8aull);
  check("pert", hash_dist(Pert{10, 14, 30, 4}, "pert"), 0xa5b5e1039e9cd253ull);
  check("normal_truncated", hash_dist(NormalTruncated{100, 15, 80, 140}, "normal_truncated"), 0xfd0b284224df0393ull);
  // Little mass inside: the inversion (bisection on erfc) path.
  check("normal_truncated_tail", hash_dist(NormalTruncated{0, 1, 4, 6}, "normal_truncated_tail"), 0x778246e8f683bbc6ull);
  check("lognormal", hash_dist(LogNormal{50, 20}, "lognormal"), 0xf4144f8aa2a7f1dcull);
  check("exponential", hash_dist(Exponential{12.5}, "exponential"), 0xbd87d9545de318a7ull);
}
