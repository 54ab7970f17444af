// max_pool avg_pool (ir_spec/ops/pooling.yaml) and avg_pool_backward (training.yaml): one work-item per output
// element walks its window (or, for the gradient, the windows that read its position).
#include <algorithm>
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

constexpr uint32_t kMaxSpatial = 3;

// Mirrors keel_pool_args of kernels/cl/pool.cl.
struct ClPoolArgs {
  int64_t spatial = 0;
  int64_t count = 0;
  int64_t channels = 0;
  int64_t include_pad = 0;
  int64_t x_offset = 0;
  int64_t y_offset = 0;
  int64_t i_offset = 0;
  int64_t x_nc[2] = {};
  int64_t y_nc[2] = {};
  int64_t i_nc[2] = {};
  int64_t in[kMaxSpatial] = {};
  int64_t out[kMaxSpatial] = {};
  int64_t x_stride[kMaxSpatial] = {};
  int64_t y_stride[kMaxSpatial] = {};
  int64_t i_stride[kMaxSpatial] = {};
  int64_t window[kMaxSpatial] = {};
  int64_t step[kMaxSpatial] = {};
  int64_t pad_begin[kMaxSpatial] = {};
  int64_t pad_end[kMaxSpatial] = {};
  int64_t dilation[kMaxSpatial] = {};
};
static_assert(sizeof(ClPoolArgs) == 8 * (7 + 6 + 10 * kMaxSpatial));

// The attributes both pooling operators share (their structs agree on these fields).
struct Window {
  std::span<const int64_t> kernel, strides, pads, dilations;
  bool ceil_mode = false;
};

// Floor division for a non-negative divisor.
int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// Fills the window fields of `args` from x and checks y's shape (the group rules of pooling.yaml).
void plan_window(ClPoolArgs& args, const Window& w, const View& x, const View& y) {
  if (x.rank < 3 || x.rank > 5) fail(KEEL_STATUS_INVALID_ARGUMENT, "x has rank ", x.rank, "; pooling needs 3 to 5");
  const uint32_t s = x.rank - 2;
  const auto check_list = [s](std::span<const int64_t> list, size_t per_axis, const char* name, bool empty_ok) {
    if ((list.empty() && empty_ok) || list.size() == per_axis * s) return;
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute ", name, " has ", list.size(), " entries for ", s, " spatial axes");
  };
  check_list(w.kernel, 1, "kernel_shape", false);
  check_list(w.strides, 1, "strides", true);
  check_list(w.pads, 2, "pads", true);
  check_list(w.dilations, 1, "dilations", true);
  args.spatial = s;
  args.channels = x.shape[1];
  std::array<int64_t, kMaxRank> expected{x.shape[0], x.shape[1]};
  for (uint32_t k = 0; k < s; ++k) {
    const int64_t d = x.shape[k + 2];
    const int64_t kernel = w.kernel[k];
    const int64_t step = w.strides.empty() ? 1 : w.strides[k];
    const int64_t pb = w.pads.empty() ? 0 : w.pads[k];
    const int64_t pe = w.pads.empty() ? 0 : w.pads[k + s];
    const int64_t dilation = w.dilations.empty() ? 1 : w.dilations[k];
    if (kernel < 1 || step < 1 || pb < 0 || pe < 0 || dilation < 1) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "the window attributes of spatial axis ", k, " are out of range");
    }
    const int64_t span = d + pb + pe - dilation * (kernel - 1) - 1;
    int64_t out = (w.ceil_mode ? -floor_div(-span, step) : floor_div(span, step)) + 1;
    if (w.ceil_mode && (out - 1) * step >= d + pb) --out;
    if (out < 1) fail(KEEL_STATUS_INVALID_ARGUMENT, "spatial axis ", k, " has no output position");
    expected[k + 2] = out;
    args.in[k] = d;
    args.out[k] = out;
    args.x_stride[k] = x.strides[k + 2];
    args.y_stride[k] = y.strides[k + 2];
    args.window[k] = kernel;
    args.step[k] = step;
    args.pad_begin[k] = pb;
    args.pad_end[k] = pe;
    args.dilation[k] = dilation;
  }
  require_shape(y, x.rank, expected.data(), "output y");
  args.x_nc[0] = x.strides[0];
  args.x_nc[1] = x.strides[1];
  args.y_nc[0] = y.strides[0];
  args.y_nc[1] = y.strides[1];
  args.count = y.count();
}

