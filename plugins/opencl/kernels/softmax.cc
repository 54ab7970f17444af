// softmax and log_softmax (ir_spec/ops/softmax.yaml): per slice along the axis, the maximum, the sum of
// exp(x - max), then y = exp(x - max) / sum or y = (x - max) - log(sum), all in the input's type. One work-group per
// slice with tree reductions in local memory, or one work-item per slice for short slices over many slices. Its
// programs are made in reduce.cc.
#include <algorithm>
#include <string>
#include <string_view>

#include "device.h"
#include "keel/keel_ops.h"
#include "kernels/args.h"
#include "kernels/attrs.h"
#include "kernels/call.h"
#include "kernels/dtype.h"
#include "kernels/launch.h"
#include "kernels/ops.h"
#include "kernels/programs.h"

namespace keel::opencl {
namespace {

class SoftmaxPlan final : public Plan {
 public:
  SoftmaxPlan(Kernel& kernel, ClSoftmaxArgs args, Range range, size_t local_bytes)
      : kernel_(kernel), args_(args), range_(range), local_bytes_(local_bytes) {}

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const keel_tensor_desc_t& x = input_desc(call, 0);
    const keel_tensor_desc_t& y = output_desc(call, 0);
    ClSoftmaxArgs args = args_;
    args.slices.offset[0] = element_offset(y);
    args.slices.offset[1] = element_offset(x);
    KernelArgs launch;
    launch.mem(buffer_of(y)).mem(buffer_of(x)).value(args);
    if (local_bytes_ > 0) launch.local(local_bytes_);
    submit(queue, kernel_, std::move(launch), range_);
  }

 private:
  Kernel& kernel_;
  ClSoftmaxArgs args_;
  Range range_;
  size_t local_bytes_;  // 0: the _rows kernel
};

}  // namespace

std::unique_ptr<Plan> plan_softmax(Device& device, const keel_kernel_call_t& call) {
  // softmax and log_softmax have attribute structs of the same layout.
  static_assert(sizeof(keel_softmax_attrs_t) == sizeof(keel_log_softmax_attrs_t));
  constexpr keel_softmax_attrs_t kDefaults = KEEL_SOFTMAX_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &keel_softmax_attrs_t::axis);
  const bool log = std::string_view(call.op_name) == "log_softmax";
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  if (x.dtype != y.dtype) fail(KEEL_STATUS_INVALID_ARGUMENT, "input and output dtypes differ");
  require_shape(y, x.rank, x.shape.data(), "output y");
  const uint32_t axis = normalize_axis(attrs.axis, x.rank, "axis");
  if (x.count() == 0) return std::make_unique<EmptyPlan>();

  View x_other, y_other;  // every axis but the softmax axis
  x_other.dtype = y_other.dtype = x.dtype;
  for (uint32_t k = 0; k < x.rank; ++k) {
    if (k == axis) continue;
    x_other.shape[x_other.rank] = y_other.shape[y_other.rank] = x.shape[k];
    x_other.strides[x_other.rank++] = x.strides[k];
    y_other.strides[y_other.rank++] = y.strides[k];
  }
  const View others[] = {y_other, x_other};
  ClSoftmaxArgs args;
  args.length = x.shape[axis];
  args.x_step = x.strides[axis];
  args.y_step = y.strides[axis];
  args.slices = joint_layout(others);
  const int64_t slices = args.slices.count;

  Program& program = device.programs().get(softmax_program(x.dtype, log));
  const std::string suffix = concat(log ? "log_" : "", dtype_name(x.dtype));
  const int64_t units = std::max<int64_t>(device.info().compute_units, 1);
  if (args.length <= 32 || slices >= 64 * units) {
    Kernel& rows = program.kernel("keel_softmax_rows_" + suffix);
    return std::make_unique<SoftmaxPlan>(rows, args, linear_range(static_cast<uint64_t>(slices), element_group_size(rows)),
                                         0);
  }
  Kernel& grouped = program.kernel("keel_softmax_" + suffix);
  size_t group = 1;
  while (group * 2 <= std::min<size_t>({128, grouped.work_group_size(), static_cast<size_t>(args.length)})) group *= 2;
  Range range;
  range.local[0] = group;
  range.global[0] = static_cast<size_t>(slices) * group;
  return std::make_unique<SoftmaxPlan>(grouped, args, range, group * dtype_size(x.dtype));
}

}  // namespace keel::opencl
