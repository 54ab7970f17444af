// max_pool (values and indices), avg_pool and avg_pool_backward against the reference: 1-3 spatial axes,
// strides, asymmetric pads, dilations, ceil_mode, count_include_pad both ways, windows that read only
// padding, empty batches, NaN and signed zeros (max_pool), integer dtypes, and strided layouts.
#include <gtest/gtest.h>

#include <random>

#include "oracle.h"

namespace keel::onednn_test {
namespace {

struct Pool {
  Dims x;
  std::vector<int64_t> kernel, strides, pads, dilations;
  bool ceil_mode;
  bool include_pad;
};

const std::vector<Pool> kPools = {
    {{1, 2, 8}, {2}, {2}, {}, {}, false, false},
    {{2, 3, 7, 6}, {3, 2}, {2, 2}, {1, 0, 1, 1}, {}, false, false},
    {{2, 3, 7, 6}, {3, 2}, {2, 2}, {1, 0, 1, 1}, {}, false, true},
    {{2, 3, 7, 7}, {3, 3}, {2, 2}, {1, 1, 1, 1}, {}, true, true},
    {{2, 3, 7, 7}, {3, 3}, {2, 2}, {}, {}, true, false},
    {{1, 2, 6, 6}, {2, 2}, {}, {1, 1, 1, 1}, {2, 2}, false, false},
    {{1, 2, 6, 6}, {2, 2}, {}, {}, {2, 2}, true, false},
    {{1, 1, 4, 5, 6}, {2, 3, 2}, {2, 1, 2}, {}, {}, true, false},
    {{0, 2, 5}, {3}, {}, {}, {}, false, false},
    {{2, 0, 4, 4}, {2, 2}, {}, {}, {}, false, true},
    {{1, 1, 1}, {2}, {}, {1, 1}, {2}, false, false},  // windows that read only padding
    {{4, 16, 32, 32}, {3, 3}, {2, 2}, {1, 1, 1, 1}, {}, false, true},
};

double window_size(const Pool& p) {
  double k = 1;
  for (const int64_t d : p.kernel) k *= static_cast<double>(d);
  return k;
}

template <class Attrs>
Attrs pool_attrs(const Pool& p) {
  Attrs a{};
  a.struct_size = sizeof(Attrs);
  a.kernel_shape = p.kernel.data();
  a.kernel_shape_count = p.kernel.size();
  a.strides = p.strides.data();
  a.strides_count = p.strides.size();
  a.pads = p.pads.data();
  a.pads_count = p.pads.size();
  a.dilations = p.dilations.data();
  a.dilations_count = p.dilations.size();
  a.ceil_mode = p.ceil_mode ? 1 : 0;
  return a;
}

TEST(PoolingTest, MaxPoolMatchesReferenceWithIndices) {
  std::mt19937_64 rng(131);
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64}) {
    for (const Pool& p : kPools) {
      for (const Layout layout : {Layout::kDense, Layout::kChannelsLast, Layout::kReversed}) {
        HostTensor x = random_tensor(dtype, p.x, Values::kSpecial, rng);
        for (int64_t i = 1; i < x.count(); i += 4) x.set_bits(i, x.bits(i - 1));  // ties
        const auto attrs = pool_attrs<keel_max_pool_attrs_t>(p);
        expect_matches_reference({.op = "max_pool", .attrs = &attrs, .inputs = {x}, .input_layouts = {layout},
                                  .output_layout = Layout::kStrided, .label = name_of(dtype)});
      }
    }
  }
  // Signed zeros and NaN in one window.
  HostTensor x = HostTensor::zeros(KEEL_DTYPE_F32, {1, 1, 6});
  const long double values[] = {-0.0L, 0.0L, -0.0L, std::numeric_limits<long double>::quiet_NaN(), 1.0L, 1.0L};
  for (int64_t i = 0; i < 6; ++i) x.set(i, values[i]);
  const Pool p = {{1, 1, 6}, {3}, {1}, {}, {}, false, false};
  const auto attrs = pool_attrs<keel_max_pool_attrs_t>(p);
  expect_matches_reference({.op = "max_pool", .attrs = &attrs, .inputs = {x}, .label = "signed zeros and NaN"});
}

TEST(PoolingTest, AvgPoolMatchesReference) {
  std::mt19937_64 rng(137);
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
    for (const Pool& p : kPools) {
      for (const Layout layout : {Layout::kDense, Layout::kChannelsLast, Layout::kStrided}) {
        auto attrs = pool_attrs<keel_avg_pool_attrs_t>(p);
        attrs.count_include_pad = p.include_pad ? 1 : 0;
        expect_matches_reference({.op = "avg_pool", .attrs = &attrs,
                                  .inputs = {random_tensor(dtype, p.x, Values::kFinite, rng)},
                                  .input_layouts = {layout}, .output_layout = Layout::kTransposed,
                                  .k = window_size(p), .label = name_of(dtype)});
      }
    }
  }
}

TEST(PoolingTest, AvgPoolBackwardMatchesReference) {
  std::mt19937_64 rng(139);
  Harness& h = Harness::get();
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
    for (const Pool& p : kPools) {
      auto forward = pool_attrs<keel_avg_pool_attrs_t>(p);
      forward.count_include_pad = p.include_pad ? 1 : 0;
      const auto out = h.infer("avg_pool", &forward, {{dtype, p.x}});
      ASSERT_EQ(out.size(), 1u);
      auto attrs = pool_attrs<keel_avg_pool_backward_attrs_t>(p);
      attrs.count_include_pad = p.include_pad ? 1 : 0;
      for (const Layout layout : {Layout::kDense, Layout::kReversed}) {
        expect_matches_reference({.op = "avg_pool_backward", .attrs = &attrs,
                                  .inputs = {random_tensor(dtype, out[0].second, Values::kFinite, rng),
                                             random_tensor(dtype, p.x, Values::kFinite, rng)},
                                  .input_layouts = {layout, Layout::kDense}, .output_layout = Layout::kStrided,
                                  .k = window_size(p), .label = name_of(dtype)});
      }
    }
  }
}

}  // namespace
}  // namespace keel::onednn_test
