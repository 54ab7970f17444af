// The CUDA plugin's element types, conversions and per-element operator rules (plugins/cuda/gpu/numeric.h
// and scalar_ops.h), compiled for the CPU. The kernels run exactly this code on the GPU, so these tests pin
// down the spec's special cases without a GPU: they compare against independent references (the compiler's
// _Float16, exhaustive nearest-value searches in long double) and the rules of ir_spec/ops/*.yaml.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>

#include "gpu/numeric.h"
#include "gpu/math_ops.h"
#include "gpu/random_ops.h"
#include "gpu/scalar_ops.h"

namespace keel::cuda {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

uint16_t bits_of_float16(_Float16 value) {
  uint16_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

// A small format's positive finite value (or, for the infinity pattern, the power of two one step past the
// largest finite value, which is what round-to-nearest compares against).
struct Format {
  uint16_t infinity_bits;
  long double (*value)(uint16_t bits);
};

long double half_value(uint16_t bits) {
  if (bits == 0x7c00) return 65536.0L;
  return static_cast<long double>(half_to_float(Half{bits}));
}
long double bfloat16_value(uint16_t bits) {
  if (bits == 0x7f80) return std::ldexp(1.0L, 128);
  return static_cast<long double>(bfloat16_to_float(BFloat16{bits}));
}
constexpr Format kHalf = {0x7c00, half_value};
constexpr Format kBFloat16 = {0x7f80, bfloat16_value};

// Round-to-nearest-even into the format, by searching the representable neighbours of |x|.
uint16_t nearest(const Format& format, long double x) {
  const uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  const long double magnitude = std::fabs(x);
  uint16_t low = 0, high = format.infinity_bits;  // value(low) <= magnitude < value(high) unless saturated
  if (magnitude >= format.value(high)) return sign | format.infinity_bits;
  while (high - low > 1) {
    const auto middle = static_cast<uint16_t>((low + high) / 2);
    (format.value(middle) <= magnitude ? low : high) = middle;
  }
  const long double below = magnitude - format.value(low);
  const long double above = format.value(high) - magnitude;
  if (below < above) return sign | low;
  if (above < below) return sign | high;
  return sign | ((low & 1) == 0 ? low : high);
}

std::vector<double> interesting_doubles() {
  std::vector<double> values = {0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3.0, 65504.0, 65519.999, 65520.0, 65536.0,
                                std::ldexp(1.0, -14), std::ldexp(1.0, -24), std::ldexp(1.0, -25),
                                std::ldexp(1.5, -25), std::ldexp(1.0, -126), std::ldexp(1.0, -133),
                                std::ldexp(1.0, -134), std::ldexp(1.0, -1074), 3.3895313892515355e38,
                                3.4e38, 1e300, kInf, -kInf, std::numeric_limits<double>::max()};
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> mantissa(1.0, 2.0);
  std::uniform_int_distribution<int> exponent(-150, 140);
  for (int i = 0; i < 200000; ++i) {
    const double x = std::ldexp(mantissa(random), exponent(random));
    values.push_back(i % 2 == 0 ? x : -x);
  }
  // Exact midpoints between neighbouring f16 and bf16 values, and the doubles just beside them.
  for (uint16_t bits = 1; bits < 0x7c00; bits = static_cast<uint16_t>(bits + 37)) {
    const double middle = (static_cast<double>(half_value(bits)) + static_cast<double>(half_value(bits + 1))) / 2;
    values.insert(values.end(), {middle, std::nextafter(middle, 0.0), std::nextafter(middle, kInf)});
  }
  for (uint16_t bits = 1; bits < 0x7f80; bits = static_cast<uint16_t>(bits + 41)) {
    const double middle =
        static_cast<double>((bfloat16_value(bits) + bfloat16_value(static_cast<uint16_t>(bits + 1))) / 2);
    values.insert(values.end(), {middle, std::nextafter(middle, 0.0), std::nextafter(middle, kInf)});
  }
  return values;
}

TEST(CudaNumericTest, HalfWidensExactlyForEveryPattern) {
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    _Float16 reference;
    const auto pattern = static_cast<uint16_t>(bits);
    std::memcpy(&reference, &pattern, sizeof reference);
    const float widened = half_to_float(Half{pattern});
    if (std::isnan(static_cast<float>(reference))) {
      EXPECT_TRUE(std::isnan(widened)) << std::hex << bits;
    } else {
      EXPECT_EQ(bits_of(widened), bits_of(static_cast<float>(reference))) << std::hex << bits;
    }
  }
}

TEST(CudaNumericTest, DoublesRoundToHalfOnceToNearestEven) {
  for (const double x : interesting_doubles()) {
    const uint16_t ours = half_from_double(x).bits;
    EXPECT_EQ(ours, bits_of_float16(static_cast<_Float16>(x))) << x;
    EXPECT_EQ(ours, nearest(kHalf, x)) << x;
  }
}

TEST(CudaNumericTest, FloatsRoundToHalfOnce) {
  for (const double x : interesting_doubles()) {
    const auto f = static_cast<float>(x);
    EXPECT_EQ(half_from_float(f).bits, bits_of_float16(static_cast<_Float16>(f))) << f;
  }
}

TEST(CudaNumericTest, DoublesRoundToBFloat16OnceToNearestEven) {
  for (const double x : interesting_doubles()) EXPECT_EQ(bfloat16_from_double(x).bits, nearest(kBFloat16, x)) << x;
}

TEST(CudaNumericTest, NaNStaysNaNInEveryNarrowing) {
  for (const double nan : {kNaN, -kNaN, double_from_bits(0x7ff0000000000001ull)}) {
    const Half h = half_from_double(nan);
    const BFloat16 b = bfloat16_from_double(nan);
    EXPECT_TRUE(std::isnan(half_to_float(h)));
    EXPECT_TRUE(std::isnan(bfloat16_to_float(b)));
    EXPECT_EQ(h.bits & 0x8000, std::signbit(nan) ? 0x8000 : 0);
  }
}

TEST(CudaNumericTest, IntegersRoundToSmallFormatsDirectly) {
  std::mt19937_64 random(7);
  std::vector<int64_t> values = {0, 1, -1, 2049, 2050, 2051, 65504, 65519, 65520, -65520, INT64_MIN, INT64_MAX,
                                 (int64_t{1} << 60) + (int64_t{1} << 52) + 1, INT32_MIN, INT32_MAX};
  for (int i = 0; i < 100000; ++i) values.push_back(static_cast<int64_t>(random()) >> (random() % 63));
  for (const int64_t v : values) {
    EXPECT_EQ(convert<Half>(v).bits, bits_of_float16(static_cast<_Float16>(v))) << v;
    EXPECT_EQ(convert<Half>(v).bits, nearest(kHalf, static_cast<long double>(v))) << v;
    EXPECT_EQ(convert<BFloat16>(v).bits, nearest(kBFloat16, static_cast<long double>(v))) << v;
    EXPECT_EQ(convert<BFloat16>(static_cast<int32_t>(v)).bits,
              nearest(kBFloat16, static_cast<long double>(static_cast<int32_t>(v))))
        << v;
  }
}

TEST(CudaNumericTest, FloatToIntegerTruncatesSaturatesAndMapsNaNToZero) {
  EXPECT_EQ(convert<int32_t>(2.9), 2);
  EXPECT_EQ(convert<int32_t>(-2.9), -2);
  EXPECT_EQ(convert<int32_t>(kNaN), 0);
  EXPECT_EQ(convert<int32_t>(3e9), INT32_MAX);
  EXPECT_EQ(convert<int32_t>(-3e9), INT32_MIN);
  EXPECT_EQ(convert<int32_t>(kInf), INT32_MAX);
  EXPECT_EQ(convert<int32_t>(-2147483648.0), INT32_MIN);
  EXPECT_EQ(convert<int32_t>(2147483647.5f * 1.0), INT32_MAX);
  EXPECT_EQ(convert<int64_t>(9.3e18), INT64_MAX);
  EXPECT_EQ(convert<int64_t>(-kInf), INT64_MIN);
  EXPECT_EQ(convert<int64_t>(Half{0xfc00}), INT64_MIN);  // -inf in f16
  EXPECT_EQ(convert<int32_t>(Half{0x7e00}), 0);          // NaN in f16
}

TEST(CudaNumericTest, IntegerCastsWrapAndBoolsAreZeroOrOne) {
  EXPECT_EQ(convert<int32_t>(int64_t{0x1'0000'0005}), 5);
  EXPECT_EQ(convert<int32_t>(int64_t{-1}), -1);
  EXPECT_EQ(convert<int32_t>(int64_t{0x8000'0000}), INT32_MIN);
  EXPECT_EQ(convert<Bool>(kNaN).value, 1);
  EXPECT_EQ(convert<Bool>(-0.0).value, 0);
  EXPECT_EQ(convert<Bool>(int64_t{-7}).value, 1);
  EXPECT_EQ(convert<double>(Bool{1}), 1.0);
  EXPECT_EQ(convert<float>(Bool{0}), 0.0f);
  EXPECT_EQ(convert<float>(int64_t{16777217}), 16777216.0f);  // ties to even
  EXPECT_EQ(convert<float>(1e300), std::numeric_limits<float>::infinity());
}

TEST(CudaScalarOpsTest, MaximumAndMinimumFollowIeee2019) {
  const MaximumOp maximum;
  const MinimumOp minimum;
  EXPECT_TRUE(std::isnan(maximum(1.0f, std::nanf(""))));
  EXPECT_TRUE(std::isnan(maximum(std::nan(""), 1.0)));
  EXPECT_TRUE(std::isnan(minimum(std::nan(""), -kInf)));
  EXPECT_FALSE(std::signbit(maximum(0.0, -0.0)));
  EXPECT_FALSE(std::signbit(maximum(-0.0, 0.0)));
  EXPECT_TRUE(std::signbit(minimum(0.0f, -0.0f)));
  EXPECT_TRUE(std::signbit(minimum(-0.0f, 0.0f)));
  EXPECT_EQ(maximum(int32_t{-3}, int32_t{2}), 2);
  EXPECT_EQ(maximum(Half{0x8000}, Half{0x0000}).bits, 0x0000);  // max(-0, +0) = +0 in f16
  EXPECT_EQ(minimum(BFloat16{0x0000}, BFloat16{0x8000}).bits, 0x8000);
}

TEST(CudaScalarOpsTest, SignBitOperatorsWorkOnBits) {
  EXPECT_TRUE(std::signbit(NegOp{}(0.0)));
  EXPECT_FALSE(std::signbit(AbsOp{}(-0.0f)));
  EXPECT_EQ(bits_of(NegOp{}(double_from_bits(0x7ff8000000000123ull))), 0xfff8000000000123ull);  // payload kept
  EXPECT_EQ(NegOp{}(Half{0x3c00}).bits, 0xbc00);
  EXPECT_EQ(AbsOp{}(BFloat16{0xff80}).bits, 0x7f80);
  EXPECT_EQ(NegOp{}(INT32_MIN), INT32_MIN);
  EXPECT_EQ(AbsOp{}(INT64_MIN), INT64_MIN);
}

TEST(CudaScalarOpsTest, SignAndReluHandleZerosAndNaN) {
  EXPECT_FALSE(std::signbit(SignOp{}(-0.0)));
  EXPECT_EQ(SignOp{}(-0.0), 0.0);
  EXPECT_TRUE(std::isnan(SignOp{}(std::nanf(""))));
  EXPECT_EQ(SignOp{}(-5.0f), -1.0f);
  EXPECT_EQ(SignOp{}(int64_t{-9}), -1);
  EXPECT_FALSE(std::signbit(ReluOp{}(-0.0)));
  EXPECT_FALSE(std::signbit(ReluOp{}(-3.0f)));
  EXPECT_TRUE(std::isnan(ReluOp{}(std::nan(""))));
  EXPECT_EQ(ReluOp{}(Half{0x8000}).bits, 0x0000);  // relu(-0) = +0
  EXPECT_EQ(ReluOp{}(int32_t{-4}), 0);
}

TEST(CudaScalarOpsTest, IntegerArithmeticWraps) {
  EXPECT_EQ(AddOp{}(INT32_MAX, int32_t{1}), INT32_MIN);
  EXPECT_EQ(SubOp{}(INT64_MIN, int64_t{1}), INT64_MAX);
  EXPECT_EQ(MulOp{}(int32_t{65536}, int32_t{65536}), 0);
}

TEST(CudaScalarOpsTest, IntegerDivisionFollowsTheSpec) {
  const DivOp trunc{kDivTrunc};
  const DivOp floor{kDivFloor};
  EXPECT_EQ(trunc(int32_t{7}, int32_t{0}), 0);
  EXPECT_EQ(floor(int64_t{-7}, int64_t{0}), 0);
  EXPECT_EQ(trunc(INT32_MIN, int32_t{-1}), INT32_MIN);
  EXPECT_EQ(floor(INT64_MIN, int64_t{-1}), INT64_MIN);
  EXPECT_EQ(trunc(int32_t{-7}, int32_t{2}), -3);
  EXPECT_EQ(floor(int32_t{-7}, int32_t{2}), -4);
  EXPECT_EQ(floor(int32_t{7}, int32_t{-2}), -4);
  EXPECT_EQ(floor(int32_t{-8}, int32_t{2}), -4);
}

TEST(CudaScalarOpsTest, FloatDivisionRoundsTheQuotientBeforeTruncating) {
  EXPECT_EQ(DivOp{kDivNone}(1.0f, 3.0f), 1.0f / 3.0f);
  EXPECT_EQ(DivOp{kDivFloor}(-7.0, 2.0), -4.0);
  EXPECT_EQ(DivOp{kDivTrunc}(-7.0, 2.0), -3.0);
  EXPECT_TRUE(std::isinf(DivOp{kDivNone}(1.0, 0.0)));
  // In f16, 4095 / 4 = 1023.75 rounds to 1024 (the spacing there is 0.5, ties to even); trunc of that is 1024,
  // not the 1023 that truncating the exact quotient would give.
  const Half a = half_from_double(4095.0), b = half_from_double(4.0);
  EXPECT_EQ(half_to_float(DivOp{kDivTrunc}(a, b)), 1024.0f);
}

TEST(CudaScalarOpsTest, SmallFormatArithmeticIsCorrectlyRounded) {
  std::mt19937 random(3);
  std::uniform_int_distribution<int> pattern(0, 0x7bff);
  for (int i = 0; i < 100000; ++i) {
    const Half a{static_cast<uint16_t>(pattern(random) | (i % 2 ? 0x8000 : 0))};
    const Half b{static_cast<uint16_t>(pattern(random))};
    const double x = half_to_float(a), y = half_to_float(b);
    EXPECT_EQ(AddOp{}(a, b).bits, nearest(kHalf, static_cast<long double>(x) + y));
    EXPECT_EQ(MulOp{}(a, b).bits, nearest(kHalf, static_cast<long double>(x) * y));
    if (y != 0) {
      EXPECT_EQ(DivOp{}(a, b).bits, nearest(kHalf, static_cast<long double>(x) / y));
    }
  }
}

TEST(CudaScalarOpsTest, SigmoidIsAccurateAtTheExtremes) {
  EXPECT_EQ(SigmoidOp{}(-kInf), 0.0);
  EXPECT_FALSE(std::signbit(SigmoidOp{}(-kInf)));
  EXPECT_EQ(SigmoidOp{}(kInf), 1.0);
  EXPECT_TRUE(std::isnan(SigmoidOp{}(std::nanf(""))));
  // Tiny results come out as e^x itself, subnormals included.
  const float tiny = SigmoidOp{}(-100.0f);
  const auto expected = static_cast<float>(std::exp(-100.0));
  EXPECT_GT(tiny, 0.0f);
  EXPECT_LE(std::fabs(static_cast<double>(tiny) - expected), 5 * std::numeric_limits<float>::denorm_min());
}

TEST(CudaScalarOpsTest, ComparisonsTreatNaNAndZerosAsTheSpecSays) {
  EXPECT_FALSE(EqualOp{}(std::nan(""), std::nan("")));
  EXPECT_TRUE(NotEqualOp{}(std::nanf(""), 1.0f));
  EXPECT_TRUE(EqualOp{}(0.0, -0.0));
  EXPECT_FALSE(LessOp{}(std::nanf(""), 1.0f));
  EXPECT_TRUE(EqualOp{}(Bool{1}, Bool{1}));
  EXPECT_TRUE(GreaterOp{}(Half{0x3c00}, Half{0x0000}));
  EXPECT_TRUE(LessEqualOp{}(int64_t{-1}, int64_t{-1}));
}

TEST(CudaScalarOpsTest, MaxReductionPropagatesNaNAndPrefersPositiveZero) {
  const MaxCombine combine;
  float acc = MaxCombine::identity<float>();
  for (const float x : {-0.0f, 0.0f, -1.0f}) acc = combine(acc, x);
  EXPECT_FALSE(std::signbit(acc));
  acc = combine(acc, std::nanf(""));
  EXPECT_TRUE(std::isnan(combine(acc, 5.0f)));
  EXPECT_EQ(MaxCombine::identity<int32_t>(), INT32_MIN);
  EXPECT_EQ(MaxCombine::identity<int64_t>(), INT64_MIN);
  EXPECT_EQ(SumCombine{}(INT32_MAX, int32_t{1}), INT32_MIN);
}

TEST(CudaMathOpsTest, RoundingFunctionsKeepSignsAndTiesGoToEven) {
  EXPECT_EQ(RoundOp{}(0.5), 0.0);
  EXPECT_FALSE(std::signbit(RoundOp{}(0.5)));
  EXPECT_EQ(RoundOp{}(1.5f), 2.0f);
  EXPECT_EQ(RoundOp{}(2.5), 2.0);
  EXPECT_TRUE(std::signbit(RoundOp{}(-0.5)));
  EXPECT_EQ(RoundOp{}(-1.5), -2.0);
  EXPECT_EQ(FloorOp{}(-0.5), -1.0);
  EXPECT_TRUE(std::signbit(FloorOp{}(-0.0f)));
  EXPECT_TRUE(std::signbit(CeilOp{}(-0.5)));
  EXPECT_EQ(half_to_float(RoundOp{}(half_from_double(2.5))), 2.0f);
}

TEST(CudaMathOpsTest, ReciprocalsFollowIeee) {
  EXPECT_EQ(ReciprocalOp{}(0.0), kInf);
  EXPECT_EQ(ReciprocalOp{}(-0.0f), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::signbit(ReciprocalOp{}(-kInf)));
  EXPECT_EQ(RsqrtOp{}(-0.0), -kInf);
  EXPECT_EQ(RsqrtOp{}(kInf), 0.0);
  EXPECT_TRUE(std::isnan(RsqrtOp{}(-1.0)));
}

TEST(CudaMathOpsTest, FmodAndRemainderFollowTheSpec) {
  EXPECT_EQ(FmodOp{}(-7.0, 2.0), -1.0);
  EXPECT_TRUE(std::isnan(FmodOp{}(1.0, 0.0)));
  EXPECT_TRUE(std::isnan(FmodOp{}(kInf, 2.0)));
  EXPECT_EQ(FmodOp{}(3.0f, std::numeric_limits<float>::infinity()), 3.0f);
  EXPECT_TRUE(std::signbit(FmodOp{}(-0.0, 3.0)));
  EXPECT_EQ(FmodOp{}(int32_t{7}, int32_t{0}), 7);
  EXPECT_EQ(FmodOp{}(INT32_MIN, int32_t{-1}), 0);
  EXPECT_EQ(FmodOp{}(int32_t{-7}, int32_t{2}), -1);
  EXPECT_EQ(RemainderOp{}(-7.0, 2.0), 1.0);
  EXPECT_EQ(RemainderOp{}(7.0, -2.0), -1.0);
  EXPECT_TRUE(std::signbit(RemainderOp{}(4.0, -2.0)));  // a zero takes b's sign
  EXPECT_FALSE(std::signbit(RemainderOp{}(-4.0, 2.0)));
  EXPECT_EQ(RemainderOp{}(-1.0, kInf), kInf);
  EXPECT_TRUE(std::isnan(RemainderOp{}(1.0, 0.0)));
  EXPECT_EQ(RemainderOp{}(int64_t{-7}, int64_t{2}), 1);
  EXPECT_EQ(RemainderOp{}(int64_t{7}, int64_t{-2}), -1);
  EXPECT_EQ(RemainderOp{}(int64_t{5}, int64_t{0}), 5);
  EXPECT_EQ(RemainderOp{}(INT64_MIN, int64_t{-1}), 0);
}

TEST(CudaMathOpsTest, ActivationsAtTheirSpecialValues) {
  EXPECT_TRUE(std::signbit(LeakyReluOp<double>(0.01)(-0.0)));  // -0 stays -0
  EXPECT_EQ(LeakyReluOp<float>(0.5)(-4.0f), -2.0f);
  EXPECT_TRUE(std::isnan(LeakyReluOp<double>(0.5)(std::nan(""))));
  EXPECT_EQ((ExponentialLinearOp<double>(0.7, 1.0, false, false)(-kInf)), -0.7);
  EXPECT_EQ((ExponentialLinearOp<double>(2.0, 3.0, true, false)(1.0)), 3.0);
  EXPECT_TRUE(std::isnan(GeluOp<double>(false)(-kInf)));  // 0 · inf, as the formula gives
  EXPECT_EQ(GeluOp<double>(false)(kInf), kInf);
  EXPECT_TRUE(std::isnan(SiluOp{}(-kInf)));
  // Below about -87 sigmoid underflows in f32 but x · sigmoid(x) is still a subnormal.
  EXPECT_EQ(SiluOp{}(-104.0f), static_cast<float>(-104.0 / (1.0 + std::exp(104.0))));
  EXPECT_EQ(SoftplusOp{}(kInf), kInf);
  EXPECT_EQ(SoftplusOp{}(-kInf), 0.0);
  EXPECT_NEAR(SoftplusOp{}(0.0), std::log(2.0), 1e-15);
  EXPECT_TRUE(std::isnan(SoftsignOp{}(kInf)));
  EXPECT_TRUE(std::signbit(SoftsignOp{}(-0.0)));
  EXPECT_EQ(HardsigmoidOp<double>(0.2, 0.5)(10.0), 1.0);
  EXPECT_EQ(HardsigmoidOp<double>(0.2, 0.5)(-10.0), 0.0);
  EXPECT_TRUE(std::isnan(HardsigmoidOp<float>(0.2, 0.5)(std::nanf(""))));
  EXPECT_TRUE(std::isnan(HardswishOp{}(-kInf)));
  EXPECT_EQ(HardswishOp{}(6.0), 6.0);
}

TEST(CudaMathOpsTest, ClassificationAndLogic) {
  EXPECT_TRUE(IsNanOp{}(Half{0x7e01}));
  EXPECT_FALSE(IsNanOp{}(kInf));
  EXPECT_TRUE((IsInfOp{true, false}(kInf)));
  EXPECT_FALSE((IsInfOp{true, false}(-kInf)));
  EXPECT_FALSE((IsInfOp{true, true}(std::nan(""))));
  EXPECT_EQ(LogicalXorOp{}(Bool{1}, Bool{2}).value, 0);
  EXPECT_EQ(LogicalAndOp{}(Bool{1}, Bool{0}).value, 0);
  EXPECT_EQ(LogicalOrOp{}(Bool{0}, Bool{7}).value, 1);
  EXPECT_EQ(LogicalNotOp{}(Bool{0}).value, 1);
}

TEST(CudaMathOpsTest, ClampUsesIeeeMaximumAndMinimum) {
  EXPECT_EQ(ClampOp{}(5.0, 0.0, 1.0), 1.0);
  EXPECT_EQ(ClampOp{}(5.0, 3.0, 1.0), 1.0);  // min > max gives max
  EXPECT_TRUE(std::isnan(ClampOp{}(0.5, std::nan(""), 1.0)));
  EXPECT_FALSE(std::signbit(ClampOp{}(-0.0, 0.0, 1.0)));
  EXPECT_EQ(ClampOp{}(int32_t{-9}, int32_t{-3}, int32_t{3}), -3);
}

TEST(CudaMathOpsTest, ReductionCombinesAndArgOrder) {
  EXPECT_TRUE(std::signbit(MinCombine{}(0.0, -0.0)));
  EXPECT_TRUE(std::isnan(MinCombine{}(1.0f, std::nanf(""))));
  EXPECT_EQ(MinCombine::identity<int32_t>(), INT32_MAX);
  EXPECT_EQ(MinCombine::identity<double>(), kInf);
  EXPECT_EQ(ProdCombine{}(int32_t{65536}, int32_t{65536}), 0);
  EXPECT_EQ(ProdCombine::identity<float>(), 1.0f);
  EXPECT_TRUE(arg_beats<true>(std::nan(""), kInf));   // NaN is above everything for argmax...
  EXPECT_TRUE(arg_beats<false>(std::nan(""), -kInf));  // ...and the minimum for argmin
  EXPECT_FALSE(arg_beats<true>(std::nan(""), std::nan("")));
  EXPECT_FALSE(arg_beats<true>(0.0, -0.0));  // equal: the lower position keeps it
  EXPECT_FALSE(arg_beats<false>(-0.0, 0.0));
  EXPECT_TRUE(arg_beats<false>(int64_t{-3}, int64_t{2}));
}

// The known answers of ir_spec/ops/random.yaml.
TEST(CudaRandomTest, Philox4x32KnownAnswers) {
  const PhiloxWords zero = philox4x32_10(0, 0, 0, 0, 0, 0);
  EXPECT_EQ(zero.x[0], 0x6627e8d5u);
  EXPECT_EQ(zero.x[1], 0xe169c58du);
  EXPECT_EQ(zero.x[2], 0xbc57ac4cu);
  EXPECT_EQ(zero.x[3], 0x9b00dbd8u);
  const uint32_t ones = 0xffffffffu;
  const PhiloxWords all = philox4x32_10(ones, ones, ones, ones, ones, ones);
  EXPECT_EQ(all.x[0], 0x408f276du);
  EXPECT_EQ(all.x[1], 0x41c83b0eu);
  EXPECT_EQ(all.x[2], 0xa20bc7c6u);
  EXPECT_EQ(all.x[3], 0x6d5451fdu);
  const PhiloxStream stream{42, 0};
  EXPECT_EQ(stream.block(0).x[0], 0x9ceaf053u);
  EXPECT_EQ(stream.block(0).x[3], 0x5742b3d7u);
  EXPECT_EQ(stream.block(1).x[1], 0x53ba6cfdu);
}

TEST(CudaRandomTest, UniformMatchesTheSpecExample) {
  const PhiloxStream stream{42, 0};
  const double expected[] = {0.6129598617553711,  0.4685865044593811, 0.07323169708251953,
                             0.3408614993095398,  0.9877186417579651, 0.32706332206726074};
  for (uint64_t e = 0; e < 6; ++e) EXPECT_EQ(uniform_element<float>(stream, e, 0.0, 1.0), expected[e]) << e;
}

TEST(CudaRandomTest, UniformStaysBelowHigh) {
  const PhiloxStream stream{7, 3};
  for (uint64_t e = 0; e < 4096; ++e) {
    // [1, 1 + 2^-10) in f16 has one value: everything rounds to 1 or up to high, and must come out as 1.
    EXPECT_EQ(half_to_float(uniform_element<Half>(stream, e, 1.0, 1.0009765625)), 1.0f);
    EXPECT_LT(uniform_element<double>(stream, e, -2.0, 3.0), 3.0);
  }
  EXPECT_EQ(uniform_element<float>(stream, 5, 2.5, 2.5), 2.5f);
  EXPECT_EQ(bits_of(largest_below<float>(1.0)), 0x3f7fffffu);
  EXPECT_EQ(largest_below<Half>(0.0).bits, 0x8001);
}

TEST(CudaRandomTest, NormalMatchesTheSpecExample) {
  const PhiloxStream stream{42, 0};
  const uint32_t expected[] = {0xbf785e5a, 0xbf9e28cc, 0xbd95e015, 0xbf8da732};  // -0x1.f0bcb4p-1, ...
  for (uint64_t e = 0; e < 4; ++e) {
    const float y = normal_element<float>(stream, e, 0.0, 1.0);
    EXPECT_LE(std::fabs(static_cast<double>(y) - static_cast<double>(float_from_bits(expected[e]))),
              8 * std::ldexp(1.0, std::ilogb(y) - 23))
        << e;
  }
}

TEST(CudaRandomTest, BernoulliAndDropoutUseOneWordPerElement) {
  const PhiloxStream stream{42, 0};
  EXPECT_FALSE(bernoulli_element(stream, 0, 0.0));
  EXPECT_TRUE(bernoulli_element(stream, 0, 1.0));
  EXPECT_FALSE(bernoulli_element(stream, 0, std::nan("")));
  EXPECT_EQ(bernoulli_element(stream, 2, 0.08), u24(0x12bf50adu) < 0.08);
  EXPECT_TRUE(dropout_keeps(stream, 1, 0.0));
  EXPECT_FALSE(dropout_keeps(stream, 1, 1.0));
}

}  // namespace
}  // namespace keel::cuda
