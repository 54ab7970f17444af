// Binary arithmetic, remainders, prelu, logical operators and comparisons: the map kernel (map.cuh) with two
// broadcast inputs, instantiated per operator and dtype from scalar_ops.h and math_ops.h.
#include "gpu/map.cuh"
#include "gpu/math_ops.h"

namespace keel::cuda::gpu {
namespace {

template <class Op, class T>
struct BinaryElement {
  Op op;
  __device__ void operator()(int64_t, const MapArgs& a, int64_t out, const int64_t* in) const {
    store(a.out.base, out, op(load<T>(a.in[0].base, in[0]), load<T>(a.in[1].base, in[1])));
  }
};

template <class Op, class T>
struct CompareElement {
  Op op;
  __device__ void operator()(int64_t, const MapArgs& a, int64_t out, const int64_t* in) const {
    const bool truth = op(load<T>(a.in[0].base, in[0]), load<T>(a.in[1].base, in[1]));
    store(a.out.base, out, Bool{static_cast<uint8_t>(truth ? 1 : 0)});
  }
};

template <TypeSet kSet, class Op>
LaunchResult binary(keel_dtype_t dtype, Op op, const MapArgs& args, CUstream stream) {
  return dispatch<kSet>(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    return map<2>(args, BinaryElement<Op, T>{op}, stream);
  });
}

template <TypeSet kSet, class Op>
LaunchResult compare(keel_dtype_t dtype, const MapArgs& args, CUstream stream) {
  return dispatch<kSet>(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    return map<2>(args, CompareElement<Op, T>{}, stream);
  });
}

}  // namespace

LaunchResult launch_binary(BinaryOp op, keel_dtype_t dtype, uint32_t aux, const MapArgs& args, CUstream stream) {
  switch (op) {
    case BinaryOp::kAdd: return binary<TypeSet::kNumeric>(dtype, AddOp{}, args, stream);
    case BinaryOp::kSub: return binary<TypeSet::kNumeric>(dtype, SubOp{}, args, stream);
    case BinaryOp::kMul: return binary<TypeSet::kNumeric>(dtype, MulOp{}, args, stream);
    case BinaryOp::kDiv: return binary<TypeSet::kNumeric>(dtype, DivOp{aux}, args, stream);
    case BinaryOp::kPow: return binary<TypeSet::kFloat>(dtype, PowOp{}, args, stream);
    case BinaryOp::kMaximum: return binary<TypeSet::kNumeric>(dtype, MaximumOp{}, args, stream);
    case BinaryOp::kMinimum: return binary<TypeSet::kNumeric>(dtype, MinimumOp{}, args, stream);
    case BinaryOp::kFmod: return binary<TypeSet::kNumeric>(dtype, FmodOp{}, args, stream);
    case BinaryOp::kRemainder: return binary<TypeSet::kNumeric>(dtype, RemainderOp{}, args, stream);
    case BinaryOp::kPrelu: return binary<TypeSet::kFloat>(dtype, PreluOp{}, args, stream);
    case BinaryOp::kLogicalAnd: return binary<TypeSet::kBool>(dtype, LogicalAndOp{}, args, stream);
    case BinaryOp::kLogicalOr: return binary<TypeSet::kBool>(dtype, LogicalOrOp{}, args, stream);
    case BinaryOp::kLogicalXor: return binary<TypeSet::kBool>(dtype, LogicalXorOp{}, args, stream);
  }
  return unsupported_dtype();
}

LaunchResult launch_compare(CompareOp op, keel_dtype_t dtype, const MapArgs& args, CUstream stream) {
  switch (op) {
    case CompareOp::kEqual: return compare<TypeSet::kAll, EqualOp>(dtype, args, stream);
    case CompareOp::kNotEqual: return compare<TypeSet::kAll, NotEqualOp>(dtype, args, stream);
    case CompareOp::kLess: return compare<TypeSet::kNumeric, LessOp>(dtype, args, stream);
    case CompareOp::kLessEqual: return compare<TypeSet::kNumeric, LessEqualOp>(dtype, args, stream);
    case CompareOp::kGreater: return compare<TypeSet::kNumeric, GreaterOp>(dtype, args, stream);
    case CompareOp::kGreaterEqual: return compare<TypeSet::kNumeric, GreaterEqualOp>(dtype, args, stream);
  }
  return unsupported_dtype();
}

}  // namespace keel::cuda::gpu
