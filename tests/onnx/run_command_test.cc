// `keel run` end to end: an ONNX node test's model with a .npy input, the written output checked against a
// formula in double precision, and the exit status of bad command lines and bad models.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

#include "graph/io/npy.h"
#include "graph/serialize/graph_file.h"
#include "onnx/onnx_pb.h"
#include "onnx/tensor_proto.h"

namespace keel::onnx_import {
namespace {

namespace fs = std::filesystem;

constexpr const char* kModel = "/usr/share/libonnx-testdata/data/node/test_relu/model.onnx";

int keel_run(const std::string& args) {
  const std::string command = std::string(KEEL_CLI_PATH) +
                              " --no-env --no-manifests --plugin-path " KEEL_BUILD_PLUGIN_DIR " run " + args +
                              " > /dev/null 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class RunCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kModel)) GTEST_SKIP() << kModel << " is missing (package libonnx-testdata)";
    dir_ = fs::temp_directory_path() / ("keel_run_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(RunCommand, WritesOutputsAsNpy) {
  graph::HostTensor x(KEEL_DTYPE_F32, {3, 4, 5});
  for (int64_t i = 0; i < x.numel(); ++i) x.set(i, 0.125 * static_cast<double>(i % 13) - 0.75);
  graph::write_npy(x, (dir_ / "x.npy").string());
  ASSERT_EQ(keel_run(std::string(kModel) + " --input x=" + (dir_ / "x.npy").string() + " --output-dir " +
                     (dir_ / "out").string() + " --device reference:0 --dump-passes"),
            0);
  const graph::HostTensor y = graph::read_npy((dir_ / "out" / "y.npy").string());
  ASSERT_EQ(y.shape(), x.shape());
  for (int64_t i = 0; i < x.numel(); ++i) EXPECT_EQ(y.get(i), std::max(0.0, x.get(i)));
}

TEST_F(RunCommand, RunsKeelGraphFiles) {
  // y = x · x + x as a Keel graph, in both serialized forms.
  graph::Graph g;
  g.name = "square_plus";
  const graph::ValueId x = g.add_value("x", graph::ValueType::of(KEEL_DTYPE_F64, std::vector<int64_t>{4}));
  const graph::ValueId sq = g.nodes[static_cast<size_t>(g.add_op("mul", {x, x}, {}))].outputs[0];
  const graph::NodeId add = g.add_op("add", {sq, x}, {}, 1, "y");
  g.inputs = {x};
  g.outputs = {g.nodes[static_cast<size_t>(add)].outputs[0]};
  const std::string out_name = g.value(g.outputs[0]).name;
  graph::HostTensor in(KEEL_DTYPE_F64, {4});
  for (int64_t i = 0; i < 4; ++i) in.set(i, 0.5 * static_cast<double>(i) - 1);
  graph::write_npy(in, (dir_ / "x.npy").string());
  for (const char* file : {"g.json", "g.kgraph"}) {
    graph::save_graph(g, (dir_ / file).string());
    ASSERT_EQ(keel_run((dir_ / file).string() + " --no-optimize --input x=" + (dir_ / "x.npy").string() +
                       " --output-dir " + (dir_ / "out").string()),
              0)
        << file;
    const graph::HostTensor y = graph::read_npy((dir_ / "out" / (out_name + ".npy")).string());
    for (int64_t i = 0; i < 4; ++i) EXPECT_EQ(y.get(i), in.get(i) * in.get(i) + in.get(i)) << file;
  }
}

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The same exported models through `keel run` on every CPU device of this build: each device's outputs match
// the ONNX test's expected ones (ONNX backend tolerance), and the devices match each other.
TEST_F(RunCommand, EveryCpuDeviceGivesTheExpectedOutputs) {
  const std::vector<std::string> tests = {"test_conv_with_strides_padding", "test_gemm_default_matrix_bias",
                                          "test_softmax_axis_1", "test_maxpool_2d_pads", "test_batchnorm_example",
                                          "test_averagepool_2d_pads"};
  std::vector<std::string> devices = {"reference:0"};
  const fs::path plugin_dir = KEEL_BUILD_PLUGIN_DIR;
  if (fs::exists(plugin_dir / "libkeel_onednn.so")) devices.push_back("onednn:0");
  for (const std::string& test : tests) {
    const fs::path dir = fs::path("/usr/share/libonnx-testdata/data/node") / test;
    onnx::ModelProto model;
    ASSERT_TRUE(model.ParseFromString(file_bytes(dir / "model.onnx"))) << test;
    std::string inputs;
    for (int i = 0; i < model.graph().input_size(); ++i) {
      const graph::HostTensor t = tensor_from_proto_bytes(
          file_bytes(dir / "test_data_set_0" / ("input_" + std::to_string(i) + ".pb")), test);
      const fs::path npy = dir_ / (test + "_in" + std::to_string(i) + ".npy");
      graph::write_npy(t, npy.string());
      inputs += " --input " + model.graph().input(i).name() + "=" + npy.string();
    }
    const std::string output = model.graph().output(0).name();
    const graph::HostTensor expected =
        tensor_from_proto_bytes(file_bytes(dir / "test_data_set_0" / "output_0.pb"), test);
    std::vector<graph::HostTensor> results;
    for (const std::string& device : devices) {
      const fs::path out = dir_ / (test + "_" + device.substr(0, device.find(':')));
      ASSERT_EQ(keel_run((dir / "model.onnx").string() + inputs + " --output-dir " + out.string() + " --device " + device), 0)
          << test << " on " << device;
      results.push_back(graph::read_npy((out / (output + ".npy")).string()));
      const graph::HostTensor& y = results.back();
      ASSERT_EQ(y.shape(), expected.shape()) << test << " on " << device;
      for (int64_t i = 0; i < y.numel(); ++i) {
        EXPECT_LE(std::fabs(y.get(i) - expected.get(i)), 1e-5 + 1e-3 * std::fabs(expected.get(i)))
            << test << " on " << device << ", element " << i;
      }
    }
    for (size_t d = 1; d < results.size(); ++d) {
      for (int64_t i = 0; i < results[0].numel(); ++i) {
        EXPECT_LE(std::fabs(results[d].get(i) - results[0].get(i)), 1e-5 * (1 + std::fabs(results[0].get(i))))
            << test << ": " << devices[d] << " vs " << devices[0] << ", element " << i;
      }
    }
  }
  std::printf("[   NOTE   ] keel run compared on: %zu device(s)\n", devices.size());
}

TEST_F(RunCommand, ExitStatus) {
  const std::string out = " --output-dir " + (dir_ / "out").string();
  EXPECT_EQ(keel_run(""), 2);                                        // no model
  EXPECT_EQ(keel_run(std::string(kModel)), 2);                       // no --output-dir
  EXPECT_EQ(keel_run(std::string(kModel) + out + " --input x"), 2);  // not NAME=FILE
  EXPECT_EQ(keel_run(std::string(kModel) + out + " --bogus"), 2);
  EXPECT_EQ(keel_run(std::string(kModel) + out), 1);  // the input is missing
  EXPECT_EQ(keel_run(std::string(kModel) + out + " --input x=" + (dir_ / "none.npy").string()), 1);
  EXPECT_EQ(keel_run((dir_ / "missing.onnx").string() + out), 1);
}

}  // namespace
}  // namespace keel::onnx_import
