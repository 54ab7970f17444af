// max_pool, avg_pool (pooling.yaml) and avg_pool_backward (training.yaml): references that enumerate each
// window's taps explicitly, and cases for ceil_mode, count_include_pad both ways, dilation, windows of only
// padding, every dtype max_pool allows (int8 included), NaN and signed zeros.
#include <cmath>
#include <limits>

#include "harness/ref_util.h"
#include "harness/test_support.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

struct Window {
  size_t k = 0;
  std::vector<int64_t> kernel, stride, dilation, pad_begin, pad_end;
};

template <class Attrs>
Window window_of(const Attrs& a, size_t k) {
  Window w;
  w.k = k;
  for (size_t i = 0; i < k; ++i) {
    w.kernel.push_back(a.kernel_shape[i]);
    w.stride.push_back(a.strides_count == 0 ? 1 : a.strides[i]);
    w.dilation.push_back(a.dilations_count == 0 ? 1 : a.dilations[i]);
    w.pad_begin.push_back(a.pads_count == 0 ? 0 : a.pads[i]);
    w.pad_end.push_back(a.pads_count == 0 ? 0 : a.pads[k + i]);
  }
  return w;
}

struct Tap {
  Dims position;       // input coordinates
  bool reads = false;  // inside [0, D) on every axis
  bool counted = false;  // inside [-pb, D + pe) on every axis
};

// The taps of output position `o` (spatial coordinates) in row-major tap order.
std::vector<Tap> taps_of(const Window& w, const Dims& input, const Dims& o) {
  std::vector<Tap> taps;
  for (int64_t t = 0; t < count_of(w.kernel); ++t) {
    const Dims tap = unravel(t, w.kernel);
    Tap result{{}, true, true};
    for (size_t s = 0; s < w.k; ++s) {
      const int64_t p = o[s] * w.stride[s] - w.pad_begin[s] + tap[s] * w.dilation[s];
      result.position.push_back(p);
      result.reads = result.reads && p >= 0 && p < input[s];
      result.counted = result.counted && p >= -w.pad_begin[s] && p < input[s] + w.pad_end[s];
    }
    taps.push_back(result);
  }
  return taps;
}

long double at(const HostTensor& x, int64_t n, int64_t c, const Dims& position) {
  Dims index = {n, c};
  index.insert(index.end(), position.begin(), position.end());
  return x.value(ravel(index, x.shape));
}

KEEL_REFERENCE(max_pool) {
  const HostTensor& x = call.inputs[0];
  const Dims& shape = call.outputs[0].shape;
  const Window w = window_of(call.attrs_as<keel_max_pool_attrs_t>(), x.shape.size() - 2);
  const Dims input(x.shape.begin() + 2, x.shape.end());
  std::vector<long double> values;
  std::vector<long double> indices;
  for (int64_t o = 0; o < count_of(shape); ++o) {
    const Dims index = unravel(o, shape);
    const Dims spatial(index.begin() + 2, index.end());
    long double best = 0;
    int64_t best_index = -1;
    for (const Tap& tap : taps_of(w, input, spatial)) {
      if (!tap.reads) continue;
      const long double v = at(x, index[0], index[1], tap.position);
      // NaN on top (the first one stays), +0 above -0, ties keep the earlier tap.
      const bool better = best_index < 0 ||
                          (!std::isnan(best) && (std::isnan(v) || v > best ||
                                                 (v == 0 && best == 0 && !std::signbit(v) && std::signbit(best))));
      if (better) {
        best = v;
        best_index = ravel(tap.position, input);
      }
    }
    if (best_index < 0) {
      best = is_float(x.dtype) ? -kInf
             : x.dtype == KEEL_DTYPE_I8  ? -128
             : x.dtype == KEEL_DTYPE_U8  ? 0
             : x.dtype == KEEL_DTYPE_I32 ? static_cast<long double>(std::numeric_limits<int32_t>::min())
                                         : static_cast<long double>(std::numeric_limits<int64_t>::min());
    }
    values.push_back(best);
    indices.push_back(static_cast<long double>(best_index));
  }
  return {Expected::of_values(values), Expected::of_values(indices)};
}

// The divisor of output position `o`.
int64_t divisor(const std::vector<Tap>& taps, bool count_include_pad) {
  int64_t count = 0;
  for (const Tap& tap : taps) count += (count_include_pad ? tap.counted : tap.reads) ? 1 : 0;
  return count;
}