class PoolPlan final : public Plan {
 public:
  // `gradient`: the output is dx (x's geometry in args) and the input dy (y's geometry).
  PoolPlan(Kernel& kernel, ClPoolArgs args, bool gradient = false) : kernel_(kernel), args_(args), gradient_(gradient) {
    range_ = linear_range(static_cast<uint64_t>(args_.count), element_group_size(kernel_));
  }

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const bool with_indices = call.output_count > 1;
    const keel_tensor_desc_t& x = input_desc(call, 0);
    const keel_tensor_desc_t& y = output_desc(call, 0);
    ClPoolArgs args = args_;
    args.x_offset = element_offset(gradient_ ? y : x);
    args.y_offset = element_offset(gradient_ ? x : y);
    KernelArgs launch;
    launch.mem(buffer_of(y));
    if (with_indices) {
      const keel_tensor_desc_t& indices = output_desc(call, 1);
      args.i_offset = element_offset(indices);
      launch.mem(buffer_of(indices));
    }
    launch.mem(buffer_of(x)).value(args);
    submit(queue, kernel_, std::move(launch), range_);
  }

 private:
  Kernel& kernel_;
  ClPoolArgs args_;
  bool gradient_;
  Range range_;
};

}  // namespace

ProgramSpec pool_program(keel_dtype_t dtype) {
  return {concat("pool/", dtype_name(dtype)), [dtype](const DeviceInfo& /*device*/) {
            std::string source;
            if (dtype == KEEL_DTYPE_F64) source += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
            source += cl_sources::common;
            source += concat("#define KEEL_T ", cl_type(dtype), "\n#define KEEL_NAME(x) x##_", dtype_name(dtype), "\n");
            if (is_float(dtype)) {
              source +=
                  "#define KEEL_LOWEST (-(KEEL_T)INFINITY)\n"
                  "#define KEEL_ABOVE(v, best) (!isnan(best) && (isnan(v) || (v) > (best) || "
                  "((v) == (best) && !signbit(v) && signbit(best))))\n";
            } else {
              source += concat("#define KEEL_LOWEST ", dtype == KEEL_DTYPE_I32 ? "INT_MIN" : "LONG_MIN",
                               "\n#define KEEL_ABOVE(v, best) ((v) > (best))\n");
            }
            source += cl_sources::pool;
            return source;
          }};
}

// dx has x's shape; dy has avg_pool's output shape. The args are those of avg_pool on x, with x's offset and
// strides standing for dx and y's for dy.
std::unique_ptr<Plan> plan_avg_pool_backward(Device& device, const keel_kernel_call_t& call) {
  using A = keel_avg_pool_backward_attrs_t;
  constexpr A kDefaults = KEEL_AVG_POOL_BACKWARD_ATTRS_INIT;
  const auto a =
      read_attrs(call.attrs, kDefaults, &A::kernel_shape, &A::kernel_shape_count, &A::strides, &A::strides_count,
                 &A::pads, &A::pads_count, &A::dilations, &A::dilations_count, &A::ceil_mode, &A::count_include_pad);
  const Window w = {ints(a.kernel_shape, a.kernel_shape_count, "kernel_shape"),
                    ints(a.strides, a.strides_count, "strides"), ints(a.pads, a.pads_count, "pads"),
                    ints(a.dilations, a.dilations_count, "dilations"), a.ceil_mode != 0};
  const View dy = view_of(input_desc(call, 0));
  const View x = view_of(input_desc(call, 1));
  View dx = view_of(output_desc(call, 0));
  if (dy.dtype != x.dtype || dx.dtype != x.dtype) fail(KEEL_STATUS_INVALID_ARGUMENT, "dy, x and dx differ in dtype");
  require_shape(dx, x.rank, x.shape.data(), "output dx");
  ClPoolArgs args;
  args.include_pad = a.count_include_pad ? 1 : 0;
  dx.shape = x.shape;
  plan_window(args, w, dx, dy);
  args.count = dx.count();
  if (args.count == 0) return std::make_unique<EmptyPlan>();
  Program& program = device.programs().get(pool_program(x.dtype));
  return std::make_unique<PoolPlan>(program.kernel(concat("keel_avg_pool_backward_", dtype_name(x.dtype))), args, true);
}

