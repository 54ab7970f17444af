// matmul (batched, broadcast, 1-D operands) and softmax, with the spec's accumulation bounds.
#include <cmath>
#include <limits>

#include "harness/ref_util.h"
#include "harness/test_support.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

struct MatmulCase {
  Dims a;
  Dims b;
};

// The numpy result shape, and a's/b's batch shapes promoted to matrices.
Dims matmul_shape(const Dims& a, const Dims& b) {
  const Dims a2 = a.size() == 1 ? Dims{1, a[0]} : a;
  const Dims b2 = b.size() == 1 ? Dims{b[0], 1} : b;
  Dims batch = broadcast_dims(Dims(a2.begin(), a2.end() - 2), Dims(b2.begin(), b2.end() - 2));
  if (a.size() > 1) batch.push_back(a2[a2.size() - 2]);
  if (b.size() > 1) batch.push_back(b2.back());
  return batch;
}

class Matmul : public BackendTest {
 protected:
  void check(const HostTensor& a, const HostTensor& b, const Layout& la, const Layout& lb, const Layout& ly) {
    const Dims shape = matmul_shape(a.shape, b.shape);
    SCOPED_TRACE("matmul " + name_of(a.dtype) + text_of(a.shape) + " x " + text_of(b.shape) + " " + la.label + ", " +
                 lb.label + " -> " + ly.label);
    const HostTensor y = run_one("matmul", nullptr, {a, b}, {la, lb}, a.dtype, shape, ly);
    if (y.dtype == KEEL_DTYPE_INVALID) return;
    // Promote to [batch..., M, K] x [batch..., K, N] and walk the full result.
    const Dims a2 = a.shape.size() == 1 ? Dims{1, a.shape[0]} : a.shape;
    const Dims b2 = b.shape.size() == 1 ? Dims{b.shape[0], 1} : b.shape;
    const int64_t m = a2[a2.size() - 2];
    const int64_t k = a2.back();
    const int64_t n = b2.back();
    Dims full = broadcast_dims(Dims(a2.begin(), a2.end() - 2), Dims(b2.begin(), b2.end() - 2));
    const size_t batch_rank = full.size();
    full.push_back(m);
    full.push_back(n);
    std::vector<long double> ref;
    std::vector<long double> bound;
    for (int64_t i = 0; i < count_of(full); ++i) {
      const Dims index = unravel(i, full);
      const Dims batch(index.begin(), index.begin() + static_cast<std::ptrdiff_t>(batch_rank));
      const Dims a_batch = broadcast_source(batch, Dims(a2.begin(), a2.end() - 2));
      const Dims b_batch = broadcast_source(batch, Dims(b2.begin(), b2.end() - 2));
      long double sum = 0;
      long double magnitude = 0;
      for (int64_t q = 0; q < k; ++q) {
        Dims ai = a_batch;
        ai.push_back(index[batch_rank]);
        ai.push_back(q);
        Dims bi = b_batch;
        bi.push_back(q);
        bi.push_back(index[batch_rank + 1]);
        const long double x = a.value(ravel(ai, a2));
        const long double w = b.value(ravel(bi, b2));
        sum += x * w;
        magnitude += std::fabs(x * w);
      }
      ref.push_back(sum);
      bound.push_back(2 * static_cast<long double>(k) * epsilon_of(a.dtype) * magnitude);
    }
    EXPECT_TRUE(within_bounds(y, ref, bound));
  }
};

TEST_P(Matmul, ShapesBatchesAndLayouts) {
  const std::vector<MatmulCase> cases = {{{3, 4}, {4, 5}},
                                         {{4}, {4, 2}},
                                         {{2, 4}, {4}},
                                         {{4}, {4}},
                                         {{2, 1, 3, 4}, {5, 4, 2}},
                                         {{2, 0}, {0, 3}},
                                         {{0, 3}, {3, 2}},
                                         {{3, 2}, {2, 0}},
                                         {{1, 2, 1, 2, 3, 4}, {2, 1, 2, 1, 4, 2}},
                                         {{7}, {3, 7, 2}}};
  Random random(19);
  for (const keel_dtype_t dtype : kFloatTypes) {
    for (const MatmulCase& c : cases) {
      const HostTensor a = random.tensor(dtype, c.a, -3, 3);
      const HostTensor b = random.tensor(dtype, c.b, -3, 3);
      const std::vector<Layout> la = Layout::all(c.a.size());
      const std::vector<Layout> lb = Layout::all(c.b.size());
      const std::vector<Layout> ly = Layout::all(matmul_shape(c.a, c.b).size());
      for (size_t l = 0; l < la.size(); ++l) check(a, b, la[l], lb[(l + 1) % lb.size()], ly[(l + 2) % ly.size()]);
    }
  }
}

TEST_P(Matmul, SpecialValuesPropagate) {
  const long double nan = std::numeric_limits<long double>::quiet_NaN();
  const long double inf = std::numeric_limits<long double>::infinity();
  const HostTensor a = tensor_of(KEEL_DTYPE_F32, {2, 2}, {1, nan, inf, 1});
  const HostTensor b = tensor_of(KEEL_DTYPE_F32, {2, 2}, {1, 0, 2, 3});
  check(a, b, Layout::dense(), Layout::dense(), Layout::dense());
}

