// ONNX backend node tests that cannot pass on the spec, with the reason: operators the importer accepts but
// whose test relies on something the spec does not define. Tests the importer itself rejects are reported
// with the importer's message and are not listed here.
#include "onnx/node_tests.h"

namespace keel::onnx_import {
namespace {

struct Exclusion {
  std::string_view test;
  const char* reason;
};

constexpr Exclusion kExclusions[] = {
    {"test_resize_downsample_scales_linear_align_corners",
     "ONNX 1.12's reference maps align_corners through the unrounded output length D·scale; the spec (like ONNX "
     "Runtime) uses the integer output size"},
};

}  // namespace

const char* known_unsupported(std::string_view test) {
  for (const Exclusion& exclusion : kExclusions) {
    if (test == exclusion.test) return exclusion.reason;
  }
  return nullptr;
}

}  // namespace keel::onnx_import
