// Elementwise operators on the CUDA device against the reference plugin: every dtype the spec allows, 0-D,
// zero-size, broadcast and rank-4 shapes, and inputs and outputs in dense, offset, transposed, strided and
// reversed layouts. Tolerances are those of ir_spec/ops/*.yaml.
#include <gtest/gtest.h>

#include "harness/op_check.h"
#include "keel/keel_ops.h"

namespace keel::cuda_test {
namespace {

constexpr keel_dtype_t kFloat[] = {KEEL_DTYPE_F32, KEEL_DTYPE_F16, KEEL_DTYPE_BF16, KEEL_DTYPE_F64};
constexpr keel_dtype_t kNumeric[] = {KEEL_DTYPE_F32, KEEL_DTYPE_F16, KEEL_DTYPE_BF16,
                                     KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64};
constexpr keel_dtype_t kAll[] = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32,  KEEL_DTYPE_I64, KEEL_DTYPE_F32,
                                 KEEL_DTYPE_F16,  KEEL_DTYPE_BF16, KEEL_DTYPE_F64};
constexpr Layout kLayouts[] = {Layout::kDense, Layout::kOffset, Layout::kTransposed, Layout::kStrided,
                               Layout::kReversed};

const std::vector<Dims> kShapes = {{}, {0, 3}, {1}, {257}, {3, 5}, {2, 3, 4, 5}};

struct UnaryCase {
  const char* op;
  bool float_only;
  Domain domain;
  Tolerance tolerance;
};

const UnaryCase kUnary[] = {
    {"neg", false, Domain::kAny, Tolerance::exact()},
    {"abs", false, Domain::kAny, Tolerance::exact()},
    {"sign", false, Domain::kAny, Tolerance::exact()},
    {"relu", false, Domain::kAny, Tolerance::exact()},
    {"exp", true, Domain::kAny, Tolerance::ulps(3, 1, 1, 3)},
    {"log", true, Domain::kAny, Tolerance::ulps(3, 1, 1, 3)},
    {"sqrt", true, Domain::kAny, Tolerance::ulps(3, 1, 1, 3)},
    {"tanh", true, Domain::kAny, Tolerance::ulps(5, 1, 1, 5)},
    {"sigmoid", true, Domain::kAny, Tolerance::ulps(5, 1, 1, 5)},
};

class CudaElementwiseTest : public GpuTest {};

TEST_F(CudaElementwiseTest, UnaryOperators) {
  Generator generator(1);
  for (const UnaryCase& unary : kUnary) {
    for (const keel_dtype_t dtype : kNumeric) {
      if (unary.float_only && !is_float(dtype)) continue;
      for (const Dims& shape : kShapes) {
        for (const Layout layout : kLayouts) {
          OpCase c{unary.op, {generator.make(dtype, shape, unary.domain)}};
          c.in_layout = layout;
          c.out_layout = shape.size() > 1 ? Layout::kTransposed : Layout::kDense;
          check_op(c, unary.tolerance);
        }
      }
    }
  }
}

struct BinaryCase {
  const char* op;
  bool float_only;
  Tolerance tolerance;
};

const BinaryCase kBinary[] = {
    {"add", false, Tolerance::ulps(0.5, 0.5, 0.5, 0.5)},     {"sub", false, Tolerance::ulps(0.5, 0.5, 0.5, 0.5)},
    {"mul", false, Tolerance::ulps(0.5, 0.5, 0.5, 0.5)},     {"pow", true, Tolerance::ulps(16, 1, 1, 16)},
    {"maximum", false, Tolerance::exact()},                  {"minimum", false, Tolerance::exact()},
};

// Pairs of broadcastable shapes.
const std::vector<std::pair<Dims, Dims>> kPairs = {
    {{}, {}}, {{7}, {7}}, {{3, 4}, {4}}, {{2, 1, 4}, {3, 1}}, {{}, {5}}, {{0, 4}, {1, 4}}, {{2, 3, 4, 5}, {2, 3, 4, 5}},
    {{4, 1}, {1, 6}}};

TEST_F(CudaElementwiseTest, BinaryArithmetic) {
  Generator generator(2);
  for (const BinaryCase& binary : kBinary) {
    for (const keel_dtype_t dtype : kNumeric) {
      if (binary.float_only && !is_float(dtype)) continue;
      for (const auto& [a, b] : kPairs) {
        for (const Layout layout : {Layout::kDense, Layout::kReversed, Layout::kTransposed}) {
          OpCase c{binary.op, {generator.make(dtype, a, Domain::kAny), generator.make(dtype, b, Domain::kAny)}};
          c.in_layout = layout;
          c.out_layout = layout;
          check_op(c, binary.tolerance);
        }
      }
    }
  }
}

TEST_F(CudaElementwiseTest, DivisionInEveryRoundingMode) {
  Generator generator(3);
  for (const keel_dtype_t dtype : kNumeric) {
    for (const uint32_t rounding : {KEEL_DIV_ROUNDING_NONE, KEEL_DIV_ROUNDING_TRUNC, KEEL_DIV_ROUNDING_FLOOR}) {
      if (rounding == KEEL_DIV_ROUNDING_NONE && !is_float(dtype)) continue;  // C2: integers need a rounding
      keel_div_attrs_t attrs = KEEL_DIV_ATTRS_INIT;
      attrs.rounding = rounding;
      for (const auto& [a, b] : kPairs) {
        OpCase c{"div", {generator.make(dtype, a, Domain::kAny), generator.make(dtype, b, Domain::kSmallInts)}};
        c.attrs = &attrs;
        // trunc and floor of a correctly rounded quotient are exact functions of it.
        check_op(c, rounding == KEEL_DIV_ROUNDING_NONE ? Tolerance::ulps(0.5, 0.5, 0.5, 0.5) : Tolerance::exact());
      }
    }
  }
}

TEST_F(CudaElementwiseTest, Comparisons) {
  Generator generator(4);
  const char* const ops[] = {"equal", "not_equal", "less", "less_equal", "greater", "greater_equal"};
  for (const char* op : ops) {
    const bool any_dtype = std::string(op) == "equal" || std::string(op) == "not_equal";
    for (const keel_dtype_t dtype : kAll) {
      if (dtype == KEEL_DTYPE_BOOL && !any_dtype) continue;
      for (const auto& [a, b] : kPairs) {
        // Small integers make equal elements common.
        const Domain domain = dtype == KEEL_DTYPE_BOOL ? Domain::kBool : Domain::kSmallInts;
        OpCase c{op, {generator.make(dtype, a, domain), generator.make(dtype, b, Domain::kAny)}};
        c.in_layout = Layout::kReversed;
        check_op(c, Tolerance::exact());
      }
    }
  }
}

TEST_F(CudaElementwiseTest, WhereCopiesTheChosenElements) {
  Generator generator(5);
  for (const keel_dtype_t dtype : kAll) {
    for (const auto& [a, b] : kPairs) {
      OpCase c{"where",
               {generator.make(KEEL_DTYPE_BOOL, a, Domain::kBool), generator.make(dtype, b, Domain::kAny),
                generator.make(dtype, a, Domain::kAny)}};
      c.moves_data = true;
      c.in_layout = Layout::kStrided;
      check_op(c, Tolerance::exact());
    }
  }
}

TEST_F(CudaElementwiseTest, CastBetweenEveryPairOfDtypes) {
  Generator generator(6);
  for (const keel_dtype_t from : kAll) {
    for (const keel_dtype_t to : kAll) {
      keel_cast_attrs_t attrs = KEEL_CAST_ATTRS_INIT;
      attrs.to = to;
      // The oracle casts to f64 where the target is a float narrower than f64; rounding that is the spec's rule.
      keel_cast_attrs_t oracle_attrs = attrs;
      if (is_float(to) && to != KEEL_DTYPE_F64) oracle_attrs.to = KEEL_DTYPE_F64;
      for (const Dims& shape : {Dims{}, Dims{0}, Dims{300}, Dims{3, 4, 5}}) {
        OpCase c{"cast", {generator.make(from, shape, from == KEEL_DTYPE_BOOL ? Domain::kBool : Domain::kAny)}};
        c.attrs = &attrs;
        c.oracle_attrs = &oracle_attrs;
        c.in_layout = Layout::kTransposed;
        c.out_layout = Layout::kOffset;
        check_op(c, Tolerance::exact());
      }
    }
  }
}

TEST_F(CudaElementwiseTest, InPlaceAndOverlappingOutputs) {
  // Output and input share a buffer: in place (same layout) and shifted by one element (which needs the
  // scratch path). Both must give what separate buffers give.
  if (!env().testing_cuda()) GTEST_SKIP() << "checks the CUDA plugin's overlap handling";
  const keel_op_t* op = nullptr;
  ASSERT_TRUE(keel::test::IsOk(keel_op_find("add", &op)));
  HostValues values{KEEL_DTYPE_F32, {16}, {}};
  for (int i = 0; i < 16; ++i) values.values.push_back(i);
  for (const int64_t shift : {0, 1}) {
    DeviceTensor storage = upload(device(), KEEL_DTYPE_F32, HostValues{KEEL_DTYPE_F32, {17}, [&] {
                                    std::vector<double> v(values.values);
                                    v.push_back(100);
                                    return v;
                                  }()},
                                  Layout::kDense);
    keel_tensor_t in = storage.tensor;
    in.shape[0] = 16;
    keel_tensor_t out = in;
    out.byte_offset = static_cast<uint64_t>(shift) * 4;
    keel_queue_t* raw = nullptr;
    ASSERT_TRUE(keel::test::IsOk(keel_queue_create(device(), nullptr, &raw)));
    const Queue queue(raw);
    const keel_tensor_t inputs[] = {in, in};
    ASSERT_TRUE(keel::test::IsOk(keel_op_run(queue.get(), op, nullptr, inputs, 2, &out, 1)));
    ASSERT_TRUE(keel::test::IsOk(keel_queue_synchronize(queue.get())));
    const HostValues all = download(storage);
    for (int i = 0; i < 16; ++i) EXPECT_EQ(all.values[i + shift], 2.0 * i) << "shift " << shift << " element " << i;
  }
}

}  // namespace
}  // namespace keel::cuda_test