class Softmax : public BackendTest {
 protected:
  void check(const HostTensor& x, int64_t axis, const Layout& in, const Layout& out) {
    SCOPED_TRACE("softmax " + name_of(x.dtype) + text_of(x.shape) + " axis " + std::to_string(axis) + " " + in.label +
                 " -> " + out.label);
    const keel_softmax_attrs_t attrs = {sizeof attrs, axis};
    const HostTensor y = run_one("softmax", &attrs, {x}, {in}, x.dtype, x.shape, out);
    if (y.dtype == KEEL_DTYPE_INVALID) return;
    const size_t a = static_cast<size_t>(axis < 0 ? axis + static_cast<int64_t>(x.shape.size()) : axis);
    const int64_t length = x.shape[a];
    std::vector<long double> ref(static_cast<size_t>(x.count()));
    std::vector<long double> bound(ref.size());
    for (int64_t i = 0; i < x.count(); ++i) {
      Dims index = unravel(i, x.shape);
      long double max = -std::numeric_limits<long double>::infinity();
      bool nan = false;
      for (index[a] = 0; index[a] < length; ++index[a]) {
        const long double v = x.value(ravel(index, x.shape));
        nan = nan || std::isnan(v);
        max = std::fmax(max, v);
      }
      long double sum = 0;
      for (index[a] = 0; index[a] < length; ++index[a]) sum += std::exp(x.value(ravel(index, x.shape)) - max);
      const long double mine = std::exp(x.value(i) - max) / sum;
      const bool undefined = nan || max == std::numeric_limits<long double>::infinity();
      ref[static_cast<size_t>(i)] = undefined ? std::numeric_limits<long double>::quiet_NaN() : mine;
      // Accumulation class: 4 · K · ε · |ref| with K = length + max |x - max| along the axis.
      long double range = 0;
      for (index[a] = 0; index[a] < length; ++index[a]) range = std::fmax(range, max - x.value(ravel(index, x.shape)));
      const long double k = static_cast<long double>(length) + (std::isfinite(range) ? range : 0);
      bound[static_cast<size_t>(i)] = 4 * k * epsilon_of(x.dtype) * std::fabs(mine);
    }
    EXPECT_TRUE(within_bounds(y, ref, bound));
  }
};

TEST_P(Softmax, AxesAndLayouts) {
  Random random(23);
  const std::vector<std::pair<Dims, int64_t>> cases = {
      {{5}, 0},       {{5}, -1},      {{3, 4}, 0},    {{3, 4}, -1},
      {{2, 3, 4}, 1}, {{2, 0, 3}, 1}, {{2, 0, 3}, 2}, {{2, 1, 3, 1, 2, 3}, -3},
      {{1, 1}, 1}};
  for (const keel_dtype_t dtype : kFloatTypes) {
    for (const auto& [shape, axis] : cases) {
      const HostTensor x = random.tensor(dtype, shape, -20, 20);
      const std::vector<Layout> layouts = Layout::all(shape.size());
      for (size_t l = 0; l < layouts.size(); ++l) check(x, axis, layouts[l], layouts[(l + 1) % layouts.size()]);
    }
  }
}

TEST_P(Softmax, DefaultAxisIsTheLast) {
  const HostTensor x = tensor_of(KEEL_DTYPE_F64, {2, 2}, {0, 0, 1000, 1000});
  const HostTensor y = run_one("softmax", nullptr, {x}, {}, KEEL_DTYPE_F64, {2, 2});
  EXPECT_TRUE(exactly(y, tensor_of(KEEL_DTYPE_F64, {2, 2}, {0.5L, 0.5L, 0.5L, 0.5L})));
}

TEST_P(Softmax, NanAndInfinitySlices) {
  const long double nan = std::numeric_limits<long double>::quiet_NaN();
  const long double inf = std::numeric_limits<long double>::infinity();
  for (const keel_dtype_t dtype : kFloatTypes) {
    // Rows: a NaN (all NaN), a +inf maximum (all NaN), -inf entries (0 there), huge values (stable).
    const HostTensor x = tensor_of(dtype, {4, 3}, {1, nan, 2, inf, 1, 0, -inf, 0, -inf, 3e4, 3e4 - 1, -3e4});
    check(x, 1, Layout::dense(), Layout::dense());
  }
}

KEEL_INSTANTIATE_FOR_BACKENDS(Matmul);
KEEL_INSTANTIATE_FOR_BACKENDS(Softmax);

// ---- References -------------------------------------------------------------------------------------------

