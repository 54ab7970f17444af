// argmax argmin (ir_spec/ops/reduction.yaml): the i64 position of the first maximum (minimum) along one axis,
// one work-item per output.
#include <array>
#include <string>
#include <string_view>

#include "device.h"
#include "keel/keel_ops.h"
#include "kernels/attrs.h"
#include "kernels/call.h"
#include "kernels/cl_sources.h"
#include "kernels/dtype.h"
#include "kernels/launch.h"
#include "kernels/ops.h"
#include "kernels/programs.h"

namespace keel::opencl {
namespace {

// Mirrors keel_arg_reduce_args of kernels/cl/arg_reduce.cl.
struct ClArgReduceArgs {
  int64_t length = 0;
  int64_t x_step = 0;
  ClLayout slices;
};
static_assert(sizeof(ClArgReduceArgs) == 2 * 8 + sizeof(ClLayout));

class ArgReducePlan final : public Plan {
 public:
  ArgReducePlan(Kernel& kernel, ClArgReduceArgs args, Range range) : kernel_(kernel), args_(args), range_(range) {}

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const keel_tensor_desc_t& x = input_desc(call, 0);
    const keel_tensor_desc_t& y = output_desc(call, 0);
    ClArgReduceArgs args = args_;
    args.slices.offset[0] = element_offset(y);
    args.slices.offset[1] = element_offset(x);
    KernelArgs launch;
    launch.mem(buffer_of(y)).mem(buffer_of(x)).value(args);
    submit(queue, kernel_, std::move(launch), range_);
  }

 private:
  Kernel& kernel_;
  ClArgReduceArgs args_;
  Range range_;
};

}  // namespace

ProgramSpec arg_reduce_program(keel_dtype_t dtype) {
  return {concat("arg_reduce/", dtype_name(dtype)), [dtype](const DeviceInfo& /*device*/) {
            std::string source;
            if (dtype == KEEL_DTYPE_F64) source += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
            source += cl_sources::common;
            source += concat("#define KEEL_T ", cl_type(dtype), "\n#define KEEL_NAME(x) x##_", dtype_name(dtype), "\n",
                             "#define KEEL_IS_NAN(v) ", is_float(dtype) ? "isnan(v)" : "0", "\n");
            source += cl_sources::arg_reduce;
            return source;
          }};
}

std::unique_ptr<Plan> plan_arg_reduce(Device& device, const keel_kernel_call_t& call) {
  static_assert(sizeof(keel_argmax_attrs_t) == sizeof(keel_argmin_attrs_t));
  constexpr keel_argmax_attrs_t kDefaults = KEEL_ARGMAX_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &keel_argmax_attrs_t::axis, &keel_argmax_attrs_t::keepdims);
  const bool max = std::string_view(call.op_name) == "argmax";
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  if (y.dtype != KEEL_DTYPE_I64) fail(KEEL_STATUS_INVALID_ARGUMENT, "output y is ", dtype_name(y.dtype), ", not i64");
  const uint32_t axis = normalize_axis(attrs.axis, x.rank, "axis");
  if (x.shape[axis] == 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "axis ", axis, " of x is empty");

  // y's axes are x's without `axis` (or with it as size 1): views over every other axis of both.
  View x_other, y_other;
  x_other.dtype = x.dtype;
  y_other.dtype = y.dtype;
  std::array<int64_t, kMaxRank> expected{};
  uint32_t expected_rank = 0;
  for (uint32_t k = 0; k < x.rank; ++k) {
    if (k == axis) {
      if (attrs.keepdims) expected[expected_rank++] = 1;
      continue;
    }
    const uint32_t y_axis = expected_rank;
    expected[expected_rank++] = x.shape[k];
    x_other.shape[x_other.rank] = y_other.shape[y_other.rank] = x.shape[k];
    x_other.strides[x_other.rank++] = x.strides[k];
    y_other.strides[y_other.rank++] = y_axis < y.rank ? y.strides[y_axis] : 0;
  }
  require_shape(y, expected_rank, expected.data(), "output y");
  if (y.count() == 0) return std::make_unique<EmptyPlan>();
  const View others[] = {y_other, x_other};
  ClArgReduceArgs args;
  args.length = x.shape[axis];
  args.x_step = x.strides[axis];
  args.slices = joint_layout(others);
  Program& program = device.programs().get(arg_reduce_program(x.dtype));
  Kernel& kernel = program.kernel(concat(max ? "keel_argmax_" : "keel_argmin_", dtype_name(x.dtype)));
  const Range range = linear_range(static_cast<uint64_t>(args.slices.count), element_group_size(kernel));
  return std::make_unique<ArgReducePlan>(kernel, args, range);
}

}  // namespace keel::opencl
