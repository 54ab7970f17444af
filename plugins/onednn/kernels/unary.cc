// Unary elementwise math and activations: neg abs sign exp log sqrt tanh reciprocal rsqrt sin cos erf floor
// ceil round isnan isinf (elementwise_unary.yaml), sigmoid relu (activations.yaml), logical_not
// (logical.yaml).
//
// oneDNN's eltwise primitive serves f32 sqrt, tanh and abs, whose results were checked against an f64
// reference for all 2^32 f32 inputs (sqrt and abs exact, tanh within 1 ulp; special values as the spec
// says). The other oneDNN algorithms do not meet the spec, so the plugin's loops compute them:
//   exp       NaN gives +inf, and results below the normal range (x < -87.3) lose up to the whole result;
//   log       errors of thousands of ulp near 1;
//   logistic  results below the normal range are flushed to 0 (millions of ulp);
//   relu      NaN gives 0.
// Loops also take every other dtype, small tensors (where oneDNN's per-call overhead dominates) and
// layouts where input and output differ.
#include <array>

#include "attrs.h"
#include "dtype.h"
#include "keel/keel_ops.h"
#include "signature.h"
#include "eltwise_primitive.h"
#include "kernels.h"
#include "loop_kernel.h"
#include "scalar_ops.h"

namespace keel::onednn {
namespace {

constexpr int64_t kMinPrimitiveElements = 4096;

template <class Op>
std::unique_ptr<Kernel> unary_loop(const CallInfo& call) {
  return visit_numeric(call.input(0).dtype, [&]<class T>(Tag<T>) -> std::unique_ptr<Kernel> {
    return std::make_unique<UnaryLoop<T, T, Op>>(call);
  });
}

template <class Op>
std::unique_ptr<Kernel> float_loop(const CallInfo& call) {
  return visit_float(call.input(0).dtype, [&]<class T>(Tag<T>) -> std::unique_ptr<Kernel> {
    return std::make_unique<UnaryLoop<T, T, Op>>(call);
  });
}

// The oneDNN primitive for f32 when it takes the call, else the loop.
template <class Op>
std::unique_ptr<Kernel> eltwise_or_loop(const CallInfo& call, dnnl::algorithm algorithm) {
  if (call.input(0).dtype == KEEL_DTYPE_F32) {
    if (auto primitive = try_eltwise_primitive(call, algorithm, 0.0f, 0.0f, kMinPrimitiveElements)) return primitive;
  }
  return unary_loop<Op>(call);
}

std::unique_ptr<Kernel> create_neg(const CallInfo& call) { return unary_loop<ops::Neg>(call); }
std::unique_ptr<Kernel> create_sign(const CallInfo& call) { return unary_loop<ops::Sign>(call); }
std::unique_ptr<Kernel> create_relu(const CallInfo& call) { return unary_loop<ops::Relu>(call); }
std::unique_ptr<Kernel> create_exp(const CallInfo& call) { return float_loop<ops::Exp>(call); }
std::unique_ptr<Kernel> create_log(const CallInfo& call) { return float_loop<ops::Log>(call); }
std::unique_ptr<Kernel> create_sigmoid(const CallInfo& call) { return float_loop<ops::Sigmoid>(call); }
std::unique_ptr<Kernel> create_reciprocal(const CallInfo& call) { return float_loop<ops::Reciprocal>(call); }
std::unique_ptr<Kernel> create_rsqrt(const CallInfo& call) { return float_loop<ops::Rsqrt>(call); }
std::unique_ptr<Kernel> create_sin(const CallInfo& call) { return float_loop<ops::Sin>(call); }
std::unique_ptr<Kernel> create_cos(const CallInfo& call) { return float_loop<ops::Cos>(call); }
std::unique_ptr<Kernel> create_erf(const CallInfo& call) { return float_loop<ops::Erf>(call); }
std::unique_ptr<Kernel> create_floor(const CallInfo& call) { return float_loop<ops::Floor>(call); }
std::unique_ptr<Kernel> create_ceil(const CallInfo& call) { return float_loop<ops::Ceil>(call); }
std::unique_ptr<Kernel> create_round(const CallInfo& call) { return float_loop<ops::Round>(call); }

template <class Op>
std::unique_ptr<Kernel> predicate_loop(const CallInfo& call, Op op = Op{}) {
  return visit_float(call.input(0).dtype, [&]<class T>(Tag<T>) -> std::unique_ptr<Kernel> {
    return std::make_unique<UnaryLoop<bool, T, Op>>(call, op);
  });
}

std::unique_ptr<Kernel> create_isnan(const CallInfo& call) { return predicate_loop<ops::IsNan>(call); }

ops::IsInf isinf_of(const void* raw) {
  constexpr keel_isinf_attrs_t kDefaults = KEEL_ISINF_ATTRS_INIT;
  const auto a = read_attrs(raw, kDefaults, &keel_isinf_attrs_t::detect_positive, &keel_isinf_attrs_t::detect_negative);
  return {a.detect_positive != 0, a.detect_negative != 0};
}
void isinf_key(const void* raw, SignatureKey& key) {
  const ops::IsInf f = isinf_of(raw);
  key.push(f.positive ? 1 : 0);
  key.push(f.negative ? 1 : 0);
}
std::unique_ptr<Kernel> create_isinf(const CallInfo& call) { return predicate_loop(call, isinf_of(call.attrs())); }

std::unique_ptr<Kernel> create_logical_not(const CallInfo& call) {
  return std::make_unique<UnaryLoop<bool, bool, ops::LogicalNot>>(call);
}

std::unique_ptr<Kernel> create_abs(const CallInfo& call) {
  return eltwise_or_loop<ops::Abs>(call, dnnl::algorithm::eltwise_abs);
}
std::unique_ptr<Kernel> create_sqrt(const CallInfo& call) {
  return eltwise_or_loop<ops::Sqrt>(call, dnnl::algorithm::eltwise_sqrt);
}
std::unique_ptr<Kernel> create_tanh(const CallInfo& call) {
  return eltwise_or_loop<ops::Tanh>(call, dnnl::algorithm::eltwise_tanh);
}

constexpr KernelDef kKernels[] = {
    {"neg", 1, kNumericTypes, nullptr, create_neg, nullptr},
    {"abs", 1, kNumericTypes, nullptr, create_abs, nullptr},
    {"sign", 1, kNumericTypes, nullptr, create_sign, nullptr},
    {"exp", 1, kFloatTypes, nullptr, create_exp, nullptr},
    {"log", 1, kFloatTypes, nullptr, create_log, nullptr},
    {"sqrt", 1, kFloatTypes, nullptr, create_sqrt, nullptr},
    {"tanh", 1, kFloatTypes, nullptr, create_tanh, nullptr},
    {"sigmoid", 1, kFloatTypes, nullptr, create_sigmoid, nullptr},
    {"relu", 1, kNumericTypes, nullptr, create_relu, nullptr},
    {"reciprocal", 1, kFloatTypes, nullptr, create_reciprocal, nullptr},
    {"rsqrt", 1, kFloatTypes, nullptr, create_rsqrt, nullptr},
    {"sin", 1, kFloatTypes, nullptr, create_sin, nullptr},
    {"cos", 1, kFloatTypes, nullptr, create_cos, nullptr},
    {"erf", 1, kFloatTypes, nullptr, create_erf, nullptr},
    {"floor", 1, kFloatTypes, nullptr, create_floor, nullptr},
    {"ceil", 1, kFloatTypes, nullptr, create_ceil, nullptr},
    {"round", 1, kFloatTypes, nullptr, create_round, nullptr},
    {"isnan", 1, kFloatTypes, nullptr, create_isnan, nullptr},
    {"isinf", 1, kFloatTypes, nullptr, create_isinf, isinf_key},
    {"logical_not", 1, kBoolType, nullptr, create_logical_not, nullptr},
};

}  // namespace

std::span<const KernelDef> unary_kernels() { return kKernels; }

}  // namespace keel::onednn
