#include "layers/graph/graph_layer.h"

#include <algorithm>
#include <iterator>
#include <string_view>

#include "layers/graph/onnx_node_cases.h"
#include "layers/graph/onnx_node_list.h"

namespace keel::conform {
namespace {

// The node tests in --quick: a few common operators across the kinds of graph (elementwise, matmul,
// convolution, reduction, reshape, softmax, transpose).
constexpr std::string_view kQuickTests[] = {
    "test_add_bcast",          "test_matmul_2d",          "test_conv_with_strides_padding",
    "test_reduce_sum_keepdims_example", "test_reshape_reordered_all_dims", "test_softmax_axis_1",
    "test_gemm_default_no_bias", "test_relu",             "test_transpose_default",
};

bool in_quick_subset(std::string_view test) {
  return std::find(std::begin(kQuickTests), std::end(kQuickTests), test) != std::end(kQuickTests);
}

std::string describe(const OnnxNodeEntry& entry) {
  std::string ops;
  for (const std::string& op : entry.ops) ops += (ops.empty() ? "" : ", ") + op;
  std::string text = "ONNX backend node test " + entry.test + " (" + (ops.empty() ? "not importable" : ops) + ")";
  if (!entry.must_pass()) text += "; not must-pass: " + (entry.profile ? entry.reference : entry.profile_text);
  return text;
}

}  // namespace

void add_graph_cases(std::vector<CaseSpec>& cases) {
  for (const OnnxNodeEntry& entry : committed_onnx_node_list().entries) {
    CaseSpec spec;
    spec.id = std::string(kOnnxCasePrefix) + entry.test;
    spec.layer = Layer::kGraph;
    // A test whose dtypes no single profile covers still runs, with the core profile, off every list.
    spec.profile = entry.profile.value_or(Profile::kCoreInference);
    spec.must_pass = entry.must_pass();
    spec.quick = spec.must_pass && in_quick_subset(entry.test);
    spec.run = run_onnx_node_case;
    spec.description = describe(entry);
    cases.push_back(std::move(spec));
  }
}

}  // namespace keel::conform
