// reduce_sum reduce_mean reduce_max reduce_min reduce_prod (ir_spec/ops/reduction.yaml), and the programs of the
// reductions and of softmax.
//
// The outputs are enumerated over the kept axes and each output's elements over the reduced axes, both
// collapsed. Short reductions over many outputs run one work-item per output (_rows); the others one
// work-group per output, split into chunks over several work-groups when there are too few outputs to fill
// the device, with a second launch combining the chunks. Floats accumulate in their own type: every
// work-item sums a strided run, then the work-group combines in a tree, well inside the spec's bound of
// 2 * K * eps * sum|x|. Integer sums wrap.
#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "cl/error.h"
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
#include "queue.h"

namespace keel::opencl {
namespace {

struct ReduceOp {
  const char* name;
  bool floats_only;
  const char* float_macros;  // KEEL_IDENTITY, KEEL_COMBINE, KEEL_EMPTY
  const char* int_macros;
};

constexpr ReduceOp kReduceOps[] = {
    {"sum", false,
     "#define KEEL_IDENTITY ((KEEL_T)-0.0f)\n#define KEEL_COMBINE(acc, v) ((acc) + (v))\n#define KEEL_EMPTY ((KEEL_T)0)\n",
     "#define KEEL_IDENTITY ((KEEL_T)0)\n#define KEEL_COMBINE(acc, v) as_$T(as_$U(acc) + as_$U(v))\n"
     "#define KEEL_EMPTY ((KEEL_T)0)\n"},
    {"mean", true,
     "#define KEEL_IDENTITY ((KEEL_T)-0.0f)\n#define KEEL_COMBINE(acc, v) ((acc) + (v))\n#define KEEL_EMPTY ((KEEL_T)0)\n",
     nullptr},
    {"max", false,
     "#define KEEL_IDENTITY ((KEEL_T)(-INFINITY))\n#define KEEL_COMBINE(acc, v) KEEL_FLOAT_MAX(acc, v)\n"
     "#define KEEL_EMPTY (acc)\n",
     "#define KEEL_IDENTITY ($MIN)\n#define KEEL_COMBINE(acc, v) ((acc) > (v) ? (acc) : (v))\n#define KEEL_EMPTY (acc)\n"},
    // IEEE 754-2019 minimum: NaN if either is NaN; -0 below +0.
    {"min", false,
     "#define KEEL_IDENTITY ((KEEL_T)INFINITY)\n"
     "#define KEEL_COMBINE(acc, v) (isnan(acc) ? (acc) : isnan(v) ? (v) : (acc) == (v) ? (signbit(acc) ? (acc) : (v)) "
     ": (acc) < (v) ? (acc) : (v))\n#define KEEL_EMPTY (acc)\n",
     "#define KEEL_IDENTITY ($MAX)\n#define KEEL_COMBINE(acc, v) ((acc) < (v) ? (acc) : (v))\n"
     "#define KEEL_EMPTY (acc)\n"},
    {"prod", false,
     "#define KEEL_IDENTITY ((KEEL_T)1)\n#define KEEL_COMBINE(acc, v) ((acc) * (v))\n#define KEEL_EMPTY ((KEEL_T)1)\n",
     "#define KEEL_IDENTITY ((KEEL_T)1)\n#define KEEL_COMBINE(acc, v) as_$T(as_$U(acc) * as_$U(v))\n"
     "#define KEEL_EMPTY ((KEEL_T)1)\n"},
};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

const ReduceOp& reduce_op(const char* name) {
  for (const ReduceOp& op : kReduceOps) {
    if (std::string_view(op.name) == name) return op;
  }
  fail(KEEL_STATUS_INTERNAL, "no reduction called ", name);
}

std::string generate(const DeviceInfo& /*device*/, const ReduceOp& op, keel_dtype_t dtype) {
  std::string source;
  if (dtype == KEEL_DTYPE_F64) source += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
  source += cl_sources::common;
  const char* macros = is_float(dtype) ? op.float_macros : op.int_macros;
  if (macros == nullptr) fail(KEEL_STATUS_INTERNAL, "no ", op.name, " reduction for ", dtype_name(dtype));
  std::string text = replace_all(replace_all(macros, "$T", cl_type(dtype)), "$U", cl_unsigned_type(dtype));
  text = replace_all(text, "$MIN", dtype == KEEL_DTYPE_I32 ? "INT_MIN" : "LONG_MIN");
  text = replace_all(text, "$MAX", dtype == KEEL_DTYPE_I32 ? "INT_MAX" : "LONG_MAX");
  source += concat("#define KEEL_T ", cl_type(dtype), "\n#define KEEL_NAME(x) x##_", op.name, "_", dtype_name(dtype),
                   "\n", text);
  source += cl_sources::reduce;
  return source;
}

// Row-major strides of `layout`'s shape, times `scale`: the partial results of pass one.
void set_dense_strides(ClLayout& layout, size_t tensor, int64_t scale) {
  int64_t stride = scale;
  for (int64_t k = layout.rank - 1; k >= 0; --k) {
    layout.stride[tensor][k] = stride;
    stride *= layout.shape[k];
  }
}

size_t power_of_two_at_most(size_t limit) {
  size_t value = 1;
  while (value * 2 <= limit) value *= 2;
  return value;
}

class ReducePlan final : public Plan {
 public:
  struct Pass {
    Kernel* kernel = nullptr;
    ClReduceArgs args{};
    Range range;
    size_t local_bytes = 0;  // 0: the _rows kernel
  };

