#include "kernels/elementwise_ops.h"

#include <span>
#include <string_view>

#include "host.h"
#include "keel/keel_ops.h"
#include "kernels/attrs.h"

namespace keel::opencl {
namespace {

// Integers wrap: arithmetic happens in the unsigned type and is reinterpreted (as_$T), which OpenCL C
// defines for every value. Floats use the precise built-ins (never native_*) and IEEE operators.
constexpr ElementwiseOp kOps[] = {
    // family, spec op, arity, to_bool, float, integer, bool
    {"neg", "neg", 1, false, "-x", "as_$T(($U)0 - as_$U(x))", nullptr},
    {"abs", "abs", 1, false, "fabs(x)", "x < 0 ? as_$T(($U)0 - as_$U(x)) : x", nullptr},
    {"sign", "sign", 1, false, "isnan(x) ? x : (x > ($T)0 ? ($T)1 : (x < ($T)0 ? ($T)-1 : ($T)0))",
     "x > 0 ? ($T)1 : (x < 0 ? ($T)-1 : ($T)0)", nullptr},
    {"exp", "exp", 1, false, "exp(x)", nullptr, nullptr},
    {"log", "log", 1, false, "log(x)", nullptr, nullptr},
    {"sqrt", "sqrt", 1, false, "sqrt(x)", nullptr, nullptr},
    {"tanh", "tanh", 1, false, "tanh(x)", nullptr, nullptr},
    {"sigmoid", "sigmoid", 1, false, "keel_sigmoid_$T(x)", nullptr, nullptr},
    {"relu", "relu", 1, false, "isnan(x) ? x : (x > ($T)0 ? x : ($T)0)", "x > 0 ? x : ($T)0", nullptr},
    // The correctly rounded quotient of div, so reciprocal is within its 1 ulp.
    {"reciprocal", "reciprocal", 1, false, "keel_div_$T(($T)1, x)", nullptr, nullptr},
    // OpenCL leaves rsqrt(-0) open; the spec wants 1/(-0) = -inf.
    {"rsqrt", "rsqrt", 1, false, "x == ($T)0 ? keel_div_$T(($T)1, x) : rsqrt(x)", nullptr, nullptr},
    {"sin", "sin", 1, false, "keel_sin_$T(x)", nullptr, nullptr},
    {"cos", "cos", 1, false, "keel_cos_$T(x)", nullptr, nullptr},
    {"erf", "erf", 1, false, "keel_erf_$T(x)", nullptr, nullptr},
    {"floor", "floor", 1, false, "floor(x)", nullptr, nullptr},
    {"ceil", "ceil", 1, false, "ceil(x)", nullptr, nullptr},
    {"round", "round", 1, false, "rint(x)", nullptr, nullptr},  // rint: the default mode, ties to even
    {"isnan", "isnan", 1, true, "isnan(x)", nullptr, nullptr},
    // isinf by its attributes: both signs, one sign, or neither.
    {"isinf", "isinf", 1, true, "isinf(x)", nullptr, nullptr},
    {"isinf_pos", "isinf", 1, true, "x == ($T)INFINITY", nullptr, nullptr},
    {"isinf_neg", "isinf", 1, true, "x == -($T)INFINITY", nullptr, nullptr},
    {"isinf_none", "isinf", 1, true, "x != x && x == x", nullptr, nullptr},
    {"logical_not", "logical_not", 1, false, nullptr, nullptr, "x == 0"},
    {"add", "add", 2, false, "a + b", "as_$T(as_$U(a) + as_$U(b))", nullptr},
    {"sub", "sub", 2, false, "a - b", "as_$T(as_$U(a) - as_$U(b))", nullptr},
    {"mul", "mul", 2, false, "a * b", "as_$T(as_$U(a) * as_$U(b))", nullptr},
    {"div", "div", 2, false, "keel_div_$T(a, b)", nullptr, nullptr},
    {"div_trunc", "div", 2, false, "trunc(keel_div_$T(a, b))", "keel_div_trunc_$T(a, b)", nullptr},
    {"div_floor", "div", 2, false, "floor(keel_div_$T(a, b))", "keel_div_floor_$T(a, b)", nullptr},
    {"pow", "pow", 2, false, "pow(a, b)", nullptr, nullptr},
    // C fmod is exact. Integers follow div's rules: b = 0 gives a, b = -1 gives 0 (no INT_MIN % -1).
    {"fmod", "fmod", 2, false, "fmod(a, b)", "b == 0 ? a : (b == -1 ? ($T)0 : a % b)", nullptr},
    {"remainder", "remainder", 2, false, "keel_remainder_$T(a, b)", "keel_remainder_$T(a, b)", nullptr},
    {"maximum", "maximum", 2, false, "keel_maximum_$T(a, b)", "a > b ? a : b", nullptr},
    {"minimum", "minimum", 2, false, "keel_minimum_$T(a, b)", "a < b ? a : b", nullptr},
    {"equal", "equal", 2, true, "a == b", "a == b", "a == b"},
    {"not_equal", "not_equal", 2, true, "a != b", "a != b", "a != b"},
    {"less", "less", 2, true, "a < b", "a < b", nullptr},
    {"less_equal", "less_equal", 2, true, "a <= b", "a <= b", nullptr},
    {"greater", "greater", 2, true, "a > b", "a > b", nullptr},
    {"greater_equal", "greater_equal", 2, true, "a >= b", "a >= b", nullptr},
    {"logical_and", "logical_and", 2, false, nullptr, nullptr, "a != 0 && b != 0"},
    {"logical_or", "logical_or", 2, false, nullptr, nullptr, "a != 0 || b != 0"},
    {"logical_xor", "logical_xor", 2, false, nullptr, nullptr, "(a != 0) != (b != 0)"},
};

}  // namespace

std::span<const ElementwiseOp> elementwise_ops() { return kOps; }

const ElementwiseOp& elementwise_family(const keel_kernel_call_t& call) {
  std::string_view family = call.op_name;
  if (family == "div") {
    constexpr keel_div_attrs_t kDefaults = KEEL_DIV_ATTRS_INIT;
    const auto attrs = read_attrs(call.attrs, kDefaults, &keel_div_attrs_t::rounding);
    switch (attrs.rounding) {
      case KEEL_DIV_ROUNDING_NONE: family = "div"; break;
      case KEEL_DIV_ROUNDING_TRUNC: family = "div_trunc"; break;
      case KEEL_DIV_ROUNDING_FLOOR: family = "div_floor"; break;
      default: fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute rounding ", attrs.rounding, " is not none, trunc or floor");
    }
  }
  if (family == "isinf") {
    constexpr keel_isinf_attrs_t kDefaults = KEEL_ISINF_ATTRS_INIT;
    const auto attrs =
        read_attrs(call.attrs, kDefaults, &keel_isinf_attrs_t::detect_positive, &keel_isinf_attrs_t::detect_negative);
    family = attrs.detect_positive ? (attrs.detect_negative ? "isinf" : "isinf_pos")
                                   : (attrs.detect_negative ? "isinf_neg" : "isinf_none");
  }
  for (const ElementwiseOp& op : elementwise_ops()) {
    if (family == op.family) return op;
  }
  fail(KEEL_STATUS_INTERNAL, "no elementwise kernel family for operator ", call.op_name);
}

}  // namespace keel::opencl
