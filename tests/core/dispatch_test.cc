// Op dispatch against the dispatch fixture (tests/fixtures/fixture_kernels.c): three "add" kernels with
// different priorities, version ranges, layout needs and supports() answers. The fixture counts, through
// device attributes, how often each kernel ran and how many states it created and released.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "keel/keel.hpp"

namespace {

class DispatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keel::RuntimeOptions options;
    options.plugin_paths = {KEEL_TEST_FIXTURE_DIR "/dispatch/libkeel_fixture_dispatch.so"};
    options.use_env_path = false;
    options.use_manifests = false;
    runtime_ = keel::Runtime::create(options);
    ASSERT_EQ(runtime_.devices().size(), 1u);
    queue_ = keel::Queue::create(device());
    // The counters live in the fixture library, which may stay loaded between tests: count from here.
    for (const keel_attribute_t& attribute : device().attributes()) baseline_[attribute.key] = std::stoull(attribute.value);
  }

  keel::Device device() const { return runtime_.devices()[0]; }

  // How often `key` happened since SetUp.
  uint64_t counter(const std::string& key) const {
    for (const keel_attribute_t& attribute : device().attributes()) {
      if (key == attribute.key) return std::stoull(attribute.value) - baseline_.at(key);
    }
    ADD_FAILURE() << "no attribute " << key;
    return 0;
  }

  keel::Buffer floats(const std::vector<float>& values) {
    keel::Buffer buffer = keel::Buffer::allocate(device(), values.size() * sizeof(float));
    buffer.write(std::span<const float>(values));
    return buffer;
  }

  // Runs add(a, b) with the given views; returns the output buffer's contents, or throws keel::Error.
  std::vector<float> add(keel_tensor_t a, keel_tensor_t b) {
    const keel::Op op = keel::Op::find("add");
    keel_tensor_t inputs[] = {a, b};
    std::vector<keel_tensor_t> outputs = op.infer(nullptr, inputs);
    keel::Buffer out = keel::Buffer::allocate(device(), keel::element_count(outputs[0]) * sizeof(float));
    outputs[0].buffer = out.get();
    queue_.run(op, nullptr, inputs, outputs);
    queue_.synchronize();
    return out.read_all<float>();
  }

  keel::Runtime runtime_;
  keel::Queue queue_;
  std::map<std::string, uint64_t> baseline_;
};

TEST_F(DispatchTest, HighestPriorityKernelThatAcceptsRuns) {
  keel::Buffer a = floats({1, 2, 3});
  keel::Buffer b = floats({10, 20, 30});
  const std::vector<float> y = add(keel::make_tensor(a.get(), KEEL_DTYPE_F32, {3}),
                                   keel::make_tensor(b.get(), KEEL_DTYPE_F32, {3}));
  EXPECT_EQ(y, (std::vector<float>{11, 22, 33}));
  // add_future has a higher priority but the wrong op version; add_small accepts rank 1.
  EXPECT_EQ(counter("computes.add_small"), 1u);
  EXPECT_EQ(counter("computes.add_dense"), 0u);
}

TEST_F(DispatchTest, LowerPriorityKernelRunsWhenAHigherOneDeclines) {
  keel::Buffer a = floats({1, 2, 3, 4});
  keel::Buffer b = floats({5, 6, 7, 8});
  const std::vector<float> y = add(keel::make_tensor(a.get(), KEEL_DTYPE_F32, {2, 2}),
                                   keel::make_tensor(b.get(), KEEL_DTYPE_F32, {2, 2}));
  EXPECT_EQ(y, (std::vector<float>{6, 8, 10, 12}));
  EXPECT_EQ(counter("computes.add_small"), 0u);  // declined: rank 2
  EXPECT_EQ(counter("computes.add_dense"), 1u);
}

TEST_F(DispatchTest, NoKernelGivesUnimplementedWithEveryReason) {
  keel::Buffer a = floats({1, 2, 3, 4, 5, 6});
  keel::Buffer b = floats({1, 2, 3});
  try {
    add(keel::make_tensor(a.get(), KEEL_DTYPE_F32, {2, 3}), keel::make_tensor(b.get(), KEEL_DTYPE_F32, {3}));
    FAIL() << "a broadcasting rank-2 add has no kernel in the fixture";
  } catch (const keel::Error& error) {
    EXPECT_EQ(error.code(), KEEL_STATUS_UNIMPLEMENTED);
    const std::string message = error.what();
    EXPECT_NE(message.find("fixture.add_future: implements versions 2-3"), std::string::npos) << message;
    EXPECT_NE(message.find("fixture.add_small: handles rank <= 1 only"), std::string::npos) << message;
    EXPECT_NE(message.find("fixture.add_dense: inputs must have the output's shape"), std::string::npos) << message;
  }
}

