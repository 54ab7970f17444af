// Tensors on the host side of the GPU tests: values as doubles (exact for every dtype the tests use, i64
// included as long as the tests keep |v| < 2^53), converted to and from each dtype's bytes with the plugin's
// own conversions (tested on their own in numeric_test.cc), plus the ulp and epsilon the spec's tolerance
// classes are measured in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "keel/keel_types.h"

namespace keel::cuda_test {

using Dims = std::vector<int64_t>;

int64_t count_of(const Dims& shape);
std::string text_of(const Dims& shape);
size_t size_of(keel_dtype_t dtype);
const char* name_of(keel_dtype_t dtype);
bool is_float(keel_dtype_t dtype);

struct HostValues {
  keel_dtype_t dtype = KEEL_DTYPE_INVALID;
  Dims shape;
  std::vector<double> values;  // row-major

  int64_t count() const { return count_of(shape); }
};

// `x` converted to `dtype` by the spec's cast rules and back to a double (exact).
double round_to(keel_dtype_t dtype, double x);
// Element bytes of `dtype` for `x` (rounded first), and back.
void encode(keel_dtype_t dtype, double x, std::byte* out);
double decode(keel_dtype_t dtype, const std::byte* in);
// The element's bits as an unsigned integer (bit comparisons).
uint64_t bits_at(keel_dtype_t dtype, const std::byte* in);

// The spacing of `dtype` at magnitude |x| (subnormals share the smallest spacing), its machine epsilon,
// its smallest normal and its largest finite value.
double ulp_of(keel_dtype_t dtype, double x);
double epsilon_of(keel_dtype_t dtype);
double smallest_normal_of(keel_dtype_t dtype);
double largest_of(keel_dtype_t dtype);

// The data a tensor is filled with.
enum class Domain {
  kAny,        // mostly N(0, 2), with the dtype's special values mixed in (floats: ±0, ±inf, NaN, subnormals)
  kFinite,     // N(0, 2) only: for accumulating operators, whose bounds assume finite data
  kPositive,   // |N(0, 2)| + 0.01
  kSmallInts,  // integers in [-8, 8] (also for floats): exact sums and products
  kBool,       // 0 or 1
};

class Generator {
 public:
  explicit Generator(uint64_t seed) : engine_(seed) {}
  HostValues make(keel_dtype_t dtype, const Dims& shape, Domain domain);

 private:
  double special(keel_dtype_t dtype);
  std::mt19937_64 engine_;
};

}  // namespace keel::cuda_test