KEEL_REFERENCE(avg_pool) {
  const auto& a = call.attrs_as<keel_avg_pool_attrs_t>();
  const HostTensor& x = call.inputs[0];
  const Dims& shape = call.outputs[0].shape;
  const Window w = window_of(a, x.shape.size() - 2);
  const Dims input(x.shape.begin() + 2, x.shape.end());
  Expected e;
  e.k = {static_cast<long double>(count_of(w.kernel))};
  for (int64_t o = 0; o < count_of(shape); ++o) {
    const Dims index = unravel(o, shape);
    const std::vector<Tap> taps = taps_of(w, input, Dims(index.begin() + 2, index.end()));
    long double sum = 0;
    long double magnitude = 0;
    for (const Tap& tap : taps) {
      if (!tap.reads) continue;
      const long double v = at(x, index[0], index[1], tap.position);
      sum += v;
      magnitude += std::fabs(v);
    }
    const auto d = static_cast<long double>(divisor(taps, a.count_include_pad != 0));
    e.values.push_back(sum / d);  // 0 / 0 = NaN for a window of only padding
    e.magnitude.push_back(magnitude / d);
  }
  return {e};
}

KEEL_REFERENCE(avg_pool_backward) {
  const auto& a = call.attrs_as<keel_avg_pool_backward_attrs_t>();
  const HostTensor& dy = call.inputs[0];
  const HostTensor& x = call.inputs[1];
  const Window w = window_of(a, x.shape.size() - 2);
  const Dims input(x.shape.begin() + 2, x.shape.end());
  Expected e;
  e.values.assign(static_cast<size_t>(x.count()), 0);
  e.magnitude.assign(e.values.size(), 0);
  e.k.assign(e.values.size(), 1);
  for (int64_t o = 0; o < dy.count(); ++o) {
    const Dims index = unravel(o, dy.shape);
    const std::vector<Tap> taps = taps_of(w, input, Dims(index.begin() + 2, index.end()));
    const int64_t d = divisor(taps, a.count_include_pad != 0);
    if (d == 0) continue;
    const long double share = dy.value(o) / static_cast<long double>(d);
    for (const Tap& tap : taps) {
      if (!tap.reads) continue;
      Dims xi = {index[0], index[1]};
      xi.insert(xi.end(), tap.position.begin(), tap.position.end());
      const auto i = static_cast<size_t>(ravel(xi, x.shape));
      e.values[i] += share;
      e.magnitude[i] += std::fabs(share);
      e.k[i] += 1;
    }
  }
  return {e};
}

// ---- Cases ------------------------------------------------------------------------------------------------

struct PoolCase {
  Dims x;
  std::vector<int64_t> kernel, strides, pads, dilations;
  bool ceil_mode = false;
};

const std::vector<PoolCase>& pool_cases() {
  static const std::vector<PoolCase> cases = {
      {{1, 2, 8}, {2}, {2}, {}, {}},
      {{2, 3, 7, 6}, {3, 2}, {2, 2}, {1, 0, 1, 1}, {}},
      {{2, 3, 7, 7}, {3, 3}, {2, 2}, {}, {}, true},
      {{2, 3, 7, 7}, {3, 3}, {2, 2}, {1, 1, 1, 1}, {}, true},
      {{1, 2, 6, 6}, {2, 2}, {}, {1, 1, 1, 1}, {2, 2}},
      {{1, 1, 4, 5, 6}, {2, 3, 2}, {2, 1, 2}, {}, {}, true},
      {{0, 2, 5}, {3}, {}, {}, {}},
      {{2, 0, 4, 4}, {2, 2}, {}, {}, {}},
      {{1, 1, 1}, {2}, {}, {1, 1}, {2}},       // windows of only padding
      {{1, 2, 5}, {2}, {3}, {2, 2}, {3}, true},
  };
  return cases;
}

class Pool : public BackendTest {};

