// keel_op_run / keel_op_infer argument checking: every bad call gets a status naming the operator and the
// argument, and nothing runs. Uses the reference plugin, plus the dispatch fixture as a second device.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keel/keel.hpp"
#include "keel/keel_ops.h"

namespace {

class OpRunChecksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keel::RuntimeOptions options;
    options.plugin_paths = {KEEL_BUILD_PLUGIN_DIR "/libkeel_reference.so",
                            KEEL_TEST_FIXTURE_DIR "/dispatch/libkeel_fixture_dispatch.so"};
    options.use_env_path = false;
    options.use_manifests = false;
    runtime_ = keel::Runtime::create(options);
    reference_ = runtime_.find_device("reference:0").get();
    queue_ = keel::Queue::create(keel::Device(reference_));
    a_ = keel::Buffer::allocate(keel::Device(reference_), 64);
    b_ = keel::Buffer::allocate(keel::Device(reference_), 64);
    y_ = keel::Buffer::allocate(keel::Device(reference_), 64);
  }

  // The status of add(a, b) -> y with the given views, with its message.
  std::pair<keel_status_code_t, std::string> run_add(const keel_tensor_t& a, const keel_tensor_t& b,
                                                      const keel_tensor_t& y) {
    const keel_tensor_t inputs[] = {a, b};
    keel_status_t status = keel_op_run(queue_.get(), keel::Op::find("add").get(), nullptr, inputs, 2, &y, 1);
    std::pair<keel_status_code_t, std::string> result{keel_status_code(status), keel_status_message(status)};
    keel_status_release(status);
    return result;
  }

  keel_tensor_t f32(const keel::Buffer& buffer, std::initializer_list<int64_t> shape) {
    return keel::make_tensor(buffer.get(), KEEL_DTYPE_F32, shape);
  }

  keel::Runtime runtime_;
  keel_device_t* reference_ = nullptr;
  keel::Queue queue_;
  keel::Buffer a_, b_, y_;
};

TEST_F(OpRunChecksTest, ValidCallRuns) {
  const auto [code, message] = run_add(f32(a_, {2, 2}), f32(b_, {2}), f32(y_, {2, 2}));
  EXPECT_EQ(code, KEEL_STATUS_OK) << message;
}