  ReducePlan(std::vector<Pass> passes, int64_t partials, size_t element_size)
      : passes_(std::move(passes)), partials_(partials), element_size_(element_size) {}

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const keel_tensor_desc_t& x = input_desc(call, 0);
    const keel_tensor_desc_t& y = output_desc(call, 0);
    std::vector<Pass> passes = passes_;
    ClRef<cl_mem> scratch;
    if (passes.size() == 2) {
      cl_int error = CL_SUCCESS;
      scratch = ClRef<cl_mem>(clCreateBuffer(queue.device().context(), CL_MEM_READ_WRITE,
                                             static_cast<size_t>(partials_) * element_size_, nullptr, &error));
      check(error, "clCreateBuffer (partial sums)");
      passes[0].args.kept.offset[1] = element_offset(x);
      passes[1].args.kept.offset[0] = element_offset(y);
    } else {
      passes[0].args.kept.offset[0] = element_offset(y);
      passes[0].args.kept.offset[1] = element_offset(x);
    }
    std::vector<KernelArgs> args(passes.size());
    for (size_t p = 0; p < passes.size(); ++p) {
      const cl_mem out = p + 1 < passes.size() ? scratch.get() : buffer_of(y);
      const cl_mem in = p == 0 ? buffer_of(x) : scratch.get();
      args[p].mem(out).mem(in).value(passes[p].args);
      if (passes[p].local_bytes > 0) args[p].local(passes[p].local_bytes);
    }
    queue.submit([passes = std::move(passes), args = std::move(args)](Stream& stream) {
      for (size_t p = 0; p < passes.size(); ++p) enqueue(stream, *passes[p].kernel, args[p], passes[p].range);
    });
  }

 private:
  std::vector<Pass> passes_;
  int64_t partials_;
  size_t element_size_;
};

}  // namespace

ProgramSpec reduce_program(const char* op_name, keel_dtype_t dtype) {
  const ReduceOp& op = reduce_op(op_name);
  return {concat("reduce/", op.name, "_", dtype_name(dtype)),
          [&op, dtype](const DeviceInfo& device) { return generate(device, op, dtype); }};
}

ProgramSpec softmax_program(keel_dtype_t dtype, bool log) {
  const char* prefix = log ? "log_" : "";
  return {concat("softmax/", prefix, dtype_name(dtype)), [dtype, log, prefix](const DeviceInfo& /*device*/) {
            std::string source;
            if (dtype == KEEL_DTYPE_F64) source += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
            source += cl_sources::common;
            source += concat("#define KEEL_T ", cl_type(dtype), "\n#define KEEL_NAME(x) x##_", prefix,
                             dtype_name(dtype), "\n#define KEEL_RESULT(v, m, sum) ",
                             log ? "(((v) - (m)) - log(sum))" : "(exp((v) - (m)) / (sum))", "\n");
            source += cl_sources::softmax;
            return source;
          }};
}

