// rng_uniform rng_normal bernoulli dropout (ir_spec/ops/random.yaml): Philox4x32-10 bits, the spec's exact
// mappings, one work-item per element. The mapping is defined in f64, so the kernels need cl_khr_fp64 for every dtype.
#include <cmath>
#include <functional>
#include <limits>
#include <span>
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

// One launch of keel_rng_uniform or keel_rng_normal: (low, high) or (mean, std) are `a` and `b`.
class RandomPlan final : public Plan {
 public:
  RandomPlan(Kernel& kernel, ClSide side, int64_t count, uint64_t seed, uint64_t offset, double a, double b,
             double below, bool wide)
      : kernel_(kernel),
        side_(side),
        count_(count),
        seed_(seed),
        offset_(offset),
        a_(a),
        b_(b),
        below_(below),
        wide_(wide) {
    range_ = linear_range(static_cast<uint64_t>(count_), element_group_size(kernel_));
  }

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const keel_tensor_desc_t& y = output_desc(call, 0);
    ClSide side = side_;
    side.offset += element_offset(y);
    KernelArgs launch;
    launch.mem(buffer_of(y)).value(side).value<cl_long>(count_).value<cl_ulong>(seed_).value<cl_ulong>(offset_);
    launch.value<cl_double>(a_).value<cl_double>(b_);
    if (wide_) {
      launch.value<cl_double>(below_);
    } else {
      launch.value<cl_float>(static_cast<float>(below_));
    }
    submit(queue, kernel_, std::move(launch), range_);
  }

 private:
  Kernel& kernel_;
  ClSide side_;
  int64_t count_;
  uint64_t seed_;
  uint64_t offset_;
  double a_;
  double b_;
  double below_;
  bool wide_;
  Range range_;
};

// The largest value of `dtype` below `high` (f32 or f64).
double largest_below(double high, keel_dtype_t dtype) {
  if (dtype == KEEL_DTYPE_F64) return std::nextafter(high, -std::numeric_limits<double>::infinity());
  float f = static_cast<float>(high);
  if (static_cast<double>(f) >= high) f = std::nextafter(f, -std::numeric_limits<float>::infinity());
  return f;
}

// One launch over a layout of the outputs and then the inputs; `tail` adds the remaining arguments.
class DrawPlan final : public Plan {
 public:
  using Tail = std::function<void(KernelArgs&)>;
  DrawPlan(Kernel& kernel, ClLayout layout, Tail tail) : kernel_(kernel), layout_(layout), tail_(std::move(tail)) {
    range_ = linear_range(static_cast<uint64_t>(layout_.count), element_group_size(kernel_));
  }

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    ClLayout layout = layout_;
    KernelArgs launch;
    size_t t = 0;
    for (size_t i = 0; i < call.output_count; ++i, ++t) {
      launch.mem(buffer_of(output_desc(call, i)));
      layout.offset[t] = element_offset(output_desc(call, i));
    }
    for (size_t i = 0; i < call.input_count; ++i, ++t) {
      launch.mem(buffer_of(input_desc(call, i)));
      layout.offset[t] = element_offset(input_desc(call, i));
    }
    launch.value(layout);
    tail_(launch);
    submit(queue, kernel_, std::move(launch), range_);
  }

 private:
  Kernel& kernel_;
  ClLayout layout_;
  Tail tail_;
  Range range_;
};

}  // namespace

ProgramSpec random_program(keel_dtype_t dtype) {
  return {concat("random/", dtype_name(dtype)), [dtype](const DeviceInfo& /*device*/) {
            std::string source = "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n#pragma OPENCL FP_CONTRACT OFF\n";
            source += cl_sources::common;
            source += concat("#define KEEL_T ", cl_type(dtype), "\n#define KEEL_NAME(x) x##_", dtype_name(dtype),
                             "\n#define KEEL_WIDE ", dtype == KEEL_DTYPE_F64 ? 1 : 0, "\n");
            source += cl_sources::random;
            return source;
          }};
}

