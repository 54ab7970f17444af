// cumsum (ir_spec/ops/scan_sort.yaml): one work-item per slice along the axis sums in order. nonzero
// (indexing.yaml): one work-item compacts the coordinates in order.
#include <string>

#include "device.h"
#include "keel/keel_ops.h"
#include "kernels/args.h"
#include "kernels/attrs.h"
#include "kernels/call.h"
#include "kernels/cl_sources.h"
#include "kernels/dtype.h"
#include "kernels/launch.h"
#include "kernels/ops.h"
#include "kernels/programs.h"

namespace keel::opencl {
namespace {

class ScanPlan final : public Plan {
 public:
  ScanPlan(Kernel& kernel, ClSoftmaxArgs args, bool exclusive, bool reverse)
      : kernel_(kernel), args_(args), exclusive_(exclusive), reverse_(reverse) {
    range_ = linear_range(static_cast<uint64_t>(args_.slices.count), element_group_size(kernel_));
  }

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const keel_tensor_desc_t& x = input_desc(call, 0);
    const keel_tensor_desc_t& y = output_desc(call, 0);
    ClSoftmaxArgs args = args_;
    args.slices.offset[0] = element_offset(y);
    args.slices.offset[1] = element_offset(x);
    KernelArgs launch;
    launch.mem(buffer_of(y)).mem(buffer_of(x)).value(args);
    launch.value<cl_long>(exclusive_ ? 1 : 0).value<cl_long>(reverse_ ? 1 : 0);
    submit(queue, kernel_, std::move(launch), range_);
  }

 private:
  Kernel& kernel_;
  ClSoftmaxArgs args_;
  bool exclusive_;
  bool reverse_;
  Range range_;
};

class NonzeroPlan final : public Plan {
 public:
  NonzeroPlan(Kernel& kernel, ClSide side, int64_t numel, int64_t row, int64_t col)
      : kernel_(kernel), side_(side), numel_(numel), row_(row), col_(col) {}

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const keel_tensor_desc_t& indices = output_desc(call, 0);
    const keel_tensor_desc_t& count = output_desc(call, 1);
    const keel_tensor_desc_t& x = input_desc(call, 0);
    ClSide side = side_;
    side.offset += element_offset(x);
    KernelArgs launch;
    // An empty indices (0-D or empty x) is never written; count's buffer stands in for it.
    const bool has_indices = numel_ > 0 && side_.rank > 0;
    launch.mem(has_indices ? buffer_of(indices) : buffer_of(count)).mem(buffer_of(count));
    launch.mem(numel_ > 0 ? buffer_of(x) : buffer_of(count)).value(side).value<cl_long>(numel_);
    launch.value<cl_long>(has_indices ? element_offset(indices) : 0).value<cl_long>(row_).value<cl_long>(col_);
    launch.value<cl_long>(element_offset(count));
    submit(queue, kernel_, std::move(launch), Range{});
  }

 private:
  Kernel& kernel_;
  ClSide side_;
  int64_t numel_;
  int64_t row_;
  int64_t col_;
};

}  // namespace

ProgramSpec scan_program(keel_dtype_t dtype) {
  return {concat("scan/", dtype_name(dtype)), [dtype](const DeviceInfo& /*device*/) {
            std::string source;
            if (dtype == KEEL_DTYPE_F64) source += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
            source += cl_sources::common;
            source += concat("#define KEEL_T ", cl_type(dtype), "\n#define KEEL_NAME(x) x##_", dtype_name(dtype), "\n");
            if (is_float(dtype)) {
              source += "#define KEEL_ZERO ((KEEL_T)-0.0)\n#define KEEL_ADD(a, b) ((a) + (b))\n";
            } else if (dtype == KEEL_DTYPE_BOOL) {
              // Only nonzero runs on bool; cumsum is not registered for it.
              source += "#define KEEL_ZERO ((KEEL_T)0)\n#define KEEL_ADD(a, b) (KEEL_T)((a) | (b))\n";
            } else {
              source += concat("#define KEEL_ZERO ((KEEL_T)0)\n#define KEEL_ADD(a, b) as_", cl_type(dtype), "(as_",
                               cl_unsigned_type(dtype), "(a) + as_", cl_unsigned_type(dtype), "(b))\n");
            }
            source += cl_sources::scan;
            return source;
          }};
}

std::unique_ptr<Plan> plan_cumsum(Device& device, const keel_kernel_call_t& call) {
  using A = keel_cumsum_attrs_t;
  constexpr A kDefaults = KEEL_CUMSUM_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &A::axis, &A::exclusive, &A::reverse);
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  if (y.dtype != x.dtype)
    fail(KEEL_STATUS_INVALID_ARGUMENT, "output y is ", dtype_name(y.dtype), ", not x's ", dtype_name(x.dtype));
  require_shape(y, x.rank, x.shape.data(), "output y");
  const uint32_t axis = normalize_axis(attrs.axis, x.rank, "axis");
  if (x.count() == 0) return std::make_unique<EmptyPlan>();
  View x_other, y_other;  // every axis but the scanned one
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
  Program& program = device.programs().get(scan_program(x.dtype));
  Kernel& kernel = program.kernel(concat("keel_cumsum_", dtype_name(x.dtype)));
  return std::make_unique<ScanPlan>(kernel, args, attrs.exclusive != 0, attrs.reverse != 0);
}

std::unique_ptr<Plan> plan_nonzero(Device& device, const keel_kernel_call_t& call) {
  const View x = view_of(input_desc(call, 0));
  const View indices = view_of(output_desc(call, 0));
  const View count = view_of(output_desc(call, 1));
  if (indices.dtype != KEEL_DTYPE_I64 || count.dtype != KEEL_DTYPE_I64) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "outputs indices and count must be i64");
  }
  const int64_t expected[] = {x.rank, x.rank == 0 ? 1 : x.count()};
  require_shape(indices, 2, expected, "output indices");
  require_shape(count, 0, nullptr, "output count");
  Program& program = device.programs().get(scan_program(x.dtype));
  Kernel& kernel = program.kernel(concat("keel_nonzero_", dtype_name(x.dtype)));
  // x's own axes (side_of would collapse them), since the kernel derives coordinates from them.
  ClSide side;
  side.rank = x.rank;
  for (uint32_t k = 0; k < x.rank; ++k) {
    side.shape[k] = x.shape[k];
    side.stride[k] = x.strides[k];
  }
  return std::make_unique<NonzeroPlan>(kernel, side, x.count(), indices.strides[0], indices.strides[1]);
}

}  // namespace keel::opencl
