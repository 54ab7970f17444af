// Element conversions the operator layers need, written out bit by bit so they do not depend on the host's
// float support: f16 and bf16 have no C++ type here, and NaN payloads must survive a widening and the
// narrowing back (the reference computes in f64; data-movement results are compared bit for bit).
#pragma once

#include <cstddef>
#include <cstdint>

#include "keel/keel_types.h"

namespace keel::conform {

bool is_float_dtype(keel_dtype_t dtype);    // f16, bf16, f32, f64
bool is_integer_dtype(keel_dtype_t dtype);  // i8, u8, i32, i64
size_t dtype_bytes(keel_dtype_t dtype);

// The value of one element as a double (integers beyond 2^53 lose precision: use read_integer for them).
double read_value(keel_dtype_t dtype, const uint8_t* element);
// Integers and bool exactly.
int64_t read_integer(keel_dtype_t dtype, const uint8_t* element);

// Stores `value` rounded to nearest, ties to even (floats; overflow gives ±inf, subnormals are kept), or
// truncated toward zero and clamped to the range (integers; NaN gives 0), or value != 0 (bool).
void write_value(keel_dtype_t dtype, double value, uint8_t* element);

// `value` rounded to the nearest value of a float dtype, as a double (ties to even, ±inf on overflow).
double round_to(keel_dtype_t dtype, double value);

// Converts a float element to f64 exactly; a NaN keeps its sign and payload bits (shifted up).
uint64_t widen_to_f64_bits(keel_dtype_t from, const uint8_t* element);
// The inverse for NaNs and exactly representable values; other values are rounded like write_value. A NaN
// keeps its sign and the top payload bits.
void narrow_from_f64_bits(keel_dtype_t to, uint64_t bits, uint8_t* element);

// Properties of a float dtype.
int mantissa_bits(keel_dtype_t dtype);  // with the hidden bit: f16 11, bf16 8, f32 24, f64 53
int min_exponent(keel_dtype_t dtype);   // of the smallest normal: f16 -14, bf16/f32 -126, f64 -1022
int max_exponent(keel_dtype_t dtype);   // of the largest finite: f16 15, bf16/f32 127, f64 1023
double epsilon_of(keel_dtype_t dtype);        // 2^(1 - mantissa_bits)
double smallest_normal_of(keel_dtype_t dtype);
double largest_finite_of(keel_dtype_t dtype);
// The spacing of `dtype` at magnitude |x|; subnormals share the smallest spacing; inf and NaN give NaN.
double ulp_of(keel_dtype_t dtype, double x);

}  // namespace keel::conform