TEST_F(OpRunChecksTest, NullArgumentsAreNamed) {
  const keel_op_t* add = keel::Op::find("add").get();
  keel_status_t status = keel_op_run(nullptr, add, nullptr, nullptr, 0, nullptr, 0);
  EXPECT_EQ(keel_status_code(status), KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(std::string(keel_status_message(status)).find("'queue'"), std::string::npos);
  keel_status_release(status);
  status = keel_op_run(queue_.get(), nullptr, nullptr, nullptr, 0, nullptr, 0);
  EXPECT_NE(std::string(keel_status_message(status)).find("'op'"), std::string::npos);
  keel_status_release(status);
  status = keel_op_run(queue_.get(), add, nullptr, nullptr, 2, nullptr, 1);
  EXPECT_EQ(keel_status_code(status), KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(std::string(keel_status_message(status)).find("add: inputs is NULL"), std::string::npos);
  keel_status_release(status);
}

TEST_F(OpRunChecksTest, WrongInputCountNamesTheOperator) {
  const keel_tensor_t inputs[] = {f32(a_, {2})};
  const keel_tensor_t output = f32(y_, {2});
  keel_status_t status = keel_op_run(queue_.get(), keel::Op::find("add").get(), nullptr, inputs, 1, &output, 1);
  EXPECT_EQ(keel_status_code(status), KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(std::string(keel_status_message(status)).find("add: expects 2 inputs"), std::string::npos)
      << keel_status_message(status);
  keel_status_release(status);
}

TEST_F(OpRunChecksTest, OutputOfTheWrongShapeOrDtypeIsRejected) {
  auto [code, message] = run_add(f32(a_, {2, 2}), f32(b_, {2, 2}), f32(y_, {4}));
  EXPECT_EQ(code, KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(message.find("output 'y' is f32[4] but the inputs give f32[2,2]"), std::string::npos) << message;
  std::tie(code, message) = run_add(f32(a_, {2}), f32(b_, {2}), keel::make_tensor(y_.get(), KEEL_DTYPE_I32, {2}));
  EXPECT_EQ(code, KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(message.find("output 'y' is i32[2]"), std::string::npos) << message;
}

TEST_F(OpRunChecksTest, ShapeConstraintViolationNamesConstraintAndInputs) {
  const auto [code, message] = run_add(f32(a_, {2, 3}), f32(b_, {4}), f32(y_, {2, 3}));
  EXPECT_EQ(code, KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(message.find("add: constraint C1 violated"), std::string::npos) << message;
}

TEST_F(OpRunChecksTest, ViewsOutsideTheirBufferAreOutOfRange) {
  auto [code, message] = run_add(f32(a_, {32}), f32(b_, {32}), f32(y_, {32}));  // 128 bytes of 64
  EXPECT_EQ(code, KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_NE(message.find("input 'a' reaches outside its buffer of 64 bytes"), std::string::npos) << message;
  keel_tensor_t shifted = f32(b_, {4});
  shifted.byte_offset = 56;  // elements 14..17 of a 16-element buffer
  std::tie(code, message) = run_add(f32(a_, {4}), shifted, f32(y_, {4}));
  EXPECT_EQ(code, KEEL_STATUS_OUT_OF_RANGE) << message;
  keel_tensor_t backwards = f32(a_, {4});
  backwards.strides[0] = -1;  // reaches three elements before byte 0
  std::tie(code, message) = run_add(backwards, f32(b_, {4}), f32(y_, {4}));
  EXPECT_EQ(code, KEEL_STATUS_OUT_OF_RANGE) << message;
  backwards.byte_offset = 12;  // now exactly elements 3, 2, 1, 0
  std::tie(code, message) = run_add(backwards, f32(b_, {4}), f32(y_, {4}));
  EXPECT_EQ(code, KEEL_STATUS_OK) << message;
}

TEST_F(OpRunChecksTest, MisalignedOffsetIsRejected) {
  keel_tensor_t misaligned = f32(a_, {2});
  misaligned.byte_offset = 2;
  const auto [code, message] = run_add(misaligned, f32(b_, {2}), f32(y_, {2}));
  EXPECT_EQ(code, KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(message.find("not a multiple of its element size"), std::string::npos) << message;
}

TEST_F(OpRunChecksTest, BufferOnAnotherDeviceIsRejected) {
  keel::Buffer elsewhere = keel::Buffer::allocate(runtime_.find_device("fixture_dispatch:0"), 64);
  const auto [code, message] = run_add(f32(a_, {2}), f32(elsewhere, {2}), f32(y_, {2}));
  EXPECT_EQ(code, KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(message.find("input 'b' lives on fixture_dispatch:0, not on reference:0"), std::string::npos) << message;
}

TEST_F(OpRunChecksTest, BadDtypeAndRankAreRejected) {
  keel_tensor_t bad = f32(a_, {2});
  bad.dtype = 77;
  auto [code, message] = run_add(bad, f32(b_, {2}), f32(y_, {2}));
  EXPECT_EQ(code, KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(message.find("input 'a' has an invalid dtype"), std::string::npos) << message;
  bad = f32(a_, {2});
  bad.rank = KEEL_MAX_RANK + 1;
  std::tie(code, message) = run_add(bad, f32(b_, {2}), f32(y_, {2}));
  EXPECT_EQ(code, KEEL_STATUS_INVALID_ARGUMENT) << message;
}

TEST_F(OpRunChecksTest, BadAttributesAreRejected) {
  keel_softmax_attrs_t attrs = KEEL_SOFTMAX_ATTRS_INIT;
  attrs.struct_size = 3;  // not even a size_t
  const keel_tensor_t input = f32(a_, {4});
  const keel_tensor_t output = f32(y_, {4});
  keel_status_t status = keel_op_run(queue_.get(), keel::Op::find("softmax").get(), &attrs, &input, 1, &output, 1);
  EXPECT_EQ(keel_status_code(status), KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(std::string(keel_status_message(status)).find("softmax: attrs:"), std::string::npos)
      << keel_status_message(status);
  keel_status_release(status);
}

TEST_F(OpRunChecksTest, UnknownOperatorIsNotFound) {
  const keel_op_t* op = nullptr;
  keel_status_t status = keel_op_find("no_such_op", &op);
  EXPECT_EQ(keel_status_code(status), KEEL_STATUS_NOT_FOUND);
  EXPECT_EQ(op, nullptr);
  keel_status_release(status);
}

TEST_F(OpRunChecksTest, InferNeedsNoDevice) {
  const int64_t axes[] = {-1};
  keel_reduce_sum_attrs_t attrs = KEEL_REDUCE_SUM_ATTRS_INIT;
  attrs.axes = axes;
  attrs.axes_count = 1;
  attrs.keepdims = 1;
  const keel_tensor_t input = keel::make_tensor(nullptr, KEEL_DTYPE_I64, {3, 5});
  const std::vector<keel_tensor_t> out = keel::Op::find("reduce_sum").infer(&attrs, {&input, 1});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].dtype, static_cast<keel_dtype_t>(KEEL_DTYPE_I64));
  ASSERT_EQ(out[0].rank, 2u);
  EXPECT_EQ(out[0].shape[0], 3);
  EXPECT_EQ(out[0].shape[1], 1);
  EXPECT_EQ(out[0].strides[0], 1);
  EXPECT_EQ(out[0].strides[1], 1);
}

}  // namespace
