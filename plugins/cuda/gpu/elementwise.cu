// Unary arithmetic, where, clamp, fill and arange: the map kernel (map.cuh) instantiated per operator and
// dtype from the functors of scalar_ops.h and math_ops.h. The tables at the bottom turn (operator, dtype)
// into an instantiation. Binary operators and comparisons are in binary.cu, casts in cast.cu, the float-only
// math functions in math.cu.
#include "gpu/map.cuh"
#include "gpu/math_ops.h"

namespace keel::cuda::gpu {
namespace {

template <class Op, class T>
struct UnaryElement {
  Op op;
  __device__ void operator()(int64_t, const MapArgs& a, int64_t out, const int64_t* in) const {
    store(a.out.base, out, op(load<T>(a.in[0].base, in[0])));
  }
};

template <class U>
struct WhereElement {
  __device__ void operator()(int64_t, const MapArgs& a, int64_t out, const int64_t* in) const {
    const bool pick_a = load<Bool>(a.in[0].base, in[0]).value != 0;
    store(a.out.base, out, pick_a ? load<U>(a.in[1].base, in[1]) : load<U>(a.in[2].base, in[2]));
  }
};

template <class T>
struct ClampElement {
  __device__ void operator()(int64_t, const MapArgs& a, int64_t out, const int64_t* in) const {
    store(a.out.base, out,
          ClampOp{}(load<T>(a.in[0].base, in[0]), load<T>(a.in[1].base, in[1]), load<T>(a.in[2].base, in[2])));
  }
};

template <class U>
struct FillElement {
  U pattern;
  __device__ void operator()(int64_t, const MapArgs& a, int64_t out, const int64_t*) const {
    store(a.out.base, out, pattern);
  }
};

template <class T>
struct ArangeElement {
  double start;
  double delta;
  __device__ void operator()(int64_t i, const MapArgs& a, int64_t out, const int64_t*) const {
    // The spec rounds the product and the sum separately: no fused multiply-add.
    const double value = __dadd_rn(start, __dmul_rn(static_cast<double>(i), delta));
    store(a.out.base, out, convert<T>(value));
  }
};

template <TypeSet kSet, class Op>
LaunchResult unary(keel_dtype_t dtype, const MapArgs& args, CUstream stream) {
  return dispatch<kSet>(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    return map<1>(args, UnaryElement<Op, T>{}, stream);
  });
}

}  // namespace

// The operator tables: the type set each operator allows (ir_spec) picks the instantiations.
LaunchResult launch_unary(UnaryOp op, keel_dtype_t dtype, const MapArgs& args, CUstream stream) {
  switch (op) {
    case UnaryOp::kNeg: return unary<TypeSet::kNumeric, NegOp>(dtype, args, stream);
    case UnaryOp::kAbs: return unary<TypeSet::kNumeric, AbsOp>(dtype, args, stream);
    case UnaryOp::kSign: return unary<TypeSet::kNumeric, SignOp>(dtype, args, stream);
    case UnaryOp::kExp: return unary<TypeSet::kFloat, ExpOp>(dtype, args, stream);
    case UnaryOp::kLog: return unary<TypeSet::kFloat, LogOp>(dtype, args, stream);
    case UnaryOp::kSqrt: return unary<TypeSet::kFloat, SqrtOp>(dtype, args, stream);
    case UnaryOp::kTanh: return unary<TypeSet::kFloat, TanhOp>(dtype, args, stream);
    case UnaryOp::kSigmoid: return unary<TypeSet::kFloat, SigmoidOp>(dtype, args, stream);
    case UnaryOp::kRelu: return unary<TypeSet::kNumeric, ReluOp>(dtype, args, stream);
    case UnaryOp::kLogicalNot: return unary<TypeSet::kBool, LogicalNotOp>(dtype, args, stream);
  }
  return unsupported_dtype();
}

LaunchResult launch_where(size_t element_size, const MapArgs& args, CUstream stream) {
  return dispatch_bytes(element_size, [&](auto tag) {
    using U = typename decltype(tag)::type;
    return map<3>(args, WhereElement<U>{}, stream);
  });
}

LaunchResult launch_clamp(keel_dtype_t dtype, const MapArgs& args, CUstream stream) {
  return dispatch<TypeSet::kNumeric>(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    return map<3>(args, ClampElement<T>{}, stream);
  });
}

LaunchResult launch_fill(size_t element_size, uint64_t pattern, const MapArgs& args, CUstream stream) {
  return dispatch_bytes(element_size, [&](auto tag) {
    using U = typename decltype(tag)::type;
    return map<0>(args, FillElement<U>{static_cast<U>(pattern)}, stream);
  });
}

LaunchResult launch_arange(keel_dtype_t dtype, double start, double delta, const MapArgs& args, CUstream stream) {
  return dispatch<TypeSet::kNumeric>(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    return map<0>(args, ArangeElement<T>{start, delta}, stream);
  });
}

}  // namespace keel::cuda::gpu
