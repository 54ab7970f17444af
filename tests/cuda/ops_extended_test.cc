// The operators beyond the first 35: float math and activations, isnan/isinf, remainders, logical operators,
// clamp with optional bounds, and the layout and creation operators (flatten, squeeze, unsqueeze, copy,
// expand, flip, split, tile, trilu, eye, shape). Compared with the reference plugin where it has a kernel;
// calls it cannot run yet are listed as "no oracle" and skipped.
#include <gtest/gtest.h>

#include "gpu/random_ops.h"
#include "harness/op_check.h"
#include "keel/keel_ops.h"

namespace keel::cuda_test {
namespace {

constexpr keel_dtype_t kFloat[] = {KEEL_DTYPE_F32, KEEL_DTYPE_F16, KEEL_DTYPE_BF16, KEEL_DTYPE_F64};
constexpr keel_dtype_t kNumeric[] = {KEEL_DTYPE_F32, KEEL_DTYPE_F16, KEEL_DTYPE_BF16,
                                     KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64};
constexpr keel_dtype_t kAll[] = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32,  KEEL_DTYPE_I64, KEEL_DTYPE_F32,
                                 KEEL_DTYPE_F16,  KEEL_DTYPE_BF16, KEEL_DTYPE_F64};
const std::vector<Dims> kShapes = {{}, {0, 2}, {300}, {2, 3, 4, 5}};

class CudaExtendedTest : public GpuTest {};

struct FloatCase {
  const char* op;
  const void* attrs;
  Tolerance tolerance;
  Magnitude magnitude;
};

TEST_F(CudaExtendedTest, FloatMathAndActivations) {
  const keel_leaky_relu_attrs_t leaky = {sizeof(keel_leaky_relu_attrs_t), 0.1};
  const keel_elu_attrs_t elu = {sizeof(keel_elu_attrs_t), 0.7};
  const keel_celu_attrs_t celu = {sizeof(keel_celu_attrs_t), 1.5};
  const keel_selu_attrs_t selu = KEEL_SELU_ATTRS_INIT;
  const keel_gelu_attrs_t gelu = KEEL_GELU_ATTRS_INIT;
  const keel_gelu_attrs_t gelu_tanh = {sizeof(keel_gelu_attrs_t), KEEL_GELU_APPROXIMATE_TANH};
  const keel_hardsigmoid_attrs_t hardsigmoid = {sizeof(keel_hardsigmoid_attrs_t), 1.0 / 6.0, 0.5};
  const FloatCase cases[] = {
      {"reciprocal", nullptr, Tolerance::ulps(1, 1, 1, 1), Magnitude::kOutput},
      {"rsqrt", nullptr, Tolerance::ulps(2, 1, 1, 2), Magnitude::kOutput},
      {"sin", nullptr, Tolerance::ulps(4, 1, 1, 4), Magnitude::kOutput},
      {"cos", nullptr, Tolerance::ulps(4, 1, 1, 4), Magnitude::kOutput},
      {"tan", nullptr, Tolerance::ulps(8, 3, 3, 8), Magnitude::kOutput},
      {"erf", nullptr, Tolerance::ulps(4, 1, 1, 4), Magnitude::kOutput},
      {"floor", nullptr, Tolerance::exact(), Magnitude::kOutput},
      {"ceil", nullptr, Tolerance::exact(), Magnitude::kOutput},
      {"round", nullptr, Tolerance::exact(), Magnitude::kOutput},
      {"silu", nullptr, Tolerance::ulps(6, 2, 2, 6), Magnitude::kOutput},
      {"softsign", nullptr, Tolerance::ulps(2, 2, 2, 2), Magnitude::kOutput},
      {"softplus", nullptr, Tolerance::accumulation(4), Magnitude::kOutputPlusOne},
      {"hardswish", nullptr, Tolerance::accumulation(4), Magnitude::kOpOnAbs},
      {"leaky_relu", &leaky, Tolerance::ulps(1, 1, 1, 1), Magnitude::kOutput},
      {"elu", &elu, Tolerance::accumulation(4), Magnitude::kOutputPlusOne},
      {"celu", &celu, Tolerance::accumulation(4), Magnitude::kOutputPlusOne},
      {"selu", &selu, Tolerance::accumulation(4), Magnitude::kOutputPlusOne},
      {"gelu", &gelu, Tolerance::accumulation(8), Magnitude::kOpOnAbs},
      {"gelu", &gelu_tanh, Tolerance::accumulation(8), Magnitude::kOpOnAbs},
      {"hardsigmoid", &hardsigmoid, Tolerance::accumulation(4), Magnitude::kOutputPlusOne},
  };
  Generator generator(31);
  for (const FloatCase& f : cases) {
    for (const keel_dtype_t dtype : kFloat) {
      for (const Dims& shape : kShapes) {
        // Accumulation bounds assume finite data; the ulp and exact classes also get the special values.
        const Domain domain = f.tolerance.kind == Tolerance::kAccumulation ? Domain::kFinite : Domain::kAny;
        OpCase c{f.op, {generator.make(dtype, shape, domain)}};
        c.attrs = f.attrs;
        c.in_layout = Layout::kReversed;
        c.out_layout = Layout::kStrided;
        check_op(c, f.tolerance, one_per_element, f.magnitude);
      }
    }
  }
}

TEST_F(CudaExtendedTest, IsNanAndIsInf) {
  Generator generator(32);
  for (const keel_dtype_t dtype : kFloat) {
    for (const uint8_t positive : {0, 1}) {
      const keel_isinf_attrs_t attrs = {sizeof(keel_isinf_attrs_t), positive, 1};
      const HostValues x = generator.make(dtype, {500}, Domain::kAny);
      OpCase isinf{"isinf", {x}};
      isinf.attrs = &attrs;
      check_op(isinf, Tolerance::exact());
      check_op(OpCase{"isnan", {x}}, Tolerance::exact());
    }
  }
}

TEST_F(CudaExtendedTest, RemaindersPreluAndClamp) {
  Generator generator(33);
  const std::vector<std::pair<Dims, Dims>> pairs = {{{}, {}}, {{40}, {40}}, {{3, 4}, {4}}, {{2, 1, 4}, {3, 1}}};
  for (const keel_dtype_t dtype : kNumeric) {
    for (const auto& [a, b] : pairs) {
      for (const char* op : {"fmod", "remainder"}) {
        check_op(OpCase{op, {generator.make(dtype, a, Domain::kAny), generator.make(dtype, b, Domain::kSmallInts)}},
                 Tolerance::exact());
      }
      if (is_float(dtype)) {
        check_op(OpCase{"prelu", {generator.make(dtype, a, Domain::kAny), generator.make(dtype, b, Domain::kAny)}},
                 Tolerance::ulps(0.5, 0.5, 0.5, 0.5));
      }
      // clamp with both bounds, only one, and none.
      const HostValues x = generator.make(dtype, a, Domain::kAny);
      const HostValues lo = generator.make(dtype, b, Domain::kSmallInts);
      const HostValues hi = generator.make(dtype, b, Domain::kSmallInts);
      const HostValues absent{KEEL_DTYPE_INVALID, {}, {}};
      for (const auto& [low, high] : {std::pair{lo, hi}, {lo, absent}, {absent, hi}, {absent, absent}}) {
        check_op(OpCase{"clamp", {x, low, high}}, Tolerance::exact());
      }
    }
  }
}

TEST_F(CudaExtendedTest, LogicalOperators) {
  Generator generator(34);
  for (const auto& [a, b] : std::vector<std::pair<Dims, Dims>>{{{}, {}}, {{7, 3}, {3}}, {{0, 2}, {1, 2}}}) {
    const HostValues x = generator.make(KEEL_DTYPE_BOOL, a, Domain::kBool);
    const HostValues y = generator.make(KEEL_DTYPE_BOOL, b, Domain::kBool);
    check_op(OpCase{"logical_not", {x}}, Tolerance::exact());
    for (const char* op : {"logical_and", "logical_or", "logical_xor"}) check_op(OpCase{op, {x, y}}, Tolerance::exact());
  }
}

TEST_F(CudaExtendedTest, InOrderCopiesExpandAndFlip) {
  Generator generator(35);
  const keel_flatten_attrs_t flatten = {sizeof(keel_flatten_attrs_t), -1};
  const int64_t squeeze_axes[] = {1};
  const keel_squeeze_attrs_t squeeze = {sizeof(keel_squeeze_attrs_t), squeeze_axes, 1};
  const int64_t unsqueeze_axes[] = {0, -1};
  const keel_unsqueeze_attrs_t unsqueeze = {sizeof(keel_unsqueeze_attrs_t), unsqueeze_axes, 2};
  const int64_t expand_shape[] = {2, 1, 3, 4};
  const keel_expand_attrs_t expand = {sizeof(keel_expand_attrs_t), expand_shape, 4};
  const int64_t flip_axes[] = {0, -1};
  const keel_flip_attrs_t flip = {sizeof(keel_flip_attrs_t), flip_axes, 2};
  const std::pair<const char*, const void*> ops[] = {{"flatten", &flatten}, {"squeeze", &squeeze},
                                                     {"unsqueeze", &unsqueeze}, {"copy", nullptr},
                                                     {"expand", &expand}, {"flip", &flip}};
  for (const keel_dtype_t dtype : kAll) {
    for (const auto& [op, attrs] : ops) {
      for (const Layout layout : {Layout::kDense, Layout::kTransposed, Layout::kReversed}) {
        OpCase c{op, {generator.make(dtype, {3, 1, 4}, dtype == KEEL_DTYPE_BOOL ? Domain::kBool : Domain::kAny)}};
        c.attrs = attrs;
        c.in_layout = layout;
        c.out_layout = Layout::kOffset;
        c.moves_data = true;
        check_op(c, Tolerance::exact());
      }
    }
  }
}

TEST_F(CudaExtendedTest, SplitTileTriluEyeAndShape) {
  Generator generator(36);
  const int64_t sizes[] = {1, 0, 3};
  const keel_split_attrs_t split_sizes = {sizeof(keel_split_attrs_t), -1, sizes, 3, 0};
  const keel_split_attrs_t split_count = {sizeof(keel_split_attrs_t), 0, nullptr, 0, 2};
  const int64_t repeats[] = {2, 1, 3};
  const keel_tile_attrs_t tile = {sizeof(keel_tile_attrs_t), repeats, 3};
  const keel_trilu_attrs_t upper = {sizeof(keel_trilu_attrs_t), 1, -1};
  const keel_trilu_attrs_t lower = {sizeof(keel_trilu_attrs_t), 0, 1};
  const std::pair<const char*, const void*> ops[] = {{"split", &split_sizes}, {"split", &split_count},
                                                     {"tile", &tile},         {"trilu", &upper},
                                                     {"trilu", &lower},       {"shape", nullptr}};
  for (const keel_dtype_t dtype : kAll) {
    for (const auto& [op, attrs] : ops) {
      OpCase c{op, {generator.make(dtype, {3, 5, 4}, dtype == KEEL_DTYPE_BOOL ? Domain::kBool : Domain::kAny)}};
      c.attrs = attrs;
      c.in_layout = Layout::kReversed;
      c.moves_data = true;
      check_op(c, Tolerance::exact());
    }
    keel_eye_attrs_t eye = {sizeof(keel_eye_attrs_t), 4, 6, 1, dtype};
    keel_eye_attrs_t oracle_eye = eye;
    if (is_float(dtype)) oracle_eye.dtype = KEEL_DTYPE_F64;
    OpCase c{"eye", {}};
    c.attrs = &eye;
    c.oracle_attrs = &oracle_eye;
    c.out_layout = Layout::kTransposed;
    check_op(c, Tolerance::exact());
  }
}

TEST_F(CudaExtendedTest, LayerNormRmsNormAndCumsum) {
  Generator generator(38);
  const auto statistic_size = [](int64_t n) {
    return [n](const std::vector<HostValues>&, const HostValues& out) {
      return std::vector<double>(static_cast<size_t>(out.count()), static_cast<double>(n));
    };
  };
  for (const keel_dtype_t dtype : kFloat) {
    for (const auto& [shape, axis] : std::vector<std::pair<Dims, int64_t>>{{{4, 7}, -1}, {{2, 3, 50}, 1}, {{3, 2000}, 1}}) {
      int64_t n = 1;
      for (size_t d = static_cast<size_t>(axis < 0 ? axis + static_cast<int64_t>(shape.size()) : axis); d < shape.size(); ++d) {
        n *= shape[d];
      }
      const Dims trailing(shape.begin() + (axis < 0 ? axis + static_cast<int64_t>(shape.size()) : axis), shape.end());
      const HostValues x = generator.make(dtype, shape, Domain::kFinite);
      const HostValues scale = generator.make(dtype, trailing, Domain::kFinite);
      const HostValues bias = generator.make(dtype, trailing, Domain::kFinite);
      const HostValues absent{KEEL_DTYPE_INVALID, {}, {}};
      keel_layer_norm_attrs_t layer = KEEL_LAYER_NORM_ATTRS_INIT;
      layer.axis = axis;
      keel_rms_norm_attrs_t rms = KEEL_RMS_NORM_ATTRS_INIT;
      rms.axis = axis;
      for (const bool affine : {false, true}) {
        OpCase norm{"layer_norm", {x, affine ? scale : absent, affine ? bias : absent}};
        norm.attrs = &layer;
        norm.in_layout = Layout::kTransposed;
        check_op(norm, Tolerance::accumulation(8), statistic_size(n), Magnitude::kOutputPlusOne);
        OpCase rms_norm{"rms_norm", {x, affine ? scale : absent}};
        rms_norm.attrs = &rms;
        check_op(rms_norm, Tolerance::accumulation(8), statistic_size(n), Magnitude::kOutputPlusOne);
      }
    }
  }
  for (const keel_dtype_t dtype : kNumeric) {
    for (const uint8_t exclusive : {0, 1}) {
      for (const uint8_t reverse : {0, 1}) {
        const keel_cumsum_attrs_t attrs = {sizeof(keel_cumsum_attrs_t), 1, exclusive, reverse};
        OpCase c{"cumsum", {generator.make(dtype, {3, 40, 2}, Domain::kFinite)}};
        c.attrs = &attrs;
        c.in_layout = Layout::kReversed;
        if (is_float(dtype)) {
          check_op(c, Tolerance::accumulation(2), statistic_size(40), Magnitude::kOpOnAbs);
        } else {
          check_op(c, Tolerance::exact());
        }
      }
    }
  }
}

TEST_F(CudaExtendedTest, GatherAndOneHot) {
  Generator generator(39);
  for (const keel_dtype_t index_dtype : {KEEL_DTYPE_I32, KEEL_DTYPE_I64}) {
    // Indices in [-8, 8] against an axis of 5: negatives count from the back, the rest give zeros.
    const HostValues indices = generator.make(index_dtype, {2, 3}, Domain::kSmallInts);
    for (const keel_dtype_t dtype : kAll) {
      for (const int64_t axis : {0, 1, -1}) {
        const keel_gather_attrs_t attrs = {sizeof(keel_gather_attrs_t), axis};
        OpCase c{"gather", {generator.make(dtype, {5, 5, 5}, dtype == KEEL_DTYPE_BOOL ? Domain::kBool : Domain::kAny),
                            indices}};
        c.attrs = &attrs;
        c.in_layout = Layout::kStrided;
        c.moves_data = true;
        check_op(c, Tolerance::exact());
      }
      keel_one_hot_attrs_t one_hot = {sizeof(keel_one_hot_attrs_t), 5, 1, 3.0, -1.0, dtype};
      keel_one_hot_attrs_t oracle_one_hot = one_hot;
      if (is_float(dtype)) oracle_one_hot.dtype = KEEL_DTYPE_F64;
      OpCase c{"one_hot", {indices}};
      c.attrs = &one_hot;
      c.oracle_attrs = &oracle_one_hot;
      check_op(c, Tolerance::exact());
    }
  }
}

// Random numbers are exact functions of (seed, offset, element): the CUDA kernels must give the bits the
// host computes with the same rules (random_ops.h, checked against the spec's known answers in
// numeric_test.cc), in every layout.
TEST_F(CudaExtendedTest, RandomNumbersHaveTheSpecsBits) {
  if (!env().testing_cuda()) GTEST_SKIP() << "checks the CUDA plugin's Philox kernels";
  const std::vector<int64_t> shape = {3, 5, 7};
  const keel::cuda::PhiloxStream stream{static_cast<uint64_t>(int64_t{-5}), 1234};
  for (const keel_dtype_t dtype : kFloat) {
    keel_rng_uniform_attrs_t uniform = KEEL_RNG_UNIFORM_ATTRS_INIT;
    uniform.shape = shape.data();
    uniform.shape_count = shape.size();
    uniform.low = -1.5;
    uniform.high = 2.0;
    uniform.dtype = dtype;
    uniform.seed = -5;
    uniform.offset = 1234;
    const std::vector<DeviceTensor> out = run_op(device(), "rng_uniform", &uniform, {}, Layout::kReversed);
    const HostValues got = download(out[0]);
    for (int64_t e = 0; e < got.count(); ++e) {
      double expected = 0;
      switch (dtype) {
        case KEEL_DTYPE_F16: expected = keel::cuda::half_to_float(keel::cuda::uniform_element<keel::cuda::Half>(stream, e, -1.5, 2.0)); break;
        case KEEL_DTYPE_BF16:
          expected = keel::cuda::bfloat16_to_float(keel::cuda::uniform_element<keel::cuda::BFloat16>(stream, e, -1.5, 2.0));
          break;
        case KEEL_DTYPE_F32: expected = keel::cuda::uniform_element<float>(stream, e, -1.5, 2.0); break;
        default: expected = keel::cuda::uniform_element<double>(stream, e, -1.5, 2.0); break;
      }
      ASSERT_EQ(got.values[e], expected) << name_of(dtype) << " element " << e;
    }
  }
  keel_dropout_attrs_t dropout = KEEL_DROPOUT_ATTRS_INIT;
  dropout.ratio = 0.3;
  dropout.seed = -5;
  dropout.offset = 1234;
  Generator generator(37);
  DeviceTensor x = upload(device(), KEEL_DTYPE_F32, generator.make(KEEL_DTYPE_F32, shape, Domain::kFinite),
                          Layout::kTransposed);
  const std::vector<DeviceTensor> out = run_op(device(), "dropout", &dropout, {&x}, Layout::kDense);
  const HostValues input = download(x), y = download(out[0]), mask = download(out[1]);
  for (int64_t e = 0; e < y.count(); ++e) {
    const bool kept = keel::cuda::dropout_keeps(stream, static_cast<uint64_t>(e), 0.3);
    ASSERT_EQ(mask.values[e], kept ? 1.0 : 0.0) << e;
    ASSERT_EQ(y.values[e], kept ? static_cast<float>(input.values[e] * (1.0 / (1.0 - 0.3))) : 0.0) << e;
  }
}

}  // namespace
}  // namespace keel::cuda_test
