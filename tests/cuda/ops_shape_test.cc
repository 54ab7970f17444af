// Data movement and creation on the CUDA device against the reference plugin: reshape, permute, concat,
// slice (exact, every layout), full and arange (the spec's conversions from f64), and bit-exact copies of
// NaN payloads and negative zeros.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "harness/op_check.h"
#include "keel/keel_ops.h"

namespace keel::cuda_test {
namespace {

constexpr keel_dtype_t kAll[] = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32,  KEEL_DTYPE_I64, KEEL_DTYPE_F32,
                                 KEEL_DTYPE_F16,  KEEL_DTYPE_BF16, KEEL_DTYPE_F64};
constexpr Layout kLayouts[] = {Layout::kDense, Layout::kOffset, Layout::kTransposed, Layout::kStrided,
                               Layout::kReversed};

Domain domain_of(keel_dtype_t dtype) { return dtype == KEEL_DTYPE_BOOL ? Domain::kBool : Domain::kAny; }

class CudaShapeTest : public GpuTest {};

TEST_F(CudaShapeTest, Reshape) {
  Generator generator(21);
  const std::vector<std::pair<Dims, std::vector<int64_t>>> cases = {
      {{2, 3, 4}, {4, -1}}, {{6}, {1, 2, 3}}, {{}, {1, 1}}, {{0, 3}, {3, 0}}, {{2, 3, 4, 5}, {120}}};
  for (const keel_dtype_t dtype : kAll) {
    for (const auto& [shape, target] : cases) {
      for (const Layout layout : kLayouts) {
        keel_reshape_attrs_t attrs = KEEL_RESHAPE_ATTRS_INIT;
        attrs.shape = target.data();
        attrs.shape_count = target.size();
        OpCase c{"reshape", {generator.make(dtype, shape, domain_of(dtype))}};
        c.attrs = &attrs;
        c.in_layout = layout;
        c.out_layout = Layout::kReversed;
        c.moves_data = true;
        check_op(c, Tolerance::exact());
      }
    }
  }
}

TEST_F(CudaShapeTest, Permute) {
  Generator generator(22);
  const std::vector<std::pair<Dims, std::vector<int64_t>>> cases = {
      {{3, 4}, {1, 0}}, {{2, 3, 4}, {2, 0, 1}}, {{2, 3, 4, 5}, {-1, 0, 2, 1}}, {{5}, {0}}, {{0, 2}, {1, 0}}};
  for (const keel_dtype_t dtype : kAll) {
    for (const auto& [shape, perm] : cases) {
      for (const Layout layout : kLayouts) {
        keel_permute_attrs_t attrs = KEEL_PERMUTE_ATTRS_INIT;
        attrs.perm = perm.data();
        attrs.perm_count = perm.size();
        OpCase c{"permute", {generator.make(dtype, shape, domain_of(dtype))}};
        c.attrs = &attrs;
        c.in_layout = layout;
        c.moves_data = true;
        check_op(c, Tolerance::exact());
      }
    }
  }
}

TEST_F(CudaShapeTest, Concat) {
  Generator generator(23);
  for (const keel_dtype_t dtype : kAll) {
    for (const int64_t axis : {0, 1, -1}) {
      keel_concat_attrs_t attrs = KEEL_CONCAT_ATTRS_INIT;
      attrs.axis = axis;
      const int64_t a = axis < 0 ? 2 : axis;
      Dims first = {2, 3, 4}, second = {2, 3, 4}, third = {2, 3, 4};
      second[a] = 0;
      third[a] = 5;
      for (const Layout layout : {Layout::kDense, Layout::kTransposed, Layout::kReversed}) {
        OpCase c{"concat",
                 {generator.make(dtype, first, domain_of(dtype)), generator.make(dtype, second, domain_of(dtype)),
                  generator.make(dtype, third, domain_of(dtype))}};
        c.attrs = &attrs;
        c.in_layout = layout;
        c.out_layout = Layout::kStrided;
        c.moves_data = true;
        check_op(c, Tolerance::exact());
      }
    }
  }
}

TEST_F(CudaShapeTest, Slice) {
  Generator generator(24);
  struct SliceCase {
    Dims shape;
    std::vector<int64_t> starts, ends, axes, steps;
  };
  const std::vector<SliceCase> cases = {
      {{10}, {2}, {8}, {}, {}},
      {{10}, {-1}, {INT64_MIN}, {}, {-3}},
      {{4, 6}, {1, 5}, {3, 0}, {0, 1}, {1, -2}},
      {{3, 4, 5}, {0}, {INT64_MAX}, {-1}, {2}},
      {{5, 5}, {3}, {1}, {}, {}},  // empty window
  };
  for (const keel_dtype_t dtype : kAll) {
    for (const SliceCase& s : cases) {
      for (const Layout layout : kLayouts) {
        keel_slice_attrs_t attrs = KEEL_SLICE_ATTRS_INIT;
        attrs.starts = s.starts.data();
        attrs.starts_count = s.starts.size();
        attrs.ends = s.ends.data();
        attrs.ends_count = s.ends.size();
        attrs.axes = s.axes.data();
        attrs.axes_count = s.axes.size();
        attrs.steps = s.steps.data();
        attrs.steps_count = s.steps.size();
        OpCase c{"slice", {generator.make(dtype, s.shape, domain_of(dtype))}};
        c.attrs = &attrs;
        c.in_layout = layout;
        c.moves_data = true;
        check_op(c, Tolerance::exact());
      }
    }
  }
}

TEST_F(CudaShapeTest, FullConvertsTheValueLikeCast) {
  const std::vector<int64_t> shape = {3, 7};
  for (const keel_dtype_t dtype : kAll) {
    for (const double value : {0.0, -0.0, 1.5, -2.75, 1e10, -1e300, 65519.0, std::nan(""), double{INFINITY}}) {
      keel_full_attrs_t attrs = KEEL_FULL_ATTRS_INIT;
      attrs.shape = shape.data();
      attrs.shape_count = shape.size();
      attrs.value = value;
      attrs.dtype = dtype;
      keel_full_attrs_t oracle_attrs = attrs;
      if (is_float(dtype)) oracle_attrs.dtype = KEEL_DTYPE_F64;
      OpCase c{"full", {}};
      c.attrs = &attrs;
      c.oracle_attrs = &oracle_attrs;
      c.out_layout = Layout::kTransposed;
      check_op(c, Tolerance::exact());
    }
  }
}

TEST_F(CudaShapeTest, ArangeRoundsProductAndSumSeparately) {
  constexpr keel_dtype_t kNumeric[] = {KEEL_DTYPE_F32, KEEL_DTYPE_F16, KEEL_DTYPE_BF16,
                                       KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64};
  struct Range {
    double start, limit, delta;
  };
  for (const keel_dtype_t dtype : kNumeric) {
    for (const Range& r : {Range{0, 10, 1}, Range{0.1, 3.3, 0.1}, Range{5, -5, -0.7}, Range{0, 0, 1},
                           Range{-3e9, 3e9, 1e8}, Range{0, 100000, 1}}) {
      keel_arange_attrs_t attrs = KEEL_ARANGE_ATTRS_INIT;
      attrs.start = r.start;
      attrs.limit = r.limit;
      attrs.delta = r.delta;
      attrs.dtype = dtype;
      keel_arange_attrs_t oracle_attrs = attrs;
      if (is_float(dtype)) oracle_attrs.dtype = KEEL_DTYPE_F64;
      OpCase c{"arange", {}};
      c.attrs = &attrs;
      c.oracle_attrs = &oracle_attrs;
      c.out_layout = Layout::kReversed;
      check_op(c, Tolerance::exact());
    }
  }
}

TEST_F(CudaShapeTest, DataMovementKeepsEveryBit) {
  // NaN payloads and -0 through reshape and a same-dtype cast, compared byte for byte.
  const uint32_t patterns[] = {0x7fc00001u, 0xffa00000u, 0x80000000u, 0x7f800001u, 0x00000001u, 0x3f800000u};
  DeviceTensor input = allocate(device(), KEEL_DTYPE_F32, {6}, Layout::kDense);
  ASSERT_TRUE(keel::test::IsOk(keel_buffer_write(input.buffer.get(), 0, patterns, sizeof patterns)));
  const int64_t shape[] = {2, 3};
  keel_reshape_attrs_t reshape = KEEL_RESHAPE_ATTRS_INIT;
  reshape.shape = shape;
  reshape.shape_count = 2;
  keel_cast_attrs_t cast = KEEL_CAST_ATTRS_INIT;
  cast.to = KEEL_DTYPE_F32;
  for (const auto& [op, attrs] : {std::pair<const char*, const void*>{"reshape", &reshape}, {"cast", &cast}}) {
    const std::vector<DeviceTensor> out = run_op(device(), op, attrs, {&input}, Layout::kDense);
    const std::vector<std::byte> bytes = download_bytes(out[0]);
    ASSERT_EQ(bytes.size(), sizeof patterns);
    EXPECT_EQ(std::memcmp(bytes.data(), patterns, sizeof patterns), 0) << op;
  }
}

}  // namespace
}  // namespace keel::cuda_test
