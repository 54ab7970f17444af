// reduce_sum reduce_mean reduce_max over axis sets (negative, empty = all, keepdims), checked against a
// reference that walks the input once and accumulates per output in long double (or wrapping integers).
#include <cmath>
#include <limits>
#include <set>

#include "harness/test_support.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

struct ReduceCase {
  Dims shape;
  std::vector<int64_t> axes;
};

const std::vector<ReduceCase>& cases() {
  static const std::vector<ReduceCase> all = {{{}, {}},
                                              {{5}, {}},
                                              {{5}, {-1}},
                                              {{2, 3, 4}, {}},
                                              {{2, 3, 4}, {0}},
                                              {{2, 3, 4}, {-1}},
                                              {{2, 3, 4}, {0, 2}},
                                              {{2, 3, 4}, {1, -3}},
                                              {{2, 3, 4}, {2, 1, 0}},
                                              {{2, 0, 3}, {1}},
                                              {{2, 0, 3}, {0}},
                                              {{2, 1, 3, 1, 2, 2}, {1, 3, -1}},
                                              {{3, 1}, {1}}};
  return all;
}

// Per output: the reduced elements' sum (long double and wrapping), sum of magnitudes, count and maximum.
struct Accumulated {
  std::vector<long double> sum;
  std::vector<uint64_t> wrapping_sum;
  std::vector<long double> magnitude;
  std::vector<long double> maximum;
  std::vector<bool> any;
  int64_t count = 0;  // elements per output
  Dims output_shape;
};

Accumulated accumulate(const HostTensor& x, const std::vector<int64_t>& axes, bool keepdims) {
  const size_t rank = x.shape.size();
  std::set<size_t> reduced;
  for (const int64_t axis : axes)
    reduced.insert(static_cast<size_t>(axis < 0 ? axis + static_cast<int64_t>(rank) : axis));
  if (axes.empty()) {
    for (size_t k = 0; k < rank; ++k) reduced.insert(k);
  }
  Accumulated acc;
  acc.count = 1;
  for (size_t k = 0; k < rank; ++k) {
    if (!reduced.contains(k))
      acc.output_shape.push_back(x.shape[k]);
    else if (keepdims)
      acc.output_shape.push_back(1);
    if (reduced.contains(k)) acc.count *= x.shape[k];
  }
  const size_t outputs = static_cast<size_t>(count_of(acc.output_shape));
  acc.sum.assign(outputs, 0);
  acc.wrapping_sum.assign(outputs, 0);
  acc.magnitude.assign(outputs, 0);
  acc.maximum.assign(outputs, 0);
  acc.any.assign(outputs, false);
  for (int64_t i = 0; i < x.count(); ++i) {
    const Dims index = unravel(i, x.shape);
    Dims out_index;
    for (size_t k = 0; k < rank; ++k) {
      if (!reduced.contains(k))
        out_index.push_back(index[k]);
      else if (keepdims)
        out_index.push_back(0);
    }
    const size_t o = static_cast<size_t>(ravel(out_index, acc.output_shape));
    const long double v = x.value(i);
    acc.sum[o] += v;
    acc.wrapping_sum[o] += static_cast<uint64_t>(static_cast<int64_t>(is_float(x.dtype) ? 0 : v));
    acc.magnitude[o] += std::fabs(v);
    long double& best = acc.maximum[o];
    if (!acc.any[o] || std::isnan(v))
      best = v;
    else if (!std::isnan(best) && (v > best || (v == 0 && best == 0 && !std::signbit(v))))
      best = v;
    acc.any[o] = true;
  }
  return acc;
}

class Reduce : public BackendTest {
 protected:
  template <class Attrs>
  void check(const char* op, const HostTensor& x, const std::vector<int64_t>& axes, bool keepdims, const Layout& in,
             const Layout& out) {
    SCOPED_TRACE(std::string(op) + " " + name_of(x.dtype) + text_of(x.shape) + " axes " + text_of(axes) +
                 (keepdims ? " keepdims " : " ") + in.label + " -> " + out.label);
    const Attrs attrs = {sizeof(Attrs), axes.data(), axes.size(), static_cast<uint8_t>(keepdims)};
    const Accumulated acc = accumulate(x, axes, keepdims);
    const HostTensor y = run_one(op, &attrs, {x}, {in}, x.dtype, acc.output_shape, out);
    if (y.dtype == KEEL_DTYPE_INVALID) return;
    const std::string name = op;
    const size_t n = acc.sum.size();
    if (name == "reduce_max") {
      EXPECT_TRUE(exactly(y, tensor_of(x.dtype, acc.output_shape, acc.maximum)));
    } else if (!is_float(x.dtype)) {  // integer sums wrap
      std::vector<long double> wrapped;
      for (const uint64_t s : acc.wrapping_sum) {
        wrapped.push_back(x.dtype == KEEL_DTYPE_I32 ? static_cast<int32_t>(static_cast<uint32_t>(s))
                                                    : static_cast<long double>(static_cast<int64_t>(s)));
      }
      EXPECT_TRUE(exactly(y, tensor_of(x.dtype, acc.output_shape, wrapped)));
    } else {
      // Accumulation class: 2 · K · ε · M with M the operator applied to |x|.
      const long double k = static_cast<long double>(acc.count);
      const bool mean = name == "reduce_mean";
      std::vector<long double> ref(n);
      std::vector<long double> bound(n);
      for (size_t o = 0; o < n; ++o) {
        ref[o] = mean ? acc.sum[o] / k : acc.sum[o];  // an empty mean is 0 / 0 = NaN
        bound[o] = 2 * k * epsilon_of(x.dtype) * (mean ? acc.magnitude[o] / k : acc.magnitude[o]);
      }
      EXPECT_TRUE(within_bounds(y, ref, bound));
    }
  }
};

