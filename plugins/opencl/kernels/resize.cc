// resize (ir_spec/ops/resample.yaml): the coordinate mapping is tabulated on the host in f64, exactly as the
// spec writes it; kernels/cl/resize.cl interpolates.
#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "cl/error.h"
#include "cl/handle.h"
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

// Mirrors keel_resize_args of kernels/cl/resize.cl.
struct ClResizeArgs {
  int64_t rank = 0;
  int64_t count = 0;
  int64_t linear = 0;
  int64_t x_offset = 0;
  int64_t y_offset = 0;
  int64_t out[kMaxRank] = {};
  int64_t x_stride[kMaxRank] = {};
  int64_t y_stride[kMaxRank] = {};
  int64_t table[kMaxRank] = {};
};
static_assert(sizeof(ClResizeArgs) == 8 * (5 + 4 * kMaxRank));

class ResizePlan final : public Plan {
 public:
  ResizePlan(Kernel& kernel, ClResizeArgs args, ClRef<cl_mem> table)
      : kernel_(kernel), args_(args), table_(std::move(table)) {
    range_ = linear_range(static_cast<uint64_t>(args_.count), element_group_size(kernel_));
  }

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const keel_tensor_desc_t& y = output_desc(call, 0);
    const keel_tensor_desc_t& x = input_desc(call, 0);
    ClResizeArgs args = args_;
    args.x_offset = element_offset(x);
    args.y_offset = element_offset(y);
    KernelArgs launch;
    launch.mem(buffer_of(y)).mem(buffer_of(x)).mem(table_.get()).value(args);
    submit(queue, kernel_, std::move(launch), range_);
  }

 private:
  Kernel& kernel_;
  ClResizeArgs args_;
  ClRef<cl_mem> table_;
  Range range_;
};

// The input coordinate of output index o along an axis of input size d, output size out and scale `scale`.
double coordinate(uint32_t transform, double o, double d, double out, double scale) {
  switch (transform) {
    case KEEL_RESIZE_COORDINATE_TRANSFORM_HALF_PIXEL: return (o + 0.5) / scale - 0.5;
    case KEEL_RESIZE_COORDINATE_TRANSFORM_PYTORCH_HALF_PIXEL: return out > 1 ? (o + 0.5) / scale - 0.5 : 0.0;
    case KEEL_RESIZE_COORDINATE_TRANSFORM_ALIGN_CORNERS: return out > 1 ? o * (d - 1) / (out - 1) : 0.0;
    default: return o / scale;
  }
}

double rounded(uint32_t mode, double u) {
  switch (mode) {
    case KEEL_RESIZE_NEAREST_MODE_ROUND_PREFER_FLOOR: return std::ceil(u - 0.5);
    case KEEL_RESIZE_NEAREST_MODE_ROUND_PREFER_CEIL: return std::floor(u + 0.5);
    case KEEL_RESIZE_NEAREST_MODE_FLOOR: return std::floor(u);
    default: return std::ceil(u);
  }
}

}  // namespace

ProgramSpec resize_program(keel_dtype_t dtype) {
  return {concat("resize/", dtype_name(dtype)), [dtype](const DeviceInfo& /*device*/) {
            std::string source = "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n#pragma OPENCL FP_CONTRACT OFF\n";
            source += cl_sources::common;
            source += concat("#define KEEL_T ", cl_type(dtype), "\n#define KEEL_NAME(x) x##_", dtype_name(dtype), "\n");
            source += cl_sources::resize;
            return source;
          }};
}

std::unique_ptr<Plan> plan_resize(Device& device, const keel_kernel_call_t& call) {
  using A = keel_resize_attrs_t;
  constexpr A kDefaults = KEEL_RESIZE_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &A::mode, &A::coordinate_transform, &A::nearest_mode, &A::scales,
                                &A::scales_count, &A::sizes, &A::sizes_count);
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  if (y.dtype != x.dtype) fail(KEEL_STATUS_INVALID_ARGUMENT, "output y is ", dtype_name(y.dtype), ", not x's");
  if (attrs.mode > KEEL_RESIZE_MODE_LINEAR || attrs.coordinate_transform > 3 || attrs.nearest_mode > 3) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "an enum attribute of resize is out of range");
  }
  if (attrs.scales_count > 0 && attrs.scales == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "scales has no data");
  const std::span<const double> scales(attrs.scales, attrs.scales_count);
  const std::span<const int64_t> sizes = ints(attrs.sizes, attrs.sizes_count, "sizes");
  if (x.rank < 1 || (scales.empty() == sizes.empty()) || (scales.size() + sizes.size()) != x.rank) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "exactly one of scales and sizes needs one entry per axis of x");
  }
  if (!device.info().fp64) fail(KEEL_STATUS_UNIMPLEMENTED, "resize needs cl_khr_fp64, which the device lacks");
  ClResizeArgs args;
  args.rank = x.rank;
  args.linear = attrs.mode == KEEL_RESIZE_MODE_LINEAR ? 1 : 0;
  std::array<int64_t, kMaxRank> expected{};
  std::vector<double> table;
  for (uint32_t k = 0; k < x.rank; ++k) {
    const auto d = static_cast<double>(x.shape[k]);
    if (!scales.empty() && !(std::isfinite(scales[k]) && scales[k] > 0)) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "scale ", scales[k], " of axis ", k, " is not finite and > 0");
    }
    const int64_t out = sizes.empty() ? static_cast<int64_t>(std::floor(d * scales[k])) : sizes[k];
    if (out < 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "size ", out, " of axis ", k, " is negative");
    expected[k] = out;
    const double scale = sizes.empty() ? scales[k] : static_cast<double>(out) / d;
    args.out[k] = out;
    args.x_stride[k] = x.strides[k];
    args.y_stride[k] = y.strides[k];
    args.table[k] = static_cast<int64_t>(table.size());
    for (int64_t o = 0; o < out && x.shape[k] > 0; ++o) {
      const double u =
          coordinate(attrs.coordinate_transform, static_cast<double>(o), d, static_cast<double>(out), scale);
      if (args.linear) {
        const double clamped = std::clamp(u, 0.0, d - 1);
        const double i0 = std::floor(clamped);
        table.insert(table.end(), {i0, std::min(i0 + 1, d - 1), clamped - i0});
      } else {
        const double index = std::clamp(rounded(attrs.nearest_mode, u), 0.0, d - 1);
        table.insert(table.end(), {index, index, 0.0});
      }
    }
  }
  require_shape(y, x.rank, expected.data(), "output y");
  args.count = y.count();
  if (args.count == 0) return std::make_unique<EmptyPlan>();
  cl_int error = CL_SUCCESS;
  ClRef<cl_mem> buffer(clCreateBuffer(device.context(), CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                                      table.size() * sizeof(double), table.data(), &error));
  check(error, "clCreateBuffer (resize coordinates)");
  Program& program = device.programs().get(resize_program(x.dtype));
  return std::make_unique<ResizePlan>(program.kernel(concat("keel_resize_", dtype_name(x.dtype))), args,
                                      std::move(buffer));
}

}  // namespace keel::opencl
