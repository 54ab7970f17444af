// Element types as C++ types. The reference plugin computes bool, i32, i64, f32 and f64; every other dtype
// (f16, bf16, i8, u8) is not implemented and says so.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

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
// True for the dtypes this plugin computes.
bool dtype_implemented(keel_dtype_t dtype);

template <class T>
constexpr keel_dtype_t dtype_of() {
  static_assert(std::is_same_v<T, bool> || std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> ||
                    std::is_same_v<T, float> || std::is_same_v<T, double>,
                "not an element type of the reference plugin");
  if (std::is_same_v<T, bool>) return KEEL_DTYPE_BOOL;
  if (std::is_same_v<T, int32_t>) return KEEL_DTYPE_I32;
  if (std::is_same_v<T, int64_t>) return KEEL_DTYPE_I64;
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

// Calls fn(Tag<T>{}) with T the C++ type of `dtype`, limited to the listed family; UNIMPLEMENTED otherwise.
template <class Fn>
decltype(auto) dispatch_float(keel_dtype_t dtype, Fn&& fn) {
  switch (dtype) {
    case KEEL_DTYPE_F32: return fn(Tag<float>{});
    case KEEL_DTYPE_F64: return fn(Tag<double>{});
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

}  // namespace keel::reference
