// ONNX backend node tests that cannot pass on the spec, with the reason (operators the importer accepts but
// whose test relies on something the spec does not define). Tests the importer itself rejects are reported
// with the importer's message and are not listed here.
#pragma once

#include <string_view>

namespace keel::onnx_import::testing {

// The reason `test` is unsupported, or nullptr.
const char* known_unsupported(std::string_view test);

}  // namespace keel::onnx_import::testing
