// Executor runs: inputs in, nodes in order (run-time inference, placement and allocation where the graph
// left them open), copies between devices, buffers released after their last reader, outputs out.
#include <chrono>

#include "graph/exec/executor_impl.h"
#include "graph/ir/errors.h"
#include "graph/validate/node_infer.h"

namespace keel::graph {
namespace {

std::string tensor_text(const DeviceTensor& t) { return format_type(ValueType::of(t.dtype, t.shape)); }

DeviceTensor upload(const DeviceSlot& slot, int32_t device, const HostTensor& host) {
  DeviceTensor t;
  t.buffer = allocate_buffer(slot.device, host.nbytes());
  t.dtype = host.dtype();
  t.shape = host.shape();
  t.device = device;
  if (host.nbytes() > 0) check(keel_buffer_write(t.buffer->get(), 0, host.data(), host.nbytes()));
  return t;
}

// Rethrows an error of a node with the node named.
template <class Body>
void for_node(const Node& node, Body&& body) {
  try {
    body();
  } catch (const Error& error) {
    const std::string label = node_label(node);
    const std::string text = error_text(error);
    if (text.rfind(label, 0) == 0) throw;
    throw Error(error.code(), label + ": " + text, error.source());
  }
}

}  // namespace

const HostTensor* Executor::Impl::host_value(ValueId id) {
  const Value& v = graph_.value(id);
  if (v.is_constant()) return v.constant.get();
  if (host_cache_[static_cast<size_t>(id)]) return host_cache_[static_cast<size_t>(id)].get();
  const DeviceTensor& t = live_[static_cast<size_t>(id)];
  if (!t.defined()) return nullptr;
  check(keel_queue_synchronize(devices_[static_cast<size_t>(t.device)].queue.get()));
  auto host = std::make_unique<HostTensor>(t.dtype, t.shape);
  if (host->nbytes() > 0) check(keel_buffer_read(t.buffer->get(), t.offset, host->data(), host->nbytes()));
  host_cache_[static_cast<size_t>(id)] = std::move(host);
  return host_cache_[static_cast<size_t>(id)].get();
}

const DeviceTensor& Executor::Impl::tensor_on(ValueId id, int32_t device, const Node& reader) {
  const Value& v = graph_.value(id);
  if (v.is_constant()) {
    auto& uploaded = constants_[static_cast<size_t>(id)];
    auto it = uploaded.find(device);
    if (it == uploaded.end()) {
      it = uploaded.emplace(device, upload(devices_[static_cast<size_t>(device)], device, *v.constant)).first;
    }
    return it->second;
  }
  const DeviceTensor& primary = live_[static_cast<size_t>(id)];
  if (!primary.defined()) fail(KEEL_STATUS_INTERNAL, "executor: value '" + v.name + "' was read before it was written");
  if (primary.device == device) return primary;
  auto& copies = copies_[static_cast<size_t>(id)];
  auto it = copies.find(device);
  if (it != copies.end()) return it->second;
  const DeviceSlot& from = devices_[static_cast<size_t>(primary.device)];
  const DeviceSlot& to = devices_[static_cast<size_t>(device)];
  log(reader.name, "copying value '" + v.name + "' (" + tensor_text(primary) + ") from " + from.name + " to " + to.name +
                       " for " + node_label(reader));
  DeviceTensor copy = primary;
  copy.buffer = allocate_buffer(to.device, primary.nbytes());
  copy.offset = 0;
  copy.device = device;
  check(keel_queue_synchronize(from.queue.get()));
  if (primary.nbytes() > 0) {
    check(keel_buffer_copy(primary.buffer->get(), primary.offset, copy.buffer->get(), 0, primary.nbytes()));
  }
  return copies.emplace(device, std::move(copy)).first->second;
}

DeviceTensor Executor::Impl::allocate_output(ValueId id, int32_t device, const spec::TensorMeta& meta) {
  DeviceTensor t;
  t.dtype = meta.dtype;
  t.shape.assign(meta.dims, meta.dims + meta.rank);
  t.device = device;
  const DeviceSlot& slot = devices_[static_cast<size_t>(device)];
  const size_t v = static_cast<size_t>(id);
  if (plan_ && plan_->offsets[v] >= 0 && slot.arena && t.nbytes() <= plan_->sizes[v]) {
    t.buffer = slot.arena;
    t.offset = static_cast<uint64_t>(plan_->offsets[v]);
  } else {
    t.buffer = allocate_buffer(slot.device, t.nbytes());
  }
  return t;
}

void Executor::Impl::release_dead(const Node& node) {
  for (ValueId id : Graph::reads(node)) {
    const size_t v = static_cast<size_t>(id);
    if (--remaining_uses_[v] > 0 || graph_.value(id).is_constant()) continue;
    live_[v] = DeviceTensor{};
    copies_[v].clear();
    host_cache_[v].reset();
  }
}

void Executor::Impl::run_node(size_t n) {
  const Node& node = graph_.nodes[n];
  std::vector<spec::TensorMeta> in_metas;
  for (ValueId id : node.inputs) {
    if (id == kNoValue) {
      in_metas.push_back(spec::TensorMeta{});
    } else if (graph_.value(id).is_constant()) {
      in_metas.push_back(*graph_.value(id).type.meta());
    } else {
      in_metas.push_back(live_[static_cast<size_t>(id)].meta());
    }
  }
  PackedAttrs attrs;
  std::vector<spec::TensorMeta> out_metas;
  if (node.is_fused()) {
    out_metas.push_back(fused_metas(node, in_metas).back());
  } else {
    attrs = PackedAttrs(*node.schema, node.attrs, [&](ValueId id) { return host_value(id); }, node_label(node));
    if (std::string problem = infer_call(*node.schema, attrs.get(), in_metas, &out_metas); !problem.empty()) {
      fail_invalid(problem);
    }
    if (out_metas.size() != node.outputs.size()) {
      fail_invalid("the spec infers " + std::to_string(out_metas.size()) + " outputs, the node has " +
                   std::to_string(node.outputs.size()));
    }
  }
  int32_t device = node_device_[n];
  if (device < 0) device = place(n, attrs.get(), in_metas, out_metas);

  std::vector<const DeviceTensor*> inputs;
  std::vector<keel_tensor_t> in_views;
  for (ValueId id : node.inputs) {
    if (id == kNoValue) {
      inputs.push_back(nullptr);
      in_views.push_back(keel_tensor_t{});
      continue;
    }
    const DeviceTensor& t = tensor_on(id, device, node);
    inputs.push_back(&t);
    in_views.push_back(t.view());
  }
  std::vector<keel_tensor_t> out_views;
  for (size_t k = 0; k < node.outputs.size(); ++k) {
    live_[static_cast<size_t>(node.outputs[k])] = allocate_output(node.outputs[k], device, out_metas[k]);
    out_views.push_back(live_[static_cast<size_t>(node.outputs[k])].view());
  }
  const DeviceSlot& slot = devices_[static_cast<size_t>(device)];
  const auto start = std::chrono::steady_clock::now();
  if (node.is_fused()) {
    run_fused(n, device, inputs, live_[static_cast<size_t>(node.outputs[0])]);
  } else {
    check(keel_op_run(slot.queue.get(), node_op_[n], attrs.get(), in_views.data(), in_views.size(), out_views.data(),
                      out_views.size()));
  }
  if (options_.profile) {
    check(keel_queue_synchronize(slot.queue.get()));
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    timings_.push_back(NodeTiming{node.name, node.op, slot.name, ms});
  }
}

std::vector<HostTensor> Executor::Impl::run(std::span<const HostTensor> inputs) {
  if (inputs.size() != graph_.inputs.size()) {
    fail_invalid("executor: the graph takes " + std::to_string(graph_.inputs.size()) + " inputs, " +
                 std::to_string(inputs.size()) + " given");
  }
  const size_t count = graph_.values.size();
  live_.assign(count, DeviceTensor{});
  copies_.assign(count, {});
  host_cache_.clear();
  host_cache_.resize(count);
  remaining_uses_ = static_uses_;
  timings_.clear();
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Value& v = graph_.value(graph_.inputs[i]);
    const HostTensor& host = inputs[i];
    bool fits = host.dtype() == v.type.dtype || !v.type.known();
    if (v.type.rank_known) {
      fits = fits && host.rank() == v.type.rank();
      for (size_t d = 0; fits && d < v.type.rank(); ++d) {
        fits = !v.type.dims[d].is_static() || v.type.dims[d].value == host.shape()[d];
      }
    }
    if (!fits) {
      fail_invalid("executor: input '" + v.name + "' is " + format_type(host.type()) + ", the graph expects " +
                   format_type(v.type));
    }
    live_[static_cast<size_t>(graph_.inputs[i])] = upload(devices_[0], 0, host);
  }
  for (size_t n = 0; n < graph_.nodes.size(); ++n) {
    for_node(graph_.nodes[n], [&] { run_node(n); });
    release_dead(graph_.nodes[n]);
  }
  for (DeviceSlot& slot : devices_) check(keel_queue_synchronize(slot.queue.get()));
  std::vector<HostTensor> outputs;
  for (ValueId id : graph_.outputs) {
    const Value& v = graph_.value(id);
    if (v.is_constant()) {
      outputs.push_back(*v.constant);
      continue;
    }
    const DeviceTensor& t = live_[static_cast<size_t>(id)];
    if (!t.defined()) fail(KEEL_STATUS_INTERNAL, "executor: output '" + v.name + "' was never written");
    HostTensor host(t.dtype, t.shape);
    if (host.nbytes() > 0) check(keel_buffer_read(t.buffer->get(), t.offset, host.data(), host.nbytes()));
    outputs.push_back(std::move(host));
  }
  live_.clear();
  copies_.clear();
  host_cache_.clear();
  return outputs;
}

}  // namespace keel::graph
