// Helpers shared by the graph library tests: small graphs built through the IR API, structural equality of
// two graphs, and expectations on keel::Error messages.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "graph/ir/errors.h"
#include "graph/ir/graph.h"
#include "graph/ir/graph_text.h"

namespace keel::graph::testing {

// y = relu(x @ w + b) with x f32[2,3] a graph input, w f32[3,4] and b f32[4] constants. The constants hold
// distinct, non-trivial values so a round trip that drops or reorders bytes is caught.
inline Graph make_mlp() {
  Graph g;
  g.name = "mlp";
  g.metadata["producer"] = "graph tests";
  const ValueId x = g.add_value("x", ValueType::of(KEEL_DTYPE_F32, std::vector<int64_t>{2, 3}));
  HostTensor w(KEEL_DTYPE_F32, {3, 4});
  for (int64_t i = 0; i < w.numel(); ++i) w.set(i, 0.25 * static_cast<double>(i) - 1.0);
  HostTensor b(KEEL_DTYPE_F32, {4});
  for (int64_t i = 0; i < b.numel(); ++i) b.set(i, 0.5 - 0.375 * static_cast<double>(i));
  const ValueId wv = g.add_constant("w", std::move(w));
  const ValueId bv = g.add_constant("b", std::move(b));
  const NodeId mm = g.add_op("matmul", {x, wv}, {}, 1, "mm");
  const NodeId ad = g.add_op("add", {g.nodes[static_cast<size_t>(mm)].outputs[0], bv}, {}, 1, "bias");
  const NodeId re = g.add_op("relu", {g.nodes[static_cast<size_t>(ad)].outputs[0]}, {}, 1, "act");
  g.inputs = {x};
  g.outputs = {g.nodes[static_cast<size_t>(re)].outputs[0]};
  return g;
}

// Field-by-field comparison; the first difference is reported, with both graphs printed.
inline ::testing::AssertionResult graphs_equal(const Graph& a, const Graph& b) {
  auto differ = [&](const std::string& what) {
    return ::testing::AssertionFailure() << what << "\n--- first:\n" << format_graph(a) << "\n--- second:\n"
                                         << format_graph(b);
  };
  if (a.name != b.name) return differ("names differ");
  if (a.metadata != b.metadata) return differ("metadata differs");
  if (a.inputs != b.inputs) return differ("graph inputs differ");
  if (a.outputs != b.outputs) return differ("graph outputs differ");
  if (a.values.size() != b.values.size()) return differ("value counts differ");
  for (size_t i = 0; i < a.values.size(); ++i) {
    const Value& va = a.values[i];
    const Value& vb = b.values[i];
    const std::string at = "value #" + std::to_string(i) + " ('" + va.name + "'): ";
    if (va.name != vb.name) return differ(at + "names differ");
    if (!(va.type == vb.type)) return differ(at + format_type(va.type) + " vs " + format_type(vb.type));
    if (va.is_constant() != vb.is_constant()) return differ(at + "only one is a constant");
    if (va.is_constant() && !va.constant->same_bits(*vb.constant)) return differ(at + "constant data differs");
  }
  if (a.nodes.size() != b.nodes.size()) return differ("node counts differ");
  for (size_t i = 0; i < a.nodes.size(); ++i) {
    const Node& na = a.nodes[i];
    const Node& nb = b.nodes[i];
    const std::string at = "node #" + std::to_string(i) + " ('" + na.name + "'): ";
    if (na.name != nb.name || na.op != nb.op || na.version != nb.version || na.device != nb.device) {
      return differ(at + "name, op, version or device differs");
    }
    if (na.inputs != nb.inputs || na.outputs != nb.outputs) return differ(at + "inputs or outputs differ");
    if (na.attrs != nb.attrs) return differ(at + "attributes differ");
    if (na.body.size() != nb.body.size()) return differ(at + "fused bodies differ in length");
    for (size_t s = 0; s < na.body.size(); ++s) {
      const FusedStep& sa = na.body[s];
      const FusedStep& sb = nb.body[s];
      if (sa.op != sb.op || sa.inputs != sb.inputs || sa.attrs != sb.attrs || sa.dtype != sb.dtype) {
        return differ(at + "fused step " + std::to_string(s) + " differs");
      }
    }
  }
  return ::testing::AssertionSuccess();
}

// Runs `fn`, which must throw keel::Error with `code` and a message containing every one of `parts`.
template <class Fn>
::testing::AssertionResult throws_error(Fn&& fn, keel_status_code_t code, const std::vector<std::string>& parts) {
  try {
    fn();
  } catch (const Error& error) {
    const std::string text = error_text(error);
    if (error.code() != code) {
      return ::testing::AssertionFailure() << "code " << keel_status_code_name(error.code()) << ", expected "
                                           << keel_status_code_name(code) << ": " << text;
    }
    for (const std::string& part : parts) {
      if (text.find(part) == std::string::npos) {
        return ::testing::AssertionFailure() << "message lacks \"" << part << "\": " << text;
      }
    }
    return ::testing::AssertionSuccess() << text;
  }
  return ::testing::AssertionFailure() << "no keel::Error was thrown";
}

}  // namespace keel::graph::testing