TEST_P(Pool, MaxPoolEveryDtypeAndCase) {
  Random random(73);
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F16, KEEL_DTYPE_BF16, KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32,
                                   KEEL_DTYPE_I64, KEEL_DTYPE_I8, KEEL_DTYPE_U8}) {
    for (const PoolCase& c : pool_cases()) {
      SCOPED_TRACE(name_of(dtype) + text_of(c.x) + " kernel " + text_of(c.kernel));
      const keel_max_pool_attrs_t attrs = {sizeof attrs,    c.kernel.data(), c.kernel.size(),   c.strides.data(),
                                           c.strides.size(), c.pads.data(),  c.pads.size(),     c.dilations.data(),
                                           c.dilations.size(), c.ceil_mode};
      // Few distinct values, so ties are common.
      const HostTensor x = random.tensor(dtype, c.x, dtype == KEEL_DTYPE_U8 ? 0 : -3, 3);
      check_call(session(), "max_pool", &attrs, {x}, {Layout::scrambled(c.x.size())},
                 {Layout::transposed(c.x.size()), Layout::scrambled(c.x.size())});
    }
  }
  for (const keel_dtype_t dtype : kFloatTypes) {
    // NaN in a window, -0 before +0 and +0 before -0, infinities.
    const HostTensor x = tensor_of(dtype, {1, 1, 8}, {-0.0L, 0.0L, 0.0L, -0.0L, kNaN, 1, -kInf, kNaN});
    const std::vector<int64_t> kernel = {2};
    const keel_max_pool_attrs_t attrs = {sizeof attrs, kernel.data(), 1, nullptr, 0, nullptr, 0, nullptr, 0, 0};
    check_call(session(), "max_pool", &attrs, {x});
    const DeviceTensor y = session().output(dtype, {1, 1, 7});
    const DeviceTensor indices = session().output(KEEL_DTYPE_I64, {1, 1, 7});
    ASSERT_TRUE(session().run("max_pool", &attrs, {session().upload(x)}, {y, indices}).ok());
    const HostTensor values = session().download(y);
    EXPECT_FALSE(std::signbit(values.value(0)));  // +0 above -0, whichever comes first
    EXPECT_FALSE(std::signbit(values.value(2)));
    EXPECT_TRUE(exactly(session().download(indices), tensor_of(KEEL_DTYPE_I64, {1, 1, 7}, {1, 1, 2, 4, 4, 5, 7})));
  }
}

TEST_P(Pool, AvgPoolAndItsGradientBothDivisors) {
  Random random(79);
  for (const keel_dtype_t dtype : kFloatTypes) {
    for (const PoolCase& c : pool_cases()) {
      for (const uint8_t include : {0, 1}) {
        SCOPED_TRACE(name_of(dtype) + text_of(c.x) + " kernel " + text_of(c.kernel) + " include " +
                     std::to_string(include));
        const keel_avg_pool_attrs_t attrs = {sizeof attrs,    c.kernel.data(),  c.kernel.size(),    c.strides.data(),
                                             c.strides.size(), c.pads.data(),   c.pads.size(),      c.dilations.data(),
                                             c.dilations.size(), c.ceil_mode,   include};
        const HostTensor x = random.tensor(dtype, c.x, -4, 4);
        check_call(session(), "avg_pool", &attrs, {x}, {Layout::transposed(c.x.size())}, {Layout::scrambled(c.x.size())});
        const keel_avg_pool_backward_attrs_t grad = {sizeof grad,       c.kernel.data(),  c.kernel.size(),
                                                     c.strides.data(),  c.strides.size(), c.pads.data(),
                                                     c.pads.size(),     c.dilations.data(), c.dilations.size(),
                                                     c.ceil_mode,       include};
        // dy shaped like avg_pool's output, which the previous call inferred; recompute it here.
        Dims out = c.x;
        for (size_t s = 2; s < c.x.size(); ++s) {
          const size_t i = s - 2;
          const size_t k = c.x.size() - 2;
          const int64_t stride = c.strides.empty() ? 1 : c.strides[i];
          const int64_t dilation = c.dilations.empty() ? 1 : c.dilations[i];
          const int64_t pb = c.pads.empty() ? 0 : c.pads[i];
          const int64_t span = c.x[s] + pb + (c.pads.empty() ? 0 : c.pads[k + i]) - dilation * (c.kernel[i] - 1) - 1;
          out[s] = (c.ceil_mode ? (span + stride - 1) / stride : span / stride) + 1;
          if (c.ceil_mode && (out[s] - 1) * stride >= c.x[s] + pb) --out[s];
        }
        check_call(session(), "avg_pool_backward", &grad, {random.tensor(dtype, out, -4, 4), x},
                   {Layout::scrambled(c.x.size()), Layout::transposed(c.x.size())}, {Layout::transposed(c.x.size())});
      }
    }
  }
}

KEEL_INSTANTIATE_FOR_BACKENDS(Pool);

}  // namespace
}  // namespace keel::reference_test
