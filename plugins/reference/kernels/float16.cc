#include "float16.h"

#include <bit>
#include <cmath>
#include <limits>

namespace keel::reference {
namespace {

// A binary interchange format of 16 bits: a sign bit, kExponentBits exponent bits, kFractionBits fraction bits.
template <int kExponentBits, int kFractionBits>
struct Format {
  static_assert(1 + kExponentBits + kFractionBits == 16);
  static constexpr int kBias = (1 << (kExponentBits - 1)) - 1;
  static constexpr int kMinExponent = 1 - kBias;  // of the normal numbers; the subnormals share it
  static constexpr int kMaxExponent = kBias;
  static constexpr uint16_t kSign = 0x8000;
  static constexpr uint16_t kInfinity = ((1u << kExponentBits) - 1) << kFractionBits;
  static constexpr uint16_t kFractionMask = (1u << kFractionBits) - 1;
  static constexpr uint16_t kQuiet = 1u << (kFractionBits - 1);

  static double decode(uint16_t bits) {
    const bool negative = (bits & kSign) != 0;
    const unsigned exponent_field = (bits & kInfinity) >> kFractionBits;
    const unsigned fraction = bits & kFractionMask;
    if ((bits & kInfinity) == kInfinity) {
      if (fraction == 0) return negative ? -std::numeric_limits<double>::infinity()
                                         : std::numeric_limits<double>::infinity();
      // NaN: the payload moves to the top of the double's fraction (the quiet bit stays the quiet bit).
      const uint64_t nan = (negative ? uint64_t{1} << 63 : 0) | (uint64_t{0x7ff} << 52) |
                           (uint64_t{fraction} << (52 - kFractionBits));
      return std::bit_cast<double>(nan);
    }
    const double magnitude = exponent_field == 0
                                 ? std::ldexp(fraction, kMinExponent - kFractionBits)
                                 : std::ldexp(fraction + (1u << kFractionBits),
                                              static_cast<int>(exponent_field) - kBias - kFractionBits);
    return negative ? -magnitude : magnitude;
  }

  // sign · significand · 2^exponent, rounded to nearest with ties to even.
  static uint16_t round(bool negative, uint64_t significand, int exponent) {
    const uint16_t sign = negative ? kSign : 0;
    if (significand == 0) return sign;
    const int top = 63 - std::countl_zero(significand);  // the leading 1 is worth 2^(top + exponent)
    const int magnitude = top + exponent;                // the value lies in [2^magnitude, 2^(magnitude + 1))
    if (magnitude > kMaxExponent) return sign | kInfinity;
    const bool subnormal = magnitude < kMinExponent;
    // Drop the bits below the result's last place: kFractionBits + 1 bits remain for a normal result,
    // fewer below the normal range (the last place stays 2^(kMinExponent - kFractionBits)).
    const int shift = top - kFractionBits + (subnormal ? kMinExponent - magnitude : 0);
    uint64_t kept = 0;
    if (shift <= 0) {
      kept = significand << -shift;  // exact
    } else if (shift >= 64) {
      // Every bit is dropped: the value is below one last place, and rounds up only when above half of it.
      kept = shift == 64 && significand > (uint64_t{1} << 63) ? 1 : 0;
    } else {
      kept = significand >> shift;
      const uint64_t rest = significand & ((uint64_t{1} << shift) - 1);
      const uint64_t half = uint64_t{1} << (shift - 1);
      if (rest > half || (rest == half && (kept & 1) != 0)) ++kept;
    }
    // A subnormal's fields are just `kept` (a carry into 2^kFractionBits is the smallest normal). A normal
    // result's `kept` includes the implicit bit, which adds one to the exponent field; a carry out of the
    // fraction moves on into the exponent, and past the largest finite exponent gives exactly infinity.
    if (subnormal) return static_cast<uint16_t>(sign | kept);
    const uint64_t exponent_field = static_cast<uint64_t>(magnitude + kBias - 1);
    return static_cast<uint16_t>(sign | ((exponent_field << kFractionBits) + kept));
  }

  static uint16_t from_double(double x) {
    const uint64_t bits = std::bit_cast<uint64_t>(x);
    const bool negative = (bits >> 63) != 0;
    const uint64_t exponent_field = (bits >> 52) & 0x7ff;
    const uint64_t fraction = bits & ((uint64_t{1} << 52) - 1);
    if (exponent_field == 0x7ff) {
      if (fraction == 0) return (negative ? kSign : 0) | kInfinity;
      // NaN: keep the sign and the top of the payload, and make it quiet (which also keeps it a NaN).
      const auto payload = static_cast<uint16_t>(fraction >> (52 - kFractionBits));
      return (negative ? kSign : 0) | kInfinity | kQuiet | payload;
    }
    if (exponent_field == 0) return round(negative, fraction, -1074);  // a subnormal double
    return round(negative, fraction | (uint64_t{1} << 52), static_cast<int>(exponent_field) - 1075);
  }
};

using Binary16 = Format<5, 10>;
using Brain16 = Format<8, 7>;

}  // namespace

double to_double(Float16 x) { return Binary16::decode(x.bits); }
double to_double(BFloat16 x) { return Brain16::decode(x.bits); }

Float16 round_to_float16(bool negative, uint64_t significand, int exponent) {
  return {Binary16::round(negative, significand, exponent)};
}

BFloat16 round_to_bfloat16(bool negative, uint64_t significand, int exponent) {
  return {Brain16::round(negative, significand, exponent)};
}

Float16 float16_from(double x) { return {Binary16::from_double(x)}; }
BFloat16 bfloat16_from(double x) { return {Brain16::from_double(x)}; }

}  // namespace keel::reference
