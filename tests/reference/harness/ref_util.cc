#include "harness/ref_util.h"

#include <cstring>

namespace keel::reference_test {

std::vector<long double> values_of(const HostTensor& t) {
  std::vector<long double> values(static_cast<size_t>(t.count()));
  for (int64_t i = 0; i < t.count(); ++i) values[static_cast<size_t>(i)] = t.value(i);
  return values;
}

std::vector<long double> map_unary(const RefCall& call, const std::function<long double(long double)>& fn,
                                   size_t out) {
  const HostTensor& x = call.inputs.at(0);
  std::vector<long double> result(static_cast<size_t>(call.outputs.at(out).count()));
  for (size_t i = 0; i < result.size(); ++i) result[i] = fn(x.value(static_cast<int64_t>(i)));
  return result;
}

long double broadcast_value(const HostTensor& input, const Dims& index) {
  return input.value(ravel(broadcast_source(index, input.shape), input.shape));
}

std::vector<long double> map_binary(const RefCall& call,
                                    const std::function<long double(long double, long double)>& fn) {
  const Dims& shape = call.outputs.at(0).shape;
  std::vector<long double> result(static_cast<size_t>(count_of(shape)));
  for (size_t i = 0; i < result.size(); ++i) {
    const Dims index = unravel(static_cast<int64_t>(i), shape);
    result[i] = fn(broadcast_value(call.inputs[0], index), broadcast_value(call.inputs[1], index));
  }
  return result;
}

long double ieee_max(long double a, long double b) {
  if (std::isnan(a) || std::isnan(b)) return kNaN;
  if (a == 0 && b == 0) return std::signbit(a) && std::signbit(b) ? -0.0L : 0.0L;
  return a > b ? a : b;
}

long double ieee_min(long double a, long double b) {
  if (std::isnan(a) || std::isnan(b)) return kNaN;
  if (a == 0 && b == 0) return std::signbit(a) || std::signbit(b) ? -0.0L : 0.0L;
  return a < b ? a : b;
}

long double wrap_to(keel_dtype_t dtype, long double exact) {
  const int bits = static_cast<int>(size_of(dtype)) * 8;
  const long double modulus = std::ldexp(1.0L, bits);
  long double v = std::fmod(exact, modulus);
  if (v < 0) v += modulus;
  if (dtype != KEEL_DTYPE_U8 && v >= modulus / 2) v -= modulus;
  return v;
}

long double cast_from_f64(long double value, keel_dtype_t dtype) {
  if (dtype == KEEL_DTYPE_BOOL) return value != 0 ? 1 : 0;
  if (is_float(dtype)) return value;
  if (std::isnan(value)) return 0;
  const int bits = static_cast<int>(size_of(dtype)) * 8;
  const bool is_unsigned = dtype == KEEL_DTYPE_U8;
  const long double high = std::ldexp(1.0L, is_unsigned ? bits : bits - 1) - 1;
  const long double low = is_unsigned ? 0 : -std::ldexp(1.0L, bits - 1);
  return std::fmin(std::fmax(std::trunc(value), low), high);
}

HostTensor pick_elements(const HostTensor& source, const std::vector<int64_t>& positions, const Dims& shape) {
  HostTensor result = HostTensor::zeros(source.dtype, shape);
  const size_t size = size_of(source.dtype);
  for (size_t i = 0; i < positions.size(); ++i) {
    if (positions[i] < 0) continue;
    std::memcpy(result.bytes.data() + i * size, source.bytes.data() + static_cast<size_t>(positions[i]) * size, size);
  }
  return result;
}

}  // namespace keel::reference_test
