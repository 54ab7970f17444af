// One kernel invocation (keel_kernel_call_t) as the host side of the kernels uses it: tensors with device
// addresses, and the operator's attributes.
#pragma once

#include <cuda.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "keel/keel_plugin.h"
#include "runtime/host.h"

namespace keel::cuda {

class Buffer;

// Bytes per element of the dtypes this plugin computes; 0 for the others (i8, u8, unknown).
size_t dtype_size(keel_dtype_t dtype);
const char* dtype_name(keel_dtype_t dtype);

// A tensor of a call: keel_tensor_desc_t with the buffer resolved to a device address.
struct Tensor {
  keel_dtype_t dtype = KEEL_DTYPE_INVALID;
  uint32_t rank = 0;
  int64_t shape[KEEL_MAX_RANK] = {};
  int64_t strides[KEEL_MAX_RANK] = {};  // in elements
  size_t element_size = 0;
  const Buffer* buffer = nullptr;  // NULL in queries (supports)
  CUdeviceptr base = 0;            // address of element (0, ..., 0); 0 without a buffer
  bool absent = false;             // an absent optional input (dtype KEEL_DTYPE_INVALID)

  int64_t count() const;
  bool empty() const { return count() == 0; }
  // The bytes [first, end) of its buffer the tensor touches, relative to the buffer's start.
  void byte_span(int64_t* first, int64_t* end) const;
};

class KernelCall {
 public:
  // INVALID_ARGUMENT for a call struct older than ABI 1.0 or a malformed descriptor; UNIMPLEMENTED for a
  // dtype this plugin does not compute.
  explicit KernelCall(const keel_kernel_call_t& raw);

  const void* attrs() const { return raw_.attrs; }
  size_t input_count() const { return inputs_.size(); }
  size_t output_count() const { return outputs_.size(); }
  const Tensor& input(size_t index) const;
  const Tensor& output(size_t index) const;
  std::span<const Tensor> inputs() const { return inputs_; }

 private:
  const keel_kernel_call_t& raw_;
  std::vector<Tensor> inputs_;
  std::vector<Tensor> outputs_;
};

// Reading a keel_<op>_attrs_t: a caller built against older headers passes a smaller struct, and the fields
// its struct_size does not cover keep the spec defaults (keel_ops.h's _INIT values).
template <class Attrs, class Field>
size_t field_end(Field Attrs::*field) {
  const Attrs probe{};
  const auto* start = reinterpret_cast<const unsigned char*>(&probe);
  const auto* member = reinterpret_cast<const unsigned char*>(&(probe.*field));
  return static_cast<size_t>(member - start) + sizeof(Field);
}

template <class Attrs, class... Fields>
Attrs read_attrs(const void* raw, const Attrs& defaults, Fields Attrs::*... fields) {
  Attrs result = defaults;
  const auto* given = static_cast<const Attrs*>(raw);
  if (given == nullptr) return result;
  const auto take = [&](auto field) {
    if (given->struct_size >= field_end(field)) result.*field = given->*field;
  };
  (take(fields), ...);
  return result;
}

// An `ints` attribute as a span; INVALID_ARGUMENT for a NULL pointer with a non-zero count.
inline std::span<const int64_t> ints(const int64_t* values, size_t count, const char* name) {
  if (count == 0) return {};
  if (values == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute ", name, " has ", count, " entries but no data");
  return {values, count};
}

// An axis in [-rank, rank) as an index; INVALID_ARGUMENT outside.
uint32_t normalize_axis(int64_t axis, uint32_t rank, const char* what);

}  // namespace keel::cuda
