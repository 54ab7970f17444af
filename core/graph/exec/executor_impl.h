// The executor's internal state, shared by its parts: preparation (executor.cc), running (executor_run.cc),
// placement (placement.cc) and fused chains (fused_runner.cc).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "graph/exec/device_tensor.h"
#include "graph/exec/executor.h"
#include "graph/ir/attr_pack.h"

namespace keel::graph {

struct DeviceSlot {
  keel_device_t* device = nullptr;
  std::string name;
  Queue queue;
  std::shared_ptr<BufferHolder> arena;  // the static memory plan's buffer
};

class Executor::Impl {
 public:
  Impl(const Runtime& runtime, Graph graph, ExecutorOptions options);

  std::vector<HostTensor> run(std::span<const HostTensor> inputs);

  // ---- Preparation (executor.cc)
  void open_devices(const Runtime& runtime);
  void prepare_ops();
  void place_static_nodes();
  void prepare_memory_plan();
  void log(const std::string& node, const std::string& message);

  // ---- Placement (placement.cc)
  // Picks the device for a node with these concrete inputs/outputs and attributes; logs when it is not the
  // requested device. Throws UNIMPLEMENTED when no device accepts it.
  int32_t place(size_t node, const void* attrs, std::span<const spec::TensorMeta> inputs,
                std::span<const spec::TensorMeta> outputs);
  std::vector<int32_t> candidates(const Node& node) const;

  // ---- Running (executor_run.cc)
  void run_node(size_t n);
  const DeviceTensor& tensor_on(ValueId id, int32_t device, const Node& reader);
  const HostTensor* host_value(ValueId id);
  DeviceTensor allocate_output(ValueId id, int32_t device, const spec::TensorMeta& meta);
  void release_dead(const Node& node);

  // ---- Fused chains (fused_runner.cc)
  void run_fused(size_t n, int32_t device, std::span<const DeviceTensor* const> inputs, const DeviceTensor& output);
  // The body's intermediate metas for full-size inputs (for placement checks).
  std::vector<spec::TensorMeta> fused_metas(const Node& node, std::span<const spec::TensorMeta> inputs) const;

  Graph graph_;
  ExecutorOptions options_;
  std::vector<DeviceSlot> devices_;  // [0] is the requested device
  std::vector<int32_t> fallback_order_;
  std::vector<const keel_op_t*> node_op_;                  // per node; nullptr for fused nodes
  std::vector<std::vector<const keel_op_t*>> step_ops_;    // per fused node, per step
  std::vector<int32_t> node_device_;                       // per node; -1: placed when it runs
  std::vector<int32_t> static_uses_;                       // per value: reads + graph outputs
  std::unique_ptr<MemoryPlan> plan_;
  std::vector<std::map<int32_t, DeviceTensor>> constants_;  // per value: uploaded copies by device
  std::map<std::pair<size_t, int32_t>, std::vector<std::shared_ptr<BufferHolder>>> tile_buffers_;

  // Per run.
  std::vector<DeviceTensor> live_;                          // per value: where its producer wrote it
  std::vector<std::map<int32_t, DeviceTensor>> copies_;     // per value: copies on other devices
  std::vector<std::unique_ptr<HostTensor>> host_cache_;     // per value: downloaded for attribute bindings
  std::vector<int32_t> remaining_uses_;
  std::vector<NodeTiming> timings_;
  std::vector<PlacementNote> notes_;
  std::set<std::string> logged_;  // notes already printed
};

}  // namespace keel::graph
