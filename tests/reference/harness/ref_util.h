// Small helpers the references share: element access with broadcasting, axis arithmetic and the attribute
// lists of keel_ops.h. Written for the tests only; nothing here comes from the plugin.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <vector>

#include "harness/host_tensor.h"
#include "harness/op_reference.h"

namespace keel::reference_test {

inline constexpr long double kNaN = std::numeric_limits<long double>::quiet_NaN();
inline constexpr long double kInf = std::numeric_limits<long double>::infinity();

// The values of a tensor in row-major order.
std::vector<long double> values_of(const HostTensor& t);

// Per element of output `out`: fn(x) for input 0 (same shape).
std::vector<long double> map_unary(const RefCall& call, const std::function<long double(long double)>& fn,
                                   size_t out = 0);
// Per element of output 0: fn(a, b) for inputs 0 and 1 broadcast to it.
std::vector<long double> map_binary(const RefCall& call,
                                    const std::function<long double(long double, long double)>& fn);
// The value of `input` at output index `index` (numpy broadcasting).
long double broadcast_value(const HostTensor& input, const Dims& index);

// An axis in [-rank, rank) as a position.
inline size_t axis_of(int64_t axis, size_t rank) {
  return static_cast<size_t>(axis < 0 ? axis + static_cast<int64_t>(rank) : axis);
}

// An ints attribute (pointer + count) as a vector.
inline std::vector<int64_t> list_of(const int64_t* values, size_t count) {
  return count == 0 ? std::vector<int64_t>() : std::vector<int64_t>(values, values + count);
}

// IEEE 754-2019 maximum and minimum (NaN wins; +0 above -0).
long double ieee_max(long double a, long double b);
long double ieee_min(long double a, long double b);

// Integer wrap modulo 2^bits of the dtype (exact long double integer in).
long double wrap_to(keel_dtype_t dtype, long double exact);

// An f64 value converted to `dtype` with the rules of cast (float → integer: truncate, saturate, NaN → 0;
// → bool: x != 0; → float: the value, rounded when stored).
long double cast_from_f64(long double value, keel_dtype_t dtype);

// Every element copied from `source` element positions (row-major indices; -1 gives all-zero bytes).
HostTensor pick_elements(const HostTensor& source, const std::vector<int64_t>& positions, const Dims& shape);

}  // namespace keel::reference_test
