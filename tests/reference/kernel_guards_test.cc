// What the kernels do with calls libkeel would normally have screened: unaligned views, views reaching past
// their buffer, disagreeing shapes and dtypes, older attribute structs. Run against the plugin's own tables
// (the direct backend), where nothing stands in between.
#include <gtest/gtest.h>

#include "harness/numeric.h"
#include "harness/session.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

class KernelGuards : public testing::Test {
 protected:
  Session session_{"direct"};
};

TEST_F(KernelGuards, UnalignedViewsComputeNormally) {
  Layout odd;
  odd.label = "misaligned";
  odd.misalign = 3;
  odd.reversed = {1};
  Layout odder = odd;
  odder.misalign = 1;
  const HostTensor a = tensor_of(KEEL_DTYPE_F64, {2, 3}, {1, 2, 3, 4, 5, 6});
  const HostTensor b = tensor_of(KEEL_DTYPE_F64, {3}, {0.5, 0.25, -1});
  const DeviceTensor y = session_.output(KEEL_DTYPE_F64, {2, 3}, odder);
  ASSERT_TRUE(session_.run("add", nullptr, {session_.upload(a, odd), session_.upload(b, odder)}, {y}).ok());
  EXPECT_TRUE(exactly(session_.download(y), tensor_of(KEEL_DTYPE_F64, {2, 3}, {1.5, 2.25, 2, 4.5, 5.25, 5})));

  const keel_cast_attrs_t to_f32 = {sizeof to_f32, KEEL_DTYPE_F32};
  const HostTensor big = tensor_of(KEEL_DTYPE_I64, {2}, {16777217, -3});
  const DeviceTensor z = session_.output(KEEL_DTYPE_F32, {2}, odd);
  ASSERT_TRUE(session_.run("cast", &to_f32, {session_.upload(big, odder)}, {z}).ok());
  EXPECT_TRUE(exactly(session_.download(z), tensor_of(KEEL_DTYPE_F32, {2}, {16777216, -3})));
}

TEST_F(KernelGuards, ViewsPastTheirBufferAreOutOfRange) {
  const HostTensor x = tensor_of(KEEL_DTYPE_F32, {4}, {1, 2, 3, 4});
  DeviceTensor in = session_.upload(x);
  DeviceTensor out = session_.output(KEEL_DTYPE_F32, {4});
  DeviceTensor too_long = in;
  too_long.shape = {8};  // the buffer holds 4 elements (and a few spare bytes)
  DeviceTensor out_long = out;
  out_long.shape = {8};
  Outcome outcome = session_.run("neg", nullptr, {too_long}, {out_long});
  EXPECT_EQ(outcome.code, KEEL_STATUS_OUT_OF_RANGE) << outcome.message;
  EXPECT_NE(outcome.message.find("reference.neg"), std::string::npos) << outcome.message;

  DeviceTensor backwards = in;
  backwards.strides = {-1};  // walks below byte 0
  outcome = session_.run("neg", nullptr, {backwards}, {out});
  EXPECT_EQ(outcome.code, KEEL_STATUS_OUT_OF_RANGE) << outcome.message;

  DeviceTensor huge = in;
  huge.shape = {3};
  huge.strides = {int64_t{1} << 62};  // the extent overflows int64
  DeviceTensor out3 = out;
  out3.shape = {3};
  outcome = session_.run("neg", nullptr, {huge}, {out3});
  EXPECT_EQ(outcome.code, KEEL_STATUS_OUT_OF_RANGE) << outcome.message;
  EXPECT_TRUE(bitwise(session_.download(out), session_.download(session_.output(KEEL_DTYPE_F32, {4}))))
      << "nothing was written";
}

