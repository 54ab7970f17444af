#include "kernels/call.h"

#include <string_view>

#include "runtime/memory.h"

namespace keel::cuda {
namespace {

Tensor tensor_of(const keel_tensor_desc_t& desc, const char* role, size_t index) {
  if (desc.rank > KEEL_MAX_RANK) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, role, " ", index, " has rank ", desc.rank, " (at most ", KEEL_MAX_RANK, ")");
  }
  Tensor tensor;
  if (desc.dtype == KEEL_DTYPE_INVALID && std::string_view(role) == "input") {
    tensor.absent = true;  // the host validated that this optional input may be absent
    return tensor;
  }
  tensor.dtype = desc.dtype;
  tensor.element_size = dtype_size(desc.dtype);
  if (tensor.element_size == 0) {
    fail(KEEL_STATUS_UNIMPLEMENTED, role, " ", index, " is ", dtype_name(desc.dtype),
         ", which the CUDA plugin does not handle");
  }
  tensor.rank = desc.rank;
  for (uint32_t d = 0; d < desc.rank; ++d) {
    if (desc.shape[d] < 0) fail(KEEL_STATUS_INVALID_ARGUMENT, role, " ", index, " has a negative dimension");
    tensor.shape[d] = desc.shape[d];
    tensor.strides[d] = desc.strides[d];
  }
  if (desc.buffer != nullptr) {
    const Buffer& buffer = *reinterpret_cast<const Buffer*>(desc.buffer);
    tensor.buffer = &buffer;
    tensor.base = buffer.address() + desc.byte_offset;
    // The host checked the view against the buffer; a second check here keeps a host bug from becoming an
    // out-of-bounds access on the device.
    int64_t first = 0, end = 0;
    tensor.byte_span(&first, &end);
    if (!tensor.empty() && (first < 0 || static_cast<uint64_t>(end) > buffer.size())) {
      fail(KEEL_STATUS_OUT_OF_RANGE, role, " ", index, " reaches outside its buffer of ", buffer.size(), " bytes");
    }
  }
  return tensor;
}

}  // namespace

size_t dtype_size(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL:
    case KEEL_DTYPE_I8:
    case KEEL_DTYPE_U8: return 1;
    case KEEL_DTYPE_F16:
    case KEEL_DTYPE_BF16: return 2;
    case KEEL_DTYPE_I32:
    case KEEL_DTYPE_F32: return 4;
    case KEEL_DTYPE_I64:
    case KEEL_DTYPE_F64: return 8;
    default: return 0;
  }
}

const char* dtype_name(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return "bool";
    case KEEL_DTYPE_I8: return "i8";
    case KEEL_DTYPE_U8: return "u8";
    case KEEL_DTYPE_I32: return "i32";
    case KEEL_DTYPE_I64: return "i64";
    case KEEL_DTYPE_F16: return "f16";
    case KEEL_DTYPE_BF16: return "bf16";
    case KEEL_DTYPE_F32: return "f32";
    case KEEL_DTYPE_F64: return "f64";
    default: return "invalid";
  }
}

int64_t Tensor::count() const {
  int64_t total = 1;
  for (uint32_t d = 0; d < rank; ++d) total *= shape[d];
  return total;
}

void Tensor::byte_span(int64_t* first, int64_t* end) const {
  const auto* buffer_start = buffer;
  int64_t low = 0, high = 0;
  for (uint32_t d = 0; d < rank; ++d) {
    const int64_t reach = (shape[d] - 1) * strides[d];
    (reach < 0 ? low : high) += reach;
  }
  const int64_t offset = buffer_start == nullptr ? 0 : static_cast<int64_t>(base - buffer_start->address());
  const int64_t size = static_cast<int64_t>(element_size);
  *first = offset + low * size;
  *end = offset + (high + 1) * size;
}

KernelCall::KernelCall(const keel_kernel_call_t& raw) : raw_(raw) {
  if (!KEEL_STRUCT_HAS(raw.struct_size, keel_kernel_call_t, output_count)) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "the call struct has size ", raw.struct_size, "; ABI 1.0 needs ",
         KEEL_STRUCT_SIZE_UNTIL(keel_kernel_call_t, output_count));
  }
  if ((raw.input_count > 0 && raw.inputs == nullptr) || (raw.output_count > 0 && raw.outputs == nullptr)) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "the call lists tensors without descriptors");
  }
  inputs_.reserve(raw.input_count);
  for (size_t i = 0; i < raw.input_count; ++i) inputs_.push_back(tensor_of(raw.inputs[i], "input", i));
  outputs_.reserve(raw.output_count);
  for (size_t i = 0; i < raw.output_count; ++i) outputs_.push_back(tensor_of(raw.outputs[i], "output", i));
}

const Tensor& KernelCall::input(size_t index) const {
  if (index >= inputs_.size()) fail(KEEL_STATUS_INVALID_ARGUMENT, "input ", index, " is missing");
  return inputs_[index];
}

const Tensor& KernelCall::output(size_t index) const {
  if (index >= outputs_.size()) fail(KEEL_STATUS_INVALID_ARGUMENT, "output ", index, " is missing");
  return outputs_[index];
}

uint32_t normalize_axis(int64_t axis, uint32_t rank, const char* what) {
  const int64_t r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) fail(KEEL_STATUS_INVALID_ARGUMENT, what, " ", axis, " is outside [", -r, ", ", r, ")");
  return static_cast<uint32_t>(axis < 0 ? axis + r : axis);
}

}  // namespace keel::cuda
