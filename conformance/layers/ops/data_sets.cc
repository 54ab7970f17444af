#include "layers/ops/data_sets.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "layers/ops/dtype_convert.h"
#include "layers/ops/random.h"

namespace keel::conform {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kFloatWindow = 4.0;
constexpr double kIntegerWindow = 100.0;

// The integers a dtype holds, as doubles.
void integer_limits(keel_dtype_t dtype, double* low, double* high) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: *low = 0, *high = 1; break;
    case KEEL_DTYPE_I8: *low = -128, *high = 127; break;
    case KEEL_DTYPE_U8: *low = 0, *high = 255; break;
    case KEEL_DTYPE_I32: *low = -2147483648.0, *high = 2147483647.0; break;
    default: *low = -0x1p63, *high = 0x1p63; break;
  }
}

// The integers of `range` a dtype holds, cut to the window; false when there are none.
bool integer_bounds(keel_dtype_t dtype, const spec::ValueRange& range, int64_t* first, int64_t* last) {
  double low, high;
  integer_limits(dtype, &low, &high);
  double lo = range.lo_open ? std::floor(range.lo) + 1 : std::ceil(range.lo);
  double hi = range.hi_open ? std::ceil(range.hi) - 1 : std::floor(range.hi);
  lo = std::max({lo, low, std::isfinite(range.lo) ? lo : -kIntegerWindow});
  hi = std::min({hi, high, std::isfinite(range.hi) ? hi : kIntegerWindow});
  if (!std::isfinite(range.lo) && std::isfinite(range.hi)) lo = std::max(lo, hi - 2 * kIntegerWindow);
  if (std::isfinite(range.lo) && !std::isfinite(range.hi)) hi = std::min(hi, lo + 2 * kIntegerWindow);
  if (lo > hi) return false;
  *first = static_cast<int64_t>(lo);
  *last = static_cast<int64_t>(hi);
  return true;
}

int64_t pick_integer(keel_dtype_t dtype, const spec::ValueRange& range, Random& random, bool* ok) {
  int64_t first = 0, last = 0;
  *ok = integer_bounds(dtype, range, &first, &last);
  if (!*ok) return 0;
  int64_t value = random.integer(first, last);
  if (range.exclude_zero && value == 0) value = last != 0 ? last : first;
  *ok = !(range.exclude_zero && value == 0);
  return value;
}

// The window a float of `range` is drawn from.
void float_window(const spec::ValueRange& range, double* lo, double* hi) {
  *lo = std::max(range.lo, -kFloatWindow);
  *hi = std::min(range.hi, kFloatWindow);
  if (range.lo > kFloatWindow) *lo = range.lo, *hi = std::min(range.hi, range.lo + 2 * kFloatWindow);
  if (range.hi < -kFloatWindow) *hi = range.hi, *lo = std::max(range.lo, range.hi - 2 * kFloatWindow);
}

// Moves `value` inside `range` when rounding or an open end put it on a forbidden value.
double inside(keel_dtype_t dtype, const spec::ValueRange& range, double value) {
  double lo, hi;
  float_window(range, &lo, &hi);
  const double middle = round_to(dtype, (lo + hi) / 2);
  const bool bad = (range.lo_open && value <= range.lo) || (range.hi_open && value >= range.hi) || value < range.lo ||
                   value > range.hi || (range.exclude_zero && value == 0);
  if (!bad) return value;
  if (middle != 0 || !range.exclude_zero) return middle;
  return round_to(dtype, hi > 0 ? hi / 2 : lo / 2);
}

double uniform_float(keel_dtype_t dtype, const spec::ValueRange& range, Random& random) {
  double lo, hi;
  float_window(range, &lo, &hi);
  double value;
  if (random.next() % 8 == 0) {
    value = std::ldexp(1.0 + random.unit(), static_cast<int>(random.integer(-8, 1)));
    if (lo < 0 && (hi <= 0 || random.next() % 2 == 0)) value = -value;
    value = std::clamp(value, lo, hi);
  } else {
    value = random.uniform(lo, hi);
  }
  return inside(dtype, range, round_to(dtype, value));
}

