#include "graph/validate/node_infer.h"

#include "graph/ir/attr_pack.h"
#include "keel/keel.hpp"
#include "spec/validate.h"

namespace keel::graph {

std::string node_label(const Node& node) { return "node '" + node.name + "' (" + node.op + ")"; }

std::string infer_call(const spec::OpSchema& op, const void* attrs, std::span<const spec::TensorMeta> inputs,
                       std::vector<spec::TensorMeta>* outputs) {
  if (std::optional<spec::Violation> violation = spec::check(op, attrs, inputs)) return violation->message;
  outputs->assign(spec::output_count(op, attrs, inputs), spec::TensorMeta{});
  spec::infer(op, attrs, inputs, *outputs);
  return "";
}

std::string infer_fused(const Node& node, std::span<const spec::TensorMeta> inputs, spec::TensorMeta* output) {
  std::vector<spec::TensorMeta> results;
  for (size_t s = 0; s < node.body.size(); ++s) {
    const FusedStep& step = node.body[s];
    if (step.schema == nullptr) return "step " + std::to_string(s) + " names unknown operator '" + step.op + "'";
    std::vector<spec::TensorMeta> args;
    for (int32_t ref : step.inputs) {
      if (is_step_ref(ref)) {
        if (step_of(ref) >= s) return "step " + std::to_string(s) + " reads a later step";
        args.push_back(results[step_of(ref)]);
      } else {
        if (static_cast<size_t>(ref) >= inputs.size()) {
          return "step " + std::to_string(s) + " reads input " + std::to_string(ref) + " of " +
                 std::to_string(inputs.size());
        }
        args.push_back(inputs[static_cast<size_t>(ref)]);
      }
    }
    PackedAttrs attrs(*step.schema, step.attrs, nullptr, node_label(node) + " step " + std::to_string(s));
    std::vector<spec::TensorMeta> outs;
    if (std::string problem = infer_call(*step.schema, attrs.get(), args, &outs); !problem.empty()) {
      return "step " + std::to_string(s) + ": " + problem;
    }
    if (outs.size() != 1) return "step " + std::to_string(s) + " (" + step.op + ") has more than one output";
    results.push_back(outs[0]);
  }
  if (results.empty()) return "the body is empty";
  *output = results.back();
  return "";
}

}  // namespace keel::graph
