// keel::ops::call: any spec operator by name, with its C attribute struct (the dynamic form of keel/ops.hpp).
#include <string>

#include "dispatch/dispatch.h"
#include "dispatch/op_table.h"
#include "tensor/make.h"

namespace keel::ops {

std::vector<Tensor> call(std::string_view name, std::span<const Tensor> inputs, const void* attrs,
                         const std::optional<Device>& device) {
  const int32_t op = detail::find_op_index(name);
  if (op < 0) detail::fail(KEEL_STATUS_NOT_FOUND, "no operator named '" + std::string(name) + "' in the spec");
  std::vector<const Tensor*> pointers;
  for (const Tensor& t : inputs) pointers.push_back(&t);
  return detail::run_op(op, attrs, pointers, &device);
}

}  // namespace keel::ops
