// The tolerance classes as ir_spec/README.md defines them, on hand-made results.
#include "layers/ops/tolerance.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "layers/ops/dtype_convert.h"

namespace keel::conform {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

HostTensor tensor_of(keel_dtype_t dtype, std::initializer_list<double> values) {
  HostTensor tensor;
  tensor.meta.dtype = dtype;
  tensor.meta.rank = 1;
  tensor.meta.dims[0] = static_cast<int64_t>(values.size());
  tensor.bytes.resize(values.size() * dtype_bytes(dtype));
  size_t i = 0;
  for (double value : values) write_value(dtype, value, tensor.bytes.data() + dtype_bytes(dtype) * i++);
  return tensor;
}

spec::OpSchema op_with(spec::Tolerance tolerance, const char* group = "elementwise_unary") {
  spec::OpSchema op{};
  op.name = "test_op";
  op.group = group;
  op.tolerance = tolerance;
  return op;
}

const spec::Tolerance kHalfUlp = {spec::ToleranceClass::kUlp, 0.5, 1, 1, 0.5, 0, spec::ReductionSize::kNone,
                                  spec::Magnitude::kNone};
const spec::Tolerance kExact = {spec::ToleranceClass::kExact, 0, 0, 0, 0, 0, spec::ReductionSize::kNone,
                                spec::Magnitude::kNone};
const spec::Tolerance kAccumulate = {spec::ToleranceClass::kAccumulation, 0, 0, 0, 0, 2,
                                     spec::ReductionSize::kReductionSize, spec::Magnitude::kOpOnAbs};

TEST(Tolerance, UlpAllowsTheBoundAndNoMore) {
  const spec::OpSchema op = op_with(kHalfUlp);
  const double one_ulp = std::ldexp(1.0, -23);
  const HostTensor reference = tensor_of(KEEL_DTYPE_F64, {1.0 + 0.5 * one_ulp, 3.0});
  // 1 is 0.5 ulp away from the reference: allowed; 1 + ulp is too, from the other side.
  EXPECT_TRUE(compare_output(op, tensor_of(KEEL_DTYPE_F32, {1.0, 3.0}), reference, {}).ok);
  EXPECT_TRUE(compare_output(op, tensor_of(KEEL_DTYPE_F32, {1.0 + one_ulp, 3.0}), reference, {}).ok);
  const Comparison off = compare_output(op, tensor_of(KEEL_DTYPE_F32, {1.0 + 2 * one_ulp, 3.0}), reference, {});
  EXPECT_FALSE(off.ok);
  EXPECT_DOUBLE_EQ(off.max_ulp, 1.5);
  EXPECT_NE(off.detail.find("element 0"), std::string::npos) << off.detail;
}

TEST(Tolerance, NanMatchesNanAndInfinitiesMatchExactly) {
  const spec::OpSchema op = op_with(kHalfUlp);
  EXPECT_TRUE(compare_output(op, tensor_of(KEEL_DTYPE_F32, {kNaN, kInf}), tensor_of(KEEL_DTYPE_F64, {kNaN, kInf}), {}).ok);
  EXPECT_FALSE(compare_output(op, tensor_of(KEEL_DTYPE_F32, {1.0}), tensor_of(KEEL_DTYPE_F64, {kNaN}), {}).ok);
  EXPECT_FALSE(compare_output(op, tensor_of(KEEL_DTYPE_F32, {kNaN}), tensor_of(KEEL_DTYPE_F64, {1.0}), {}).ok);
  EXPECT_FALSE(compare_output(op, tensor_of(KEEL_DTYPE_F32, {-kInf}), tensor_of(KEEL_DTYPE_F64, {kInf}), {}).ok);
  // A reference beyond the f32 range rounds to inf: the f32 result must be inf.
  EXPECT_TRUE(compare_output(op, tensor_of(KEEL_DTYPE_F32, {kInf}), tensor_of(KEEL_DTYPE_F64, {4e38}), {}).ok);
  EXPECT_FALSE(compare_output(op, tensor_of(KEEL_DTYPE_F32, {3.4e38}), tensor_of(KEEL_DTYPE_F64, {4e38}), {}).ok);
}

TEST(Tolerance, ExactComparesBitsButAnyNanMatchesForComputingOperators) {
  const spec::OpSchema computing = op_with(kExact);
  EXPECT_FALSE(compare_output(computing, tensor_of(KEEL_DTYPE_F32, {0.0}), tensor_of(KEEL_DTYPE_F64, {-0.0}), {}).ok);
  EXPECT_TRUE(compare_output(computing, tensor_of(KEEL_DTYPE_F32, {-0.0}), tensor_of(KEEL_DTYPE_F64, {-0.0}), {}).ok);
  HostTensor payload = tensor_of(KEEL_DTYPE_F32, {kNaN});
  const uint32_t other_nan = 0x7fc12345u;
  std::memcpy(payload.bytes.data(), &other_nan, 4);
  EXPECT_TRUE(compare_output(computing, payload, tensor_of(KEEL_DTYPE_F32, {kNaN}), {}).ok);
  // Data movement keeps payloads.
  const spec::OpSchema moving = op_with(kExact, "shape");
  EXPECT_FALSE(compare_output(moving, payload, tensor_of(KEEL_DTYPE_F32, {kNaN}), {}).ok);
}

TEST(Tolerance, AccumulationUsesThePerElementBound) {
  const spec::OpSchema op = op_with(kAccumulate);
  const HostTensor reference = tensor_of(KEEL_DTYPE_F64, {10.0, 10.0});
  const std::vector<double> bounds = {0.5, 0.01};
  EXPECT_TRUE(compare_output(op, tensor_of(KEEL_DTYPE_F32, {10.25, 10.0}), reference, bounds).ok);
  EXPECT_FALSE(compare_output(op, tensor_of(KEEL_DTYPE_F32, {10.0, 10.25}), reference, bounds).ok);
}

TEST(Tolerance, IntegersAndBoolsAreExact) {
  const spec::OpSchema op = op_with(kHalfUlp);
  EXPECT_TRUE(compare_output(op, tensor_of(KEEL_DTYPE_I64, {5, -7}), tensor_of(KEEL_DTYPE_I64, {5, -7}), {}).ok);
  EXPECT_FALSE(compare_output(op, tensor_of(KEEL_DTYPE_I32, {5, -6}), tensor_of(KEEL_DTYPE_I32, {5, -7}), {}).ok);
  EXPECT_FALSE(compare_output(op, tensor_of(KEEL_DTYPE_BOOL, {1}), tensor_of(KEEL_DTYPE_BOOL, {0}), {}).ok);
}

}  // namespace
}  // namespace keel::conform
