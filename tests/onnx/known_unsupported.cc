#include "known_unsupported.h"

namespace keel::onnx_import::testing {
namespace {

struct Entry {
  const char* test;
  const char* reason;
};

constexpr Entry kEntries[] = {
    {"test_resize_downsample_scales_linear_align_corners",
     "ONNX 1.12's reference maps align_corners through the unrounded output length D·scale; the spec (like ONNX "
     "Runtime) uses the integer output size"},
};

}  // namespace

const char* known_unsupported(std::string_view test) {
  for (const Entry& entry : kEntries) {
    if (test == entry.test) return entry.reason;
  }
  return nullptr;
}

}  // namespace keel::onnx_import::testing
