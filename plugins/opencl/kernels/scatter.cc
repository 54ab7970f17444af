// scatter_elements scatter_nd (ir_spec/ops/indexing.yaml), gathered per output element (kernels/cl/scatter.cl).
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

// Mirrors keel_scatter_args of kernels/cl/scatter.cl.
struct ClScatterArgs {
  int64_t rank = 0;
  int64_t axis = 0;
  int64_t count = 0;
  int64_t mode = 0;
  int64_t length = 0;
  int64_t d = 0;
  int64_t y_offset = 0;
  int64_t data_offset = 0;
  int64_t index_offset = 0;
  int64_t update_offset = 0;
  int64_t shape[kMaxRank] = {};
  int64_t limit[kMaxRank] = {};
  int64_t y_stride[kMaxRank] = {};
  int64_t data_stride[kMaxRank] = {};
  int64_t index_stride[kMaxRank] = {};
  int64_t update_stride[kMaxRank] = {};
};
static_assert(sizeof(ClScatterArgs) == 8 * (10 + 6 * kMaxRank));

// Mirrors keel_scatter_nd_args of kernels/cl/scatter.cl.
struct ClScatterNdArgs {
  int64_t rank = 0;
  int64_t batch = 0;
  int64_t k = 0;
  int64_t count = 0;
  int64_t mode = 0;
  int64_t rest_rank = 0;
  int64_t rest_count = 0;
  int64_t tuple_stride = 0;
  int64_t y_offset = 0;
  int64_t data_offset = 0;
  int64_t index_offset = 0;
  int64_t update_offset = 0;
  int64_t shape[kMaxRank] = {};
  int64_t y_stride[kMaxRank] = {};
  int64_t data_stride[kMaxRank] = {};
  int64_t index_batch_stride[kMaxRank] = {};
  int64_t update_batch_stride[kMaxRank] = {};
  int64_t rest_shape[kMaxRank] = {};
  int64_t index_rest_stride[kMaxRank] = {};
  int64_t update_rest_stride[kMaxRank] = {};
  int64_t update_trailing_stride[kMaxRank] = {};
};
static_assert(sizeof(ClScatterNdArgs) == 8 * (12 + 9 * kMaxRank));

// Both scatters: y, data, indices, updates, then the args (whose four offsets run() fills).
template <class Args>
class ScatterPlan final : public Plan {
 public:
  ScatterPlan(Kernel& kernel, Args args, bool reads_updates)
      : kernel_(kernel), args_(args), reads_updates_(reads_updates) {
    range_ = linear_range(static_cast<uint64_t>(args_.count), element_group_size(kernel_));
  }

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const keel_tensor_desc_t& y = output_desc(call, 0);
    const keel_tensor_desc_t& data = input_desc(call, 0);
    const keel_tensor_desc_t& indices = input_desc(call, 1);
    const keel_tensor_desc_t& updates = input_desc(call, 2);
    Args args = args_;
    args.y_offset = element_offset(y);
    args.data_offset = element_offset(data);
    args.index_offset = element_offset(indices);
    args.update_offset = element_offset(updates);
    // Empty indices are never read; data's buffer stands in for them.
    const bool any = reads_updates_;
    KernelArgs launch;
    launch.mem(buffer_of(y)).mem(buffer_of(data));
    launch.mem(any ? buffer_of(indices) : buffer_of(data)).mem(any ? buffer_of(updates) : buffer_of(data));
    launch.value(args);
    submit(queue, kernel_, std::move(launch), range_);
  }

 private:
  Kernel& kernel_;
  Args args_;
  bool reads_updates_;
  Range range_;
};

}  // namespace