double cancelling_float(keel_dtype_t dtype, const spec::ValueRange& range, Random& random, size_t index,
                        double* previous) {
  const int top = dtype == KEEL_DTYPE_F16 || dtype == KEEL_DTYPE_BF16 ? 4 : 10;
  double value;
  if (index % 2 == 1 && range.lo < 0) {
    value = -*previous * (1.0 + random.uniform(-1.0, 1.0) * std::ldexp(1.0, -6));
  } else if (random.next() % 4 == 0) {
    value = random.uniform(-1.0, 1.0) * std::ldexp(1.0, -8);
  } else {
    value = std::ldexp(1.0 + random.unit(), static_cast<int>(random.integer(0, top)));
    if (range.lo < 0 && random.next() % 2 == 0) value = -value;
  }
  value = inside(dtype, range, round_to(dtype, std::clamp(value, range.lo, range.hi)));
  *previous = value;
  return value;
}

std::vector<double> special_floats(keel_dtype_t dtype, bool accumulating) {
  std::vector<double> values = {kNaN, kInf, -kInf, 0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0};
  if (!accumulating) {
    const double largest = largest_finite_of(dtype);
    const double tiny = std::ldexp(1.0, min_exponent(dtype) - mantissa_bits(dtype) + 1);
    values.insert(values.end(), {largest, -largest, smallest_normal_of(dtype), -smallest_normal_of(dtype), tiny,
                                 -tiny, 100.0, -100.0, 1e-3});
  }
  return values;
}

std::vector<double> special_integers(keel_dtype_t dtype) {
  double low, high;
  integer_limits(dtype, &low, &high);
  if (dtype == KEEL_DTYPE_BOOL) return {0, 1};
  return {low, high, -1, 0, 1, 2, -2, low + 1, high - 1, 7};
}

}  // namespace

std::optional<std::vector<double>> input_values(keel_dtype_t dtype, const RangeOf& range_of, DataSet set, size_t count,
                                                uint64_t seed, bool accumulating, std::string* error) {
  Random random(seed);
  std::vector<double> values(count);
  const bool is_float = is_float_dtype(dtype);
  const std::vector<double> specials = is_float ? special_floats(dtype, accumulating) : special_integers(dtype);
  double previous = 0;
  for (size_t i = 0; i < count; ++i) {
    const spec::ValueRange range = range_of(static_cast<int64_t>(i));
    if (range.empty()) {
      *error = "the data domain of element " + std::to_string(i) + " admits no value";
      return std::nullopt;
    }
    if (set == DataSet::kSpecial && range.special_values) {
      values[i] = specials[static_cast<size_t>(random.next() % specials.size())];
    } else if (!is_float || range.integral) {
      bool ok = true;
      values[i] = static_cast<double>(pick_integer(is_float ? keel_dtype_t{KEEL_DTYPE_I64} : dtype, range, random, &ok));
      if (!ok) {
        *error = "the data domain of element " + std::to_string(i) + " admits no value of " +
                 std::string(spec::dtype_name(dtype));
        return std::nullopt;
      }
    } else if (set == DataSet::kCancel) {
      values[i] = cancelling_float(dtype, range, random, i, &previous);
    } else {
      values[i] = uniform_float(dtype, range, random);
    }
  }
  return values;
}

bool domain_admits(keel_dtype_t dtype, const spec::ValueRange& range) {
  if (range.empty()) return false;
  if (is_float_dtype(dtype) && !range.integral) return true;
  int64_t first = 0, last = 0;
  if (!integer_bounds(is_float_dtype(dtype) ? keel_dtype_t{KEEL_DTYPE_I64} : dtype, range, &first, &last)) return false;
  return !(range.exclude_zero && first == 0 && last == 0);
}

bool admits_special_values(const OpCall& call) {
  for (size_t i = 0; i < call.inputs.size(); ++i) {
    if (call.absent(i) || call.domains[i] == nullptr || call.inputs[i].element_count() == 0) continue;
    if (call.inputs[i].dtype != KEEL_DTYPE_BOOL && call.domain(i, 0).special_values) return true;
  }
  return false;
}

}  // namespace keel::conform