std::unique_ptr<Plan> plan_rng_normal(Device& device, const keel_kernel_call_t& call) {
  using A = keel_rng_normal_attrs_t;
  constexpr A kDefaults = KEEL_RNG_NORMAL_ATTRS_INIT;
  const auto attrs =
      read_attrs(call.attrs, kDefaults, &A::shape, &A::shape_count, &A::mean, &A::std, &A::dtype, &A::seed, &A::offset);
  const View y = view_of(output_desc(call, 0));
  if (attrs.dtype != y.dtype) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute dtype is ", dtype_name(attrs.dtype), " but output y is ",
         dtype_name(y.dtype));
  }
  if (y.dtype != KEEL_DTYPE_F32 && y.dtype != KEEL_DTYPE_F64) {
    fail(KEEL_STATUS_UNIMPLEMENTED, "rng_normal of ", dtype_name(y.dtype), " is not implemented");
  }
  const std::span<const int64_t> shape = ints(attrs.shape, attrs.shape_count, "shape");
  require_shape(y, static_cast<uint32_t>(shape.size()), shape.data(), "output y");
  if (!(std::isfinite(attrs.std) && attrs.std >= 0))
    fail(KEEL_STATUS_INVALID_ARGUMENT, "std ", attrs.std, " is not finite and >= 0");
  if (!device.info().fp64) fail(KEEL_STATUS_UNIMPLEMENTED, "rng_normal needs cl_khr_fp64, which the device lacks");
  if (y.count() == 0) return std::make_unique<EmptyPlan>();
  Program& program = device.programs().get(random_program(y.dtype));
  Kernel& kernel = program.kernel(concat("keel_rng_normal_", dtype_name(y.dtype)));
  return std::make_unique<RandomPlan>(kernel, side_of(y), y.count(), static_cast<uint64_t>(attrs.seed),
                                      static_cast<uint64_t>(attrs.offset), attrs.mean, attrs.std, 0.0,
                                      y.dtype == KEEL_DTYPE_F64);
}

std::unique_ptr<Plan> plan_rng_uniform(Device& device, const keel_kernel_call_t& call) {
  using A = keel_rng_uniform_attrs_t;
  constexpr A kDefaults = KEEL_RNG_UNIFORM_ATTRS_INIT;
  const auto attrs =
      read_attrs(call.attrs, kDefaults, &A::shape, &A::shape_count, &A::low, &A::high, &A::dtype, &A::seed, &A::offset);
  const View y = view_of(output_desc(call, 0));
  if (attrs.dtype != y.dtype) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute dtype is ", dtype_name(attrs.dtype), " but output y is ",
         dtype_name(y.dtype));
  }
  if (y.dtype != KEEL_DTYPE_F32 && y.dtype != KEEL_DTYPE_F64) {
    fail(KEEL_STATUS_UNIMPLEMENTED, "rng_uniform of ", dtype_name(y.dtype), " is not implemented");
  }
  const std::span<const int64_t> shape = ints(attrs.shape, attrs.shape_count, "shape");
  require_shape(y, static_cast<uint32_t>(shape.size()), shape.data(), "output y");
  if (!(std::isfinite(attrs.low) && std::isfinite(attrs.high) && attrs.low <= attrs.high &&
        std::isfinite(attrs.high - attrs.low))) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "low ", attrs.low, " and high ", attrs.high, " are not a finite range");
  }
  if (!device.info().fp64) fail(KEEL_STATUS_UNIMPLEMENTED, "rng_uniform needs cl_khr_fp64, which the device lacks");
  if (y.count() == 0) return std::make_unique<EmptyPlan>();
  Program& program = device.programs().get(random_program(y.dtype));
  Kernel& kernel = program.kernel(concat("keel_rng_uniform_", dtype_name(y.dtype)));
  return std::make_unique<RandomPlan>(kernel, side_of(y), y.count(), static_cast<uint64_t>(attrs.seed),
                                      static_cast<uint64_t>(attrs.offset), attrs.low, attrs.high,
                                      largest_below(attrs.high, y.dtype), y.dtype == KEEL_DTYPE_F64);
}

