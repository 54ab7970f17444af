// Shape inference of the neural-network operators against outputs worked out by hand, plus the
// convolution and pooling size rules against independent statements over many parameter combinations.
#include <gtest/gtest.h>

#include <vector>

#include "shape_cases.h"
#include "spec/spatial.h"
#include "spec_test_util.h"

namespace keel::spec {

namespace testing {

std::vector<ShapeCase> nn_cases() {
  return {
      // conv: O = floor((D + pb + pe - l(K - 1) - 1) / s) + 1.
      {"conv", nullptr, {"f32[1,3,8]", "f32[4,3,3]", "none"}, {"f32[1,4,6]"}},
      {"conv", nullptr, {"f32[1,3,8]", "f32[4,3,3]", "f32[4]"}, {"f32[1,4,6]"}},
      {"conv",
       attrs(Attrs("conv").set("strides", {2, 1}).set("pads", {1, 0, 1, 1})),
       {"f32[2,3,7,6]", "f32[4,3,3,2]", "none"},
       {"f32[2,4,4,6]"}},
      {"conv",
       attrs(Attrs("conv").set("groups", int64_t{2}).set("dilations", {2, 2}).set("pads", {2, 2, 2, 2})),
       {"f32[2,4,9,9]", "f32[6,2,3,3]", "f32[6]"},
       {"f32[2,6,9,9]"}},
      {"conv",
       attrs(Attrs("conv").set("groups", int64_t{6}).set("strides", {2, 2}).set("pads", {0, 1, 1, 0})),
       {"f32[1,6,5,5]", "f32[6,1,3,3]", "none"},
       {"f32[1,6,2,2]"}},
      {"conv",
       attrs(Attrs("conv").set("strides", {1, 2, 2}).set("dilations", {1, 1, 2})),
       {"f32[1,2,4,5,6]", "f32[3,2,2,3,2]", "none"},
       {"f32[1,3,3,2,2]"}},
      {"conv", attrs(Attrs("conv").set("strides", {3})), {"f32[2,3,10]", "f32[5,3,4]", "none"}, {"f32[2,5,3]"}},
      {"conv",
       attrs(Attrs("conv").set("strides", {3}).set("pads", {1, 2})),
       {"f32[2,3,10]", "f32[5,3,4]", "none"},
       {"f32[2,5,4]"}},
      {"conv", attrs(Attrs("conv").set("dilations", {3})), {"f32[1,1,10]", "f32[1,1,3]", "none"}, {"f32[1,1,4]"}},
      {"conv", nullptr, {"f32[1,1,5,5]", "f32[1,1,5,5]", "none"}, {"f32[1,1,1,1]"}},
      {"conv", nullptr, {"f64[0,3,8]", "f64[4,3,3]", "none"}, {"f64[0,4,6]"}},
      {"conv", nullptr, {"f32[2,3,8]", "f32[0,3,3]", "none"}, {"f32[2,0,6]"}},
      {"conv",
       attrs(Attrs("conv").set("strides", {2, 2})),
       {"f16[1,2,3,3]", "f16[2,2,1,1]", "f16[2]"},
       {"f16[1,2,2,2]"}},
      // conv_transpose: O = (D - 1)s - pb - pe + l(K - 1) + output_padding + 1; M = w.shape[1] * groups.
      {"conv_transpose", nullptr, {"f32[1,3,5]", "f32[3,4,3]", "none"}, {"f32[1,4,7]"}},
      {"conv_transpose",
       attrs(Attrs("conv_transpose").set("strides", {2, 2}).set("pads", {1, 1, 1, 0}).set("output_padding", {1, 0})),
       {"f32[2,3,4,3]", "f32[3,2,3,3]", "f32[2]"},
       {"f32[2,2,8,6]"}},
      {"conv_transpose",
       attrs(Attrs("conv_transpose").set("groups", int64_t{2}).set("dilations", {2, 1})),
       {"f32[1,4,5,5]", "f32[4,3,3,3]", "f32[6]"},
       {"f32[1,6,9,7]"}},
      {"conv_transpose",
       attrs(Attrs("conv_transpose").set("strides", {2, 1, 2}).set("output_padding", {1, 0, 0})),
       {"f32[1,2,3,3,2]", "f32[2,2,2,2,2]", "none"},
       {"f32[1,2,7,4,4]"}},
      {"conv_transpose",
       attrs(Attrs("conv_transpose").set("strides", {2}).set("pads", {1, 1})),
       {"f32[1,1,3]", "f32[1,1,3]", "none"},
       {"f32[1,1,5]"}},
      {"conv_transpose", nullptr, {"f32[2,3,4]", "f32[3,0,2]", "none"}, {"f32[2,0,5]"}},
      // conv_backward_weight gives w's shape.
      {"conv_backward_weight",
       attrs(Attrs("conv_backward_weight").set("strides", {2, 1}).set("pads", {1, 0, 1, 1})),
       {"f32[2,4,4,6]", "f32[2,3,7,6]", "f32[4,3,3,2]"},
       {"f32[4,3,3,2]"}},
      // Pooling: floor, ceil, and ceil's rule that no window starts in the end padding.
      {"max_pool",
       attrs(Attrs("max_pool").set("kernel_shape", {2}).set("strides", {2})),
       {"f32[1,2,8]"},
       {"f32[1,2,4]", "i64[1,2,4]"}},
      {"max_pool",
       attrs(Attrs("max_pool").set("kernel_shape", {3, 2}).set("strides", {2, 2}).set("pads", {1, 0, 1, 1})),
       {"i32[2,3,7,6]"},
       {"i32[2,3,4,3]", "i64[2,3,4,3]"}},
      {"max_pool",
       attrs(Attrs("max_pool").set("kernel_shape", {3}).set("strides", {2})),
       {"f32[1,1,8]"},
       {"f32[1,1,3]", "i64[1,1,3]"}},
      {"max_pool",
       attrs(Attrs("max_pool").set("kernel_shape", {3}).set("strides", {2}).set("ceil_mode", int64_t{1})),
       {"f32[1,1,8]"},
       {"f32[1,1,4]", "i64[1,1,4]"}},
      {"max_pool",
       attrs(Attrs("max_pool")
                 .set("kernel_shape", {2})
                 .set("strides", {3})
                 .set("pads", {0, 1})
                 .set("ceil_mode", int64_t{1})),
       {"f32[1,1,5]"},
       {"f32[1,1,2]", "i64[1,1,2]"}},
      {"max_pool",
       attrs(Attrs("max_pool").set("kernel_shape", {2, 2}).set("dilations", {2, 2}).set("pads", {1, 1, 1, 1})),
       {"u8[1,2,6,6]"},
       {"u8[1,2,6,6]", "i64[1,2,6,6]"}},
      {"max_pool",
       attrs(Attrs("max_pool").set("kernel_shape", {2, 3, 2}).set("strides", {2, 1, 2}).set("ceil_mode", int64_t{1})),
       {"f32[1,1,4,5,6]"},
       {"f32[1,1,2,3,3]", "i64[1,1,2,3,3]"}},
      {"avg_pool",
       attrs(Attrs("avg_pool").set("kernel_shape", {3, 3}).set("strides", {2, 2}).set("ceil_mode", int64_t{1})),
       {"f32[2,3,7,7]"},
       {"f32[2,3,3,3]"}},
      {"avg_pool",
       attrs(Attrs("avg_pool")
                 .set("kernel_shape", {3, 3})
                 .set("strides", {2, 2})
                 .set("pads", {1, 1, 1, 1})
                 .set("ceil_mode", int64_t{1})),
       {"f32[2,3,7,7]"},
       {"f32[2,3,4,4]"}},
      {"avg_pool", attrs(Attrs("avg_pool").set("kernel_shape", {3})), {"f32[0,2,5]"}, {"f32[0,2,3]"}},
      {"max_pool_backward", nullptr, {"f32[1,2,4]", "i64[1,2,4]", "f32[1,2,8]"}, {"f32[1,2,8]"}},
      {"avg_pool_backward",
       attrs(Attrs("avg_pool_backward").set("kernel_shape", {2}).set("strides", {2})),
       {"f32[1,2,4]", "f32[1,2,9]"},
       {"f32[1,2,9]"}},
      // resize: sizes, or floor(D * scale) in f64.
      {"resize", attrs(Attrs("resize").set_floats("scales", {1.0, 1.0, 2.0, 2.0})), {"f32[1,1,4,4]"}, {"f32[1,1,8,8]"}},
      {"resize", attrs(Attrs("resize").set("sizes", {1, 2, 3, 7})), {"f32[1,2,5,3]"}, {"f32[1,2,3,7]"}},
      {"resize", attrs(Attrs("resize").set_floats("scales", {1.0, 1.0, 0.5, 1.5})), {"f32[1,1,4,6]"}, {"f32[1,1,2,9]"}},
      {"resize", attrs(Attrs("resize").set_floats("scales", {1.5})), {"f64[5]"}, {"f64[7]"}},
      {"resize", attrs(Attrs("resize").set_floats("scales", {0.5})), {"f16[3]"}, {"f16[1]"}},
      {"resize", attrs(Attrs("resize").set_floats("scales", {2.0, 2.0})), {"f32[0,3]"}, {"f32[0,6]"}},
      {"resize", attrs(Attrs("resize").set("sizes", {0, 3})), {"f32[2,4]"}, {"f32[0,3]"}},
      // pad: begins then ends.
      {"pad", attrs(Attrs("pad").set("pads", {1, 0, 2, 1})), {"f32[2,3]"}, {"f32[5,4]"}},
      {"pad", attrs(Attrs("pad").set("pads", {3, 2, 1, 4}).set_enum("mode", "reflect")), {"f32[4,5]"}, {"f32[8,11]"}},
      {"pad", attrs(Attrs("pad").set("pads", {})), {"bool[]"}, {"bool[]"}},
      {"pad", attrs(Attrs("pad").set("pads", {1, 1, 0, 2})), {"f32[0,3]"}, {"f32[1,6]"}},
      {"pad",
       attrs(Attrs("pad").set("pads", {0, 1, 1, 0, 1, 0, 2, 1}).set_enum("mode", "edge")),
       {"i64[2,1,3,2]"},
       {"i64[3,2,6,3]"}},
      // gemm: [M, N] from op(a) and op(b).
      {"gemm", nullptr, {"f32[2,3]", "f32[3,4]", "none"}, {"f32[2,4]"}},
      {"gemm", attrs(Attrs("gemm").set("trans_a", int64_t{1})), {"f32[3,2]", "f32[3,4]", "f32[4]"}, {"f32[2,4]"}},
      {"gemm", attrs(Attrs("gemm").set("trans_b", int64_t{1})), {"f32[2,3]", "f32[4,3]", "f32[]"}, {"f32[2,4]"}},
      {"gemm",
       attrs(Attrs("gemm").set("trans_a", int64_t{1}).set("trans_b", int64_t{1})),
       {"f64[3,2]", "f64[4,3]", "f64[2,1]"},
       {"f64[2,4]"}},
      {"gemm", nullptr, {"f32[0,3]", "f32[3,4]", "f32[1,4]"}, {"f32[0,4]"}},
      {"gemm", nullptr, {"f32[2,0]", "f32[0,4]", "none"}, {"f32[2,4]"}},
      // Reductions along one axis, top-k, scans.
      {"argmax", nullptr, {"f32[2,3]"}, {"i64[3]"}},
      {"argmax",
       attrs(Attrs("argmax").set("axis", int64_t{-1}).set("keepdims", int64_t{1})),
       {"i32[2,3]"},
       {"i64[2,1]"}},
      {"argmin", attrs(Attrs("argmin").set("axis", int64_t{3})), {"f32[2,3,1,4]"}, {"i64[2,3,1]"}},
      {"argmin", nullptr, {"f32[3,0]"}, {"i64[0]"}},
      {"topk", attrs(Attrs("topk").set("k", int64_t{3})), {"f32[2,5]"}, {"f32[2,3]", "i64[2,3]"}},
      {"topk",
       attrs(Attrs("topk").set("k", int64_t{3}).set("axis", int64_t{0})),
       {"i32[4,3]"},
       {"i32[3,3]", "i64[3,3]"}},
      {"topk",
       attrs(Attrs("topk").set("k", int64_t{2}).set("axis", int64_t{-2})),
       {"f32[2,1,3,4]"},
       {"f32[2,1,2,4]", "i64[2,1,2,4]"}},
      {"topk", attrs(Attrs("topk").set("k", int64_t{0})), {"f32[3,0]"}, {"f32[3,0]", "i64[3,0]"}},
      {"cumsum", attrs(Attrs("cumsum").set("axis", int64_t{-1})), {"i64[2,3]"}, {"i64[2,3]"}},
      {"reduce_prod", attrs(Attrs("reduce_prod").set("axes", {-1, 0})), {"f32[2,3,4]"}, {"f32[3]"}},
      {"reduce_min",
       attrs(Attrs("reduce_min").set("axes", {1}).set("keepdims", int64_t{1})),
       {"i32[2,3]"},
       {"i32[2,1]"}},
      // Losses: the target's shape for reduction none, else 0-D.
      {"nll_loss", nullptr, {"f32[3,5]", "i64[3]", "none"}, {"f32[]"}},
      {"nll_loss",
       attrs(Attrs("nll_loss").set_enum("reduction", "none")),
       {"f32[2,4,3,2]", "i32[2,3,2]", "f32[4]"},
       {"f32[2,3,2]"}},
      {"cross_entropy",
       attrs(Attrs("cross_entropy").set_enum("reduction", "sum")),
       {"f64[3,5]", "i64[3]", "none"},
       {"f64[]"}},
      {"cross_entropy",
       attrs(Attrs("cross_entropy").set_enum("reduction", "none")),
       {"f32[2,3,0]", "i64[2,0]", "none"},
       {"f32[2,0]"}},
      // Normalization statistics.
      {"batch_norm", nullptr, {"f32[2,3,4,4]", "f32[3]", "f32[3]", "f32[3]", "f32[3]"}, {"f32[2,3,4,4]"}},
      {"batch_norm_training", nullptr, {"f32[2,3,4,4]", "f32[3]", "f32[3]"}, {"f32[2,3,4,4]", "f32[3]", "f32[3]"}},
      {"batch_norm_backward",
       nullptr,
       {"f32[2,3,5]", "f32[2,3,5]", "f32[3]", "f32[3]", "f32[3]"},
       {"f32[2,3,5]", "f32[3]", "f32[3]"}},
      {"layer_norm",
       attrs(Attrs("layer_norm").set("axis", int64_t{1})),
       {"f32[2,3,4]", "f32[3,4]", "none"},
       {"f32[2,3,4]", "f32[2,1,1]", "f32[2,1,1]"}},
      {"layer_norm", nullptr, {"f32[2,3,4]", "none", "f32[4]"}, {"f32[2,3,4]", "f32[2,3,1]", "f32[2,3,1]"}},
      {"layer_norm",
       attrs(Attrs("layer_norm").set("axis", int64_t{0})),
       {"f32[2,3]", "none", "none"},
       {"f32[2,3]", "f32[1,1]", "f32[1,1]"}},
      {"layer_norm_backward",
       attrs(Attrs("layer_norm_backward").set("axis", int64_t{1})),
       {"f32[2,3,4]", "f32[2,3,4]", "f32[2,1,1]", "f32[2,1,1]", "none"},
       {"f32[2,3,4]", "f32[3,4]", "f32[3,4]"}},
      {"group_norm",
       attrs(Attrs("group_norm").set("num_groups", int64_t{3})),
       {"f32[2,6,3,3]", "f32[6]", "none"},
       {"f32[2,6,3,3]", "f32[2,3]", "f32[2,3]"}},
      {"group_norm_backward",
       attrs(Attrs("group_norm_backward").set("num_groups", int64_t{2})),
       {"f32[2,4,3]", "f32[2,4,3]", "f32[2,2]", "f32[2,2]", "f32[4]"},
       {"f32[2,4,3]", "f32[4]", "f32[4]"}},
      {"rms_norm", nullptr, {"bf16[2,5]", "bf16[5]"}, {"bf16[2,5]"}},
      // Elementwise operators with optional or broadcast operands.
      {"clamp", nullptr, {"f32[2,3]", "f32[3]", "none"}, {"f32[2,3]"}},
      {"clamp", nullptr, {"i32[4]", "none", "i32[2,1]"}, {"i32[2,4]"}},
      {"clamp", nullptr, {"f32[]", "f32[2]", "f32[3,1]"}, {"f32[3,2]"}},
      {"clamp", nullptr, {"f32[4]", "none", "none"}, {"f32[4]"}},
      {"prelu", nullptr, {"f32[2,3,2,2]", "f32[3,1,1]"}, {"f32[2,3,2,2]"}},
      {"fmod", nullptr, {"i32[2,1]", "i32[3]"}, {"i32[2,3]"}},
      {"remainder", nullptr, {"f32[]", "f32[0,2]"}, {"f32[0,2]"}},
      {"logical_xor", nullptr, {"bool[2,1]", "bool[4]"}, {"bool[2,4]"}},
      {"isinf", nullptr, {"f16[2,3]"}, {"bool[2,3]"}},
      {"isnan", nullptr, {"f64[]"}, {"bool[]"}},
      // Random numbers and dropout.
      {"rng_uniform", attrs(Attrs("rng_uniform").set("shape", {2, 3})), {}, {"f32[2,3]"}},
      {"rng_normal",
       attrs(Attrs("rng_normal").set("shape", {4}).set("dtype", int64_t{KEEL_DTYPE_F64})),
       {},
       {"f64[4]"}},
      {"bernoulli", attrs(Attrs("bernoulli").set("dtype", int64_t{KEEL_DTYPE_BOOL})), {"f32[2,3]"}, {"bool[2,3]"}},
      {"dropout", nullptr, {"f16[2,3]"}, {"f16[2,3]", "bool[2,3]"}},
      // Optimizer steps.
      {"sgd_update",
       attrs(Attrs("sgd_update").set("lr", 0.1)),
       {"f32[4,3]", "f32[4,3]", "none"},
       {"f32[4,3]", "f32[4,3]"}},
      {"adam_update",
       attrs(Attrs("adam_update").set("lr", 0.1).set("step", int64_t{1})),
       {"f32[3]", "f32[3]", "f32[3]", "f32[3]"},
       {"f32[3]", "f32[3]", "f32[3]"}},
      {"embedding_backward",
       attrs(Attrs("embedding_backward").set("num_weights", int64_t{7})),
       {"f32[2,3,4]", "i64[2,3]"},
       {"f32[7,4]"}},
  };
}

}  // namespace testing

namespace {

using testing::Attrs;
using testing::attrs;
using testing::ShapeCase;

TEST(NnShapes, InferTheOutputsWorkedOutByHand) {
  for (const ShapeCase& c : testing::nn_cases()) testing::expect_shapes(c);
}

// Independent statement of the pooling window count: floor mode counts the windows o >= 0 with o·s + span <=
// D + pb + pe; ceil mode those with o·s < D + pb + pe - span + s that also start before D + pb (o·s < D + pb).
int64_t count_windows(int64_t d, const Window& w, bool ceil_mode) {
  int64_t span = w.dilation * (w.kernel - 1) + 1;
  int64_t padded = d + w.pad_begin + w.pad_end;
  int64_t count = 0;
  for (int64_t o = 0; o * w.stride <= padded + w.stride; ++o) {
    bool fits = ceil_mode ? o * w.stride < padded - span + w.stride && o * w.stride < d + w.pad_begin
                          : o * w.stride + span <= padded;
    count += fits ? 1 : 0;
  }
  return count;
}

TEST(NnShapes, PoolOutputSizeMatchesAWindowCountOverAGrid) {
  size_t checked = 0;
  for (int64_t d = 0; d <= 9; ++d) {
    for (int64_t k = 1; k <= 4; ++k) {
      for (int64_t s = 1; s <= 3; ++s) {
        for (int64_t l = 1; l <= 3; ++l) {
          for (int64_t pb = 0; pb <= 2; ++pb) {
            for (int64_t pe = 0; pe <= 2; ++pe) {
              Window w{k, s, l, pb, pe};
              int64_t span = l * (k - 1) + 1;
              if (d + pb + pe < span) continue;  // rejected by the operators' output-size constraints
              for (bool ceil_mode : {false, true}) {
                // PyTorch keeps pads below the window, so at most one ceil-mode window can start in the end
                // padding; the rule drops that one. Larger end pads are outside this statement.
                if (ceil_mode && pe >= span) continue;
                EXPECT_EQ(pool_output_size(d, w, ceil_mode), count_windows(d, w, ceil_mode))
                    << "D " << d << " K " << k << " s " << s << " l " << l << " pads " << pb << "+" << pe
                    << (ceil_mode ? " ceil" : " floor");
                ++checked;
              }
            }
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 2000u);
}

// conv_transpose's size is the one a strided conv maps back to D: conv(conv_transpose size) == D for every
// output_padding in [0, stride).
TEST(NnShapes, ConvTransposeSizeInvertsConv) {
  for (int64_t d = 1; d <= 8; ++d) {
    for (int64_t k = 1; k <= 4; ++k) {
      for (int64_t s = 1; s <= 3; ++s) {
        for (int64_t l = 1; l <= 2; ++l) {
          for (int64_t pb = 0; pb <= 1; ++pb) {
            for (int64_t pe = 0; pe <= 1; ++pe) {
              for (int64_t op = 0; op < s; ++op) {
                Window w{k, s, l, pb, pe};
                int64_t out = conv_transpose_output_size(d, w, op);
                if (out < 1) continue;
                EXPECT_EQ(pool_output_size(out, w, false), d) << "D " << d << " K " << k << " s " << s << " l " << l
                                                              << " pads " << pb << "+" << pe << " op " << op;
              }
            }
          }
        }
      }
    }
  }
}

TEST(NnShapes, OverflowingWindowsAreReportedNotWrapped) {
  Window huge{INT64_MAX / 2, 1, 4, 0, 0};
  EXPECT_EQ(effective_kernel(huge), -1);
  EXPECT_LT(pool_output_size(8, huge, false), 1);
  Window pads{3, 1, 1, INT64_MAX, INT64_MAX};
  EXPECT_LT(pool_output_size(8, pads, false), 1);
}

}  // namespace
}  // namespace keel::spec
