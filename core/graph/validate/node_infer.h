// Shape and dtype inference of one node through the spec's check() and infer(): what the validator runs on
// static types and the executor on the concrete tensors of a run.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "graph/ir/graph.h"
#include "spec/op_schema.h"

namespace keel::graph {

// "node 'n3' (reshape)": how messages name a node.
std::string node_label(const Node& node);

// Checks a call of a spec operator and infers its outputs. `attrs` is a packed (normalized) struct or
// nullptr. Returns "" or the violation ("reshape: constraint C1 violated (...): ...").
std::string infer_call(const spec::OpSchema& op, const void* attrs, std::span<const spec::TensorMeta> inputs,
                       std::vector<spec::TensorMeta>* outputs);

// The same for a fused node: every step of the body in turn (inputs are the node's).
std::string infer_fused(const Node& node, std::span<const spec::TensorMeta> inputs, spec::TensorMeta* output);

}  // namespace keel::graph
