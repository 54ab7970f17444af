// The reference plugin as frameworks meet it through libkeel: loading, the device, and what keel_op_run
// answers for calls the spec rejects or the plugin does not implement.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "harness/backend.h"
#include "keel/keel_ops.h"
#include "keel/keel_runtime.h"
#include "spec/op_schema.h"

namespace keel::reference_test {
namespace {

struct Status {
  keel_status_code_t code = KEEL_STATUS_OK;
  std::string message;
};

Status take(keel_status_t status) {
  Status result{keel_status_code(status), keel_status_message(status)};
  keel_status_release(status);
  return result;
}

class Libkeel : public testing::Test {
 protected:
  void SetUp() override {
    const std::string path = reference_plugin_path();
    const char* paths[] = {path.c_str()};
    keel_runtime_options_t options{};
    options.struct_size = sizeof options;
    options.plugin_paths = paths;
    options.plugin_path_count = 1;
    options.skip_env_path = 1;
    options.skip_manifests = 1;
    ASSERT_EQ(take(keel_runtime_create(&options, &runtime_)).message, "");
    ASSERT_EQ(take(keel_runtime_find_device(runtime_, "reference:0", &device_)).message, "");
    ASSERT_EQ(take(keel_queue_create(device_, nullptr, &queue_)).message, "");
  }

  void TearDown() override {
    for (keel_buffer_t* buffer : buffers_) keel_buffer_release(buffer);
    keel_queue_release(queue_);
    keel_runtime_release(runtime_);
  }

  // A dense tensor of the given dtype and shape in a fresh buffer.
  keel_tensor_t tensor(keel_dtype_t dtype, const std::vector<int64_t>& shape) {
    keel_tensor_t t{};
    t.dtype = dtype;
    t.rank = static_cast<uint32_t>(shape.size());
    int64_t count = 1;
    for (size_t k = shape.size(); k-- > 0;) {
      t.shape[k] = shape[k];
      t.strides[k] = count;
      count *= shape[k];
    }
    keel_buffer_allocate_args_t args{};
    args.struct_size = sizeof args;
    args.size = static_cast<uint64_t>(count) * (keel_dtype_size(dtype) == 0 ? 1 : keel_dtype_size(dtype));
    EXPECT_EQ(take(keel_buffer_allocate(device_, &args, &t.buffer)).message, "");
    buffers_.push_back(t.buffer);
    return t;
  }

  Status run(const char* op_name, const void* attrs, const std::vector<keel_tensor_t>& inputs,
             const std::vector<keel_tensor_t>& outputs) {
    const keel_op_t* op = nullptr;
    Status found = take(keel_op_find(op_name, &op));
    if (found.code != KEEL_STATUS_OK) return found;
    return take(keel_op_run(queue_, op, attrs, inputs.data(), inputs.size(), outputs.data(), outputs.size()));
  }

  // keel_op_infer's output shape for a shape-only call.
  std::vector<int64_t> infer(const char* op_name, const void* attrs, const std::vector<keel_tensor_t>& inputs) {
    const keel_op_t* op = nullptr;
    EXPECT_EQ(take(keel_op_find(op_name, &op)).message, "");
    keel_tensor_t out{};
    EXPECT_EQ(take(keel_op_infer(op, attrs, inputs.data(), inputs.size(), &out, 1)).message, "");
    return std::vector<int64_t>(out.shape, out.shape + out.rank);
  }