TEST_P(Reduce, AxisSetsLayoutsAndKeepdims) {
  Random random(17);
  for (const ReduceCase& c : cases()) {
    for (const keel_dtype_t dtype : kNumericTypes) {
      const HostTensor x =
          dtype == KEEL_DTYPE_I32 ? random.tensor(dtype, c.shape, -2e9, 2e9) : random.tensor(dtype, c.shape, -1e3, 1e3);
      const std::vector<Layout> layouts = Layout::all(c.shape.size());
      for (size_t l = 0; l < layouts.size(); ++l) {
        for (const bool keepdims : {false, true}) {
          const Layout& in = layouts[l];
          const Layout out = Layout::dense();
          check<keel_reduce_sum_attrs_t>("reduce_sum", x, c.axes, keepdims, in, out);
          if (is_float(dtype)) check<keel_reduce_mean_attrs_t>("reduce_mean", x, c.axes, keepdims, in, out);
          if (accumulate(x, c.axes, keepdims).count > 0) {
            check<keel_reduce_max_attrs_t>("reduce_max", x, c.axes, keepdims, in, out);
          }
        }
      }
    }
  }
}

TEST_P(Reduce, SpecialValues) {
  const long double nan = std::numeric_limits<long double>::quiet_NaN();
  const long double inf = std::numeric_limits<long double>::infinity();
  for (const keel_dtype_t dtype : kFloatTypes) {
    // Rows: a NaN, +0 against -0, all -0, infinities of both signs, a +inf.
    const HostTensor x =
        tensor_of(dtype, {5, 3}, {1, nan, 3, -0.0L, 0.0L, -0.0L, -0.0L, -0.0L, -0.0L, inf, -inf, 1, -inf, -5, inf});
    for (const bool keepdims : {false, true}) {
      check<keel_reduce_sum_attrs_t>("reduce_sum", x, {1}, keepdims, Layout::dense(), Layout::dense());
      check<keel_reduce_mean_attrs_t>("reduce_mean", x, {-1}, keepdims, Layout::dense(), Layout::dense());
      check<keel_reduce_max_attrs_t>("reduce_max", x, {1}, keepdims, Layout::dense(), Layout::dense());
    }
  }
  for (const keel_dtype_t dtype : {KEEL_DTYPE_I32, KEEL_DTYPE_I64}) {
    const HostTensor x = special_tensor(dtype);
    check<keel_reduce_sum_attrs_t>("reduce_sum", x, {}, false, Layout::dense(), Layout::dense());
    check<keel_reduce_max_attrs_t>("reduce_max", x, {0}, true, Layout::dense(), Layout::dense());
  }
}

TEST_P(Reduce, EmptySetsAndSignedZeros) {
  // sum of nothing is +0, mean of nothing is NaN, max(+0, -0) is +0, a sum of -0s keeps its sign.
  const HostTensor empty = HostTensor::zeros(KEEL_DTYPE_F32, {2, 0});
  const std::vector<int64_t> axis1 = {1};
  const keel_reduce_sum_attrs_t sum = {sizeof sum, axis1.data(), 1, 0};
  const HostTensor s = run_one("reduce_sum", &sum, {empty}, {}, KEEL_DTYPE_F32, {2});
  EXPECT_TRUE(exactly(s, tensor_of(KEEL_DTYPE_F32, {2}, {0, 0})));
  const keel_reduce_mean_attrs_t mean = {sizeof mean, axis1.data(), 1, 0};
  const HostTensor m = run_one("reduce_mean", &mean, {empty}, {}, KEEL_DTYPE_F32, {2});
  EXPECT_TRUE(std::isnan(m.value(0)) && std::isnan(m.value(1)));
  const HostTensor zeros = tensor_of(KEEL_DTYPE_F64, {2, 2}, {-0.0L, 0.0L, -0.0L, -0.0L});
  const keel_reduce_max_attrs_t max = {sizeof max, axis1.data(), 1, 0};
  EXPECT_TRUE(exactly(run_one("reduce_max", &max, {zeros}, {}, KEEL_DTYPE_F64, {2}),
                      tensor_of(KEEL_DTYPE_F64, {2}, {0.0L, -0.0L})));
  EXPECT_TRUE(exactly(run_one("reduce_sum", &sum, {zeros}, {}, KEEL_DTYPE_F64, {2}),
                      tensor_of(KEEL_DTYPE_F64, {2}, {0.0L, -0.0L})));
}

TEST_P(Reduce, DefaultAttributesReduceEverything) {
  const HostTensor x = tensor_of(KEEL_DTYPE_I64, {2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_TRUE(
      exactly(run_one("reduce_sum", nullptr, {x}, {}, KEEL_DTYPE_I64, {}), tensor_of(KEEL_DTYPE_I64, {}, {21})));
  EXPECT_TRUE(exactly(run_one("reduce_max", nullptr, {x}, {}, KEEL_DTYPE_I64, {}), tensor_of(KEEL_DTYPE_I64, {}, {6})));
}

KEEL_INSTANTIATE_FOR_BACKENDS(Reduce);

}  // namespace
}  // namespace keel::reference_test
