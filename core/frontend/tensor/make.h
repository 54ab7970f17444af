// Building tensors from storages and describing them to the C API. Internal to the front end.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include "keel/tensor.hpp"
#include "runtime/storage.h"

namespace keel::detail {

[[noreturn]] void fail(keel_status_code_t code, const std::string& message);

int64_t numel_of(std::span<const int64_t> shape);
// Dense row-major strides of `shape` into `strides`.
void dense_strides(std::span<const int64_t> shape, int64_t* strides);
bool is_dense(std::span<const int64_t> shape, std::span<const int64_t> strides);

// A tensor over `storage` (its reference is adopted); dense strides when `strides` is empty.
Tensor make_tensor(Storage* storage, Dtype dtype, std::span<const int64_t> shape, std::span<const int64_t> strides,
                   uint64_t byte_offset);
// A fresh dense tensor on `device` (uninitialized).
Tensor empty_on(DeviceState& device, Dtype dtype, std::span<const int64_t> shape);
// A tensor of `shape` filled with `value` on `device` (the spec's full operator).
Tensor full_on(DeviceState& device, Dtype dtype, std::span<const int64_t> shape, double value);
// Another view of `base`'s storage (no autograd state).
Tensor view_of(const Tensor& base, std::span<const int64_t> shape, std::span<const int64_t> strides,
               uint64_t byte_offset);

inline DeviceState& device_of(const Tensor& tensor) { return *tensor.impl()->storage->device; }

// The tensor as the C API takes it; an undefined tensor is an absent optional input. Inline: every eager call
// describes each of its tensors, and an out-of-line call returns the struct through a stack copy.
inline keel_tensor_t c_tensor(const Tensor& tensor) {
  keel_tensor_t t;
  if (!tensor.defined()) {
    std::memset(&t, 0, sizeof(t));
    return t;
  }
  const TensorImpl& impl = *tensor.impl();
  t.buffer = impl.storage->buffer();
  t.dtype = static_cast<keel_dtype_t>(impl.dtype);
  t.rank = impl.rank;
  std::memcpy(t.shape, impl.shape, sizeof(t.shape));
  std::memcpy(t.strides, impl.strides, sizeof(t.strides));
  t.byte_offset = impl.byte_offset;
  return t;
}

// Normalizes a possibly negative axis against `rank`; INVALID_ARGUMENT outside [-rank, rank).
int64_t normalize_axis(int64_t axis, int64_t rank, const char* what);

}  // namespace keel::detail