ProgramSpec scatter_program(keel_dtype_t dtype, keel_dtype_t index) {
  return {concat("scatter/", dtype_name(dtype), "_", dtype_name(index)), [dtype, index](const DeviceInfo& /*device*/) {
            std::string source;
            if (dtype == KEEL_DTYPE_F64) source += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
            source += cl_sources::common;
            source += concat("#define KEEL_T ", cl_type(dtype), "\n#define KEEL_INDEX ", cl_type(index),
                             "\n#define KEEL_NAME(x) x##_", dtype_name(dtype), "_", dtype_name(index), "\n");
            if (is_float(dtype)) {
              source +=
                  "#define KEEL_ADD(a, b) ((a) + (b))\n#define KEEL_MAX(a, b) KEEL_FLOAT_MAX(a, b)\n"
                  "#define KEEL_MIN(a, b) (isnan(a) ? (a) : isnan(b) ? (b) : (a) == (b) ? (signbit(a) ? (a) : (b)) "
                  ": (a) < (b) ? (a) : (b))\n";
            } else if (dtype == KEEL_DTYPE_BOOL) {
              // bool adds and takes the maximum as or, the minimum as and (any non-zero byte is true).
              source +=
                  "#define KEEL_ADD(a, b) (KEEL_T)((a) != 0 || (b) != 0)\n#define KEEL_MAX(a, b) KEEL_ADD(a, b)\n"
                  "#define KEEL_MIN(a, b) (KEEL_T)((a) != 0 && (b) != 0)\n";
            } else {
              const char* u = cl_unsigned_type(dtype);
              source += concat(
                  "#define KEEL_ADD(a, b) as_", cl_type(dtype), "(as_", u, "(a) + as_", u, "(b))\n",
                  "#define KEEL_MAX(a, b) ((a) > (b) ? (a) : (b))\n#define KEEL_MIN(a, b) ((a) < (b) ? (a) : (b))\n");
            }
            source += cl_sources::scatter;
            return source;
          }};
}

std::unique_ptr<Plan> plan_scatter_elements(Device& device, const keel_kernel_call_t& call) {
  using A = keel_scatter_elements_attrs_t;
  constexpr A kDefaults = KEEL_SCATTER_ELEMENTS_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &A::axis, &A::reduction);
  const View data = view_of(input_desc(call, 0));
  const View indices = view_of(input_desc(call, 1));
  const View updates = view_of(input_desc(call, 2));
  const View y = view_of(output_desc(call, 0));
  if (indices.dtype != KEEL_DTYPE_I32 && indices.dtype != KEEL_DTYPE_I64) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "indices is ", dtype_name(indices.dtype), ", not i32 or i64");
  }
  if (updates.dtype != data.dtype || y.dtype != data.dtype) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "data, updates and y differ in dtype");
  }
  if (attrs.reduction > KEEL_SCATTER_ELEMENTS_REDUCTION_MIN) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute reduction ", attrs.reduction, " is unknown");
  }
  if (indices.rank != data.rank)
    fail(KEEL_STATUS_INVALID_ARGUMENT, "indices has rank ", indices.rank, ", not ", data.rank);
  require_shape(updates, indices.rank, indices.shape.data(), "input updates");
  require_shape(y, data.rank, data.shape.data(), "output y");
  const uint32_t axis = normalize_axis(attrs.axis, data.rank, "axis");
  ClScatterArgs args;
  args.rank = data.rank;
  args.axis = axis;
  args.mode = attrs.reduction;
  args.length = indices.shape[axis];
  args.d = data.shape[axis];
  for (uint32_t k = 0; k < data.rank; ++k) {
    if (k != axis && indices.shape[k] > data.shape[k]) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "indices is longer than data along axis ", k);
    }
    args.shape[k] = data.shape[k];
    args.limit[k] = indices.shape[k];
    args.y_stride[k] = y.strides[k];
    args.data_stride[k] = data.strides[k];
    args.index_stride[k] = indices.strides[k];
    args.update_stride[k] = updates.strides[k];
  }
  if (indices.count() == 0) args.length = 0;  // an empty indices leaves every element as data
  args.count = y.count();
  if (args.count == 0) return std::make_unique<EmptyPlan>();
  Program& program = device.programs().get(scatter_program(data.dtype, indices.dtype));
  Kernel& kernel =
      program.kernel(concat("keel_scatter_elements_", dtype_name(data.dtype), "_", dtype_name(indices.dtype)));
  return std::make_unique<ScatterPlan<ClScatterArgs>>(kernel, args, args.length > 0);
}