std::unique_ptr<Plan> plan_reduce(Device& device, const keel_kernel_call_t& call) {
  // The reductions have attribute structs of the same layout.
  constexpr keel_reduce_sum_attrs_t kDefaults = KEEL_REDUCE_SUM_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &keel_reduce_sum_attrs_t::axes,
                                &keel_reduce_sum_attrs_t::axes_count, &keel_reduce_sum_attrs_t::keepdims);
  static_assert(sizeof(keel_reduce_sum_attrs_t) == sizeof(keel_reduce_mean_attrs_t));
  static_assert(sizeof(keel_reduce_sum_attrs_t) == sizeof(keel_reduce_max_attrs_t));
  static_assert(sizeof(keel_reduce_sum_attrs_t) == sizeof(keel_reduce_min_attrs_t));
  static_assert(sizeof(keel_reduce_sum_attrs_t) == sizeof(keel_reduce_prod_attrs_t));
  const std::string_view op_name = call.op_name;
  if (!op_name.starts_with("reduce_")) fail(KEEL_STATUS_INTERNAL, "no reduction for operator ", op_name);
  const char* op = reduce_op(std::string(op_name.substr(7)).c_str()).name;
  const std::span<const int64_t> axes = ints(attrs.axes, attrs.axes_count, "axes");
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  if (x.dtype != y.dtype) fail(KEEL_STATUS_INVALID_ARGUMENT, "input and output dtypes differ");

  std::array<bool, kMaxRank> reduced{};
  if (axes.empty()) reduced.fill(true);
  for (const int64_t axis : axes) {
    const uint32_t k = normalize_axis(axis, x.rank, "axis");
    if (reduced[k]) fail(KEEL_STATUS_INVALID_ARGUMENT, "axes names axis ", k, " twice");
    reduced[k] = true;
  }
  // Views over the kept axes (y and x) and over the reduced axes (x).
  View y_kept, x_kept, x_reduced;
  y_kept.dtype = x_kept.dtype = x_reduced.dtype = x.dtype;
  std::array<int64_t, kMaxRank> expected{};
  uint32_t expected_rank = 0;
  for (uint32_t k = 0; k < x.rank; ++k) {
    if (reduced[k]) {
      x_reduced.shape[x_reduced.rank] = x.shape[k];
      x_reduced.strides[x_reduced.rank++] = x.strides[k];
      if (attrs.keepdims) expected[expected_rank++] = 1;
      continue;
    }
    const uint32_t y_axis = expected_rank;
    expected[expected_rank++] = x.shape[k];
    x_kept.shape[x_kept.rank] = x.shape[k];
    x_kept.strides[x_kept.rank] = x.strides[k];
    y_kept.shape[y_kept.rank] = x.shape[k];
    y_kept.strides[y_kept.rank] = y_axis < y.rank ? y.strides[y_axis] : 0;
    ++x_kept.rank;
    ++y_kept.rank;
  }
  require_shape(y, expected_rank, expected.data(), "output y");
  const int64_t outputs = x_kept.count();
  const int64_t length = x_reduced.count();
  if (outputs == 0) return std::make_unique<EmptyPlan>();

  Program& program = device.programs().get(reduce_program(op, x.dtype));
  const std::string suffix = concat(op, "_", dtype_name(x.dtype));
  Kernel& grouped = program.kernel("keel_reduce_" + suffix);
  Kernel& rows = program.kernel("keel_reduce_rows_" + suffix);
  const View kept_views[] = {y_kept, x_kept};
  ClReduceArgs base{};
  base.length = length;
  base.chunks = 1;
  base.chunk_length = length;
  base.divide = op_name == "reduce_mean" ? 1 : 0;
  base.total = length;
  base.kept = joint_layout(kept_views);
  base.reduced = side_of(x_reduced);
  base.reduced.offset = 0;

  const int64_t units = std::max<int64_t>(device.info().compute_units, 1);
  std::vector<ReducePlan::Pass> passes;
  if (length <= 64 || outputs >= 64 * units) {
    passes.push_back({&rows, base, linear_range(static_cast<uint64_t>(outputs), element_group_size(rows)), 0});
    return std::make_unique<ReducePlan>(std::move(passes), 0, dtype_size(x.dtype));
  }
  const size_t group = power_of_two_at_most(std::min<size_t>({128, grouped.work_group_size(),
                                                             static_cast<size_t>(length)}));
  const int64_t wanted_groups = 4 * units;
  const int64_t chunks = std::clamp<int64_t>((wanted_groups + outputs - 1) / outputs, 1,
                                             std::max<int64_t>(length / static_cast<int64_t>(group * 16), 1));
  const size_t local_bytes = group * dtype_size(x.dtype);
  Range range;
  range.local[0] = group;
  range.global[0] = static_cast<size_t>(outputs * chunks) * group;
  if (chunks == 1) {
    passes.push_back({&grouped, base, range, local_bytes});
    return std::make_unique<ReducePlan>(std::move(passes), 0, dtype_size(x.dtype));
  }
  // Pass one: chunk partials into a dense [outputs, chunks] scratch; pass two: combine each output's chunks.
  ClReduceArgs first = base;
  first.chunks = chunks;
  first.chunk_length = (length + chunks - 1) / chunks;
  first.chunk_stride = 1;
  first.divide = 0;
  set_dense_strides(first.kept, 0, chunks);
  ClReduceArgs second = base;
  second.length = chunks;
  second.chunk_length = chunks;
  set_dense_strides(second.kept, 1, chunks);
  second.reduced = ClSide{};
  second.reduced.rank = 1;
  second.reduced.shape[0] = chunks;
  second.reduced.stride[0] = 1;
  passes.push_back({&grouped, first, range, local_bytes});
  passes.push_back({&rows, second, linear_range(static_cast<uint64_t>(outputs), element_group_size(rows)), 0});
  return std::make_unique<ReducePlan>(std::move(passes), outputs * chunks, dtype_size(x.dtype));
}

}  // namespace keel::opencl
