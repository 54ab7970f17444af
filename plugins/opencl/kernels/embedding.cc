// embedding_backward (ir_spec/ops/training.yaml): dw[r, :] sums the dy rows whose index is r.
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

// Mirrors keel_embedding_args of kernels/cl/embedding.cl.
struct ClEmbeddingArgs {
  int64_t rows = 0;
  int64_t width = 0;
  int64_t padding_idx = -1;
  int64_t dw_offset = 0;
  int64_t dw_row = 0;
  int64_t dw_col = 0;
  int64_t dy_col = 0;
  ClLayout positions;
};
static_assert(sizeof(ClEmbeddingArgs) == 7 * 8 + sizeof(ClLayout));

class EmbeddingPlan final : public Plan {
 public:
  EmbeddingPlan(Kernel& kernel, ClEmbeddingArgs args) : kernel_(kernel), args_(args) {
    range_ = linear_range(static_cast<uint64_t>(args_.rows * args_.width), element_group_size(kernel_));
  }

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const keel_tensor_desc_t& dy = input_desc(call, 0);
    const keel_tensor_desc_t& indices = input_desc(call, 1);
    const keel_tensor_desc_t& dw = output_desc(call, 0);
    ClEmbeddingArgs args = args_;
    args.dw_offset = element_offset(dw);
    args.positions.offset[0] = element_offset(indices);
    args.positions.offset[1] = element_offset(dy);
    KernelArgs launch;
    // With no positions the kernel reads neither input; dw's buffer stands in for empty ones.
    const bool any = args.positions.count > 0;
    launch.mem(buffer_of(dw)).mem(any ? buffer_of(indices) : buffer_of(dw)).mem(any ? buffer_of(dy) : buffer_of(dw));
    launch.value(args);
    submit(queue, kernel_, std::move(launch), range_);
  }

 private:
  Kernel& kernel_;
  ClEmbeddingArgs args_;
  Range range_;
};

}  // namespace

ProgramSpec embedding_program(keel_dtype_t dtype, keel_dtype_t index) {
  return {concat("embedding/", dtype_name(dtype), "_", dtype_name(index)),
          [dtype, index](const DeviceInfo& /*device*/) {
            std::string source;
            if (dtype == KEEL_DTYPE_F64) source += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
            source += cl_sources::common;
            source += concat("#define KEEL_T ", cl_type(dtype), "\n#define KEEL_INDEX ", cl_type(index),
                             "\n#define KEEL_NAME(x) x##_", dtype_name(dtype), "_", dtype_name(index), "\n");
            source += cl_sources::embedding;
            return source;
          }};
}

std::unique_ptr<Plan> plan_embedding_backward(Device& device, const keel_kernel_call_t& call) {
  using A = keel_embedding_backward_attrs_t;
  constexpr A kDefaults = KEEL_EMBEDDING_BACKWARD_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &A::num_weights, &A::padding_idx);
  const View dy = view_of(input_desc(call, 0));
  const View indices = view_of(input_desc(call, 1));
  const View dw = view_of(output_desc(call, 0));
  if (indices.dtype != KEEL_DTYPE_I32 && indices.dtype != KEEL_DTYPE_I64) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "indices is ", dtype_name(indices.dtype), ", not i32 or i64");
  }
  if (dw.dtype != dy.dtype)
    fail(KEEL_STATUS_INVALID_ARGUMENT, "output dw is ", dtype_name(dw.dtype), ", not dy's ", dtype_name(dy.dtype));
  if (attrs.num_weights < 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute num_weights is ", attrs.num_weights);
  if (dy.rank != indices.rank + 1)
    fail(KEEL_STATUS_INVALID_ARGUMENT, "dy needs rank ", indices.rank + 1, ", not ", dy.rank);
  const int64_t width = dy.shape[indices.rank];
  const int64_t expected[] = {attrs.num_weights, width};
  require_shape(dw, 2, expected, "output dw");
  ClEmbeddingArgs args;
  args.rows = attrs.num_weights;
  args.width = width;
  args.padding_idx = attrs.padding_idx;
  args.dw_row = dw.strides[0];
  args.dw_col = dw.strides[1];
  args.dy_col = dy.strides[indices.rank];
  View rows = dy;  // dy without its last axis
  rows.rank = indices.rank;
  require_shape(rows, indices.rank, indices.shape.data(), "dy without its last axis");
  const View views[] = {indices, rows};
  args.positions = joint_layout(views);
  if (dw.count() == 0) return std::make_unique<EmptyPlan>();
  Program& program = device.programs().get(embedding_program(dy.dtype, indices.dtype));
  Kernel& kernel =
      program.kernel(concat("keel_embedding_backward_", dtype_name(dy.dtype), "_", dtype_name(indices.dtype)));
  return std::make_unique<EmbeddingPlan>(kernel, args);
}

}  // namespace keel::opencl