std::unique_ptr<Plan> plan_scatter_nd(Device& device, const keel_kernel_call_t& call) {
  using A = keel_scatter_nd_attrs_t;
  constexpr A kDefaults = KEEL_SCATTER_ND_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &A::reduction, &A::batch_dims);
  const View data = view_of(input_desc(call, 0));
  const View indices = view_of(input_desc(call, 1));
  const View updates = view_of(input_desc(call, 2));
  const View y = view_of(output_desc(call, 0));
  if (indices.dtype != KEEL_DTYPE_I32 && indices.dtype != KEEL_DTYPE_I64) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "indices is ", dtype_name(indices.dtype), ", not i32 or i64");
  }
  if (updates.dtype != data.dtype || y.dtype != data.dtype) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "data, updates and y differ in dtype");
  }
  if (attrs.reduction > KEEL_SCATTER_ND_REDUCTION_MIN) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute reduction ", attrs.reduction, " is unknown");
  }
  require_shape(y, data.rank, data.shape.data(), "output y");
  if (indices.rank < 1) fail(KEEL_STATUS_INVALID_ARGUMENT, "indices needs rank >= 1");
  const int64_t b = attrs.batch_dims;
  const int64_t k = indices.shape[indices.rank - 1];
  const uint32_t lead = indices.rank - 1;
  if (b < 0 || b > static_cast<int64_t>(lead) || b + k > static_cast<int64_t>(data.rank)) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "batch_dims ", b, " and tuples of ", k, " do not fit data ", data.shape_text(),
         " and indices ", indices.shape_text());
  }
  // updates is indices.shape[:-1] + data.shape[b + k:].
  std::array<int64_t, kMaxRank> expected{};
  uint32_t expected_rank = 0;
  for (uint32_t j = 0; j < lead; ++j) expected[expected_rank++] = indices.shape[j];
  for (int64_t j = b + k; j < data.rank; ++j) {
    if (expected_rank == kMaxRank) fail(KEEL_STATUS_INVALID_ARGUMENT, "updates would have rank above ", kMaxRank);
    expected[expected_rank++] = data.shape[j];
  }
  require_shape(updates, expected_rank, expected.data(), "input updates");
  ClScatterNdArgs args;
  args.rank = data.rank;
  args.batch = b;
  args.k = k;
  args.mode = attrs.reduction;
  args.tuple_stride = indices.strides[lead];
  for (uint32_t j = 0; j < data.rank; ++j) {
    args.shape[j] = data.shape[j];
    args.y_stride[j] = y.strides[j];
    args.data_stride[j] = data.strides[j];
    if (j < b) {
      if (indices.shape[j] != data.shape[j])
        fail(KEEL_STATUS_INVALID_ARGUMENT, "data and indices differ on batch axis ", j);
      args.index_batch_stride[j] = indices.strides[j];
      args.update_batch_stride[j] = updates.strides[j];
    } else if (j >= b + k) {
      args.update_trailing_stride[j] = updates.strides[lead + j - (b + k)];
    }
  }
  args.rest_count = 1;
  for (uint32_t j = static_cast<uint32_t>(b); j < lead; ++j) {
    args.rest_shape[args.rest_rank] = indices.shape[j];
    args.index_rest_stride[args.rest_rank] = indices.strides[j];
    args.update_rest_stride[args.rest_rank++] = updates.strides[j];
    args.rest_count *= indices.shape[j];
  }
  args.count = y.count();
  if (args.count == 0) return std::make_unique<EmptyPlan>();
  // With k = 0 the indices are empty yet every update row applies (to the whole trailing slice).
  const bool reads_updates = updates.count() > 0;
  if (!reads_updates) args.rest_count = 0;
  Program& program = device.programs().get(scatter_program(data.dtype, indices.dtype));
  Kernel& kernel = program.kernel(concat("keel_scatter_nd_", dtype_name(data.dtype), "_", dtype_name(indices.dtype)));
  return std::make_unique<ScatterPlan<ClScatterNdArgs>>(kernel, args, reads_updates);
}

}  // namespace keel::opencl
