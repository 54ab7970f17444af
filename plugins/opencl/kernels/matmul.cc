// matmul (ir_spec/ops/linalg.yaml) with numpy semantics: batch axes broadcast, a 1-D a is a row [1, K] whose
// M axis is dropped from the result, a 1-D b a column [K, 1] whose N axis is dropped. One launch of the
// tiled kernel (kernels/cl/matmul.cl) over (N tiles, M tiles, batch); K = 0 fills y with zeros.
#include <algorithm>

#include "device.h"
#include "kernels/args.h"
#include "kernels/call.h"
#include "kernels/cl_sources.h"
#include "kernels/dtype.h"
#include "kernels/launch.h"
#include "kernels/ops.h"
#include "kernels/programs.h"

namespace keel::opencl {
namespace {

// The tile shape for a device: KEEL_GROUP^2 work-items, each computing KEEL_WORK^2 outputs.
struct Tiles {
  int group;
  int work;
  int depth;
  int tile() const { return group * work; }
};

Tiles tiles_for(const DeviceInfo& device) {
  if (device.max_work_group >= 256) return {16, 4, 16};
  return {8, 4, 16};
}

std::string generate(const DeviceInfo& device, keel_dtype_t dtype) {
  const Tiles tiles = tiles_for(device);
  std::string source;
  if (dtype == KEEL_DTYPE_F64) source += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
  source += cl_sources::common;
  source += concat("#define KEEL_GROUP ", tiles.group, "\n#define KEEL_WORK ", tiles.work, "\n#define KEEL_DEPTH ",
                   tiles.depth, "\n#define KEEL_TILE ", tiles.tile(), "\n");
  source += device.hardware_fma ? "#define KEEL_MAD(a, b, c) fma(a, b, c)\n" : "#define KEEL_MAD(a, b, c) ((a) * (b) + (c))\n";
  source += concat("#define KEEL_T ", cl_type(dtype), "\n#define KEEL_NAME(x) x##_", dtype_name(dtype), "\n");
  source += cl_sources::matmul;
  return source;
}

// `view` with an axis of size 1 inserted at `position` (stride 0: it is never stepped).
View with_unit_axis(const View& view, uint32_t position) {
  View result = view;
  result.rank = view.rank + 1;
  for (uint32_t k = view.rank; k > position; --k) {
    result.shape[k] = view.shape[k - 1];
    result.strides[k] = view.strides[k - 1];
  }
  result.shape[position] = 1;
  result.strides[position] = 0;
  return result;
}

// The batch axes of a matrix view (all but the last two).
View batch_of(const View& view) {
  View batch = view;
  batch.rank = view.rank - 2;
  return batch;
}

class MatmulPlan final : public Plan {
 public:
  MatmulPlan(Kernel& kernel, ClMatmulArgs args, Range range) : kernel_(kernel), args_(args), range_(range) {}

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const keel_tensor_desc_t& a = input_desc(call, 0);
    const keel_tensor_desc_t& b = input_desc(call, 1);
    const keel_tensor_desc_t& y = output_desc(call, 0);
    ClMatmulArgs args = args_;
    args.batch.offset[0] = element_offset(y);
    args.batch.offset[1] = element_offset(a);
    args.batch.offset[2] = element_offset(b);
    KernelArgs launch;
    launch.mem(buffer_of(y)).mem(buffer_of(a)).mem(buffer_of(b)).value(args);
    submit(queue, kernel_, std::move(launch), range_);
  }

 private:
  Kernel& kernel_;
  ClMatmulArgs args_;
  Range range_;
};

}  // namespace

ProgramSpec matmul_program(keel_dtype_t dtype) {
  return {concat("matmul/", dtype_name(dtype)), [dtype](const DeviceInfo& device) { return generate(device, dtype); }};
}

std::unique_ptr<Plan> plan_matmul(Device& device, const keel_kernel_call_t& call) {
  const View a_in = view_of(input_desc(call, 0));
  const View b_in = view_of(input_desc(call, 1));
  const View y_in = view_of(output_desc(call, 0));
  if (a_in.rank < 1 || b_in.rank < 1) fail(KEEL_STATUS_INVALID_ARGUMENT, "a and b need rank 1 or more");
  if (b_in.dtype != a_in.dtype || y_in.dtype != a_in.dtype) fail(KEEL_STATUS_INVALID_ARGUMENT, "the dtypes differ");

  // Promote 1-D operands to matrices, and give y back the axes they drop.
  const View a = a_in.rank == 1 ? with_unit_axis(a_in, 0) : a_in;  // [K] -> [1, K]
  const View b = b_in.rank == 1 ? with_unit_axis(b_in, 1) : b_in;  // [K] -> [K, 1]
  View y = y_in;
  if (a_in.rank == 1) y = with_unit_axis(y, y.rank - (b_in.rank == 1 ? 0 : 1));
  if (b_in.rank == 1) y = with_unit_axis(y, y.rank);
  if (y.rank < 2) fail(KEEL_STATUS_INVALID_ARGUMENT, "output y has the wrong rank");

  const int64_t m = a.shape[a.rank - 2];
  const int64_t k = a.shape[a.rank - 1];
  const int64_t n = b.shape[b.rank - 1];
  if (b.shape[b.rank - 2] != k) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "a ", a_in.shape_text(), " and b ", b_in.shape_text(),
         " disagree on the contracted dimension");
  }
  const View y_batch = batch_of(y);
  if (y.shape[y.rank - 2] != m || y.shape[y.rank - 1] != n) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "output y ", y_in.shape_text(), " does not fit a ", a_in.shape_text(),
         " times b ", b_in.shape_text());
  }
  if (y.count() == 0) return std::make_unique<EmptyPlan>();
  if (k == 0) return make_fill_plan(device, y_in, 0);  // empty sums: +0 everywhere

  const View batches[] = {y_batch, broadcast_to(batch_of(a), y_batch.rank, y_batch.shape.data()),
                          broadcast_to(batch_of(b), y_batch.rank, y_batch.shape.data())};
  ClMatmulArgs args;
  args.m = m;
  args.n = n;
  args.k = k;
  args.a_row = a.strides[a.rank - 2];
  args.a_col = a.strides[a.rank - 1];
  args.b_row = b.strides[b.rank - 2];
  args.b_col = b.strides[b.rank - 1];
  args.y_row = y.strides[y.rank - 2];
  args.y_col = y.strides[y.rank - 1];
  args.batch = joint_layout(batches);

  const Tiles tiles = tiles_for(device.info());
  Kernel& kernel = device.programs().get(matmul_program(a.dtype)).kernel(concat("keel_matmul_", dtype_name(a.dtype)));
  Range range;
  range.dims = 3;
  range.local[0] = range.local[1] = static_cast<size_t>(tiles.group);
  range.local[2] = 1;
  range.global[0] = static_cast<size_t>((n + tiles.tile() - 1) / tiles.tile() * tiles.group);
  range.global[1] = static_cast<size_t>((m + tiles.tile() - 1) / tiles.tile() * tiles.group);
  range.global[2] = static_cast<size_t>(args.batch.count);
  return std::make_unique<MatmulPlan>(kernel, args, range);
}

}  // namespace keel::opencl
