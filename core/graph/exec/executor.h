// The graph executor: runs a validated graph on devices through libkeel's C API.
//
// Placement. Each node runs on the requested device unless its placement hint names another. When that
// device declines the node (keel_device_supports_op), the node goes to the first fallback device that
// accepts it; the executor logs which device declined and why, and every copy it inserts between devices
// (never silently). Nodes whose shapes are only known at run time (attributes bound to computed values,
// data-dependent shapes) are placed, checked and allocated when they run.
//
// Memory. Values with a static shape produced by statically placed nodes get buffers in one arena per device
// laid out by the static memory plan (passes/memory_plan.h); every other value gets its own buffer, released
// once its last reader ran.
//
// Fused nodes (passes/fuse_elementwise.h) run their chain tile by tile: each step over a tile of a few
// thousand elements through the device's kernels, on tile-sized temporaries, so the chain makes one pass
// over memory.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "graph/ir/graph.h"
#include "graph/passes/memory_plan.h"
#include "keel/keel.hpp"

namespace keel::graph {

struct ExecutorOptions {
  std::string device;                         // a device name ("reference:0", "onednn"); "" = the first device
  std::vector<std::string> fallback_devices;  // where declined nodes may go; empty = every other device
  // false: no fallback at all; a node the requested device (or its hint) declines fails with UNIMPLEMENTED
  // and the device's reason (conformance: everything must run on the device under test).
  bool allow_fallback = true;
  bool profile = true;       // per-node timings (the queue is synchronized after every node)
  bool plan_memory = true;   // use the static memory plan when every shape is static
  int64_t tile_elements = 16384;  // elements per tile of a fused node
  // Placement and copy notes; default: "keel: ..." lines on stderr.
  std::function<void(const std::string&)> log;
};

struct NodeTiming {
  std::string node;
  std::string op;
  std::string device;
  double ms = 0;
};

// A node that does not run on the requested device, or a copy between devices.
struct PlacementNote {
  std::string node;
  std::string message;
};

class Executor {
 public:
  // Validates `graph` (inferring static types) and prepares placement, the memory plan and the constants.
  // Throws keel::Error: an unknown device, a graph that fails validation, a node no device accepts.
  Executor(const Runtime& runtime, Graph graph, ExecutorOptions options = {});
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Runs the graph; `inputs` in graph input order. Returns the outputs in graph output order.
  std::vector<HostTensor> run(std::span<const HostTensor> inputs);

  const Graph& graph() const;
  std::string device_name() const;  // the requested device
  const std::vector<NodeTiming>& timings() const;  // of the last run, in execution order
  const std::vector<PlacementNote>& notes() const;  // accumulated over compile and runs
  // The static memory plan (covering the values with static shapes; no arenas when there are none); nullptr
  // when plan_memory is off.
  const MemoryPlan* memory_plan() const;
  // Per node: the device index it is placed on (-1: decided at run time), for reports.
  std::vector<std::string> node_devices() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace keel::graph