  keel_runtime_t* runtime_ = nullptr;
  keel_device_t* device_ = nullptr;
  keel_queue_t* queue_ = nullptr;
  std::vector<keel_buffer_t*> buffers_;
};

// Expects INVALID_ARGUMENT with a message naming the operator and the offending argument (libkeel quotes
// argument names: 'axes').
void expect_rejected(const Status& status, const char* op, const char* argument) {
  EXPECT_EQ(status.code, KEEL_STATUS_INVALID_ARGUMENT) << status.message;
  EXPECT_NE(status.message.find(op), std::string::npos) << status.message;
  EXPECT_NE(status.message.find(argument), std::string::npos) << status.message;
}

TEST_F(Libkeel, LoadsThePluginWithEveryKernel) {
  ASSERT_GE(keel_runtime_plugin_count(runtime_), 1u);
  keel_plugin_info_t info{};
  info.struct_size = sizeof info;
  ASSERT_EQ(take(keel_plugin_info(keel_device_plugin(device_), &info)).message, "");
  EXPECT_STREQ(info.name, "reference");
  EXPECT_EQ(info.abi_version, KEEL_ABI_VERSION);
  EXPECT_EQ(info.device_count, 1u);
  size_t primitives = 0;
  for (size_t i = 0; i < keel_op_count(); ++i) {
    keel_op_info_t op{};
    op.struct_size = sizeof op;
    ASSERT_EQ(take(keel_op_describe(keel_op_at(i), &op)).message, "");
    const spec::OpSchema* schema = spec::find_op(op.name);
    ASSERT_NE(schema, nullptr) << op.name;
    if (schema->composite()) continue;  // may be left to the core's lowering
    ++primitives;
    EXPECT_TRUE(keel_plugin_implements_op(keel_device_plugin(device_), keel_op_at(i))) << op.name;
  }
  EXPECT_EQ(info.kernel_count, primitives + 2);  // and relu and not_equal, composites it runs directly
}

TEST_F(Libkeel, DeviceThroughTheRuntime) {
  EXPECT_STREQ(keel_device_name(device_), "reference:0");
  keel_device_properties_t properties{};
  properties.struct_size = sizeof properties;
  ASSERT_EQ(take(keel_device_properties(device_, &properties)).message, "");
  EXPECT_STREQ(properties.name, "Keel reference CPU");
  EXPECT_EQ(properties.type, KEEL_DEVICE_TYPE_CPU);
  EXPECT_EQ(properties.capabilities & KEEL_CAP_ASYNC, 0u);
  size_t count = 0;
  ASSERT_EQ(take(keel_device_attributes(device_, nullptr, &count)).message, "");
  EXPECT_GE(count, 2u);
}

TEST_F(Libkeel, ImpossibleAllocationIsResourceExhausted) {
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof args;
  args.size = uint64_t{1} << 60;
  keel_buffer_t* buffer = nullptr;
  const Status status = take(keel_buffer_allocate(device_, &args, &buffer));
  EXPECT_EQ(status.code, KEEL_STATUS_RESOURCE_EXHAUSTED) << status.message;
  EXPECT_EQ(buffer, nullptr);
}

TEST_F(Libkeel, SpecConstraintsNameTheOperatorAndArgument) {
  const keel_dtype_t f32 = KEEL_DTYPE_F32;
  expect_rejected(run("add", nullptr, {tensor(f32, {2, 3}), tensor(f32, {4})}, {tensor(f32, {2, 3})}), "add", "'b'");

  const std::vector<int64_t> axis2 = {2};
  const keel_reduce_sum_attrs_t sum = {sizeof sum, axis2.data(), 1, 0};
  expect_rejected(run("reduce_sum", &sum, {tensor(f32, {2, 3})}, {tensor(f32, {2})}), "reduce_sum", "'axes'");

  const keel_softmax_attrs_t softmax = {sizeof softmax, 2};
  expect_rejected(run("softmax", &softmax, {tensor(f32, {2, 3})}, {tensor(f32, {2, 3})}), "softmax", "'axis'");

  const std::vector<int64_t> perm = {0, 2, 2};
  const keel_permute_attrs_t permute = {sizeof permute, perm.data(), perm.size()};
  expect_rejected(run("permute", &permute, {tensor(f32, {2, 3, 4})}, {tensor(f32, {2, 4, 4})}), "permute", "'perm'");

  const std::vector<int64_t> shape = {4, 2};
  const keel_reshape_attrs_t reshape = {sizeof reshape, shape.data(), shape.size()};
  expect_rejected(run("reshape", &reshape, {tensor(f32, {2, 3})}, {tensor(f32, {4, 2})}), "reshape", "'shape'");

  const std::vector<int64_t> zero = {0};
  const std::vector<int64_t> two = {2};
  const keel_slice_attrs_t slice = {sizeof slice, zero.data(), 1, two.data(), 1, nullptr, 0, zero.data(), 1};
  expect_rejected(run("slice", &slice, {tensor(f32, {4})}, {tensor(f32, {2})}), "slice", "'steps'");

  const keel_div_attrs_t div = {sizeof div, KEEL_DIV_ROUNDING_NONE};
  expect_rejected(
      run("div", &div, {tensor(KEEL_DTYPE_I32, {2}), tensor(KEEL_DTYPE_I32, {2})}, {tensor(KEEL_DTYPE_I32, {2})}),
      "div", "'rounding'");

  const keel_arange_attrs_t arange = {sizeof arange, 0.0, 4.0, 0.0, f32};
  expect_rejected(run("arange", &arange, {}, {tensor(f32, {4})}), "arange", "'delta'");

  const keel_concat_attrs_t concat = {sizeof concat, 2};
  expect_rejected(run("concat", &concat, {tensor(f32, {2, 3}), tensor(f32, {2, 3})}, {tensor(f32, {2, 6})}), "concat",
                  "'axis'");

  expect_rejected(run("matmul", nullptr, {tensor(f32, {2, 3}), tensor(f32, {4, 5})}, {tensor(f32, {2, 5})}), "matmul",
                  "'b'");
}

TEST_F(Libkeel, WrongOutputShapeIsRejected) {
  const keel_dtype_t f32 = KEEL_DTYPE_F32;
  const Status status = run("add", nullptr, {tensor(f32, {2, 3}), tensor(f32, {3})}, {tensor(f32, {3, 2})});
  EXPECT_EQ(status.code, KEEL_STATUS_INVALID_ARGUMENT) << status.message;
}

TEST_F(Libkeel, HalfPrecisionRunsLikeEveryOtherDtype) {
  // f16 and bf16 are registered like the core dtypes: the call reaches the kernel and succeeds.
  for (const keel_dtype_t half : {keel_dtype_t{KEEL_DTYPE_F16}, keel_dtype_t{KEEL_DTYPE_BF16}}) {
    const Status add = run("add", nullptr, {tensor(half, {2}), tensor(half, {2})}, {tensor(half, {2})});
    EXPECT_EQ(add.code, KEEL_STATUS_OK) << add.message;
    const keel_cast_attrs_t to_half = {sizeof to_half, half};
    const Status cast = run("cast", &to_half, {tensor(KEEL_DTYPE_F32, {2})}, {tensor(half, {2})});
    EXPECT_EQ(cast.code, KEEL_STATUS_OK) << cast.message;
  }
}

TEST_F(Libkeel, InferredShapesMatchTheTestsOwnShapeRules) {
  // The numeric suites compute output shapes themselves; check that libkeel agrees on the tricky ones.
  const keel_dtype_t f32 = KEEL_DTYPE_F32;
  const auto shape_only = [&](const std::vector<int64_t>& dims) {
    keel_tensor_t t{};
    t.dtype = f32;
    t.rank = static_cast<uint32_t>(dims.size());
    for (size_t k = 0; k < dims.size(); ++k) t.shape[k] = dims[k];
    return t;
  };
  EXPECT_EQ(infer("matmul", nullptr, {shape_only({2, 1, 3, 4}), shape_only({5, 4, 2})}),
            (std::vector<int64_t>{2, 5, 3, 2}));
  EXPECT_EQ(infer("matmul", nullptr, {shape_only({4}), shape_only({4})}), std::vector<int64_t>{});
  EXPECT_EQ(infer("matmul", nullptr, {shape_only({7}), shape_only({3, 7, 2})}), (std::vector<int64_t>{3, 2}));
  const std::vector<int64_t> axes = {1, -3};
  const keel_reduce_max_attrs_t max = {sizeof max, axes.data(), axes.size(), 1};
  EXPECT_EQ(infer("reduce_max", &max, {shape_only({2, 3, 4})}), (std::vector<int64_t>{1, 1, 4}));
  const std::vector<int64_t> starts = {-1};
  const std::vector<int64_t> ends = {std::numeric_limits<int64_t>::min()};
  const std::vector<int64_t> steps = {-3};
  const keel_slice_attrs_t slice = {sizeof slice, starts.data(), 1, ends.data(), 1, nullptr, 0, steps.data(), 1};
  EXPECT_EQ(infer("slice", &slice, {shape_only({10})}), (std::vector<int64_t>{4}));
  const keel_arange_attrs_t arange = {sizeof arange, 0.5, -3.7, -1.1, f32};
  EXPECT_EQ(infer("arange", &arange, {}), (std::vector<int64_t>{4}));
}

}  // namespace
}  // namespace keel::reference_test
