// Operators that accumulate (reductions, softmax, matmul) on the CUDA device against the reference plugin,
// with the spec's accumulation bounds c·K·ε·M. Matmul covers the layouts cuBLAS takes (row- and column-major
// operands, broadcast batches) and those left to the plugin's own kernel (strided, reversed).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "harness/op_check.h"
#include "keel/keel_ops.h"

namespace keel::cuda_test {
namespace {

constexpr keel_dtype_t kFloat[] = {KEEL_DTYPE_F32, KEEL_DTYPE_F16, KEEL_DTYPE_BF16, KEEL_DTYPE_F64};
constexpr keel_dtype_t kNumeric[] = {KEEL_DTYPE_F32, KEEL_DTYPE_F16, KEEL_DTYPE_BF16,
                                     KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64};

struct Reduction {
  Dims shape;
  std::vector<int64_t> axes;
  bool keepdims;
};

const std::vector<Reduction> kReductions = {
    {{}, {}, false},          {{5}, {}, false},           {{3, 4}, {1}, false},      {{3, 4}, {-2}, true},
    {{2, 3, 4, 5}, {1, 3}, false}, {{2, 3, 4, 5}, {}, true}, {{0, 3}, {1}, false},    {{4, 0}, {1}, true},
    {{100000}, {}, false},     {{3, 70000}, {1}, false},   {{70000, 3}, {0}, false}, {{64, 33, 17}, {0, 2}, true},
};

// K = the number of elements combined into each output.
KFunction reduction_size(const Reduction& r) {
  return [r](const std::vector<HostValues>& inputs, const HostValues& out) {
    const int64_t total = inputs[0].count();
    const int64_t outputs = out.count();
    return std::vector<double>(static_cast<size_t>(outputs), outputs == 0 ? 0.0 : double(total) / double(outputs));
  };
}

template <class Attrs>
void check_reduction(const char* op, Attrs attrs, const Reduction& r, keel_dtype_t dtype, Generator& generator,
                     Layout layout) {
  attrs.axes = r.axes.data();
  attrs.axes_count = r.axes.size();
  attrs.keepdims = r.keepdims ? 1 : 0;
  OpCase c{op, {generator.make(dtype, r.shape, std::string(op) == "reduce_max" ? Domain::kAny : Domain::kFinite)}};
  c.attrs = &attrs;
  c.in_layout = layout;
  if (std::string(op) == "reduce_max" || !is_float(dtype)) {
    check_op(c, Tolerance::exact());  // integers wrap, so integer sums are exact too
  } else {
    check_op(c, Tolerance::accumulation(2), reduction_size(r));
  }
}

class CudaAccumulateTest : public GpuTest {};

TEST_F(CudaAccumulateTest, ReduceSum) {
  Generator generator(11);
  for (const keel_dtype_t dtype : kNumeric) {
    for (const Reduction& r : kReductions) {
      for (const Layout layout : {Layout::kDense, Layout::kTransposed, Layout::kReversed}) {
        check_reduction("reduce_sum", keel_reduce_sum_attrs_t KEEL_REDUCE_SUM_ATTRS_INIT, r, dtype, generator, layout);
      }
    }
  }
}

TEST_F(CudaAccumulateTest, ReduceMean) {
  Generator generator(12);
  for (const keel_dtype_t dtype : kFloat) {
    for (const Reduction& r : kReductions) {
      check_reduction("reduce_mean", keel_reduce_mean_attrs_t KEEL_REDUCE_MEAN_ATTRS_INIT, r, dtype, generator,
                      Layout::kStrided);
    }
  }
}

TEST_F(CudaAccumulateTest, ReduceMax) {
  Generator generator(13);
  for (const keel_dtype_t dtype : kNumeric) {
    for (const Reduction& r : kReductions) {
      if (count_of(r.shape) == 0) continue;  // C3: reducing an empty set is an error for max
      check_reduction("reduce_max", keel_reduce_max_attrs_t KEEL_REDUCE_MAX_ATTRS_INIT, r, dtype, generator,
                      Layout::kReversed);
    }
  }
}

TEST_F(CudaAccumulateTest, ReductionsAreDeterministic) {
  if (!env().testing_cuda()) GTEST_SKIP() << "checks the CUDA plugin";
  Generator generator(14);
  const HostValues x = generator.make(KEEL_DTYPE_F32, {1 << 22}, Domain::kFinite);
  DeviceTensor input = upload(device(), KEEL_DTYPE_F32, x, Layout::kDense);
  const std::vector<DeviceTensor> first = run_op(device(), "reduce_sum", nullptr, {&input}, Layout::kDense);
  for (int run = 0; run < 3; ++run) {
    const std::vector<DeviceTensor> again = run_op(device(), "reduce_sum", nullptr, {&input}, Layout::kDense);
    EXPECT_EQ(download_bytes(first[0]), download_bytes(again[0])) << "run " << run;
  }
}

// K for softmax: the length of the slice plus the largest |x - max(x)| in it, per output element.
KFunction softmax_k(int64_t axis) {
  return [axis](const std::vector<HostValues>& inputs, const HostValues&) {
    const HostValues& x = inputs[0];
    const int64_t rank = static_cast<int64_t>(x.shape.size());
    const int64_t a = axis < 0 ? axis + rank : axis;
    int64_t inner = 1;
    for (int64_t d = a + 1; d < rank; ++d) inner *= x.shape[d];
    const int64_t length = x.shape[a];
    std::vector<double> ks(x.values.size());
    for (int64_t i = 0; i < x.count(); ++i) {
      const int64_t start = (i / (inner * length)) * inner * length + i % inner;
      // -inf elements contribute exactly 0; they do not widen the range.
      double top = -INFINITY, range = 0;
      for (int64_t r = 0; r < length; ++r) top = std::max(top, x.values[start + r * inner]);
      for (int64_t r = 0; r < length; ++r) {
        const double value = x.values[start + r * inner];
        if (std::isfinite(value) && std::isfinite(top)) range = std::max(range, std::fabs(value - top));
      }
      ks[i] = double(length) + range;
    }
    return ks;
  };
}

TEST_F(CudaAccumulateTest, Softmax) {
  Generator generator(15);
  const std::vector<std::pair<Dims, int64_t>> cases = {{{1}, 0},      {{7}, -1},          {{3, 4}, 0},
                                                       {{3, 4}, -1},   {{2, 3, 4, 5}, 1},  {{4, 2000}, -1},
                                                       {{0, 5}, 1},    {{2, 1, 3}, 1}};
  for (const keel_dtype_t dtype : kFloat) {
    for (const auto& [shape, axis] : cases) {
      for (const Layout layout : {Layout::kDense, Layout::kReversed}) {
        keel_softmax_attrs_t attrs = KEEL_SOFTMAX_ATTRS_INIT;
        attrs.axis = axis;
        OpCase c{"softmax", {generator.make(dtype, shape, Domain::kFinite)}};
        c.attrs = &attrs;
        c.in_layout = layout;
        check_op(c, Tolerance::accumulation(4), softmax_k(axis), Magnitude::kOutput);
      }
    }
  }
}

TEST_F(CudaAccumulateTest, SoftmaxSpecialSlices) {
  // A NaN anywhere, a +inf maximum or a slice of only -inf makes the whole slice NaN.
  const double inf = INFINITY;
  HostValues x{KEEL_DTYPE_F32, {4, 3}, {1, std::nan(""), 2, 1, inf, 2, -inf, -inf, -inf, 1, 2, -inf}};
  OpCase c{"softmax", {x}};
  check_op(c, Tolerance::accumulation(4), softmax_k(-1), Magnitude::kOutput);
}

TEST_F(CudaAccumulateTest, LogSoftmax) {
  Generator generator(18);
  for (const keel_dtype_t dtype : kFloat) {
    for (const auto& [shape, axis] : std::vector<std::pair<Dims, int64_t>>{{{7}, 0}, {{3, 4}, 0}, {{2, 3, 40}, -1}}) {
      keel_log_softmax_attrs_t attrs = KEEL_LOG_SOFTMAX_ATTRS_INIT;
      attrs.axis = axis;
      OpCase c{"log_softmax", {generator.make(dtype, shape, Domain::kFinite)}};
      c.attrs = &attrs;
      c.in_layout = Layout::kReversed;
      check_op(c, Tolerance::accumulation(4), softmax_k(axis), Magnitude::kOutputPlusOne);
    }
  }
}

TEST_F(CudaAccumulateTest, ReduceMinAndProd) {
  Generator generator(19);
  for (const keel_dtype_t dtype : kNumeric) {
    for (const Reduction& r : kReductions) {
      if (count_of(r.shape) > 5000) continue;  // products of many factors only over- or underflow
      if (count_of(r.shape) != 0) {
        check_reduction("reduce_min", keel_reduce_min_attrs_t KEEL_REDUCE_MIN_ATTRS_INIT, r, dtype, generator,
                        Layout::kTransposed);
      }
      keel_reduce_prod_attrs_t attrs = KEEL_REDUCE_PROD_ATTRS_INIT;
      attrs.axes = r.axes.data();
      attrs.axes_count = r.axes.size();
      attrs.keepdims = r.keepdims ? 1 : 0;
      OpCase c{"reduce_prod", {generator.make(dtype, r.shape, Domain::kSmallInts)}};
      c.attrs = &attrs;
      if (is_float(dtype)) {
        check_op(c, Tolerance::accumulation(2), reduction_size(r), Magnitude::kOutput);
      } else {
        check_op(c, Tolerance::exact());
      }
    }
  }
}

TEST_F(CudaAccumulateTest, ArgmaxAndArgmin) {
  Generator generator(20);
  for (const keel_dtype_t dtype : kNumeric) {
    for (const auto& [shape, axis] : std::vector<std::pair<Dims, int64_t>>{
             {{9}, 0}, {{3, 4}, 1}, {{3, 4}, -2}, {{2, 3, 2000}, 2}, {{5, 1, 3}, 1}}) {
      for (const bool keepdims : {false, true}) {
        keel_argmax_attrs_t max_attrs = KEEL_ARGMAX_ATTRS_INIT;
        max_attrs.axis = axis;
        max_attrs.keepdims = keepdims ? 1 : 0;
        keel_argmin_attrs_t min_attrs = KEEL_ARGMIN_ATTRS_INIT;
        min_attrs.axis = axis;
        min_attrs.keepdims = keepdims ? 1 : 0;
        // Small integers make ties (and, for floats, ±0 and NaN from kAny) common.
        const HostValues x = generator.make(dtype, shape, keepdims ? Domain::kSmallInts : Domain::kAny);
        OpCase arg_max{"argmax", {x}};
        arg_max.attrs = &max_attrs;
        arg_max.in_layout = Layout::kReversed;
        check_op(arg_max, Tolerance::exact());
        OpCase arg_min{"argmin", {x}};
        arg_min.attrs = &min_attrs;
        check_op(arg_min, Tolerance::exact());
      }
    }
  }
}

struct MatmulShape {
  Dims a, b;
};

const std::vector<MatmulShape> kMatmuls = {
    {{3, 4}, {4, 5}},       {{4}, {4, 5}},         {{3, 4}, {4}},          {{4}, {4}},
    {{2, 3, 4}, {4, 5}},    {{2, 1, 3, 4}, {5, 4, 2}}, {{3, 0}, {0, 2}},   {{1, 1}, {1, 1}},
    {{64, 128}, {128, 96}}, {{2, 17, 33}, {2, 33, 9}}, {{0, 4}, {4, 3}},
};

// K = the contracted dimension.
KFunction inner_dim(const MatmulShape& s) {
  return [s](const std::vector<HostValues>&, const HostValues& out) {
    return std::vector<double>(static_cast<size_t>(out.count()), static_cast<double>(s.a.back()));
  };
}

TEST_F(CudaAccumulateTest, Matmul) {
  Generator generator(16);
  for (const keel_dtype_t dtype : kFloat) {
    for (const MatmulShape& s : kMatmuls) {
      // Dense and transposed operands fit cuBLAS; strided and reversed ones go to the plugin's own kernel.
      for (const Layout layout : {Layout::kDense, Layout::kTransposed, Layout::kStrided, Layout::kReversed}) {
        OpCase c{"matmul", {generator.make(dtype, s.a, Domain::kFinite), generator.make(dtype, s.b, Domain::kFinite)}};
        c.in_layout = layout;
        c.out_layout = layout == Layout::kTransposed ? Layout::kTransposed : Layout::kDense;
        check_op(c, Tolerance::accumulation(2), inner_dim(s));
      }
    }
  }
}

TEST_F(CudaAccumulateTest, MatmulOfSmallIntegersIsExact) {
  Generator generator(17);
  for (const keel_dtype_t dtype : kFloat) {
    OpCase c{"matmul", {generator.make(dtype, {33, 20}, Domain::kSmallInts),
                        generator.make(dtype, {20, 40}, Domain::kSmallInts)}};
    check_op(c, Tolerance::exact());
  }
}

TEST_F(CudaAccumulateTest, Gemm) {
  Generator generator(21);
  for (const keel_dtype_t dtype : kFloat) {
    for (const bool trans_a : {false, true}) {
      for (const bool trans_b : {false, true}) {
        for (int variant = 0; variant < 4; ++variant) {  // c: [7, 5], [5], 0-D, absent
          const Dims c_shape = variant == 0 ? Dims{7, 5} : (variant == 1 ? Dims{5} : Dims{});
          keel_gemm_attrs_t attrs = KEEL_GEMM_ATTRS_INIT;
          attrs.alpha = 0.5;
          attrs.beta = variant == 1 ? 0.0 : 2.0;  // beta = 0 with c present goes to the plugin's own kernel
          attrs.trans_a = trans_a;
          attrs.trans_b = trans_b;
          const Dims a = trans_a ? Dims{6, 7} : Dims{7, 6}, b = trans_b ? Dims{5, 6} : Dims{6, 5};
          const HostValues addend =
              variant == 3 ? HostValues{KEEL_DTYPE_INVALID, {}, {}} : generator.make(dtype, c_shape, Domain::kFinite);
          OpCase c{"gemm", {generator.make(dtype, a, Domain::kFinite), generator.make(dtype, b, Domain::kFinite),
                            addend}};
          c.attrs = &attrs;
          c.in_layout = trans_a ? Layout::kTransposed : Layout::kDense;
          check_op(c, Tolerance::accumulation(2), [](const std::vector<HostValues>&, const HostValues& out) {
            return std::vector<double>(static_cast<size_t>(out.count()), 6.0);
          });
        }
      }
    }
  }
}

}  // namespace
}  // namespace keel::cuda_test
