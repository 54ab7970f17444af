// Tensors on the host side of the tests: row-major element bytes plus the index arithmetic the independent
// references use. Written separately from the plugin on purpose: nothing here shares code with it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "keel/keel_types.h"

namespace keel::reference_test {

using Dims = std::vector<int64_t>;

size_t size_of(keel_dtype_t dtype);
std::string name_of(keel_dtype_t dtype);
// f16, bf16, f32 and f64.
bool is_float(keel_dtype_t dtype);

// The 16-bit float formats, written independently of the plugin: a value is decoded with ldexp and rounded
// by scaling to an integer significand and rint (round to nearest, ties to even), not by bit manipulation.
long double decode_16(uint16_t bits, keel_dtype_t dtype);  // f16 or bf16
uint16_t encode_16(long double x, keel_dtype_t dtype);      // rounded once; NaN becomes a quiet NaN
// x rounded once to a float dtype (f16, bf16, f32 or f64), as a long double.
long double round_to(long double x, keel_dtype_t dtype);

template <class T>
constexpr keel_dtype_t dtype_for() {
  if (std::is_same_v<T, bool>) return KEEL_DTYPE_BOOL;
  if (std::is_same_v<T, int8_t>) return KEEL_DTYPE_I8;
  if (std::is_same_v<T, uint8_t>) return KEEL_DTYPE_U8;
  if (std::is_same_v<T, int32_t>) return KEEL_DTYPE_I32;
  if (std::is_same_v<T, int64_t>) return KEEL_DTYPE_I64;
  if (std::is_same_v<T, float>) return KEEL_DTYPE_F32;
  return KEEL_DTYPE_F64;
}

int64_t count_of(const Dims& shape);
Dims unravel(int64_t linear, const Dims& shape);
int64_t ravel(const Dims& index, const Dims& shape);
std::string text_of(const Dims& shape);
// numpy broadcast of two shapes (the tests only build broadcastable pairs).
Dims broadcast_dims(const Dims& a, const Dims& b);
// The index into a tensor of shape `shape` that broadcasting maps output index `out` to.
Dims broadcast_source(const Dims& out, const Dims& shape);

struct HostTensor {
  keel_dtype_t dtype = KEEL_DTYPE_INVALID;
  Dims shape;
  std::vector<std::byte> bytes;  // row-major

  static HostTensor zeros(keel_dtype_t dtype, const Dims& shape);
  template <class T>
  static HostTensor of(const Dims& shape, const std::vector<T>& values) {
    HostTensor tensor = zeros(dtype_for<T>(), shape);
    for (size_t i = 0; i < values.size(); ++i) tensor.set<T>(static_cast<int64_t>(i), values[i]);
    return tensor;
  }

  int64_t count() const { return count_of(shape); }

  template <class T>
  T get(int64_t i) const {
    if constexpr (std::is_same_v<T, bool>) {
      return bytes[static_cast<size_t>(i)] != std::byte{0};
    } else {
      T value;
      std::memcpy(&value, bytes.data() + static_cast<size_t>(i) * sizeof(T), sizeof(T));
      return value;
    }
  }

  template <class T>
  void set(int64_t i, T value) {
    if constexpr (std::is_same_v<T, bool>) {
      bytes[static_cast<size_t>(i)] = value ? std::byte{1} : std::byte{0};
    } else {
      std::memcpy(bytes.data() + static_cast<size_t>(i) * sizeof(T), &value, sizeof(T));
    }
  }

  // Element i of any dtype as a long double (exact for every dtype here, i64 included, on x86-64 and
  // aarch64 where long double has at least 64 significand bits).
  long double value(int64_t i) const;
  // Element i's bytes as an unsigned integer (for bit comparisons).
  uint64_t bits(int64_t i) const;
};

// Calls fn(T{}) for the C++ type of a dtype that has one (not f16 or bf16).
template <class Fn>
void with_type(keel_dtype_t dtype, Fn&& fn) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: fn(bool{}); break;
    case KEEL_DTYPE_I8: fn(int8_t{}); break;
    case KEEL_DTYPE_U8: fn(uint8_t{}); break;
    case KEEL_DTYPE_I32: fn(int32_t{}); break;
    case KEEL_DTYPE_I64: fn(int64_t{}); break;
    case KEEL_DTYPE_F32: fn(float{}); break;
    case KEEL_DTYPE_F64: fn(double{}); break;
    default: break;
  }
}

}  // namespace keel::reference_test
