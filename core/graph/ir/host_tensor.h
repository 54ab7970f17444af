// A dense row-major tensor in host memory: graph constants (initializers), executor inputs and outputs,
// .npy files and ONNX TensorProtos all meet here.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "graph/ir/value_type.h"
#include "keel/keel_types.h"

namespace keel::graph {

class HostTensor {
 public:
  HostTensor() = default;
  // Zero-filled. Throws keel::Error (INVALID_ARGUMENT) for a negative dimension, a rank above KEEL_MAX_RANK,
  // an unknown dtype, or a size that overflows.
  HostTensor(keel_dtype_t dtype, std::vector<int64_t> shape);
  // Takes the bytes as they are; their count must match the dtype and shape.
  HostTensor(keel_dtype_t dtype, std::vector<int64_t> shape, std::vector<uint8_t> bytes);

  template <class T>
  static HostTensor from(keel_dtype_t dtype, std::vector<int64_t> shape, std::span<const T> values) {
    HostTensor t(dtype, std::move(shape));
    for (size_t i = 0; i < values.size() && static_cast<int64_t>(i) < t.numel(); ++i) {
      t.set(static_cast<int64_t>(i), static_cast<double>(values[i]));
    }
    return t;
  }
  // A 1-D i64 tensor.
  static HostTensor from_ints(std::span<const int64_t> values);
  // A 0-D tensor of `dtype` holding `value` (converted with the cast rules of set()).
  static HostTensor scalar(keel_dtype_t dtype, double value);

  keel_dtype_t dtype() const { return dtype_; }
  const std::vector<int64_t>& shape() const { return shape_; }
  size_t rank() const { return shape_.size(); }
  int64_t numel() const { return numel_; }
  size_t nbytes() const { return bytes_.size(); }
  const uint8_t* data() const { return bytes_.data(); }
  uint8_t* data() { return bytes_.data(); }
  std::span<const uint8_t> bytes() const { return bytes_; }
  ValueType type() const { return ValueType::of(dtype_, shape_); }

  template <class T>
  const T* as() const { return reinterpret_cast<const T*>(bytes_.data()); }
  template <class T>
  T* as() { return reinterpret_cast<T*>(bytes_.data()); }

  // Element `i` (row-major) converted to double / int64 (f16 and bf16 decoded; bool 0/1; a float truncates
  // toward zero for as_int).
  double get(int64_t i) const;
  int64_t get_int(int64_t i) const;
  // Stores `value` converted to the dtype: rounding to nearest even for f16/bf16, truncation toward zero for
  // integers (saturating), != 0 for bool.
  void set(int64_t i, double value);
  void set_int(int64_t i, int64_t value);

  // Every element as int64 / double.
  std::vector<int64_t> to_ints() const;
  std::vector<double> to_doubles() const;

  bool same_bits(const HostTensor& other) const {
    return dtype_ == other.dtype_ && shape_ == other.shape_ && bytes_ == other.bytes_;
  }

 private:
  keel_dtype_t dtype_ = KEEL_DTYPE_INVALID;
  std::vector<int64_t> shape_;
  int64_t numel_ = 0;
  std::vector<uint8_t> bytes_;
};

using ConstTensor = std::shared_ptr<const HostTensor>;

// IEEE binary16 and bfloat16 conversions (round to nearest even; NaN stays NaN).
float half_to_float(uint16_t bits);
uint16_t float_to_half(float value);
float bfloat_to_float(uint16_t bits);
uint16_t float_to_bfloat(float value);

}  // namespace keel::graph
