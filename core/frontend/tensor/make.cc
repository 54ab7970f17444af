#include "tensor/make.h"

#include <algorithm>
#include <cstring>

#include "autograd/graph.h"

namespace keel::detail {

void fail(keel_status_code_t code, const std::string& message) { throw Error(code, message, "keel"); }

int64_t numel_of(std::span<const int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

void dense_strides(std::span<const int64_t> shape, int64_t* strides) {
  int64_t stride = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i] = stride;
    stride *= shape[i] > 0 ? shape[i] : 1;
  }
}

bool is_dense(std::span<const int64_t> shape, std::span<const int64_t> strides) {
  int64_t expected = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    if (shape[i] == 0) return true;
    if (shape[i] != 1 && strides[i] != expected) return false;
    expected *= shape[i];
  }
  return true;
}

void destroy(TensorImpl* impl) noexcept {
  delete impl->autograd;
  if (impl->storage != nullptr) release(impl->storage);
  delete impl;
}

Tensor make_tensor(Storage* storage, Dtype dtype, std::span<const int64_t> shape, std::span<const int64_t> strides,
                   uint64_t byte_offset) {
  if (shape.size() > KEEL_MAX_RANK) {
    release(storage);
    fail(KEEL_STATUS_INVALID_ARGUMENT, "rank " + std::to_string(shape.size()) + " is above KEEL_MAX_RANK (8)");
  }
  auto* impl = new TensorImpl;
  impl->dtype = dtype;
  impl->rank = static_cast<uint32_t>(shape.size());
  std::copy(shape.begin(), shape.end(), impl->shape);  // not memcpy: a 0-D shape's data() may be null
  if (strides.empty()) {
    dense_strides(shape, impl->strides);
  } else {
    std::copy(strides.begin(), strides.end(), impl->strides);
  }
  impl->byte_offset = byte_offset;
  impl->storage = storage;
  return Tensor(impl);
}

Tensor empty_on(DeviceState& device, Dtype dtype, std::span<const int64_t> shape) {
  for (int64_t d : shape) {
    if (d < 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "negative dimension " + std::to_string(d));
  }
  const uint64_t bytes = static_cast<uint64_t>(numel_of(shape)) * dtype_size(dtype);
  return make_tensor(new_storage(device, bytes), dtype, shape, {}, 0);
}

Tensor view_of(const Tensor& base, std::span<const int64_t> shape, std::span<const int64_t> strides,
               uint64_t byte_offset) {
  Storage* storage = base.impl()->storage;
  retain(storage);
  return make_tensor(storage, base.dtype(), shape, strides, byte_offset);
}

int64_t normalize_axis(int64_t axis, int64_t rank, const char* what) {
  if (axis < -rank || axis >= rank) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, std::string(what) + ": axis " + std::to_string(axis) + " is outside [" +
                                           std::to_string(-rank) + ", " + std::to_string(rank) + ")");
  }
  return axis < 0 ? axis + rank : axis;
}

}  // namespace keel::detail
