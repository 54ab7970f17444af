// Element types: the C++ type of each Keel dtype the loops compute with, the dtype lists kernels register,
// and the visit_* helpers that call a generic lambda with the right type.
#pragma once

#include <array>
#include <cstdint>
#include <type_traits>

#include "error.h"
#include "keel/keel_types.h"
#include "tensor.h"

namespace keel::onednn {

template <class T>
struct Tag {
  using type = T;
};

template <class T>
constexpr bool kIsFloat = std::is_floating_point_v<T>;

// Dtype lists for registrations (the op's primary type variable).
inline constexpr std::array<keel_dtype_t, 2> kFloatTypes = {KEEL_DTYPE_F32, KEEL_DTYPE_F64};
inline constexpr std::array<keel_dtype_t, 4> kNumericTypes = {KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32,
                                                              KEEL_DTYPE_I64};
inline constexpr std::array<keel_dtype_t, 5> kAllTypes = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32, KEEL_DTYPE_I64,
                                                          KEEL_DTYPE_F32, KEEL_DTYPE_F64};
inline constexpr std::array<keel_dtype_t, 1> kBoolType = {KEEL_DTYPE_BOOL};
// Operators that only move bits work for every dtype, the 16-bit floats included.
inline constexpr std::array<keel_dtype_t, 7> kEveryType = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32,  KEEL_DTYPE_I64,
                                                           KEEL_DTYPE_F32,  KEEL_DTYPE_F64,  KEEL_DTYPE_F16,
                                                           KEEL_DTYPE_BF16};

// Operators that only move data take the spec's `data` set: the above plus the 8-bit integers.
inline constexpr std::array<keel_dtype_t, 9> kDataTypes = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I8,  KEEL_DTYPE_U8,
                                                           KEEL_DTYPE_I32,  KEEL_DTYPE_I64, KEEL_DTYPE_F32,
                                                           KEEL_DTYPE_F64,  KEEL_DTYPE_F16, KEEL_DTYPE_BF16};

[[noreturn]] inline void unsupported_dtype(keel_dtype_t dtype) {
  fail(KEEL_STATUS_UNIMPLEMENTED, "dtype ", dtype_name(dtype), " is not implemented by this kernel");
}

template <class F>
decltype(auto) visit_float(keel_dtype_t dtype, F&& f) {
  switch (dtype) {
    case KEEL_DTYPE_F32: return f(Tag<float>{});
    case KEEL_DTYPE_F64: return f(Tag<double>{});
    default: unsupported_dtype(dtype);
  }
}

template <class F>
decltype(auto) visit_numeric(keel_dtype_t dtype, F&& f) {
  switch (dtype) {
    case KEEL_DTYPE_F32: return f(Tag<float>{});
    case KEEL_DTYPE_F64: return f(Tag<double>{});
    case KEEL_DTYPE_I32: return f(Tag<int32_t>{});
    case KEEL_DTYPE_I64: return f(Tag<int64_t>{});
    default: unsupported_dtype(dtype);
  }
}

// bool is C++ bool: one byte holding 0 or 1, as the spec defines it.
template <class F>
decltype(auto) visit_all(keel_dtype_t dtype, F&& f) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return f(Tag<bool>{});
    case KEEL_DTYPE_F32: return f(Tag<float>{});
    case KEEL_DTYPE_F64: return f(Tag<double>{});
    case KEEL_DTYPE_I32: return f(Tag<int32_t>{});
    case KEEL_DTYPE_I64: return f(Tag<int64_t>{});
    default: unsupported_dtype(dtype);
  }
}

template <class List>
bool listed(const List& list, keel_dtype_t dtype) {
  for (const keel_dtype_t d : list) {
    if (d == dtype) return true;
  }
  return false;
}

// Declines unless every input and output has a dtype in `list`.
template <class List, class Call>
void require_dtypes(const Call& call, const List& list) {
  for (size_t i = 0; i < call.input_count(); ++i) {
    if (!listed(list, call.input(i).dtype)) decline("input ", i, " is ", dtype_name(call.input(i).dtype), ", not implemented");
  }
  for (size_t i = 0; i < call.output_count(); ++i) {
    if (!listed(list, call.output(i).dtype)) decline("output ", i, " is ", dtype_name(call.output(i).dtype), ", not implemented");
  }
}

}  // namespace keel::onednn
