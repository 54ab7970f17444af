// reshape, permute, concat, slice, same-dtype cast, full and arange: every bit must match the reference
// (NaN payloads, signalling NaNs and -0 included), through dense, strided, transposed and reversed views.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "harness.h"
#include "oracle.h"

namespace keel::opencl_test {
namespace {

constexpr keel_dtype_t kAllDtypes[] = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F32, KEEL_DTYPE_F64};
constexpr Layout kLayouts[] = {Layout::kDense, Layout::kTransposed, Layout::kPadded, Layout::kReversed};

// Data with NaN payloads and -0 where the dtype has them.
Tensor payload_tensor(keel_dtype_t dtype, const std::vector<int64_t>& shape, uint32_t seed) {
  Tensor t = random_tensor(dtype, shape, seed);
  if (t.count() > 3 && dtype == KEEL_DTYPE_F32) {
    set_bits(t, 0, 0x7fa00123);  // signalling NaN with a payload
    set_bits(t, 1, 0xffc00042);  // negative quiet NaN with a payload
    set_bits(t, 2, 0x80000000);  // -0
  }
  if (t.count() > 3 && dtype == KEEL_DTYPE_F64) {
    set_bits(t, 0, 0x7ff4000000000123);
    set_bits(t, 1, 0xfff8000000000042);
    set_bits(t, 2, 0x8000000000000000);
  }
  return t;
}

void check_bits(const std::string& op, const void* attrs, const std::vector<Tensor>& inputs, Layout layout) {
  SCOPED_TRACE(op + " " + keel_dtype_name(inputs[0].dtype) + " " + layout_name(layout));
  Devices& d = Devices::get();
  const std::vector<Layout> layouts(inputs.size(), layout);
  const Result got = run(d.opencl, op, attrs, inputs, layouts, layout);
  const Result want = run(d.reference, op, attrs, inputs);
  ASSERT_TRUE(got.ok()) << got.message;
  ASSERT_TRUE(want.ok()) << want.message;
  EXPECT_TRUE(same_bits(got.outputs[0], want.outputs[0]));
}

TEST(DataMovementTest, Reshape) {
  KEEL_REQUIRE_OPENCL();
  for (const keel_dtype_t dtype : kAllDtypes) {
    for (const Layout layout : kLayouts) {
      const std::vector<int64_t> to = {4, -1, 3};
      keel_reshape_attrs_t attrs = KEEL_RESHAPE_ATTRS_INIT;
      attrs.shape = to.data();
      attrs.shape_count = to.size();
      check_bits("reshape", &attrs, {payload_tensor(dtype, {6, 10}, 1)}, layout);
      const std::vector<int64_t> scalar = {};
      attrs.shape = scalar.data();
      attrs.shape_count = 0;
      check_bits("reshape", &attrs, {payload_tensor(dtype, {1, 1}, 2)}, layout);
      const std::vector<int64_t> empty = {0, 5};
      attrs.shape = empty.data();
      attrs.shape_count = empty.size();
      check_bits("reshape", &attrs, {payload_tensor(dtype, {5, 0}, 3)}, layout);
    }
  }
}

TEST(DataMovementTest, Permute) {
  KEEL_REQUIRE_OPENCL();
  for (const keel_dtype_t dtype : kAllDtypes) {
    for (const Layout layout : kLayouts) {
      const std::vector<int64_t> perm = {2, -4, 3, 1};
      keel_permute_attrs_t attrs = KEEL_PERMUTE_ATTRS_INIT;
      attrs.perm = perm.data();
      attrs.perm_count = perm.size();
      check_bits("permute", &attrs, {payload_tensor(dtype, {2, 3, 4, 5}, 4)}, layout);
      const std::vector<int64_t> none = {};
      attrs.perm = none.data();
      attrs.perm_count = 0;
      check_bits("permute", &attrs, {payload_tensor(dtype, {}, 5)}, layout);
    }
  }
}

TEST(DataMovementTest, Concat) {
  KEEL_REQUIRE_OPENCL();
  for (const keel_dtype_t dtype : kAllDtypes) {
    for (const Layout layout : kLayouts) {
      keel_concat_attrs_t attrs = KEEL_CONCAT_ATTRS_INIT;
      attrs.axis = -2;
      check_bits("concat", &attrs,
                 {payload_tensor(dtype, {3, 2, 4}, 6), payload_tensor(dtype, {3, 0, 4}, 7), payload_tensor(dtype, {3, 5, 4}, 8)},
                 layout);
      attrs.axis = 0;
      check_bits("concat", &attrs, {payload_tensor(dtype, {1}, 9)}, layout);
    }
  }
}

TEST(DataMovementTest, Slice) {
  KEEL_REQUIRE_OPENCL();
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  struct Window {
    std::vector<int64_t> starts, ends, axes, steps;
  };
  const std::vector<Window> windows = {
      {{1, 0}, {4, kMax}, {}, {}},         // leading axes
      {{-1}, {kMin}, {-1}, {-1}},          // the last axis reversed
      {{5, 1}, {-8, 6}, {0, 2}, {-2, 3}},  // negative and large steps
      {{2}, {2}, {1}, {1}},                // empty
      {{10}, {20}, {0}, {1}},              // clamped to nothing
  };
  for (const keel_dtype_t dtype : kAllDtypes) {
    for (const Layout layout : kLayouts) {
      for (const Window& w : windows) {
        keel_slice_attrs_t attrs = KEEL_SLICE_ATTRS_INIT;
        attrs.starts = w.starts.data();
        attrs.starts_count = w.starts.size();
        attrs.ends = w.ends.data();
        attrs.ends_count = w.ends.size();
        attrs.axes = w.axes.data();
        attrs.axes_count = w.axes.size();
        attrs.steps = w.steps.data();
        attrs.steps_count = w.steps.size();
        check_bits("slice", &attrs, {payload_tensor(dtype, {6, 5, 7}, 10)}, layout);
      }
    }
  }
}

TEST(DataMovementTest, SameDtypeCastCopiesBits) {
  KEEL_REQUIRE_OPENCL();
  for (const keel_dtype_t dtype : kAllDtypes) {
    keel_cast_attrs_t attrs = KEEL_CAST_ATTRS_INIT;
    attrs.to = dtype;
    for (const Layout layout : kLayouts) check_bits("cast", &attrs, {payload_tensor(dtype, {7, 3}, 11)}, layout);
  }
}

TEST(DataMovementTest, InPlaceOverlappingCopy) {
  KEEL_REQUIRE_OPENCL();
  // permute with the output on top of its input: the result must be as if the input were read first.
  Devices& d = Devices::get();
  const Tensor x = payload_tensor(KEEL_DTYPE_F32, {4, 4}, 12);
  const Placed placed = place(d.opencl, x, Layout::kDense);
  const std::vector<int64_t> perm = {1, 0};
  keel_permute_attrs_t attrs = KEEL_PERMUTE_ATTRS_INIT;
  attrs.perm = perm.data();
  attrs.perm_count = perm.size();
  const keel_op_t* op = nullptr;
  ASSERT_TRUE(IsOk(keel_op_find("permute", &op)));
  ASSERT_TRUE(IsOk(keel_op_run(d.opencl_queue.get(), op, &attrs, &placed.view, 1, &placed.view, 1)));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(d.opencl_queue.get())));
  const Tensor out = fetch(placed);
  for (int64_t i = 0; i < 4; ++i) {
    for (int64_t j = 0; j < 4; ++j) EXPECT_EQ(out.bits(i * 4 + j), x.bits(j * 4 + i)) << i << "," << j;
  }
}

