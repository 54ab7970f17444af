// keel_write_onnx_node_list <reference plugin> <list file>: runs every installed ONNX backend node test on
// the reference plugin and writes conformance/graph/onnx-node-tests.txt (see onnx_node_list.h). Run through
// the keel_update_onnx_node_list target, then keel_update_conformance_lists.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <vector>

#include "keel/keel.hpp"
#include "layers/graph/onnx_node_cases.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <reference plugin library> <list file>\n", argv[0]);
    return 2;
  }
  try {
    if (!std::filesystem::is_directory(keel::conform::onnx_node_test_root())) {
      std::fprintf(stderr, "%s is missing: install libonnx-testdata\n", keel::conform::onnx_node_test_root().c_str());
      return 1;
    }
    keel::RuntimeOptions options;
    options.plugin_paths = {argv[1]};
    options.use_env_path = false;
    options.use_manifests = false;
    const keel::Runtime runtime = keel::Runtime::create(options);
    const std::vector<keel::Device> devices = runtime.devices();
    if (devices.empty()) {
      std::fprintf(stderr, "%s provides no device\n", argv[1]);
      return 1;
    }
    const std::string device = devices.front().name();
    const std::string text =
        keel::conform::generate_onnx_node_list(runtime, device, keel::conform::onnx_node_test_root());
    std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      std::fprintf(stderr, "cannot write %s\n", argv[2]);
      return 1;
    }
    std::printf("wrote %s\n", argv[2]);
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
}