TEST_F(DispatchTest, ContiguousOnlyKernelSkipsStridedViews) {
  keel::Buffer a = floats({1, 2, 3, 4});
  keel::Buffer b = floats({5, 6, 7, 8});
  keel_tensor_t transposed = keel::make_tensor(a.get(), KEEL_DTYPE_F32, {2, 2});
  std::swap(transposed.strides[0], transposed.strides[1]);
  try {
    add(transposed, keel::make_tensor(b.get(), KEEL_DTYPE_F32, {2, 2}));
    FAIL() << "a transposed input suits no fixture kernel";
  } catch (const keel::Error& error) {
    EXPECT_EQ(error.code(), KEEL_STATUS_UNIMPLEMENTED);
    EXPECT_NE(std::string(error.what()).find("fixture.add_dense: needs contiguous tensors"), std::string::npos)
        << error.what();
  }
}

TEST_F(DispatchTest, UnacceptedDtypeIsNamed) {
  keel::Buffer a = keel::Buffer::allocate(device(), 3 * sizeof(int32_t));
  keel::Buffer b = keel::Buffer::allocate(device(), 3 * sizeof(int32_t));
  const keel::Op op = keel::Op::find("add");
  keel_tensor_t inputs[] = {keel::make_tensor(a.get(), KEEL_DTYPE_I32, {3}), keel::make_tensor(b.get(), KEEL_DTYPE_I32, {3})};
  std::vector<keel_tensor_t> outputs = op.infer(nullptr, inputs);
  keel_status_t status = keel_device_supports_op(device().get(), op.get(), nullptr, inputs, 2, outputs.data(), 1);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(keel_status_code(status), KEEL_STATUS_UNIMPLEMENTED);
  EXPECT_NE(std::string(keel_status_message(status)).find("fixture.add_small: dtype i32 not accepted (f32)"),
            std::string::npos)
      << keel_status_message(status);
  keel_status_release(status);
}

TEST_F(DispatchTest, SupportsQueryAgreesWithRunAndRunsNothing) {
  const keel::Op op = keel::Op::find("add");
  keel_tensor_t inputs[] = {keel::make_tensor(nullptr, KEEL_DTYPE_F32, {4}), keel::make_tensor(nullptr, KEEL_DTYPE_F32, {4})};
  std::vector<keel_tensor_t> outputs = op.infer(nullptr, inputs);
  EXPECT_EQ(keel_device_supports_op(device().get(), op.get(), nullptr, inputs, 2, outputs.data(), 1), nullptr);
  EXPECT_EQ(counter("computes.add_small") + counter("computes.add_dense"), 0u);
  EXPECT_EQ(counter("states.created"), counter("states.released"));  // a query keeps no state
}

TEST_F(DispatchTest, KernelStateIsCreatedOncePerSignature) {
  keel::Buffer a = floats({1, 2, 3, 4});
  keel::Buffer b = floats({1, 1, 1, 1});
  for (int i = 0; i < 5; ++i) {
    add(keel::make_tensor(a.get(), KEEL_DTYPE_F32, {4}), keel::make_tensor(b.get(), KEEL_DTYPE_F32, {4}));
  }
  EXPECT_EQ(counter("states.created"), 1u);
  add(keel::make_tensor(a.get(), KEEL_DTYPE_F32, {3}), keel::make_tensor(b.get(), KEEL_DTYPE_F32, {3}));
  EXPECT_EQ(counter("states.created"), 2u);  // a new shape is a new signature
  EXPECT_EQ(counter("computes.add_small"), 6u);
}

TEST_F(DispatchTest, StatesBeyondTheCacheAreReleasedAfterTheirCall) {
  // More distinct signatures than the per-device cache keeps: the surplus states must still be released.
  constexpr int kSignatures = 4096 + 20;
  keel::Buffer a = floats(std::vector<float>(kSignatures, 1.0f));
  for (int n = 1; n <= kSignatures; ++n) {
    add(keel::make_tensor(a.get(), KEEL_DTYPE_F32, {n}), keel::make_tensor(a.get(), KEEL_DTYPE_F32, {1}));
  }
  const uint64_t created = counter("states.created");
  const uint64_t released = counter("states.released");
  EXPECT_EQ(created, static_cast<uint64_t>(kSignatures));
  EXPECT_GE(released, 20u);
  EXPECT_LT(released, created);  // the cached ones live until the runtime goes
}

}  // namespace
