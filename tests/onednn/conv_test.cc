// Convolutions against the reference (f64) with the accumulation bound over the contracted dimension:
// 1-3 spatial axes, strides, asymmetric padding, dilation, groups (depthwise too), bias present and absent,
// empty contractions, and NCHW, channels-last, strided and reversed views (every operand, the bias too);
// sizes that take oneDNN's blocked path and its channels-last path; and non-finite factors on taps that fall
// into the padding, which the spec multiplies by 0 (NaN) where oneDNN skips them.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "oracle.h"

namespace keel::onednn_test {
namespace {

struct Conv {
  Dims x, w;
  bool bias;
  std::vector<int64_t> strides, pads, dilations;
  int64_t groups;
};

// (C/groups) * K1 * ... * Kk: the contracted dimension of one output.
double conv_k(const Dims& w) {
  double k = 1;
  for (size_t d = 1; d < w.size(); ++d) k *= static_cast<double>(w[d]);
  return k;
}

const std::vector<Conv> kConvs = {
    {{1, 3, 8}, {4, 3, 3}, false, {}, {}, {}, 1},
    {{2, 3, 7, 6}, {4, 3, 3, 2}, true, {2, 1}, {1, 0, 1, 1}, {}, 1},
    {{2, 4, 9, 9}, {6, 2, 3, 3}, true, {}, {2, 2, 2, 2}, {2, 2}, 2},
    {{1, 6, 5, 5}, {6, 1, 3, 3}, false, {2, 2}, {0, 1, 1, 0}, {}, 6},
    {{1, 2, 4, 5, 6}, {3, 2, 2, 3, 2}, true, {1, 2, 2}, {}, {1, 1, 2}, 1},
    {{0, 3, 8}, {4, 3, 3}, true, {}, {}, {}, 1},
    {{2, 3, 8}, {0, 3, 3}, false, {}, {}, {}, 1},
    {{2, 3, 5, 5}, {4, 3, 5, 5}, false, {}, {}, {}, 1},
    {{2, 16, 20, 20}, {32, 16, 3, 3}, true, {}, {1, 1, 1, 1}, {}, 1},
};

TEST(ConvTest, ForwardMatchesReference) {
  std::mt19937_64 rng(109);
  for (const Conv& c : kConvs) {
    for (const Layout layout : {Layout::kDense, Layout::kChannelsLast, Layout::kStrided, Layout::kReversed}) {
      keel_conv_attrs_t attrs = KEEL_CONV_ATTRS_INIT;
      attrs.strides = c.strides.data();
      attrs.strides_count = c.strides.size();
      attrs.pads = c.pads.data();
      attrs.pads_count = c.pads.size();
      attrs.dilations = c.dilations.data();
      attrs.dilations_count = c.dilations.size();
      attrs.groups = c.groups;
      Case test{.op = "conv", .attrs = &attrs, .output_layout = layout, .k = conv_k(c.w)};
      test.inputs = {random_tensor(KEEL_DTYPE_F32, c.x, Values::kFinite, rng),
                     random_tensor(KEEL_DTYPE_F32, c.w, Values::kFinite, rng)};
      test.input_layouts = {layout, Layout::kDense};
      if (c.bias) {
        test.inputs.push_back(random_tensor(KEEL_DTYPE_F32, {c.w[0]}, Values::kFinite, rng));
      } else {
        test.inputs.push_back(HostTensor::absent());
      }
      expect_matches_reference(test);
    }
  }
}

TEST(ConvTest, TransposeMatchesReference) {
  std::mt19937_64 rng(113);
  struct Transpose {
    Dims x, w;
    bool bias;
    std::vector<int64_t> strides, pads, dilations, output_padding;
    int64_t groups;
  };
  const std::vector<Transpose> cases = {
      {{1, 3, 8}, {3, 4, 3}, false, {}, {}, {}, {}, 1},
      {{2, 4, 5, 5}, {4, 3, 3, 3}, true, {2, 2}, {1, 1, 1, 1}, {}, {1, 1}, 1},
      {{1, 4, 6}, {4, 2, 3}, true, {2}, {0, 2}, {2}, {1}, 2},
      {{2, 8, 7, 7}, {8, 16, 3, 3}, false, {1, 1}, {1, 1, 1, 1}, {}, {}, 1},
      {{2, 3, 8}, {3, 0, 3}, true, {}, {}, {}, {}, 1},
      {{1, 2, 5}, {2, 3, 3}, true, {2}, {}, {}, {1}, 1},  // output_padding beyond the end padding
  };
  for (const Transpose& c : cases) {
    for (const Layout layout : {Layout::kDense, Layout::kChannelsLast, Layout::kReversed}) {
      keel_conv_transpose_attrs_t attrs = KEEL_CONV_TRANSPOSE_ATTRS_INIT;
      attrs.strides = c.strides.data();
      attrs.strides_count = c.strides.size();
      attrs.pads = c.pads.data();
      attrs.pads_count = c.pads.size();
      attrs.dilations = c.dilations.data();
      attrs.dilations_count = c.dilations.size();
      attrs.groups = c.groups;
      attrs.output_padding = c.output_padding.data();
      attrs.output_padding_count = c.output_padding.size();
      Case test{.op = "conv_transpose", .attrs = &attrs, .output_layout = layout, .k = conv_k(c.w)};
      test.inputs = {random_tensor(KEEL_DTYPE_F32, c.x, Values::kFinite, rng),
                     random_tensor(KEEL_DTYPE_F32, c.w, Values::kFinite, rng)};
      test.input_layouts = {layout, Layout::kDense};
      const int64_t m = c.w[1] * c.groups;
      test.inputs.push_back(c.bias ? random_tensor(KEEL_DTYPE_F32, {m}, Values::kFinite, rng) : HostTensor::absent());
      expect_matches_reference(test);
    }
  }
}

TEST(ConvTest, BackwardWeightMatchesReference) {
  std::mt19937_64 rng(127);
  struct Backward {
    Dims dy, x, w;
    std::vector<int64_t> strides, pads, dilations;
    int64_t groups;
  };
  const std::vector<Backward> cases = {
      {{1, 4, 6}, {1, 3, 8}, {4, 3, 3}, {}, {}, {}, 1},
      {{2, 4, 4, 6}, {2, 3, 7, 6}, {4, 3, 3, 2}, {2, 1}, {1, 0, 1, 1}, {}, 1},
      {{2, 6, 9, 9}, {2, 4, 9, 9}, {6, 2, 3, 3}, {}, {2, 2, 2, 2}, {2, 2}, 2},
      {{2, 32, 20, 20}, {2, 16, 20, 20}, {32, 16, 3, 3}, {}, {1, 1, 1, 1}, {}, 1},
      {{0, 4, 6}, {0, 3, 8}, {4, 3, 3}, {}, {}, {}, 1},
  };
  for (const Backward& c : cases) {
    for (const Layout layout : {Layout::kDense, Layout::kChannelsLast, Layout::kStrided}) {
      keel_conv_backward_weight_attrs_t attrs = KEEL_CONV_BACKWARD_WEIGHT_ATTRS_INIT;
      attrs.strides = c.strides.data();
      attrs.strides_count = c.strides.size();
      attrs.pads = c.pads.data();
      attrs.pads_count = c.pads.size();
      attrs.dilations = c.dilations.data();
      attrs.dilations_count = c.dilations.size();
      attrs.groups = c.groups;
      double k = static_cast<double>(c.dy[0]);  // N * O1 * ... * Ok
      for (size_t d = 2; d < c.dy.size(); ++d) k *= static_cast<double>(c.dy[d]);
      expect_matches_reference({.op = "conv_backward_weight",
                                .attrs = &attrs,
                                .inputs = {random_tensor(KEEL_DTYPE_F32, c.dy, Values::kFinite, rng),
                                           random_tensor(KEEL_DTYPE_F32, c.x, Values::kFinite, rng),
                                           random_tensor(KEEL_DTYPE_F32, c.w, Values::kFinite, rng)},
                                .input_layouts = {layout, layout, Layout::kDense},
                                .output_layout = Layout::kDense,
                                .k = k});
    }
  }
}

// Every operand a strided view, the bias and the weights too (oneDNN reads a convolution's bias as a
// contiguous array, whatever strides its descriptor has).
TEST(ConvTest, ForwardAllOperandsStrided) {
  std::mt19937_64 rng(131);
  for (const Conv& c : kConvs) {
    if (!c.bias) continue;
    keel_conv_attrs_t attrs = KEEL_CONV_ATTRS_INIT;
    attrs.strides = c.strides.data();
    attrs.strides_count = c.strides.size();
    attrs.pads = c.pads.data();
    attrs.pads_count = c.pads.size();
    attrs.dilations = c.dilations.data();
    attrs.dilations_count = c.dilations.size();
    attrs.groups = c.groups;
    expect_matches_reference({.op = "conv",
                              .attrs = &attrs,
                              .inputs = {random_tensor(KEEL_DTYPE_F32, c.x, Values::kFinite, rng),
                                         random_tensor(KEEL_DTYPE_F32, c.w, Values::kFinite, rng),
                                         random_tensor(KEEL_DTYPE_F32, {c.w[0]}, Values::kFinite, rng)},
                              .input_layouts = {Layout::kStrided, Layout::kStrided, Layout::kStrided},
                              .output_layout = Layout::kStrided,
                              .k = conv_k(c.w)});
  }
}

// An infinite weight on a tap that reaches into the padding: the padding reads 0, and 0 * inf is NaN.
TEST(ConvTest, InfiniteWeightTimesPaddingIsNaN) {
  std::mt19937_64 rng(137);
  const std::vector<int64_t> strides = {2, 1};
  const std::vector<int64_t> pads = {1, 0, 1, 1};
  keel_conv_attrs_t attrs = KEEL_CONV_ATTRS_INIT;
  attrs.strides = strides.data();
  attrs.strides_count = strides.size();
  attrs.pads = pads.data();
  attrs.pads_count = pads.size();
  for (const long double value : {static_cast<long double>(INFINITY), static_cast<long double>(NAN)}) {
    HostTensor w = random_tensor(KEEL_DTYPE_F32, {4, 3, 3, 2}, Values::kFinite, rng);
    w.set(0, value);  // w[0, 0, 0, 0]: the top-left tap, in the padding for the first output row
    w.set(18 + 2 * 2 + 1, value);  // w[1, 0, 2, 1]: the bottom-right tap, in the padding for the last column
    expect_matches_reference({.op = "conv",
                              .attrs = &attrs,
                              .inputs = {random_tensor(KEEL_DTYPE_F32, {2, 3, 7, 6}, Values::kFinite, rng), w,
                                         random_tensor(KEEL_DTYPE_F32, {4}, Values::kFinite, rng)},
                              .k = 18});
  }
}

// The same for the weight gradient: an infinite dy at an output whose window reaches into the padding.
TEST(ConvTest, InfiniteGradientTimesPaddingIsNaN) {
  std::mt19937_64 rng(139);
  const std::vector<int64_t> pads = {1, 1, 1, 1};
  keel_conv_backward_weight_attrs_t attrs = KEEL_CONV_BACKWARD_WEIGHT_ATTRS_INIT;
  attrs.pads = pads.data();
  attrs.pads_count = pads.size();
  HostTensor dy = random_tensor(KEEL_DTYPE_F32, {2, 4, 5, 5}, Values::kFinite, rng);
  dy.set(0, INFINITY);  // dy[0, 0, 0, 0]: the corner, whose window reads the top and left padding
  expect_matches_reference({.op = "conv_backward_weight",
                            .attrs = &attrs,
                            .inputs = {dy, random_tensor(KEEL_DTYPE_F32, {2, 3, 5, 5}, Values::kFinite, rng),
                                       random_tensor(KEEL_DTYPE_F32, {4, 3, 3, 3}, Values::kFinite, rng)},
                            .k = 50});
}

}  // namespace
}  // namespace keel::onednn_test
