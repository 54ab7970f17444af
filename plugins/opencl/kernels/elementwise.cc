// Plans of the elementwise operators (unary, binary, comparison, where): one launch of a generated kernel,
// _dense when every tensor is contiguous after collapsing axes, _strided otherwise.
#include <vector>

#include "device.h"
#include "kernels/call.h"
#include "kernels/dtype.h"
#include "kernels/elementwise_ops.h"
#include "kernels/elementwise_plan.h"
#include "kernels/programs.h"

namespace keel::opencl {

ElementwisePlan::ElementwisePlan(Device& device, const ProgramSpec& spec, const std::string& kernel_base,
                                 std::span<const View> views)
    : layout_(joint_layout(views)), tensors_(views.size()) {
  dense_ = is_dense(layout_, tensors_);
  Program& program = device.programs().get(spec);
  kernel_ = &program.kernel(kernel_base + (dense_ ? "_dense" : "_strided"));
  range_ = linear_range(static_cast<uint64_t>(layout_.count), element_group_size(*kernel_));
}

void ElementwisePlan::run(Queue& queue, const keel_kernel_call_t& call) const {
  // Tensor 0 is the output, then the inputs in order.
  const auto desc = [&](size_t t) -> const keel_tensor_desc_t& {
    return t == 0 ? output_desc(call, 0) : input_desc(call, t - 1);
  };
  KernelArgs args;
  if (dense_) {
    for (size_t t = 0; t < tensors_; ++t) args.mem(buffer_of(desc(t))).value<cl_long>(element_offset(desc(t)));
    args.value<cl_long>(layout_.count);
  } else {
    ClLayout layout = layout_;
    for (size_t t = 0; t < tensors_; ++t) {
      args.mem(buffer_of(desc(t)));
      layout.offset[t] = element_offset(desc(t));
    }
    args.value(layout);
  }
  submit(queue, *kernel_, std::move(args), range_);
}

std::unique_ptr<Plan> make_elementwise_plan(Device& device, const ProgramSpec& program,
                                            const std::string& kernel_base, const keel_kernel_call_t& call) {
  const View y = view_of(output_desc(call, 0));
  std::vector<View> views = {y};
  for (size_t i = 0; i < call.input_count; ++i) {
    views.push_back(broadcast_to(view_of(input_desc(call, i)), y.rank, y.shape.data()));
  }
  if (y.count() == 0) return std::make_unique<EmptyPlan>();
  return std::make_unique<ElementwisePlan>(device, program, kernel_base, views);
}

std::unique_ptr<Plan> plan_elementwise(Device& device, const keel_kernel_call_t& call) {
  if (std::string_view(call.op_name) == "where") {
    const keel_tensor_desc_t& a = input_desc(call, 1);
    if (input_desc(call, 0).dtype != KEEL_DTYPE_BOOL || input_desc(call, 2).dtype != a.dtype ||
        output_desc(call, 0).dtype != a.dtype) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "where needs a bool condition and a, b and y of one dtype");
    }
    const size_t size = dtype_size(a.dtype);
    return make_elementwise_plan(device, where_program(size), where_kernel_name(size), call);
  }
  const ElementwiseOp& op = elementwise_family(call);
  const keel_dtype_t dtype = input_desc(call, 0).dtype;
  for (size_t i = 1; i < call.input_count; ++i) {
    if (input_desc(call, i).dtype != dtype) fail(KEEL_STATUS_INVALID_ARGUMENT, "the inputs differ in dtype");
  }
  if (static_cast<int>(call.input_count) != op.arity) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, call.op_name, " takes ", op.arity, " input(s), not ", call.input_count);
  }
  const keel_dtype_t expected_out = op.to_bool ? keel_dtype_t{KEEL_DTYPE_BOOL} : dtype;
  if (output_desc(call, 0).dtype != expected_out) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "output y is ", dtype_name(output_desc(call, 0).dtype), ", not ",
         dtype_name(expected_out));
  }
  return make_elementwise_plan(device, elementwise_program(op, dtype), elementwise_kernel_name(op.family, dtype),
                               call);
}

}  // namespace keel::opencl
