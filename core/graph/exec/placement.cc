// Placement: the requested device first (or the node's hint), then the fallbacks; every decline is logged
// with the device's reason.
#include <algorithm>

#include "graph/exec/executor_impl.h"
#include "graph/ir/errors.h"
#include "graph/validate/node_infer.h"

namespace keel::graph {
namespace {

keel_tensor_t shape_only(const spec::TensorMeta& meta) {
  return make_tensor(nullptr, meta.dtype, meta.shape());
}

// NULL when `device` accepts the call, else its status.
keel_status_t supports(keel_device_t* device, const keel_op_t* op, const void* attrs,
                       std::span<const spec::TensorMeta> inputs, std::span<const spec::TensorMeta> outputs) {
  std::vector<keel_tensor_t> ins;
  for (const spec::TensorMeta& m : inputs) ins.push_back(shape_only(m));
  std::vector<keel_tensor_t> outs;
  for (const spec::TensorMeta& m : outputs) outs.push_back(shape_only(m));
  return keel_device_supports_op(device, op, attrs, ins.data(), ins.size(), outs.data(), outs.size());
}

std::string consume(keel_status_t status) {
  std::string text = std::string(keel_status_code_name(keel_status_code(status))) + ": " + keel_status_message(status);
  keel_status_release(status);
  return text;
}

}  // namespace

std::vector<int32_t> Executor::Impl::candidates(const Node& node) const {
  std::vector<int32_t> order;
  if (!node.device.empty()) {
    for (size_t d = 0; d < devices_.size(); ++d) {
      const std::string& name = devices_[d].name;
      if (name == node.device || name.substr(0, name.find(':')) == node.device) order.push_back(static_cast<int32_t>(d));
    }
  }
  order.push_back(0);
  if (options_.allow_fallback) order.insert(order.end(), fallback_order_.begin(), fallback_order_.end());
  std::vector<int32_t> unique;
  for (int32_t d : order) {
    if (std::find(unique.begin(), unique.end(), d) == unique.end()) unique.push_back(d);
  }
  return unique;
}

std::vector<spec::TensorMeta> Executor::Impl::fused_metas(const Node& node,
                                                          std::span<const spec::TensorMeta> inputs) const {
  std::vector<spec::TensorMeta> results;
  for (size_t s = 0; s < node.body.size(); ++s) {
    const FusedStep& step = node.body[s];
    std::vector<spec::TensorMeta> args;
    for (int32_t ref : step.inputs) args.push_back(is_step_ref(ref) ? results[step_of(ref)] : inputs[static_cast<size_t>(ref)]);
    PackedAttrs attrs(*step.schema, step.attrs, nullptr, node_label(node));
    std::vector<spec::TensorMeta> outs;
    if (std::string problem = infer_call(*step.schema, attrs.get(), args, &outs); !problem.empty()) {
      fail_invalid(node_label(node) + ": step " + std::to_string(s) + ": " + problem);
    }
    results.push_back(outs.at(0));
  }
  return results;
}

int32_t Executor::Impl::place(size_t n, const void* attrs, std::span<const spec::TensorMeta> inputs,
                              std::span<const spec::TensorMeta> outputs) {
  const Node& node = graph_.nodes[n];
  const std::vector<int32_t> order = candidates(node);
  std::vector<spec::TensorMeta> body;
  if (node.is_fused()) body = fused_metas(node, inputs);
  std::string declined;
  for (int32_t d : order) {
    keel_device_t* device = devices_[static_cast<size_t>(d)].device;
    keel_status_t status = nullptr;
    if (node.is_fused()) {
      for (size_t s = 0; s < node.body.size() && status == nullptr; ++s) {
        const FusedStep& step = node.body[s];
        std::vector<spec::TensorMeta> args;
        for (int32_t ref : step.inputs) {
          args.push_back(is_step_ref(ref) ? body[step_of(ref)] : inputs[static_cast<size_t>(ref)]);
        }
        PackedAttrs step_attrs(*step.schema, step.attrs, nullptr, node_label(node));
        status = supports(device, step_ops_[n][s], step_attrs.get(), args, std::span(&body[s], 1));
      }
    } else {
      status = supports(device, node_op_[n], attrs, inputs, outputs);
    }
    if (status == nullptr) {
      if (!declined.empty()) {
        log(node.name, node_label(node) + " runs on " + devices_[static_cast<size_t>(d)].name + ": " + declined);
      }
      return d;
    }
    declined += (declined.empty() ? "" : "; ") + devices_[static_cast<size_t>(d)].name + " declined it (" +
                consume(status) + ")";
  }
  fail(KEEL_STATUS_UNIMPLEMENTED, node_label(node) + ": no device accepts it: " + declined);
}

}  // namespace keel::graph
