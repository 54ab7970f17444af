// topk (ir_spec/ops/scan_sort.yaml): the k first elements of each slice in the spec's exact order.
#include <array>
#include <string>

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

// Mirrors keel_topk_args of kernels/cl/topk.cl.
struct ClTopkArgs {
  int64_t length = 0;
  int64_t k = 0;
  int64_t largest = 1;
  int64_t sorted = 1;
  int64_t values_step = 0;
  int64_t indices_step = 0;
  int64_t x_step = 0;
  ClLayout slices;
};
static_assert(sizeof(ClTopkArgs) == 7 * 8 + sizeof(ClLayout));

class TopkPlan final : public Plan {
 public:
  TopkPlan(Kernel& kernel, ClTopkArgs args) : kernel_(kernel), args_(args) {
    range_ = linear_range(static_cast<uint64_t>(args_.slices.count), element_group_size(kernel_));
  }

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const keel_tensor_desc_t& values = output_desc(call, 0);
    const keel_tensor_desc_t& indices = output_desc(call, 1);
    const keel_tensor_desc_t& x = input_desc(call, 0);
    ClTopkArgs args = args_;
    args.slices.offset[0] = element_offset(values);
    args.slices.offset[1] = element_offset(indices);
    args.slices.offset[2] = element_offset(x);
    KernelArgs launch;
    launch.mem(buffer_of(values)).mem(buffer_of(indices)).mem(buffer_of(x)).value(args);
    submit(queue, kernel_, std::move(launch), range_);
  }

 private:
  Kernel& kernel_;
  ClTopkArgs args_;
  Range range_;
};

}  // namespace

ProgramSpec topk_program(keel_dtype_t dtype) {
  return {concat("topk/", dtype_name(dtype)), [dtype](const DeviceInfo& /*device*/) {
            std::string source;
            if (dtype == KEEL_DTYPE_F64) source += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
            source += cl_sources::common;
            source += concat("#define KEEL_T ", cl_type(dtype), "\n#define KEEL_NAME(x) x##_", dtype_name(dtype),
                             "\n#define KEEL_IS_NAN(v) ", is_float(dtype) ? "isnan(v)" : "0", "\n");
            source += cl_sources::topk;
            return source;
          }};
}

std::unique_ptr<Plan> plan_topk(Device& device, const keel_kernel_call_t& call) {
  using A = keel_topk_attrs_t;
  constexpr A kDefaults = KEEL_TOPK_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &A::k, &A::axis, &A::largest, &A::sorted);
  const View x = view_of(input_desc(call, 0));
  const View values = view_of(output_desc(call, 0));
  const View indices = view_of(output_desc(call, 1));
  if (values.dtype != x.dtype || indices.dtype != KEEL_DTYPE_I64) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "values needs x's dtype and indices i64");
  }
  const uint32_t axis = normalize_axis(attrs.axis, x.rank, "axis");
  if (attrs.k < 0 || attrs.k > x.shape[axis]) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute k is ", attrs.k, " for an axis of ", x.shape[axis]);
  }
  std::array<int64_t, kMaxRank> expected = x.shape;
  expected[axis] = attrs.k;
  require_shape(values, x.rank, expected.data(), "output values");
  require_shape(indices, x.rank, expected.data(), "output indices");
  if (values.count() == 0) return std::make_unique<EmptyPlan>();
  View others[3];  // every axis but the selected one, of values, indices and x
  for (uint32_t k = 0; k < x.rank; ++k) {
    if (k == axis) continue;
    const View* sources[] = {&values, &indices, &x};
    for (size_t t = 0; t < 3; ++t) {
      others[t].dtype = sources[t]->dtype;
      others[t].shape[others[t].rank] = x.shape[k];
      others[t].strides[others[t].rank++] = sources[t]->strides[k];
    }
  }
  ClTopkArgs args;
  args.length = x.shape[axis];
  args.k = attrs.k;
  args.largest = attrs.largest ? 1 : 0;
  args.sorted = attrs.sorted ? 1 : 0;
  args.values_step = values.strides[axis];
  args.indices_step = indices.strides[axis];
  args.x_step = x.strides[axis];
  args.slices = joint_layout(others);
  Program& program = device.programs().get(topk_program(x.dtype));
  return std::make_unique<TopkPlan>(program.kernel(concat("keel_topk_", dtype_name(x.dtype))), args);
}

}  // namespace keel::opencl
