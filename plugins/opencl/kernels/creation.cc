// full and arange (ir_spec/ops/creation.yaml). The values are computed on the host with the conversion rules
// of cast (so every device gets f64 arithmetic, with or without cl_khr_fp64): full becomes a fill of the
// output view; arange is staged in a buffer created from host memory and copied into the output view.
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "cl/error.h"
#include "device.h"
#include "keel/keel_ops.h"
#include "kernels/attrs.h"
#include "kernels/call.h"
#include "kernels/data.h"
#include "kernels/dtype.h"
#include "kernels/ops.h"
#include "queue.h"

namespace keel::opencl {
namespace {

template <class To>
To saturating_truncate(double x) {
  if (std::isnan(x)) return To{0};
  const double truncated = std::trunc(x);
  const double limit = std::ldexp(1.0, std::numeric_limits<To>::digits);  // 2^31 or 2^63
  if (truncated >= limit) return std::numeric_limits<To>::max();
  if (truncated < -limit) return std::numeric_limits<To>::min();
  return static_cast<To>(truncated);
}

template <class T>
uint64_t bits_of(T value) {
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof value);
  return bits;
}

// `value` converted to `dtype` with the rules of cast (from f64), as the element's bit pattern.
uint64_t converted_bits(double value, keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return value != 0.0 ? 1 : 0;  // NaN is true, -0 false
    case KEEL_DTYPE_I32: return bits_of(saturating_truncate<int32_t>(value));
    case KEEL_DTYPE_I64: return bits_of(saturating_truncate<int64_t>(value));
    case KEEL_DTYPE_F32: return bits_of(static_cast<float>(value));  // round to nearest even; inf beyond range
    case KEEL_DTYPE_F64: return bits_of(value);
    default: fail(KEEL_STATUS_UNIMPLEMENTED, "dtype ", dtype_name(dtype), " is not implemented");
  }
}

void require_dtype_attr(keel_dtype_t attr, const View& y) {
  if (attr != y.dtype) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute dtype is ", dtype_name(attr), " but output y is ", dtype_name(y.dtype));
  }
}

class FillPlan final : public Plan {
 public:
  FillPlan(DataKernels kernels, ClSide to, int64_t count, uint64_t bits)
      : kernels_(kernels), to_(to), count_(count), bits_(bits) {}

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const keel_tensor_desc_t& y = output_desc(call, 0);
    ClSide to = to_;
    to.offset += element_offset(y);
    queue.submit([kernels = kernels_, mem = ClRef<cl_mem>::retained(buffer_of(y)), to, count = count_,
                  bits = bits_](Stream& stream) { enqueue_fill(stream, kernels, mem.get(), to, count, bits); });
  }

 private:
  DataKernels kernels_;
  ClSide to_;
  int64_t count_;
  uint64_t bits_;
};

class StagedPlan final : public Plan {
 public:
  StagedPlan(DataKernels kernels, ClSide to, int64_t count, std::vector<unsigned char> bytes)
      : kernels_(kernels), to_(to), count_(count), bytes_(std::move(bytes)) {}

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const keel_tensor_desc_t& y = output_desc(call, 0);
    ClSide to = to_;
    to.offset += element_offset(y);
    // CL_MEM_COPY_HOST_PTR copies the values now, so nothing on the host has to outlive the call.
    cl_int error = CL_SUCCESS;
    ClRef<cl_mem> staging(clCreateBuffer(queue.device().context(), CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                                         bytes_.size(), const_cast<unsigned char*>(bytes_.data()), &error));
    check(error, "clCreateBuffer (staging values)");
    ClSide from;
    from.rank = 1;
    from.shape[0] = count_;
    from.stride[0] = 1;
    queue.submit([kernels = kernels_, mem = ClRef<cl_mem>::retained(buffer_of(y)), staging = std::move(staging), to,
                  from, count = count_](Stream& stream) {
      enqueue_copy(stream, kernels, mem.get(), to, staging.get(), from, count);
    });
  }

 private:
  DataKernels kernels_;
  ClSide to_;
  int64_t count_;
  std::vector<unsigned char> bytes_;
};

}  // namespace

std::unique_ptr<Plan> make_fill_plan(Device& device, const View& y, uint64_t bits) {
  if (y.count() == 0) return std::make_unique<EmptyPlan>();
  return std::make_unique<FillPlan>(data_kernels(device, dtype_size(y.dtype)), side_of(y), y.count(), bits);
}

uint64_t cast_bits(double value, keel_dtype_t dtype) { return converted_bits(value, dtype); }

std::unique_ptr<Plan> make_staged_plan(Device& device, const View& y, std::vector<unsigned char> bytes) {
  if (bytes.size() != static_cast<size_t>(y.count()) * dtype_size(y.dtype)) {
    fail(KEEL_STATUS_INTERNAL, "staged values of ", bytes.size(), " bytes for ", y.count(), " elements");
  }
  if (y.count() == 0) return std::make_unique<EmptyPlan>();
  return std::make_unique<StagedPlan>(data_kernels(device, dtype_size(y.dtype)), side_of(y), y.count(),
                                      std::move(bytes));
}

// Every element is `value` converted from f64 with the rules of cast.
std::unique_ptr<Plan> plan_full(Device& device, const keel_kernel_call_t& call) {
  using A = keel_full_attrs_t;
  constexpr A kDefaults = KEEL_FULL_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &A::shape, &A::shape_count, &A::value, &A::dtype);
  const View y = view_of(output_desc(call, 0));
  require_dtype_attr(attrs.dtype, y);
  const std::span<const int64_t> shape = ints(attrs.shape, attrs.shape_count, "shape");
  require_shape(y, static_cast<uint32_t>(shape.size()), shape.data(), "output y");
  return make_fill_plan(device, y, converted_bits(attrs.value, y.dtype));
}

// y[i] = start + i * delta in f64 (a product, then a sum; not fused), converted with the rules of cast.
std::unique_ptr<Plan> plan_arange(Device& device, const keel_kernel_call_t& call) {
  using A = keel_arange_attrs_t;
  constexpr A kDefaults = KEEL_ARANGE_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &A::start, &A::limit, &A::delta, &A::dtype);
  const View y = view_of(output_desc(call, 0));
  require_dtype_attr(attrs.dtype, y);
  const double steps = std::ceil((attrs.limit - attrs.start) / attrs.delta);
  if (!(steps < 2147483648.0)) {  // also catches NaN and delta = 0
    fail(KEEL_STATUS_INVALID_ARGUMENT, "the element count of start ", attrs.start, ", limit ", attrs.limit,
         ", delta ", attrs.delta, " is not finite and below 2^31");
  }
  const int64_t count = steps > 0 ? static_cast<int64_t>(steps) : 0;
  require_shape(y, 1, &count, "output y");
  if (count == 0) return std::make_unique<EmptyPlan>();
  const size_t size = dtype_size(y.dtype);
  std::vector<unsigned char> bytes(static_cast<size_t>(count) * size);
  for (int64_t i = 0; i < count; ++i) {
    const double offset = static_cast<double>(i) * attrs.delta;
    const uint64_t bits = converted_bits(attrs.start + offset, y.dtype);
    std::memcpy(bytes.data() + static_cast<size_t>(i) * size, &bits, size);
  }
  return std::make_unique<StagedPlan>(data_kernels(device, size), side_of(y), count, std::move(bytes));
}

}  // namespace keel::opencl