TEST_F(KernelGuards, DisagreeingOutputsAreInvalidArguments) {
  const HostTensor a = tensor_of(KEEL_DTYPE_F32, {2, 3}, {1, 2, 3, 4, 5, 6});
  const HostTensor b = tensor_of(KEEL_DTYPE_F32, {3}, {1, 2, 3});
  Outcome outcome =
      session_.run("add", nullptr, {session_.upload(a), session_.upload(b)}, {session_.output(KEEL_DTYPE_F32, {3, 2})});
  EXPECT_EQ(outcome.code, KEEL_STATUS_INVALID_ARGUMENT) << outcome.message;
  EXPECT_NE(outcome.message.find("output y"), std::string::npos) << outcome.message;

  outcome =
      session_.run("add", nullptr, {session_.upload(a), session_.upload(b)}, {session_.output(KEEL_DTYPE_F64, {2, 3})});
  EXPECT_EQ(outcome.code, KEEL_STATUS_INVALID_ARGUMENT) << outcome.message;

  const keel_cast_attrs_t to_i32 = {sizeof to_i32, KEEL_DTYPE_I32};
  outcome = session_.run("cast", &to_i32, {session_.upload(b)}, {session_.output(KEEL_DTYPE_I64, {3})});
  EXPECT_EQ(outcome.code, KEEL_STATUS_INVALID_ARGUMENT) << outcome.message;
  EXPECT_NE(outcome.message.find("to"), std::string::npos) << outcome.message;
}

TEST_F(KernelGuards, UnknownDtypesSayWhy) {
  const keel_cast_attrs_t to_f16 = {sizeof to_f16, KEEL_DTYPE_F16};
  const HostTensor x = tensor_of(KEEL_DTYPE_F32, {2}, {1, 2});
  DeviceTensor y = session_.output(KEEL_DTYPE_F32, {2});
  y.dtype = 42;  // not a dtype at all; cast's registration only screens the input's
  const Outcome outcome = session_.run("cast", &to_f16, {session_.upload(x)}, {y});
  EXPECT_EQ(outcome.code, KEEL_STATUS_UNIMPLEMENTED) << outcome.message;
  EXPECT_NE(outcome.message.find("42"), std::string::npos) << outcome.message;
}

TEST_F(KernelGuards, AbsentOptionalInputsAreAccepted) {
  // conv's bias left out: a descriptor of dtype KEEL_DTYPE_INVALID with no buffer.
  const HostTensor x = tensor_of(KEEL_DTYPE_F32, {1, 1, 3}, {1, 2, 3});
  const HostTensor w = tensor_of(KEEL_DTYPE_F32, {1, 1, 2}, {1, -1});
  const DeviceTensor y = session_.output(KEEL_DTYPE_F32, {1, 1, 2});
  const Outcome outcome = session_.run("conv", nullptr, {session_.upload(x), session_.upload(w), DeviceTensor{}}, {y});
  ASSERT_TRUE(outcome.ok()) << outcome.message;
  EXPECT_TRUE(exactly(session_.download(y), tensor_of(KEEL_DTYPE_F32, {1, 1, 2}, {-1, -1})));
}

TEST_F(KernelGuards, OlderAttributeStructsGetTheDefaultsForWhatTheyLack) {
  const HostTensor x = tensor_of(KEEL_DTYPE_I32, {2, 3}, {1, 2, 3, 4, 5, 6});
  const std::vector<int64_t> axes = {1};
  keel_reduce_sum_attrs_t attrs = {sizeof attrs, axes.data(), axes.size(), 1};
  attrs.struct_size = KEEL_STRUCT_SIZE_UNTIL(keel_reduce_sum_attrs_t, axes_count);  // no keepdims field yet
  const DeviceTensor y = session_.output(KEEL_DTYPE_I32, {2});                      // keepdims = false
  const Outcome outcome = session_.run("reduce_sum", &attrs, {session_.upload(x)}, {y});
  ASSERT_TRUE(outcome.ok()) << outcome.message;
  EXPECT_TRUE(exactly(session_.download(y), tensor_of(KEEL_DTYPE_I32, {2}, {6, 15})));

  keel_softmax_attrs_t softmax = {sizeof softmax, 0};
  softmax.struct_size = sizeof(size_t);  // no axis: the default -1
  const HostTensor s = tensor_of(KEEL_DTYPE_F64, {2, 2}, {0, 0, 5, 5});
  const DeviceTensor z = session_.output(KEEL_DTYPE_F64, {2, 2});
  ASSERT_TRUE(session_.run("softmax", &softmax, {session_.upload(s)}, {z}).ok());
  EXPECT_TRUE(exactly(session_.download(z), tensor_of(KEEL_DTYPE_F64, {2, 2}, {0.5, 0.5, 0.5, 0.5})));
}

}  // namespace
}  // namespace keel::reference_test