// y (dtype attribute, any element size) is 1 or 0 by p; the program is p's.
std::unique_ptr<Plan> plan_bernoulli(Device& device, const keel_kernel_call_t& call) {
  using A = keel_bernoulli_attrs_t;
  constexpr A kDefaults = KEEL_BERNOULLI_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &A::dtype, &A::seed, &A::offset);
  const View p = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  if (attrs.dtype != y.dtype) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute dtype is ", dtype_name(attrs.dtype), " but output y is ",
         dtype_name(y.dtype));
  }
  if (!is_float(p.dtype)) fail(KEEL_STATUS_INVALID_ARGUMENT, "p is ", dtype_name(p.dtype), ", not a float dtype");
  require_shape(y, p.rank, p.shape.data(), "output y");
  if (!device.info().fp64) fail(KEEL_STATUS_UNIMPLEMENTED, "bernoulli needs cl_khr_fp64, which the device lacks");
  if (y.count() == 0) return std::make_unique<EmptyPlan>();
  const size_t size = dtype_size(y.dtype);
  if (size != 1 && size != 4 && size != 8) fail(KEEL_STATUS_UNIMPLEMENTED, "bernoulli to ", dtype_name(y.dtype));
  const View views[] = {y, p};
  Program& program = device.programs().get(random_program(p.dtype));
  Kernel& kernel = program.kernel(concat("keel_bernoulli_", cl_bits_type(size), "_", dtype_name(p.dtype)));
  const auto seed = static_cast<uint64_t>(attrs.seed);
  const auto offset = static_cast<uint64_t>(attrs.offset);
  const uint64_t one = cast_bits(1.0, y.dtype);
  const uint64_t zero = cast_bits(0.0, y.dtype);
  return std::make_unique<DrawPlan>(kernel, joint_layout(views), [=](KernelArgs& args) {
    args.value<cl_ulong>(seed).value<cl_ulong>(offset);
    for (const uint64_t bits : {one, zero}) {
      switch (size) {
        case 1: args.value(static_cast<cl_uchar>(bits)); break;
        case 4: args.value(static_cast<cl_uint>(bits)); break;
        default: args.value(static_cast<cl_ulong>(bits)); break;
      }
    }
  });
}

std::unique_ptr<Plan> plan_dropout(Device& device, const keel_kernel_call_t& call) {
  using A = keel_dropout_attrs_t;
  constexpr A kDefaults = KEEL_DROPOUT_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &A::ratio, &A::training, &A::seed, &A::offset);
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  const View mask = view_of(output_desc(call, 1));
  if (y.dtype != x.dtype || mask.dtype != KEEL_DTYPE_BOOL)
    fail(KEEL_STATUS_INVALID_ARGUMENT, "y needs x's dtype and mask bool");
  require_shape(y, x.rank, x.shape.data(), "output y");
  require_shape(mask, x.rank, x.shape.data(), "output mask");
  if (!(attrs.ratio >= 0.0 && attrs.ratio <= 1.0))
    fail(KEEL_STATUS_INVALID_ARGUMENT, "ratio ", attrs.ratio, " is not in [0, 1]");
  if (!device.info().fp64) fail(KEEL_STATUS_UNIMPLEMENTED, "dropout needs cl_khr_fp64, which the device lacks");
  if (x.count() == 0) return std::make_unique<EmptyPlan>();
  const View views[] = {y, mask, x};
  Program& program = device.programs().get(random_program(x.dtype));
  Kernel& kernel = program.kernel(concat("keel_dropout_", dtype_name(x.dtype)));
  const auto seed = static_cast<uint64_t>(attrs.seed);
  const auto offset = static_cast<uint64_t>(attrs.offset);
  const double ratio = attrs.ratio;
  const double scale = 1.0 / (1.0 - ratio);  // +inf for ratio 1, when nothing is kept
  const int64_t training = attrs.training ? 1 : 0;
  return std::make_unique<DrawPlan>(kernel, joint_layout(views), [=](KernelArgs& args) {
    args.value<cl_ulong>(seed).value<cl_ulong>(offset).value<cl_double>(ratio).value<cl_double>(scale);
    args.value<cl_long>(training);
  });
}

}  // namespace keel::opencl
