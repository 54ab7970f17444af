// One kernel invocation (keel_kernel_call_t) as the kernels use it: views of the tensors and the attributes.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "keel/keel_plugin.h"
#include "view.h"

namespace keel::reference {

class KernelCall {
 public:
  // INVALID_ARGUMENT when the call struct is older than ABI 1.0's.
  explicit KernelCall(const keel_kernel_call_t& raw);

  std::string_view op_name() const { return raw_.op_name; }
  const void* attrs() const { return raw_.attrs; }
  size_t input_count() const { return raw_.input_count; }
  size_t output_count() const { return raw_.output_count; }

  // Views of the tensors; each checks its descriptor (rank, dtype, buffer). Element bounds are checked when
  // the view is read or written.
  View input(size_t index) const;
  View output(size_t index) const;
  // An optional input: nullopt when the caller left it absent (a descriptor of dtype KEEL_DTYPE_INVALID).
  std::optional<View> optional_input(size_t index) const;

 private:
  const keel_kernel_call_t& raw_;
};

}  // namespace keel::reference
