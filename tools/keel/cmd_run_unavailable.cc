// keel run in a build without ONNX and protobuf (core/onnx is not built): the command says why it is missing.
#include <cstdio>

#include "cmd_run.h"

namespace keel::cli {

int run_model(const GlobalOptions&, int, char**) {
  std::fprintf(stderr, "keel run: this keel was built without ONNX and protobuf (libonnx-dev, libprotobuf-dev)\n");
  return kExitFailure;
}

}  // namespace keel::cli