// Σ_k a[.., m, k] · b[.., k, n] with 1-D operands promoted; K the contracted size, M Σ|a · b|.
KEEL_REFERENCE(matmul) {
  const HostTensor& a = call.inputs[0];
  const HostTensor& b = call.inputs[1];
  const Dims a2 = a.shape.size() == 1 ? Dims{1, a.shape[0]} : a.shape;
  const Dims b2 = b.shape.size() == 1 ? Dims{b.shape[0], 1} : b.shape;
  const int64_t k = a2.back();
  Dims full = broadcast_dims(Dims(a2.begin(), a2.end() - 2), Dims(b2.begin(), b2.end() - 2));
  const size_t batch_rank = full.size();
  full.push_back(a2[a2.size() - 2]);
  full.push_back(b2.back());
  Expected e;
  e.k = {static_cast<long double>(k)};
  for (int64_t i = 0; i < count_of(full); ++i) {
    const Dims index = unravel(i, full);
    const Dims batch(index.begin(), index.begin() + static_cast<std::ptrdiff_t>(batch_rank));
    long double sum = 0;
    long double magnitude = 0;
    for (int64_t q = 0; q < k; ++q) {
      Dims ai = broadcast_source(batch, Dims(a2.begin(), a2.end() - 2));
      ai.push_back(index[batch_rank]);
      ai.push_back(q);
      Dims bi = broadcast_source(batch, Dims(b2.begin(), b2.end() - 2));
      bi.push_back(q);
      bi.push_back(index[batch_rank + 1]);
      const long double product = a.value(ravel(ai, a2)) * b.value(ravel(bi, b2));
      sum += product;
      magnitude += std::fabs(product);
    }
    e.values.push_back(sum);
    e.magnitude.push_back(magnitude);
  }
  return {e};
}

// Per slice along the axis: the maximum, whether the slice is NaN (a NaN, a maximum of +inf, all -inf), and
// K = length + the largest |x - max|.
struct SoftmaxSlice {
  long double max = -kInf;
  long double log_sum = 0;
  bool undefined = false;
  long double k = 0;
};

template <class Attrs>
std::vector<Expected> softmax_reference(const RefCall& call, bool log) {
  const HostTensor& x = call.inputs[0];
  const size_t axis = axis_of(call.attrs_as<Attrs>().axis, x.shape.size());
  const int64_t length = x.shape[axis];
  Expected e;
  for (int64_t i = 0; i < x.count(); ++i) {
    Dims index = unravel(i, x.shape);
    SoftmaxSlice s;
    bool nan = false;
    for (index[axis] = 0; index[axis] < length; ++index[axis]) {
      const long double v = x.value(ravel(index, x.shape));
      nan = nan || std::isnan(v);
      s.max = std::fmax(s.max, v);
    }
    s.undefined = nan || !std::isfinite(s.max);
    long double sum = 0;
    long double range = 0;
    for (index[axis] = 0; index[axis] < length; ++index[axis]) {
      const long double v = x.value(ravel(index, x.shape));
      sum += std::exp(v - s.max);
      if (std::isfinite(v)) range = std::fmax(range, s.max - v);
    }
    const long double v = x.value(i);
    const long double y = log ? v - s.max - std::log(sum) : std::exp(v - s.max) / sum;
    e.values.push_back(s.undefined ? kNaN : y);
    e.k.push_back(static_cast<long double>(length) + range);
  }
  return {e};
}

KEEL_REFERENCE(softmax) { return softmax_reference<keel_softmax_attrs_t>(call, false); }
KEEL_REFERENCE(log_softmax) { return softmax_reference<keel_log_softmax_attrs_t>(call, true); }

class LogSoftmax : public BackendTest {};

TEST_P(LogSoftmax, AxesLayoutsAndSpecialSlices) {
  Random random(59);
  const std::vector<std::pair<Dims, int64_t>> cases = {{{5}, 0},       {{3, 4}, 0},    {{3, 4}, -1},
                                                       {{2, 0, 3}, 1}, {{2, 0, 3}, 2}, {{2, 1, 3, 1, 2, 3}, -3}};
  for (const keel_dtype_t dtype : kFloatTypes) {
    for (const auto& [shape, axis] : cases) {
      const HostTensor x = random.tensor(dtype, shape, -30, 30);
      const keel_log_softmax_attrs_t attrs = {sizeof attrs, axis};
      const std::vector<Layout> layouts = Layout::all(shape.size());
      for (size_t l = 0; l < layouts.size(); ++l) {
        check_call(session(), "log_softmax", &attrs, {x}, {layouts[l]}, {layouts[(l + 1) % layouts.size()]});
      }
    }
    // A NaN row, a +inf maximum, an all -inf row (NaN), an -inf entry in a finite row (-inf), huge values.
    const HostTensor x =
        tensor_of(dtype, {5, 3}, {1, kNaN, 2, kInf, 1, 0, -kInf, -kInf, -kInf, -kInf, 0, 1, 3e4, 3e4 - 1, -3e4});
    check_call(session(), "log_softmax", nullptr, {x});
    check_call(session(), "softmax", nullptr, {x});
    const HostTensor y = run_one("log_softmax", nullptr, {x}, {}, dtype, {5, 3});
    EXPECT_EQ(y.value(9), -kInf);
    EXPECT_TRUE(std::isnan(y.value(6)));
  }
}

KEEL_INSTANTIATE_FOR_BACKENDS(LogSoftmax);

}  // namespace
}  // namespace keel::reference_test
