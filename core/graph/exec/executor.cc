// Executor preparation: devices, operator handles, static placement and the memory plan.
#include "graph/exec/executor.h"

#include <cstdio>

#include "graph/exec/executor_impl.h"
#include "graph/ir/errors.h"
#include "graph/validate/node_infer.h"
#include "graph/validate/validator.h"

namespace keel::graph {

Executor::Impl::Impl(const Runtime& runtime, Graph graph, ExecutorOptions options)
    : graph_(std::move(graph)), options_(std::move(options)) {
  validate(graph_);
  open_devices(runtime);
  prepare_ops();
  static_uses_ = graph_.use_counts();
  constants_.resize(graph_.values.size());
  place_static_nodes();
  prepare_memory_plan();
}

void Executor::Impl::log(const std::string& node, const std::string& message) {
  notes_.push_back(PlacementNote{node, message});
  if (!logged_.insert(message).second) return;
  if (options_.log) {
    options_.log(message);
  } else {
    std::fprintf(stderr, "keel: %s\n", message.c_str());
  }
}

void Executor::Impl::open_devices(const Runtime& runtime) {
  auto open = [&](keel_device_t* device) {
    for (const DeviceSlot& slot : devices_) {
      if (slot.device == device) return;
    }
    DeviceSlot slot;
    slot.device = device;
    slot.name = keel_device_name(device);
    slot.queue = Queue::create(Device(device));
    devices_.push_back(std::move(slot));
  };
  if (options_.device.empty()) {
    if (keel_runtime_device_count(runtime.get()) == 0) fail(KEEL_STATUS_UNAVAILABLE, "executor: no device is loaded");
    open(keel_runtime_device(runtime.get(), 0));
  } else {
    open(runtime.find_device(options_.device).get());
  }
  if (options_.fallback_devices.empty()) {
    for (size_t i = 0; i < keel_runtime_device_count(runtime.get()); ++i) open(keel_runtime_device(runtime.get(), i));
  } else {
    for (const std::string& name : options_.fallback_devices) open(runtime.find_device(name).get());
  }
  for (size_t d = 1; d < devices_.size(); ++d) fallback_order_.push_back(static_cast<int32_t>(d));
}

void Executor::Impl::prepare_ops() {
  node_op_.assign(graph_.nodes.size(), nullptr);
  step_ops_.assign(graph_.nodes.size(), {});
  for (size_t n = 0; n < graph_.nodes.size(); ++n) {
    const Node& node = graph_.nodes[n];
    if (node.is_fused()) {
      for (const FusedStep& step : node.body) {
        const keel_op_t* op = nullptr;
        check(keel_op_find(step.op.c_str(), &op));
        step_ops_[n].push_back(op);
      }
    } else {
      check(keel_op_find(node.op.c_str(), &node_op_[n]));
    }
  }
}

void Executor::Impl::place_static_nodes() {
  node_device_.assign(graph_.nodes.size(), -1);
  for (size_t n = 0; n < graph_.nodes.size(); ++n) {
    const Node& node = graph_.nodes[n];
    std::vector<spec::TensorMeta> inputs;
    bool known = true;
    for (ValueId id : node.inputs) {
      if (id == kNoValue) {
        inputs.push_back(spec::TensorMeta{});
        continue;
      }
      std::optional<spec::TensorMeta> meta = graph_.value(id).type.meta();
      known = known && meta.has_value();
      if (meta) inputs.push_back(*meta);
    }
    std::vector<spec::TensorMeta> outputs;
    for (ValueId id : node.outputs) {
      std::optional<spec::TensorMeta> meta = graph_.value(id).type.meta();
      known = known && meta.has_value();
      if (meta) outputs.push_back(*meta);
    }
    for (const auto& [name, attr] : node.attrs) {
      if (attr.is_ref() && !graph_.value(attr.ref).is_constant()) known = false;
    }
    if (!known) continue;
    if (node.is_fused()) {
      node_device_[n] = place(n, nullptr, inputs, outputs);
    } else {
      PackedAttrs attrs(*node.schema, node.attrs,
                        [&](ValueId id) { return graph_.value(id).constant.get(); }, node_label(node));
      node_device_[n] = place(n, attrs.get(), inputs, outputs);
    }
  }
}

void Executor::Impl::prepare_memory_plan() {
  if (!options_.plan_memory) return;
  plan_ = std::make_unique<MemoryPlan>(plan_memory(graph_, node_device_));
  for (const MemoryPlan::Arena& arena : plan_->arenas) {
    DeviceSlot& slot = devices_[static_cast<size_t>(arena.device)];
    slot.arena = allocate_buffer(slot.device, arena.arena_bytes);
  }
}

// ---- Executor -------------------------------------------------------------------------------------------

Executor::Executor(const Runtime& runtime, Graph graph, ExecutorOptions options)
    : impl_(std::make_unique<Impl>(runtime, std::move(graph), std::move(options))) {}

Executor::~Executor() = default;

std::vector<HostTensor> Executor::run(std::span<const HostTensor> inputs) { return impl_->run(inputs); }

const Graph& Executor::graph() const { return impl_->graph_; }

std::string Executor::device_name() const { return impl_->devices_[0].name; }

const std::vector<NodeTiming>& Executor::timings() const { return impl_->timings_; }

const std::vector<PlacementNote>& Executor::notes() const { return impl_->notes_; }

const MemoryPlan* Executor::memory_plan() const { return impl_->plan_.get(); }

std::vector<std::string> Executor::node_devices() const {
  std::vector<std::string> names;
  for (int32_t d : impl_->node_device_) names.push_back(d < 0 ? "(at run time)" : impl_->devices_[static_cast<size_t>(d)].name);
  return names;
}

}  // namespace keel::graph
