// A lossless compact form of a replication's weekly series, for the parent that
// keeps every replication's results until the outputs are written (issue 11:
// -r 10000 in bounded memory): one blob per replication instead of a message,
// three strings and an array per series.
//
// Blob: per series, varint length + site, varint length + metric, varint
// length + values. Most weekly values are 0 (before production starts), whole
// numbers (flows in units) or the previous value again (levels, cumulative
// totals), so each value becomes a token with a varint header:
//   header & 3 == 0: a run of (header >> 2) bit-exact +0.0
//   header & 3 == 1: the whole number unzigzag(header >> 2), |v| < 2^52
//   header & 3 == 2: anything else. header >> 2 == 0: 8 raw bytes of an IEEE double follow (the first value);
//                    otherwise header >> 2 == 1 + 8 lead + trail, and the value's bits XOR the previous value's
//                    bits have `lead` high and `trail` low zero bytes: the 8 - lead - trail bytes between follow
//                    (little-endian). A fractional level that drifts from week to week keeps its sign, exponent
//                    and top mantissa bits: -9% on the engine's series, which is what keeps -r 10000 in
//                    300 MB. Blobs of the raw-only form still decode.
//   header & 3 == 3: a run of (header >> 2) repeats of the previous value
// Decoding gives back the exact bit patterns (-0.0 and NaN payloads included).
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/results/results.pb.h"

namespace scsim::results {

namespace codec_detail {

inline void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

inline std::uint64_t get_varint(std::string_view in, std::size_t& at) {
  std::uint64_t v = 0;
  for (int shift = 0; at < in.size() && shift < 64; shift += 7) {
    const auto byte = static_cast<unsigned char>(in[at++]);
    v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) break;
  }
  return v;
}

inline std::string_view get_bytes(std::string_view in, std::size_t& at) {
  const auto size = static_cast<std::size_t>(get_varint(in, at));
  const auto view = in.substr(std::min(at, in.size()), size);
  at += size;
  return view;
}

inline bool whole(double v, std::int64_t& n) {
  if (!(std::fabs(v) < 4503599627370496.0) || v != std::trunc(v) || (v == 0 && std::signbit(v))) return false;
  n = static_cast<std::int64_t>(v);
  return true;
}

}  // namespace codec_detail

inline std::string encode_values(const double* values, std::size_t n) {
  using namespace codec_detail;
  std::string out;
  std::uint64_t previous = 0;  // bits of the previous value
  bool has_previous = false;
  std::size_t i = 0;
  while (i < n) {
    const std::uint64_t bits = std::bit_cast<std::uint64_t>(values[i]);
    std::size_t run = 1;
    while (i + run < n && std::bit_cast<std::uint64_t>(values[i + run]) == bits) ++run;
    if (bits == 0) {
      put_varint(out, static_cast<std::uint64_t>(run) << 2);
      i += run;
    } else if (has_previous && bits == previous) {
      put_varint(out, (static_cast<std::uint64_t>(run) << 2) | 3);
      i += run;
    } else {
      std::int64_t number = 0;
      if (whole(values[i], number)) {
        const auto zigzag = (static_cast<std::uint64_t>(number) << 1) ^ static_cast<std::uint64_t>(number >> 63);
        put_varint(out, (zigzag << 2) | 1);
      } else if (!has_previous) {
        put_varint(out, 2);
        char raw[8];
        std::memcpy(raw, &bits, 8);
        out.append(raw, 8);
      } else {
        const std::uint64_t x = bits ^ previous;  // not 0: equal bits are coded as repeats
        const int lead = std::countl_zero(x) / 8, trail = std::countr_zero(x) / 8;  // lead + trail <= 7
        put_varint(out, (static_cast<std::uint64_t>(1 + 8 * lead + trail) << 2) | 2);
        for (int b = trail; b < 8 - lead; ++b) out.push_back(static_cast<char>((x >> (8 * b)) & 0xff));
      }
      ++i;  // a run after it is coded as repeats
    }
    previous = bits;
    has_previous = true;
  }
  return out;
}

