// The float-only unary functions and activations (math_ops.h), and isnan/isinf.
#include "gpu/map.cuh"
#include "gpu/math_ops.h"

namespace keel::cuda::gpu {
namespace {

template <class Op, class T>
struct MathElement {
  Op op;
  __device__ void operator()(int64_t, const MapArgs& a, int64_t out, const int64_t* in) const {
    store(a.out.base, out, op(load<T>(a.in[0].base, in[0])));
  }
};

template <class Op, class T>
struct ClassifyElement {
  Op op;
  __device__ void operator()(int64_t, const MapArgs& a, int64_t out, const int64_t* in) const {
    store(a.out.base, out, Bool{static_cast<uint8_t>(op(load<T>(a.in[0].base, in[0])) ? 1 : 0)});
  }
};

// `make(Tag<T>)` builds the functor for T (activations convert their attributes to T on the host).
template <class Make>
LaunchResult math(keel_dtype_t dtype, const MapArgs& args, CUstream stream, Make make) {
  return dispatch<TypeSet::kFloat>(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const auto op = make(tag);
    return map<1>(args, MathElement<std::remove_cv_t<decltype(op)>, T>{op}, stream);
  });
}

template <class Op>
LaunchResult simple(keel_dtype_t dtype, const MapArgs& args, CUstream stream) {
  return math(dtype, args, stream, [](auto) { return Op{}; });
}

}  // namespace

LaunchResult launch_math(MathOp op, keel_dtype_t dtype, const MathParams& p, const MapArgs& args, CUstream stream) {
  switch (op) {
    case MathOp::kReciprocal: return simple<ReciprocalOp>(dtype, args, stream);
    case MathOp::kRsqrt: return simple<RsqrtOp>(dtype, args, stream);
    case MathOp::kSin: return simple<SinOp>(dtype, args, stream);
    case MathOp::kCos: return simple<CosOp>(dtype, args, stream);
    case MathOp::kTan: return simple<TanOp>(dtype, args, stream);
    case MathOp::kErf: return simple<ErfOp>(dtype, args, stream);
    case MathOp::kFloor: return simple<FloorOp>(dtype, args, stream);
    case MathOp::kCeil: return simple<CeilOp>(dtype, args, stream);
    case MathOp::kRound: return simple<RoundOp>(dtype, args, stream);
    case MathOp::kSilu: return simple<SiluOp>(dtype, args, stream);
    case MathOp::kSoftplus: return simple<SoftplusOp>(dtype, args, stream);
    case MathOp::kSoftsign: return simple<SoftsignOp>(dtype, args, stream);
    case MathOp::kHardswish: return simple<HardswishOp>(dtype, args, stream);
    case MathOp::kLeakyRelu:
      return math(dtype, args, stream, [&](auto tag) { return LeakyReluOp<typename decltype(tag)::type>(p.alpha); });
    case MathOp::kElu:
      return math(dtype, args, stream, [&](auto tag) {
        return ExponentialLinearOp<typename decltype(tag)::type>(p.alpha, 1.0, false, false);
      });
    case MathOp::kCelu:
      return math(dtype, args, stream, [&](auto tag) {
        return ExponentialLinearOp<typename decltype(tag)::type>(p.alpha, 1.0, false, true);
      });
    case MathOp::kSelu:
      return math(dtype, args, stream, [&](auto tag) {
        return ExponentialLinearOp<typename decltype(tag)::type>(p.alpha, p.gamma, true, false);
      });
    case MathOp::kGelu:
      return math(dtype, args, stream, [](auto tag) { return GeluOp<typename decltype(tag)::type>(false); });
    case MathOp::kGeluTanh:
      return math(dtype, args, stream, [](auto tag) { return GeluOp<typename decltype(tag)::type>(true); });
    case MathOp::kHardsigmoid:
      return math(dtype, args, stream,
                  [&](auto tag) { return HardsigmoidOp<typename decltype(tag)::type>(p.alpha, p.beta); });
  }
  return unsupported_dtype();
}

LaunchResult launch_classify(ClassifyOp op, keel_dtype_t dtype, bool positive, bool negative, const MapArgs& args,
                             CUstream stream) {
  return dispatch<TypeSet::kFloat>(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if (op == ClassifyOp::kIsNan) return map<1>(args, ClassifyElement<IsNanOp, T>{}, stream);
    return map<1>(args, ClassifyElement<IsInfOp, T>{IsInfOp{positive, negative}}, stream);
  });
}

}  // namespace keel::cuda::gpu
