// pad (ir_spec/ops/resample.yaml): constant, reflect or edge padding, one work-item per output element.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

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

// Mirrors keel_pad_args of kernels/cl/pad.cl.
struct ClPadArgs {
  int64_t rank = 0;
  int64_t mode = 0;
  int64_t count = 0;
  int64_t y_offset = 0;
  int64_t x_offset = 0;
  int64_t y_shape[kMaxRank] = {};
  int64_t y_stride[kMaxRank] = {};
  int64_t x_shape[kMaxRank] = {};
  int64_t x_stride[kMaxRank] = {};
  int64_t begin[kMaxRank] = {};
};
static_assert(sizeof(ClPadArgs) == 8 * (5 + 5 * kMaxRank));

class PadPlan final : public Plan {
 public:
  PadPlan(Kernel& kernel, ClPadArgs args, uint64_t value, size_t element_size)
      : kernel_(kernel), args_(args), value_(value), element_size_(element_size) {
    range_ = linear_range(static_cast<uint64_t>(args_.count), element_group_size(kernel_));
  }

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const keel_tensor_desc_t& y = output_desc(call, 0);
    const keel_tensor_desc_t& x = input_desc(call, 0);
    ClPadArgs args = args_;
    args.y_offset = element_offset(y);
    args.x_offset = element_offset(x);
    KernelArgs launch;
    // An empty x is never read (every position is padding), but the kernel still needs a buffer argument.
    launch.mem(buffer_of(y)).mem(args.count > 0 && x.buffer != nullptr ? buffer_of(x) : buffer_of(y)).value(args);
    switch (element_size_) {
      case 1: launch.value(static_cast<cl_uchar>(value_)); break;
      case 4: launch.value(static_cast<cl_uint>(value_)); break;
      default: launch.value(static_cast<cl_ulong>(value_)); break;
    }
    submit(queue, kernel_, std::move(launch), range_);
  }

 private:
  Kernel& kernel_;
  ClPadArgs args_;
  uint64_t value_;
  size_t element_size_;
  Range range_;
};

}  // namespace

ProgramSpec pad_program(size_t element_size) {
  return {concat("pad/", cl_bits_type(element_size)), [element_size](const DeviceInfo& /*device*/) {
            std::string source(cl_sources::common);
            source += concat("#define KEEL_BITS ", cl_bits_type(element_size), "\n#define KEEL_NAME(x) x##_",
                             cl_bits_type(element_size), "\n");
            source += cl_sources::pad;
            return source;
          }};
}

std::unique_ptr<Plan> plan_pad(Device& device, const keel_kernel_call_t& call) {
  using A = keel_pad_attrs_t;
  constexpr A kDefaults = KEEL_PAD_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &A::pads, &A::pads_count, &A::mode, &A::value);
  const std::span<const int64_t> pads = ints(attrs.pads, attrs.pads_count, "pads");
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  if (y.dtype != x.dtype)
    fail(KEEL_STATUS_INVALID_ARGUMENT, "output y is ", dtype_name(y.dtype), ", not x's ", dtype_name(x.dtype));
  if (pads.size() != 2 * static_cast<size_t>(x.rank)) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "pads has ", pads.size(), " entries; rank ", x.rank, " needs ", 2 * x.rank);
  }
  if (attrs.mode > KEEL_PAD_MODE_EDGE) fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute mode ", attrs.mode, " is unknown");
  ClPadArgs args;
  args.rank = x.rank;
  args.mode = attrs.mode;
  std::array<int64_t, kMaxRank> expected{};
  for (uint32_t k = 0; k < x.rank; ++k) {
    const int64_t begin = pads[k];
    const int64_t end = pads[k + x.rank];
    const int64_t d = x.shape[k];
    if (begin < 0 || end < 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "pads of axis ", k, " are negative");
    if (attrs.mode == KEEL_PAD_MODE_REFLECT && (begin >= std::max<int64_t>(d, 1) || end >= std::max<int64_t>(d, 1))) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "reflect pads axis ", k, " of size ", d, " by ", begin, " and ", end);
    }
    if (attrs.mode == KEEL_PAD_MODE_EDGE && d == 0 && (begin > 0 || end > 0)) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "edge pads the empty axis ", k);
    }
    expected[k] = d + begin + end;
    args.y_shape[k] = expected[k];
    args.y_stride[k] = y.strides[k];
    args.x_shape[k] = d;
    args.x_stride[k] = x.strides[k];
    args.begin[k] = begin;
  }
  require_shape(y, x.rank, expected.data(), "output y");
  args.count = y.count();
  if (args.count == 0) return std::make_unique<EmptyPlan>();
  const size_t size = dtype_size(x.dtype);
  if (size != 1 && size != 4 && size != 8) fail(KEEL_STATUS_UNIMPLEMENTED, "pad of ", dtype_name(x.dtype));
  Program& program = device.programs().get(pad_program(size));
  Kernel& kernel = program.kernel(concat("keel_pad_", cl_bits_type(size)));
  const uint64_t value = attrs.mode == KEEL_PAD_MODE_CONSTANT ? cast_bits(attrs.value, x.dtype) : 0;
  return std::make_unique<PadPlan>(kernel, args, value, size);
}

}  // namespace keel::opencl