// Reads an encoded series' values in order, a block at a time (the parent's timeline bands read every
// replication's series side by side, a block of weeks at a time, in bounded memory).
class ValueReader {
 public:
  ValueReader() = default;
  explicit ValueReader(std::string_view encoded) : in_(encoded) {}
  // Writes up to `n` more values to `out`; returns how many (fewer only at the end).
  std::size_t read(double* out, std::size_t n) {
    using namespace codec_detail;
    std::size_t done = 0;
    while (done < n) {
      if (run_ > 0) {
        const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(run_, n - done));
        std::fill_n(out + done, take, run_value_);
        done += take;
        run_ -= take;
        continue;
      }
      if (at_ >= in_.size()) break;
      const std::uint64_t header = get_varint(in_, at_);
      const std::uint64_t rest = header >> 2;
      switch (header & 3) {
        case 0:
          previous_ = 0.0;
          run_value_ = 0.0;
          run_ = rest;
          break;
        case 1:
          previous_ = static_cast<double>(static_cast<std::int64_t>((rest >> 1) ^ (~(rest & 1) + 1)));
          out[done++] = previous_;
          break;
        case 2: {
          std::uint64_t bits = 0;
          if (rest == 0) {
            if (at_ + 8 <= in_.size()) std::memcpy(&bits, in_.data() + at_, 8);
            at_ += 8;
          } else {
            const auto lead = static_cast<int>((rest - 1) / 8), trail = static_cast<int>((rest - 1) % 8);
            std::uint64_t x = 0;
            for (int b = trail; b < 8 - lead && at_ < in_.size(); ++b)
              x |= static_cast<std::uint64_t>(static_cast<unsigned char>(in_[at_++])) << (8 * b);
            bits = std::bit_cast<std::uint64_t>(previous_) ^ x;
          }
          previous_ = std::bit_cast<double>(bits);
          out[done++] = previous_;
          break;
        }
        default:
          run_value_ = previous_;
          run_ = rest;
      }
    }
    return done;
  }

 private:
  std::string_view in_;
  std::size_t at_ = 0;
  double previous_ = 0;
  std::uint64_t run_ = 0;  // values of a run still to give
  double run_value_ = 0;
};

inline std::vector<double> decode_values(std::string_view in) {
  std::vector<double> out;
  ValueReader reader(in);
  constexpr std::size_t kChunk = 256;
  for (;;) {
    const std::size_t at = out.size();
    out.resize(at + kChunk);
    const std::size_t got = reader.read(out.data() + at, kChunk);
    if (got < kChunk) {
      out.resize(at + got);
      return out;
    }
  }
}

// Moves every series of `result` into its packed_series blob (in place; a no-op when already packed).
inline void pack_series(scsim::ReplicationResult& result) {
  using namespace codec_detail;
  if (result.has_packed_series()) return;
  std::string blob;
  for (const auto& series : result.series()) {
    put_varint(blob, series.site().size());
    blob += series.site();
    put_varint(blob, series.metric().size());
    blob += series.metric();
    const std::string values = encode_values(series.values().data(), static_cast<std::size_t>(series.values_size()));
    put_varint(blob, values.size());
    blob += values;
  }
  google::protobuf::RepeatedPtrField<scsim::Series>().Swap(result.mutable_series());  // frees the memory too
  blob.shrink_to_fit();  // kept for the whole run: not the up to 2x of a string grown by appending
  result.set_packed_series(std::move(blob));
}

// One series of a replication, packed or not: its names and, on demand, its values.
struct SeriesRef {
  std::string_view site, metric;
  const scsim::Series* plain = nullptr;  // unpacked
  std::string_view encoded;              // packed
  std::vector<double> values() const {
    return plain ? std::vector<double>(plain->values().begin(), plain->values().end()) : decode_values(encoded);
  }
};

// Calls f(const SeriesRef&) for each series of `result` in order; stops early when f returns false.
template <class F>
void for_each_series(const scsim::ReplicationResult& result, F&& f) {
  using namespace codec_detail;
  if (!result.has_packed_series()) {
    for (const auto& series : result.series())
      if (!f(SeriesRef{series.site(), series.metric(), &series, {}})) return;
    return;
  }
  const std::string_view blob = result.packed_series();
  std::size_t at = 0;
  while (at < blob.size()) {
    SeriesRef ref;
    ref.site = get_bytes(blob, at);
    ref.metric = get_bytes(blob, at);
    ref.encoded = get_bytes(blob, at);
    if (!f(ref)) return;
  }
}

// The values of series `metric` at `site`, if the replication has it.
inline std::optional<std::vector<double>> find_series_values(const scsim::ReplicationResult& result,
                                                             std::string_view site, std::string_view metric) {
  std::optional<std::vector<double>> found;
  for_each_series(result, [&](const SeriesRef& s) {
    if (s.site != site || s.metric != metric) return true;
    found = s.values();
    return false;
  });
  return found;
}

}  // namespace scsim::results