std::unique_ptr<Plan> plan_pool(Device& device, const keel_kernel_call_t& call) {
  const bool max = std::string_view(call.op_name) == "max_pool";
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  if (y.dtype != x.dtype)
    fail(KEEL_STATUS_INVALID_ARGUMENT, "output y is ", dtype_name(y.dtype), ", not x's ", dtype_name(x.dtype));
  ClPoolArgs args;
  Window w;
  if (max) {
    using A = keel_max_pool_attrs_t;
    constexpr A kDefaults = KEEL_MAX_POOL_ATTRS_INIT;
    const auto a =
        read_attrs(call.attrs, kDefaults, &A::kernel_shape, &A::kernel_shape_count, &A::strides, &A::strides_count,
                   &A::pads, &A::pads_count, &A::dilations, &A::dilations_count, &A::ceil_mode);
    w = {ints(a.kernel_shape, a.kernel_shape_count, "kernel_shape"), ints(a.strides, a.strides_count, "strides"),
         ints(a.pads, a.pads_count, "pads"), ints(a.dilations, a.dilations_count, "dilations"), a.ceil_mode != 0};
  } else {
    using A = keel_avg_pool_attrs_t;
    constexpr A kDefaults = KEEL_AVG_POOL_ATTRS_INIT;
    const auto a =
        read_attrs(call.attrs, kDefaults, &A::kernel_shape, &A::kernel_shape_count, &A::strides, &A::strides_count,
                   &A::pads, &A::pads_count, &A::dilations, &A::dilations_count, &A::ceil_mode, &A::count_include_pad);
    w = {ints(a.kernel_shape, a.kernel_shape_count, "kernel_shape"), ints(a.strides, a.strides_count, "strides"),
         ints(a.pads, a.pads_count, "pads"), ints(a.dilations, a.dilations_count, "dilations"), a.ceil_mode != 0};
    args.include_pad = a.count_include_pad ? 1 : 0;
    if (!is_float(x.dtype)) fail(KEEL_STATUS_INVALID_ARGUMENT, "avg_pool needs a float x, not ", dtype_name(x.dtype));
  }
  plan_window(args, w, x, y);
  if (max) {
    const View indices = view_of(output_desc(call, 1));
    if (indices.dtype != KEEL_DTYPE_I64) fail(KEEL_STATUS_INVALID_ARGUMENT, "output indices is not i64");
    require_shape(indices, y.rank, y.shape.data(), "output indices");
    args.i_nc[0] = indices.strides[0];
    args.i_nc[1] = indices.strides[1];
    for (int64_t k = 0; k < args.spatial; ++k) args.i_stride[k] = indices.strides[k + 2];
  }
  if (args.count == 0) return std::make_unique<EmptyPlan>();
  Program& program = device.programs().get(pool_program(x.dtype));
  Kernel& kernel = program.kernel(concat(max ? "keel_max_pool_" : "keel_avg_pool_", dtype_name(x.dtype)));
  return std::make_unique<PoolPlan>(kernel, args);
}

}  // namespace keel::opencl
