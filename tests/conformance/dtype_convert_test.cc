// Element conversions: exact widening, round-to-nearest-even narrowing, NaN payloads kept, ulp spacing.
#include "layers/ops/dtype_convert.h"
#include "spec/op_schema.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace keel::conform {
namespace {

uint16_t half_bits(double value, keel_dtype_t dtype) {
  uint8_t bytes[2];
  write_value(dtype, value, bytes);
  uint16_t bits;
  std::memcpy(&bits, bytes, 2);
  return bits;
}

double half_value(uint16_t bits, keel_dtype_t dtype) {
  uint8_t bytes[2];
  std::memcpy(bytes, &bits, 2);
  return read_value(dtype, bytes);
}

TEST(DtypeConvert, F16EncodesNormalsSubnormalsAndOverflow) {
  EXPECT_EQ(half_bits(1.0, KEEL_DTYPE_F16), 0x3c00);
  EXPECT_EQ(half_bits(-2.0, KEEL_DTYPE_F16), 0xc000);
  EXPECT_EQ(half_bits(65504.0, KEEL_DTYPE_F16), 0x7bff);
  EXPECT_EQ(half_bits(65520.0, KEEL_DTYPE_F16), 0x7c00);  // halfway to 2^16 rounds to even: +inf
  EXPECT_EQ(half_bits(std::ldexp(1.0, -24), KEEL_DTYPE_F16), 0x0001);
  EXPECT_EQ(half_bits(std::ldexp(1.0, -25), KEEL_DTYPE_F16), 0x0000);  // a tie between 0 and the first subnormal
  EXPECT_EQ(half_bits(-0.0, KEEL_DTYPE_F16), 0x8000);
  EXPECT_EQ(half_value(0x3555, KEEL_DTYPE_F16), 0x1.554p-2);
}

TEST(DtypeConvert, NarrowingRoundsTiesToEven) {
  // 1 + 2^-11 lies halfway between f16 neighbours 1 and 1 + 2^-10: ties go to the even 1.
  EXPECT_EQ(round_to(KEEL_DTYPE_F16, 1.0 + std::ldexp(1.0, -11)), 1.0);
  EXPECT_EQ(round_to(KEEL_DTYPE_F16, 1.0 + 3 * std::ldexp(1.0, -11)), 1.0 + std::ldexp(1.0, -9));
  EXPECT_EQ(round_to(KEEL_DTYPE_BF16, 1.0 + std::ldexp(1.0, -8)), 1.0);
  EXPECT_EQ(round_to(KEEL_DTYPE_F32, 1.0 + std::ldexp(1.0, -24)), 1.0);
  EXPECT_EQ(round_to(KEEL_DTYPE_F32, 1.0 + std::ldexp(1.0, -24) + std::ldexp(1.0, -40)), 1.0 + std::ldexp(1.0, -23));
  EXPECT_TRUE(std::isinf(round_to(KEEL_DTYPE_F32, 3.5e38)));
}

TEST(DtypeConvert, Bf16IsTheTopHalfOfF32) {
  EXPECT_EQ(half_bits(1.0, KEEL_DTYPE_BF16), 0x3f80);
  EXPECT_EQ(half_value(0xc040, KEEL_DTYPE_BF16), -3.0);
}

TEST(DtypeConvert, NanPayloadsSurviveWideningAndNarrowing) {
  for (keel_dtype_t dtype : {keel_dtype_t{KEEL_DTYPE_F16}, keel_dtype_t{KEEL_DTYPE_BF16}, keel_dtype_t{KEEL_DTYPE_F32}}) {
    const uint32_t pattern = dtype == KEEL_DTYPE_F32 ? 0xff812345u : dtype == KEEL_DTYPE_F16 ? 0xfc05u : 0xff85u;
    uint8_t original[4], back[4] = {};
    std::memcpy(original, &pattern, 4);
    const uint64_t wide = widen_to_f64_bits(dtype, original);
    double as_double;
    std::memcpy(&as_double, &wide, 8);
    EXPECT_TRUE(std::isnan(as_double));
    narrow_from_f64_bits(dtype, wide, back);
    EXPECT_EQ(std::memcmp(original, back, dtype_bytes(dtype)), 0) << spec::dtype_name(dtype);
  }
}

TEST(DtypeConvert, IntegersSaturateAndTruncate) {
  uint8_t bytes[8];
  write_value(KEEL_DTYPE_I32, 3e10, bytes);
  EXPECT_EQ(read_integer(KEEL_DTYPE_I32, bytes), 2147483647);
  write_value(KEEL_DTYPE_I32, -7.9, bytes);
  EXPECT_EQ(read_integer(KEEL_DTYPE_I32, bytes), -7);
  write_value(KEEL_DTYPE_I64, -0x1p63, bytes);
  EXPECT_EQ(read_integer(KEEL_DTYPE_I64, bytes), std::numeric_limits<int64_t>::min());
  write_value(KEEL_DTYPE_BOOL, -0.5, bytes);
  EXPECT_EQ(bytes[0], 1);
}

TEST(DtypeConvert, UlpIsTheSpacingAtTheMagnitude) {
  EXPECT_EQ(ulp_of(KEEL_DTYPE_F32, 1.0), std::ldexp(1.0, -23));
  EXPECT_EQ(ulp_of(KEEL_DTYPE_F32, 1.999), std::ldexp(1.0, -23));
  EXPECT_EQ(ulp_of(KEEL_DTYPE_F32, -2.0), std::ldexp(1.0, -22));
  EXPECT_EQ(ulp_of(KEEL_DTYPE_F32, 0.0), std::ldexp(1.0, -149));
  EXPECT_EQ(ulp_of(KEEL_DTYPE_F16, 1e-7), std::ldexp(1.0, -24));
  EXPECT_TRUE(std::isnan(ulp_of(KEEL_DTYPE_F64, std::numeric_limits<double>::infinity())));
}

}  // namespace
}  // namespace keel::conform