TEST(CreationTest, FullConvertsWithTheCastRules) {
  KEEL_REQUIRE_OPENCL();
  Devices& d = Devices::get();
  const double values[] = {0.0, -0.0, 2.7, -2.7, 3e9, -3e19, 1e39, std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::infinity()};
  for (const keel_dtype_t dtype : kAllDtypes) {
    for (const double value : values) {
      for (const Layout layout : {Layout::kDense, Layout::kReversed}) {
        SCOPED_TRACE(std::string(keel_dtype_name(dtype)) + " " + std::to_string(value) + " " + layout_name(layout));
        const std::vector<int64_t> shape = {3, 4};
        keel_full_attrs_t attrs = KEEL_FULL_ATTRS_INIT;
        attrs.shape = shape.data();
        attrs.shape_count = shape.size();
        attrs.value = value;
        attrs.dtype = dtype;
        const Result got = run(d.opencl, "full", &attrs, {}, {}, layout);
        const Result want = run(d.reference, "full", &attrs, {});
        ASSERT_TRUE(got.ok()) << got.message;
        ASSERT_TRUE(want.ok()) << want.message;
        EXPECT_TRUE(same_values(got.outputs[0], want.outputs[0]));
      }
    }
  }
}

TEST(CreationTest, ArangeMatchesTheReference) {
  KEEL_REQUIRE_OPENCL();
  Devices& d = Devices::get();
  struct Range {
    double start, limit, delta;
  };
  const Range ranges[] = {{0, 10, 1}, {1, -2, -0.3}, {0.1, 1, 0.1}, {5, 5, 1}, {-3e9, 3e9, 7e8}, {0, 1e5, 1}};
  for (const keel_dtype_t dtype : {KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
    for (const Range& r : ranges) {
      SCOPED_TRACE(std::string(keel_dtype_name(dtype)) + " " + std::to_string(r.start) + ".." + std::to_string(r.limit));
      keel_arange_attrs_t attrs = KEEL_ARANGE_ATTRS_INIT;
      attrs.start = r.start;
      attrs.limit = r.limit;
      attrs.delta = r.delta;
      attrs.dtype = dtype;
      const Result got = run(d.opencl, "arange", &attrs, {}, {}, Layout::kReversed);
      const Result want = run(d.reference, "arange", &attrs, {});
      ASSERT_TRUE(got.ok()) << got.message;
      ASSERT_TRUE(want.ok()) << want.message;
      EXPECT_TRUE(same_values(got.outputs[0], want.outputs[0]));
    }
  }
}

}  // namespace
}  // namespace keel::opencl_test
