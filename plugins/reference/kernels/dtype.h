// Element types as C++ types: bool, int8_t (i8), uint8_t (u8), int32_t, int64_t, Float16 (f16), BFloat16
// (bf16), float and double. The reference plugin computes every dtype of the spec.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

#include "float16.h"
#include "host.h"
#include "keel/keel_types.h"

namespace keel::reference {

// Names a C++ type in a dispatch callback: fn(Tag<float>{}).
template <class T>
struct Tag {
  using type = T;
};

// Bytes per element, or 0 for a dtype outside the enum.
size_t dtype_size(keel_dtype_t dtype);
// "f32", "bool", ...; "invalid" outside the enum.
const char* dtype_name(keel_dtype_t dtype);
// True for the dtypes this plugin computes (every dtype of keel_types.h but KEEL_DTYPE_INVALID).
bool dtype_implemented(keel_dtype_t dtype);

template <class T>
constexpr keel_dtype_t dtype_of() {
  static_assert(std::is_same_v<T, bool> || std::is_same_v<T, int8_t> || std::is_same_v<T, uint8_t> ||
                    std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> || std::is_same_v<T, Float16> ||
                    std::is_same_v<T, BFloat16> || std::is_same_v<T, float> || std::is_same_v<T, double>,
                "not an element type of the reference plugin");
  if (std::is_same_v<T, bool>) return KEEL_DTYPE_BOOL;
  if (std::is_same_v<T, int8_t>) return KEEL_DTYPE_I8;
  if (std::is_same_v<T, uint8_t>) return KEEL_DTYPE_U8;
  if (std::is_same_v<T, int32_t>) return KEEL_DTYPE_I32;
  if (std::is_same_v<T, int64_t>) return KEEL_DTYPE_I64;
  if (std::is_same_v<T, Float16>) return KEEL_DTYPE_F16;
  if (std::is_same_v<T, BFloat16>) return KEEL_DTYPE_BF16;
  if (std::is_same_v<T, float>) return KEEL_DTYPE_F32;
  return KEEL_DTYPE_F64;
}

// Element access at any byte address: views carry an arbitrary byte_offset, so elements may be unaligned.
// A bool element is one byte; any non-zero byte reads as true and true is written as 1.
template <class T>
T load(const std::byte* at) {
  if constexpr (std::is_same_v<T, bool>) {
    return std::to_integer<uint8_t>(*at) != 0;
  } else {
    T value;
    std::memcpy(&value, at, sizeof value);
    return value;
  }
}

template <class T>
void store(std::byte* at, T value) {
  if constexpr (std::is_same_v<T, bool>) {
    *at = std::byte{value ? uint8_t{1} : uint8_t{0}};
  } else {
    std::memcpy(at, &value, sizeof value);
  }
}

[[noreturn]] void fail_unimplemented_dtype(keel_dtype_t dtype);

// Calls fn(Tag<T>{}) with T the C++ type of `dtype`, limited to the family the function names (the spec's
// type sets: float, numeric = float + int, all = numeric + bool); UNIMPLEMENTED otherwise.
template <class Fn>
decltype(auto) dispatch_float(keel_dtype_t dtype, Fn&& fn) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return fn(Tag<Float16>{});
    case KEEL_DTYPE_BF16: return fn(Tag<BFloat16>{});
    case KEEL_DTYPE_F32: return fn(Tag<float>{});
    case KEEL_DTYPE_F64: return fn(Tag<double>{});
    default: fail_unimplemented_dtype(dtype);
  }
}

template <class Fn>
decltype(auto) dispatch_int(keel_dtype_t dtype, Fn&& fn) {
  switch (dtype) {
    case KEEL_DTYPE_I32: return fn(Tag<int32_t>{});
    case KEEL_DTYPE_I64: return fn(Tag<int64_t>{});
    default: fail_unimplemented_dtype(dtype);
  }
}

template <class Fn>
decltype(auto) dispatch_numeric(keel_dtype_t dtype, Fn&& fn) {
  switch (dtype) {
    case KEEL_DTYPE_I32: return fn(Tag<int32_t>{});
    case KEEL_DTYPE_I64: return fn(Tag<int64_t>{});
    default: return dispatch_float(dtype, std::forward<Fn>(fn));
  }
}

template <class Fn>
decltype(auto) dispatch_all(keel_dtype_t dtype, Fn&& fn) {
  if (dtype == KEEL_DTYPE_BOOL) return fn(Tag<bool>{});
  return dispatch_numeric(dtype, std::forward<Fn>(fn));
}

// numeric plus the int8 profile's i8 and u8.
template <class Fn>
decltype(auto) dispatch_numeric_int8(keel_dtype_t dtype, Fn&& fn) {
  switch (dtype) {
    case KEEL_DTYPE_I8: return fn(Tag<int8_t>{});
    case KEEL_DTYPE_U8: return fn(Tag<uint8_t>{});
    default: return dispatch_numeric(dtype, std::forward<Fn>(fn));
  }
}

// Any dtype at all.
template <class Fn>
decltype(auto) dispatch_any(keel_dtype_t dtype, Fn&& fn) {
  if (dtype == KEEL_DTYPE_BOOL) return fn(Tag<bool>{});
  return dispatch_numeric_int8(dtype, std::forward<Fn>(fn));
}

}  // namespace keel::reference
