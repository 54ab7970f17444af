// Binary elementwise arithmetic with broadcasting: add sub mul div pow maximum minimum fmod remainder
// (elementwise_binary.yaml), logical_and logical_or logical_xor (logical.yaml).
//
// f32 add, sub, mul and true division run on oneDNN's binary primitive when it has a JIT implementation for
// the layouts (its results are IEEE-exact, subnormals included), up to outputs of 16 MiB; larger dense
// outputs go to the loop, which writes with streaming stores. Everything else runs in the plugin's loops:
//   maximum, minimum  oneDNN's max/min return the second operand for NaN and do not order -0 below +0;
//   integers          oneDNN computes s32 binary ops in f32 (no wrap-around, inexact above 2^24), and has no
//                     s64;
//   div with rounding, pow, f64, small tensors, and layouts oneDNN would hand to its reference code.
#include "attrs.h"
#include "binary_primitive.h"
#include "dtype.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "loop_kernel.h"
#include "scalar_ops.h"
#include "signature.h"
#include "tensor.h"

namespace keel::onednn {
namespace {

constexpr int64_t kMinPrimitiveElements = 1 << 16;

// Outputs this large (far beyond the caches) go to the plugin's loop, which writes them with streaming
// stores (elementwise.h); oneDNN's binary primitive reads every destination line into the cache first. Measured
// on 16M-float adds: loop 0.93-1.04x copy bandwidth, oneDNN 0.82-0.89x (same runs).
constexpr int64_t kStreamingOutputBytes = int64_t{16} << 20;

bool streams(const CallInfo& call) {
  const keel_tensor_desc_t& y = call.output(0);
  return element_count(y) * static_cast<int64_t>(dtype_size(y.dtype)) >= kStreamingOutputBytes && is_dense(y);
}

template <class Op>
std::unique_ptr<Kernel> binary_loop(const CallInfo& call, Op op = Op{}) {
  return visit_numeric(call.input(0).dtype, [&]<class T>(Tag<T>) -> std::unique_ptr<Kernel> {
    return std::make_unique<BinaryLoop<T, T, T, Op>>(call, op);
  });
}

template <class Op>
std::unique_ptr<Kernel> primitive_or_loop(const CallInfo& call, dnnl::algorithm algorithm, bool commutative) {
  if (call.input(0).dtype == KEEL_DTYPE_F32 && !streams(call)) {
    if (auto primitive = try_binary_primitive(call, algorithm, commutative, kMinPrimitiveElements)) return primitive;
  }
  return binary_loop<Op>(call);
}

std::unique_ptr<Kernel> create_add(const CallInfo& call) {
  return primitive_or_loop<ops::Add>(call, dnnl::algorithm::binary_add, true);
}
std::unique_ptr<Kernel> create_sub(const CallInfo& call) {
  return primitive_or_loop<ops::Sub>(call, dnnl::algorithm::binary_sub, false);
}
std::unique_ptr<Kernel> create_mul(const CallInfo& call) {
  return primitive_or_loop<ops::Mul>(call, dnnl::algorithm::binary_mul, true);
}
std::unique_ptr<Kernel> create_fmod(const CallInfo& call) { return binary_loop<ops::Fmod>(call); }
std::unique_ptr<Kernel> create_remainder(const CallInfo& call) { return binary_loop<ops::Remainder>(call); }

template <class Op>
std::unique_ptr<Kernel> logical_loop(const CallInfo& call) {
  return std::make_unique<BinaryLoop<bool, bool, bool, Op>>(call);
}

std::unique_ptr<Kernel> create_maximum(const CallInfo& call) { return binary_loop<ops::Maximum>(call); }
std::unique_ptr<Kernel> create_minimum(const CallInfo& call) { return binary_loop<ops::Minimum>(call); }
std::unique_ptr<Kernel> create_pow(const CallInfo& call) {
  return visit_float(call.input(0).dtype, [&]<class T>(Tag<T>) -> std::unique_ptr<Kernel> {
    return std::make_unique<BinaryLoop<T, T, T, ops::Pow>>(call);
  });
}

ops::Rounding div_rounding(const void* attrs) {
  constexpr keel_div_attrs_t kDefaults = KEEL_DIV_ATTRS_INIT;
  return static_cast<ops::Rounding>(read_attrs(attrs, kDefaults, &keel_div_attrs_t::rounding).rounding);
}

std::unique_ptr<Kernel> create_div(const CallInfo& call) {
  const ops::Rounding rounding = div_rounding(call.attrs());
  if (rounding == ops::Rounding::kNone && call.input(0).dtype == KEEL_DTYPE_F32 && !streams(call)) {
    if (auto primitive = try_binary_primitive(call, dnnl::algorithm::binary_div, false, kMinPrimitiveElements)) {
      return primitive;
    }
  }
  return binary_loop<ops::Div>(call, ops::Div{rounding});
}

void div_key(const void* attrs, SignatureKey& key) { key.push(static_cast<int64_t>(div_rounding(attrs))); }

constexpr KernelDef kKernels[] = {
    {"add", 1, kNumericTypes, nullptr, create_add, nullptr},
    {"sub", 1, kNumericTypes, nullptr, create_sub, nullptr},
    {"mul", 1, kNumericTypes, nullptr, create_mul, nullptr},
    {"div", 1, kNumericTypes, nullptr, create_div, div_key},
    {"pow", 1, kFloatTypes, nullptr, create_pow, nullptr},
    {"maximum", 1, kNumericTypes, nullptr, create_maximum, nullptr},
    {"minimum", 1, kNumericTypes, nullptr, create_minimum, nullptr},
    {"fmod", 1, kNumericTypes, nullptr, create_fmod, nullptr},
    {"remainder", 1, kNumericTypes, nullptr, create_remainder, nullptr},
    {"logical_and", 1, kBoolType, nullptr, logical_loop<ops::LogicalAnd>, nullptr},
    {"logical_or", 1, kBoolType, nullptr, logical_loop<ops::LogicalOr>, nullptr},
    {"logical_xor", 1, kBoolType, nullptr, logical_loop<ops::LogicalXor>, nullptr},
};

}  // namespace

std::span<const KernelDef> binary_kernels() { return kKernels; }

}  // namespace keel::onednn
