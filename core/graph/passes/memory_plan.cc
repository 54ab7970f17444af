#include "graph/passes/memory_plan.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>

namespace keel::graph {
namespace {

uint64_t align_up(uint64_t v, uint64_t alignment) { return (v + alignment - 1) & ~(alignment - 1); }

}  // namespace

BufferPlan plan_buffers(std::span<const BufferRequest> requests, uint64_t alignment) {
  BufferPlan plan;
  plan.offsets.assign(requests.size(), 0);
  std::vector<size_t> order(requests.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (requests[a].bytes != requests[b].bytes) return requests[a].bytes > requests[b].bytes;
    return requests[a].first < requests[b].first;
  });
  struct Placed {
    uint64_t offset, size;
    int64_t first, last;
  };
  std::vector<Placed> placed;
  placed.reserve(requests.size());
  std::vector<std::pair<uint64_t, uint64_t>> busy;
  for (size_t index : order) {
    const BufferRequest& r = requests[index];
    const uint64_t size = align_up(r.bytes, alignment);
    plan.naive_bytes += size;
    busy.clear();
    for (const Placed& p : placed) {
      if (p.first <= r.last && r.first <= p.last) busy.emplace_back(p.offset, p.offset + p.size);
    }
    std::sort(busy.begin(), busy.end());
    // Best fit: the smallest gap between overlapping buffers that holds this one; else after the last one.
    uint64_t best = UINT64_MAX;
    uint64_t best_gap = UINT64_MAX;
    uint64_t cursor = 0;
    for (const auto& [begin, end] : busy) {
      if (begin > cursor && begin - cursor >= size && begin - cursor < best_gap) {
        best = cursor;
        best_gap = begin - cursor;
      }
      cursor = std::max(cursor, end);
    }
    const uint64_t offset = best != UINT64_MAX ? best : cursor;
    plan.offsets[index] = offset;
    plan.arena_bytes = std::max(plan.arena_bytes, offset + size);
    placed.push_back(Placed{offset, size, r.first, r.last});
  }
  return plan;
}

uint64_t MemoryPlan::arena_bytes() const {
  uint64_t total = 0;
  for (const Arena& a : arenas) total += a.arena_bytes;
  return total;
}

uint64_t MemoryPlan::naive_bytes() const {
  uint64_t total = 0;
  for (const Arena& a : arenas) total += a.naive_bytes;
  return total;
}

std::string format_bytes(uint64_t bytes) {
  char text[32];
  if (bytes < 1024) {
    std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(bytes));
  } else if (bytes < (uint64_t{1} << 20)) {
    std::snprintf(text, sizeof text, "%.1f KiB", static_cast<double>(bytes) / 1024.0);
  } else if (bytes < (uint64_t{1} << 30)) {
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  } else {
    std::snprintf(text, sizeof text, "%.2f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  }
  return text;
}

std::string MemoryPlan::summary() const {
  size_t values = 0;
  for (const Arena& a : arenas) values += a.values;
  const uint64_t naive = naive_bytes();
  char ratio[32];
  std::snprintf(ratio, sizeof ratio, "%.2fx", naive == 0 ? 0.0 : static_cast<double>(arena_bytes()) / static_cast<double>(naive));
  return "planned peak " + format_bytes(arena_bytes()) + " vs naive " + format_bytes(naive) + " (" + ratio + ") over " +
         std::to_string(values) + " values";
}

MemoryPlan plan_memory(const Graph& graph, std::span<const int32_t> node_device, uint64_t alignment) {
  MemoryPlan plan;
  plan.offsets.assign(graph.values.size(), -1);
  plan.sizes.assign(graph.values.size(), 0);
  const int64_t end = static_cast<int64_t>(graph.nodes.size());
  std::vector<int64_t> first(graph.values.size(), -1);
  std::vector<int64_t> last(graph.values.size(), -1);
  std::vector<int32_t> device(graph.values.size(), 0);
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    const Node& node = graph.nodes[n];
    const int32_t node_dev = node_device.empty() ? 0 : node_device[n];
    for (ValueId id : node.outputs) {
      if (node_dev < 0) continue;  // placed at run time: not planned
      first[static_cast<size_t>(id)] = static_cast<int64_t>(n);
      last[static_cast<size_t>(id)] = std::max(last[static_cast<size_t>(id)], static_cast<int64_t>(n));
      device[static_cast<size_t>(id)] = node_dev;
    }
    for (ValueId id : Graph::reads(node)) {
      last[static_cast<size_t>(id)] = std::max(last[static_cast<size_t>(id)], static_cast<int64_t>(n));
    }
  }
  for (ValueId id : graph.outputs) last[static_cast<size_t>(id)] = end;
  std::map<int32_t, std::vector<ValueId>> by_device;
  for (size_t v = 0; v < graph.values.size(); ++v) {
    const Value& value = graph.values[v];
    if (first[v] < 0 || value.is_constant() || !value.type.is_static()) continue;
    by_device[device[v]].push_back(static_cast<ValueId>(v));
  }
  for (const auto& [dev, ids] : by_device) {
    std::vector<BufferRequest> requests;
    for (ValueId id : ids) {
      const size_t v = static_cast<size_t>(id);
      requests.push_back(BufferRequest{first[v], last[v], graph.values[v].type.byte_size()});
    }
    BufferPlan buffers = plan_buffers(requests, alignment);
    for (size_t k = 0; k < ids.size(); ++k) {
      plan.offsets[static_cast<size_t>(ids[k])] = static_cast<int64_t>(buffers.offsets[k]);
      plan.sizes[static_cast<size_t>(ids[k])] = requests[k].bytes;
    }
    plan.arenas.push_back(MemoryPlan::Arena{dev, buffers.arena_bytes, buffers.naive_bytes, ids.size()});
  }
  return plan;
}

}  // namespace keel::graph
