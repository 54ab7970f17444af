// cast (ir_spec/ops/cast.yaml): a generated conversion kernel per dtype pair; the same dtype is a bit copy.
#include "keel/keel_ops.h"
#include "kernels/attrs.h"
#include "kernels/call.h"
#include "kernels/copy_plan.h"
#include "kernels/dtype.h"
#include "kernels/elementwise_plan.h"
#include "kernels/ops.h"
#include "kernels/programs.h"

namespace keel::opencl {

std::unique_ptr<Plan> plan_cast(Device& device, const keel_kernel_call_t& call) {
  constexpr keel_cast_attrs_t kDefaults = KEEL_CAST_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &keel_cast_attrs_t::to);
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  if (attrs.to != y.dtype) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute to is ", dtype_name(attrs.to), " but output y is ", dtype_name(y.dtype));
  }
  require_shape(y, x.rank, x.shape.data(), "output y");
  if (x.dtype == y.dtype) return make_copy_plan(device, y, x);
  return make_elementwise_plan(device, cast_program(x.dtype, y.dtype), cast_kernel_name(x.dtype, y.dtype), call);
}

}  // namespace keel::opencl
