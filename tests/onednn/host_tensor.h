// Host-side tensors for the oneDNN plugin tests: dtype, shape and row-major element bytes, with element
// access through long double (exact for every dtype used here, i64 included, on x86-64). Written apart
// from the plugin on purpose: nothing here shares code with it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "keel/keel_types.h"

namespace keel::onednn_test {

using Dims = std::vector<int64_t>;

size_t size_of(keel_dtype_t dtype);
std::string name_of(keel_dtype_t dtype);
bool is_float(keel_dtype_t dtype);  // f16, bf16, f32, f64
int64_t count_of(const Dims& shape);
std::string text_of(const Dims& shape);
Dims unravel(int64_t linear, const Dims& shape);

// 16-bit float conversions, written independently of the plugin: decoding is exact, encoding picks the
// nearest of the two neighbouring encodings (ties to even) by brute comparison in long double.
long double decode_half(uint16_t bits, keel_dtype_t dtype);
uint16_t encode_half(long double value, keel_dtype_t dtype);

struct HostTensor {
  keel_dtype_t dtype = KEEL_DTYPE_INVALID;
  Dims shape;
  std::vector<std::byte> bytes;  // row-major

  static HostTensor zeros(keel_dtype_t dtype, const Dims& shape);
  // An absent optional input (dtype KEEL_DTYPE_INVALID, no data).
  static HostTensor absent() { return HostTensor{}; }
  bool is_absent() const { return dtype == KEEL_DTYPE_INVALID; }
  int64_t count() const { return count_of(shape); }

  long double get(int64_t i) const;
  void set(int64_t i, long double value);  // floats round to nearest even; integers must fit
  uint64_t bits(int64_t i) const;          // the raw element bits
  void set_bits(int64_t i, uint64_t bits);

  // The same values in another dtype (exact for the conversions the tests use: f32 -> f64, ...).
  HostTensor converted(keel_dtype_t to) const;
  HostTensor absolute() const;  // |x| elementwise (floats and integers)
};

// What random data to write.
enum class Values {
  kFinite,    // moderate finite values, [-4, 4] for floats, [-50, 50] for integers
  kSpecial,   // floats: finite values mixed with NaN, ±inf, ±0, subnormals and huge values;
              // integers: mixed with the extremes of the dtype (to exercise wrapping)
  kPositive,  // (0.125, 4] floats, [1, 50] integers
  kBool,      // 0 or 1
};

HostTensor random_tensor(keel_dtype_t dtype, const Dims& shape, Values values, std::mt19937_64& rng);

}  // namespace keel::onednn_test
