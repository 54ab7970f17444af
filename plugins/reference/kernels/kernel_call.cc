#include "kernel_call.h"

#include <limits>

#include "handles.h"
#include "memory.h"

namespace keel::reference {
namespace {

View view_of(const keel_tensor_desc_t& desc, const char* role, size_t index) {
  if (desc.rank > KEEL_MAX_RANK) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, role, " ", index, " has rank ", desc.rank, " (at most ", KEEL_MAX_RANK, ")");
  }
  if (!dtype_implemented(desc.dtype)) fail_unimplemented_dtype(desc.dtype);
  if (desc.buffer == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, role, " ", index, " has no buffer");
  if (desc.byte_offset > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    fail(KEEL_STATUS_OUT_OF_RANGE, role, " ", index, " has byte_offset ", desc.byte_offset);
  }
  // The plugin's own buffer handle gives the base address and the size for the bounds check.
  const Buffer& buffer = *from_handle(desc.buffer);
  View view;
  view.memory = buffer.data();
  view.memory_size = buffer.size();
  view.byte_offset = static_cast<int64_t>(desc.byte_offset);
  view.dtype = desc.dtype;
  view.element_size = dtype_size(desc.dtype);
  view.shape = Shape::of({desc.shape, desc.rank});
  for (uint32_t k = 0; k < desc.rank; ++k) view.strides[k] = desc.strides[k];
  view.element_count();  // rejects negative dimensions
  return view;
}

}  // namespace

KernelCall::KernelCall(const keel_kernel_call_t& raw) : raw_(raw) {
  if (!KEEL_STRUCT_HAS(raw.struct_size, keel_kernel_call_t, output_count)) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "the call struct has size ", raw.struct_size, "; ABI 1.0 needs ",
         KEEL_STRUCT_SIZE_UNTIL(keel_kernel_call_t, output_count));
  }
}

View KernelCall::input(size_t index) const {
  if (index >= raw_.input_count) fail(KEEL_STATUS_INVALID_ARGUMENT, "input ", index, " is missing");
  return view_of(raw_.inputs[index], "input", index);
}

std::optional<View> KernelCall::optional_input(size_t index) const {
  if (index < raw_.input_count && raw_.inputs[index].dtype == KEEL_DTYPE_INVALID) return std::nullopt;
  return input(index);
}

View KernelCall::output(size_t index) const {
  if (index >= raw_.output_count) fail(KEEL_STATUS_INVALID_ARGUMENT, "output ", index, " is missing");
  return view_of(raw_.outputs[index], "output", index);
}

}  // namespace keel::reference
