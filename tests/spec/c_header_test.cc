// keel_ops.h seen from C (c99_keel_ops.c, compiled as C99) agrees with the operator table.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "c99_keel_ops.h"
#include "keel/keel_ops.h"
#include "spec/op_schema.h"

namespace keel::spec {
namespace {

TEST(CHeader, AttributeStructSizesMatchTheTable) {
  size_t count = 0;
  const keel_spec_c_attrs_size_t* sizes = keel_spec_c_attrs_sizes(&count);
  std::set<std::string> listed;
  for (size_t i = 0; i < count; ++i) {
    const OpSchema* op = find_op(sizes[i].op);
    ASSERT_NE(op, nullptr) << sizes[i].op;
    EXPECT_EQ(op->attrs_size, sizes[i].size) << sizes[i].op;
    listed.insert(sizes[i].op);
  }
  // An operator that gains attributes must be added to c99_keel_ops.c.
  for (const OpSchema& op : all_ops()) {
    if (op.attrs_size) {
      EXPECT_TRUE(listed.count(op.name)) << op.name << " is missing from c99_keel_ops.c";
    }
  }
}

TEST(CHeader, DefaultsAndVersion) {
  EXPECT_EQ(keel_spec_c_div_default_rounding(), static_cast<uint32_t>(KEEL_DIV_ROUNDING_NONE));
  EXPECT_EQ(keel_spec_c_slice_default_steps_count(), 0u);
  EXPECT_EQ(keel_spec_c_resize_default_scales_count(), 0u);
  EXPECT_EQ(keel_spec_c_selu_default_gamma(), 1.05070102214813232421875);
  EXPECT_EQ(keel_spec_c_conv_default_groups(), 1);
  EXPECT_STREQ(keel_spec_c_version(), spec_version());
  EXPECT_EQ(all_ops().size(), static_cast<size_t>(KEEL_OP_COUNT));
}

TEST(CHeader, FindOp) {
  for (const OpSchema& op : all_ops()) EXPECT_EQ(find_op(op.name), &op);
  EXPECT_EQ(find_op("no_such_op"), nullptr);
  EXPECT_EQ(find_op(""), nullptr);
  EXPECT_STREQ(find_op(KEEL_OP_REDUCE_SUM)->name, "reduce_sum");
}

}  // namespace
}  // namespace keel::spec
