// The plugin as the loader and dispatcher see it: exported symbols, the device it reports, its kernel
// registrations (and that every one of them is covered by these tests), and supports() declining with
// reasons that reach the dispatch report.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "elf_exports.h"
#include "harness.h"

namespace keel::onednn_test {
namespace {

const std::string kPluginPath = KEEL_BUILD_PLUGIN_DIR "/libkeel_onednn.so";

TEST(PluginTest, ExportsExactlyTheTwoEntryPoints) {
  std::set<std::string> exports;
  std::string error;
  ASSERT_TRUE(keel::test::ReadElfExports(kPluginPath, &exports, &error)) << error;
  EXPECT_EQ(exports, (std::set<std::string>{"keel_plugin_init", "keel_plugin_probe"}));
}

std::string cpu_model_name() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "CPU";
}

TEST(PluginTest, ReportsTheHostCpuAsASynchronousDevice) {
  Harness& h = Harness::get();
  keel_device_properties_t props{};
  props.struct_size = sizeof props;
  ASSERT_EQ(consume(keel_device_properties(h.onednn(), &props)), KEEL_STATUS_OK);
  EXPECT_EQ(props.type, KEEL_DEVICE_TYPE_CPU);
  EXPECT_NE(std::string(props.name).find(cpu_model_name()), std::string::npos) << props.name;
  EXPECT_EQ(props.capabilities & KEEL_CAP_ASYNC, 0u) << "queue calls complete before they return";
  EXPECT_NE(props.capabilities & KEEL_CAP_UNIFIED, 0u);
  EXPECT_NE(props.capabilities & KEEL_CAP_IMPORT_HOST_PTR, 0u);
  EXPECT_EQ(props.memory_space_count, 1u);
  EXPECT_GT(props.memory_bytes, 0u);
  // compute_units is the OpenMP pool size: OMP_NUM_THREADS when set, else one per available CPU.
  const char* env = std::getenv("OMP_NUM_THREADS");
  const uint32_t expected = env != nullptr ? static_cast<uint32_t>(std::atoi(env)) : std::thread::hardware_concurrency();
  EXPECT_EQ(props.compute_units, expected);
  keel_device_properties_t reference{};
  reference.struct_size = sizeof reference;
  ASSERT_EQ(consume(keel_device_properties(h.reference(), &reference)), KEEL_STATUS_OK);
  EXPECT_NE(std::string(reinterpret_cast<const char*>(props.uuid), 16),
            std::string(reinterpret_cast<const char*>(reference.uuid), 16));
}

keel_plugin_t* onednn_plugin() { return keel_device_plugin(Harness::get().onednn()); }

// Ops whose kernels the numeric tests of this directory cover. A kernel added without tests fails below.
const std::set<std::string> kTestedOps = {
    "neg", "abs", "sign", "exp", "log", "sqrt", "tanh", "sigmoid", "relu",                 // unary_test
    "add", "sub", "mul", "div", "pow", "maximum", "minimum",                                 // binary_test
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "where",         // compare_select
    "cast", "full", "arange",                                                                // cast_creation
    "reduce_sum", "reduce_mean", "reduce_max", "softmax", "matmul",                          // reduce, softmax, matmul
    "reshape", "permute", "concat", "slice", "copy", "expand", "flip", "squeeze", "unsqueeze", // layout_test
    "reciprocal", "rsqrt", "sin", "cos", "erf", "floor", "ceil", "round", "isnan", "isinf", "logical_not",  // unary
    "fmod", "remainder", "logical_and", "logical_or", "logical_xor",                         // binary_test
    "reduce_min", "reduce_prod", "argmax", "argmin", "log_softmax",                          // reduce, softmax
    "conv", "conv_transpose", "conv_backward_weight",                                        // conv_test
    "max_pool", "avg_pool", "avg_pool_backward",                                             // pooling_test
    "gather", "gather_elements", "gather_nd", "scatter_elements", "scatter_nd", "one_hot",   // indexing_test
    "nonzero", "embedding_backward", "max_pool_backward",                                    // indexing_test
    "shape", "split", "tile", "trilu", "pad", "cumsum", "topk", "resize",                    // shape_ops_test
    "rng_uniform", "rng_normal", "bernoulli", "dropout",                                     // random_test
    "sgd_update", "adam_update",                                                             // optimizer_test
};

TEST(PluginTest, EveryKernelIsRegisteredAboveTheReferenceAndTested) {
  keel_plugin_info_t info{};
  info.struct_size = sizeof info;
  ASSERT_EQ(consume(keel_plugin_info(onednn_plugin(), &info)), KEEL_STATUS_OK);
  EXPECT_STREQ(info.name, "onednn");
  EXPECT_GE(info.kernel_count, kTestedOps.size());
  for (size_t i = 0; i < info.kernel_count; ++i) {
    keel_kernel_info_t kernel{};
    kernel.struct_size = sizeof kernel;
    ASSERT_EQ(consume(keel_plugin_kernel_info(onednn_plugin(), i, &kernel)), KEEL_STATUS_OK);
    EXPECT_EQ(std::string(kernel.kernel_name), std::string("onednn.") + kernel.op_name);
    EXPECT_GT(kernel.priority, 0);
    EXPECT_EQ(kernel.layout_flags, 0u) << "any strides";
    EXPECT_TRUE(kTestedOps.count(kernel.op_name)) << kernel.op_name << " has a kernel but no numeric test";
  }
}

keel_status_code_t supports(const char* op_name, const void* attrs, const std::vector<std::pair<keel_dtype_t, Dims>>& in,
                            std::string* message) {
  Harness& h = Harness::get();
  const keel_op_t* op = nullptr;
  EXPECT_EQ(consume(keel_op_find(op_name, &op)), KEEL_STATUS_OK);
  std::vector<keel_tensor_t> inputs(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    inputs[i].dtype = in[i].first;
    inputs[i].rank = static_cast<uint32_t>(in[i].second.size());
    int64_t stride = 1;
    for (size_t d = in[i].second.size(); d-- > 0;) {
      inputs[i].shape[d] = in[i].second[d];
      inputs[i].strides[d] = stride;
      stride *= in[i].second[d];
    }
  }
  keel_tensor_t out{};
  EXPECT_EQ(consume(keel_op_infer(op, attrs, inputs.data(), inputs.size(), &out, 1)), KEEL_STATUS_OK);
  return consume(keel_device_supports_op(h.onednn(), op, attrs, inputs.data(), inputs.size(), &out, 1), message);
}

TEST(PluginTest, DeclinesWhatItDoesNotComputeWithAReason) {
  std::string message;
  EXPECT_EQ(supports("matmul", nullptr, {{KEEL_DTYPE_F16, {4, 4}}, {KEEL_DTYPE_F16, {4, 4}}}, &message),
            KEEL_STATUS_UNIMPLEMENTED);
  EXPECT_NE(message.find("onednn.matmul"), std::string::npos) << message;
  EXPECT_NE(message.find("f16"), std::string::npos) << message;
  EXPECT_EQ(supports("matmul", nullptr, {{KEEL_DTYPE_F64, {4, 4}}, {KEEL_DTYPE_F64, {4, 4}}}, &message),
            KEEL_STATUS_UNIMPLEMENTED);
  EXPECT_NE(message.find("f64"), std::string::npos) << message;
  EXPECT_EQ(supports("softmax", nullptr, {{KEEL_DTYPE_BF16, {4, 4}}}, &message), KEEL_STATUS_UNIMPLEMENTED);
  EXPECT_NE(message.find("onednn.softmax"), std::string::npos) << message;
  EXPECT_EQ(supports("add", nullptr, {{KEEL_DTYPE_F16, {3}}, {KEEL_DTYPE_F16, {3}}}, &message),
            KEEL_STATUS_UNIMPLEMENTED);
  // What it does compute, it accepts.
  EXPECT_EQ(supports("matmul", nullptr, {{KEEL_DTYPE_BF16, {4, 4}}, {KEEL_DTYPE_BF16, {4, 4}}}, &message),
            KEEL_STATUS_OK) << message;
  EXPECT_EQ(supports("add", nullptr, {{KEEL_DTYPE_I64, {3}}, {KEEL_DTYPE_I64, {1}}}, &message), KEEL_STATUS_OK) << message;
  const keel_cast_attrs_t to_bf16 = {sizeof(keel_cast_attrs_t), KEEL_DTYPE_BF16};
  EXPECT_EQ(supports("cast", &to_bf16, {{KEEL_DTYPE_F32, {3}}}, &message), KEEL_STATUS_OK) << message;
}

}  // namespace
}  // namespace keel::onednn_test
