// `keel run` end to end: an ONNX node test's model with a .npy input, the written output checked against a
// formula in double precision, and the exit status of bad command lines and bad models.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "graph/io/npy.h"
#include "graph/serialize/graph_file.h"

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
